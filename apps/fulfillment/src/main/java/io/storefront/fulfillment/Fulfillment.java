package io.storefront.fulfillment;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.ShippingMethod;
import io.storefront.support.outbox.OutboxAggregate;
import io.storefront.support.outbox.OutboxEvent;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The fulfillment of one order (the order id is the document id, so a repeated request can never create a second
 * record).
 *
 * @param version counts every change of this record; status events carry it, so orders applies each once, in order
 * @param orderVersion the version of the order event that requested this fulfillment; older requests change nothing
 */
@Document(Fulfillment.COLLECTION)
public record Fulfillment(
        @Id String orderId,
        String customerId,
        Name name,
        Contact contact,
        Address shippingAddress,
        List<OrderItem> items,
        ShippingMethod shippingMethod,
        OrderStatus status,
        List<StatusEntry> statusHistory,
        long version,
        long orderVersion,
        List<OutboxEvent> outbox) implements OutboxAggregate {

    public static final String COLLECTION = "fulfillment.requests";

    public Fulfillment {
        items = items == null ? List.of() : List.copyOf(items);
        statusHistory = statusHistory == null ? List.of() : List.copyOf(statusHistory);
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }
}
