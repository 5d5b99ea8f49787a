package io.autonomic.ingest.logs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An online Drain log template miner (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree",
 * ICWS 2017), following the reference implementation of the LogPAI benchmark: messages are masked by the
 * configured variable patterns, split on whitespace, routed through a fixed-depth prefix tree (token count, then the
 * first {@code depth - 2} tokens, with tokens containing digits and overflowing fan-out routed to a {@code <*>}
 * child), and matched against the templates of the leaf by the share of equal constant tokens; a match at or above
 * the similarity threshold generalizes the template (differing positions become {@code <*>}), otherwise a new
 * template starts.
 *
 * <p>Not thread-safe: one miner per service, owned by one Flink subtask. The state is the template list only;
 * the tree is derived from it ({@link #toBytes}/{@link #fromBytes} round-trip exactly), because Drain never moves a
 * template once its leaf is chosen. A template's id is fixed when it is created (a hash of its first tokens and a
 * sequence number) and survives generalization, so ids stay stable for dashboards and counts.
 *
 * <p>The number of templates is capped: once full, a message that matches no template is reported under the
 * {@link #OVERFLOW_ID} template instead of growing the state without bound.
 */
public final class DrainMiner {

    public static final String WILDCARD = "<*>";
    public static final String OVERFLOW_ID = "overflow";
    private static final int FORMAT_VERSION = 1;

    private final MinerConfig config;
    private final List<Template> templates = new ArrayList<>();
    private final Node root = new Node();

    public DrainMiner(MinerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** What one message was mined into. */
    public record Match(String templateId, String template, List<String> parameters, boolean created,
            boolean changed) {
    }

    /** Mines one message: finds or creates its template, generalizing the template when needed. */
    public Match add(String message) {
        String[] tokens = tokenize(message);
        Template match = search(tokens);
        boolean created = false;
        boolean changed;
        if (match == null) {
            if (templates.size() >= config.maxTemplates()) {
                return new Match(OVERFLOW_ID, String.join(" ", tokens), List.of(), false, false);
            }
            match = new Template(templateId(tokens, templates.size()), tokens.clone());
            templates.add(match);
            insert(match);
            created = true;
            changed = true;
        } else {
            changed = generalize(match, tokens);
        }
        return new Match(match.id, String.join(" ", match.tokens), parameters(match.tokens, maskedOriginal(message)),
                created, changed);
    }

    /** The template a message would join, without changing anything; null when it would start a new one. */
    public String peekTemplateId(String message) {
        Template match = search(tokenize(message));
        return match == null ? null : match.id;
    }

    public int templateCount() {
        return templates.size();
    }

    /** Template ids and texts, in creation order. */
    public Map<String, String> templates() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Template template : templates) {
            result.put(template.id, String.join(" ", template.tokens));
        }
        return result;
    }

    public MinerConfig config() {
        return config;
    }

    String[] tokenize(String message) {
        String masked = config.mask(message).strip();
        String[] tokens = masked.isEmpty() ? new String[0] : masked.split("\\s+");
        if (config.wildcardNumericTokens()) {
            for (int i = 0; i < tokens.length; i++) {
                if (config.isNumericToken(tokens[i])) {
                    tokens[i] = WILDCARD;
                }
            }
        }
        return tokens;
    }

    /** The original message's tokens at the template's wildcard positions, when the token counts agree. */
    private static List<String> parameters(String[] template, String[] original) {
        if (original.length != template.length) {
            return List.of();
        }
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < template.length; i++) {
            if (WILDCARD.equals(template[i])) {
                parameters.add(original[i]);
            }
        }
        return parameters;
    }

    /**
     * The raw message split like the masked one, so that positions line up: a masked span that holds spaces
     * (e.g. a path with blanks) would shift them, which {@link #parameters} detects by the token count.
     */
    private String[] maskedOriginal(String message) {
        String stripped = message.strip();
        return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
    }

    private Template search(String[] tokens) {
        Node node = root.children.get(lengthKey(tokens.length));
        if (node == null) {
            return null;
        }
        int depth = 1;
        for (String token : tokens) {
            if (depth >= config.treeDepth() - 2) {
                break;
            }
            Node next = node.children.get(token);
            if (next == null) {
                next = node.children.get(WILDCARD);
            }
            if (next == null) {
                return null;
            }
            node = next;
            depth++;
        }
        return bestMatch(node.templates, tokens);
    }

    private Template bestMatch(List<Template> candidates, String[] tokens) {
        Template best = null;
        double bestSimilarity = -1;
        int bestWildcards = -1;
        for (Template candidate : candidates) {
            int equal = 0;
            int wildcards = 0;
            for (int i = 0; i < tokens.length; i++) {
                if (WILDCARD.equals(candidate.tokens[i])) {
                    wildcards++;
                } else if (candidate.tokens[i].equals(tokens[i])) {
                    equal++;
                }
            }
            double similarity = tokens.length == 0 ? 1.0 : (double) equal / tokens.length;
            if (similarity > bestSimilarity || (similarity == bestSimilarity && wildcards > bestWildcards)) {
                best = candidate;
                bestSimilarity = similarity;
                bestWildcards = wildcards;
            }
        }
        return best != null && bestSimilarity >= config.similarityThreshold() ? best : null;
    }

    /** Wildcards the positions where the message differs; true when the template changed. */
    private static boolean generalize(Template template, String[] tokens) {
        boolean changed = false;
        for (int i = 0; i < tokens.length; i++) {
            if (!template.tokens[i].equals(tokens[i])) {
                changed |= !WILDCARD.equals(template.tokens[i]);
                template.tokens[i] = WILDCARD;
            }
        }
        return changed;
    }

    /** Places a new template in the tree exactly as Drain's reference implementation does. */
    private void insert(Template template) {
        String[] tokens = template.tokens;
        Node node = root.children.computeIfAbsent(lengthKey(tokens.length), k -> new Node());
        int depth = 1;
        for (String token : tokens) {
            if (depth >= config.treeDepth() - 2 || depth > tokens.length) {
                break;
            }
            Node next = node.children.get(token);
            if (next == null) {
                if (!hasDigit(token)) {
                    if (node.children.containsKey(WILDCARD)) {
                        if (node.children.size() < config.maxChildren()) {
                            next = node.addChild(token);
                        } else {
                            next = node.children.get(WILDCARD);
                        }
                    } else if (node.children.size() + 1 < config.maxChildren()) {
                        next = node.addChild(token);
                    } else if (node.children.size() + 1 == config.maxChildren()) {
                        next = node.addChild(WILDCARD);
                    } else {
                        next = node.children.get(WILDCARD);
                    }
                } else {
                    next = node.children.get(WILDCARD);
                    if (next == null) {
                        next = node.addChild(WILDCARD);
                    }
                }
            }
            node = next;
            depth++;
        }
        node.templates.add(template);
    }

    private static String lengthKey(int length) {
        return "#" + length;
    }

    private static boolean hasDigit(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isDigit(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String templateId(String[] tokens, int sequence) {
        long hash = 1125899906842597L;
        for (String token : tokens) {
            for (int i = 0; i < token.length(); i++) {
                hash = 31 * hash + token.charAt(i);
            }
            hash = 31 * hash + ' ';
        }
        hash = 31 * hash + sequence;
        return String.format("%016x", hash);
    }

    /**
     * The compact state: format version, then each template's id and tokens, in creation order. Replaying the
     * templates through {@link #insert} rebuilds the same tree, since the tree only depends on the first tokens of
     * each template at its creation and those positions never generalize across the routing (a routing token
     * that differs lands in another leaf).
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT_VERSION);
            out.writeInt(templates.size());
            for (Template template : templates) {
                out.writeUTF(template.id);
                out.writeInt(template.tokens.length);
                for (String token : template.tokens) {
                    writeString(out, token);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A miner restored from {@link #toBytes}, with the given configuration. */
    public static DrainMiner fromBytes(MinerConfig config, byte[] state) {
        DrainMiner miner = new DrainMiner(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalStateException("unknown miner state version " + version);
            }
            int count = in.readInt();
            for (int t = 0; t < count; t++) {
                String id = in.readUTF();
                String[] tokens = new String[in.readInt()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = readString(in);
                }
                Template template = new Template(id, tokens);
                miner.templates.add(template);
                miner.insert(template);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return miner;
    }

    // writeUTF is limited to 64 KiB; a single log token can be longer (a base64 blob).
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static final class Template {
        final String id;
        final String[] tokens;

        Template(String id, String[] tokens) {
            this.id = id;
            this.tokens = tokens;
        }

        @Override
        public String toString() {
            return id + " " + Arrays.toString(tokens);
        }
    }

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        final List<Template> templates = new ArrayList<>(1);

        Node addChild(String token) {
            Node child = new Node();
            children.put(token, child);
            return child;
        }
    }
}
