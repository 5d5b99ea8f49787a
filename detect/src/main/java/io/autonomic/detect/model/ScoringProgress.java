package io.autonomic.detect.model;

/**
 * Where one resource's scoring stands in event time: the newest reading time not yet scored ({@code pendingMillis})
 * and the snapshot time last scored ({@code scoredMillis}, {@link Long#MIN_VALUE} before the first). A Flink POJO.
 */
public class ScoringProgress {

    public long pendingMillis;
    public long scoredMillis = Long.MIN_VALUE;

    public ScoringProgress() {
    }

    public ScoringProgress(long pendingMillis, long scoredMillis) {
        this.pendingMillis = pendingMillis;
        this.scoredMillis = scoredMillis;
    }
}
