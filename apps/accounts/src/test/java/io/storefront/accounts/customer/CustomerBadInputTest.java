package io.storefront.accounts.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every bad request is a 4xx problem, stores nothing and publishes nothing. */
@StorefrontIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerBadInputTest {

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe topic;

    @BeforeAll
    void subscribe() {
        topic = new TopicProbe(brokers, Topics.CUSTOMER_CHANGES);
    }

    @AfterAll
    void close() {
        assertThat(topic.drainFor(Duration.ofSeconds(2))).as("events published for bad requests").isEmpty();
        topic.close();
    }

    @BeforeEach
    void empty() {
        mongo.remove(new Query(), Customer.class).block();
    }

    static Stream<Arguments> badBodies() {
        String valid = CustomerFixtures.validCustomerJson();
        return Stream.of(
                bad("malformed JSON", 400, b -> "{\"name\": {"),
                bad("truncated JSON", 400, b -> b.substring(0, b.length() / 2)),
                bad("empty body", 400, b -> ""),
                bad("JSON array instead of object", 400, b -> "[" + b + "]"),
                bad("trailing garbage", 400, b -> b + "}{"),
                bad("number where text belongs", 400, b -> b.replace("\"Ada\"", "42")),
                bad("boolean where text belongs", 400, b -> b.replace("\"Ada\"", "true")),
                bad("object where text belongs", 400, b -> b.replace("\"Ada\"", "{\"x\":1}")),
                bad("MongoDB operator injection in a field", 400, b -> b.replace("\"Ada\"", "{\"$gt\": \"\"}")),
                bad("MongoDB operator as an extra field", 400, b -> b.replaceFirst("\\{", "{\"\\$where\": \"1\", ")),
                bad("missing name", 400, b -> b.replaceFirst("\"name\": \\{[^}]*},", "")),
                bad("blank first name", 400, b -> b.replace("\"Ada\"", "\"  \"")),
                bad("invalid email", 400, b -> b.replace("ada@example.com", "not-an-email")),
                bad("unknown address type", 400, b -> b.replace("\"SHIPPING\"", "\"MOON_BASE\"")),
                bad("enum given as a number", 400, b -> b.replace("\"SHIPPING\"", "1")),
                bad("unknown card type", 400, b -> b.replace("\"PRIMARY\"", "\"PLATINUM\"")),
                bad("unknown field", 400, b -> b.replaceFirst("\\{", "{\"isAdmin\": true, ")),
                bad("card number with letters", 400, b -> b.replace("4111 1111 1111 1234", "4111-abcd-1111-1234")),
                bad("card number too short", 400, b -> b.replace("4111 1111 1111 1234", "4111")),
                bad("expiration not M/YY", 400, b -> b.replace("12/29", "2029-12")),
                bad("null addresses", 400, b -> b.replaceFirst("(?s)\"addresses\": \\[.*?],\\s*\"creditCards\"",
                        "\"addresses\": null, \"creditCards\"")),
                bad("control characters in a name", 400, b -> b.replace("\"Ada\"", "\"A\\u0000da\"")),
                bad("terminal escape sequence in a city", 400, b -> b.replace("\"London\"", "\"\\u001b[2JLondon\"")),
                bad("right-to-left override in an email", 400, b -> b.replace("ada@example.com", "ada\\u202e@example.com")),
                bad("phone made of letters", 400, b -> b.replace("555-000-1111", "call me maybe")),
                bad("oversized body", 413, b -> b.replace("\"Ada\"", "\"" + "A".repeat(70_000) + "\"")),
                bad("deeply nested body", 400, b -> "{\"name\":" + "[".repeat(3000) + "]".repeat(3000) + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesAreRejectedWithAProblemAndNothingIsStored(String name, int status, UnaryOperator<String> breakIt) {
        web.post().uri("/customers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(breakIt.apply(CustomerFixtures.validCustomerJson()))
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(status).jsonPath("$.detail").isNotEmpty();
        assertThat(mongo.count(new Query(), Customer.class).block()).isZero();
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        web.post().uri("/customers").contentType(MediaType.TEXT_PLAIN).bodyValue(CustomerFixtures.validCustomerJson())
                .exchange().expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mongo.count(new Query(), Customer.class).block()).isZero();
    }

    @Test
    void invalidAndUnknownIdsAreClientErrors() {
        web.get().uri("/customers/{id}", "not a valid id!").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/customers/{id}", "x".repeat(65)).exchange().expectStatus().isBadRequest();
        web.get().uri("/customers/{id}", "no-such-customer").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.put().uri("/customers/{id}", "no-such-customer").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson()).exchange().expectStatus().isNotFound();
        web.delete().uri("/customers/{id}", "no-such-customer").exchange().expectStatus().isNotFound();
        assertThat(mongo.count(new Query(), Customer.class).block()).isZero();
    }

    @Test
    void stateChangingEndpointsDoNotAnswerGet() {
        // GET /customers/sample is just a lookup of a customer with id "sample": nothing is reset.
        web.get().uri("/customers/sample").exchange().expectStatus().isNotFound();
        assertThat(mongo.count(new Query(), Customer.class).block()).isZero();
    }

    private static Arguments bad(String name, int status, UnaryOperator<String> breakIt) {
        return Arguments.of(name, status, breakIt);
    }
}
