package io.storefront.local.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Compares what the three services say through their APIs and lists every divergence. Eventual consistency means
 * this list becomes empty once the events in flight have been applied; anything that stays is a bug.
 */
public final class ConsistencyAudit {

    public enum Kind {
        /** A customer of accounts that orders does not know. */
        CUSTOMER_MISSING_IN_ORDERS,
        /** Orders' copy of a customer differs from accounts' (name, contact or addresses). */
        CUSTOMER_DIFFERS_IN_ORDERS,
        /** Orders has a view of a customer that accounts no longer has. */
        ORPHAN_ORDER_VIEW,
        /** An order sent for fulfillment that fulfillment does not have. */
        SENT_ORDER_WITHOUT_FULFILLMENT,
        /** A fulfillment record for an order that orders does not have. */
        FULFILLMENT_WITHOUT_ORDER,
        /** Fulfillment's statuses are not the tail of the order's history (one missing, extra or out of order). */
        STATUS_HISTORY_MISMATCH
    }

    public record Divergence(Kind kind, String id, String detail) {
    }

    /** What was compared and what diverged. */
    public record Report(int customers, int orderViews, int orders, int fulfillments, List<Divergence> divergences) {

        public boolean consistent() {
            return divergences.isEmpty();
        }
    }

    private ConsistencyAudit() {
    }

    public static Report audit(StorefrontClient client) {
        return audit(client.accountsSummary(), client.ordersSummary(), client.fulfillmentSummary());
    }

    /** Audits the three summaries ({@code {"customers":[…]}}, {@code {"customers":[…]}}, {@code {"fulfillments":[…]}}). */
    public static Report audit(JsonNode accounts, JsonNode orders, JsonNode fulfillment) {
        List<Divergence> divergences = new ArrayList<>();
        Map<String, JsonNode> customers = byId(accounts.path("customers"), "id");
        Map<String, JsonNode> views = byId(orders.path("customers"), "id");
        Map<String, JsonNode> records = byId(fulfillment.path("fulfillments"), "orderId");

        customers.forEach((id, customer) -> {
            JsonNode view = views.get(id);
            if (view == null) {
                divergences.add(new Divergence(Kind.CUSTOMER_MISSING_IN_ORDERS, id, "accounts has it, orders does not"));
                return;
            }
            for (String field : List.of("name", "contact", "addresses")) {
                if (!Objects.equals(customer.path(field), view.path(field))) {
                    divergences.add(new Divergence(Kind.CUSTOMER_DIFFERS_IN_ORDERS, id, field + " differs: accounts "
                            + customer.path(field) + ", orders " + view.path(field)));
                }
            }
        });

        Map<String, JsonNode> allOrders = new HashMap<>();
        int orderCount = 0;
        for (JsonNode view : views.values()) {
            String customerId = view.path("id").asString();
            if (!customers.containsKey(customerId)) {
                divergences.add(new Divergence(Kind.ORPHAN_ORDER_VIEW, customerId, "orders has a customer accounts does not"));
            }
            for (JsonNode order : view.path("orders")) {
                orderCount++;
                String orderId = order.path("id").asString();
                allOrders.put(orderId, order);
                if (order.path("sentForFulfillment").asBoolean(false) && !records.containsKey(orderId)) {
                    divergences.add(new Divergence(Kind.SENT_ORDER_WITHOUT_FULFILLMENT, orderId,
                            "order of customer " + customerId + " was sent for fulfillment; fulfillment has no record"));
                }
            }
        }

        records.forEach((orderId, record) -> {
            JsonNode order = allOrders.get(orderId);
            if (order == null) {
                divergences.add(new Divergence(Kind.FULFILLMENT_WITHOUT_ORDER, orderId, "fulfillment has a record, orders no order"));
                return;
            }
            List<String> shipped = statuses(record.path("statusHistory"));
            List<String> fulfillmentTail = shipped.isEmpty() ? List.of() : shipped.subList(1, shipped.size());
            List<String> history = statuses(order.path("statusHistory"));
            int lastApproval = history.lastIndexOf("APPROVED");
            List<String> orderTail = lastApproval < 0 ? history : history.subList(lastApproval + 1, history.size());
            if (!fulfillmentTail.equals(orderTail)) {
                divergences.add(new Divergence(Kind.STATUS_HISTORY_MISMATCH, orderId, "fulfillment went "
                        + fulfillmentTail + " since approval; the order's history shows " + orderTail));
            }
        });
        return new Report(customers.size(), views.size(), orderCount, records.size(), List.copyOf(divergences));
    }

    private static Map<String, JsonNode> byId(JsonNode array, String idField) {
        Map<String, JsonNode> map = new HashMap<>();
        for (JsonNode node : array) {
            map.put(node.path(idField).asString(), node);
        }
        return map;
    }

    private static List<String> statuses(JsonNode history) {
        List<String> statuses = new ArrayList<>();
        for (JsonNode entry : history) {
            statuses.add(entry.path("status").asString());
        }
        return statuses;
    }
}
