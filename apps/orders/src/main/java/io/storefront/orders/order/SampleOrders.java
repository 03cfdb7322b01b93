package io.storefront.orders.order;

import static io.storefront.contracts.OrderStatus.APPROVED;
import static io.storefront.contracts.OrderStatus.CANCELLED;
import static io.storefront.contracts.OrderStatus.CREATED;
import static io.storefront.contracts.OrderStatus.IN_TRANSIT;
import static io.storefront.contracts.OrderStatus.ON_HOLD;
import static io.storefront.contracts.OrderStatus.PROCESSING;
import static io.storefront.contracts.OrderStatus.RECEIVED;
import static io.storefront.contracts.OrderStatus.REJECTED;
import static io.storefront.contracts.OrderStatus.RETURNED;
import static io.storefront.contracts.OrderStatus.SHIPPED;

import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.Product;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The original's five sample order histories for one customer. Ids, items and quantities derive from the customer
 * id, so a reset always produces the same orders; across customers every one of the eight products is used.
 */
final class SampleOrders {

    /** The fifth order is the one waiting to be sent for fulfillment. */
    static final int PENDING_ORDER = 5;

    private static final List<List<OrderStatus>> HISTORIES = List.of(
            List.of(CREATED, REJECTED),
            List.of(CREATED, APPROVED, PROCESSING, SHIPPED, IN_TRANSIT, RECEIVED),
            List.of(CREATED, APPROVED, PROCESSING, ON_HOLD, CANCELLED),
            List.of(CREATED, APPROVED, PROCESSING, SHIPPED, IN_TRANSIT, RECEIVED, RETURNED),
            List.of(CREATED, APPROVED));

    private static final Map<OrderStatus, String> NOTES = Map.of(
            REJECTED, "Primary credit card expired",
            ON_HOLD, "Items out of stock",
            CANCELLED, "Ordered alternative items",
            RETURNED, "Items damaged during shipping");

    private SampleOrders() {
    }

    static String orderId(String customerId, int number) {
        return UUID.nameUUIDFromBytes(("storefront-sample-order:" + customerId + ":" + number)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    static List<Order> forCustomer(String customerId, Instant now) {
        int seed = Math.floorMod(customerId.hashCode(), Catalog.PRODUCTS.size());
        List<Order> orders = new ArrayList<>();
        for (int number = 1; number <= HISTORIES.size(); number++) {
            List<OrderStatus> statuses = HISTORIES.get(number - 1);
            // Older orders lie further in the past; statuses of one order one hour apart.
            Instant placed = now.minus(Duration.ofDays(6L - number));
            List<StatusEntry> history = new ArrayList<>();
            for (int step = 0; step < statuses.size(); step++) {
                OrderStatus status = statuses.get(step);
                history.add(new StatusEntry(status, placed.plus(Duration.ofHours(step)), NOTES.get(status)));
            }
            orders.add(new Order(orderId(customerId, number), items(seed + number * 3, number), history, false, 0));
        }
        return orders;
    }

    /** One to three items of consecutive catalog products, quantities one to three. */
    private static List<OrderItem> items(int start, int number) {
        int count = 1 + number % 3;
        List<OrderItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Product product = Catalog.PRODUCTS.get(Math.floorMod(start + i, Catalog.PRODUCTS.size()));
            items.add(new OrderItem(product, 1 + (number + i) % 3));
        }
        return items;
    }
}
