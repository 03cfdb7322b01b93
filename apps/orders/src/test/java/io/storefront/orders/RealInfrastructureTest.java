package io.storefront.orders;

import static io.storefront.orders.OrdersTestEvents.customerChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.Topics;
import io.storefront.orders.order.CustomerOrders;
import io.storefront.orders.order.Catalog;
import io.storefront.support.test.TopicProbe;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same consume-store-publish path as the embedded tests, against real {@code mongo} and {@code apache/kafka}
 * images. Runs where Docker exists and is skipped where it does not (these machines have none), so it is never the
 * only test of a behaviour.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "spring.kafka.listener.missing-topics-fatal=false"})
@AutoConfigureWebTestClient
class RealInfrastructureTest {

    @Container
    @ServiceConnection
    static MongoDBContainer mongo = new MongoDBContainer(System.getProperty("storefront.mongodb.image"));

    @Container
    @ServiceConnection
    static KafkaContainer kafka = new KafkaContainer(System.getProperty("storefront.kafka.image"));

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate template;
    @Autowired JsonMapper json;

    @Test
    void aCustomerEventBecomesAViewAndAnOrderIsPublished() {
        String customerId = UUID.randomUUID().toString();
        try (TopicProbe orders = new TopicProbe(kafka.getBootstrapServers(), Topics.ORDER_CHANGES)) {
            CustomerEvent event = customerChanged(customerId, 1, "Real");
            orders.send(Topics.CUSTOMER_CHANGES, customerId, json.writeValueAsString(event));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    template.findById(customerId, CustomerOrders.class).block() != null);

            web.post().uri("/customers/{id}/orders", customerId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"items\":[{\"productId\":\"" + Catalog.PRODUCTS.get(7).id() + "\",\"quantity\":1}]}")
                    .exchange().expectStatus().isCreated();

            assertThat(orders.take(1, Duration.ofSeconds(30))).singleElement().satisfies(record ->
                    assertThat(json.readValue(record.value(), OrderEvent.class).type())
                            .isEqualTo(OrderEvent.Type.ORDER_PLACED));
        }
    }
}
