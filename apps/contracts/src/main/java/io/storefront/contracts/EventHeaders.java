package io.storefront.contracts;

/**
 * Kafka record headers of every event: its type and id repeated for tools (consoles, dead-letter triage; consumers read
 * both from the JSON payload), and the trace context of the change that caused it.
 */
public final class EventHeaders {

    public static final String TYPE = "storefront-event-type";
    public static final String ID = "storefront-event-id";
    /** The W3C trace context header (https://www.w3.org/TR/trace-context/) the relay writes and the listeners read. */
    public static final String TRACE_PARENT = "traceparent";

    private EventHeaders() {
    }
}
