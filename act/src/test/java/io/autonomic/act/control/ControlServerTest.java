package io.autonomic.act.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.guard.Overrides;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control endpoint over real HTTP on loopback. */
class ControlServerTest {

    private final KillSwitch killSwitch = KillSwitch.released();
    private final List<String> resets = new CopyOnWriteArrayList<>();
    private final List<KillSwitch.Change> changes = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Overrides overrides = new Overrides();
    private final MutableClock clock = new MutableClock(Commands.T0);
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        killSwitch.onChange(changes::add);
        server = ControlServer.start(new InetSocketAddress("127.0.0.1", 0), killSwitch,
                (resourceId, reason) -> resets.add(resourceId + "|" + reason), () -> Map.of("executed", 3L), overrides,
                clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postKillSwitch_engagesImmediately_andReleases() throws Exception {
        HttpResponse<String> engaged = call("POST", "/kill-switch",
                "{\"enabled\":true,\"reason\":\"bad rule\",\"actor\":\"alice\"}");

        assertThat(engaged.statusCode()).isEqualTo(200);
        assertThat(engaged.body()).contains("\"enabled\":true");
        assertThat(killSwitch.isEngaged()).isTrue();
        assertThat(changes).containsExactly(new KillSwitch.Change(true, "alice", "bad rule"));

        assertThat(call("POST", "/kill-switch", "{\"enabled\":false}").statusCode()).isEqualTo(200);
        assertThat(killSwitch.isEngaged()).isFalse();
        assertThat(call("GET", "/kill-switch", null).body()).contains("\"enabled\":false");
    }

    @Test
    void postBreakerReset_decodesTheResourceId() throws Exception {
        HttpResponse<String> response = call("POST", "/breakers/process%3Ahost-1%2Fcheckout/reset",
                "{\"reason\":\"fixed the disk\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(resets).containsExactly("process:host-1/checkout|fixed the disk");
    }

    @Test
    void postOverrides_pausesTheResourceForTheDuration_zeroLifts() throws Exception {
        HttpResponse<String> response = call("POST", "/overrides",
                "{\"resourceId\":\"process:host-1/checkout\",\"duration\":\"PT2H\",\"actor\":\"bob\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("2025-03-01T12:00:00Z");
        assertThat(overrides.active("process:host-1/checkout", Commands.T0.plusSeconds(60)))
                .hasValueSatisfying(o -> assertThat(o.actor()).isEqualTo("bob"));

        call("POST", "/overrides", "{\"resourceId\":\"process:host-1/checkout\",\"duration\":\"PT0S\"}");
        assertThat(overrides.active("process:host-1/checkout", Commands.T0.plusSeconds(60))).isEmpty();
        assertThat(call("POST", "/overrides", "{\"resourceId\":\"x\",\"duration\":\"2h\"}").statusCode())
                .isEqualTo(400);
        assertThat(call("POST", "/overrides", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void badRequests_answered4xx_stateUnchanged() throws Exception {
        assertThat(call("POST", "/kill-switch", "{\"enabled\":\"yes\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/kill-switch", "not json").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/kill-switch", "x".repeat(ControlServer.MAX_BODY + 1)).statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/kill-switch", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/status", null).body()).contains("\"executed\":3");
        assertThat(killSwitch.isEngaged()).isFalse();
        assertThat(changes).isEmpty();
    }
}
