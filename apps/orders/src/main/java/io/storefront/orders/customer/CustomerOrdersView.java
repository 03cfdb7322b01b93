package io.storefront.orders.customer;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import io.storefront.orders.order.CustomerOrders;
import io.storefront.orders.order.OrderView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "A customer (as last published by accounts) with the customer's orders")
public record CustomerOrdersView(String id, Name name, Contact contact, List<Address> addresses,
                                 List<OrderView> orders) {

    public static CustomerOrdersView of(CustomerOrders customer) {
        return new CustomerOrdersView(customer.id(), customer.name(), customer.contact(), customer.addresses(),
                customer.orders().stream().map(OrderView::of).toList());
    }

    @Schema(description = "All customers with their orders, in the original's summary shape")
    public record Summary(List<CustomerOrdersView> customers) {
    }
}
