package io.storefront.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.support.test.OpenApiDocument;
import io.storefront.support.test.StallWatch;
import io.storefront.support.test.StorefrontIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Management endpoints live on their own port and expose health, info and prometheus only. */
@StorefrontIntegrationTest
class OperationalEndpointsTest {

    @Autowired WebTestClient web;
    @LocalManagementPort int managementPort;

    @Test
    void theApplicationPortServesNoActuatorEndpoints() {
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
        web.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
    }

    @Test
    void theManagementPortServesHealthGroupsInfoAndPrometheusOnly() {
        // What is exposed is the point here, not how fast. These requests share a kept-alive connection, and twice in
        // CI one of them was never answered: StallWatch's picture (no thread busy, the server not reading) led to
        // Reactor Netty's keep-alive bug, now pinned by the test below. It stays, with 30 s per request, in case a
        // request ever stalls for another reason.
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        get(management, "/actuator/health/liveness").expectStatus().isOk();
        // Readiness is the service's own state; MongoDB and Kafka are reported by the full health endpoint.
        get(management, "/actuator/health/readiness").expectStatus().isOk()
                .expectBody().jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.mongo").doesNotExist()
                .jsonPath("$.components.kafka").doesNotExist();
        get(management, "/actuator/health").expectStatus().isOk()
                .expectBody().jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.kafka.status").isEqualTo("UP");
        get(management, "/actuator/info").expectStatus().isOk();
        for (String hidden : new String[] {"env", "beans", "heapdump", "loggers", "mappings", "configprops", "threaddump"}) {
            get(management, "/actuator/" + hidden).expectStatus().isNotFound();
        }
        String metrics = get(management, "/actuator/prometheus").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("storefront_outbox_pending_events", "application=\"accounts\"");
    }

    /**
     * Reactor Netty before 1.3.8 stopped reading a keep-alive connection when a request that had arrived while the
     * previous one was still being completed was itself answered synchronously (reactor/reactor-netty#4361): the
     * next request on that connection was never answered. A health check (asynchronous: it asks MongoDB and Kafka)
     * with a 404 sent right behind it, then one more request, reproduce it; clients that reuse connections
     * (Prometheus, an Istio sidecar, this module's own WebTestClient — the CI stall StallWatch caught on
     * /actuator/beans) could meet it at random.
     */
    @Test
    void aKeepAliveConnectionKeepsServingAfterARequestQueuedBehindASlowerOne() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", managementPort)) {
            socket.setSoTimeout(10_000);
            send(socket, "/actuator/health", "/actuator/env");
            assertThat(readResponseStatus(socket.getInputStream(), "/actuator/health")).isEqualTo(200);
            assertThat(readResponseStatus(socket.getInputStream(), "/actuator/env")).isEqualTo(404);
            send(socket, "/actuator/info");
            assertThat(readResponseStatus(socket.getInputStream(), "/actuator/info")).isEqualTo(200);
        }
    }

    private static void send(Socket socket, String... paths) throws IOException {
        StringBuilder requests = new StringBuilder();
        for (String path : paths) {
            requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads one HTTP/1.1 response with a Content-Length body (what these endpoints send) and returns its status. */
    private static int readResponseStatus(InputStream in, String path) throws IOException {
        String head;
        try {
            head = readHead(in);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response to GET " + path + " within 10 s on a kept-alive connection", e);
        }
        int length = head.lines().filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(line -> Integer.parseInt(line.substring(15).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("GET " + path + ": no Content-Length in\n" + head));
        in.readNBytes(length);
        return Integer.parseInt(head.substring(9, 12));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new AssertionError("connection closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(next);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static WebTestClient.ResponseSpec get(WebTestClient client, String path) {
        return StallWatch.call("GET " + path, Duration.ofSeconds(2), () -> client.get().uri(path).exchange());
    }

    @Test
    void openApiAndSwaggerUiAreServedUnderTheBasePath() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.servers[0].url").value(url -> assertThat((String) url).endsWith("/accounts"))
                .jsonPath("$.paths['/customers']").exists()
                .jsonPath("$.paths['/customers/sample'].post").exists()
                .jsonPath("$.components.schemas.CustomerRequest.description").isNotEmpty()
                .jsonPath("$.components.schemas.CreditCard.description").isNotEmpty();
        OpenApiDocument.assertEverySchemaDescribed(web, "/accounts");
        web.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        web.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }
}
