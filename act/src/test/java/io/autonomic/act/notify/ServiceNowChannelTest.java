package io.autonomic.act.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceNowChannelTest {

    private static final String SYS_ID = "9d385017c611228701d22104cc95c371";

    private RecordingHttpServer serviceNow;

    @BeforeEach
    void start() throws Exception {
        serviceNow = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        serviceNow.close();
    }

    @Test
    void lifecycle_createsUpdatesAndResolvesOneIncident() throws Exception {
        serviceNow.reply("POST", "/api/now/table/incident", 201,
                "{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010042\"}}");
        TicketStore store = TicketStore.inMemory();
        ServiceNowChannel channel = new ServiceNowChannel(serviceNow.uri(""), "autonomic", "pw-1",
                null, store, Duration.ofSeconds(5));

        String created = channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "restarting"));
        channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.ESCALATED, "verification failed"));
        String resolved = channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "healthy again"));

        assertThat(created).isEqualTo("created ServiceNow incident INC0010042");
        assertThat(resolved).isEqualTo("resolved ServiceNow incident " + SYS_ID);
        assertThat(serviceNow.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST /api/now/table/incident",
                "PATCH /api/now/table/incident/" + SYS_ID,
                "PATCH /api/now/table/incident/" + SYS_ID);
        assertThat(serviceNow.requests().get(0).authorization()).startsWith("Basic ");
        JsonNode create = serviceNow.requests().get(0).json();
        assertThat(create.get("short_description").asText()).isEqualTo("[Autonomic] opened: http-5xx on process:host-1/checkout");
        assertThat(create.get("correlation_id").asText()).isEqualTo(NotifyFixtures.INCIDENT);
        assertThat(create.get("urgency").asText()).isEqualTo("2");
        assertThat(serviceNow.requests().get(1).json().get("work_notes").asText()).isEqualTo("escalated: verification failed");
        JsonNode resolve = serviceNow.requests().get(2).json();
        assertThat(resolve.get("state").asText()).isEqualTo("6");
        assertThat(resolve.get("close_code").asText()).isEqualTo("Solved (Permanently)");
        assertThat(resolve.get("close_notes").asText()).isEqualTo("healthy again");
        assertThat(store.size()).isZero();
    }

    @Test
    void escalatedFirst_createsAnUrgentIncident() throws Exception {
        serviceNow.reply("POST", "/api/now/table/incident", 201,
                "{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010043\"}}");
        ServiceNowChannel channel = new ServiceNowChannel(serviceNow.uri(""), "autonomic", "pw-1",
                "Solution provided", TicketStore.inMemory(), Duration.ofSeconds(5));

        channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.ESCALATED, "breaker open"));

        assertThat(serviceNow.requests()).singleElement()
                .satisfies(request -> assertThat(request.json().get("urgency").asText()).isEqualTo("1"));
    }
}
