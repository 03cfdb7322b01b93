package io.storefront.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * What every event on a storefront topic carries. The version increases with each change of the aggregate, so a
 * consumer can ignore anything at or below the version it already applied.
 */
public interface StorefrontEvent {

    UUID eventId();

    /** The Kafka record key: all events of one aggregate land in one partition, in order. */
    String aggregateId();

    long version();

    Instant occurredAt();

    /** The event type as written on the wire, e.g. {@code CUSTOMER_CHANGED}. */
    String typeName();

    String topic();
}
