package io.storefront.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.support.test.StorefrontIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * A kept-alive connection goes on being read after a request that queued behind a slower one was answered
 * synchronously. Reactor Netty 1.3.6 stops reading the connection in that case (reactor/reactor-netty#4361), so the
 * next request on it is never answered; the parent POM pins 1.3.8, which reads on (docs/decisions/0010). Any client that
 * reuses connections — Prometheus, an Istio sidecar, WebTestClient — can meet it. Raw HTTP/1.1 on one socket makes
 * the order of requests exact: a health check (asynchronous: it asks MongoDB and Kafka), a 404 (answered
 * synchronously) right behind it, then one more request.
 */
@StorefrontIntegrationTest
class KeepAliveRegressionTest {

    /** Far above a healthy answer (milliseconds): a miss means the connection is no longer read, not a slow machine. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    @LocalManagementPort int managementPort;

    @Test
    void aKeepAliveConnectionKeepsServingAfterARequestQueuedBehindASlowerOne() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", managementPort)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
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
            throw new AssertionError("no response to GET " + path + " within " + READ_TIMEOUT_MILLIS
                    + " ms on a kept-alive connection", e);
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
}
