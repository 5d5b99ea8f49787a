package io.autonomic.detect.incident;

import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.incident.CorrelationTestData.CHECKOUT;
import static io.autonomic.detect.incident.CorrelationTestData.DB;
import static io.autonomic.detect.incident.CorrelationTestData.DB_ERRORS;
import static io.autonomic.detect.incident.CorrelationTestData.DB_IO_ERRORS;
import static io.autonomic.detect.incident.CorrelationTestData.HTTP_ERRORS;
import static io.autonomic.detect.incident.CorrelationTestData.ORDERS;
import static io.autonomic.detect.incident.CorrelationTestData.PAYMENTS;
import static io.autonomic.detect.incident.CorrelationTestData.REPORTS;
import static io.autonomic.detect.incident.CorrelationTestData.callerOfDatabase;
import static io.autonomic.detect.incident.CorrelationTestData.context;
import static io.autonomic.detect.incident.CorrelationTestData.database;
import static io.autonomic.detect.incident.CorrelationTestData.learned;
import static io.autonomic.detect.incident.CorrelationTestData.opened;
import static io.autonomic.detect.incident.CorrelationTestData.rule;
import static io.autonomic.detect.incident.CorrelationTestData.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.RootCause;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentCorrelatorTest {

    private static final IncidentSettings SETTINGS = IncidentSettings.DEFAULTS;
    private static final TopologyContext DATABASE = database();
    private static final TopologyContext CHECKOUT_CONTEXT = callerOfDatabase("checkout");
    private static final TopologyContext ORDERS_CONTEXT = callerOfDatabase("orders");
    private static final TopologyContext PAYMENTS_CONTEXT = callerOfDatabase("payments");

    private KeyedOneInputStreamOperatorTestHarness<String, Incident, Incident> harness;

    @BeforeEach
    void start() throws Exception {
        start(SETTINGS);
    }

    private void start(IncidentSettings settings) throws Exception {
        if (harness != null) {
            harness.close();
        }
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new IncidentCorrelator(CorrelationTestData.config(settings), null), IncidentCorrelator::scope,
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(Incident signal) throws Exception {
        harness.processElement(signal, signal.getUpdatedAtMillis());
    }

    private void watermark(double seconds) throws Exception {
        harness.processWatermark(at(seconds));
    }

    private List<Incident> incidents() {
        return harness.extractOutputValues();
    }

    private List<RemediationCommand> commands() {
        var queue = harness.getSideOutput(IncidentCorrelator.COMMANDS);
        return queue == null ? List.of()
                : queue.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static Anomaly dbRule(double seconds) {
        return rule(DB, DATABASE, DB_IO_ERRORS, seconds, 0.4);
    }

    private static Anomaly httpErrors(String resourceId, TopologyContext context, double seconds) {
        return learned(resourceId, context, HTTP_ERRORS, seconds, 0.7);
    }

    /** The database fails at 10s, its three callers show errors between 11s and 12s. */
    private void databaseFaultWithThreeCallers() throws Exception {
        send(opened(10, dbRule(10)));
        send(opened(11, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 11)));
        send(opened(11.5, httpErrors(ORDERS, ORDERS_CONTEXT, 11.5)));
        send(opened(12, httpErrors(PAYMENTS, PAYMENTS_CONTEXT, 12)));
    }

    @Test
    void scope_isTheEnvironmentElseDefault() {
        assertThat(IncidentCorrelator.scope(opened(10, dbRule(10)))).isEqualTo("demo");
        Incident noEnvironment = opened(10, learned(REPORTS, context("reports", Layer.APPLICATION, null, List.of()),
                HTTP_ERRORS, 10, 0.7));
        assertThat(IncidentCorrelator.scope(noEnvironment)).isEqualTo(IncidentCorrelator.DEFAULT_SCOPE);
    }

    @Test
    void databaseAndItsCallers_oneIncidentWithTheDatabaseAsTopRootCauseAndOneCommand() throws Exception {
        databaseFaultWithThreeCallers();
        watermark(12.999);
        assertThat(incidents()).as("held for the group window from the first onset").isEmpty();

        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getIncidentId()).isEqualTo(IncidentIds.incidentId(DB, at(10)));
            assertThat(incident.getStatus()).isEqualTo(IncidentStatus.OPEN);
            assertThat(incident.getResource().getId()).isEqualTo(DB);
            assertThat(incident.getContext()).isEqualTo(DATABASE);
            assertThat(incident.getOpenedAtMillis()).isEqualTo(at(10));
            assertThat(incident.getUpdatedAtMillis()).isEqualTo(at(13));
            assertThat(incident.getResources()).containsExactly(DB, CHECKOUT, ORDERS, PAYMENTS);
            assertThat(incident.getInhibited()).containsExactly(CHECKOUT, ORDERS, PAYMENTS);
            assertThat(incident.getRootCauses()).extracting(RootCause::getResourceId).first().isEqualTo(DB);
            assertThat(incident.getRootCauses()).hasSize(4);
            assertThat(incident.getRootCauses().get(0).getReasons())
                    .contains("its own dependencies are healthy (it has none declared or observed)");
            assertThat(incident.getEvidence()).extracting(a -> a.getResource().getId())
                    .containsExactlyInAnyOrder(DB, CHECKOUT, ORDERS, PAYMENTS);
            assertThat(incident.getDiagnosis().getIncidentType()).isEqualTo("db-degradation");
            assertThat(incident.getDiagnosis().getRootCause()).isEqualTo(DB);
            assertThat(incident.getDiagnosis().getSummary()).contains("correlated 4 resources, root cause " + DB)
                    .contains("inhibited: " + CHECKOUT + ", " + ORDERS + ", " + PAYMENTS);
            assertThat(incident.getPlaybook()).isEqualTo("restart-db-on-io-errors");
        });
        assertThat(commands()).singleElement().satisfies(command -> {
            String incidentId = incidents().get(0).getIncidentId();
            assertThat(command.getTarget().getId()).isEqualTo(DB);
            assertThat(command.getTargetContext()).isEqualTo(DATABASE);
            assertThat(command.getPlaybook()).isEqualTo("restart-db-on-io-errors");
            assertThat(command.getAction()).isEqualTo("process.restart");
            assertThat(command.getMode()).isEqualTo(ExecutionMode.EXECUTE);
            assertThat(command.getIssuedAtMillis()).isEqualTo(at(13));
            assertThat(command.getIdempotencyKey()).isEqualTo(incidentId + "/restart-db-on-io-errors/0");
            assertThat(command.getCommandId())
                    .isEqualTo(IncidentIds.commandId(incidentId, "restart-db-on-io-errors", 0));
            assertThat(command.getIncident()).isEqualTo(incidents().get(0));
        });
    }

    @Test
    void signalsArrivingOutOfOrder_groupTheSameWay() throws Exception {
        send(opened(12, httpErrors(PAYMENTS, PAYMENTS_CONTEXT, 12)));
        send(opened(11, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 11)));
        send(opened(10, dbRule(10)));
        send(opened(11.5, httpErrors(ORDERS, ORDERS_CONTEXT, 11.5)));

        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getIncidentId()).isEqualTo(IncidentIds.incidentId(DB, at(10)));
            assertThat(incident.getResource().getId()).isEqualTo(DB);
            assertThat(incident.getResources()).hasSize(4);
        });
        assertThat(commands()).hasSize(1);
    }

    @Test
    void callersFirst_areMergedWhenTheirDatabaseJoinsBeforePublication() throws Exception {
        // with one hop, two callers of a healthy-looking database are not related to each other
        start(new IncidentSettings(Duration.ofSeconds(3), Duration.ofSeconds(8), 0.5, 50, true,
                Duration.ofSeconds(10), 1, 20));
        send(opened(10, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 10)));
        send(opened(10.5, httpErrors(ORDERS, ORDERS_CONTEXT, 10.5)));
        watermark(11);
        assertThat(incidents()).isEmpty();

        send(opened(12, dbRule(12)));
        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getIncidentId()).isEqualTo(IncidentIds.incidentId(CHECKOUT, at(10)));
            assertThat(incident.getOpenedAtMillis()).isEqualTo(at(10));
            assertThat(incident.getResource().getId()).isEqualTo(DB);
            assertThat(incident.getResources()).containsExactly(DB, CHECKOUT, ORDERS);
            assertThat(incident.getInhibited()).containsExactly(CHECKOUT, ORDERS);
            assertThat(incident.getEvidence()).hasSize(3);
        });
        assertThat(commands()).singleElement()
                .satisfies(command -> assertThat(command.getTarget().getId()).isEqualTo(DB));
    }

    @Test
    void unrelatedResources_getSeparateIncidentsAndCommands() throws Exception {
        TopologyContext reports = context("reports", Layer.APPLICATION, "demo", List.of("warehouse"));
        send(opened(10, dbRule(10)));
        send(opened(11, rule(REPORTS, reports, DetectConfig.defaults().rules().get(0), 11, 1.0)));

        watermark(14);

        assertThat(incidents()).extracting(i -> i.getResource().getId()).containsExactlyInAnyOrder(DB, REPORTS);
        assertThat(incidents()).allSatisfy(incident -> {
            assertThat(incident.getResources()).containsExactly(incident.getResource().getId());
            assertThat(incident.getInhibited()).isEmpty();
            assertThat(incident.getRootCauses()).hasSize(1);
        });
        assertThat(commands()).extracting(RemediationCommand::getPlaybook)
                .containsExactlyInAnyOrder("restart-db-on-io-errors", "restart-on-5xx");
    }

    @Test
    void relatedResourceFailingAfterTheCorrelationWindow_opensItsOwnIncident() throws Exception {
        send(opened(10, dbRule(10)));
        watermark(13);
        // the database's latest evidence is from 10s; 10s later the window has passed
        send(opened(20.001, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 20.001)));
        watermark(24);

        assertThat(incidents()).extracting(i -> i.getResource().getId()).containsExactly(DB, CHECKOUT);
        assertThat(incidents().get(1).getIncidentId()).isEqualTo(IncidentIds.incidentId(CHECKOUT, at(20.001)));
    }

    @Test
    void relatedResourceWithinTheWindowOfTheLatestEvidence_joinsAPublishedIncidentAsUpdate() throws Exception {
        send(opened(10, dbRule(10)));
        watermark(13);
        send(signal(IncidentStatus.UPDATED, 10, 16, List.of(dbRule(10), dbRule(16))));
        send(opened(25, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 25)));
        watermark(25);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.UPDATED);
        Incident updated = incidents().get(1);
        assertThat(updated.getUpdatedAtMillis()).isEqualTo(at(25));
        assertThat(updated.getResources()).containsExactly(DB, CHECKOUT);
        assertThat(updated.getInhibited()).containsExactly(CHECKOUT);
        assertThat(updated.getSuppressedDuplicates()).isEqualTo(1);
        assertThat(commands()).as("one command per incident").hasSize(1);
    }

    @Test
    void repeatedAnomaliesOfOneResourceMetricAndDetector_areCountedNotAppended() throws Exception {
        send(opened(10, dbRule(10)));
        send(signal(IncidentStatus.UPDATED, 10, 13, List.of(dbRule(10), dbRule(11), dbRule(12), dbRule(13),
                learned(DB, DATABASE, "db.server.query.duration.p99", 12, 0.9))));
        watermark(13);
        // the same signal again (a replay) changes nothing
        send(signal(IncidentStatus.UPDATED, 10, 13, List.of(dbRule(10), dbRule(11), dbRule(12), dbRule(13),
                learned(DB, DATABASE, "db.server.query.duration.p99", 12, 0.9))));
        watermark(20);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getEvidence()).extracting(Anomaly::getMetric)
                    .containsExactly(DB_ERRORS, "db.server.query.duration.p99");
            assertThat(incident.getSuppressedDuplicates()).isEqualTo(3);
        });
    }

    @Test
    void updates_arePublishedAtMostOncePerGroupWindow() throws Exception {
        send(opened(10, dbRule(10)));
        watermark(13);
        send(opened(13.5, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 13.5)));
        send(opened(14, httpErrors(ORDERS, ORDERS_CONTEXT, 14)));
        send(opened(15, httpErrors(PAYMENTS, PAYMENTS_CONTEXT, 15)));
        watermark(15.999);
        assertThat(incidents()).hasSize(1);

        watermark(16);
        watermark(30);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.UPDATED);
        assertThat(incidents().get(1).getUpdatedAtMillis()).isEqualTo(at(16));
        assertThat(incidents().get(1).getResources()).hasSize(4);
    }

    @Test
    void incident_resolvesOnlyWhenEveryMemberResolvedAndLeavesNoState() throws Exception {
        databaseFaultWithThreeCallers();
        watermark(13);
        send(signal(IncidentStatus.RESOLVED, 10, 20, List.of(dbRule(10))));
        send(signal(IncidentStatus.RESOLVED, 11, 20, List.of(httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 11))));
        send(signal(IncidentStatus.RESOLVED, 11.5, 21, List.of(httpErrors(ORDERS, ORDERS_CONTEXT, 11.5))));
        watermark(21);
        assertThat(incidents()).extracting(Incident::getStatus).containsExactly(IncidentStatus.OPEN);

        send(signal(IncidentStatus.RESOLVED, 12, 22, List.of(httpErrors(PAYMENTS, PAYMENTS_CONTEXT, 12))));
        watermark(22);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.RESOLVED);
        Incident resolved = incidents().get(1);
        assertThat(resolved.getIncidentId()).isEqualTo(incidents().get(0).getIncidentId());
        assertThat(resolved.getResolvedAtMillis()).isEqualTo(at(22));
        assertThat(resolved.getResource().getId()).isEqualTo(DB);
        assertThat(resolved.getPlaybook()).isEqualTo("restart-db-on-io-errors");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(commands()).hasSize(1);
    }

    @Test
    void memberRecoveringWithinTheGroupWindow_isPublishedThenResolved() throws Exception {
        send(opened(10, dbRule(10)));
        send(signal(IncidentStatus.RESOLVED, 10, 12, List.of(dbRule(10))));

        watermark(12);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.RESOLVED);
        assertThat(incidents()).extracting(Incident::getUpdatedAtMillis).containsOnly(at(12));
        watermark(13);
        assertThat(incidents()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void resolvedSignalOfAnUnknownResource_isIgnored() throws Exception {
        send(signal(IncidentStatus.RESOLVED, 10, 20, List.of(dbRule(10))));
        watermark(30);

        assertThat(incidents()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void topologyUpdate_theNextFaultsGroupByTheNewDependencies() throws Exception {
        databaseFaultWithThreeCallers();
        watermark(13);
        send(signal(IncidentStatus.RESOLVED, 10, 20, List.of(dbRule(10))));
        for (String id : List.of(CHECKOUT, ORDERS, PAYMENTS)) {
            send(signal(IncidentStatus.RESOLVED, 11, 20, List.of(httpErrors(id, callerOfDatabase(serviceOf(id)), 11))));
        }
        watermark(20);
        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.RESOLVED);

        // checkout no longer depends on orders-db (topology updated); orders still does
        TopologyContext checkoutNow = context("checkout", Layer.APPLICATION, "demo", List.of("inventory"));
        send(opened(40, dbRule(40)));
        send(opened(41, httpErrors(CHECKOUT, checkoutNow, 41)));
        send(opened(41, httpErrors(ORDERS, ORDERS_CONTEXT, 41)));
        watermark(44);

        List<Incident> next = incidents().subList(2, incidents().size());
        assertThat(next).extracting(Incident::getResources).containsExactlyInAnyOrder(
                List.of(DB, ORDERS), List.of(CHECKOUT));
    }

    @Test
    void observedDependencies_relateResourcesLikeDeclaredOnes() throws Exception {
        TopologyContext observedCaller = TopologyContext.newBuilder(context("checkout", Layer.APPLICATION, "demo",
                List.of())).setObservedDependencies(List.of("orders-db")).build();
        send(opened(10, dbRule(10)));
        send(opened(11, httpErrors(CHECKOUT, observedCaller, 11)));
        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getResources()).containsExactly(DB, CHECKOUT);
            assertThat(incident.getInhibited()).containsExactly(CHECKOUT);
        });
    }

    @Test
    void maxMembers_aFullIncidentTakesNoMoreResources() throws Exception {
        start(new IncidentSettings(Duration.ofSeconds(3), Duration.ofSeconds(8), 0.5, 50, true,
                Duration.ofSeconds(10), 2, 2));
        databaseFaultWithThreeCallers();
        watermark(15);

        assertThat(incidents()).extracting(Incident::getResources).containsExactlyInAnyOrder(
                List.of(DB, CHECKOUT), List.of(ORDERS, PAYMENTS));
    }

    @Test
    void instancesOfOneServiceFailingTogether_oneIncident_theSamePlaybookForEachInstanceOnce() throws Exception {
        // A fleet whose instances all call the healthy database: they are peers, none is the others' cause, and
        // restarting the top-ranked one would leave the rest broken.
        ThresholdRule highErrors = DetectConfig.defaults().rules().stream()
                .filter(rule -> rule.name().equals("high-error-ratio")).findFirst().orElseThrow();
        TopologyContext fleet = callerOfDatabase("fleet");
        send(opened(10, rule("process:host-1/fleet", fleet, highErrors, 10, 1.0)));
        send(opened(10.5, rule("process:host-2/fleet", fleet, highErrors, 10.5, 1.0)));
        send(opened(11, rule("process:host-3/fleet", fleet, highErrors, 11, 1.0)));
        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getResources()).hasSize(3);
            assertThat(incident.getInhibited()).isEmpty();
            assertThat(incident.getPlaybook()).isEqualTo("restart-on-5xx");
        });
        String incidentId = incidents().get(0).getIncidentId();
        assertThat(commands()).extracting(command -> command.getTarget().getId()).containsExactly(
                "process:host-1/fleet", "process:host-2/fleet", "process:host-3/fleet");
        assertThat(commands()).allSatisfy(command -> {
            assertThat(command.getPlaybook()).isEqualTo("restart-on-5xx");
            assertThat(command.getIncident().getIncidentId()).isEqualTo(incidentId);
            assertThat(command.getTargetContext()).isEqualTo(fleet);
        });
        assertThat(commands()).extracting(RemediationCommand::getIdempotencyKey).doesNotHaveDuplicates()
                .contains(incidentId + "/restart-on-5xx/0");
        assertThat(commands()).extracting(RemediationCommand::getCommandId).doesNotHaveDuplicates();

        // a fourth instance joins later: its own command, and none again for the first three
        send(opened(14, rule("process:host-4/fleet", fleet, highErrors, 14, 1.0)));
        watermark(20);
        assertThat(commands()).extracting(command -> command.getTarget().getId()).containsExactly(
                "process:host-1/fleet", "process:host-2/fleet", "process:host-3/fleet", "process:host-4/fleet");
    }

    @Test
    void dependentsOfTheRootCause_getNoCommandsOfTheirOwn_evenOfItsService() throws Exception {
        databaseFaultWithThreeCallers();
        watermark(20);

        assertThat(commands()).extracting(command -> command.getTarget().getId()).containsExactly(DB);
    }

    @Test
    void learnedEvidenceOnly_goesToHumansWithoutACommand() throws Exception {
        send(opened(10, httpErrors(CHECKOUT, CHECKOUT_CONTEXT, 10)));
        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getPlaybook()).isNull();
            assertThat(incident.getDiagnosis().getIncidentType()).isEqualTo(Diagnoser.UNKNOWN);
            assertThat(incident.getDiagnosis().getSummary()).contains("no automatic action");
        });
        assertThat(commands()).isEmpty();
    }

    private static String serviceOf(String resourceId) {
        return resourceId.substring(resourceId.lastIndexOf('/') + 1);
    }
}
