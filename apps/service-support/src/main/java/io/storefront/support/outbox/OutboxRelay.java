package io.storefront.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.storefront.contracts.EventHeaders;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.storefront.support.tracing.TraceContexts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes the events waiting in aggregate documents' {@code outbox} arrays and removes each one once Kafka has
 * acknowledged it (idempotent producer, acks=all).
 *
 * <p>Three things start a drain. {@link OutboxWriter} reports every write with {@link #written}. A write that
 * found its document's outbox empty hands its events over: they are all that document has pending, so the relay sends them without reading the document
 * again. A write that found older events still pending names the document instead, and the next drain reads it by
 * id (a document named both ways in one drain is read, so nothing older is skipped). A periodic sweep scans for what
 * a crash or a Kafka outage left behind. Signals that arrive while a drain runs collapse into one more drain; drains
 * run one at a time. A crash between the send and the removal re-sends the event on the next drain; consumers ignore
 * it by its version. Events of one document are sent one after the other, each waiting for its acknowledgement, so a
 * failed send never lets a later event of the same aggregate overtake it.
 *
 * <p>Each event is published in a producer span that is a child of the trace context stored with it
 * ({@link OutboxEvent#traceparent}), so the publish joins the trace of the request that wrote the event even after a
 * restart or from another instance; the span's context goes into the record's headers. Events stored without a
 * context are published in a trace of their own.
 */
public class OutboxRelay implements SmartLifecycle {

    /** A document's pending events, oldest first. */
    private record Pending(Object id, List<OutboxEvent> events) {
    }

    private record Signal(String collection, Object id, List<OutboxEvent> handedOver) {
    }

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String PENDING = OutboxEvent.FIELD + ".0";

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<String, String> kafka;
    private final OutboxProperties properties;
    private final TraceContexts tracing;
    private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();
    private final AtomicLong pendingEvents = new AtomicLong();
    /** Documents whose new events wait for the next drain; {@code handedOver} is null where it must read them. */
    private final Queue<Signal> signals = new ConcurrentLinkedQueue<>();
    /** Set by the sweep timer (and at start); the next drain scans the collections. */
    private volatile boolean sweepDue = true;
    private final Counter published;
    private volatile Disposable loop;

    public OutboxRelay(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka, OutboxProperties properties,
                       MeterRegistry meters, TraceContexts tracing) {
        this.mongo = mongo;
        this.kafka = kafka;
        this.properties = properties;
        this.tracing = tracing;
        Gauge.builder("storefront.outbox.pending.events", pendingEvents, AtomicLong::get)
                .description("Events stored in aggregate documents and not yet acknowledged by Kafka")
                .register(meters);
        this.published = Counter.builder("storefront.outbox.published.events")
                .description("Events the outbox relay published and Kafka acknowledged")
                .register(meters);
    }

    /**
     * Asks for the pending events of one document to be published soon: the next drain reads that document by id
     * instead of scanning the collection, so publishing stays cheap however many documents there are. Like every
     * signal it is cheap and never blocks or fails, so a write that already succeeded is answered as such.
     */
    void wakeUp(String collection, Object id) {
        signals.add(new Signal(collection, id, null));
        signal();
    }

    /**
     * Call after a write that stored {@code added} in the document's outbox and succeeded only if the document was
     * unchanged since it was read with {@code pendingBefore}. When nothing was pending before, {@code added} is
     * exactly what the document now has pending, so the relay publishes it as handed over and saves a MongoDB read
     * per write; otherwise it reads the document, oldest event first.
     */
    void written(String collection, Object id, List<OutboxEvent> pendingBefore, List<OutboxEvent> added) {
        if (added.isEmpty()) {
            return;
        }
        if (!pendingBefore.isEmpty()) {
            wakeUp(collection, id);
            return;
        }
        signals.add(new Signal(collection, id, List.copyOf(added)));
        signal();
    }

    /**
     * Emissions into a sink must be serial and request threads signal concurrently, hence the lock (held for a
     * non-blocking hand-over only). A signal that finds a drain running is folded into the next one; should one ever
     * be dropped, the sweep publishes within {@code sweepInterval}.
     */
    private void signal() {
        Sinks.EmitResult result;
        synchronized (wakeUps) {
            result = wakeUps.tryEmitNext(Boolean.TRUE);
        }
        if (result.isFailure()) {
            log.debug("Outbox relay wake-up not delivered ({}); the sweep will publish", result);
        }
    }

    /**
     * Publishes the documents signalled since the last drain; when the sweep is due it scans the collections instead,
     * for anything pending — a crash's or an outage's leftovers included — and counts what is still pending.
     */
    Mono<Long> drainSignalled() {
        if (sweepDue) {
            sweepDue = false;
            signals.clear(); // everything they name is stored, so the sweep finds it
            return drain();
        }
        Map<String, SignalledDocuments> byCollection = new LinkedHashMap<>();
        for (Signal signal = signals.poll(); signal != null; signal = signals.poll()) {
            byCollection.computeIfAbsent(signal.collection(), c -> new SignalledDocuments()).add(signal);
        }
        return Flux.fromIterable(byCollection.entrySet())
                .concatMap(named -> publishAndRemove(named.getKey(), Flux.concat(
                        Flux.fromIterable(named.getValue().handedOver.entrySet())
                                .map(handed -> new Pending(handed.getKey(), handed.getValue())),
                        readPending(named.getKey(), named.getValue().toRead))))
                .reduce(0L, Long::sum);
    }

    /** One drain's signals for one collection: each document either handed over or read, never both. */
    private static final class SignalledDocuments {
        final Map<Object, List<OutboxEvent>> handedOver = new LinkedHashMap<>();
        final Set<Object> toRead = new LinkedHashSet<>();

        void add(Signal signal) {
            if (signal.handedOver() == null || toRead.contains(signal.id())
                    || handedOver.containsKey(signal.id())) {
                handedOver.remove(signal.id());
                toRead.add(signal.id());
            } else {
                handedOver.put(signal.id(), signal.handedOver());
            }
        }
    }

    /**
     * The named documents' pending events, in one query per collection: under load a drain serves many signals, and
     * each MongoDB round trip delays every event waiting behind it.
     */
    private Flux<Pending> readPending(String collection, Set<Object> ids) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        Query pending = Query.query(Criteria.where("_id").in(ids).and(PENDING).exists(true));
        pending.fields().include(OutboxEvent.FIELD);
        return mongo.find(pending, Document.class, collection).map(OutboxRelay::pending);
    }

    /** Publishes everything pending now; completes with the number of events Kafka acknowledged. */
    public Mono<Long> drain() {
        return Flux.fromIterable(properties.collections())
                .concatMap(collection -> {
                    Query pending = Query.query(Criteria.where(PENDING).exists(true)).limit(properties.batchSize());
                    pending.fields().include(OutboxEvent.FIELD);
                    return publishAndRemove(collection,
                            mongo.find(pending, Document.class, collection).map(OutboxRelay::pending));
                })
                .reduce(0L, Long::sum)
                .flatMap(sent -> countPending().thenReturn(sent));
    }

    /**
     * Sends the documents' events (documents in parallel, each document's events in order) and then removes all that
     * Kafka acknowledged with one update for the whole collection instead of one per document.
     */
    private Mono<Long> publishAndRemove(String collection, Flux<Pending> documents) {
        Map<Object, List<String>> sentById = new ConcurrentHashMap<>();
        return documents
                .flatMap(document -> publishDocument(collection, document)
                        .doOnNext(sent -> sentById.put(document.id(), sent)), properties.concurrency())
                .then(Mono.defer(() -> removeSent(collection, sentById)));
    }

    /** Completes with the ids of the events Kafka acknowledged, a prefix of the document's events. */
    private Mono<List<String>> publishDocument(String collection, Pending document) {
        List<String> sent = new ArrayList<>();
        return Flux.fromIterable(document.events())
                .concatMap(event -> send(event).doOnSuccess(ignored -> sent.add(event.eventId())))
                .then()
                .onErrorResume(error -> {
                    log.warn("Outbox relay: publishing from {} {} failed after {} of {} events, will retry: {}",
                            collection, document.id(), sent.size(), document.events().size(), error.toString());
                    return Mono.empty();
                })
                .then(Mono.fromSupplier(() -> sent));
    }

    private Mono<Void> send(OutboxEvent event) {
        var record = new ProducerRecord<>(event.topic(), event.key(), event.payload());
        record.headers().add(EventHeaders.TYPE, event.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.ID, event.eventId().getBytes(StandardCharsets.UTF_8));
        return Mono.defer(() -> publishInSpan(event, record))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block on metadata while Kafka is away
                .doOnSuccess(result -> {
                    published.increment();
                    log.debug("Published event {} ({}) key={} to {}", event.eventId(), event.type(), event.key(),
                            event.topic());
                })
                .then();
    }

    /** Sends {@code record} in its publish span, which ends when Kafka has answered. */
    private Mono<Void> publishInSpan(OutboxEvent event, ProducerRecord<String, String> record) {
        Span span = tracing.startProducing(event.traceparent(), record, "outbox publish " + event.topic())
                .tag(TraceContexts.EVENT_ID_TAG, event.eventId())
                .tag("storefront.event.type", event.type());
        CompletableFuture<?> sent;
        try (var scope = tracing.inScope(span)) {
            sent = kafka.send(record);
        } catch (RuntimeException e) {
            span.error(e);
            span.end();
            return Mono.error(e);
        }
        return Mono.fromFuture(sent)
                .doOnError(span::error)
                .doFinally(signal -> span.end())
                .then();
    }

    /** Event ids are unique, so pulling every sent id from every sending document removes exactly what was sent. */
    private Mono<Long> removeSent(String collection, Map<Object, List<String>> sentById) {
        List<String> sent = sentById.values().stream().flatMap(List::stream).toList();
        if (sent.isEmpty()) {
            return Mono.just(0L);
        }
        Query senders = Query.query(Criteria.where("_id").in(sentById.keySet()));
        Update pull = new Update().pull(OutboxEvent.FIELD, Query.query(Criteria.where("eventId").in(sent)));
        return mongo.updateMulti(senders, pull, collection).thenReturn((long) sent.size());
    }

    private static Pending pending(Document document) {
        List<OutboxEvent> events = document.getList(OutboxEvent.FIELD, Document.class, List.of()).stream()
                .map(OutboxRelay::event)
                .toList();
        return new Pending(document.get("_id"), events);
    }

    private static OutboxEvent event(Document stored) {
        Date occurredAt = stored.getDate("occurredAt");
        Number version = stored.get("version", Number.class);
        return new OutboxEvent(stored.getString("eventId"), stored.getString("topic"), stored.getString("key"),
                stored.getString("type"), version == null ? 0 : version.longValue(),
                occurredAt == null ? null : occurredAt.toInstant(), stored.getString("payload"),
                stored.getString("traceparent"));
    }

    private Mono<Void> countPending() {
        return Flux.fromIterable(properties.collections())
                .concatMap(collection -> {
                    Query pending = Query.query(Criteria.where(PENDING).exists(true));
                    pending.fields().include(OutboxEvent.FIELD + ".eventId");
                    return mongo.find(pending, Document.class, collection);
                })
                .map(document -> (long) document.getList(OutboxEvent.FIELD, Document.class, List.of()).size())
                .reduce(0L, Long::sum)
                .doOnNext(pendingEvents::set)
                .then();
    }

    @Override
    public void start() {
        Flux<Boolean> sweeps = Flux.interval(Duration.ZERO, properties.sweepInterval())
                .doOnNext(tick -> sweepDue = true)
                .map(tick -> Boolean.TRUE);
        loop = Flux.merge(wakeUps.asFlux(), sweeps)
                .onBackpressureLatest()
                .concatMap(signal -> drainSignalled().onErrorResume(error -> {
                    log.warn("Outbox relay drain failed, will retry: {}", error.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = loop;
        if (running != null) {
            running.dispose();
        }
        loop = null;
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }

    /** Start after the web server and listeners; stop before the Kafka producer closes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
