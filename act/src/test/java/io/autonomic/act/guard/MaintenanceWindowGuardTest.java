package io.autonomic.act.guard;

import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceWindowGuardTest {

    @TempDir
    Path dir;

    private ExecutionLedger history;

    @BeforeEach
    void open() throws Exception {
        history = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
    }

    @AfterEach
    void close() throws Exception {
        history.close();
    }

    private static RemediationCommand tagged(String maintenance) {
        return Commands.restart("k1", T0)
                .setTargetContext(Commands.context("checkout", true, Map.of("maintenance", maintenance))).build();
    }

    private GuardDecision check(MaintenanceWindowGuard guard, RemediationCommand command, Instant now) {
        return guard.check(command, new GuardContext(now, history));
    }

    @Test
    void check_insideTaggedWindow_blocks_outsidePasses() {
        MaintenanceWindowGuard guard = new MaintenanceWindowGuard(List.of());
        RemediationCommand command = tagged("2025-03-01T09:30Z/PT1H, 2025-03-02T00:00Z/PT2H");

        GuardDecision inside = check(guard, command, T0);

        assertThat(inside.passed()).isFalse();
        assertThat(inside.reason()).contains("2025-03-01T09:30:00Z/PT1H").contains("until 2025-03-01T10:30:00Z");
        assertThat(check(guard, command, T0.plus(Duration.ofMinutes(30))).passed()).isTrue();
        assertThat(check(guard, command, Instant.parse("2025-03-02T01:00:00Z")).passed()).isFalse();
    }

    @Test
    void check_workerWindow_blocksEveryResource() {
        MaintenanceWindowGuard guard = new MaintenanceWindowGuard(MaintenanceWindow.parseList("2025-03-01T10:00Z/PT5M"));

        assertThat(check(guard, Commands.restart("k1", T0).build(), T0).reason()).startsWith("worker maintenance window");
        assertThat(check(guard, Commands.restart("k1", T0).build(), T0.plus(Duration.ofMinutes(5))).passed()).isTrue();
    }

    @Test
    void check_unreadableTag_blocks() {
        GuardDecision decision = check(new MaintenanceWindowGuard(List.of()), tagged("tomorrow morning"), T0);

        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).contains("unreadable maintenance tag");
    }

    @Test
    void parse_badWindows_failNamingThem() {
        assertThatThrownBy(() -> MaintenanceWindow.parse("2025-03-01T10:00Z")).hasMessageContaining("START/DURATION");
        assertThatThrownBy(() -> MaintenanceWindow.parse("2025-03-01T10:00Z/PT0S")).hasMessageContaining("positive");
        assertThatThrownBy(() -> MaintenanceWindow.parse("soon/PT1H")).hasMessageContaining("'soon/PT1H'");
    }
}
