package io.storefront.support.outbox;

import java.util.List;

/**
 * An aggregate stored as one MongoDB document that carries its own pending events. Its {@code version} field rises
 * by one with every write, which is what makes a write conditional on the state it was decided on; {@code outbox}
 * holds the events written with the state and not yet acknowledged by Kafka, oldest first.
 */
public interface OutboxAggregate {

    /** The document field that holds {@link #version()}. */
    String VERSION_FIELD = "version";

    long version();

    List<OutboxEvent> outbox();
}
