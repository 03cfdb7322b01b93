package io.storefront.contracts;

/**
 * Kafka record headers that repeat an event's type and id for tools (consoles, dead-letter triage). Consumers read
 * both from the JSON payload and do not need them.
 */
public final class EventHeaders {

    public static final String TYPE = "storefront-event-type";
    public static final String ID = "storefront-event-id";

    private EventHeaders() {
    }
}
