package io.storefront.support.kafka;

import io.storefront.contracts.StorefrontEvent;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

/**
 * How every listener applies a record: read it as an event (poison is rejected with its reason), apply it and block
 * until MongoDB confirmed — so a partition is applied strictly in order and its offset is committed only after the
 * write — then record the propagation lag. The event and aggregate ids are in the logging context (MDC) meanwhile.
 */
public class EventApplier {

    private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

    private final EventReader reader;
    private final PropagationLag lag;
    private final Duration writeTimeout;

    public EventApplier(EventReader reader, PropagationLag lag, Duration writeTimeout) {
        this.reader = reader;
        this.lag = lag;
        this.writeTimeout = writeTimeout;
    }

    /**
     * @param change stores the event's effect; emits whether anything changed (false: a replay, a duplicate, an
     *               older version, or an event this consumer has no use for)
     */
    public <E extends StorefrontEvent> boolean apply(ConsumerRecord<String, String> record, Class<E> type,
                                                     Function<E, Mono<Boolean>> change) {
        E event = reader.read(record.key(), record.value(), type);
        try (var eventId = MDC.putCloseable("eventId", event.eventId().toString());
             var aggregateId = MDC.putCloseable("aggregateId", event.aggregateId())) {
            boolean applied = Boolean.TRUE.equals(change.apply(event).block(writeTimeout));
            if (applied) {
                lag.record(record.topic(), event.occurredAt());
            }
            log.info("{} {} {} version {} from {}-{}@{}: {}", applied ? "Applied" : "Ignored", event.typeName(),
                    event.aggregateId(), event.version(), record.topic(), record.partition(), record.offset(),
                    applied ? "stored" : "nothing newer to store");
            return applied;
        }
    }
}
