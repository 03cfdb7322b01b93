package io.storefront.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.storefront.contracts.CustomerEvent;
import io.storefront.support.test.InMemoryMongo;
import io.storefront.support.tracing.TraceContexts;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The one write path: a change and its events in one conditional update, retried from a fresh read when it loses. */
class OutboxWriterTest {

    @org.springframework.data.mongodb.core.mapping.Document("widgets")
    record Widget(@Id String id, long version, int count, String note, List<OutboxEvent> outbox)
            implements OutboxAggregate {

        Widget next(int newCount, String newNote) {
            return new Widget(id, version + 1, newCount, newNote, List.of());
        }
    }

    static MongoClient client;

    ReactiveMongoTemplate mongo;
    OutboxWriter writer;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(InMemoryMongo.connectionString());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void setUp() {
        mongo = new ReactiveMongoTemplate(client, "writer-" + UUID.randomUUID());
        // Not started: the writer only hands it what to publish; publishing is OutboxRelayTest's subject.
        OutboxRelay relay = new OutboxRelay(mongo, null, new OutboxProperties(List.of("widgets"), null, 10, 1),
                new SimpleMeterRegistry(), TraceContexts.none());
        writer = new OutboxWriter(mongo, relay, JsonMapper.builder().build(), TraceContexts.none());
    }

    @Test
    void anInsertStoresTheDocumentWithItsEventsPending() {
        insert("w-1", "first");

        Widget stored = mongo.findById("w-1", Widget.class).block();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.note()).isEqualTo("first");
        assertThat(stored.outbox()).extracting(OutboxEvent::version).containsExactly(1L);
    }

    @Test
    void aReplaceSetsTheNewStateUnsetsWhatBecameNullAndAppendsItsEvents() {
        insert("w-2", "to be cleared");

        StepVerifier.create(writer.write(Widget.class, "w-2", stored -> {
            Widget next = stored.orElseThrow().next(5, null);
            return Change.replace(next, List.of(event("w-2", next.version())), next.count());
        })).expectNext(5).verifyComplete();

        Document raw = mongo.findById("w-2", Document.class, "widgets").block();
        assertThat(raw.get("count")).isEqualTo(5);
        assertThat(raw.containsKey("note")).isFalse();
        assertThat(mongo.findById("w-2", Widget.class).block().outbox())
                .extracting(OutboxEvent::version).containsExactly(1L, 2L);
    }

    @Test
    void concurrentWritersAreEachAppliedOnceOnTheStateBeforeThem() {
        insert("w-3", null);
        int writers = 25;

        Flux.range(0, writers)
                .flatMap(i -> writer.write(Widget.class, "w-3", stored -> {
                    Widget current = stored.orElseThrow();
                    Widget next = current.next(current.count() + 1, null);
                    return Change.replace(next, List.of(event("w-3", next.version())), next.version());
                }), writers)
                .collectList()
                .as(StepVerifier::create)
                .assertNext(versions -> assertThat(versions).doesNotHaveDuplicates().hasSize(writers))
                .verifyComplete();

        Widget stored = mongo.findById("w-3", Widget.class).block();
        assertThat(stored.count()).isEqualTo(writers);
        assertThat(stored.version()).isEqualTo(1 + writers);
        assertThat(stored.outbox()).extracting(OutboxEvent::version)
                .isSorted().doesNotHaveDuplicates().hasSize(1 + writers);
    }

    @Test
    void aDecisionThatFailsWritesNothingAndNoneWritesNothing() {
        insert("w-4", "kept");

        StepVerifier.create(writer.write(Widget.class, "w-4", stored -> {
            throw new IllegalStateException("refused");
        })).expectErrorMessage("refused").verify();
        StepVerifier.create(writer.write(Widget.class, "w-4", stored -> Change.none("nothing")))
                .expectNext("nothing").verifyComplete();

        Widget stored = mongo.findById("w-4", Widget.class).block();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.outbox()).hasSize(1);
    }

    @Test
    void aReplaceMustRaiseTheVersionByExactlyOne() {
        insert("w-5", null);

        StepVerifier.create(writer.write(Widget.class, "w-5", stored ->
                        Change.replace(stored.orElseThrow().next(1, null).next(2, null), List.of(), 0)))
                .expectError(IllegalArgumentException.class)
                .verify();
        assertThat(mongo.findById("w-5", Widget.class).block().version()).isEqualTo(1);
    }

    @Test
    void aWriteThatLosesEveryRaceGivesUpAsServiceUnavailable() {
        insert("w-6", null);

        // Every decision is overtaken by another writer before it is written.
        StepVerifier.create(writer.write(Widget.class, "w-6", stored -> {
                    mongo.updateFirst(Query.query(Criteria.where("_id").is("w-6")),
                            new Update().inc(OutboxAggregate.VERSION_FIELD, 1), Widget.class).block();
                    return Change.replace(stored.orElseThrow().next(1, null), List.of(), 0);
                }))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ErrorResponseException.class,
                        problem -> assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)))
                .verify();
    }

    @Test
    void aNewAggregateIsInsertedWithItsEventsWithoutAReadAndNeverOverAnother() {
        List<String> commands = new CopyOnWriteArrayList<>();
        MongoClient counted = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(InMemoryMongo.connectionString()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        commands.add(event.getCommandName());
                    }
                })
                .build());
        try (counted) {
            ReactiveMongoTemplate countedMongo = new ReactiveMongoTemplate(counted, mongo.getMongoDatabase()
                    .map(database -> database.getName()).block());
            OutboxWriter countedWriter = new OutboxWriter(countedMongo, new OutboxRelay(countedMongo, null,
                    new OutboxProperties(List.of("widgets"), null, 10, 1), new SimpleMeterRegistry(),
                    TraceContexts.none()), JsonMapper.builder().build(), TraceContexts.none());
            Widget created = new Widget("w-7", 1, 3, "new", List.of());

            StepVerifier.create(countedWriter.create(Widget.class, "w-7", created, List.of(event("w-7", 1))))
                    .expectNext(created)
                    .verifyComplete();
            assertThat(commands).containsExactly("insert");

            StepVerifier.create(countedWriter.create(Widget.class, "w-7", new Widget("w-7", 1, 9, "other", List.of()),
                            List.of(event("w-7", 1))))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("w-7 exists"))
                    .verify();
        }
        Widget stored = mongo.findById("w-7", Widget.class).block();
        assertThat(stored.note()).isEqualTo("new");
        assertThat(stored.outbox()).extracting(OutboxEvent::version).containsExactly(1L);
    }

    private void insert(String id, String note) {
        StepVerifier.create(writer.write(Widget.class, id, stored -> Change.insert(
                        new Widget(id, 1, 0, note, List.of()), List.of(event(id, 1)), id)))
                .expectNext(id)
                .verifyComplete();
    }

    private static CustomerEvent event(String id, long version) {
        return new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_DELETED, id, version, Instant.now(),
                null);
    }
}
