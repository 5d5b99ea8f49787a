package io.autonomic.ingest.traces;

/** One window's calls, failures and latencies for one RED key. A Flink POJO. */
public final class RedAccumulator {

    public long calls;
    public long errors;
    public LatencyHistogram latency = new LatencyHistogram();

    public void add(SpanSample sample) {
        calls++;
        if (sample.error) {
            errors++;
        }
        latency.add(sample.durationMillis);
    }
}
