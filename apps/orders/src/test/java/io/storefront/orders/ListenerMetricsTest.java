package io.storefront.orders;

import static io.storefront.orders.OrdersTestEvents.customerChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.storefront.contracts.Topics;
import io.storefront.orders.order.CustomerOrders;
import io.storefront.support.test.OpenApiDocument;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/** What operators and API users read: consumer metrics for Prometheus, the OpenAPI document. */
@StorefrontIntegrationTest
class ListenerMetricsTest {

    @Autowired ReactiveMongoTemplate mongo;
    @Autowired WebTestClient web;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    @LocalManagementPort int managementPort;

    @Test
    void theOpenApiDocumentDescribesEverySchema() {
        OpenApiDocument.assertEverySchemaDescribed(web, "/orders");
    }

    @Test
    void appliedAndDeadLetteredRecordsShowUpInPrometheus() {
        String customerId = UUID.randomUUID().toString();
        try (TopicProbe deadLetters = new TopicProbe(brokers, Topics.deadLetterOf(Topics.CUSTOMER_CHANGES))) {
            deadLetters.send(Topics.CUSTOMER_CHANGES, customerId,
                    json.writeValueAsString(customerChanged(customerId, 1, "Measured")));
            deadLetters.send(Topics.CUSTOMER_CHANGES, "poison", "[]");
            await().atMost(Duration.ofSeconds(15)).until(() -> mongo.findById(customerId, CustomerOrders.class).block() != null);
            assertThat(deadLetters.take(1, Duration.ofSeconds(15))).hasSize(1);
        }

        String metrics = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics)
                .contains("spring_kafka_listener_seconds_count")
                .containsPattern("storefront_propagation_lag_seconds_bucket\\{.*topic=\"accounts.customer.change\"")
                .containsPattern("storefront_dead_letter_records_total\\{.*topic=\"accounts.customer.change\".*} [1-9]")
                .contains("storefront_outbox_pending_events");
    }
}
