package io.autonomic.detect.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesCsvTest {

    @TempDir
    Path dir;

    @Test
    void read_unixSecondsWithHeaderAndLabels_parsesEveryRow() throws Exception {
        Path file = Files.writeString(dir.resolve("s.csv"), "timestamp,value,label\n1469376000,0.5,0\n1469376300,,1\n");

        List<SeriesRow> rows = SeriesCsv.read(file);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).timestampMillis()).isEqualTo(1_469_376_000_000L);
        assertThat(rows.get(0).label()).isZero();
        assertThat(rows.get(1).value()).as("an empty value is a missing point").isNaN();
        assertThat(rows.get(1).label()).isEqualTo(1);
    }

    @Test
    void read_isoTimestampsWithoutHeaderOrLabels_areUnlabeled() throws Exception {
        Path file = Files.writeString(dir.resolve("s.csv"),
                "2026-01-01T00:00:00Z,1.5\n2026-01-01T01:00:00+01:00,2\n");

        List<SeriesRow> rows = SeriesCsv.read(file);

        assertThat(rows).extracting(SeriesRow::timestampMillis).containsExactly(1_767_225_600_000L,
                1_767_225_600_000L);
        assertThat(rows).noneMatch(SeriesRow::labeled);
    }

    @Test
    void read_badTimestamp_failsNamingFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), "timestamp,value\n1469376000,1\nyesterday,2\n");

        assertThatThrownBy(() -> SeriesCsv.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.csv:3").hasMessageContaining("yesterday");
    }
}
