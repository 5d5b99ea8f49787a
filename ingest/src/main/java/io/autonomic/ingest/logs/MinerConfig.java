package io.autonomic.ingest.logs;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The parameters of a {@link DrainMiner}: Drain's tree depth (counting the root and the length layer, as in the
 * paper: depth 4 routes on the first token), similarity threshold and maximum children per node, the cap on
 * templates, and the variable masks applied before tokenizing (each match becomes {@code <*>}).
 *
 * @param treeDepth at least 3
 * @param similarityThreshold share of equal constant tokens needed to join a template, in [0, 1]
 * @param maxChildren fan-out limit of a tree node before tokens share the {@code <*>} child
 * @param maxTemplates templates kept per miner; later unmatched messages count as {@link DrainMiner#OVERFLOW_ID}
 * @param masks variable patterns, applied in order
 * @param wildcardNumericTokens after masking, also turn every token that is a bare number (optionally signed,
 *     decimal, or followed by one punctuation mark such as {@code 11:}) into {@code <*>}
 */
public record MinerConfig(int treeDepth, double similarityThreshold, int maxChildren, int maxTemplates,
        List<Pattern> masks, boolean wildcardNumericTokens) implements Serializable {

    private static final Pattern NUMERIC_TOKEN = Pattern.compile("[-+]?\\d+(\\.\\d+)?[,;:.)]?");

    /**
     * Masks for obvious variables in production logs: UUIDs, IPv4 addresses (with port), hex numbers, absolute
     * paths, durations and sizes with units, and plain numbers. Order matters: wider shapes first, so an IP is
     * not cut into four numbers.
     */
    public static final List<Pattern> DEFAULT_MASKS = List.of(
            Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b"),
            Pattern.compile("(?<![\\w.])(\\d{1,3}\\.){3}\\d{1,3}(:\\d{1,5})?(?![\\w.])"),
            Pattern.compile("\\b0[xX][0-9a-fA-F]+\\b"),
            Pattern.compile("\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b"),
            Pattern.compile("(?<![\\w/])(/[\\w.@%+-]+){2,}/?"),
            Pattern.compile("(?<![\\w.-])[-+]?\\d+(\\.\\d+)?(ms|s|m|h|KB|MB|GB|B|%)?(?![\\w.])"));

    /** Drain's usual parameters (depth 4, threshold 0.5, 100 children) with {@link #DEFAULT_MASKS}. */
    public static final MinerConfig DEFAULT = new MinerConfig(4, 0.5, 100, 1_000, DEFAULT_MASKS, false);

    public MinerConfig {
        if (treeDepth < 3) {
            throw new IllegalArgumentException("treeDepth must be at least 3, was " + treeDepth);
        }
        if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
            throw new IllegalArgumentException("similarityThreshold must be in [0, 1], was " + similarityThreshold);
        }
        if (maxChildren < 2) {
            throw new IllegalArgumentException("maxChildren must be at least 2, was " + maxChildren);
        }
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("maxTemplates must be positive, was " + maxTemplates);
        }
        masks = List.copyOf(Objects.requireNonNull(masks, "masks"));
    }

    public MinerConfig withMaxTemplates(int max) {
        return new MinerConfig(treeDepth, similarityThreshold, maxChildren, max, masks, wildcardNumericTokens);
    }

    boolean isNumericToken(String token) {
        return NUMERIC_TOKEN.matcher(token).matches();
    }

    String mask(String message) {
        String masked = message;
        for (Pattern mask : masks) {
            masked = mask.matcher(masked).replaceAll(DrainMiner.WILDCARD);
        }
        return masked;
    }
}
