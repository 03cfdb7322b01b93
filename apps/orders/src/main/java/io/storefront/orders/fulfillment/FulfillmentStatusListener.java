package io.storefront.orders.fulfillment;

import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.Topics;
import io.storefront.orders.order.CustomerOrdersStore;
import io.storefront.orders.order.Order;
import io.storefront.support.outbox.Change;
import io.storefront.support.kafka.EventApplier;
import io.storefront.support.kafka.PoisonEventException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Appends fulfillment's status changes to the order's history, in order and once: an event whose version is not
 * above the order's applied fulfillment version changes nothing.
 */
@Component
public class FulfillmentStatusListener {

    private final CustomerOrdersStore store;
    private final EventApplier events;

    public FulfillmentStatusListener(CustomerOrdersStore store, EventApplier events) {
        this.store = store;
        this.events = events;
    }

    @KafkaListener(id = "orders-fulfillment-changes", topics = Topics.FULFILLMENT_CHANGES)
    public void onFulfillmentEvent(ConsumerRecord<String, String> record) {
        events.apply(record, FulfillmentEvent.class, this::apply);
    }

    Mono<Boolean> apply(FulfillmentEvent event) {
        if (event.status() == null) {
            throw new PoisonEventException("FULFILLMENT_STATUS_CHANGED without a status");
        }
        return store.findByOrderId(event.orderId())
                .flatMap(customer -> store.change(customer.id(), current -> {
                    Optional<Order> order = current.order(event.orderId())
                            .filter(o -> o.fulfillmentVersion() < event.version());
                    if (order.isEmpty()) {
                        return Change.none(false);
                    }
                    Order changed = order.get().withFulfillmentStatus(event.version(), event.status(),
                            event.occurredAt(), event.note());
                    List<Order> orders = current.orders().stream()
                            .map(o -> o.id().equals(changed.id()) ? changed : o).toList();
                    return Change.replace(current.next(orders), List.of(), true);
                }))
                .defaultIfEmpty(false);
    }
}
