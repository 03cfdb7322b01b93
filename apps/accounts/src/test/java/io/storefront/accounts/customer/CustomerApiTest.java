package io.storefront.accounts.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.assertj.core.api.InstanceOfAssertFactories;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
class CustomerApiTest {

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
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
    void createdCustomerIsStoredMaskedAndAnnouncedWithoutCardData() {
        CustomerResponse created = web.post().uri("/customers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson())
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location).startsWith("/accounts/customers/"))
                .expectBody(CustomerResponse.class).returnResult().getResponseBody();

        assertThat(created.version()).isEqualTo(1);
        assertThat(created.creditCards()).singleElement()
                .satisfies(card -> assertThat(card.number()).isEqualTo("************1234"));

        List<ConsumerRecord<String, String>> records = topic.take(1, Duration.ofSeconds(10));
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(created.id());
            assertThat(record.value()).doesNotContain("4111").doesNotContain("creditCards");
            CustomerEvent event = json.readValue(record.value(), CustomerEvent.class);
            assertThat(event.type()).isEqualTo(CustomerEvent.Type.CUSTOMER_CHANGED);
            assertThat(event.version()).isEqualTo(1);
            assertThat(event.customer().name().firstName()).isEqualTo("Ada");
        });
        // Once acknowledged, the event leaves the document's outbox.
        await().atMost(Duration.ofSeconds(5)).until(() ->
                mongo.findById(created.id(), Customer.class).block().outbox().isEmpty());
        assertThat(mongo.findById(created.id(), Customer.class).block().creditCards().get(0).number())
                .isEqualTo("4111 1111 1111 1234");
    }

    @Test
    void changesAndDeletionIncreaseTheVersionAndKeepTheStoredCardWhenSentBackMasked() {
        CustomerResponse created = create();
        String masked = CustomerFixtures.validCustomerJson()
                .replace("4111 1111 1111 1234", "************1234").replace("Ada", "Augusta");

        web.put().uri("/customers/{id}", created.id()).contentType(MediaType.APPLICATION_JSON).bodyValue(masked)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(2).jsonPath("$.name.firstName").isEqualTo("Augusta");
        assertThat(mongo.findById(created.id(), Customer.class).block().creditCards().get(0).number())
                .isEqualTo("4111 1111 1111 1234");

        web.delete().uri("/customers/{id}", created.id()).exchange().expectStatus().isNoContent();
        web.get().uri("/customers/{id}", created.id()).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        List<CustomerEvent> events = topic.take(3, Duration.ofSeconds(10)).stream()
                .map(record -> json.readValue(record.value(), CustomerEvent.class)).toList();
        assertThat(events).extracting(CustomerEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(CustomerEvent::type).containsExactly(CustomerEvent.Type.CUSTOMER_CHANGED,
                CustomerEvent.Type.CUSTOMER_CHANGED, CustomerEvent.Type.CUSTOMER_DELETED);
        Customer tombstone = mongo.findById(created.id(), Customer.class).block();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.name()).isNull();
        assertThat(tombstone.creditCards()).isEmpty();
    }

    @Test
    void aMaskedNumberThatMatchesNoStoredCardIsRejected() {
        CustomerResponse created = create();
        web.put().uri("/customers/{id}", created.id()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson().replace("4111 1111 1111 1234", "************9999"))
                .exchange().expectStatus().isBadRequest();
        assertThat(mongo.findById(created.id(), Customer.class).block().version()).isEqualTo(1);
    }

    @Test
    void sampleResetGivesTheSameThreeCustomersEveryTimeAndDeletesOthers() {
        CustomerResponse other = create();

        for (int run = 0; run < 2; run++) {
            web.post().uri("/customers/sample").exchange().expectStatus().isCreated()
                    .expectBody().jsonPath("$.customers.length()").isEqualTo(3);
        }

        web.get().uri("/customers/summary").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.customers.length()").isEqualTo(3)
                .jsonPath("$.customers[*].id").value(ids -> assertThat(ids).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder(
                        SampleCustomers.idOf("john.doe"), SampleCustomers.idOf("mary.smith"),
                        SampleCustomers.idOf("susan.blackstone")))
                .jsonPath("$.customers[*].creditCards[*].number").value(numbers ->
                        assertThat(numbers).asInstanceOf(InstanceOfAssertFactories.LIST).allSatisfy(n -> assertThat((String) n).startsWith("************")));
        web.get().uri("/customers/{id}", other.id()).exchange().expectStatus().isNotFound();
    }

    private CustomerResponse create() {
        return web.post().uri("/customers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson())
                .exchange().expectStatus().isCreated()
                .expectBody(CustomerResponse.class).returnResult().getResponseBody();
    }
}
