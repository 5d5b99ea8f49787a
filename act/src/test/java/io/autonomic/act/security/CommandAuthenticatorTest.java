package io.autonomic.act.security;

import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandAuthenticatorTest {

    static final CommandSignature DETECT_KEY =
            CommandSignature.withKey("detect-and-worker-share-this-key".getBytes(StandardCharsets.UTF_8));
    private static final CommandSignature OTHER_KEY =
            CommandSignature.withKey("an-attacker-guessed-another-key!".getBytes(StandardCharsets.UTF_8));

    private final MutableClock clock = new MutableClock(T0);
    private final CommandAuthenticator authenticator =
            CommandAuthenticator.signed(DETECT_KEY, true, Duration.ofMinutes(15), clock);

    private static Optional<String> reason(Optional<CommandAuthenticator.Rejection> rejection) {
        return rejection.map(CommandAuthenticator.Rejection::reason);
    }

    @Test
    void check_validSignature_accepted_andSameRecordAgainAccepted() {
        RemediationCommand command = DETECT_KEY.signed(Commands.restart("k1", T0).build());

        assertThat(authenticator.check(command)).isEmpty();
        assertThat(authenticator.check(command)).isEmpty();
    }

    @Test
    void check_unsigned_rejectedWhenRequired_acceptedWhenNot() {
        RemediationCommand unsigned = Commands.restart("k1", T0).build();
        CommandAuthenticator lenient = CommandAuthenticator.signed(DETECT_KEY, false, Duration.ofMinutes(15), clock);

        assertThat(reason(authenticator.check(unsigned))).contains("unsigned");
        assertThat(lenient.check(unsigned)).isEmpty();
        assertThat(reason(lenient.check(OTHER_KEY.signed(Commands.restart("k2", T0).build())))).contains("forged");
    }

    @Test
    void check_otherKeyOrTamperedContent_forged() {
        RemediationCommand signed = DETECT_KEY.signed(Commands.restart("k1", T0).build());
        RemediationCommand tampered = RemediationCommand.newBuilder(signed)
                .setParameters(Map.of("directory", "/")).build();

        assertThat(reason(authenticator.check(OTHER_KEY.signed(Commands.restart("k2", T0).build())))).contains("forged");
        assertThat(reason(authenticator.check(tampered))).contains("forged");
    }

    @Test
    void check_sameCommandIdWithOtherSignedContent_replayed() {
        RemediationCommand first = DETECT_KEY.signed(Commands.restart("k1", T0).build());
        RemediationCommand sameIdOtherContent = DETECT_KEY.signed(Commands.restart("k1", T0.plusSeconds(5))
                .setCommandId(first.getCommandId()).build());

        assertThat(authenticator.check(first)).isEmpty();
        assertThat(reason(authenticator.check(sameIdOtherContent))).contains("replayed");
    }

    @Test
    void check_issuedOutsideWindow_rejectedBothWays() {
        RemediationCommand old = DETECT_KEY.signed(Commands.restart("old", T0.minus(Duration.ofMinutes(16))).build());
        RemediationCommand future = DETECT_KEY.signed(Commands.restart("future", T0.plus(Duration.ofMinutes(16))).build());
        RemediationCommand edge = DETECT_KEY.signed(Commands.restart("edge", T0.minus(Duration.ofMinutes(15))).build());

        assertThat(authenticator.check(old)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("outside-window");
            assertThat(r.detail()).contains("behind");
        });
        assertThat(reason(authenticator.check(future))).contains("outside-window");
        assertThat(authenticator.check(edge)).isEmpty();
    }

    @Test
    void check_memory_boundedByTheWindow() {
        for (int i = 0; i < 100; i++) {
            assertThat(authenticator.check(DETECT_KEY.signed(Commands.restart("k" + i, clock.instant()).build()))).isEmpty();
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(authenticator.remembered()).isLessThanOrEqualTo(17);
    }

    @Test
    void unsigned_acceptsEverything_andSaysSo() {
        CommandAuthenticator open = CommandAuthenticator.unsigned();

        assertThat(open.signing()).isFalse();
        assertThat(open.check(OTHER_KEY.signed(Commands.restart("k1", T0.minus(Duration.ofDays(1))).build()))).isEmpty();
    }

    @Test
    void signed_requiringWithoutKeyOrNonPositiveWindow_failsFast() {
        assertThatThrownBy(() -> CommandAuthenticator.signed(DETECT_KEY, true, Duration.ZERO, clock))
                .hasMessageContaining("window");
        assertThatThrownBy(() -> CommandAuthenticator.signed(null, true, Duration.ofMinutes(1), clock))
                .isInstanceOf(NullPointerException.class);
    }
}
