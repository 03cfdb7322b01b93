package io.storefront.orders.order;

import static io.storefront.orders.OrdersTestEvents.customerChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/** Bad requests to orders: a 4xx problem each, the customer's document untouched, nothing published. */
@StorefrontIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderBadInputTest {

    static final String CUSTOMER = "bad-input-customer";
    static final String PRODUCT = Catalog.PRODUCTS.get(0).id();

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe orderChanges;
    String orderId;
    long version;

    @BeforeAll
    void customerWithOneRejectedOrder() {
        orderChanges = new TopicProbe(brokers, Topics.ORDER_CHANGES);
        orderChanges.send(Topics.CUSTOMER_CHANGES, CUSTOMER, json.writeValueAsString(customerChanged(CUSTOMER, 1, "Bad")));
        await().atMost(Duration.ofSeconds(15)).until(() -> mongo.findById(CUSTOMER, CustomerOrders.class).block() != null);
        orderId = web.post().uri("/customers/{c}/orders", CUSTOMER).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(items("\"" + PRODUCT + "\"", "1")).exchange().expectStatus().isCreated()
                .expectBody(OrderView.class).returnResult().getResponseBody().id();
        web.post().uri("/customers/{c}/orders/{o}/reject", CUSTOMER, orderId).exchange().expectStatus().isOk();
        orderChanges.take(2, Duration.ofSeconds(10));
        version = mongo.findById(CUSTOMER, CustomerOrders.class).block().version();
    }

    @AfterAll
    void nothingWasPublished() {
        assertThat(orderChanges.drainFor(Duration.ofSeconds(2))).as("events published for bad requests").isEmpty();
        assertThat(mongo.findById(CUSTOMER, CustomerOrders.class).block().version()).isEqualTo(version);
        orderChanges.close();
    }

    static Stream<Arguments> badRequests() {
        String place = "/customers/" + CUSTOMER + "/orders";
        return Stream.of(
                bad("malformed JSON", place, "{\"items\": [", 400),
                bad("no items field", place, "{}", 400),
                bad("empty items", place, "{\"items\": []}", 400),
                bad("items not an array", place, "{\"items\": \"many\"}", 400),
                bad("zero quantity", place, items("\"" + PRODUCT + "\"", "0"), 400),
                bad("negative quantity", place, items("\"" + PRODUCT + "\"", "-3"), 400),
                bad("huge quantity", place, items("\"" + PRODUCT + "\"", "1000000000000"), 400),
                bad("fractional quantity", place, items("\"" + PRODUCT + "\"", "1.5"), 400),
                bad("quantity as text", place, items("\"" + PRODUCT + "\"", "\"2\""), 400),
                bad("missing quantity", place, "{\"items\": [{\"productId\": \"" + PRODUCT + "\"}]}", 400),
                bad("unknown product", place, items("\"no-such-product\"", "1"), 422),
                bad("operator injection as product id", place, items("{\"$ne\": null}", "1"), 400),
                bad("product id with odd characters", place, items("\"../../etc/passwd\"", "1"), 400),
                bad("unknown field in an item", place,
                        "{\"items\": [{\"productId\": \"" + PRODUCT + "\", \"quantity\": 1, \"price\": 0}]}", 400),
                bad("too many items", place, "{\"items\": [" + String.join(",",
                        java.util.Collections.nCopies(21, "{\"productId\": \"" + PRODUCT + "\", \"quantity\": 1}")) + "]}", 400),
                bad("unknown customer", "/customers/nobody/orders", items("\"" + PRODUCT + "\"", "1"), 404),
                bad("invalid customer id", "/customers/$gt/orders", items("\"" + PRODUCT + "\"", "1"), 400),
                bad("approve an unknown order", "/customers/" + CUSTOMER + "/orders/no-such-order/approve", null, 404),
                bad("note too long", "/customers/" + CUSTOMER + "/orders/ORDER/cancel",
                        "{\"note\": \"" + "x".repeat(501) + "\"}", 400),
                bad("note with a control character", "/customers/" + CUSTOMER + "/orders/ORDER/cancel",
                        "{\"note\": \"bell\\u0007\"}", 400),
                bad("approve a rejected order", "/customers/" + CUSTOMER + "/orders/ORDER/approve", null, 409),
                bad("cancel a rejected order", "/customers/" + CUSTOMER + "/orders/ORDER/cancel", null, 409));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreProblemsAndChangeNothing(String name, String path, String body, int status) {
        WebTestClient.RequestBodySpec request = web.method(HttpMethod.POST).uri(path.replace("ORDER", orderId));
        WebTestClient.ResponseSpec response = body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isNotEmpty();
    }

    @ParameterizedTest(name = "wrong content type {0}")
    @MethodSource("contentTypes")
    void wrongContentTypesAreUnsupported(MediaType type) {
        web.post().uri("/customers/{c}/orders", CUSTOMER).contentType(type).bodyValue(items("\"" + PRODUCT + "\"", "1"))
                .exchange().expectStatus().isEqualTo(415);
    }

    static Stream<MediaType> contentTypes() {
        return Stream.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_XML, MediaType.APPLICATION_FORM_URLENCODED);
    }

    static String items(String productId, String quantity) {
        return "{\"items\": [{\"productId\": " + productId + ", \"quantity\": " + quantity + "}]}";
    }

    private static Arguments bad(String name, String path, String body, int status) {
        return Arguments.of(name, path, body, status);
    }
}
