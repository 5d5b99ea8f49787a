package io.autonomic.ingest.cloud;

import java.util.Objects;

/** An event that cannot become points; {@link #reason()} becomes the dead letter's reason and a counter name. */
public final class CloudEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final String MALFORMED_JSON = "malformed-event-json";
    public static final String UNSUPPORTED_EVENT = "unsupported-event";
    public static final String MISSING_FIELD = "missing-event-field";

    private final String reason;

    public CloudEventException(String reason, String detail) {
        super(detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String reason() {
        return reason;
    }
}
