package io.storefront.orders.order;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import io.storefront.contracts.CustomerEvent;
import io.storefront.support.outbox.Change;
import io.storefront.support.outbox.OutboxAggregate;
import io.storefront.support.outbox.OutboxEvent;
import io.storefront.support.outbox.OutboxWriter;
import io.storefront.support.read.FreshReads;
import io.storefront.support.web.ApiProblems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one class that reads and writes customer order documents. Orders and their events change through
 * {@link OutboxWriter}, on the version that was read; the customer data that accounts announces is applied in bulk,
 * guarded by the customer's version. Every write raises the document's version, so the two kinds of write never
 * overwrite each other.
 */
@Component
public class CustomerOrdersStore {

    /** MongoDB's duplicate key error: an upsert whose filter found no older version collided with the stored one. */
    private static final int DUPLICATE_KEY = 11000;

    private final ReactiveMongoTemplate mongo;
    private final OutboxWriter writer;
    private final FreshReads<String, List<CustomerOrders>> allReads = new FreshReads<>();
    private final FreshReads<String, CustomerOrders> byIdReads = new FreshReads<>();

    public CustomerOrdersStore(ReactiveMongoTemplate mongo, OutboxWriter writer) {
        this.mongo = mongo;
        this.writer = writer;
    }

    /** The customers orders knows of (not deleted), ordered by id; concurrent calls share one query. */
    public Mono<List<CustomerOrders>> findAllLive() {
        // By the mapped id property: naming "_id" makes Spring Data try a property lookup and build an exception
        // per query.
        return allReads.read("all", () -> mongo.find(Query.query(Criteria.where("deleted").is(false))
                .with(Sort.by("id")), CustomerOrders.class).collectList());
    }

    /** One live customer with their orders, or 404; concurrent calls for the same id share one query. */
    public Mono<CustomerOrders> findLive(String customerId) {
        return byIdReads.read(customerId, () -> mongo.findById(customerId, CustomerOrders.class))
                .filter(customer -> !customer.deleted())
                .switchIfEmpty(Mono.error(() -> ApiProblems.notFound("Customer", customerId)));
    }

    public Mono<CustomerOrders> findByOrderId(String orderId) {
        return mongo.findOne(Query.query(Criteria.where("orders.id").is(orderId)), CustomerOrders.class);
    }

    /**
     * Applies {@code decide} to the customer's current document (see {@link OutboxWriter#write}); completes empty,
     * writing nothing, for a customer orders has never heard of.
     */
    public <R> Mono<R> change(String customerId, Function<CustomerOrders, Change<CustomerOrders, R>> decide) {
        return writer.write(CustomerOrders.class, customerId,
                stored -> stored.map(decide).orElseGet(() -> Change.none(null)));
    }

    /**
     * Stores customer events' effect with one unordered bulk write, one conditional upsert per customer, and emits
     * the events that changed a stored customer. Every event carries the customer's whole state, so the newest event
     * of a customer in the list decides what is stored, and the version filter decides whether it is stored at all.
     * Only name, contact and addresses are written, so a change never touches the customer's orders; a deletion
     * leaves a tombstone with its version so that a late, older change cannot bring the customer back.
     */
    public Mono<List<CustomerEvent>> applyCustomerEvents(List<CustomerEvent> events) {
        List<CustomerWrite> writes = newestPerCustomer(events);
        var bulk = mongo.bulkOps(BulkMode.UNORDERED, CustomerOrders.class);
        writes.forEach(write -> bulk.upsert(newerThanStored(write.event()), write.update()));
        return bulk.execute()
                .map(result -> writes.stream().map(CustomerWrite::event).toList())
                // Upserts that met a stored version at or above theirs collide on _id; the others were applied.
                .onErrorResume(DuplicateKeyException.class, e -> Mono.just(appliedDespite(e, writes)));
    }

    /** The upsert for one customer's newest event in a list. */
    record CustomerWrite(CustomerEvent event, Update update) {
    }

    /**
     * One write per customer, in the order the customers first appear. An event at or below a version seen earlier
     * in the list is dropped: applied one by one it would have matched nothing. Of the rest, the newest decides; a
     * change that follows a deletion in the same list also clears the orders, as the deletion would have.
     */
    static List<CustomerWrite> newestPerCustomer(List<CustomerEvent> events) {
        Map<String, CustomerEvent> newest = new LinkedHashMap<>();
        Set<String> deletedInBatch = new HashSet<>();
        for (CustomerEvent event : events) {
            CustomerEvent before = newest.get(event.customerId());
            if (before == null || event.version() > before.version()) {
                newest.put(event.customerId(), event);
                if (event.type() == CustomerEvent.Type.CUSTOMER_DELETED) {
                    deletedInBatch.add(event.customerId());
                }
            }
        }
        return newest.values().stream()
                .map(event -> new CustomerWrite(event, update(event, deletedInBatch.contains(event.customerId()))))
                .toList();
    }

    private static Query newerThanStored(CustomerEvent event) {
        return Query.query(Criteria.where("_id").is(event.customerId())
                .orOperator(Criteria.where("customerVersion").lt(event.version()),
                        Criteria.where("customerVersion").exists(false)));
    }

    private static Update update(CustomerEvent event, boolean deletedInBatch) {
        Update update = new Update().set("customerVersion", event.version()).inc(OutboxAggregate.VERSION_FIELD, 1);
        if (event.type() == CustomerEvent.Type.CUSTOMER_DELETED) {
            return update.set("deleted", true).set("name", null).set("contact", null).set("addresses", List.of())
                    .set("orders", List.of());
        }
        update.set("deleted", false)
                .set("name", event.customer().name())
                .set("contact", event.customer().contact())
                .set("addresses", event.customer().addresses())
                .setOnInsert(OutboxEvent.FIELD, List.of());
        return deletedInBatch ? update.set("orders", List.of()) : update.setOnInsert("orders", List.of());
    }

    private static List<CustomerEvent> appliedDespite(DuplicateKeyException failure, List<CustomerWrite> writes) {
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
}
