package io.autonomic.ingest.traces;

import io.autonomic.schemas.avro.ServiceEdge;
import java.util.Objects;

/**
 * What the service-edges topic receives for one {@code caller->callee} key: the edge's latest window, or, when
 * {@code expired}, a tombstone (null value) that removes it from the compacted topic; {@code edge} then holds the
 * last state for logs and tests. A Flink POJO.
 */
public final class EdgeUpdate {

    public String key;
    public boolean expired;
    public ServiceEdge edge;

    public EdgeUpdate() {
    }

    public EdgeUpdate(String key, boolean expired, ServiceEdge edge) {
        this.key = key;
        this.expired = expired;
        this.edge = edge;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdgeUpdate u && expired == u.expired && Objects.equals(key, u.key) && Objects.equals(edge, u.edge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, expired, edge);
    }

    @Override
    public String toString() {
        return (expired ? "expired " : "") + key + " " + edge;
    }
}
