package io.storefront.support.kafka;

import io.micrometer.tracing.Span;
import io.storefront.contracts.StorefrontEvent;
import io.storefront.support.tracing.TraceContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.listener.BatchListenerFailedException;
import reactor.core.publisher.Mono;

/**
 * How every listener applies a record: read it as an event (poison is rejected with its reason), apply it and block
 * until MongoDB confirmed — so a partition is applied strictly in order and its offset is committed only after the
 * write — then record the propagation lag. The event and aggregate ids are in the logging context (MDC) meanwhile.
 *
 * <p>A batch listener hands over a whole poll instead ({@link #applyAll}): one write for many events, same order and
 * commit guarantees.
 *
 * <p>Every record is applied in a span of its own, a child of the trace context in its headers, so the trace of the
 * change that produced the event ends in the consumer that applied it. A single record's span is current while it is
 * applied: its trace and span ids are in the logging context, and events that the change writes carry its trace on.
 * In a batch each record still gets its own span, all of them covering the one shared write (a batch span with links
 * would leave every change's own trace without its apply step).
 */
public class EventApplier {

    private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

    private final EventReader reader;
    private final PropagationLag lag;
    private final Duration writeTimeout;
    private final TraceContexts tracing;

    public EventApplier(EventReader reader, PropagationLag lag, Duration writeTimeout, TraceContexts tracing) {
        this.reader = reader;
        this.lag = lag;
        this.writeTimeout = writeTimeout;
        this.tracing = tracing;
    }

    /**
     * @param change stores the event's effect; emits whether anything changed (false: a replay, a duplicate, an
     *               older version, or an event this consumer has no use for)
     */
    public <E extends StorefrontEvent> boolean apply(ConsumerRecord<String, String> record, Class<E> type,
                                                     Function<E, Mono<Boolean>> change) {
        Span span = applySpan(record);
        try (var scope = tracing.inScope(span)) {
            E event = reader.read(record.key(), record.value(), type);
            span.tag(TraceContexts.EVENT_ID_TAG, event.eventId().toString());
            try (var eventId = MDC.putCloseable("eventId", event.eventId().toString());
                 var aggregateId = MDC.putCloseable("aggregateId", event.aggregateId())) {
                boolean applied = Boolean.TRUE.equals(
                        change.apply(event).contextWrite(tracing.withSpan(span)).block(writeTimeout));
                if (applied) {
                    lag.record(record.topic(), event.occurredAt());
                }
                log.info("{} {} {} version {} from {}-{}@{}: {}", applied ? "Applied" : "Ignored", event.typeName(),
                        event.aggregateId(), event.version(), record.topic(), record.partition(), record.offset(),
                        applied ? "stored" : "nothing newer to store");
                return applied;
            }
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    private Span applySpan(ConsumerRecord<String, String> record) {
        return tracing.startConsuming(record, "apply " + record.topic());
    }

    /**
     * Applies a poll's records of one listener with one {@code change} call, for a listener whose events can be
     * applied together (each carries the aggregate's full state; {@code change} keeps their order per aggregate).
     * Records are read in order; the first poison record ends the batch: the events before it are applied, then a
     * {@link BatchListenerFailedException} names it, so the error handler commits what went before, dead-letters that
     * record alone and redelivers the rest. A failed write names the first record, so the error handler retries the
     * whole batch with its back-off (the version filters make that repeat harmless).
     *
     * @param usable  throws {@link PoisonEventException} for an event this listener can never apply
     * @param change  stores the events' effect in one go; emits the events that changed something
     */
    public <E extends StorefrontEvent> void applyAll(List<ConsumerRecord<String, String>> records, Class<E> type,
                                                     Consumer<E> usable,
                                                     Function<List<E>, Mono<? extends Collection<E>>> change) {
        List<E> events = new ArrayList<>(records.size());
        List<Span> spans = new ArrayList<>(records.size());
        PoisonEventException poison = null;
        try {
            for (ConsumerRecord<String, String> record : records) {
                Span span = applySpan(record);
                spans.add(span);
                try {
                    E event = reader.read(record.key(), record.value(), type);
                    span.tag(TraceContexts.EVENT_ID_TAG, event.eventId().toString());
                    usable.accept(event);
                    events.add(event);
                } catch (PoisonEventException e) {
                    span.error(e);
                    poison = e;
                    break;
                }
            }
            write(records, events, change);
        } catch (RuntimeException e) {
            spans.forEach(span -> span.error(e));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
        if (poison != null) {
            throw new BatchListenerFailedException(poison.getMessage(), poison, events.size());
        }
    }

    private <E extends StorefrontEvent> void write(List<ConsumerRecord<String, String>> records, List<E> events,
                                                   Function<List<E>, Mono<? extends Collection<E>>> change) {
        if (events.isEmpty()) {
            return;
        }
        Collection<E> applied;
        try {
            applied = change.apply(events).block(writeTimeout);
        } catch (RuntimeException e) {
            throw new BatchListenerFailedException("Writing " + events.size() + " events failed: " + e, e, 0);
        }
        String topic = records.get(0).topic();
        int changed = applied == null ? 0 : applied.size();
        if (applied != null) {
            applied.forEach(event -> lag.record(topic, event.occurredAt()));
        }
        ConsumerRecord<String, String> first = records.get(0);
        ConsumerRecord<String, String> last = records.get(events.size() - 1);
        log.info("Applied {} of {} events from {}-{}@{} to {}-{}@{} (the rest: not newer than stored, or superseded "
                + "in the batch)", changed, events.size(), topic, first.partition(), first.offset(), topic,
                last.partition(), last.offset());
    }
}
