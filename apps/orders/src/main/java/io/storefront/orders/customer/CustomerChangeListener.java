package io.storefront.orders.customer;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.kafka.EventApplier;
import io.storefront.support.kafka.PoisonEventException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps orders' copy of each customer up to date. Only name, contact and addresses are written, so a customer change
 * never touches the customer's orders. An event at or below the stored version matches nothing and changes nothing;
 * a deletion leaves a tombstone with its version so that a late, older change cannot bring the customer back.
 *
 * <p>{@link EventApplier} blocks until MongoDB confirms: records of a partition are applied strictly in order and
 * committed only after the write (a failure is retried by the error handler, never skipped).
 */
@Component
public class CustomerChangeListener {

    private final ReactiveMongoTemplate mongo;
    private final EventApplier events;

    public CustomerChangeListener(ReactiveMongoTemplate mongo, EventApplier events) {
        this.mongo = mongo;
        this.events = events;
    }

    @KafkaListener(id = "orders-customer-changes", topics = Topics.CUSTOMER_CHANGES)
    public void onCustomerEvent(ConsumerRecord<String, String> record) {
        events.apply(record, CustomerEvent.class, this::apply);
    }

    Mono<Boolean> apply(CustomerEvent event) {
        Query newer = Query.query(Criteria.where("_id").is(event.customerId())
                .orOperator(Criteria.where("customerVersion").lt(event.version()),
                        Criteria.where("customerVersion").exists(false)));
        Update update = new Update().set("customerVersion", event.version()).inc("revision", 1);
        if (event.type() == CustomerEvent.Type.CUSTOMER_DELETED) {
            update.set("deleted", true).set("name", null).set("contact", null).set("addresses", List.of())
                    .set("orders", List.of());
        } else {
            if (event.customer() == null) {
                throw new PoisonEventException("CUSTOMER_CHANGED without customer data");
            }
            update.set("deleted", false)
                    .set("name", event.customer().name())
                    .set("contact", event.customer().contact())
                    .set("addresses", event.customer().addresses())
                    .setOnInsert("orders", List.of())
                    .setOnInsert("outbox", List.of());
        }
        return mongo.upsert(newer, update, CustomerOrders.class)
                .map(result -> result.getModifiedCount() > 0 || result.getUpsertedId() != null)
                // The document exists with this version or a newer one: the upsert's insert collides on _id.
                .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
    }
}
