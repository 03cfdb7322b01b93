package io.storefront.support.kafka;

import io.storefront.contracts.StorefrontEvent;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a record's JSON text into an event, or rejects it as poison with the reason. It reads as a tolerant reader:
 * fields it does not know are ignored, so a producer may add optional fields without breaking this consumer (the
 * compatibility rules in docs/design.md); everything else is as strict as the API's input.
 */
public class EventReader {

    private final JsonMapper json;
    private final Validator validator;
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    public EventReader(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <E extends StorefrontEvent> E read(String key, String payload, Class<E> type) {
        if (payload == null || payload.isBlank()) {
            throw new PoisonEventException("empty record value");
        }
        E event;
        try {
            event = readers.computeIfAbsent(type,
                    t -> json.readerFor(t).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).readValue(payload);
        } catch (JacksonException e) {
            throw new PoisonEventException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
        if (event == null || event.eventId() == null || event.aggregateId() == null || event.occurredAt() == null
                || event.typeName() == null || event.version() < 1) {
            throw new PoisonEventException(type.getSimpleName() + " lacks eventId, aggregate id, type, occurredAt or a positive version");
        }
        if (key != null && !Objects.equals(key, event.aggregateId())) {
            throw new PoisonEventException("record key " + key + " is not the event's aggregate id " + event.aggregateId());
        }
        Set<ConstraintViolation<E>> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            ConstraintViolation<E> first = violations.iterator().next();
            throw new PoisonEventException("invalid " + type.getSimpleName() + ": " + first.getPropertyPath() + " "
                    + first.getMessage());
        }
        return event;
    }
}
