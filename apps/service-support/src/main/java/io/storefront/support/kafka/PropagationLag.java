package io.storefront.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Time from an event being stored by its producer to its effect being stored by a consumer. */
public class PropagationLag {

    private final MeterRegistry meters;
    private final Clock clock;

    public PropagationLag(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    public void record(String topic, Instant occurredAt) {
        Duration lag = Duration.between(occurredAt, clock.instant());
        Timer.builder("storefront.propagation.lag")
                .description("Time from an event being stored by its producer to this service applying it")
                .tag("topic", topic)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }
}
