package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.Topics;
import io.storefront.local.commands.SampleData;
import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.ClassDataSharing;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The three services as separate JVMs, against one Kafka broker and one MongoDB server, run the original's seven
 * steps twice: both runs end in the same, audited state.
 */
class StorefrontEndToEndTest {

    static LocalStack stack;
    static StorefrontClient client;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(TestStacks.freshConfig(), new Progress(System.out));
        client = StorefrontClient.local(stack.config());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void eachServiceRunsUnpackedWithItsClassDataSharingArchiveMapped() throws Exception {
        for (String service : List.of("accounts", "orders", "fulfillment")) {
            Path jar = stack.config().appsDir().resolve(service).resolve("target").resolve(service + ".jar");
            Path archive = ClassDataSharing.cacheDir(jar).resolve("app.jsa");
            assertThat(archive).as("archive of %s", service).isRegularFile();
            // The JVM maps the archive it uses; one it rejected (other JDK, changed class path) is not mapped.
            Path maps = Path.of("/proc", Long.toString(stack.process(service).pid()), "maps");
            Assumptions.assumeTrue(Files.isReadable(maps), "no /proc on this system");
            assertThat(Files.readString(maps)).as("memory map of %s", service).contains(archive.toRealPath().toString());
        }
    }

    @Test
    void theSevenStepsReachTheSameConsistentEndStateEveryTime() {
        SampleData.Result first = new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        EndState afterFirst = endState();
        SampleData.Result second = new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        EndState afterSecond = endState();

        assertThat(first.reachedEndState()).isTrue();
        assertThat(second.reachedEndState()).isTrue();
        assertThat(first.endState().divergences()).isEmpty();
        assertThat(second.endState().divergences()).isEmpty();
        assertThat(afterSecond).isEqualTo(afterFirst);

        assertThat(afterFirst.customerIds()).hasSize(3);
        assertThat(afterFirst.orderViews()).isEqualTo(3);
        assertThat(afterFirst.ordersPerView()).containsOnly(5);
        assertThat(afterFirst.pendingOrderHistories()).hasSize(3).allSatisfy(history -> assertThat(history)
                .containsExactly("CREATED", "APPROVED", "PROCESSING", "SHIPPED", "IN_TRANSIT", "RECEIVED"));
        assertThat(afterFirst.fulfillmentStatuses()).hasSize(3).containsOnly("RECEIVED");
        assertThat(afterFirst.shippingMethodsSet()).isTrue();
        System.out.printf("Seven steps: first run %.2f s, second run %.2f s%n", first.seconds(), second.seconds());
    }

    /** The sample customers' card numbers, as accounts stores them. */
    static final List<String> CARD_NUMBERS = List.of("1234-6789-0000-0000", "9999-8888-7777-6666",
            "4545-6767-8989-0000", "4545-5656-7878-9090");

    @Test
    void noCardNumberLeavesAccountsAndNoOperationalEndpointIsOnTheApiPorts() throws Exception {
        new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        List<String> seen = new ArrayList<>();
        seen.add(client.accountsSummary().toString());
        client.accountsSummary().path("customers").forEach(c -> seen.add(client.get(
                stack.config().service("accounts").baseUrl() + "/customers/" + c.path("id").asString()).toString()));
        seen.add(client.ordersSummary().toString());
        seen.add(client.fulfillmentSummary().toString());
        seen.addAll(allRecordValues());
        for (StackConfig.Service service : stack.config().services()) {
            seen.add(Files.readString(stack.config().dataDir().resolve("logs").resolve(service.name() + ".log")));
        }
        for (String text : seen) {
            String digitsOnly = text.replaceAll("[^0-9]", "");
            for (String card : CARD_NUMBERS) {
                assertThat(text).doesNotContain(card);
                assertThat(digitsOnly).doesNotContain(card.replace("-", ""));
            }
        }
        assertThat(client.accountsSummary().toString()).contains("************0000");

        HttpClient http = HttpClient.newHttpClient();
        for (StackConfig.Service service : stack.config().services()) {
            for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/env",
                    "/" + service.name() + "/actuator/health", "/" + service.name() + "/actuator/prometheus")) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.port() + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).as(service.name() + " application port " + path).isEqualTo(404);
            }
        }
    }

    /** Every record on every storefront topic, from the beginning. */
    private List<String> allRecordValues() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", stack.kafkaBootstrap());
        props.put("group.id", "card-scan-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class);
        props.put("value.deserializer", StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.CUSTOMER_CHANGES, Topics.ORDER_CHANGES, Topics.FULFILLMENT_CHANGES));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (values.isEmpty() || emptyPolls < 5)) {
                var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                records.forEach(r -> values.add(r.key() + " " + r.value()));
            }
        }
        assertThat(values).as("records on the storefront topics").isNotEmpty();
        return values;
    }

    /** What the issue fixes as the end state, read through the public APIs. */
    record EndState(Set<String> customerIds, int orderViews, List<Integer> ordersPerView,
                    List<List<String>> pendingOrderHistories, List<String> fulfillmentStatuses,
                    boolean shippingMethodsSet) {
    }

    private EndState endState() {
        Set<String> customers = new TreeSet<>();
        client.accountsSummary().path("customers").forEach(c -> customers.add(c.path("id").asString()));
        JsonNode views = client.ordersSummary().path("customers");
        List<Integer> ordersPerView = new ArrayList<>();
        List<List<String>> pending = new ArrayList<>();
        for (JsonNode view : views) {
            ordersPerView.add(view.path("orders").size());
            for (JsonNode order : view.path("orders")) {
                if (order.path("sentForFulfillment").asBoolean()) {
                    List<String> history = new ArrayList<>();
                    order.path("statusHistory").forEach(entry -> history.add(entry.path("status").asString()));
                    pending.add(history);
                }
            }
        }
        List<String> statuses = new ArrayList<>();
        boolean methods = true;
        for (JsonNode record : client.fulfillmentSummary().path("fulfillments")) {
            statuses.add(record.path("status").asString());
            methods &= record.hasNonNull("shippingMethod");
        }
        return new EndState(customers, views.size(), ordersPerView, pending, statuses, methods);
    }
}
