package io.storefront.fulfillment;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.ShippingMethod;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "The fulfillment of one order: where it goes, what is in it, how and how far it is shipped")
public record FulfillmentView(String orderId, String customerId, Name name, Contact contact, Address shippingAddress,
                              List<OrderItem> items, ShippingMethod shippingMethod, OrderStatus status,
                              List<StatusEntry> statusHistory, long version) {

    static FulfillmentView of(Fulfillment f) {
        return new FulfillmentView(f.orderId(), f.customerId(), f.name(), f.contact(), f.shippingAddress(), f.items(),
                f.shippingMethod(), f.status(), f.statusHistory(), f.version());
    }

    @Schema(description = "All fulfillments, in the original's summary shape")
    public record Summary(List<FulfillmentView> fulfillments) {
    }
}
