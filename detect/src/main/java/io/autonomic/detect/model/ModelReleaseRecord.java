package io.autonomic.detect.model;

import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;

/**
 * One record of the models topic, read as every model operator must read it: keyed by model name, a tombstone
 * withdraws that name, any other value is a release of exactly that name. Either a withdrawal ({@code release} null),
 * a release, or a rejection with the dead-letter reason and its detail.
 */
record ModelReleaseRecord(String name, ModelRelease release, String rejection, String detail) {

    static ModelReleaseRecord read(KafkaRecord record, AvroSerde<ModelRelease> serde) {
        if (record.key == null) {
            return rejected(null, ResourceModelScoringFunction.MISSING_MODEL_KEY,
                    "model releases are keyed by model name");
        }
        String name = new String(record.key, StandardCharsets.UTF_8);
        if (record.value == null) {
            return new ModelReleaseRecord(name, null, null, null);
        }
        ModelRelease release;
        try {
            release = serde.decode(record.value);
        } catch (RuntimeException e) {
            return rejected(name, ResourceModelScoringFunction.UNDECODABLE_RELEASE, e.getMessage());
        }
        if (!name.equals(release.getModelName())) {
            // Compaction and tombstones act on the key: a model stored under another name could never be withdrawn.
            return rejected(name, ResourceModelScoringFunction.MODEL_KEY_MISMATCH, "key '" + name
                    + "' but release of model '" + release.getModelName() + "'");
        }
        return new ModelReleaseRecord(name, release, null, null);
    }

    private static ModelReleaseRecord rejected(String name, String reason, String detail) {
        return new ModelReleaseRecord(name, null, reason, detail);
    }

    boolean isRejected() {
        return rejection != null;
    }

    boolean isWithdrawal() {
        return rejection == null && release == null;
    }
}
