package io.storefront.contracts;

import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A change of one order. {@code FULFILLMENT_REQUESTED} carries what fulfillment needs to ship it (name, contact,
 * shipping address, items); the other types carry the order's new status and items.
 */
public record OrderEvent(
        @NotNull UUID eventId,
        @NotNull Type type,
        @NotNull String orderId,
        String customerId,
        long version,
        @NotNull Instant occurredAt,
        Order order) implements StorefrontEvent {

    public enum Type { ORDER_PLACED, ORDER_APPROVED, ORDER_REJECTED, ORDER_CANCELLED, FULFILLMENT_REQUESTED }

    public record Order(OrderStatus status, List<OrderItem> items, Name name, Contact contact, Address shippingAddress) {
    }

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
        return Topics.ORDER_CHANGES;
    }
}
