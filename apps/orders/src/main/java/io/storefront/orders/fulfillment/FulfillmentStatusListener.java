package io.storefront.orders.fulfillment;

import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.Topics;
import io.storefront.orders.customer.CustomerOrdersStore;
import io.storefront.orders.customer.CustomerOrdersStore.Modification;
import io.storefront.orders.order.Order;
import io.storefront.support.kafka.EventReader;
import io.storefront.support.kafka.PoisonEventException;
import io.storefront.support.kafka.PropagationLag;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Appends fulfillment's status changes to the order's history, in order and once: an event whose version is not
 * above the order's applied fulfillment version changes nothing. Blocks until stored, like every listener here.
 */
@Component
public class FulfillmentStatusListener {

    private static final Logger log = LoggerFactory.getLogger(FulfillmentStatusListener.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final CustomerOrdersStore store;
    private final EventReader reader;
    private final PropagationLag lag;

    public FulfillmentStatusListener(CustomerOrdersStore store, EventReader reader, PropagationLag lag) {
        this.store = store;
        this.reader = reader;
        this.lag = lag;
    }

    @KafkaListener(id = "orders-fulfillment-changes", topics = Topics.FULFILLMENT_CHANGES)
    public void onFulfillmentEvent(ConsumerRecord<String, String> record) {
        FulfillmentEvent event = reader.read(record.key(), record.value(), FulfillmentEvent.class);
        if (event.status() == null) {
            throw new PoisonEventException("FULFILLMENT_STATUS_CHANGED without a status");
        }
        boolean applied = Boolean.TRUE.equals(apply(event).block(WRITE_TIMEOUT));
        if (applied) {
            lag.record(record.topic(), event.occurredAt());
        }
        log.info("Fulfillment event {} order={} status={} version={} {}", event.eventId(), event.orderId(),
                event.status(), event.version(), applied ? "applied" : "ignored (unknown order or not newer)");
    }

    Mono<Boolean> apply(FulfillmentEvent event) {
        boolean[] applied = {false};
        return store.findByOrderId(event.orderId())
                .flatMap(customer -> store.modify(customer.id(), current -> {
                    applied[0] = false;
                    Optional<Order> order = current.order(event.orderId())
                            .filter(o -> o.fulfillmentVersion() < event.version());
                    if (order.isEmpty()) {
                        return Optional.empty();
                    }
                    Order changed = order.get().withFulfillmentStatus(event.version(), event.status(),
                            event.occurredAt(), event.note());
                    applied[0] = true;
                    List<Order> orders = current.orders().stream()
                            .map(o -> o.id().equals(changed.id()) ? changed : o).toList();
                    return Optional.of(new Modification(orders, List.of()));
                }))
                .map(saved -> applied[0])
                .defaultIfEmpty(false);
    }
}
