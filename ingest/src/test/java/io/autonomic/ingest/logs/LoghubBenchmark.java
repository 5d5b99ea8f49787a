package io.autonomic.ingest.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LogPAI benchmark's per-system settings for Drain (log header format, variable regexes, similarity threshold,
 * tree depth), as published with the Loghub-2k data, and the grouping-accuracy measure of the Drain paper.
 * The header format only cuts the message Content out of a raw line; the regexes are the documented
 * per-system configuration that the benchmark allows every parser.
 */
final class LoghubBenchmark {

    /**
     * @param numericTokens our one addition to the LogPAI settings: {@link MinerConfig#wildcardNumericTokens()},
     *     on for the systems where it helps (HPC, OpenSSH); see docs/log-templates.md
     */
    record Setting(String logFormat, List<String> regexes, double threshold, int depth, boolean numericTokens) {
        Setting(String logFormat, List<String> regexes, double threshold, int depth) {
            this(logFormat, regexes, threshold, depth, false);
        }

        MinerConfig config() {
            return new MinerConfig(depth, threshold, 100, 100_000, regexes.stream().map(Pattern::compile).toList(),
                    numericTokens);
        }
    }

    static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("HDFS", new Setting("<Date> <Time> <Pid> <Level> <Component>: <Content>",
                List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?"), 0.5, 4));
        SETTINGS.put("Hadoop", new Setting("<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>",
                List.of("(\\d+\\.){3}\\d+"), 0.5, 4));
        SETTINGS.put("Spark", new Setting("<Date> <Time> <Level> <Component>: <Content>",
                List.of("(\\d+\\.){3}\\d+", "\\b[KGTM]?B\\b", "([\\w-]+\\.){2,}[\\w-]+"), 0.5, 4));
        SETTINGS.put("Zookeeper", new Setting("<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>",
                List.of("(/|)(\\d+\\.){3}\\d+(:\\d+)?"), 0.5, 4));
        SETTINGS.put("BGL", new Setting(
                "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
                List.of("core\\.\\d+"), 0.5, 4));
        SETTINGS.put("HPC", new Setting("<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
                List.of("=\\d+"), 0.5, 4, true));
        SETTINGS.put("Thunderbird", new Setting(
                "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>",
                List.of("(\\d+\\.){3}\\d+"), 0.5, 4));
        SETTINGS.put("Windows", new Setting("<Date> <Time>, <Level>                  <Component>    <Content>",
                List.of("0x.*?\\s"), 0.7, 5));
        SETTINGS.put("Linux", new Setting("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>",
                List.of("(\\d+\\.){3}\\d+", "\\d{2}:\\d{2}:\\d{2}"), 0.39, 6));
        SETTINGS.put("Android", new Setting("<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
                List.of("(/[\\w-]+)+", "([\\w-]+\\.){2,}[\\w-]+",
                        "\\b(\\-?\\+?\\d+)\\b|\\b0[Xx][a-fA-F\\d]+\\b|\\b[a-fA-F\\d]{4,}\\b"), 0.2, 6));
        SETTINGS.put("HealthApp", new Setting("<Time>\\|<Component>\\|<Pid>\\|<Content>", List.of(), 0.2, 4));
        SETTINGS.put("Apache", new Setting("\\[<Time>\\] \\[<Level>\\] <Content>",
                List.of("(\\d+\\.){3}\\d+"), 0.5, 4));
        SETTINGS.put("Proxifier", new Setting("\\[<Time>\\] <Program> - <Content>",
                List.of("<\\d+\\ssec", "([\\w-]+\\.)+[\\w-]+(:\\d+)?", "\\d{2}:\\d{2}(:\\d{2})*", "[KGTM]B"), 0.6, 3));
        SETTINGS.put("OpenSSH", new Setting("<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>",
                List.of("(\\d+\\.){3}\\d+", "([\\w-]+\\.){2,}[\\w-]+"), 0.6, 5, true));
        SETTINGS.put("OpenStack", new Setting(
                "<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>",
                List.of("((\\d+\\.){3}\\d+,?)+", "/.+?\\s", "\\d+"), 0.5, 5));
        SETTINGS.put("Mac", new Setting(
                "<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( \\(<Address>\\))?: <Content>",
                List.of("([\\w-]+\\.){2,}[\\w-]+"), 0.7, 6));
    }

    private LoghubBenchmark() {
    }

    /** The benchmark's header regex: literal parts with runs of spaces as {@code \s+}, fields as lazy groups. */
    static Pattern headerPattern(String logFormat) {
        Matcher field = Pattern.compile("<([^<>]+)>").matcher(logFormat);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        while (field.find()) {
            regex.append(logFormat.substring(last, field.start()).replaceAll(" +", "\\\\s+"));
            regex.append("(?<").append(field.group(1).replaceAll("[^A-Za-z0-9]", "")).append(">.*?)");
            last = field.end();
        }
        regex.append(logFormat.substring(last).replaceAll(" +", "\\\\s+")).append('$');
        return Pattern.compile(regex.toString());
    }

    /** Content of each raw line that matches the header format, by 1-based line number. */
    static Map<Integer, String> contents(Path rawLog, String logFormat) throws IOException {
        Pattern header = headerPattern(logFormat);
        Map<Integer, String> contents = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(rawLog, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = header.matcher(lines.get(i).strip());
            if (matcher.find()) {
                contents.put(i + 1, matcher.group("Content"));
            }
        }
        return contents;
    }

    /** EventId by LineId from {@code _structured.csv} (columns LineId first, EventId second to last). */
    static Map<Integer, String> groundTruth(Path structuredCsv) throws IOException {
        Map<Integer, String> truth = new HashMap<>();
        List<String> lines = Files.readAllLines(structuredCsv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = csvFields(line);
            truth.put(Integer.parseInt(fields.get(0)), fields.get(fields.size() - 2));
        }
        return truth;
    }

    private static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /**
     * Grouping accuracy: the share of messages whose mined group holds exactly the messages of their ground-truth
     * group. Messages are grouped by the template id returned when they were mined; Drain never merges templates,
     * so that id is also the one they end up under.
     */
    static double groupingAccuracy(Map<Integer, String> minedIdByLine, Map<Integer, String> truthByLine) {
        Map<String, Set<Integer>> mined = invert(minedIdByLine);
        Map<String, Set<Integer>> truth = invert(truthByLine);
        long correct = 0;
        for (Set<Integer> group : mined.values()) {
            Integer any = group.iterator().next();
            Set<Integer> truthGroup = truth.get(truthByLine.get(any));
            if (truthGroup != null && truthGroup.equals(group)) {
                correct += group.size();
            }
        }
        return (double) correct / truthByLine.size();
    }

    private static Map<String, Set<Integer>> invert(Map<Integer, String> byLine) {
        Map<String, Set<Integer>> groups = new HashMap<>();
        byLine.forEach((line, id) -> groups.computeIfAbsent(id, k -> new HashSet<>()).add(line));
        return groups;
    }

    /** Mines one system's lines with the benchmark settings; returns the accuracy. */
    static double accuracy(Path dataDir, String system) throws IOException {
        Setting setting = SETTINGS.get(system);
        Path dir = dataDir.resolve(system);
        Map<Integer, String> contents = contents(dir.resolve(system + "_2k.log"), setting.logFormat());
        Map<Integer, String> truth = groundTruth(dir.resolve(system + "_2k.log_structured.csv"));
        DrainMiner miner = new DrainMiner(setting.config());
        Map<Integer, String> mined = new HashMap<>();
        contents.forEach((line, content) -> mined.put(line, miner.add(content).templateId()));
        Map<Integer, String> scoredTruth = new HashMap<>();
        for (Integer line : truth.keySet()) {
            scoredTruth.put(line, truth.get(line));
            mined.putIfAbsent(line, "unparsed-" + line);
        }
        mined.keySet().retainAll(scoredTruth.keySet());
        return groupingAccuracy(mined, scoredTruth);
    }
}
