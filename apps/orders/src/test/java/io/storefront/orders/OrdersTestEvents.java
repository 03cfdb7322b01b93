package io.storefront.orders;

import io.storefront.contracts.Address;
import io.storefront.contracts.AddressType;
import io.storefront.contracts.Contact;
import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.Name;
import io.storefront.contracts.OrderStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events as accounts and fulfillment would publish them, built in code. */
public final class OrdersTestEvents {

    private OrdersTestEvents() {
    }

    public static CustomerEvent customerChanged(String customerId, long version, String firstName) {
        return new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_CHANGED, customerId, version,
                Instant.now(), new CustomerEvent.Customer(new Name("Ms.", firstName, null, "Tester", null),
                new Contact("555-000-1111", null, "tester@example.com"),
                List.of(new Address(AddressType.SHIPPING, "Home", "1 Test Road", null, "Testville", "TS", "00001"))));
    }

    public static CustomerEvent customerDeleted(String customerId, long version) {
        return new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_DELETED, customerId, version,
                Instant.now(), null);
    }

    public static FulfillmentEvent statusChanged(String orderId, String customerId, long version, OrderStatus status) {
        return new FulfillmentEvent(UUID.randomUUID(), FulfillmentEvent.Type.FULFILLMENT_STATUS_CHANGED, orderId,
                customerId, version, Instant.now(), status, null, null);
    }
}
