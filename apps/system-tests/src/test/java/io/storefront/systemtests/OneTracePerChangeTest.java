package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.FreePorts;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.Progress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack with its tracing UI: each change that crosses services is one trace in Zipkin, read back through
 * Zipkin's API. The HTTP request that makes a change carries a {@code traceparent} with a trace id of the test's own,
 * so the trace is found by that id: the request's server span in the writing service, the relay's publish span
 * under it, and the consuming service's apply span under the publish span.
 */
class OneTracePerChangeTest {

    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static LocalStack stack;
    static StorefrontClient client;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startStackWithTracingUi() throws Exception {
        stack = LocalStack.start(TestStacks.freshConfig().withTracingUi(FreePorts.pair()), new Progress(System.out));
        client = StorefrontClient.local(stack.config());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCustomerChangeAnOrderAndItsFulfillmentStatusAreEachOneTraceAcrossTheServices() throws Exception {
        String customerTrace = postInNewTrace("accounts", "/customers/sample");
        Consistency.await(client, Duration.ofSeconds(60));
        client.post("orders", "/customers/sample/orders");
        Consistency.await(client, Duration.ofSeconds(60));
        String orderTrace = postInNewTrace("orders", "/customers/sample/fulfill");
        Consistency.await(client, Duration.ofSeconds(60));
        String statusTrace = postInNewTrace("fulfillment", "/fulfillments/sample/process");
        Consistency.await(client, Duration.ofSeconds(60));

        awaitChain(customerTrace, "accounts", "accounts.customer.change", "orders");
        awaitChain(orderTrace, "orders", "orders.order.change", "fulfillment");
        awaitChain(statusTrace, "fulfillment", "fulfillment.order.change", "orders");
    }

    @Test
    void theStartupOutputNamesTheTracingUisAddress() {
        assertThat(stack.tracingUiUrl()).isEqualTo("http://127.0.0.1:" + stack.config().tracingUiPort() + "/zipkin/");
        assertThat(answer(stack.tracingUiUrl()).statusCode()).isEqualTo(200);
    }

    /** Posts with a {@code traceparent} of a new, sampled trace; answers the trace id. */
    private String postInNewTrace(String service, String path) throws Exception {
        String traceId = hex(16);
        String base = stack.config().service(service).baseUrl();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s%s: %s", base, path, response.body()).isBetween(200, 299);
        return traceId;
    }

    /**
     * Waits until Zipkin holds, in trace {@code traceId}, {@code writer}'s server span, the relay's publish span to
     * {@code topic} as its child, and {@code consumer}'s apply span of that topic as the publish span's child.
     */
    private void awaitChain(String traceId, String writer, String topic, String consumer) {
        long deadline = System.nanoTime() + EXPORT_TIMEOUT.toNanos();
        List<Span> spans = List.of();
        while (System.nanoTime() < deadline) {
            spans = trace(traceId);
            if (chain(spans, writer, topic, consumer).isPresent()) {
                return;
            }
            ManagedProcess.sleep(Duration.ofMillis(250));
        }
        throw new AssertionError("Trace " + traceId + " has no " + writer + " server span -> publish " + topic
                + " -> " + consumer + " apply chain after " + EXPORT_TIMEOUT.toSeconds() + " s. Its spans:\n"
                + spans.stream().map(Span::toString).collect(Collectors.joining("\n")));
    }

    /** The consumer's apply span at the end of the chain, if the trace has the whole chain. */
    private static Optional<Span> chain(List<Span> spans, String writer, String topic, String consumer) {
        for (Span server : spans) {
            if (!server.is(writer, "SERVER")) {
                continue;
            }
            for (Span publish : children(spans, server)) {
                if (publish.is(writer, "PRODUCER") && publish.name().equals("outbox publish " + topic)) {
                    Optional<Span> apply = children(spans, publish).stream()
                            .filter(s -> s.is(consumer, "CONSUMER") && s.name().equals("apply " + topic))
                            .findFirst();
                    if (apply.isPresent()) {
                        return apply;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Span> children(List<Span> spans, Span parent) {
        return spans.stream().filter(s -> parent.id().equals(s.parentId())).toList();
    }

    /** The trace's spans as Zipkin's API has them now (none while it does not know the trace). */
    private List<Span> trace(String traceId) {
        HttpResponse<String> response = answer("http://127.0.0.1:" + stack.config().tracingUiPort()
                + "/api/v2/trace/" + traceId);
        if (response.statusCode() != 200) {
            return List.of();
        }
        List<Span> spans = new ArrayList<>();
        for (JsonNode span : JSON.readTree(response.body())) {
            spans.add(new Span(span.path("traceId").asString(), span.path("id").asString(),
                    span.path("parentId").asString(null), span.path("localEndpoint").path("serviceName").asString(),
                    span.path("kind").asString(""), span.path("name").asString()));
        }
        return spans;
    }

    private HttpResponse<String> answer(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** One span as Zipkin's v2 API returns it (kind in Zipkin's words: SERVER, PRODUCER, CONSUMER, CLIENT). */
    record Span(String traceId, String id, String parentId, String service, String kind, String name) {

        boolean is(String serviceName, String spanKind) {
            return service.equals(serviceName) && kind.equals(spanKind);
        }

        @Override
        public String toString() {
            return service + " " + kind + " '" + name + "' id " + id + (parentId == null ? "" : " parent " + parentId);
        }
    }
}
