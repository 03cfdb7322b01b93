package io.storefront.orders.order;

import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One order inside a customer's document.
 *
 * @param sentForFulfillment set when a fulfillment request for the current approval was written to the outbox
 * @param fulfillmentVersion the highest fulfillment record version applied; older or repeated status events change nothing
 */
public record Order(String id, List<OrderItem> items, List<StatusEntry> statusHistory, boolean sentForFulfillment,
                    long fulfillmentVersion) {

    public Order {
        items = List.copyOf(items);
        statusHistory = List.copyOf(statusHistory);
    }

    public OrderStatus status() {
        return statusHistory.get(statusHistory.size() - 1).status();
    }

    Order withStatus(OrderStatus status, Instant at, String note) {
        List<StatusEntry> history = new ArrayList<>(statusHistory);
        history.add(new StatusEntry(status, at, note));
        return new Order(id, items, history, sentForFulfillment, fulfillmentVersion);
    }

    Order markSentForFulfillment() {
        return new Order(id, items, statusHistory, true, fulfillmentVersion);
    }

    public Order withFulfillmentStatus(long version, OrderStatus status, Instant at, String note) {
        Order changed = withStatus(status, at, note);
        return new Order(id, items, changed.statusHistory(), sentForFulfillment, version);
    }
}
