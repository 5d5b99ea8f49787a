package io.autonomic.enrich.threat;

import io.autonomic.enrich.CompactedTopicIO;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ThreatIndicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the compacted threat-intel topic hold exactly the given files' entries, file by file: for each published
 * file (identified by its {@code source}, the path as given) an entry for every indicator that is new or changed,
 * and a tombstone for every live indicator from that same source that the file no longer holds. Entries from other
 * sources (other files, feeds writing to the topic directly) are left alone, so block lists and the geo table can
 * be published independently. Unchanged entries are not rewritten; a file's {@code updatedAtMillis} is ignored when
 * comparing, so re-publishing an unchanged file sends nothing.
 */
public final class ThreatIntelPublisher {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ThreatIntelPublisher.class);

    private ThreatIntelPublisher() {
    }

    /** Counts of what a publish changed. */
    public record Summary(int added, int updated, int removed, int unchanged) {

        public int written() {
            return added + updated + removed;
        }

        @Override
        public String toString() {
            return "added " + added + ", updated " + updated + ", removed " + removed + ", unchanged " + unchanged;
        }
    }

    /**
     * Publishes the files' indicators, stamping new and changed ones with {@code nowMillis}.
     *
     * @throws IllegalArgumentException when two files share a source or the same key appears in two files
     * @throws IllegalStateException when the topic does not exist or Kafka cannot be read or written in time
     */
    public static Summary publish(String bootstrapServers, Topic<String, ThreatIndicator> topic,
            Collection<ThreatIntelFile> files, long nowMillis, Duration timeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(files, "files");
        Map<String, ThreatIndicator> declared = new TreeMap<>();
        Set<String> sources = files.stream().map(ThreatIntelFile::source).collect(Collectors.toSet());
        if (sources.size() != files.size()) {
            throw new IllegalArgumentException("the same file is given more than once");
        }
        for (ThreatIntelFile file : files) {
            for (ThreatIndicator indicator : file.indicators()) {
                ThreatIndicator previous = declared.put(indicator.getKey(), indicator);
                if (previous != null) {
                    throw new IllegalArgumentException("entry " + indicator.getKey() + " is in both "
                            + previous.getSource() + " and " + indicator.getSource());
                }
            }
        }
        Map<String, byte[]> live = CompactedTopicIO.readLive(bootstrapServers, topic, timeout);

        int added = 0;
        int updated = 0;
        int unchanged = 0;
        int removed = 0;
        List<ProducerRecord<String, ThreatIndicator>> writes = new ArrayList<>();
        for (Map.Entry<String, ThreatIndicator> entry : declared.entrySet()) {
            ThreatIndicator current = decodeOrNull(topic, live.get(entry.getKey()));
            if (current != null && sameContent(current, entry.getValue())) {
                unchanged++;
                continue;
            }
            if (current == null) {
                added++;
            } else {
                updated++;
            }
            ThreatIndicator stamped = ThreatIndicator.newBuilder(entry.getValue()).setUpdatedAtMillis(nowMillis).build();
            writes.add(new ProducerRecord<>(topic.name(), entry.getKey(), stamped));
        }
        for (Map.Entry<String, byte[]> entry : live.entrySet()) {
            if (declared.containsKey(entry.getKey())) {
                continue;
            }
            ThreatIndicator current = decodeOrNull(topic, entry.getValue());
            if (current != null && sources.contains(current.getSource())) {
                removed++;
                writes.add(new ProducerRecord<>(topic.name(), entry.getKey(), null));
            }
        }
        CompactedTopicIO.write(bootstrapServers, topic, writes, timeout);
        Summary summary = new Summary(added, updated, removed, unchanged);
        LOG.info("published threat intelligence from {} to {}: {}", sources, topic.name(), summary);
        return summary;
    }

    private static boolean sameContent(ThreatIndicator a, ThreatIndicator b) {
        return ThreatIndicator.newBuilder(a).setUpdatedAtMillis(0).build()
                .equals(ThreatIndicator.newBuilder(b).setUpdatedAtMillis(0).build());
    }

    private static ThreatIndicator decodeOrNull(Topic<String, ThreatIndicator> topic, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return topic.valueSerde().deserializer().deserialize(topic.name(), value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
