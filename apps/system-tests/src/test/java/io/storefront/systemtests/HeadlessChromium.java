package io.storefront.systemtests;

import io.storefront.local.stack.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket, with the JDK's own client): open
 * a page, run JavaScript in it, take a screenshot. One page (tab), one command at a time.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final ManagedProcess process;
    private final WebSocket page;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(ManagedProcess process, String pageWebSocket) {
        this.process = process;
        this.page = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageWebSocket), new Replies()).join();
    }

    static HeadlessChromium start(Path binary, Path workDir) throws IOException {
        Path profile = Files.createDirectories(workDir.resolve("profile"));
        ManagedProcess process = new ManagedProcess("chromium", List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=1280,2400", "about:blank"), workDir.resolve("chromium.log")).start();
        // Chromium writes the port it chose (first line) into the profile once DevTools listens.
        Path activePort = profile.resolve("DevToolsActivePort");
        process.awaitReady(() -> Files.isRegularFile(activePort) && lines(activePort).size() >= 2,
                Duration.ofSeconds(60));
        String list = "http://127.0.0.1:" + lines(activePort).get(0).trim() + "/json/list";
        String[] pageWebSocket = new String[1];
        process.awaitReady(() -> {
            for (JsonNode target : JsonMapper.builder().build().readTree(get(list))) {
                if ("page".equals(target.path("type").asString())) {
                    pageWebSocket[0] = target.path("webSocketDebuggerUrl").asString();
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(30));
        return new HeadlessChromium(process, pageWebSocket[0]);
    }

    void navigate(String url) {
        ObjectNode params = json.createObjectNode().put("url", url);
        JsonNode result = send("Page.navigate", params);
        if (result.hasNonNull("errorText")) {
            throw new AssertionError("Chromium could not open " + url + ": " + result.path("errorText").asString());
        }
    }

    /** The value of a JavaScript expression in the page (JSON-serializable values only). */
    JsonNode evaluate(String expression) {
        ObjectNode params = json.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("JavaScript failed: " + result.path("exceptionDetails") + "\n" + expression);
        }
        return result.path("result").path("value");
    }

    void screenshot(Path file) {
        ObjectNode params = json.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        byte[] png = Base64.getDecoder().decode(send("Page.captureScreenshot", params).path("data").asString());
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode command = json.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        page.sendText(json.writeValueAsString(command), true).join();
        try {
            JsonNode answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new AssertionError(method + " failed: " + answer.path("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method + " got no answer within " + COMMAND_TIMEOUT.toSeconds() + " s.\n"
                    + process.tail(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** Collects (possibly fragmented) messages and completes the command each reply answers; events are ignored. */
    private final class Replies implements WebSocket.Listener {

        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                JsonNode reply = json.readTree(message.toString());
                message.setLength(0);
                if (reply.has("id")) {
                    CompletableFuture<JsonNode> waiting = pending.get(reply.path("id").asInt());
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                }
            }
            socket.request(1);
            return null;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "[]";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        page.abort();
        process.stop(Duration.ofSeconds(10));
    }
}
