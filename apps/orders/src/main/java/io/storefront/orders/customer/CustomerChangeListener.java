package io.storefront.orders.customer;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.kafka.EventApplier;
import io.storefront.support.kafka.PoisonEventException;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
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
 * <p>A poll's events are applied with one unordered bulk write, one upsert per customer: every event carries the
 * customer's whole state, so the newest event of a customer in the poll decides what is stored, and the version
 * filter still decides whether it is stored at all. Under load this turns up to a poll's worth of MongoDB round trips
 * into one (the benchmark's 200 updates/s queued up in orders when each record was one round trip). {@link
 * EventApplier} blocks until MongoDB confirms, so offsets are committed only after the write, partitions stay in
 * order, and a poison record is dead-lettered on its own.
 */
@Component
public class CustomerChangeListener {

    /** MongoDB's duplicate key error: an upsert whose filter found no older version collided with the stored one. */
    private static final int DUPLICATE_KEY = 11000;

    private final ReactiveMongoTemplate mongo;
    private final EventApplier events;

    public CustomerChangeListener(ReactiveMongoTemplate mongo, EventApplier events) {
        this.mongo = mongo;
        this.events = events;
    }

    @KafkaListener(id = "orders-customer-changes", topics = Topics.CUSTOMER_CHANGES, batch = "true")
    public void onCustomerEvents(List<ConsumerRecord<String, String>> records) {
        events.applyAll(records, CustomerEvent.class, CustomerChangeListener::requireCustomerData, this::applyAll);
    }

    static void requireCustomerData(CustomerEvent event) {
        if (event.type() != CustomerEvent.Type.CUSTOMER_DELETED && event.customer() == null) {
            throw new PoisonEventException("CUSTOMER_CHANGED without customer data");
        }
    }

    /** Stores the events' effect with one bulk write; emits the events that changed a stored customer. */
    Mono<List<CustomerEvent>> applyAll(List<CustomerEvent> batch) {
        List<Write> writes = newestPerCustomer(batch);
        var bulk = mongo.bulkOps(BulkMode.UNORDERED, CustomerOrders.class);
        writes.forEach(write -> bulk.upsert(newerThanStored(write.event()), write.update()));
        return bulk.execute()
                .map(result -> writes.stream().map(Write::event).toList())
                // Upserts that met a stored version at or above theirs collide on _id; the others were applied.
                .onErrorResume(DuplicateKeyException.class, e -> Mono.just(appliedDespite(e, writes)));
    }

    /**
     * One write per customer, in the order the customers first appear. An event at or below a version seen earlier
     * in the batch is dropped: applied one by one it would have matched nothing. Of the rest, the newest decides; a
     * change that follows a deletion in the same batch also clears the orders, as the deletion would have.
     */
    static List<Write> newestPerCustomer(List<CustomerEvent> batch) {
        Map<String, CustomerEvent> newest = new LinkedHashMap<>();
        Set<String> deletedInBatch = new HashSet<>();
        for (CustomerEvent event : batch) {
            CustomerEvent before = newest.get(event.customerId());
            if (before == null || event.version() > before.version()) {
                newest.put(event.customerId(), event);
                if (event.type() == CustomerEvent.Type.CUSTOMER_DELETED) {
                    deletedInBatch.add(event.customerId());
                }
            }
        }
        return newest.values().stream()
                .map(event -> new Write(event, update(event, deletedInBatch.contains(event.customerId()))))
                .toList();
    }

    private static Query newerThanStored(CustomerEvent event) {
        return Query.query(Criteria.where("_id").is(event.customerId())
                .orOperator(Criteria.where("customerVersion").lt(event.version()),
                        Criteria.where("customerVersion").exists(false)));
    }

    private static Update update(CustomerEvent event, boolean deletedInBatch) {
        Update update = new Update().set("customerVersion", event.version()).inc("revision", 1);
        if (event.type() == CustomerEvent.Type.CUSTOMER_DELETED) {
            return update.set("deleted", true).set("name", null).set("contact", null).set("addresses", List.of())
                    .set("orders", List.of());
        }
        update.set("deleted", false)
                .set("name", event.customer().name())
                .set("contact", event.customer().contact())
                .set("addresses", event.customer().addresses())
                .setOnInsert("outbox", List.of());
        return deletedInBatch ? update.set("orders", List.of()) : update.setOnInsert("orders", List.of());
    }

    private static List<CustomerEvent> appliedDespite(DuplicateKeyException failure, List<Write> writes) {
        if (!(failure.getCause() instanceof MongoBulkWriteException bulk)) {
            throw failure;
        }
        List<BulkWriteError> errors = bulk.getWriteErrors();
        if (errors.stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
            throw failure;
        }
        Set<Integer> collided = errors.stream().map(BulkWriteError::getIndex).collect(Collectors.toSet());
        List<CustomerEvent> applied = new ArrayList<>(writes.size() - collided.size());
        for (int i = 0; i < writes.size(); i++) {
            if (!collided.contains(i)) {
                applied.add(writes.get(i).event());
            }
        }
        return applied;
    }

    /** The upsert for one customer's newest event in the batch. */
    record Write(CustomerEvent event, Update update) {
    }
}
