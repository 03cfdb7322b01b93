package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.Contact;
import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Name;
import io.storefront.contracts.Topics;
import io.storefront.local.commands.ConsistencyAudit;
import io.storefront.local.commands.SampleData;
import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import io.storefront.local.stack.StackFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Breaks the running storefront — real processes, real broker, MongoDB persisted to a file — and checks that
 * nothing accepted is lost, nothing is applied twice, and the services agree again afterwards. Figures (how long
 * convergence and answers took) are printed, not asserted: docs/reliability.md records them, and on a shared machine
 * a time is a measurement, not a property. The time limits below only stop a broken run from waiting forever.
 *
 * <p>The tests share one stack (starting it takes most of a minute) but not their data or their faults: each starts
 * with every process running and the services agreeing ({@link #everyProcessRunsAndTheServicesAgree()}), and each
 * burst works on customers of its own.
 */
class FaultToleranceTest {

    static final int LANES = 8;
    static final int CHANGES = 1000;
    /** The listener that applies accounts' customer events in orders (its id in orders, and its consumer group). */
    static final String ORDERS_CUSTOMER_LISTENER = "orders-customer-changes";
    static final String CUSTOMER = """
            {"name": {"title": "Ms.", "firstName": "FIRST_NAME", "lastName": "Burst"},
             "contact": {"primaryPhone": "555-000-1111", "email": "burst@example.com"},
             "addresses": [{"type": "SHIPPING", "description": "Home", "address1": "1 Burst Road",
                            "city": "Faultville", "state": "FT", "postalCode": "00001"}],
             "creditCards": []}
            """;

    static LocalStack stack;
    static StorefrontClient client;
    static String productId;
    static final JsonMapper JSON = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startStackWithDurableMongo() throws Exception {
        StackConfig fresh = TestStacks.freshConfig();
        StackConfig durable = new StackConfig(fresh.appsDir(), fresh.dataDir(), true, fresh.mongoPort(),
                fresh.kafkaPort(), fresh.services(), null, null, false, fresh.tracingUiPort());
        stack = LocalStack.start(durable, new Progress(System.out));
        client = StorefrontClient.local(stack.config());
        new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        productId = client.get(stack.config().service("orders").baseUrl() + "/products").get(0).path("id").asString();
    }

    /**
     * The known state every test starts from: MongoDB, Kafka and the three services run (a test that failed midway
     * may have left one stopped), and the services agree.
     */
    @BeforeEach
    void everyProcessRunsAndTheServicesAgree() {
        for (String name : List.of("mongodb", "kafka", "accounts", "orders", "fulfillment")) {
            if (!stack.process(name).isAlive()) {
                System.out.printf("Restarting %s, left stopped by an earlier test%n", name);
                stack.restart(name);
            }
        }
        Consistency.await(client, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killingEachServiceMidBurstLosesNothingAndConvergesAfterTheRestart() throws Exception {
        for (String service : List.of("accounts", "orders", "fulfillment")) {
            List<String> customers = createCustomers(LANES);
            CountDownLatch progress = new CountDownLatch(CHANGES * 3 / 10);
            CompletableFuture<Burst.Outcome> burst = startBurst(customers, progress);
            assertThat(progress.await(3, TimeUnit.MINUTES)).isTrue();
            stack.kill(service);
            long killedAt = System.nanoTime();
            double restart = stack.restart(service);
            Burst.Outcome outcome = burst.get(10, TimeUnit.MINUTES);
            long calmAt = System.nanoTime();
            // Must converge; how fast is a figure (a few seconds on two shared cores, docs/reliability.md).
            double converged = Consistency.await(client, Duration.ofSeconds(90));
            System.out.printf("FAULT kill -9 %s: %s; down %.1f s (restart %.1f s); consistent %.2f s after the burst "
                    + "and restart%n", service, outcome, (calmAt - killedAt) / 1e9, restart, converged);
            assertNothingLostOrDuplicated(outcome, customers);
        }
    }

    @Test
    void stoppingKafkaForTenSecondsMidBurstStillAcceptsWritesAndDeliversEverythingOnce() throws Exception {
        List<String> customers = createCustomers(LANES);
        CountDownLatch progress = new CountDownLatch(CHANGES * 3 / 10);
        CompletableFuture<Burst.Outcome> burst = startBurst(customers, progress);
        assertThat(progress.await(3, TimeUnit.MINUTES)).isTrue();
        stack.stop("kafka");
        Thread.sleep(10_000); // the fault itself: the broker stays away for ten seconds while the burst goes on
        double restart = stack.restart("kafka");
        Burst.Outcome outcome = burst.get(10, TimeUnit.MINUTES);
        double converged = Consistency.await(client, Duration.ofSeconds(120));
        System.out.printf("FAULT Kafka stopped 10 s: %s; broker restart %.1f s; consistent %.2f s after%n",
                outcome, restart, converged);
        assertThat(outcome.failed.get()).as("writes refused because Kafka was away").isZero();
        assertNothingLostOrDuplicated(outcome, customers);
    }

    @Test
    void whileMongoDbIsDownTheApiAnswers503QuicklyAndNoRecordIsSkipped() throws Exception {
        String customer = createCustomers(1).get(0);
        stack.stop("mongodb");
        long asked = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                        stack.config().service("accounts").baseUrl() + "/customers/" + customer))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(CUSTOMER.replace("FIRST_NAME", "DuringOutage"))).build(),
                HttpResponse.BodyHandlers.ofString());
        double answeredIn = (System.nanoTime() - asked) / 1e9;
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // "Quickly": the service gives up on MongoDB by itself, well before the client's 30 s timeout, instead of
        // holding the request. The limit is generous (about 2 s measured, docs/reliability.md; the figure is printed
        // below): a shared machine must not fail the build, a request held until the client gives up must.
        assertThat(answeredIn).isLessThan(15.0);
        // Readiness is the service's own state (docs/decisions/0011): it stays in the Service and answers 503 itself.
        assertThat(stack.isReady(stack.config().service("orders"))).as("readiness while MongoDB is down").isTrue();
        assertThat(stack.isUp(stack.config().service("orders"))).as("health while MongoDB is down").isFalse();

        // A customer change arriving now cannot be stored: the listener must retry it, not skip it.
        String arrivingDuringOutage = UUID.randomUUID().toString();
        double failedBefore = failedDeliveries(ORDERS_CUSTOMER_LISTENER);
        publishCustomer(arrivingDuringOutage, "ArrivedDuringOutage");
        try {
            // Evidence that orders received it while MongoDB was away and tried again: two failed deliveries.
            double failures = awaitFailedDeliveries(ORDERS_CUSTOMER_LISTENER, failedBefore + 2, Duration.ofSeconds(60));
            double restart = stack.restart("mongodb");
            long restartedAt = System.nanoTime();
            awaitView(arrivingDuringOutage, Duration.ofSeconds(60));
            System.out.printf("FAULT MongoDB stopped: PUT answered %d in %.2f s; orders' listener failed %.0f times"
                    + " on the record while MongoDB was away; server restart %.1f s; the record was applied %.2f s"
                    + " after the restart%n", answer.statusCode(), answeredIn, failures - failedBefore, restart,
                    (System.nanoTime() - restartedAt) / 1e9);
            assertThat(client.accountsSummary().toString()).doesNotContain("DuringOutage");
        } finally {
            // That customer never existed in accounts: delete it again so that the services agree.
            publishCustomerDeleted(arrivingDuringOutage);
        }
        Consistency.await(client, Duration.ofSeconds(30));
    }

    @Test
    void replayingEveryTopicFromTheStartChangesNothing() throws Exception {
        String ordersBefore = client.ordersSummary().toString();
        String fulfillmentBefore = client.fulfillmentSummary().toString();

        stack.stop("orders");
        stack.stop("fulfillment");
        // Each @KafkaListener id is its consumer group.
        Map<String, List<String>> groups = Map.of(
                ORDERS_CUSTOMER_LISTENER, List.of(Topics.CUSTOMER_CHANGES),
                "orders-fulfillment-changes", List.of(Topics.FULFILLMENT_CHANGES),
                "fulfillment-order-changes", List.of(Topics.ORDER_CHANGES));
        int replayed = resetToEarliest(groups);
        stack.restart("orders");
        stack.restart("fulfillment");
        awaitCaughtUp(List.copyOf(groups.keySet()), Duration.ofSeconds(120));

        System.out.printf("FAULT replay: %d records consumed again from the start of every topic; state unchanged%n",
                replayed);
        assertThat(replayed).as("records replayed").isPositive();
        assertThat(client.ordersSummary().toString()).isEqualTo(ordersBefore);
        assertThat(client.fulfillmentSummary().toString()).isEqualTo(fulfillmentBefore);
    }

    /** New customers on accounts, known to orders when this returns (a burst places orders for them). */
    private List<String> createCustomers(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int lane = 0; lane < count; lane++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create(stack.config().service("accounts").baseUrl() + "/customers"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CUSTOMER.replace("FIRST_NAME", "Lane" + lane))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            ids.add(JSON.readTree(created.body()).path("id").asString());
        }
        Consistency.await(client, Duration.ofSeconds(60));
        return ids;
    }

    private CompletableFuture<Burst.Outcome> startBurst(List<String> customers, CountDownLatch progress) {
        Burst burst = new Burst(stack.config(), customers, CUSTOMER, productId);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return burst.run(CHANGES, progress);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every accepted change is visible where it was accepted, and the audit shows no divergence or duplicate. */
    private void assertNothingLostOrDuplicated(Burst.Outcome outcome, List<String> customers) {
        Map<String, String> firstNames = new HashMap<>();
        client.accountsSummary().path("customers").forEach(c ->
                firstNames.put(c.path("id").asString(), c.path("name").path("firstName").asString()));
        for (String customer : customers) {
            assertThat(Burst.acceptableNames(outcome, customer)).as("accepted names of " + customer)
                    .contains(firstNames.get(customer));
        }
        Set<String> orderIds = new HashSet<>();
        Map<String, List<String>> histories = new HashMap<>();
        for (JsonNode view : client.ordersSummary().path("customers")) {
            for (JsonNode order : view.path("orders")) {
                orderIds.add(order.path("id").asString());
                histories.put(order.path("id").asString(), statuses(order.path("statusHistory")));
            }
        }
        assertThat(orderIds).as("accepted orders").containsAll(outcome.placedOrders);
        Map<String, List<String>> shipped = new HashMap<>();
        client.fulfillmentSummary().path("fulfillments").forEach(f ->
                shipped.put(f.path("orderId").asString(), statuses(f.path("statusHistory"))));
        outcome.acceptedStatuses.forEach((order, accepted) -> {
            assertThat(shipped.get(order)).as("fulfillment history of " + order).containsSubsequence(accepted);
            assertThat(histories.get(order)).as("order history of " + order).containsSubsequence(accepted);
        });
        histories.forEach((order, history) -> {
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i)).as("status applied twice in " + order + ": " + history)
                        .isNotEqualTo(history.get(i - 1));
            }
        });
        assertThat(ConsistencyAudit.audit(client).divergences()).isEmpty();
    }

    private void awaitView(String customerId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.ordersSummary().toString().contains(customerId)) {
                return;
            }
            ManagedProcess.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("orders never applied the customer event consumed during the outage");
    }

    /**
     * How often the listener's deliveries have failed so far, over all its consumers: spring-kafka's listener timer
     * ({@code spring_kafka_listener_seconds_count{name="<id>-<consumer>",result="failure"}}) on orders' management port.
     */
    private double failedDeliveries(String listenerId) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + stack.config().service("orders").managementPort() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines()
                .filter(line -> line.startsWith("spring_kafka_listener_seconds_count{"))
                .filter(line -> line.contains("name=\"" + listenerId + "-") && line.contains("result=\"failure\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Waits until the listener's failed deliveries reach {@code atLeast}; answers the count reached. */
    private double awaitFailedDeliveries(String listenerId, double atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double failed = failedDeliveries(listenerId);
        while (failed < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(listenerId + " failed " + failed + " times, not " + atLeast + ", within "
                        + timeout.toSeconds() + " s: the record was not received, or not retried");
            }
            ManagedProcess.sleep(Duration.ofMillis(100));
            failed = failedDeliveries(listenerId);
        }
        return failed;
    }

    /** A customer event as accounts would publish it, sent straight to the topic. */
    private void publishCustomer(String customerId, String firstName) throws Exception {
        send(new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_CHANGED, customerId, 1,
                Instant.parse("2026-01-01T00:00:00Z"), new CustomerEvent.Customer(
                        new Name("Mr.", firstName, null, "X", null), new Contact("555-000-2222", null, "x@example.com"),
                        List.of())));
    }

    private void publishCustomerDeleted(String customerId) throws Exception {
        send(new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_DELETED, customerId, 2,
                Instant.parse("2026-01-01T00:00:01Z"), null));
    }

    private void send(CustomerEvent event) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(event.topic(), event.aggregateId(), JSON.writeValueAsString(event))).get();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()));
    }

    /** Moves the groups' committed offsets back to the start of their topics; answers how many records that replays. */
    private int resetToEarliest(Map<String, List<String>> topicsByGroup) throws Exception {
        int replayed = 0;
        try (Admin admin = admin()) {
            for (var entry : topicsByGroup.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(entry.getKey())
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                for (var partition : committed.entrySet()) {
                    if (entry.getValue().contains(partition.getKey().topic())) {
                        replayed += (int) partition.getValue().offset();
                        start.put(partition.getKey(), new OffsetAndMetadata(0));
                    }
                }
                admin.alterConsumerGroupOffsets(entry.getKey(), start).all().get();
            }
        }
        return replayed;
    }

    /** Waits until each group's committed offsets reach the end of every partition it reads. */
    private void awaitCaughtUp(List<String> groups, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                boolean caughtUp = true;
                for (String group : groups) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                    for (var partition : committed.entrySet()) {
                        caughtUp &= partition.getValue().offset() >= ends.get(partition.getKey()).offset();
                    }
                }
                if (caughtUp) {
                    return;
                }
                ManagedProcess.sleep(Duration.ofMillis(200));
            }
        }
        throw new AssertionError("consumer groups did not catch up within " + timeout.toSeconds() + " s");
    }

    private static List<String> statuses(JsonNode history) {
        List<String> statuses = new ArrayList<>();
        history.forEach(entry -> statuses.add(entry.path("status").asString()));
        return statuses;
    }
}
