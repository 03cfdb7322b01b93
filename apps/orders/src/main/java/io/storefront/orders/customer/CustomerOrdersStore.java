package io.storefront.orders.customer;

import io.storefront.contracts.StorefrontEvent;
import io.storefront.orders.order.Order;
import io.storefront.support.outbox.OutboxEvent;
import io.storefront.support.outbox.OutboxRelay;
import io.storefront.support.web.ApiProblems;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes customer order documents. Every write of a customer's orders is a read-modify-write of the whole
 * document, accepted only if nobody wrote it in between (the revision); the events a change causes are pushed into
 * the same document's outbox in that same write.
 */
@Component
public class CustomerOrdersStore {

    /** What a change does: the customer's new list of orders and the events announcing it (versioned next revision). */
    public record Modification(List<Order> orders, List<? extends StorefrontEvent> events) {
    }

    private final ReactiveMongoTemplate mongo;
    private final OutboxRelay relay;
    private final JsonMapper json;

    public CustomerOrdersStore(ReactiveMongoTemplate mongo, OutboxRelay relay, JsonMapper json) {
        this.mongo = mongo;
        this.relay = relay;
        this.json = json;
    }

    public Flux<CustomerOrders> findAllLive() {
        // By the property, which maps to _id: naming "_id" made Spring Data fail a property lookup (and build an
        // exception) on every query: 1.3 % of accounts' CPU serving summaries, where it was measured.
        return mongo.find(Query.query(Criteria.where("deleted").is(false)).with(Sort.by("id")), CustomerOrders.class);
    }

    public Mono<CustomerOrders> findLive(String customerId) {
        return mongo.findById(customerId, CustomerOrders.class)
                .filter(customer -> !customer.deleted())
                .switchIfEmpty(Mono.error(() -> ApiProblems.notFound("Customer", customerId)));
    }

    public Mono<CustomerOrders> findByOrderId(String orderId) {
        return mongo.findOne(Query.query(Criteria.where("orders.id").is(orderId)), CustomerOrders.class);
    }

    /**
     * Applies {@code change} to the customer's current document; an empty modification writes nothing. Retried
     * from a fresh read when another writer got there first.
     */
    public Mono<CustomerOrders> modify(String customerId, Function<CustomerOrders, Optional<Modification>> change) {
        return Mono.defer(() -> mongo.findById(customerId, CustomerOrders.class)
                        .flatMap(current -> change.apply(current)
                                .map(modification -> write(current, modification))
                                .orElse(Mono.just(current))))
                .retryWhen(Retry.max(10).filter(ConcurrentWrite.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(ConcurrentWrite.class, e -> ApiProblems.conflict(
                        "The orders of customer " + customerId + " are being changed concurrently; retry"));
    }

    private Mono<CustomerOrders> write(CustomerOrders current, Modification modification) {
        Query unchanged = Query.query(Criteria.where("_id").is(current.id()).and("revision").is(current.revision()));
        Update update = new Update().set("orders", modification.orders()).inc("revision", 1);
        List<OutboxEvent> events = modification.events().stream().map(e -> OutboxEvent.of(e, json)).toList();
        if (!events.isEmpty()) {
            update.push(OutboxEvent.FIELD).each(events.toArray());
        }
        return mongo.updateFirst(unchanged, update, CustomerOrders.class)
                .flatMap(result -> result.getModifiedCount() == 1
                        ? Mono.just(current.withOrders(modification.orders()))
                        : Mono.<CustomerOrders>error(new ConcurrentWrite()))
                .doOnNext(written -> relay.written(CustomerOrders.COLLECTION, current.id(), current.outbox(), events));
    }

    private static final class ConcurrentWrite extends RuntimeException {
        ConcurrentWrite() {
            super(null, null, false, false);
        }
    }
}
