package io.autonomic.ingest.traces;

import io.autonomic.schemas.avro.Resource;
import java.util.Objects;

/**
 * One span reduced to what the RED aggregation needs. A {@link Role#SERVICE} sample is a server or consumer span of
 * {@code resource}'s service; an {@link Role#EDGE} sample is a client or producer span from {@code caller} (the
 * resource's service) to {@code callee}. A Flink POJO: public fields, no-argument constructor.
 */
public final class SpanSample {

    public enum Role { SERVICE, EDGE }

    public Role role;
    public Resource resource;
    public String caller;
    /** Empty for service samples. */
    public String callee;
    public String protocol;
    /** Span end time: a call counts in the window where it completed. */
    public long timestampMillis;
    public double durationMillis;
    public boolean error;
    /** Server spans: the client's address ({@code client.address} and older names); null when not recorded. */
    public String clientAddress;
    /** Server spans: the User-Agent as sent ({@code user_agent.original}); null when not recorded. */
    public String userAgent;

    public SpanSample() {
    }

    public SpanSample(Role role, Resource resource, String caller, String callee, String protocol, long timestampMillis,
            double durationMillis, boolean error) {
        this.role = role;
        this.resource = resource;
        this.caller = caller;
        this.callee = callee;
        this.protocol = protocol;
        this.timestampMillis = timestampMillis;
        this.durationMillis = durationMillis;
        this.error = error;
    }

    /** The RED aggregation key: per resource for services, per resource and callee for edges. */
    public String redKey() {
        return role == Role.SERVICE ? resource.getId() : resource.getId() + "|" + edgeKey();
    }

    /** {@code caller->callee}, the service-edges topic's key. */
    public String edgeKey() {
        return caller + "->" + callee;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpanSample s && role == s.role && Objects.equals(resource, s.resource)
                && Objects.equals(caller, s.caller) && Objects.equals(callee, s.callee)
                && Objects.equals(protocol, s.protocol) && timestampMillis == s.timestampMillis
                && durationMillis == s.durationMillis && error == s.error
                && Objects.equals(clientAddress, s.clientAddress) && Objects.equals(userAgent, s.userAgent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, resource, caller, callee, protocol, timestampMillis, durationMillis, error,
                clientAddress, userAgent);
    }

    @Override
    public String toString() {
        return role + " " + (role == Role.SERVICE ? caller : edgeKey()) + " @" + timestampMillis + " "
                + durationMillis + "ms" + (error ? " error" : "");
    }
}
