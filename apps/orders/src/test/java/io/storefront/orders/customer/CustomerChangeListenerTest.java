package io.storefront.orders.customer;

import static io.storefront.orders.OrdersTestEvents.customerChanged;
import static io.storefront.orders.OrdersTestEvents.customerDeleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.storefront.contracts.StorefrontEvent;
import io.storefront.orders.order.CustomerOrders;
import io.storefront.orders.order.CustomerOrdersStore;
import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.nio.charset.StandardCharsets;
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
class CustomerChangeListenerTest {

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Autowired MeterRegistry meters;
    @Autowired CustomerOrdersStore store;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe deadLetters;
    String customerId;

    @BeforeEach
    void setUp() {
        mongo.remove(new Query(), CustomerOrders.class).block();
        deadLetters = new TopicProbe(brokers, Topics.deadLetterOf(Topics.CUSTOMER_CHANGES));
        customerId = UUID.randomUUID().toString();
    }

    @AfterEach
    void tearDown() {
        deadLetters.close();
    }

    @Test
    void aCustomerChangeUpdatesTheViewButNeverItsOrders() {
        knownCustomerWithAnOrder("Ada");

        publish(customerChanged(customerId, 2, "Augusta"));

        awaitFirstName("Augusta");
        assertThat(view().orders()).hasSize(1);
    }

    @Test
    void repeatedAndOlderEventsChangeNothing() {
        publish(customerChanged(customerId, 2, "Current"));
        awaitFirstName("Current");
        long version = view().version();

        publish(customerChanged(customerId, 1, "Older"));
        publish(customerChanged(customerId, 2, "Duplicate of two"));
        // A newer event behind them proves they were consumed (one partition per key, in order).
        publish(customerChanged(customerId, 3, "Newest"));
        awaitFirstName("Newest");

        assertThat(view().version()).isEqualTo(version + 1);
    }

    @Test
    void aDeletionRemovesTheViewAndALateOlderChangeCannotBringItBack() {
        publish(customerChanged(customerId, 1, "Gone"));
        awaitFirstName("Gone");

        publish(customerDeleted(customerId, 2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                web.get().uri("/customers/{id}", customerId).exchange().expectStatus().isNotFound());

        publish(customerChanged(customerId, 1, "Zombie"));
        String marker = UUID.randomUUID().toString();
        publish(customerChanged(marker, 1, "Marker"));
        await().atMost(Duration.ofSeconds(10)).until(() -> mongo.findById(marker, CustomerOrders.class).block() != null);
        web.get().uri("/customers/{id}", customerId).exchange().expectStatus().isNotFound();
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsReasonAndLaterRecordsAreStillApplied() {
        double before = deadLettered();
        deadLetters.send(Topics.CUSTOMER_CHANGES, customerId, "{not json");
        publish(customerChanged(customerId, 1, "After the poison"));

        var records = deadLetters.take(1, Duration.ofSeconds(15));
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo("{not json");
            assertThat(new String(record.headers().lastHeader("kafka_dlt-exception-message").value(),
                    StandardCharsets.UTF_8)).contains("not a valid CustomerEvent");
        });
        awaitFirstName("After the poison");
        assertThat(deadLettered()).isEqualTo(before + 1);
    }

    @Test
    void anEventWithoutVersionOrIdsIsPoison() {
        deadLetters.send(Topics.CUSTOMER_CHANGES, customerId,
                "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"CUSTOMER_CHANGED\",\"customerId\":\"" + customerId
                        + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}");
        assertThat(deadLetters.take(1, Duration.ofSeconds(15))).hasSize(1);
        assertThat(mongo.findById(customerId, CustomerOrders.class).block()).isNull();
    }

    @Test
    void aBatchStoresTheNewestVersionOfEachCustomerOnceAndSkipsWhatIsNotNewer() {
        String other = UUID.randomUUID().toString();
        store.applyCustomerEvents(List.of(customerChanged(customerId, 1, "First"))).block();
        long version = view().version();

        var newest = customerChanged(customerId, 3, "Third");
        var otherNewest = customerChanged(other, 2, "Other two");
        var applied = store.applyCustomerEvents(List.of(customerChanged(customerId, 2, "Second"), newest,
                customerChanged(other, 1, "Other one"), otherNewest,
                customerChanged(customerId, 2, "Late second"), customerChanged(customerId, 1, "Replayed first"))).block();

        assertThat(applied).containsExactly(newest, otherNewest);
        assertThat(view().name().firstName()).isEqualTo("Third");
        assertThat(view().customerVersion()).isEqualTo(3);
        assertThat(view().version()).isEqualTo(version + 1);
        assertThat(mongo.findById(other, CustomerOrders.class).block().name().firstName()).isEqualTo("Other two");
    }

    @Test
    void inABatchACustomerAtOrAboveItsEventsVersionIsLeftAloneWhileTheOthersAreStored() {
        store.applyCustomerEvents(List.of(customerChanged(customerId, 5, "Stored five"))).block();
        String fresh = UUID.randomUUID().toString();
        var freshEvent = customerChanged(fresh, 1, "Fresh");

        var applied = store.applyCustomerEvents(List.of(customerChanged(customerId, 4, "Older"), freshEvent,
                customerChanged(customerId, 5, "Same version"))).block();

        assertThat(applied).containsExactly(freshEvent);
        assertThat(view().name().firstName()).isEqualTo("Stored five");
        assertThat(mongo.findById(fresh, CustomerOrders.class).block().name().firstName()).isEqualTo("Fresh");
    }

    @Test
    void aDeletionAndALaterChangeInOneBatchLeaveTheCustomerWithoutOrders() {
        knownCustomerWithAnOrder("Buyer");

        store.applyCustomerEvents(List.of(customerDeleted(customerId, 2), customerChanged(customerId, 3, "Reborn"))).block();

        assertThat(view().deleted()).isFalse();
        assertThat(view().name().firstName()).isEqualTo("Reborn");
        assertThat(view().orders()).isEmpty();
    }

    /** Publishes the customer (version 1), waits until orders knows it, and places one order. */
    private void knownCustomerWithAnOrder(String firstName) {
        publish(customerChanged(customerId, 1, firstName));
        awaitFirstName(firstName);
        web.post().uri("/customers/{id}/orders", customerId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"items\":[{\"productId\":\"" + io.storefront.orders.order.Catalog.PRODUCTS.get(0).id()
                        + "\",\"quantity\":2}]}")
                .exchange().expectStatus().isCreated();
    }

    private double deadLettered() {
        var counter = meters.find("storefront.dead.letter.records").tag("topic", Topics.CUSTOMER_CHANGES).counter();
        return counter == null ? 0 : counter.count();
    }

    private void publish(StorefrontEvent event) {
        deadLetters.send(event.topic(), event.aggregateId(), json.writeValueAsString(event));
    }

    private CustomerOrders view() {
        return mongo.findById(customerId, CustomerOrders.class).block();
    }

    private void awaitFirstName(String firstName) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            CustomerOrders view = view();
            return view != null && view.name() != null && firstName.equals(view.name().firstName());
        });
    }
}
