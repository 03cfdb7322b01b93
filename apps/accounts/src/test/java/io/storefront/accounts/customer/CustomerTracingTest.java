package io.storefront.accounts.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.storefront.contracts.Topics;
import io.storefront.support.outbox.OutboxEvent;
import io.storefront.support.outbox.OutboxProperties;
import io.storefront.support.outbox.OutboxRelay;
import io.storefront.support.test.RecordedSpans;
import io.storefront.support.test.RecordedSpans.TraceParent;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import io.storefront.support.tracing.TraceContexts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A customer change is one trace from the HTTP request to the Kafka record: the request's span is the parent of the
 * span that publishes the event, and the record's headers carry that span's context, also when the event is
 * published by another relay than the one of the process that stored it.
 */
@StorefrontIntegrationTest
class CustomerTracingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Autowired WebTestClient web;
    @Autowired ReactiveMongoTemplate mongo;
    @Autowired RecordedSpans spans;
    @Autowired OutboxRelay relay;
    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired OutboxProperties outboxProperties;
    @Autowired MeterRegistry meters;
    @Autowired TraceContexts tracing;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe topic;

    @BeforeEach
    void setUp() {
        topic = new TopicProbe(brokers, Topics.CUSTOMER_CHANGES);
    }

    @AfterEach
    void tearDown() {
        topic.close();
    }

    @Test
    void theRecordOfAChangeIsPublishedInTheTraceOfThePutThatMadeIt() {
        CustomerResponse created = create();
        publishedFor(created.id());

        web.put().uri("/customers/{id}", created.id()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson().replace("Ada", "Augusta"))
                .exchange().expectStatus().isOk();

        TraceParent published = TraceParent.parse(traceparentOf(publishedFor(created.id())));
        SpanData request = spans.awaitFirst(span -> span.getKind() == SpanKind.SERVER
                && span.getName().toLowerCase(Locale.ROOT).contains("put")
                && span.getAttributes().asMap().values().stream()
                        .anyMatch(value -> value.toString().contains(created.id())), TIMEOUT);
        SpanData publish = spans.await(published.spanId(), TIMEOUT);

        assertThat(published.traceId()).as("trace of the published record").isEqualTo(request.getTraceId());
        assertThat(publish.getName()).isEqualTo("outbox publish " + Topics.CUSTOMER_CHANGES);
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).as("parent of the publish span").isEqualTo(request.getSpanId());
    }

    @Test
    void anEventStoredWithItsTraceIsPublishedInThatTraceByAFreshRelay() {
        relay.stop(); // the process that stores the event never publishes it
        try {
            CustomerResponse created = create();
            Document stored = mongo.findById(created.id(), Document.class, Customer.COLLECTION).block();
            TraceParent writtenIn = TraceParent.parse(
                    stored.getList(OutboxEvent.FIELD, Document.class).get(0).getString(TraceContexts.TRACEPARENT));

            // Another process's relay: it knows nothing of the request, only what the document holds.
            OutboxRelay fresh = new OutboxRelay(mongo, kafka, outboxProperties, meters, tracing);
            assertThat(fresh.drain().block()).isPositive();

            TraceParent published = TraceParent.parse(traceparentOf(publishedFor(created.id())));
            SpanData request = spans.await(writtenIn.spanId(), TIMEOUT);
            assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(request.getName()).containsIgnoringCase("post");
            assertThat(published.traceId()).as("trace of the published record").isEqualTo(request.getTraceId());
            SpanData publish = spans.await(published.spanId(), TIMEOUT);
            assertThat(publish.getParentSpanId()).as("parent of the publish span").isEqualTo(request.getSpanId());
        } finally {
            relay.start();
        }
    }

    private CustomerResponse create() {
        return web.post().uri("/customers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(CustomerFixtures.validCustomerJson())
                .exchange().expectStatus().isCreated()
                .expectBody(CustomerResponse.class).returnResult().getResponseBody();
    }

    private ConsumerRecord<String, String> publishedFor(String customerId) {
        List<ConsumerRecord<String, String>> records = topic.take(1, TIMEOUT);
        assertThat(records).singleElement().satisfies(record -> assertThat(record.key()).isEqualTo(customerId));
        return records.get(0);
    }

    private static String traceparentOf(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(TraceContexts.TRACEPARENT);
        assertThat(header).as("traceparent header of the record").isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
