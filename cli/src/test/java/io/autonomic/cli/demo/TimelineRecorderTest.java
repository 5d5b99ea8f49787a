package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.RootCause;
import io.autonomic.schemas.avro.TopologyContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the recorder reads the correlation an incident carries. */
class TimelineRecorderTest {

    private static final String DB = "process:demo-host/orders-db";
    private static final String CHECKOUT = "process:demo-host/checkout";

    @Test
    void correlation_keepsRankOrderLayersReasonsAndMembers() {
        Incident incident = incident(List.of(
                RootCause.newBuilder().setResourceId(DB).setService("orders-db").setLayer(Layer.DATA).setScore(0.9)
                        .setOnsetMillis(1_000).setReasons(List.of("its own dependencies are healthy")).build(),
                RootCause.newBuilder().setResourceId(CHECKOUT).setService(null).setLayer(Layer.APPLICATION)
                        .setScore(0.2).setOnsetMillis(3_000).build()),
                List.of(CHECKOUT, DB), List.of(CHECKOUT), 7);

        TimelineEvent.Correlation correlation = TimelineRecorder.correlation(incident);

        assertThat(correlation.isCorrelated()).isTrue();
        assertThat(correlation.rootCauses()).extracting(TimelineEvent.RankedCause::resourceId).containsExactly(DB,
                CHECKOUT);
        assertThat(correlation.rootCauses().get(0).layer()).isEqualTo("data");
        assertThat(correlation.rootCauses().get(0).reasons()).containsExactly("its own dependencies are healthy");
        // a candidate without a service name gets it from its resource id
        assertThat(correlation.rootCauses().get(1).service()).isEqualTo("checkout");
        assertThat(correlation.resources()).containsExactly(CHECKOUT, DB);
        assertThat(correlation.inhibited()).containsExactly(CHECKOUT);
        assertThat(correlation.suppressedDuplicates()).isEqualTo(7);
    }

    @Test
    void correlation_ofASingleResourceIncident_isNotCorrelated() {
        TimelineEvent.Correlation correlation = TimelineRecorder.correlation(incident(List.of(), List.of(), List.of(), 0));

        assertThat(correlation.isCorrelated()).isFalse();
    }

    private static Incident incident(List<RootCause> causes, List<String> resources, List<String> inhibited,
            long duplicates) {
        return Incident.newBuilder()
                .setIncidentId("1234abcd-0000")
                .setResource(Resource.newBuilder().setId(DB).setKind(ResourceKind.HOST_PROCESS).setService("orders-db")
                        .build())
                .setContext(TopologyContext.newBuilder().build())
                .setOpenedAtMillis(1_000)
                .setUpdatedAtMillis(2_000)
                .setDiagnosis(Diagnosis.newBuilder().setIncidentType("db-degradation").setSummary("db I/O errors")
                        .setConfidence(0.9).setRootCause(DB).build())
                .setRootCauses(causes)
                .setResources(resources)
                .setInhibited(inhibited)
                .setSuppressedDuplicates(duplicates)
                .build();
    }
}
