package io.autonomic.ingest.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Failure patterns recognized in single log lines. Crash loops are also inferred from repetition: see
 * {@link LogMinerFunction}, which tags a line {@link #CRASH_LOOP} when a service logs {@link #RESTART} lines
 * repeatedly within a short time.
 */
public final class LogPatterns {

    public static final String CRASH_LOOP = "crash-loop";
    public static final String OOM_KILLED = "oom-killed";
    public static final String RESTART = "restart";
    public static final String CONNECTION_POOL_EXHAUSTED = "connection-pool-exhausted";

    private static final Pattern CRASH_LOOP_LINE = Pattern.compile(
            "Back-off restarting failed container|CrashLoopBackOff", Pattern.CASE_INSENSITIVE);
    private static final Pattern OOM_LINE = Pattern.compile(
            "OOMKilled|Out of memory: Kill(ed)? process|java\\.lang\\.OutOfMemoryError|oom-kill(er)?\\b|"
                    + "Memory cgroup out of memory", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESTART_LINE = Pattern.compile(
            "\\bRestarting\\b|\\brestarted\\b|\\bStarted\\b.*\\b(in|application|service|container|process)\\b|"
                    + "\\bexited with (code|status)\\b|\\bprocess exited\\b|\\bContainer .* (died|exited)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern POOL_LINE = Pattern.compile(
            "Connection is not available, request timed out|too many connections|pool exhausted|"
                    + "Timeout waiting for idle object|Cannot get a connection, pool error|"
                    + "remaining connection slots are reserved", Pattern.CASE_INSENSITIVE);

    /**
     * Every pattern above needs one of these words (lowercase); most lines have none, and one lowercase scan is far
     * cheaper than four case-insensitive regex scans.
     */
    private static final String[] KEYWORDS = {"back-off", "crashloop", "oom", "out of memory", "outofmemory", "restart",
        "started", "exited", "died", "connection", "pool", "idle object"};

    private LogPatterns() {
    }

    /** The patterns one line shows on its own, in a fixed order. */
    public static List<String> recognize(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        boolean candidate = false;
        for (String keyword : KEYWORDS) {
            if (lower.contains(keyword)) {
                candidate = true;
                break;
            }
        }
        if (!candidate) {
            return new ArrayList<>(0);
        }
        List<String> patterns = new ArrayList<>(2);
        if (CRASH_LOOP_LINE.matcher(line).find()) {
            patterns.add(CRASH_LOOP);
        }
        if (OOM_LINE.matcher(line).find()) {
            patterns.add(OOM_KILLED);
        }
        if (RESTART_LINE.matcher(line).find() || patterns.contains(CRASH_LOOP)) {
            patterns.add(RESTART);
        }
        if (POOL_LINE.matcher(line).find()) {
            patterns.add(CONNECTION_POOL_EXHAUSTED);
        }
        return patterns;
    }
}
