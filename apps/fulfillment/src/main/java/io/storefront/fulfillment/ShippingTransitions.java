package io.storefront.fulfillment;

import static io.storefront.contracts.OrderStatus.APPROVED;
import static io.storefront.contracts.OrderStatus.CANCELLED;
import static io.storefront.contracts.OrderStatus.IN_TRANSIT;
import static io.storefront.contracts.OrderStatus.ON_HOLD;
import static io.storefront.contracts.OrderStatus.PROCESSING;
import static io.storefront.contracts.OrderStatus.RECEIVED;
import static io.storefront.contracts.OrderStatus.RETURNED;
import static io.storefront.contracts.OrderStatus.SHIPPED;

import io.storefront.contracts.OrderStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal moves of a fulfillment: APPROVED → PROCESSING → SHIPPED → IN_TRANSIT → RECEIVED, held or cancelled
 * before it ships, returned after it arrived. Everything else is refused.
 */
public final class ShippingTransitions {

    private static final Map<OrderStatus, Set<OrderStatus>> NEXT = Map.of(
            APPROVED, EnumSet.of(PROCESSING, ON_HOLD, CANCELLED),
            PROCESSING, EnumSet.of(SHIPPED, ON_HOLD, CANCELLED),
            ON_HOLD, EnumSet.of(PROCESSING, CANCELLED),
            SHIPPED, EnumSet.of(IN_TRANSIT),
            IN_TRANSIT, EnumSet.of(RECEIVED),
            RECEIVED, EnumSet.of(RETURNED));

    private ShippingTransitions() {
    }

    public static boolean allowed(OrderStatus from, OrderStatus to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }
}
