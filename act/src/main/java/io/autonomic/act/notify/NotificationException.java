package io.autonomic.act.notify;

import java.io.IOException;

/** A notification system answered with a non-2xx status, or with a body that lacks what was expected. */
public final class NotificationException extends IOException {

    private final int status;

    public NotificationException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when the failure is not an HTTP answer. */
    public int status() {
        return status;
    }
}
