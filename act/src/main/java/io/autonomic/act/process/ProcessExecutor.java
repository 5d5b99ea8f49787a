package io.autonomic.act.process;

import io.autonomic.act.ActionExecutor;
import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import io.autonomic.schemas.Option;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actions on local processes and their files.
 *
 * <ul>
 *   <li>{@value #RESTART}: delegates to the {@link ProcessControl}.</li>
 *   <li>{@value #REMOVE_FILES}: parameters {@code directory} (absolute), {@code pattern} (a glob matched against
 *       file names, no {@code /}) and optional {@code older-than} (e.g. {@code 10m}). Deletes regular files
 *       directly inside the directory, never recursing, never following or deleting symlinks, and only when the
 *       directory's real path lies inside an {@link AllowedDirectories allowed root}. Running it again finds
 *       nothing left to delete, so it is idempotent.</li>
 * </ul>
 */
public final class ProcessExecutor implements ActionExecutor {

    public static final String RESTART = "process.restart";
    public static final String REMOVE_FILES = "process.remove-files";
    public static final String PARAM_DIRECTORY = "directory";
    public static final String PARAM_PATTERN = "pattern";
    public static final String PARAM_OLDER_THAN = "older-than";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessExecutor.class);

    private final ProcessControl processControl;
    private final AllowedDirectories allowedDirectories;
    private final Clock clock;

    public ProcessExecutor(ProcessControl processControl, AllowedDirectories allowedDirectories, Clock clock) {
        this.processControl = Objects.requireNonNull(processControl, "processControl");
        this.allowedDirectories = Objects.requireNonNull(allowedDirectories, "allowedDirectories");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Service names a restart accepts; anything else is refused before process control is called. */
    static final java.util.regex.Pattern SERVICE_NAME = java.util.regex.Pattern.compile("[a-z0-9._-]{1,100}");

    @Override
    public Set<String> actions() {
        return Set.of(RESTART, REMOVE_FILES);
    }

    @Override
    public ActionResult execute(ActionRequest request) throws Exception {
        return switch (request.action()) {
            case RESTART -> restart(request);
            case REMOVE_FILES -> removeFiles(request);
            default -> ActionResult.failure("process executor has no action '" + request.action() + "'");
        };
    }

    private ActionResult restart(ActionRequest request) throws Exception {
        String service = request.target().getService() != null ? request.target().getService()
                : request.target().getAttributes().get("service.name");
        if (service != null && !SERVICE_NAME.matcher(service).matches()) {
            // checked before any call: the name reaches process control and, through it, logs and argv lookups
            return ActionResult.failure("refusing to restart: service name of " + request.target().getId()
                    + " is not [a-z0-9._-]{1,100}");
        }
        processControl.restart(request.target());
        return ActionResult.success("restarted " + request.target().getId(),
                Map.of("resourceId", request.target().getId()));
    }

    private ActionResult removeFiles(ActionRequest request) throws IOException {
        String directoryParam = request.parameter(PARAM_DIRECTORY);
        String pattern = request.parameter(PARAM_PATTERN);
        if (directoryParam == null || pattern == null) {
            return refuse("parameters '" + PARAM_DIRECTORY + "' and '" + PARAM_PATTERN + "' are required");
        }
        if (pattern.contains("/") || pattern.contains("\\") || pattern.equals(".") || pattern.equals("..")) {
            return refuse("pattern '" + pattern + "' must match file names only (no '/', '\\', '.' or '..')");
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            return refuse("pattern '" + pattern + "' is not a valid glob: " + e.getDescription());
        }
        Duration olderThan = null;
        String olderThanParam = request.parameter(PARAM_OLDER_THAN);
        if (olderThanParam != null) {
            try {
                olderThan = Option.parseDuration(olderThanParam);
            } catch (RuntimeException e) {
                return refuse("parameter '" + PARAM_OLDER_THAN + "' is not a duration: '" + olderThanParam + "'");
            }
        }

        Path requested;
        try {
            requested = Path.of(directoryParam);
        } catch (InvalidPathException e) {
            return refuse("directory '" + directoryParam + "' is not a valid path");
        }
        if (!requested.isAbsolute()) {
            return refuse("directory '" + directoryParam + "' must be absolute");
        }
        for (Path element : requested) {
            if (element.toString().equals("..")) {
                return refuse("directory '" + directoryParam + "' must not contain '..'");
            }
        }
        Path directory;
        try {
            directory = requested.toRealPath();
        } catch (IOException e) {
            return refuse("directory '" + directoryParam + "' does not exist or cannot be read");
        }
        if (!Files.isDirectory(directory)) {
            return refuse("'" + directoryParam + "' is not a directory");
        }
        if (allowedDirectories.rootOf(directory).isEmpty()) {
            return refuse("directory '" + directoryParam + "' (real path " + directory
                    + ") is outside the allowed directories " + allowedDirectories.roots());
        }

        Instant cutoff = olderThan == null ? null : clock.instant().minus(olderThan);
        long removed = 0;
        long bytesFreed = 0;
        long skipped = 0;
        long failed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (!matcher.matches(entry.getFileName())) {
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                // symlinks, directories and devices are never touched: only what the pattern means, plain files
                if (!attributes.isRegularFile()
                        || (cutoff != null && !attributes.lastModifiedTime().toInstant().isBefore(cutoff))) {
                    skipped++;
                    continue;
                }
                try {
                    Files.delete(entry);
                    removed++;
                    bytesFreed += attributes.size();
                } catch (IOException e) {
                    failed++;
                    LOG.warn("cannot remove {}: {}", entry, e.toString());
                }
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("directory", directory.toString());
        facts.put("pattern", pattern);
        facts.put("filesRemoved", Long.toString(removed));
        facts.put("bytesFreed", Long.toString(bytesFreed));
        facts.put("filesSkipped", Long.toString(skipped));
        facts.put("filesFailed", Long.toString(failed));
        String summary = "removed " + removed + " file(s), " + bytesFreed + " bytes, matching '" + pattern + "' in "
                + directory;
        if (failed > 0) {
            return ActionResult.failure(summary + "; " + failed + " file(s) could not be removed", facts);
        }
        return ActionResult.success(summary, facts);
    }

    private static ActionResult refuse(String reason) {
        return ActionResult.failure("refused: " + reason, Map.of("refused", "true"));
    }
}
