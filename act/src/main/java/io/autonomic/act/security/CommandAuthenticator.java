package io.autonomic.act.security;

import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.RemediationCommand;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a command really comes from detect, and only once: the first check the worker makes.
 * Without a key ({@link #unsigned}) nothing is checked. With one:
 * <ul>
 *   <li>unsigned: rejected when signatures are required (the default once a key is configured);</li>
 *   <li>forged: a signature that this key did not make over exactly this content;</li>
 *   <li>stale or from the future: {@code issuedAt} outside {@code now ± window};</li>
 *   <li>replayed: a command id seen before with different content, or a signature seen before on a different
 *       idempotency key. The very same record delivered again (a Kafka redelivery) is not a replay; the ledger
 *       deduplicates it.</li>
 * </ul>
 * What it has seen is remembered only for the window: anything older is refused as stale anyway, which bounds the
 * memory under a flood. Not thread-safe: the worker thread calls it.
 */
public final class CommandAuthenticator {

    /** Default tolerance of {@code issuedAt} around the worker's clock. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    /** Why a command was refused; {@code reason} is the dead-letter reason. */
    public record Rejection(String reason, String detail) {
    }

    private record Seen(String signature, String idempotencyKey, long issuedAtMillis) {
    }

    private final CommandSignature signature;
    private final boolean requireSignatures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Seen> byCommandId = new HashMap<>();
    private final Map<String, Seen> bySignature = new HashMap<>();
    private long lastEvictionMillis = Long.MIN_VALUE;

    private CommandAuthenticator(CommandSignature signature, boolean requireSignatures, Duration window, Clock clock) {
        this.signature = signature;
        this.requireSignatures = requireSignatures;
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (requireSignatures && signature == null) {
            throw new IllegalArgumentException("signatures cannot be required without a signing key");
        }
    }

    /** Verifies signatures with the key; unsigned commands are refused when {@code requireSignatures}. */
    public static CommandAuthenticator signed(CommandSignature signature, boolean requireSignatures, Duration window,
            Clock clock) {
        return new CommandAuthenticator(Objects.requireNonNull(signature, "signature"), requireSignatures, window,
                clock);
    }

    /**
     * No key configured: every command is accepted as it comes (the walking skeleton's behaviour, for local runs);
     * the worker warns and audits this at startup.
     */
    public static CommandAuthenticator unsigned() {
        return new CommandAuthenticator(null, false, DEFAULT_WINDOW, Clock.systemUTC());
    }

    /** Whether a key is configured (false: the worker accepts unsigned commands and says so at startup). */
    public boolean signing() {
        return signature != null;
    }

    public boolean requiresSignatures() {
        return requireSignatures;
    }

    public Duration window() {
        return window;
    }

    /** Empty when the command may proceed, else why it must be rejected. */
    public Optional<Rejection> check(RemediationCommand command) {
        if (signature == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        evictOlderThan(now - window.toMillis());
        String presented = command.getSignature();
        boolean hasSignature = presented != null && !presented.isBlank();
        if (!hasSignature && requireSignatures) {
            return reject("unsigned", "command " + command.getCommandId() + " carries no signature and this worker "
                    + "requires signed commands");
        }
        if (hasSignature && signature != null && !signature.verify(command)) {
            return reject("forged", "signature of command " + command.getCommandId()
                    + " does not match its content under the configured key");
        }
        long skew = command.getIssuedAtMillis() - now;
        if (Math.abs(skew) > window.toMillis()) {
            return reject("outside-window", "command " + command.getCommandId() + " issued at "
                    + Instant.ofEpochMilli(command.getIssuedAtMillis()) + ", " + (skew > 0 ? "ahead of" : "behind")
                    + " the worker's clock by " + Duration.ofMillis(Math.abs(skew)) + " (window " + window + ")");
        }
        String fingerprint = hasSignature ? presented : contentDigest(command);
        Seen earlier = byCommandId.get(command.getCommandId());
        if (earlier != null && !earlier.signature().equals(fingerprint)) {
            return reject("replayed", "command id " + command.getCommandId() + " was seen before with different content");
        }
        if (hasSignature) {
            Seen sameSignature = bySignature.get(presented);
            if (sameSignature != null && !sameSignature.idempotencyKey().equals(command.getIdempotencyKey())) {
                return reject("replayed", "signature of command " + command.getCommandId()
                        + " was seen before on idempotency key " + sameSignature.idempotencyKey());
            }
        }
        Seen seen = new Seen(fingerprint, command.getIdempotencyKey(), command.getIssuedAtMillis());
        byCommandId.putIfAbsent(command.getCommandId(), seen);
        if (hasSignature) {
            bySignature.putIfAbsent(presented, seen);
        }
        return Optional.empty();
    }

    /** How many commands are remembered for replay detection. */
    public int remembered() {
        return byCommandId.size();
    }

    private void evictOlderThan(long cutoffMillis) {
        // a full sweep at most once per second keeps a storm's cost linear
        if (lastEvictionMillis != Long.MIN_VALUE && cutoffMillis - lastEvictionMillis < 1_000) {
            return;
        }
        lastEvictionMillis = cutoffMillis;
        evict(byCommandId, cutoffMillis);
        evict(bySignature, cutoffMillis);
    }

    private static void evict(Map<String, Seen> seen, long cutoffMillis) {
        for (Iterator<Seen> iterator = seen.values().iterator(); iterator.hasNext(); ) {
            if (iterator.next().issuedAtMillis() < cutoffMillis) {
                iterator.remove();
            }
        }
    }

    private static String contentDigest(RemediationCommand command) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(CommandSignature.canonicalBytes(command)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
        }
    }

    private static Optional<Rejection> reject(String reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
