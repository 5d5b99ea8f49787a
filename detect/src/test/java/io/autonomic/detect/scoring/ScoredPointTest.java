package io.autonomic.detect.scoring;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.ERROR_RATIO;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.schemas.avro.EnrichedPoint;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ScoredPointTest {

    @Test
    void stateClasses_arePojos() {
        assertThat(TypeInformation.of(EwmaState.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(CounterReading.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(io.autonomic.detect.incident.IncidentTracking.class))
                .isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void typeInformation_isAPojoWithAvroFields_andRoundTrips() throws Exception {
        TypeInformation<ScoredPoint> type = TypeInformation.of(ScoredPoint.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<ScoredPoint> serializer = type.createSerializer(new SerializerConfigImpl());
        EnrichedPoint point = gauge(CHECKOUT, ERROR_RATIO, at(5), 1.0);
        ScoredPoint scored = new ScoredPoint(point, List.of(
                Anomalies.fromRule(point, DetectConfig.defaults().rules().get(0), at(2))));

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(scored, out);
        ScoredPoint copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy.point).isEqualTo(point);
        assertThat(copy.anomalies).isEqualTo(scored.anomalies);
        assertThat(copy.resourceId()).isEqualTo(CHECKOUT);
    }
}
