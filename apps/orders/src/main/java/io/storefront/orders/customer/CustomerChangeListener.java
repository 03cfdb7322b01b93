package io.storefront.orders.customer;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import io.storefront.orders.order.CustomerOrdersStore;
import io.storefront.support.kafka.EventApplier;
import io.storefront.support.kafka.PoisonEventException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps orders' copy of each customer up to date from accounts' events. A poll's events are stored with one bulk
 * write ({@link CustomerOrdersStore#applyCustomerEvents}); {@link EventApplier} blocks until MongoDB confirms, so
 * offsets are committed only after the write, partitions stay in order, and a poison record is dead-lettered on its
 * own.
 */
@Component
public class CustomerChangeListener {

    private final CustomerOrdersStore store;
    private final EventApplier events;

    public CustomerChangeListener(CustomerOrdersStore store, EventApplier events) {
        this.store = store;
        this.events = events;
    }

    @KafkaListener(id = "orders-customer-changes", topics = Topics.CUSTOMER_CHANGES, batch = "true")
    public void onCustomerEvents(List<ConsumerRecord<String, String>> records) {
        events.applyAll(records, CustomerEvent.class, CustomerChangeListener::requireCustomerData,
                store::applyCustomerEvents);
    }

    static void requireCustomerData(CustomerEvent event) {
        if (event.type() != CustomerEvent.Type.CUSTOMER_DELETED && event.customer() == null) {
            throw new PoisonEventException("CUSTOMER_CHANGED without customer data");
        }
    }
}
