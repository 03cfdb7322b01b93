package io.storefront.orders.order;

import static io.storefront.orders.OrdersTestEvents.customerChanged;
import static io.storefront.orders.OrdersTestEvents.statusChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.StorefrontEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

@StorefrontIntegrationTest
class OrderFlowTest {

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe orderChanges;
    String customerId;

    @BeforeEach
    void setUp() {
        mongo.remove(new Query(), CustomerOrders.class).block();
        orderChanges = new TopicProbe(brokers, Topics.ORDER_CHANGES);
        customerId = UUID.randomUUID().toString();
        publish(customerChanged(customerId, 1, "Ada"));
        await().atMost(Duration.ofSeconds(15)).until(() -> mongo.findById(customerId, CustomerOrders.class).block() != null);
    }

    @AfterEach
    void tearDown() {
        orderChanges.close();
    }

    @Test
    void anApprovedOrderIsSentForFulfillmentExactlyOnceWithItsShippingAddress() {
        String orderId = place();
        web.post().uri("/customers/{c}/orders/{o}/approve", customerId, orderId).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("APPROVED");

        web.post().uri("/customers/sample/fulfill").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.sent").isEqualTo(1);
        web.post().uri("/customers/sample/fulfill").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.sent").isEqualTo(0);

        List<OrderEvent> events = orderChanges.take(3, Duration.ofSeconds(10)).stream()
                .map(record -> json.readValue(record.value(), OrderEvent.class)).toList();
        assertThat(events).extracting(OrderEvent::type).containsExactly(OrderEvent.Type.ORDER_PLACED,
                OrderEvent.Type.ORDER_APPROVED, OrderEvent.Type.FULFILLMENT_REQUESTED);
        assertThat(events).extracting(OrderEvent::version).isSorted().doesNotHaveDuplicates();
        OrderEvent request = events.get(2);
        assertThat(request.orderId()).isEqualTo(orderId);
        assertThat(request.order().shippingAddress().city()).isEqualTo("Testville");
        assertThat(request.order().name().firstName()).isEqualTo("Ada");
        assertThat(orderChanges.drainFor(Duration.ofMillis(500))).isEmpty();

        // Sent for fulfillment: the order is fulfillment's now.
        web.post().uri("/customers/{c}/orders/{o}/cancel", customerId, orderId).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void fulfillmentStatusesAreAppendedInOrderAndOnlyOnce() {
        String orderId = place();
        web.post().uri("/customers/{c}/orders/{o}/approve", customerId, orderId).exchange().expectStatus().isOk();

        publish(statusChanged(orderId, customerId, 2, OrderStatus.PROCESSING));
        publish(statusChanged(orderId, customerId, 2, OrderStatus.PROCESSING));
        publish(statusChanged(orderId, customerId, 1, OrderStatus.APPROVED));
        publish(statusChanged(orderId, customerId, 3, OrderStatus.SHIPPED));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(history(orderId)).containsExactly(
                OrderStatus.CREATED, OrderStatus.APPROVED, OrderStatus.PROCESSING, OrderStatus.SHIPPED));
    }

    @Test
    void poisonOnTheFulfillmentTopicIsDeadLetteredAndLaterStatusesStillApplied() {
        String orderId = place();
        web.post().uri("/customers/{c}/orders/{o}/approve", customerId, orderId).exchange().expectStatus().isOk();
        try (TopicProbe deadLetters = new TopicProbe(brokers, Topics.deadLetterOf(Topics.FULFILLMENT_CHANGES))) {
            String noStatus = json.writeValueAsString(statusChanged(orderId, customerId, 2, OrderStatus.PROCESSING))
                    .replace("\"PROCESSING\"", "null");
            deadLetters.send(Topics.FULFILLMENT_CHANGES, orderId, noStatus);
            deadLetters.send(Topics.FULFILLMENT_CHANGES, orderId, "{\"eventId\": 42}");
            publish(statusChanged(orderId, customerId, 2, OrderStatus.PROCESSING));

            assertThat(deadLetters.take(2, Duration.ofSeconds(15))).hasSize(2);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(history(orderId))
                    .containsExactly(OrderStatus.CREATED, OrderStatus.APPROVED, OrderStatus.PROCESSING));
        }
    }

    @Test
    void illegalDecisionsAreRefusedWithAConflictAndChangeNothing() {
        String orderId = place();
        web.post().uri("/customers/{c}/orders/{o}/reject", customerId, orderId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"note\":\"Primary credit card expired\"}").exchange().expectStatus().isOk();

        web.post().uri("/customers/{c}/orders/{o}/approve", customerId, orderId).exchange()
                .expectStatus().isEqualTo(409);
        assertThat(history(orderId)).containsExactly(OrderStatus.CREATED, OrderStatus.REJECTED);
    }

    @Test
    void sampleOrdersGiveEveryCustomerTheSameFiveOrdersOnEveryRun() {
        for (int run = 0; run < 2; run++) {
            web.post().uri("/customers/sample/orders").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.customers").isEqualTo(1);
        }
        CustomerOrders view = mongo.findById(customerId, CustomerOrders.class).block();
        assertThat(view.orders()).hasSize(5);
        assertThat(view.orders()).extracting(Order::id)
                .containsExactly(SampleOrders.orderId(customerId, 1), SampleOrders.orderId(customerId, 2),
                        SampleOrders.orderId(customerId, 3), SampleOrders.orderId(customerId, 4),
                        SampleOrders.orderId(customerId, 5));
        assertThat(view.orders().get(4).status()).isEqualTo(OrderStatus.APPROVED);
    }

    @Test
    void sampleOrdersUseAllEightProducts() {
        var used = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> SampleOrders.forCustomer("customer-" + i, java.time.Instant.now()))
                .flatMap(List::stream).flatMap(order -> order.items().stream())
                .map(item -> item.product().id()).distinct().count();
        assertThat(used).isEqualTo(Catalog.PRODUCTS.size());
    }

    private List<OrderStatus> history(String orderId) {
        return mongo.findById(customerId, CustomerOrders.class).block().order(orderId).orElseThrow()
                .statusHistory().stream().map(StatusEntry::status).toList();
    }

    private String place() {
        return web.post().uri("/customers/{id}/orders", customerId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"items\":[{\"productId\":\"" + Catalog.PRODUCTS.get(3).id() + "\",\"quantity\":2}]}")
                .exchange().expectStatus().isCreated()
                .expectBody(OrderView.class).returnResult().getResponseBody().id();
    }

    private void publish(StorefrontEvent event) {
        orderChanges.send(event.topic(), event.aggregateId(), json.writeValueAsString(event));
    }
}
