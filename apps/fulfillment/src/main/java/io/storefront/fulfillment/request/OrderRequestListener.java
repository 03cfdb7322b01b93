package io.storefront.fulfillment.request;

import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.kafka.EventReader;
import io.storefront.support.kafka.PoisonEventException;
import io.storefront.support.kafka.PropagationLag;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Turns FULFILLMENT_REQUESTED events into fulfillment records; other order events are not fulfillment's concern.
 * Blocks until stored so that records of a partition are applied in order and committed only once applied.
 */
@Component
public class OrderRequestListener {

    private static final Logger log = LoggerFactory.getLogger(OrderRequestListener.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final FulfillmentService fulfillments;
    private final EventReader reader;
    private final PropagationLag lag;

    public OrderRequestListener(FulfillmentService fulfillments, EventReader reader, PropagationLag lag) {
        this.fulfillments = fulfillments;
        this.reader = reader;
        this.lag = lag;
    }

    @KafkaListener(id = "fulfillment-order-changes", topics = Topics.ORDER_CHANGES)
    public void onOrderEvent(ConsumerRecord<String, String> record) {
        OrderEvent event = reader.read(record.key(), record.value(), OrderEvent.class);
        if (event.type() != OrderEvent.Type.FULFILLMENT_REQUESTED) {
            log.debug("Order event {} {} order={} is not a fulfillment request", event.eventId(), event.type(),
                    event.orderId());
            return;
        }
        if (event.order() == null || event.order().shippingAddress() == null || event.order().items() == null
                || event.order().items().isEmpty()) {
            throw new PoisonEventException("FULFILLMENT_REQUESTED without items or shipping address");
        }
        boolean applied = Boolean.TRUE.equals(fulfillments.request(event).block(WRITE_TIMEOUT));
        if (applied) {
            lag.record(record.topic(), event.occurredAt());
        }
        log.info("Fulfillment request {} order={} version={} {}", event.eventId(), event.orderId(), event.version(),
                applied ? "applied" : "ignored (not newer than the request applied)");
    }
}
