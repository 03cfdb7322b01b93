package io.storefront.orders.order;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import io.storefront.support.outbox.OutboxAggregate;
import io.storefront.support.outbox.OutboxEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A customer as orders knows it (same id as in accounts) together with the customer's orders.
 *
 * @param customerVersion the accounts version last applied; older or repeated customer events change nothing
 * @param deleted the customer was deleted in accounts: the view is gone from the API, the tombstone keeps the version
 * @param version counts every write of this document (customer events included): writers update only the version
 *                they read, and order events carry it, so each order's events have increasing versions
 */
@Document(CustomerOrders.COLLECTION)
public record CustomerOrders(
        @Id String id,
        long customerVersion,
        Name name,
        Contact contact,
        List<Address> addresses,
        List<Order> orders,
        boolean deleted,
        long version,
        List<OutboxEvent> outbox) implements OutboxAggregate {

    public static final String COLLECTION = "customer.orders";

    public CustomerOrders {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        orders = orders == null ? List.of() : List.copyOf(orders);
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }

    public Optional<Order> order(String orderId) {
        return orders.stream().filter(order -> order.id().equals(orderId)).findFirst();
    }

    /** Where to ship: the shipping address, else the alternate one, else the billing address. */
    public Optional<Address> shippingAddress() {
        return addresses.stream()
                .min(Comparator.comparingInt(address -> switch (address.type()) {
                    case SHIPPING -> 0;
                    case SHIPPING_ALTERNATE -> 1;
                    case BILLING -> 2;
                }));
    }

    /** This document's next version, with {@code newOrders} as its orders. */
    public CustomerOrders next(List<Order> newOrders) {
        return new CustomerOrders(id, customerVersion, name, contact, addresses, newOrders, deleted, version + 1,
                outbox);
    }

}
