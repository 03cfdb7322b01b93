package io.storefront.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/** Bad requests and poison records for fulfillment: rejected, nothing stored, nothing published. */
@StorefrontIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FulfillmentBadInputTest {

    static final String ORDER = "bad-input-order";

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe statusChanges;

    @BeforeAll
    void oneApprovedFulfillment() {
        statusChanges = new TopicProbe(brokers, Topics.FULFILLMENT_CHANGES);
        var request = FulfillmentFlowTest.requestEvent(ORDER, 1);
        statusChanges.send(request.topic(), ORDER, json.writeValueAsString(request));
        await().atMost(Duration.ofSeconds(15)).until(() -> mongo.findById(ORDER, Fulfillment.class).block() != null);
    }

    @AfterAll
    void nothingChanged() {
        assertThat(statusChanges.drainFor(Duration.ofSeconds(2))).as("events published for bad requests").isEmpty();
        Fulfillment record = mongo.findById(ORDER, Fulfillment.class).block();
        assertThat(record.version()).isEqualTo(1);
        assertThat(record.status()).isEqualTo(OrderStatus.APPROVED);
        statusChanges.close();
    }

    static Stream<Arguments> badRequests() {
        String status = "/fulfillments/" + ORDER + "/status";
        return Stream.of(
                bad("malformed JSON", status, "{\"status\":", 400),
                bad("missing status", status, "{}", 400),
                bad("unknown status", status, "{\"status\": \"TELEPORTED\"}", 400),
                bad("status as a number", status, "{\"status\": 4}", 400),
                bad("lower-case status", status, "{\"status\": \"processing\"}", 400),
                bad("unknown shipping method", status, "{\"status\": \"PROCESSING\", \"shippingMethod\": \"Pigeon\"}", 400),
                bad("unknown field", status, "{\"status\": \"PROCESSING\", \"force\": true}", 400),
                bad("note too long", status, "{\"status\": \"PROCESSING\", \"note\": \"" + "n".repeat(501) + "\"}", 400),
                bad("illegal move APPROVED to RECEIVED", status, "{\"status\": \"RECEIVED\"}", 409),
                bad("illegal move APPROVED to CREATED", status, "{\"status\": \"CREATED\"}", 409),
                bad("illegal move APPROVED to APPROVED", status, "{\"status\": \"APPROVED\"}", 409),
                bad("unknown order", "/fulfillments/no-such-order/status", "{\"status\": \"PROCESSING\"}", 404),
                bad("invalid order id", "/fulfillments/$where/status", "{\"status\": \"PROCESSING\"}", 400),
                bad("unknown sample step", "/fulfillments/sample/teleport", null, 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreProblemsAndChangeNothing(String name, String path, String body, int status) {
        var request = web.post().uri(path);
        var response = body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void poisonRecordsOnTheOrderTopicAreDeadLetteredAndLaterRequestsStillApplied() {
        try (TopicProbe deadLetters = new TopicProbe(brokers, Topics.deadLetterOf(Topics.ORDER_CHANGES))) {
            var incomplete = FulfillmentFlowTest.requestEvent("poisoned-order", 1);
            String withoutAddress = json.writeValueAsString(incomplete).replaceFirst("\"shippingAddress\":\\{[^}]*}",
                    "\"shippingAddress\":null");
            deadLetters.send(Topics.ORDER_CHANGES, "poisoned-order", withoutAddress);
            deadLetters.send(Topics.ORDER_CHANGES, "garbage", "\u0000\u0001 not json");
            var later = FulfillmentFlowTest.requestEvent("after-the-poison", 1);
            deadLetters.send(Topics.ORDER_CHANGES, later.orderId(), json.writeValueAsString(later));

            var records = deadLetters.take(2, Duration.ofSeconds(15));
            assertThat(records).hasSize(2).allSatisfy(record -> assertThat(new String(
                    record.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8)).isNotBlank());
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    mongo.findById("after-the-poison", Fulfillment.class).block() != null);
            assertThat(mongo.findById("poisoned-order", Fulfillment.class).block()).isNull();
        }
    }

    private static Arguments bad(String name, String path, String body, int status) {
        return Arguments.of(name, path, body, status);
    }
}
