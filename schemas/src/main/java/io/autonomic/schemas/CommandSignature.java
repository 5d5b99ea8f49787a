package io.autonomic.schemas;

import io.autonomic.schemas.avro.RemediationCommand;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * HMAC-SHA256 signatures of {@link RemediationCommand}s: detect signs what it issues, the worker verifies before
 * anything else, both through this one class so their canonical encodings can never drift apart.
 *
 * <p>The signed bytes are a canonical encoding of the whole command with {@code signature} null: fields in schema
 * order, maps sorted by key (Avro's own binary encoding writes maps in iteration order, which differs between a
 * producer's LinkedHashMap and a consumer's HashMap), every value tagged with its type. The signature text is
 * {@value #PREFIX} followed by the lowercase hex MAC.
 */
public final class CommandSignature {

    public static final String PREFIX = "hmac-sha256:";
    /** Shorter keys are refused: a 128-bit key is the least HMAC-SHA256 should be used with. */
    public static final int MIN_KEY_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private CommandSignature(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("signing key has " + key.length + " bytes; at least " + MIN_KEY_BYTES
                    + " are required");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** A signer/verifier for raw key bytes. */
    public static CommandSignature withKey(byte[] key) {
        return new CommandSignature(Objects.requireNonNull(key, "key"));
    }

    /**
     * Reads a key file: its trimmed content as hex (even length, only hex digits) or else as base64. The error
     * names the file but never echoes its content.
     */
    public static CommandSignature fromKeyFile(Path file) {
        return withKey(readKeyFile(file));
    }

    /**
     * The key bytes of a key file (hex or base64), checked for length, for callers that must ship the key rather
     * than a signer (a Flink function is serialized).
     */
    public static byte[] readKeyFile(Path file) {
        Objects.requireNonNull(file, "file");
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read signing key file " + file + ": " + e.getMessage());
        }
        try {
            byte[] key = parseKey(content);
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("signing key has " + key.length + " bytes; at least "
                        + MIN_KEY_BYTES + " are required");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signing key file " + file + ": " + e.getMessage());
        }
    }

    /** Decodes key text as hex or base64. */
    public static byte[] parseKey(String text) {
        String trimmed = Objects.requireNonNull(text, "text").strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("the key is empty");
        }
        if (trimmed.length() % 2 == 0 && trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(trimmed);
        }
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is neither hex nor base64");
        }
    }

    /** The signature of the command's content; an existing signature is ignored. */
    public String sign(RemediationCommand command) {
        return PREFIX + HexFormat.of().formatHex(mac(canonicalBytes(command)));
    }

    /** A copy of the command carrying its signature. */
    public RemediationCommand signed(RemediationCommand command) {
        return RemediationCommand.newBuilder(command).setSignature(sign(command)).build();
    }

    /** Whether the command carries a signature this key made over exactly this content (constant-time compare). */
    public boolean verify(RemediationCommand command) {
        String signature = command.getSignature();
        if (signature == null || !signature.startsWith(PREFIX)) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(signature.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, mac(canonicalBytes(command)));
    }

    private byte[] mac(byte[] content) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(content);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    /** The bytes that are signed: the command with {@code signature} null, canonically encoded. */
    public static byte[] canonicalBytes(RemediationCommand command) {
        RemediationCommand unsigned = RemediationCommand.newBuilder(command).setSignature(null).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, unsigned.getSchema(), unsigned);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Schema schema, Object value) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                out.writeByte('R');
                for (Schema.Field field : schema.getFields()) {
                    write(out, field.schema(), record.get(field.pos()));
                }
            }
            case UNION -> {
                int branch = GenericData.get().resolveUnion(schema, value);
                out.writeByte('U');
                out.writeInt(branch);
                write(out, schema.getTypes().get(branch), value);
            }
            case MAP -> {
                TreeMap<String, Object> sorted = new TreeMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    sorted.put(entry.getKey().toString(), entry.getValue());
                }
                out.writeByte('M');
                out.writeInt(sorted.size());
                for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                    writeString(out, entry.getKey());
                    write(out, schema.getValueType(), entry.getValue());
                }
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>((java.util.Collection<?>) value);
                out.writeByte('A');
                out.writeInt(items.size());
                for (Object item : items) {
                    write(out, schema.getElementType(), item);
                }
            }
            case ENUM -> {
                out.writeByte('E');
                writeString(out, value.toString());
            }
            case STRING -> {
                out.writeByte('S');
                writeString(out, value.toString());
            }
            case LONG -> {
                out.writeByte('L');
                out.writeLong((Long) value);
            }
            case INT -> {
                out.writeByte('I');
                out.writeInt((Integer) value);
            }
            case DOUBLE -> {
                out.writeByte('D');
                out.writeLong(Double.doubleToLongBits((Double) value));
            }
            case FLOAT -> {
                out.writeByte('F');
                out.writeInt(Float.floatToIntBits((Float) value));
            }
            case BOOLEAN -> {
                out.writeByte('B');
                out.writeBoolean((Boolean) value);
            }
            case NULL -> out.writeByte('N');
            case BYTES -> {
                java.nio.ByteBuffer buffer = ((java.nio.ByteBuffer) value).duplicate();
                byte[] raw = new byte[buffer.remaining()];
                buffer.get(raw);
                out.writeByte('Y');
                out.writeInt(raw.length);
                out.write(raw);
            }
            case FIXED -> {
                byte[] raw = ((GenericFixed) value).bytes();
                out.writeByte('X');
                out.writeInt(raw.length);
                out.write(raw);
            }
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
