package io.autonomic.detect.config;

import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.nio.file.Path;

/**
 * The key detect signs remediation commands with ({@link CommandSignature}); the worker verifies them with the
 * same key ({@code --signing-key-file} there too). Without a key, commands leave unsigned and the worker, when it
 * has no key either, accepts them and records that it does.
 */
public final class CommandSigning {

    public static final Option<Path> SIGNING_KEY_FILE = Option.path("signing-key-file", null,
            "file holding the HMAC-SHA256 key (hex or base64, at least 16 bytes) remediation commands are signed "
                    + "with; the action worker must be given the same key");

    private CommandSigning() {
    }

    /** The key bytes named by {@link #SIGNING_KEY_FILE}, or null when the option is absent. */
    public static byte[] readKey(Options options) {
        Path file = options.get(SIGNING_KEY_FILE);
        if (file == null) {
            return null;
        }
        try {
            return CommandSignature.readKeyFile(file);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + SIGNING_KEY_FILE.name() + ": " + e.getMessage());
        }
    }
}
