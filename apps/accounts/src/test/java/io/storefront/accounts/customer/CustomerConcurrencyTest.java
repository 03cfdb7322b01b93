package io.storefront.accounts.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writers of one customer: without If-Match every change is stored, however many arrive at once; with If-Match
 * (the ETag from a GET or PUT) a change applies only to the version it names (RFC 9110).
 */
@StorefrontIntegrationTest
class CustomerConcurrencyTest {

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    @LocalServerPort int port;
    TopicProbe topic;

    @BeforeEach
    void setUp() {
        mongo.remove(new Query(), Customer.class).block();
        topic = new TopicProbe(brokers, Topics.CUSTOMER_CHANGES);
    }

    @AfterEach
    void tearDown() {
        topic.close();
    }

    @Test
    void concurrentChangesWithoutIfMatchAreAllStoredAndAnnouncedInVersionOrder() {
        String id = create();
        int writers = 40;
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Void>>> answers = IntStream.range(0, writers)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(customerUri(id))
                                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                                .PUT(HttpRequest.BodyPublishers.ofString(
                                        CustomerFixtures.validCustomerJson().replace("Ada", "Ada" + i)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding()))
                .toList();
        List<HttpResponse<Void>> responses = answers.stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        // Each writer got its own version: no two changes were merged or lost.
        assertThat(responses).extracting(response -> response.headers().firstValue(HttpHeaders.ETAG).orElseThrow())
                .doesNotHaveDuplicates()
                .hasSize(writers);
        assertThat(mongo.findById(id, Customer.class).block().version()).isEqualTo(1 + writers);
        List<Long> announced = topic.take(1 + writers, Duration.ofSeconds(30)).stream()
                .map(record -> json.readValue(record.value(), CustomerEvent.class).version())
                .toList();
        assertThat(announced).isEqualTo(IntStream.rangeClosed(1, 1 + writers).mapToObj(Long::valueOf).toList());
    }

    @Test
    void theEntityTagIsTheVersionAndAMatchingIfMatchApplies() {
        String id = create();
        web.get().uri("/customers/{id}", id).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"");

        replace(id, "\"1\"", "Augusta").expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"2\"")
                .expectBody().jsonPath("$.version").isEqualTo(2);
        replace(id, "\"7\", \"2\"", "Grace").expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"3\"");
        replace(id, "*", "Hedy").expectStatus().isOk();
        assertThat(mongo.findById(id, Customer.class).block().name().firstName()).isEqualTo("Hedy");
    }

    @Test
    void aStaleIfMatchIsAPreconditionFailureAndStoresNothing() {
        String id = create();
        replace(id, null, "Augusta").expectStatus().isOk();

        replace(id, "\"1\"", "Stale").expectStatus().isEqualTo(412)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("version 2"));
        web.delete().uri("/customers/{id}", id).header(HttpHeaders.IF_MATCH, "\"1\"").exchange()
                .expectStatus().isEqualTo(412);
        // A weak tag never matches: If-Match compares strongly.
        replace(id, "W/\"2\"", "Weak").expectStatus().isEqualTo(412);

        Customer stored = mongo.findById(id, Customer.class).block();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.deleted()).isFalse();
        assertThat(stored.name().firstName()).isEqualTo("Augusta");
        // The next change is announced right after version 2: the refused ones announced nothing.
        replace(id, null, "Next").expectStatus().isOk();
        assertThat(topic.take(3, Duration.ofSeconds(10)))
                .extracting(record -> json.readValue(record.value(), CustomerEvent.class).version())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDeleteWithTheCurrentVersionDeletesAndIfMatchOnAMissingCustomerFails() {
        String id = create();
        web.delete().uri("/customers/{id}", id).header(HttpHeaders.IF_MATCH, "\"1\"").exchange()
                .expectStatus().isNoContent();
        assertThat(mongo.findById(id, Customer.class).block().deleted()).isTrue();

        replace(id, "*", "Back").expectStatus().isEqualTo(412);
        replace(id, null, "Back").expectStatus().isNotFound();
    }

    @Test
    void anIfMatchThatIsNotAListOfEntityTagsIsABadRequest() {
        String id = create();
        replace(id, "1", "Unquoted").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        replace(id, "\"1\" \"2\"", "No comma").expectStatus().isBadRequest();
        assertThat(mongo.findById(id, Customer.class).block().version()).isEqualTo(1);
    }

    @Test
    void theOpenApiDocumentDescribesIfMatchTheEntityTagAndThePreconditionFailure() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/customers/{id}'].put.parameters[?(@.name == 'If-Match')].description").isNotEmpty()
                .jsonPath("$.paths['/customers/{id}'].delete.parameters[?(@.name == 'If-Match')].in")
                .isEqualTo("header")
                .jsonPath("$.paths['/customers/{id}'].put.responses['412'].description").isNotEmpty()
                .jsonPath("$.paths['/customers/{id}'].delete.responses['412'].description").isNotEmpty()
                .jsonPath("$.paths['/customers/{id}'].get.responses['200'].headers.ETag").exists()
                .jsonPath("$.paths['/customers/{id}'].put.responses['200'].headers.ETag").exists();
    }

    private WebTestClient.ResponseSpec replace(String id, String ifMatch, String firstName) {
        WebTestClient.RequestBodySpec put = web.put().uri("/customers/{id}", id)
                .contentType(MediaType.APPLICATION_JSON);
        if (ifMatch != null) {
            put.header(HttpHeaders.IF_MATCH, ifMatch);
        }
        return put.bodyValue(CustomerFixtures.validCustomerJson().replace("Ada", firstName)).exchange();
    }

    private String create() {
        return web.post().uri("/customers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson())
                .exchange().expectStatus().isCreated()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"")
                .expectBody(CustomerResponse.class).returnResult().getResponseBody().id();
    }

    private URI customerUri(String id) {
        return URI.create("http://127.0.0.1:" + port + "/accounts/customers/" + id);
    }
}
