package io.autonomic.models.forecast;

import io.autonomic.models.features.TrendFeatures;
import io.autonomic.schemas.avro.ModelRelease;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Checks shared by the forecast models when they come back from a {@link ModelRelease}. */
final class Releases {

    static final String HORIZON_SECONDS = "horizon.seconds";
    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

    private Releases() {
    }

    /** Tribuo logs every training through java.util.logging; a CLI or a job must not be flooded by it. */
    static void quietTribuo() {
        TRIBUO.setLevel(Level.WARNING);
    }

    /** Fails naming the release when it is not of {@code family} or was trained on other features. */
    static void check(ModelRelease release, String family) {
        if (!family.equals(release.getFamily())) {
            throw new IllegalArgumentException("model " + release.getModelName() + " is of family "
                    + release.getFamily() + ", expected " + family);
        }
        if (!TrendFeatures.NAMES.equals(release.getSignals())) {
            throw new IllegalArgumentException("model " + release.getModelName() + " version " + release.getVersion()
                    + " was trained on features " + release.getSignals() + ", this build computes "
                    + TrendFeatures.NAMES);
        }
    }

    static Duration horizon(ModelRelease release) {
        String text = release.getMetadata().get(HORIZON_SECONDS);
        try {
            long seconds = Long.parseLong(text);
            if (seconds <= 0) {
                throw new NumberFormatException("not positive");
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model " + release.getModelName() + " has no valid metadata "
                    + HORIZON_SECONDS + ": " + text, e);
        }
    }

    static double number(ModelRelease release, String key, double fallback) {
        String text = release.getMetadata().get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model " + release.getModelName() + " metadata " + key
                    + " is not a number: " + text, e);
        }
    }

    /** The same release published at another time: same payload, same version. */
    static ModelRelease republished(ModelRelease release, long publishedAtMillis) {
        return ModelRelease.newBuilder(release).setPayload(release.getPayload().duplicate())
                .setPublishedAtMillis(publishedAtMillis).build();
    }
}
