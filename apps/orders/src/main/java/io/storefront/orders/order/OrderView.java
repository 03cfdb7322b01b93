package io.storefront.orders.order;

import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "An order: its items, its current status and the history of statuses, oldest first")
public record OrderView(String id, OrderStatus status, List<OrderItem> items, List<StatusEntry> statusHistory,
                        @Schema(description = "A fulfillment request for this order was sent") boolean sentForFulfillment) {

    public static OrderView of(Order order) {
        return new OrderView(order.id(), order.status(), order.items(), order.statusHistory(), order.sentForFulfillment());
    }
}
