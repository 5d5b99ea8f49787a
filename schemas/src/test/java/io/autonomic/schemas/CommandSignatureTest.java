package io.autonomic.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TopologyContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSignatureTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdef");
    private static final CommandSignature SIGNER = CommandSignature.withKey(KEY);

    static RemediationCommand command(Map<String, String> parameters) {
        Resource target = Resource.newBuilder().setId("process:host-1/checkout").setKind(ResourceKind.HOST_PROCESS)
                .setService("checkout").setAttributes(Map.of("host.name", "host-1")).build();
        TopologyContext context = TopologyContext.newBuilder().setFound(true).setService("checkout").setOwner("team")
                .setTags(Map.of("team", "payments")).setDependencies(List.of()).setAutoRemediate(true).build();
        Incident incident = Incident.newBuilder().setIncidentId("inc-1").setStatus(IncidentStatus.OPEN)
                .setResource(target).setContext(context).setOpenedAtMillis(1_000L).setUpdatedAtMillis(1_000L)
                .setDiagnosis(Diagnosis.newBuilder().setIncidentType("http-5xx").setSummary("5xx").setConfidence(0.9)
                        .setRootCause(target.getId()).build())
                .setEvidence(List.of()).setPlaybook("restart-on-5xx").build();
        return RemediationCommand.newBuilder().setCommandId("cmd-1").setIdempotencyKey("key-1").setIncident(incident)
                .setPlaybook("restart-on-5xx").setAction("process.restart").setTarget(target)
                .setTargetContext(context).setParameters(parameters).setMode(ExecutionMode.EXECUTE)
                .setIssuedAtMillis(1_000L).setExpiresAtMillis(601_000L).build();
    }

    @Test
    void verify_signedCommand_passesAfterAvroRoundTrip() {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            parameters.put("p" + i, "v" + i);
        }
        RemediationCommand signed = SIGNER.signed(command(parameters));
        AvroSerde<RemediationCommand> serde = AvroSerde.of(RemediationCommand.class);
        RemediationCommand decoded = serde.deserializer().deserialize("t", serde.serializer().serialize("t", signed));

        assertThat(signed.getSignature()).startsWith(CommandSignature.PREFIX).hasSize(CommandSignature.PREFIX.length() + 64);
        assertThat(SIGNER.verify(decoded)).isTrue();
    }

    @Test
    void canonicalBytes_mapOrder_doesNotMatter() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("b", "2");
        backward.put("a", "1");

        assertThat(CommandSignature.canonicalBytes(command(forward)))
                .isEqualTo(CommandSignature.canonicalBytes(command(new HashMap<>(backward))));
    }

    @Test
    void verify_tamperedField_fails() {
        RemediationCommand signed = SIGNER.signed(command(Map.of("grace", "10s")));

        assertThat(SIGNER.verify(RemediationCommand.newBuilder(signed).setAction("process.remove-files").build())).isFalse();
        assertThat(SIGNER.verify(RemediationCommand.newBuilder(signed).setParameters(Map.of("grace", "0s")).build())).isFalse();
        assertThat(SIGNER.verify(RemediationCommand.newBuilder(signed).setIssuedAtMillis(2_000L).build())).isFalse();
    }

    @Test
    void verify_otherKeyOrMissingOrGarbledSignature_fails() {
        RemediationCommand signed = SIGNER.signed(command(Map.of()));
        CommandSignature other = CommandSignature.withKey("another-key-of-32-bytes-length!!".getBytes(StandardCharsets.UTF_8));

        assertThat(other.verify(signed)).isFalse();
        assertThat(SIGNER.verify(command(Map.of()))).isFalse();
        assertThat(SIGNER.verify(RemediationCommand.newBuilder(signed).setSignature(CommandSignature.PREFIX + "zz").build())).isFalse();
        assertThat(SIGNER.verify(RemediationCommand.newBuilder(signed).setSignature("md5:abc").build())).isFalse();
    }

    @Test
    void fromKeyFile_hexAndBase64_giveSameKey(@TempDir Path dir) throws Exception {
        Path hex = Files.writeString(dir.resolve("hex.key"), HexFormat.of().formatHex(KEY) + "\n");
        Path base64 = Files.writeString(dir.resolve("b64.key"), Base64.getEncoder().encodeToString(KEY));
        RemediationCommand signed = CommandSignature.fromKeyFile(hex).signed(command(Map.of()));

        assertThat(CommandSignature.fromKeyFile(base64).verify(signed)).isTrue();
    }

    @Test
    void fromKeyFile_shortOrUnreadableKey_failsNamingTheFileNotTheContent(@TempDir Path dir) throws Exception {
        Path shortKey = Files.writeString(dir.resolve("short.key"), "abcd");

        assertThatThrownBy(() -> CommandSignature.fromKeyFile(shortKey))
                .hasMessageContaining("short.key").hasMessageContaining("at least 16").hasMessageNotContaining("abcd");
        assertThatThrownBy(() -> CommandSignature.fromKeyFile(dir.resolve("missing.key")))
                .hasMessageContaining("missing.key");
        assertThatThrownBy(() -> CommandSignature.fromKeyFile(Files.writeString(dir.resolve("bad.key"), "%%%")))
                .hasMessageContaining("neither hex nor base64");
    }
}
