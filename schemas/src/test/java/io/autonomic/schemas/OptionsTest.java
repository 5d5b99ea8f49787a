package io.autonomic.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final Option<Duration> WINDOW = Option.duration("window", Duration.ofSeconds(30), "grouping window");
    private static final Option<Integer> COUNT = Option.integer("count", 3, "how many");

    @Test
    void parse_readsBothForms_andDefaults() {
        Options options = Options.parse(new String[] {"--window", "5m", "--topic.commands=prod.cmds"},
                List.of(WINDOW, COUNT), List.of("topic."));
        assertThat(options.get(WINDOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.get(COUNT)).isEqualTo(3);
        assertThat(options.withPrefix("topic.")).containsEntry("commands", "prod.cmds");
    }

    @Test
    void parse_unknownOption_namesIt() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--widnow", "5m"}, List.of(WINDOW, COUNT)))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--widnow");
    }

    @Test
    void parse_badValue_namesOptionAndExpectation() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--count=many"}, List.of(COUNT)))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--count")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> Options.parse(new String[] {"--window=soon"}, List.of(WINDOW)))
                .hasMessageContaining("--window")
                .hasMessageContaining("duration");
    }

    @Test
    void parseDuration_units() {
        assertThat(Option.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Option.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Option.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Option.parseDuration("PT10S")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void topics_overrides_unknownIdFails() {
        assertThat(Topics.withOverrides(java.util.Map.of("commands", "x.cmds")).commands().name()).isEqualTo("x.cmds");
        assertThatThrownBy(() -> Topics.withOverrides(java.util.Map.of("comands", "x")))
                .hasMessageContaining("comands");
    }
}
