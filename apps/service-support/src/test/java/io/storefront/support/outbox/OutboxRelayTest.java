package io.storefront.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.storefront.contracts.EventHeaders;
import io.storefront.support.test.InMemoryMongo;
import io.storefront.support.test.TopicProbe;
import io.storefront.support.tracing.TraceContexts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import reactor.test.StepVerifier;

/** The relay against a real broker: nothing is lost while Kafka is away, order holds, sent events leave the outbox. */
class OutboxRelayTest {

    static final String TOPIC = "relay.test";
    static final String COLLECTION = "aggregates";
    static EmbeddedKafkaKraftBroker broker;
    static MongoClient client;

    ReactiveMongoTemplate mongo;
    TopicProbe probe;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 3, TOPIC);
        broker.afterPropertiesSet();
        client = MongoClients.create(InMemoryMongo.connectionString());
    }

    @AfterAll
    static void stopBroker() {
        client.close();
        broker.destroy();
    }

    @BeforeEach
    void setUp() {
        mongo = new ReactiveMongoTemplate(client, "relay-" + UUID.randomUUID());
        probe = new TopicProbe(broker.getBrokersAsString(), TOPIC);
    }

    @AfterEach
    void tearDown() {
        probe.close();
    }

    @Test
    void eventsStoredWhileKafkaIsAwayArePublishedInOrderOnceItIsBack() {
        mongo.insert(aggregate("a-1", 3), COLLECTION).block();

        OutboxRelay offline = relay("127.0.0.1:1");
        StepVerifier.create(offline.drain()).expectNext(0L).verifyComplete();
        assertThat(pending("a-1")).hasSize(3);
        assertThat(meters.get("storefront.outbox.pending.events").gauge().value()).isEqualTo(3);

        meters = new SimpleMeterRegistry(); // the relay that comes back is a new process with its own metrics
        OutboxRelay online = relay(broker.getBrokersAsString());
        StepVerifier.create(online.drain()).expectNext(3L).verifyComplete();

        var records = probe.take(3, Duration.ofSeconds(10));
        assertThat(records).extracting(record -> record.value()).containsExactly("event-1", "event-2", "event-3");
        assertThat(records).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo("a-1");
            assertThat(record.headers().lastHeader(EventHeaders.TYPE)).isNotNull();
        });
        assertThat(pending("a-1")).isEmpty();
        assertThat(meters.get("storefront.outbox.pending.events").gauge().value()).isZero();
    }

    @Test
    void anEventAddedDuringAPublishIsKeptForTheNextDrain() {
        mongo.insert(aggregate("a-2", 1), COLLECTION).block();
        OutboxRelay online = relay(broker.getBrokersAsString());
        StepVerifier.create(online.drain()).expectNext(1L).verifyComplete();

        mongo.getCollection(COLLECTION).flatMap(collection -> reactor.core.publisher.Mono.from(collection.updateOne(
                new Document("_id", "a-2"), new Document("$push", new Document(OutboxEvent.FIELD, event("a-2", 2)))))).block();
        StepVerifier.create(online.drain()).expectNext(1L).verifyComplete();

        assertThat(probe.take(2, Duration.ofSeconds(10))).extracting(record -> record.value())
                .containsExactly("event-1", "event-2");
    }

    @Test
    void aWakeUpPublishesWithoutWaitingForTheSweep() {
        OutboxRelay relay = new OutboxRelay(mongo, template(broker.getBrokersAsString()),
                new OutboxProperties(List.of(COLLECTION), Duration.ofHours(1), 100, 4), meters, TraceContexts.none());
        relay.start();
        try {
            probe.drainFor(Duration.ofMillis(300)); // the start-up sweep found nothing
            mongo.insert(aggregate("a-3", 1), COLLECTION).block();
            relay.wakeUp(COLLECTION, "a-3");
            assertThat(probe.take(1, Duration.ofSeconds(5))).hasSize(1);
        } finally {
            relay.stop();
        }
    }

    @Test
    void eventsHandedOverByAWriteThatFoundNothingPendingArePublishedWithoutReadingTheDocument() {
        OutboxRelay relay = targetedRelay();
        Document stored = event("a-4", 1);
        mongo.insert(new Document("_id", "a-4").append(OutboxEvent.FIELD, List.of(stored)), COLLECTION).block();
        // Same event id, different text: which text reaches Kafka shows where the relay took the event from.
        OutboxEvent handedOver = new OutboxEvent(stored.getString("eventId"), TOPIC, "a-4", "TEST_EVENT", 1,
                Instant.now(), "handed-over-1", null);

        relay.written(COLLECTION, "a-4", List.of(), List.of(handedOver));
        StepVerifier.create(relay.drainSignalled()).expectNext(1L).verifyComplete();

        assertThat(probe.take(1, Duration.ofSeconds(10))).extracting(record -> record.value())
                .containsExactly("handed-over-1");
        assertThat(pending("a-4")).isEmpty();
    }

    @Test
    void aDocumentThatHadOlderEventsPendingIsReadSoNothingIsSkippedOrSentTwice() {
        OutboxRelay relay = targetedRelay();
        Document aggregate = aggregate("a-5", 2);
        mongo.insert(aggregate, COLLECTION).block();
        List<Document> stored = aggregate.getList(OutboxEvent.FIELD, Document.class);

        relay.written(COLLECTION, "a-5", List.of(), List.of(outboxEvent(stored.get(0))));
        relay.written(COLLECTION, "a-5", List.of(outboxEvent(stored.get(0))), List.of(outboxEvent(stored.get(1))));
        StepVerifier.create(relay.drainSignalled()).expectNext(2L).verifyComplete();

        assertThat(probe.take(2, Duration.ofSeconds(10))).extracting(record -> record.value())
                .containsExactly("event-1", "event-2");
        assertThat(probe.drainFor(Duration.ofMillis(500))).isEmpty();
        assertThat(pending("a-5")).isEmpty();
    }

    @Test
    void oneDrainRemovesWhatItSentFromEverySendingDocumentAndNothingElse() {
        OutboxRelay relay = targetedRelay();
        Document first = aggregate("a-6", 1);
        Document second = aggregate("a-7", 1);
        mongo.insert(List.of(first, second, aggregate("a-8", 1)), COLLECTION).collectList().block();

        relay.written(COLLECTION, "a-6", List.of(), outboxEvents(first));
        relay.written(COLLECTION, "a-7", List.of(), outboxEvents(second));
        StepVerifier.create(relay.drainSignalled()).expectNext(2L).verifyComplete();

        assertThat(probe.take(2, Duration.ofSeconds(10))).extracting(record -> record.key())
                .containsExactlyInAnyOrder("a-6", "a-7");
        assertThat(pending("a-6")).isEmpty();
        assertThat(pending("a-7")).isEmpty();
        assertThat(pending("a-8")).hasSize(1); // not signalled: left for the sweep
    }

    @Test
    void wakeUpsFromManyThreadsAtOnceNeverFail() throws Exception {
        OutboxRelay relay = relay(broker.getBrokersAsString());
        relay.start();
        try {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            var calls = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> {
                    for (int k = 0; k < 5_000; k++) {
                        relay.wakeUp(COLLECTION, "id-" + (k % 50));
                    }
                }));
            }
            for (var call : calls) {
                call.get(); // rethrows what a wake-up threw
            }
            pool.shutdown();
        } finally {
            relay.stop();
        }
    }

    private OutboxRelay relay(String brokers) {
        return new OutboxRelay(mongo, template(brokers),
                new OutboxProperties(List.of(COLLECTION), Duration.ofSeconds(1), 100, 4), meters, TraceContexts.none());
    }

    /** A relay whose next sweep is an hour away, after a first drain of the (still empty) collection. */
    private OutboxRelay targetedRelay() {
        OutboxRelay relay = new OutboxRelay(mongo, template(broker.getBrokersAsString()),
                new OutboxProperties(List.of(COLLECTION), Duration.ofHours(1), 100, 4), meters, TraceContexts.none());
        StepVerifier.create(relay.drainSignalled()).expectNext(0L).verifyComplete();
        return relay;
    }

    private static List<OutboxEvent> outboxEvents(Document aggregate) {
        return aggregate.getList(OutboxEvent.FIELD, Document.class).stream().map(OutboxRelayTest::outboxEvent).toList();
    }

    private static OutboxEvent outboxEvent(Document stored) {
        return new OutboxEvent(stored.getString("eventId"), stored.getString("topic"), stored.getString("key"),
                stored.getString("type"), stored.getLong("version"), stored.getDate("occurredAt").toInstant(),
                stored.getString("payload"), stored.getString("traceparent"));
    }

    private static KafkaTemplate<String, String> template(String brokers) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
    }

    private List<Document> pending(String id) {
        return mongo.findById(id, Document.class, COLLECTION).block().getList(OutboxEvent.FIELD, Document.class);
    }

    private static Document aggregate(String id, int events) {
        List<Document> outbox = new java.util.ArrayList<>();
        for (int version = 1; version <= events; version++) {
            outbox.add(event(id, version));
        }
        return new Document("_id", id).append(OutboxEvent.FIELD, outbox);
    }

    private static Document event(String id, int version) {
        return new Document("eventId", UUID.randomUUID().toString()).append("topic", TOPIC).append("key", id)
                .append("type", "TEST_EVENT").append("version", (long) version)
                .append("occurredAt", java.util.Date.from(Instant.now())).append("payload", "event-" + version);
    }
}
