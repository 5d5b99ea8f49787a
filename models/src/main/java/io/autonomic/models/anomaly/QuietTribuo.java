package io.autonomic.models.anomaly;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tribuo logs through java.util.logging and libsvm prints its optimizer progress to stdout; both would flood a job's
 * or a CLI's output. Called before any training or loading.
 */
final class QuietTribuo {

    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");
    private static volatile boolean done;

    private QuietTribuo() {
    }

    static void apply() {
        if (!done) {
            TRIBUO.setLevel(Level.WARNING);
            libsvm.svm.svm_set_print_string_function(message -> { });
            done = true;
        }
    }
}
