package io.storefront.fulfillment;

import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.kafka.EventApplier;
import io.storefront.support.kafka.PoisonEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns FULFILLMENT_REQUESTED events into fulfillment records; other order events are not fulfillment's concern.
 */
@Component
public class OrderRequestListener {

    private final FulfillmentService fulfillments;
    private final EventApplier events;

    public OrderRequestListener(FulfillmentService fulfillments, EventApplier events) {
        this.fulfillments = fulfillments;
        this.events = events;
    }

    @KafkaListener(id = "fulfillment-order-changes", topics = Topics.ORDER_CHANGES)
    public void onOrderEvent(ConsumerRecord<String, String> record) {
        events.apply(record, OrderEvent.class, this::apply);
    }

    Mono<Boolean> apply(OrderEvent event) {
        if (event.type() != OrderEvent.Type.FULFILLMENT_REQUESTED) {
            return Mono.just(false);
        }
        if (event.order() == null || event.order().shippingAddress() == null || event.order().items() == null
                || event.order().items().isEmpty()) {
            throw new PoisonEventException("FULFILLMENT_REQUESTED without items or shipping address");
        }
        return fulfillments.request(event);
    }
}
