package io.storefront.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.storefront.contracts.Address;
import io.storefront.contracts.AddressType;
import io.storefront.contracts.Contact;
import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.Name;
import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.Product;
import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
class FulfillmentFlowTest {

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe statusChanges;
    String orderId;

    @BeforeEach
    void setUp() {
        mongo.remove(new Query(), Fulfillment.class).block();
        statusChanges = new TopicProbe(brokers, Topics.FULFILLMENT_CHANGES);
        orderId = UUID.randomUUID().toString();
    }

    @AfterEach
    void tearDown() {
        statusChanges.close();
    }

    @Test
    void aRequestCreatesOneRecordAndRepeatedOrOlderRequestsChangeNothing() {
        request(5);
        awaitStatus(OrderStatus.APPROVED);

        request(5);
        request(4);
        String marker = UUID.randomUUID().toString();
        publish(requestEvent(marker, 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> mongo.findById(marker, Fulfillment.class).block() != null);

        Fulfillment record = mongo.findById(orderId, Fulfillment.class).block();
        assertThat(record.version()).isEqualTo(1);
        assertThat(record.orderVersion()).isEqualTo(5);
        assertThat(mongo.count(new Query(), Fulfillment.class).block()).isEqualTo(2);
    }

    @Test
    void theShippingCycleEmitsOneEventPerStepWithIncreasingVersions() {
        request(1);
        awaitStatus(OrderStatus.APPROVED);

        for (String step : List.of("process", "ship", "in-transit", "receive")) {
            web.post().uri("/fulfillments/sample/{step}", step).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.changed").isEqualTo(1);
        }

        List<FulfillmentEvent> events = statusChanges.take(4, Duration.ofSeconds(10)).stream()
                .map(record -> json.readValue(record.value(), FulfillmentEvent.class)).toList();
        assertThat(events).extracting(FulfillmentEvent::status).containsExactly(OrderStatus.PROCESSING,
                OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.RECEIVED);
        assertThat(events).extracting(FulfillmentEvent::version).containsExactly(2L, 3L, 4L, 5L);
        assertThat(events).allSatisfy(event -> assertThat(event.orderId()).isEqualTo(orderId));
        web.get().uri("/fulfillments/{id}", orderId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("RECEIVED")
                .jsonPath("$.shippingMethod").isEqualTo(ShippingMethods.choose(orderId).name())
                .jsonPath("$.statusHistory.length()").isEqualTo(5);
    }

    @Test
    void aNewerRequestRestartsTheCycleOfAnExistingRecord() {
        request(1);
        awaitStatus(OrderStatus.APPROVED);
        changeStatus("PROCESSING").expectStatus().isOk();

        request(2);
        awaitStatus(OrderStatus.APPROVED);
        Fulfillment record = mongo.findById(orderId, Fulfillment.class).block();
        assertThat(record.statusHistory()).extracting(StatusEntry::status).containsExactly(OrderStatus.APPROVED);
        assertThat(record.version()).isEqualTo(3);
    }

    @Test
    void anIllegalMoveIsAConflictAndNeitherStoresNorPublishesAnything() {
        request(1);
        awaitStatus(OrderStatus.APPROVED);

        changeStatus("RECEIVED").expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("APPROVED"));

        assertThat(mongo.findById(orderId, Fulfillment.class).block().version()).isEqualTo(1);
        assertThat(statusChanges.drainFor(Duration.ofMillis(1500))).isEmpty();
    }

    @Test
    void theOpenApiDocumentDescribesEverySchema() {
        io.storefront.support.test.OpenApiDocument.assertEverySchemaDescribed(web, "/fulfillment");
    }

    @Test
    void unknownOrdersAndStatusesAreClientErrors() {
        web.post().uri("/fulfillments/{id}/status", "no-such-order").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\":\"PROCESSING\"}").exchange().expectStatus().isNotFound();
        web.post().uri("/fulfillments/{id}/status", "no-such-order").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\":\"TELEPORTED\"}").exchange().expectStatus().isBadRequest();
        web.post().uri("/fulfillments/sample/{step}", "explode").exchange().expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec changeStatus(String status) {
        return web.post().uri("/fulfillments/{id}/status", orderId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\":\"" + status + "\"}").exchange();
    }

    private void request(long orderVersion) {
        publish(requestEvent(orderId, orderVersion));
    }

    private void publish(OrderEvent event) {
        statusChanges.send(event.topic(), event.aggregateId(), json.writeValueAsString(event));
    }

    private void awaitStatus(OrderStatus status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Fulfillment record = mongo.findById(orderId, Fulfillment.class).block();
            return record != null && record.status() == status
                    && record.statusHistory().get(record.statusHistory().size() - 1).status() == status;
        });
    }

    static OrderEvent requestEvent(String orderId, long version) {
        return new OrderEvent(UUID.randomUUID(), OrderEvent.Type.FULFILLMENT_REQUESTED, orderId, "customer-1", version,
                Instant.now(), new OrderEvent.Order(OrderStatus.APPROVED,
                List.of(new OrderItem(new Product("p-1", "Blue Widget", "Brilliant Blue Widget", new BigDecimal("1.99")), 1)),
                new Name("Ms.", "Ada", null, "Tester", null), new Contact("555-000-1111", null, "ada@example.com"),
                new Address(AddressType.SHIPPING, "Home", "1 Test Road", null, "Testville", "TS", "00001")));
    }
}
