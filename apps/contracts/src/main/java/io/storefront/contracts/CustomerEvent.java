package io.storefront.contracts;

import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A customer was created or changed ({@code CUSTOMER_CHANGED}, with the customer's public data) or deleted
 * ({@code CUSTOMER_DELETED}, no data). Credit cards never travel: they stay in accounts.
 */
public record CustomerEvent(
        @NotNull UUID eventId,
        @NotNull Type type,
        @NotNull String customerId,
        long version,
        @NotNull Instant occurredAt,
        Customer customer) implements StorefrontEvent {

    public enum Type { CUSTOMER_CHANGED, CUSTOMER_DELETED }

    public record Customer(Name name, Contact contact, List<Address> addresses) {
    }

    @Override
    public String aggregateId() {
        return customerId;
    }

    @Override
    public String typeName() {
        return type.name();
    }

    @Override
    public String topic() {
        return Topics.CUSTOMER_CHANGES;
    }
}
