package io.storefront.systemtests;

import io.storefront.local.stack.FreePorts;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Debian's {@code prometheus} binary on 127.0.0.1 and a free port, its data in a folder of its own, read over its HTTP API. */
final class PrometheusServer implements AutoCloseable {

    private final ManagedProcess process;
    private final String base;
    private final Path config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private PrometheusServer(ManagedProcess process, int port, Path config) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
        this.config = config;
    }

    static PrometheusServer start(Path binary, StackConfig stack, Path workDir) throws IOException {
        int port = FreePorts.pair();
        Path config = LocalPrometheusConfig.write(stack, port, workDir.resolve("prometheus.yml"));
        Path storage = Files.createDirectories(workDir.resolve("data"));
        ManagedProcess process = new ManagedProcess("prometheus", List.of(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port), workDir.resolve("prometheus.log")).start();
        PrometheusServer server = new PrometheusServer(process, port, config);
        process.awaitReady(server::ready, Duration.ofSeconds(60));
        return server;
    }

    Path config() {
        return config;
    }

    String log() {
        return process.tail();
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The {@code data} of an API answer; fails with Prometheus' error for anything but success. */
    JsonNode api(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = json.readTree(response.body());
            if (!"success".equals(answer.path("status").asString())) {
                throw new AssertionError("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
                        + answer.path("errorType").asString() + ": " + answer.path("error").asString());
            }
            return answer.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The result of an instant query at the current time. */
    JsonNode query(String promql) {
        return api("/api/v1/query?query=" + encode(promql));
    }

    /** The number of series (or 1 for a scalar) an instant query returns. */
    int seriesCount(String promql) {
        JsonNode data = query(promql);
        return switch (data.path("resultType").asString()) {
            case "vector", "matrix" -> data.path("result").size();
            default -> 1;
        };
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
