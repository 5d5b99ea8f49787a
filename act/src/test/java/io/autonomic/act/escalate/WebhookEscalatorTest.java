package io.autonomic.act.escalate;

import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.RemediationCommand;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookEscalatorTest {

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI hook() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private static RemediationCommand command() {
        return Commands.restart("k1", T0).setParameters(Map.of("token", "s3cr3t")).build();
    }

    @Test
    void escalate_postsJsonWithIncidentResourceAndReason_withoutParameters() throws Exception {
        WebhookEscalator escalator = new WebhookEscalator(hook(), "w1", Clock.fixed(T0, ZoneOffset.UTC));

        escalator.escalate(command(), "not healthy within 2m");

        await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
        JsonNode body = new ObjectMapper().readTree(bodies.get(0));
        assertThat(body.get("incidentId").asText()).isEqualTo("inc-k1");
        assertThat(body.get("resourceId").asText()).isEqualTo(Commands.CHECKOUT);
        assertThat(body.get("reason").asText()).isEqualTo("not healthy within 2m");
        assertThat(body.get("worker").asText()).isEqualTo("w1");
        assertThat(body.get("atMillis").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(bodies.get(0)).doesNotContain("s3cr3t");
        assertThat(contentTypes).containsExactly("application/json");
        assertThat(escalator.failures()).isZero();
    }

    @Test
    void escalate_serverErrorOrUnreachable_countedNeverThrown() throws Exception {
        status = 500;
        WebhookEscalator failingServer = new WebhookEscalator(hook(), "w1", Clock.fixed(T0, ZoneOffset.UTC));
        failingServer.escalate(command(), "x");
        await().atMost(Duration.ofSeconds(10)).until(() -> failingServer.failures() == 1);

        int port = server.getAddress().getPort();
        server.stop(0);
        WebhookEscalator unreachable = new WebhookEscalator(URI.create("http://127.0.0.1:" + port + "/hook"), "w1",
                Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(2));
        assertThatCode(() -> unreachable.escalate(command(), "x")).doesNotThrowAnyException();
        await().atMost(Duration.ofSeconds(10)).until(() -> unreachable.failures() == 1);
    }

    @Test
    void constructor_nonHttpUrl_rejected() {
        assertThatThrownBy(() -> new WebhookEscalator(URI.create("file:///etc/passwd"), "w1", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)");
    }

    @Test
    void all_oneEscalatorFailing_othersStillNotified() {
        List<String> told = new CopyOnWriteArrayList<>();
        Escalator failing = (command, reason) -> {
            throw new IllegalStateException("boom");
        };

        Escalator.all(List.of(failing, (command, reason) -> told.add(reason))).escalate(command(), "breaker opened");

        assertThat(told).containsExactly("breaker opened");
    }
}
