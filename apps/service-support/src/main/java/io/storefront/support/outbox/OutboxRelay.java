package io.storefront.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
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
 * <p>Two things start a drain: a {@link #wakeUp(String, Object)} after every write, naming the document (so a new
 * event goes out at once, read by id, not at the next poll), and a periodic sweep that scans for what a crash or a
 * Kafka outage left behind. Wake-ups that arrive while
 * a drain runs collapse into one more drain. A crash between the send and the removal re-sends the event on the next
 * drain; consumers ignore it by its version. Events of one document are sent one after the other, each waiting for
 * its acknowledgement, so a failed send never lets a later event of the same aggregate overtake it.
 */
public class OutboxRelay implements SmartLifecycle {

    private record Target(String collection, Object id) {
    }

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String PENDING = OutboxEvent.FIELD + ".0";

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<String, String> kafka;
    private final OutboxProperties properties;
    private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();
    private final AtomicLong pendingEvents = new AtomicLong();
    /** Documents whose new events wait for the next drain. */
    private final Queue<Target> targets = new ConcurrentLinkedQueue<>();
    private volatile boolean sweepRequested = true;
    private volatile long lastSweep = System.nanoTime();
    private final Counter published;
    private volatile Disposable loop;

    public OutboxRelay(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka, OutboxProperties properties,
                       MeterRegistry meters) {
        this.mongo = mongo;
        this.kafka = kafka;
        this.properties = properties;
        Gauge.builder("storefront.outbox.pending.events", pendingEvents, AtomicLong::get)
                .description("Events stored in aggregate documents and not yet acknowledged by Kafka")
                .register(meters);
        this.published = Counter.builder("storefront.outbox.published.events")
                .description("Events the outbox relay published and Kafka acknowledged")
                .register(meters);
    }

    /**
     * Asks for a full sweep soon. Like every wake-up it is cheap and never blocks or fails, so a write that already
     * succeeded is answered as such.
     */
    public void wakeUp() {
        sweepRequested = true;
        signal();
    }

    /**
     * Asks for the pending events of one document to be published soon: the next drain reads that document by id
     * instead of scanning the collection, so publishing stays cheap however many documents there are.
     */
    public void wakeUp(String collection, Object id) {
        targets.add(new Target(collection, id));
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
     * Publishes the documents named by wake-ups; at most once per {@code sweepInterval} (or when asked) it scans the
     * collections for anything else pending — a crash's or an outage's leftovers — and counts what is still pending.
     */
    Mono<Long> drainSignalled() {
        long now = System.nanoTime();
        // 9/10: a timer tick a hair early must not skip the sweep for a whole interval.
        if (sweepRequested || now - lastSweep >= properties.sweepInterval().toNanos() * 9 / 10) {
            sweepRequested = false;
            lastSweep = now;
            targets.clear();
            return drain();
        }
        // One query per collection for all documents named since the last drain, not one per document: under
        // load a drain serves many wake-ups, and each MongoDB round trip delays every event waiting behind it.
        Map<String, Set<Object>> idsByCollection = new LinkedHashMap<>();
        for (Target target = targets.poll(); target != null; target = targets.poll()) {
            idsByCollection.computeIfAbsent(target.collection(), c -> new LinkedHashSet<>()).add(target.id());
        }
        return Flux.fromIterable(idsByCollection.entrySet())
                .concatMap(named -> {
                    Query pending = Query.query(Criteria.where("_id").in(named.getValue()).and(PENDING).exists(true));
                    pending.fields().include(OutboxEvent.FIELD);
                    return mongo.find(pending, Document.class, named.getKey())
                            .flatMap(document -> publishDocument(named.getKey(), document), properties.concurrency());
                })
                .reduce(0L, Long::sum);
    }

    /** Publishes everything pending now; completes with the number of events Kafka acknowledged. */
    public Mono<Long> drain() {
        return Flux.fromIterable(properties.collections())
                .concatMap(this::drainCollection)
                .reduce(0L, Long::sum)
                .flatMap(sent -> countPending().thenReturn(sent));
    }

    private Mono<Long> drainCollection(String collection) {
        Query pending = Query.query(Criteria.where(PENDING).exists(true)).limit(properties.batchSize());
        pending.fields().include(OutboxEvent.FIELD);
        return mongo.find(pending, Document.class, collection)
                .flatMap(document -> publishDocument(collection, document), properties.concurrency())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> publishDocument(String collection, Document document) {
        Object id = document.get("_id");
        List<Document> events = document.getList(OutboxEvent.FIELD, Document.class, List.of());
        List<String> sent = new ArrayList<>();
        return Flux.fromIterable(events)
                .concatMap(event -> send(event).doOnSuccess(ignored -> sent.add(event.getString("eventId"))))
                .then()
                .onErrorResume(error -> {
                    log.warn("Outbox relay: publishing from {} {} failed after {} of {} events, will retry: {}",
                            collection, id, sent.size(), events.size(), error.toString());
                    return Mono.empty();
                })
                .then(Mono.defer(() -> removeSent(collection, id, sent)));
    }

    private Mono<Void> send(Document event) {
        var record = new ProducerRecord<>(event.getString("topic"), event.getString("key"), event.getString("payload"));
        record.headers().add("storefront-event-type", event.getString("type").getBytes(StandardCharsets.UTF_8));
        record.headers().add("storefront-event-id", event.getString("eventId").getBytes(StandardCharsets.UTF_8));
        return Mono.fromFuture(() -> kafka.send(record))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block on metadata while Kafka is away
                .doOnSuccess(result -> {
                    published.increment();
                    log.debug("Published event {} ({}) key={} to {}", event.getString("eventId"),
                            event.getString("type"), event.getString("key"), event.getString("topic"));
                })
                .then();
    }

    private Mono<Long> removeSent(String collection, Object id, List<String> sent) {
        if (sent.isEmpty()) {
            return Mono.just(0L);
        }
        Update pull = new Update().pull(OutboxEvent.FIELD, Query.query(Criteria.where("eventId").in(sent)));
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), pull, collection)
                .thenReturn((long) sent.size());
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
        Flux<Boolean> sweeps = Flux.interval(Duration.ZERO, properties.sweepInterval()).map(tick -> Boolean.TRUE);
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
