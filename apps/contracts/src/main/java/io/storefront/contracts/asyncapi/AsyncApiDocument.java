package io.storefront.contracts.asyncapi;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.EventHeaders;
import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.StorefrontEvent;
import io.storefront.contracts.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storefront's event contracts as an AsyncAPI 3.0 document: every topic and its dead-letter topic, who sends and
 * who receives, the record key, the headers and each message's payload schema (derived from the event records by
 * {@link RecordSchemas}). Built from the code, so the document and the events cannot disagree. A plain map tree;
 * each service serves it as JSON.
 */
public final class AsyncApiDocument {

    /** One topic: its events, who publishes them, who applies them, and what the record key is. */
    record Stream(String id, String topic, Class<? extends StorefrontEvent> event, String producer, String consumer,
                  String key, String description) {
    }

    static final List<Stream> STREAMS = List.of(
            new Stream("customerChanges", Topics.CUSTOMER_CHANGES, CustomerEvent.class, "accounts", "orders",
                    "the customer id", "Every change of a customer: its public data (never card data) or its deletion."),
            new Stream("orderChanges", Topics.ORDER_CHANGES, OrderEvent.class, "orders", "fulfillment",
                    "the order id", "Orders placed and decided; FULFILLMENT_REQUESTED asks fulfillment to ship one."),
            new Stream("fulfillmentChanges", Topics.FULFILLMENT_CHANGES, FulfillmentEvent.class, "fulfillment",
                    "orders", "the order id", "The shipping status of each order's fulfillment."));

    private static final String DEAD_LETTER = "DeadLetter";

    private AsyncApiDocument() {
    }

    /** The document for the given release {@code version}. */
    public static Map<String, Object> describe(String version) {
        RecordSchemas schemas = new RecordSchemas();
        Map<String, Object> channels = new LinkedHashMap<>();
        Map<String, Object> operations = new LinkedHashMap<>();
        Map<String, Object> messages = new LinkedHashMap<>();
        for (Stream stream : STREAMS) {
            String message = stream.event().getSimpleName();
            messages.put(message, message(stream, schemas.add(stream.event())));
            channels.put(stream.id(), channel(stream.topic(), stream.description(), message));
            String deadLetters = stream.id() + "DeadLetters";
            channels.put(deadLetters, channel(Topics.deadLetterOf(stream.topic()),
                    "Records of " + stream.topic() + " that " + stream.consumer() + " can never apply, with the reason"
                            + " in the kafka_dlt-exception-* headers.", DEAD_LETTER));
            operations.put(stream.producer() + "Publishes" + message, operation("send", stream.id(), message,
                    stream.producer() + " publishes from its outbox, in version order per key."));
            operations.put(stream.consumer() + "Applies" + message, operation("receive", stream.id(), message,
                    stream.consumer() + " applies each event once, in order, ignoring any at or below the version it"
                            + " stored."));
            operations.put(stream.consumer() + "DeadLetters" + message, operation("send", deadLetters, DEAD_LETTER,
                    stream.consumer() + " sends a record it can never apply here and moves on."));
        }
        messages.put(DEAD_LETTER, deadLetterMessage());

        Map<String, Object> components = new LinkedHashMap<>();
        components.put("messages", messages);
        components.put("schemas", schemas.all());

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("asyncapi", "3.0.0");
        document.put("info", Map.of(
                "title", "Storefront events",
                "version", version,
                "description", "Events that keep accounts, orders and fulfillment eventually consistent. JSON, UTF-8,"
                        + " no type headers; every event carries eventId, type, its aggregate's id, a version that rises"
                        + " with each change of the aggregate, and occurredAt. Compatibility rules: docs/design.md."));
        document.put("defaultContentType", "application/json");
        document.put("channels", channels);
        document.put("operations", operations);
        document.put("components", components);
        return document;
    }

    private static Map<String, Object> channel(String address, String description, String message) {
        return ordered("address", address,
                "description", description,
                "messages", Map.of(message, Map.of("$ref", "#/components/messages/" + message)));
    }

    private static Map<String, Object> operation(String action, String channel, String message, String summary) {
        return ordered("action", action,
                "channel", Map.of("$ref", "#/channels/" + channel),
                "summary", summary,
                "messages", List.of(Map.of("$ref", "#/channels/" + channel + "/messages/" + message)));
    }

    private static Map<String, Object> message(Stream stream, Map<String, Object> payload) {
        return ordered("name", stream.event().getSimpleName(),
                "title", stream.event().getSimpleName() + " on " + stream.topic(),
                "contentType", "application/json",
                "headers", headers(Map.of(
                        EventHeaders.TYPE, "The event's type, as in the payload",
                        EventHeaders.ID, "The event's id, as in the payload",
                        EventHeaders.TRACE_PARENT, "W3C trace context of the publishing span, a child of the request"
                                + " that made the change (docs/design.md, Tracing); consumers continue the trace")),
                "payload", payload,
                "bindings", kafkaKey("The aggregate's id: " + stream.key() + "; one aggregate's events stay in one"
                        + " partition, in order"));
    }

    private static Map<String, Object> deadLetterMessage() {
        return ordered("name", DEAD_LETTER,
                "title", "A record a consumer could not apply",
                "contentType", "application/json",
                "headers", headers(Map.of(
                        "kafka_dlt-exception-fqcn", "The exception that made the record unusable",
                        "kafka_dlt-exception-message", "Why the record was refused",
                        "kafka_dlt-original-topic", "Where the record came from",
                        "kafka_dlt-original-partition", "Its partition there",
                        "kafka_dlt-original-offset", "Its offset there")),
                "payload", Map.of("description", "The original record's value, unchanged (it may not be JSON)"),
                "bindings", kafkaKey("The original record's key"));
    }

    private static Map<String, Object> headers(Map<String, String> described) {
        Map<String, Object> properties = new LinkedHashMap<>();
        described.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(header ->
                properties.put(header.getKey(), Map.of("type", "string", "description", header.getValue())));
        return Map.of("type", "object", "properties", properties);
    }

    private static Map<String, Object> kafkaKey(String description) {
        return Map.of("kafka", ordered("key", Map.of("type", "string", "description", description),
                "bindingVersion", "0.5.0"));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
