package io.storefront.support.outbox;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param collections the MongoDB collections whose documents carry an {@code outbox} array
 * @param sweepInterval how often to look for events that a wake-up did not publish (crash, Kafka outage)
 * @param batchSize documents read per collection and drain
 * @param concurrency documents published in parallel (events within one document always go in order)
 */
@ConfigurationProperties("storefront.outbox")
public record OutboxProperties(
        List<String> collections,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("16") int concurrency) {

    public OutboxProperties {
        collections = collections == null ? List.of() : List.copyOf(collections);
    }
}
