package io.autonomic.detect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSigningTest {

    @TempDir
    Path dir;

    private static Options options(Map<String, String> values) {
        return Options.of(values, List.of(CommandSigning.SIGNING_KEY_FILE));
    }

    @Test
    void readKey_absentOption_null() {
        assertThat(CommandSigning.readKey(options(Map.of()))).isNull();
    }

    @Test
    void readKey_hexFile_bytes() throws Exception {
        Path file = Files.writeString(dir.resolve("detect.key"), "00112233445566778899aabbccddeeff\n");

        assertThat(CommandSigning.readKey(options(Map.of("signing-key-file", file.toString()))))
                .isEqualTo(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
    }

    @Test
    void readKey_missingOrShortFile_failsNamingTheOption() throws Exception {
        Path shortKey = Files.writeString(dir.resolve("short.key"), "beef");

        assertThatThrownBy(() -> CommandSigning.readKey(options(Map.of("signing-key-file", dir + "/none.key"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--signing-key-file");
        assertThatThrownBy(() -> CommandSigning.readKey(options(Map.of("signing-key-file", shortKey.toString()))))
                .isInstanceOf(OptionException.class).hasMessageContaining("at least 16").hasMessageNotContaining("beef");
    }
}
