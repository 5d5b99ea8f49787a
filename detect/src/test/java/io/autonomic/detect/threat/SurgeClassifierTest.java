package io.autonomic.detect.threat;

import static io.autonomic.detect.threat.SourceSurgeFunctionTest.clean;
import static io.autonomic.detect.threat.SourceSurgeFunctionTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SurgeClassifierTest {

    private static final long END = 1_767_225_610_000L;
    private final SurgeClassifier classifier = new SurgeClassifier(SourceSurgeSettings.DEFAULT);

    @Test
    void classify_fewCleanNetworksWithBrowserAgents_isStillADdos() {
        SourceWindow window = new SourceWindow();
        window.add(count("host-1", END, "192.0.2.0/24", "standard", 500, clean("192.0.2.0", "AS1", "US")));
        window.add(count("host-1", END, "198.51.100.0/24", "standard", 400, clean("198.51.100.0", "AS2", "US")));
        window.add(count("host-1", END, "10.0.0.0/24", "standard", 50, clean("10.0.0.0", "AS3", "DE")));
        window.add(count("host-1", END, SourceWindow.OTHER, "standard", 50, null));

        SurgeClassifier.Verdict verdict = classifier.classify(window);

        assertThat(verdict.ddos()).isTrue();
        assertThat(verdict.why()).contains("95% of requests from the top 3 network(s)");
        assertThat(verdict.topSources()).first().asString().startsWith("192.0.2.0/24 50% (AS1, US)");
    }

    @Test
    void classify_oneCountryOfBrowsers_isAFlashCrowd() {
        SourceWindow window = new SourceWindow();
        for (int n = 0; n < 100; n++) {
            window.add(count("host-1", END, "10.1." + n + ".0/24", "standard", 10,
                    clean("10.1." + n + ".0", "AS" + (100 + n % 20), "FR")));
        }

        SurgeClassifier.Verdict verdict = classifier.classify(window);

        assertThat(verdict.ddos()).isFalse();
        assertThat(verdict.topCountryShare()).isEqualTo(1.0);
        assertThat(verdict.why()).startsWith("spread over 100 named networks in 20 ASNs");
    }

    @Test
    void classify_oneCountryWithEmptyAgents_isADdos() {
        SourceWindow window = new SourceWindow();
        for (int n = 0; n < 100; n++) {
            window.add(count("host-1", END, "10.1." + n + ".0/24", n % 3 == 0 ? "empty" : "standard", 10,
                    clean("10.1." + n + ".0", "AS" + (100 + n % 20), "XX")));
        }

        SurgeClassifier.Verdict verdict = classifier.classify(window);

        assertThat(verdict.ddos()).isTrue();
        assertThat(verdict.why()).contains("from country XX with 34% non-standard user agents");
    }
}
