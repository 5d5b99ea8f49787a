package io.autonomic.act.process;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.TestingProcessControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessExecutorTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private final TestingProcessControl control = new TestingProcessControl();
    private ProcessExecutor executor;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("allowed/logs"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        executor = new ProcessExecutor(control, AllowedDirectories.of(List.of(tmp.resolve("allowed"))),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    private ActionResult removeFiles(Map<String, String> parameters) throws Exception {
        return executor.execute(new ActionRequest(ProcessExecutor.REMOVE_FILES, Commands.resource(CHECKOUT, "checkout"),
                parameters, "key-1"));
    }

    private static Path file(Path dir, String name, int bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(T0.minus(Duration.ofHours(2))));
        return file;
    }

    @Test
    void restart_delegatesToProcessControl() throws Exception {
        ActionResult result = executor.execute(new ActionRequest(ProcessExecutor.RESTART,
                Commands.resource(CHECKOUT, "checkout"), Map.of(), "key-1"));

        assertThat(result.success()).isTrue();
        assertThat(control.restartedIds()).containsExactly(CHECKOUT);
    }

    @Test
    void restart_serviceNameOutsideTheAllowedCharacters_refusedBeforeProcessControl() throws Exception {
        for (String service : new String[] {"checkout; rm -rf /", "Checkout", "../etc", "a b", ""}) {
            ActionResult result = executor.execute(new ActionRequest(ProcessExecutor.RESTART,
                    Commands.resource("process:host-1/x", service), Map.of(), "key-x"));

            assertThat(result.success()).as(service).isFalse();
            assertThat(result.detail()).contains("[a-z0-9._-]");
        }
        assertThat(control.restarts).isEmpty();
    }

    @Test
    void restart_controlFails_propagates() {
        control.failWith("no such unit");

        assertThatThrownBy(() -> executor.execute(new ActionRequest(ProcessExecutor.RESTART,
                Commands.resource(CHECKOUT, "checkout"), Map.of(), "key-1")))
                .hasMessage("no such unit");
    }

    @Test
    void removeFiles_insideAllowlist_deletesMatchingRegularFilesOnly_nonRecursive() throws Exception {
        file(root, "app.log.1", 100);
        file(root, "app.log.2", 50);
        Path kept = file(root, "app.log", 10);
        Path nested = Files.createDirectories(root.resolve("archive.log.3"));
        Path nestedFile = file(nested, "deep.log.4", 5);

        ActionResult result = removeFiles(Map.of("directory", root.toString(), "pattern", "*.log.*"));

        assertThat(result.success()).isTrue();
        assertThat(result.attributes()).containsEntry("filesRemoved", "2").containsEntry("bytesFreed", "150")
                .containsEntry("filesSkipped", "1");
        assertThat(root.resolve("app.log.1")).doesNotExist();
        assertThat(root.resolve("app.log.2")).doesNotExist();
        assertThat(kept).exists();
        assertThat(nested).isDirectory();
        assertThat(nestedFile).exists();
    }

    @Test
    void removeFiles_secondRun_isIdempotent() throws Exception {
        file(root, "a.tmp", 7);
        removeFiles(Map.of("directory", root.toString(), "pattern", "*.tmp"));

        ActionResult again = removeFiles(Map.of("directory", root.toString(), "pattern", "*.tmp"));

        assertThat(again.success()).isTrue();
        assertThat(again.attributes()).containsEntry("filesRemoved", "0");
    }

    @Test
    void removeFiles_olderThan_keepsRecentFiles() throws Exception {
        Path old = file(root, "old.tmp", 1);
        Path recent = file(root, "recent.tmp", 1);
        Files.setLastModifiedTime(recent, FileTime.from(T0.minus(Duration.ofMinutes(5))));

        ActionResult result = removeFiles(Map.of("directory", root.toString(), "pattern", "*.tmp", "older-than", "1h"));

        assertThat(result.success()).isTrue();
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void removeFiles_inAllowedRootItself_allowed_rootNeverDeleted() throws Exception {
        Path allowedRoot = tmp.resolve("allowed");
        file(allowedRoot, "x.tmp", 1);

        ActionResult result = removeFiles(Map.of("directory", allowedRoot.toString(), "pattern", "*"));

        assertThat(result.success()).isTrue();
        assertThat(allowedRoot).isDirectory();
        assertThat(root).isDirectory();
        assertThat(allowedRoot.resolve("x.tmp")).doesNotExist();
    }

    @Test
    void removeFiles_outsideAllowlist_refused_nothingDeleted() throws Exception {
        Path victim = file(outside, "data.tmp", 1);

        ActionResult result = removeFiles(Map.of("directory", outside.toString(), "pattern", "*.tmp"));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("outside the allowed directories");
        assertThat(victim).exists();
    }

    @Test
    void removeFiles_dotDotInDirectory_refused() throws Exception {
        Path victim = file(outside, "data.tmp", 1);
        String sneaky = root + "/../../outside";

        ActionResult result = removeFiles(Map.of("directory", sneaky, "pattern", "*.tmp"));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("'..'");
        assertThat(victim).exists();
    }

    @Test
    void removeFiles_symlinkedDirectoryEscapingRoot_refused() throws Exception {
        Path victim = file(outside, "data.tmp", 1);
        Path link = Files.createSymbolicLink(root.resolve("escape"), outside);

        ActionResult result = removeFiles(Map.of("directory", link.toString(), "pattern", "*.tmp"));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("outside the allowed directories");
        assertThat(victim).exists();
    }

    @Test
    void removeFiles_symlinkedFileInside_isNotFollowedNorDeleted() throws Exception {
        Path victim = file(outside, "data.tmp", 1);
        Path link = Files.createSymbolicLink(root.resolve("link.tmp"), victim);

        ActionResult result = removeFiles(Map.of("directory", root.toString(), "pattern", "*.tmp"));

        assertThat(result.success()).isTrue();
        assertThat(result.attributes()).containsEntry("filesRemoved", "0").containsEntry("filesSkipped", "1");
        assertThat(victim).exists();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void removeFiles_patternWithSlash_refused() throws Exception {
        Path victim = file(outside, "data.tmp", 1);

        ActionResult result = removeFiles(Map.of("directory", root.toString(), "pattern", "../outside/*.tmp"));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("file names only");
        assertThat(victim).exists();
    }

    @Test
    void removeFiles_relativeOrMissingParameters_refused() throws Exception {
        assertThat(removeFiles(Map.of("directory", "allowed/logs", "pattern", "*")).detail()).contains("absolute");
        assertThat(removeFiles(Map.of("pattern", "*")).detail()).contains("required");
        Map<String, String> badDuration = new HashMap<>(Map.of("directory", root.toString(), "pattern", "*"));
        badDuration.put("older-than", "soon");
        assertThat(removeFiles(badDuration).detail()).contains("older-than");
    }

    @Test
    void removeFiles_noAllowedDirectories_refusesEverything() throws Exception {
        ProcessExecutor locked = new ProcessExecutor(control, AllowedDirectories.none(), Clock.fixed(T0, ZoneOffset.UTC));
        Path victim = file(root, "a.tmp", 1);

        ActionResult result = locked.execute(new ActionRequest(ProcessExecutor.REMOVE_FILES,
                Commands.resource(CHECKOUT, "checkout"), Map.of("directory", root.toString(), "pattern", "*.tmp"), "k"));

        assertThat(result.success()).isFalse();
        assertThat(victim).exists();
    }

    @Test
    void allowedDirectories_missingOrFilesystemRoot_failsNamingIt() {
        assertThatThrownBy(() -> AllowedDirectories.of(List.of(tmp.resolve("nope"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> AllowedDirectories.of(List.of(Path.of("/"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filesystem root");
    }
}
