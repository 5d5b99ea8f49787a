package io.autonomic.detect.threat;

import java.io.Serializable;
import java.time.Duration;

/**
 * Thresholds of {@link SourceSurgeFunction}. {@link #DEFAULT} suits 10 s by-source windows.
 *
 * @param surgeFactor a window's request rate must reach this multiple of the baseline to be a surge
 * @param minRequestRate below this rate (requests/s) nothing is a surge, whatever the ratio: quiet services
 *     triple on noise
 * @param baselineAlpha weight of a new window in the EWMA baseline
 * @param warmupWindows windows seen before surges are judged
 * @param suspiciousReputation a source with this reputation or worse (or on a block list, or with a non-standard
 *     user agent) is suspicious
 * @param suspiciousShare share of the window's requests from suspicious sources that makes the surge a DDoS
 * @param concentratedShare share of the requests from the top three networks (or from one ASN or one country
 *     together with non-standard user agents) that makes the surge a DDoS
 * @param nonStandardAgentShare share of non-standard user agents that, with ASN or country concentration, makes
 *     the surge a DDoS
 * @param idleExpiry a service without by-source points for this long (event time) loses its baseline
 */
public record SourceSurgeSettings(double surgeFactor, double minRequestRate, double baselineAlpha, int warmupWindows,
        double suspiciousReputation, double suspiciousShare, double concentratedShare, double nonStandardAgentShare,
        Duration idleExpiry) implements Serializable {

    public static final SourceSurgeSettings DEFAULT = new SourceSurgeSettings(10.0, 5.0, 0.2, 3, 0.5, 0.5, 0.8, 0.2,
            Duration.ofHours(1));

    public SourceSurgeSettings {
        if (!(surgeFactor > 1.0)) {
            throw new IllegalArgumentException("surgeFactor must be above 1, was " + surgeFactor);
        }
        if (!(minRequestRate >= 0.0)) {
            throw new IllegalArgumentException("minRequestRate must not be negative, was " + minRequestRate);
        }
        if (!(baselineAlpha > 0.0 && baselineAlpha <= 1.0)) {
            throw new IllegalArgumentException("baselineAlpha must be in (0,1], was " + baselineAlpha);
        }
        if (warmupWindows < 1) {
            throw new IllegalArgumentException("warmupWindows must be positive, was " + warmupWindows);
        }
        for (double share : new double[] {suspiciousReputation, suspiciousShare, concentratedShare,
                nonStandardAgentShare}) {
            if (!(share > 0.0 && share <= 1.0)) {
                throw new IllegalArgumentException("reputation and share thresholds must be in (0,1], was " + share);
            }
        }
        if (idleExpiry.isZero() || idleExpiry.isNegative()) {
            throw new IllegalArgumentException("idleExpiry must be positive, was " + idleExpiry);
        }
    }

    /** The default thresholds with another surge factor. */
    public SourceSurgeSettings withSurgeFactor(double factor) {
        return new SourceSurgeSettings(factor, minRequestRate, baselineAlpha, warmupWindows, suspiciousReputation,
                suspiciousShare, concentratedShare, nonStandardAgentShare, idleExpiry);
    }
}
