package io.autonomic.models.release;

import io.autonomic.schemas.avro.ModelRelease;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

/**
 * The one way a trained model becomes a {@link ModelRelease} (for the models topic and the live jobs) and back, and
 * how a release is kept on disk. Every model family in this module (anomaly, failure forecast, exhaustion regression,
 * diagnosis) goes through here, so a version means the same thing everywhere: the first 12 hex digits of the SHA-256
 * of the serialized Tribuo model.
 *
 * <p>On disk, per model, in one directory: {@code <file>.model} (Tribuo protobuf, the payload), {@code
 * <file>.provenance.txt}, {@code <file>.signals} (feature order, one per line) and {@code <file>.release} (name,
 * family, version and {@code metadata.<key>} as {@code key=value} lines). {@code <file>} is the model name with
 * '/' replaced by '_'.
 */
public final class ModelReleases {

    public static final String FORMAT = "tribuo-protobuf";
    /** Lines of the {@code .release} file that carry the release's metadata: {@code metadata.<key>=<value>}. */
    static final String METADATA_PREFIX = "metadata.";

    private ModelReleases() {
    }

    /** The release of a trained Tribuo model. */
    public static ModelRelease of(String modelName, String family, Model<?> model, List<String> signals,
            long publishedAtMillis, Map<String, String> metadata) {
        byte[] payload = model.serialize().toByteArray();
        return ModelRelease.newBuilder()
                .setModelName(Objects.requireNonNull(modelName, "modelName"))
                .setFamily(Objects.requireNonNull(family, "family"))
                .setVersion(versionOf(payload))
                .setFormat(FORMAT)
                .setPayload(ByteBuffer.wrap(payload))
                .setSignals(List.copyOf(signals))
                .setProvenance(model.getProvenance().toString())
                .setPublishedAtMillis(publishedAtMillis)
                .setMetadata(Map.copyOf(metadata))
                .build();
    }

    /** The Tribuo model a release carries; fails naming the release when the payload is not one. */
    public static Model<?> tribuoModel(ModelRelease release) {
        if (!FORMAT.equals(release.getFormat())) {
            throw new IllegalArgumentException("model " + release.getModelName() + " has format "
                    + release.getFormat() + ", expected " + FORMAT);
        }
        try {
            return Model.deserialize(ModelProto.parseFrom(bytes(release.getPayload())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("model " + release.getModelName() + " version " + release.getVersion()
                    + " does not deserialize: " + e.getMessage(), e);
        }
    }

    public static String versionOf(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** File stem of a model name: '/' is not allowed in file names. */
    public static String fileStem(String modelName) {
        return modelName.replace('/', '_');
    }

    /** Writes the release into {@code directory} (see the class comment for the files). */
    public static void write(Path directory, ModelRelease release) throws IOException {
        Files.createDirectories(directory);
        String stem = fileStem(release.getModelName());
        Files.write(directory.resolve(stem + ".model"), bytes(release.getPayload()));
        Files.writeString(directory.resolve(stem + ".provenance.txt"), release.getProvenance() + "\n",
                StandardCharsets.UTF_8);
        Files.write(directory.resolve(stem + ".signals"), release.getSignals().stream().map(String::valueOf)
                .toList(), StandardCharsets.UTF_8);
        StringBuilder releaseFile = new StringBuilder("name=" + release.getModelName() + "\nfamily="
                + release.getFamily() + "\nversion=" + release.getVersion() + "\n");
        // metadata (e.g. a forecast's horizon and threshold) travels with the model: sorted for a stable file
        new java.util.TreeMap<>(release.getMetadata()).forEach((key, value) ->
                releaseFile.append(METADATA_PREFIX).append(key).append('=').append(value).append('\n'));
        Files.writeString(directory.resolve(stem + ".release"), releaseFile, StandardCharsets.UTF_8);
    }

    /** Reads what {@link #write} wrote for {@code modelName}; fails naming the missing file. */
    public static ModelRelease read(Path directory, String modelName, long publishedAtMillis) throws IOException {
        String stem = fileStem(modelName);
        Path releaseFile = directory.resolve(stem + ".release");
        String family = null;
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(releaseFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("family=")) {
                family = line.substring("family=".length()).trim();
            } else if (line.startsWith(METADATA_PREFIX) && line.indexOf('=') > 0) {
                metadata.put(line.substring(METADATA_PREFIX.length(), line.indexOf('=')),
                        line.substring(line.indexOf('=') + 1).trim());
            }
        }
        if (family == null) {
            throw new IOException(releaseFile + " names no family");
        }
        byte[] payload = Files.readAllBytes(directory.resolve(stem + ".model"));
        Path provenance = directory.resolve(stem + ".provenance.txt");
        return ModelRelease.newBuilder()
                .setModelName(modelName)
                .setFamily(family)
                .setVersion(versionOf(payload))
                .setFormat(FORMAT)
                .setPayload(ByteBuffer.wrap(payload))
                .setSignals(Files.readAllLines(directory.resolve(stem + ".signals"), StandardCharsets.UTF_8).stream()
                        .filter(s -> !s.isBlank()).toList())
                .setProvenance(Files.exists(provenance) ? Files.readString(provenance, StandardCharsets.UTF_8).strip()
                        : "")
                .setPublishedAtMillis(publishedAtMillis)
                .setMetadata(metadata)
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
