package io.storefront.support.outbox;

import io.storefront.contracts.StorefrontEvent;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event waiting in its aggregate's document to be published. It is written in the same document update as the
 * state change that caused it, so the change and its event are stored atomically or not at all.
 *
 * @param payload     the event as the JSON text that goes on the wire, so the relay needs no knowledge of event types
 * @param traceparent the W3C trace context of the span that wrote the event, so the span that publishes it joins
 *                    that trace whenever and wherever the relay runs; null when the write was not traced
 */
public record OutboxEvent(String eventId, String topic, String key, String type, long version, Instant occurredAt,
                          String payload, String traceparent) {

    /** The field of every aggregate document that holds its pending events, oldest first. */
    public static final String FIELD = "outbox";

    public static OutboxEvent of(StorefrontEvent event, JsonMapper json, String traceparent) {
        return new OutboxEvent(event.eventId().toString(), event.topic(), event.aggregateId(), event.typeName(),
                event.version(), event.occurredAt(), json.writeValueAsString(event), traceparent);
    }
}
