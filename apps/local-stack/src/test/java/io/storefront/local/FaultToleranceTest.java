package io.storefront.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Breaks the running storefront — real processes, real broker, MongoDB persisted to a file — and checks that
 * nothing accepted is lost, nothing is applied twice, and the services agree again soon after. Figures are printed
 * (docs/reliability.md records them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {

    static final int LANES = 8;
    static final int CHANGES = 1000;
    static final Duration CONVERGENCE_LIMIT = Duration.ofSeconds(10);
    static final String CUSTOMER = """
            {"name": {"title": "Ms.", "firstName": "FIRST_NAME", "lastName": "Burst"},
             "contact": {"primaryPhone": "555-000-1111", "email": "burst@example.com"},
             "addresses": [{"type": "SHIPPING", "description": "Home", "address1": "1 Burst Road",
                            "city": "Faultville", "state": "FT", "postalCode": "00001"}],
             "creditCards": []}
            """;

    static LocalStack stack;
    static StorefrontClient client;
    static List<String> customers = new ArrayList<>();
    static String productId;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startStackWithDurableMongo() throws Exception {
        StackConfig fresh = TestStacks.freshConfig();
        StackConfig durable = new StackConfig(fresh.appsDir(), fresh.dataDir(), true, fresh.mongoPort(),
                fresh.kafkaPort(), fresh.services(), null, null, false);
        stack = LocalStack.start(durable, new Progress(System.out));
        client = StorefrontClient.local(stack.config());
        new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        HttpClient http = HttpClient.newHttpClient();
        for (int lane = 0; lane < LANES; lane++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create(stack.config().service("accounts").baseUrl() + "/customers"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CUSTOMER.replace("FIRST_NAME", "Lane" + lane))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            customers.add(tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body()).path("id").asString());
        }
        productId = client.get(stack.config().service("orders").baseUrl() + "/products").get(0).path("id").asString();
        awaitConsistent(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void killingEachServiceMidBurstLosesNothingAndConvergesSoonAfterTheRestart() throws Exception {
        for (String service : List.of("accounts", "orders", "fulfillment")) {
            CountDownLatch progress = new CountDownLatch(CHANGES * 3 / 10);
            CompletableFuture<Burst.Outcome> burst = startBurst(progress);
            assertThat(progress.await(3, TimeUnit.MINUTES)).isTrue();
            stack.kill(service);
            long killedAt = System.nanoTime();
            double restart = stack.restart(service);
            Burst.Outcome outcome = burst.get(10, TimeUnit.MINUTES);
            long calmAt = System.nanoTime();
            double converged = awaitConsistent(Duration.ofSeconds(90));
            System.out.printf("FAULT kill -9 %s: %s; down %.1f s (restart %.1f s); consistent %.2f s after the burst "
                    + "and restart%n", service, outcome, (calmAt - killedAt) / 1e9, restart, converged);
            assertNothingLostOrDuplicated(outcome);
            assertThat(converged).isLessThanOrEqualTo(CONVERGENCE_LIMIT.toSeconds());
        }
    }

    @Test
    @Order(2)
    void stoppingKafkaForTenSecondsMidBurstStillAcceptsWritesAndDeliversEverythingOnce() throws Exception {
        CountDownLatch progress = new CountDownLatch(CHANGES * 3 / 10);
        CompletableFuture<Burst.Outcome> burst = startBurst(progress);
        assertThat(progress.await(3, TimeUnit.MINUTES)).isTrue();
        stack.stop("kafka");
        Thread.sleep(10_000);
        double restart = stack.restart("kafka");
        Burst.Outcome outcome = burst.get(10, TimeUnit.MINUTES);
        double converged = awaitConsistent(Duration.ofSeconds(120));
        System.out.printf("FAULT Kafka stopped 10 s: %s; broker restart %.1f s; consistent %.2f s after%n",
                outcome, restart, converged);
        assertThat(outcome.failed.get()).as("writes refused because Kafka was away").isZero();
        assertNothingLostOrDuplicated(outcome);
    }

    @Test
    @Order(3)
    void whileMongoDbIsDownTheApiAnswers503QuicklyAndNoRecordIsSkipped() throws Exception {
        stack.stop("mongodb");
        long asked = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                        stack.config().service("accounts").baseUrl() + "/customers/" + customers.get(0)))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(CUSTOMER.replace("FIRST_NAME", "DuringOutage"))).build(),
                HttpResponse.BodyHandlers.ofString());
        double answeredIn = (System.nanoTime() - asked) / 1e9;
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answeredIn).isLessThan(5.0);
        assertThat(stack.isReady(stack.config().service("orders"))).as("readiness while MongoDB is down").isFalse();

        // A customer change arriving now cannot be stored: the listener must retry it, not skip it.
        String arrivingDuringOutage = UUID.randomUUID().toString();
        publishCustomer(arrivingDuringOutage, "ArrivedDuringOutage");
        Thread.sleep(3000);
        double restart = stack.restart("mongodb");
        long restartedAt = System.nanoTime();
        awaitView(arrivingDuringOutage, Duration.ofSeconds(60));
        System.out.printf("FAULT MongoDB stopped: PUT answered %d in %.2f s; server restart %.1f s; the record "
                + "consumed during the outage was applied %.2f s after the restart%n", answer.statusCode(), answeredIn,
                restart, (System.nanoTime() - restartedAt) / 1e9);
        assertThat(client.accountsSummary().toString()).doesNotContain("DuringOutage");
        // That customer never existed in accounts: delete it again so the services agree for the next test.
        publishCustomerDeleted(arrivingDuringOutage);
        awaitConsistent(Duration.ofSeconds(30));
    }

    @Test
    @Order(4)
    void replayingEveryTopicFromTheStartChangesNothing() throws Exception {
        awaitConsistent(Duration.ofSeconds(60));
        String ordersBefore = client.ordersSummary().toString();
        String fulfillmentBefore = client.fulfillmentSummary().toString();

        stack.stop("orders");
        stack.stop("fulfillment");
        // Each @KafkaListener id is its consumer group.
        Map<String, List<String>> groups = Map.of(
                "orders-customer-changes", List.of("accounts.customer.change"),
                "orders-fulfillment-changes", List.of("fulfillment.order.change"),
                "fulfillment-order-changes", List.of("orders.order.change"));
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

    private CompletableFuture<Burst.Outcome> startBurst(CountDownLatch progress) {
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
    private void assertNothingLostOrDuplicated(Burst.Outcome outcome) {
        Map<String, String> firstNames = new HashMap<>();
        client.accountsSummary().path("customers").forEach(c ->
                firstNames.put(c.path("id").asString(), c.path("name").path("firstName").asString()));
        for (String customer : customers) {
            assertThat(Burst.acceptableNames(outcome, customer)).as("accepted names of " + customer)
                    .contains(firstNames.get(customer));
        }
        Set<String> orderIds = new java.util.HashSet<>();
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

    /** Seconds until the audit is clean. */
    private static double awaitConsistent(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ConsistencyAudit.Report report = null;
        while (System.nanoTime() < deadline) {
            try {
                report = ConsistencyAudit.audit(client);
                if (report.consistent()) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (StackFailure e) {
                // a service is still coming up
            }
            ManagedProcess.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("not consistent within " + timeout.toSeconds() + " s: "
                + (report == null ? "no audit" : report.divergences()));
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

    private void publishCustomer(String customerId, String firstName) throws Exception {
        String event = """
                {"eventId":"%s","type":"CUSTOMER_CHANGED","customerId":"%s","version":1,
                 "occurredAt":"2026-01-01T00:00:00Z","customer":{"name":{"title":"Mr.","firstName":"%s","lastName":"X"},
                 "contact":{"primaryPhone":"555-000-2222","email":"x@example.com"},"addresses":[]}}
                """.formatted(UUID.randomUUID(), customerId, firstName);
        send(customerId, event);
    }

    private void publishCustomerDeleted(String customerId) throws Exception {
        send(customerId, """
                {"eventId":"%s","type":"CUSTOMER_DELETED","customerId":"%s","version":2,
                 "occurredAt":"2026-01-01T00:00:01Z","customer":null}
                """.formatted(UUID.randomUUID(), customerId));
    }

    private void send(String customerId, String event) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("accounts.customer.change", customerId, event)).get();
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
