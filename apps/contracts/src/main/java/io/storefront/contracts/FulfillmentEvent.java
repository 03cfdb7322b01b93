package io.storefront.contracts;

import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;

/** The fulfillment status of an order changed; {@code version} is the fulfillment record's version. */
public record FulfillmentEvent(
        @NotNull UUID eventId,
        @NotNull Type type,
        @NotNull String orderId,
        String customerId,
        long version,
        @NotNull Instant occurredAt,
        OrderStatus status,
        String note,
        ShippingMethod shippingMethod) implements StorefrontEvent {

    public enum Type { FULFILLMENT_STATUS_CHANGED }

    @Override
    public String aggregateId() {
        return orderId;
    }

    @Override
    public String typeName() {
        return type.name();
    }

    @Override
    public String topic() {
        return Topics.FULFILLMENT_CHANGES;
    }
}
