package io.storefront.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.tracing.TraceContexts;
import jakarta.validation.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The batch path of {@link EventApplier}: what is written, what the error handler is told, what is measured. */
class EventApplierTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EventApplier applier = new EventApplier(
            new EventReader(json, Validation.buildDefaultValidatorFactory().getValidator()),
            new PropagationLag(meters, Clock.systemUTC()), Duration.ofSeconds(5), TraceContexts.none());
    private final List<List<CustomerEvent>> writes = new ArrayList<>();

    @Test
    void aBatchIsWrittenInOneCallAndTheLagIsRecordedForWhatChanged() {
        var first = deleted("a", 1);
        var second = deleted("b", 1);

        applier.applyAll(List.of(record(0, first), record(1, second)), CustomerEvent.class, event -> { },
                events -> write(events, List.of(second)));

        assertThat(writes).containsExactly(List.of(first, second));
        assertThat(meters.get("storefront.propagation.lag").tag("topic", Topics.CUSTOMER_CHANGES).timer().count())
                .isEqualTo(1);
    }

    @Test
    void aPoisonRecordEndsTheBatchAfterTheEventsBeforeItAreWrittenAndIsNamedByItsIndex() {
        var before = deleted("a", 1);
        var records = List.of(record(0, before), new ConsumerRecord<>(Topics.CUSTOMER_CHANGES, 0, 1, "b", "{not json"),
                record(2, deleted("c", 1)));

        var failure = catchThrowableOfType(BatchListenerFailedException.class, () -> applier.applyAll(records,
                CustomerEvent.class, event -> { }, events -> write(events, events)));

        assertThat(writes).containsExactly(List.of(before));
        assertThat(failure.getIndex()).isEqualTo(1);
        assertThat(failure.getCause()).isInstanceOf(PoisonEventException.class);
    }

    @Test
    void anEventTheListenerCannotUseIsPoisonAtItsIndex() {
        var records = List.of(record(0, deleted("a", 1)), record(1, deleted("b", 1)));

        var failure = catchThrowableOfType(BatchListenerFailedException.class, () -> applier.applyAll(records,
                CustomerEvent.class, event -> {
                    if (event.customerId().equals("b")) {
                        throw new PoisonEventException("unusable");
                    }
                }, events -> write(events, events)));

        assertThat(failure.getIndex()).isEqualTo(1);
        assertThat(writes).hasSize(1);
    }

    @Test
    void aFailedWriteNamesTheFirstRecordSoTheWholeBatchIsRetried() {
        var records = List.of(record(0, deleted("a", 1)), record(1, deleted("b", 1)));

        var failure = catchThrowableOfType(BatchListenerFailedException.class, () -> applier.applyAll(records,
                CustomerEvent.class, event -> { }, events -> Mono.error(new IllegalStateException("MongoDB away"))));

        assertThat(failure.getIndex()).isZero();
        assertThat(failure.getCause()).hasMessage("MongoDB away");
        assertThat(meters.find("storefront.propagation.lag").timer()).isNull();
    }

    private Mono<List<CustomerEvent>> write(List<CustomerEvent> events, List<CustomerEvent> changed) {
        writes.add(List.copyOf(events));
        return Mono.just(changed);
    }

    private static CustomerEvent deleted(String customerId, long version) {
        return new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_DELETED, customerId, version,
                Instant.now(), null);
    }

    private ConsumerRecord<String, String> record(long offset, CustomerEvent event) {
        return new ConsumerRecord<>(Topics.CUSTOMER_CHANGES, 0, offset, event.customerId(), json.writeValueAsString(event));
    }
}
