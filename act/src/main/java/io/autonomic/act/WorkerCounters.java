package io.autonomic.act;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of the worker's decisions, readable from any thread. {@code executed} counts commands handed to
 * an executor, whatever the outcome; {@code failed} is the subset that failed.
 */
public final class WorkerCounters {

    final AtomicLong received = new AtomicLong();
    final AtomicLong executed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong blocked = new AtomicLong();
    final AtomicLong dryRuns = new AtomicLong();
    final AtomicLong awaitingApproval = new AtomicLong();
    final AtomicLong verified = new AtomicLong();
    final AtomicLong verificationFailed = new AtomicLong();
    final AtomicLong escalated = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    public long received() {
        return received.get();
    }

    public long executed() {
        return executed.get();
    }

    public long failed() {
        return failed.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long blocked() {
        return blocked.get();
    }

    public long dryRuns() {
        return dryRuns.get();
    }

    public long awaitingApproval() {
        return awaitingApproval.get();
    }

    public long verified() {
        return verified.get();
    }

    public long verificationFailed() {
        return verificationFailed.get();
    }

    public long escalated() {
        return escalated.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** Unexpected failures while handling a command (not executor failures). */
    public long errors() {
        return errors.get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("received", received());
        values.put("executed", executed());
        values.put("failed", failed());
        values.put("rejected", rejected());
        values.put("duplicates", duplicates());
        values.put("blocked", blocked());
        values.put("dryRuns", dryRuns());
        values.put("awaitingApproval", awaitingApproval());
        values.put("verified", verified());
        values.put("verificationFailed", verificationFailed());
        values.put("escalated", escalated());
        values.put("deadLetters", deadLetters());
        values.put("errors", errors());
        return values;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
