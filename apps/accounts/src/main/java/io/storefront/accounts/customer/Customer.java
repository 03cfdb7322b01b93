package io.storefront.accounts.customer;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Name;
import io.storefront.support.outbox.OutboxAggregate;
import io.storefront.support.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A customer document. {@code version} counts every change; a deleted customer stays as a tombstone (no personal
 * data, {@code deleted = true}) so that its version keeps rising if the id is used again, and consumers never take a
 * later re-creation for a stale event. {@code outbox} holds the events not yet acknowledged by Kafka.
 */
@Document(Customer.COLLECTION)
public record Customer(
        @Id String id,
        long version,
        Name name,
        Contact contact,
        List<Address> addresses,
        List<CreditCard> creditCards,
        boolean deleted,
        Instant updatedAt,
        List<OutboxEvent> outbox) implements OutboxAggregate {

    public static final String COLLECTION = "customer.accounts";

    public Customer {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        creditCards = creditCards == null ? List.of() : List.copyOf(creditCards);
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }

    CustomerEvent changedEvent(Instant at) {
        return new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_CHANGED, id, version, at,
                new CustomerEvent.Customer(name, contact, addresses));
    }

    CustomerEvent deletedEvent(Instant at) {
        return new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_DELETED, id, version, at, null);
    }
}
