package io.storefront.support.outbox;

import io.storefront.contracts.StorefrontEvent;
import io.storefront.support.tracing.TraceContexts;
import io.storefront.support.web.ApiProblems;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.data.mongodb.core.mapping.MongoPersistentProperty;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way the services change an aggregate: read the document, decide a {@link Change} on that state, and write
 * the new state and the events announcing it in one MongoDB update that applies only if the document still has the
 * version that was read. A writer that loses that race to a faster one reads again and decides again, so no change
 * is made on a stale state and none is refused because another was faster. After a write the relay is told what to
 * publish.
 *
 * <p>Each event is stored with the trace context of the span the write runs in (the HTTP request, or the listener
 * applying a record), so publishing it continues that trace however much later and wherever it happens.
 */
public class OutboxWriter {

    /**
     * Lost races are retried from a fresh read after a short jittered pause, so writers that collided do not collide
     * again in step. The bound (about two and a half seconds of pauses) only stops a write that keeps losing under a
     * pathological load; it then fails as 503 rather than waiting for ever.
     */
    private static final Retry LOST_RACES = Retry.backoff(30, Duration.ofMillis(2))
            .maxBackoff(Duration.ofMillis(100))
            .jitter(0.75)
            .filter(LostRace.class::isInstance)
            .onRetryExhaustedThrow((spec, signal) -> ApiProblems.busy(
                    "The resource is being changed by many writers at once; retry the request"));

    private final ReactiveMongoTemplate mongo;
    private final OutboxRelay relay;
    private final JsonMapper json;
    private final TraceContexts tracing;

    public OutboxWriter(ReactiveMongoTemplate mongo, OutboxRelay relay, JsonMapper json, TraceContexts tracing) {
        this.mongo = mongo;
        this.relay = relay;
        this.json = json;
        this.tracing = tracing;
    }

    /**
     * Reads the {@code type} document {@code id} (empty if there is none), lets {@code decide} choose the change,
     * and writes it. {@code decide} runs once per attempt, on the state that attempt read; what it throws fails the
     * write as it is. Completes with the chosen change's result (empty for a null result).
     */
    public <A extends OutboxAggregate, R> Mono<R> write(Class<A> type, Object id,
                                                        Function<Optional<A>, Change<A, R>> decide) {
        return Mono.deferContextual(context -> {
            String traceparent = tracing.current(context);
            // A retry subscribes again: a fresh read, and a fresh decision on it.
            return mongo.findById(id, type)
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(current -> apply(type, id, current, decide.apply(current), traceparent))
                    .retryWhen(LOST_RACES);
        });
    }

    /**
     * Writes a new aggregate under an id nobody else holds (such as a fresh random one) with its events: one insert and
     * no read, since there is no state to decide on. An existing document under that id fails the write and is left
     * as it is.
     */
    public <A extends OutboxAggregate> Mono<A> create(Class<A> type, Object id, A document,
                                                      List<? extends StorefrontEvent> events) {
        return Mono.deferContextual(context -> insert(type, id, document, outboxEvents(events, tracing.current(context)))
                .onErrorMap(LostRace.class, race -> new IllegalStateException(
                        type.getSimpleName() + " " + id + " exists: a new aggregate needs an id of its own"))
                .thenReturn(document));
    }

    private <A extends OutboxAggregate, R> Mono<R> apply(Class<A> type, Object id, Optional<A> current,
                                                         Change<A, R> change, String traceparent) {
        if (change instanceof Change.Insert<A, R> insert) {
            if (current.isPresent()) {
                throw new IllegalArgumentException(type.getSimpleName() + " " + id + " exists; replace it");
            }
            return insert(type, id, insert.document(), outboxEvents(insert.events(), traceparent))
                    .then(Mono.justOrEmpty(insert.result()));
        }
        if (change instanceof Change.Replace<A, R> replace) {
            A stored = current.orElseThrow(() ->
                    new IllegalArgumentException(type.getSimpleName() + " " + id + " does not exist; insert it"));
            if (replace.next().version() != stored.version() + 1) {
                throw new IllegalArgumentException("A write raises the version by one: " + stored.version()
                        + " cannot become " + replace.next().version());
            }
            return replace(type, id, stored, replace.next(), outboxEvents(replace.events(), traceparent))
                    .then(Mono.justOrEmpty(replace.result()));
        }
        return Mono.justOrEmpty(change.result());
    }

    private <A extends OutboxAggregate> Mono<Void> insert(Class<A> type, Object id, A document,
                                                          List<OutboxEvent> events) {
        MongoConverter converter = mongo.getConverter();
        Document stored = new Document();
        converter.write(document, stored);
        stored.put(OutboxEvent.FIELD, events.stream().map(converter::convertToMongoType).toList());
        String collection = mongo.getCollectionName(type);
        return mongo.insert(stored, collection)
                .onErrorMap(DuplicateKeyException.class, e -> new LostRace())
                .doOnSuccess(inserted -> relay.written(collection, id, List.of(), events))
                .then();
    }

    private <A extends OutboxAggregate> Mono<Void> replace(Class<A> type, Object id, A stored, A next,
                                                           List<OutboxEvent> events) {
        Query unchanged = Query.query(Criteria.where("_id").is(id)
                .and(OutboxAggregate.VERSION_FIELD).is(stored.version()));
        Update update = stateOf(next);
        if (!events.isEmpty()) {
            update.push(OutboxEvent.FIELD).each(events.toArray());
        }
        String collection = mongo.getCollectionName(type);
        return mongo.updateFirst(unchanged, update, collection)
                .flatMap(result -> result.getMatchedCount() == 1 ? Mono.empty() : Mono.error(new LostRace()))
                .doOnSuccess(written -> relay.written(collection, id, stored.outbox(), events))
                .then();
    }

    /**
     * Sets every mapped field of {@code next} but its id and outbox (the relay removes sent events from the outbox
     * concurrently, so only {@code $push} touches it) and unsets the fields that are now null.
     */
    private Update stateOf(OutboxAggregate next) {
        MongoConverter converter = mongo.getConverter();
        Document fields = new Document();
        converter.write(next, fields);
        MongoPersistentEntity<?> entity = converter.getMappingContext().getRequiredPersistentEntity(next.getClass());
        Update update = new Update();
        for (MongoPersistentProperty property : entity) {
            String field = property.getFieldName();
            if (property.isIdProperty() || field.equals(OutboxEvent.FIELD)) {
                continue;
            }
            if (fields.containsKey(field)) {
                update.set(field, fields.get(field));
            } else {
                update.unset(field);
            }
        }
        return update;
    }

    private List<OutboxEvent> outboxEvents(List<? extends StorefrontEvent> events, String traceparent) {
        return events.stream().map(event -> OutboxEvent.of(event, json, traceparent)).toList();
    }

    /** Another writer changed the document between this attempt's read and its write. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super(null, null, false, false);
        }
    }
}
