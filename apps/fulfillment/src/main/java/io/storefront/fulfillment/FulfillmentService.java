package io.storefront.fulfillment;

import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.ShippingMethod;
import io.storefront.support.outbox.Change;
import io.storefront.support.outbox.OutboxWriter;
import io.storefront.support.read.FreshReads;
import io.storefront.support.web.ApiProblems;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fulfillment records: created (or restarted) by orders' requests, advanced through the shipping statuses. Each
 * status change and its event are one document write ({@link OutboxWriter}), made on the version it was decided on.
 */
@Service
public class FulfillmentService {

    private static final Logger log = LoggerFactory.getLogger(FulfillmentService.class);

    private final ReactiveMongoTemplate mongo;
    private final OutboxWriter writer;
    private final Clock clock;
    private final FreshReads<String, List<Fulfillment>> allReads = new FreshReads<>();
    private final FreshReads<String, Fulfillment> byIdReads = new FreshReads<>();

    public FulfillmentService(ReactiveMongoTemplate mongo, OutboxWriter writer, Clock clock) {
        this.mongo = mongo;
        this.writer = writer;
        this.clock = clock;
    }

    /** Every fulfillment, ordered by order id; concurrent calls share one query. */
    public Mono<List<Fulfillment>> findAll() {
        return allReads.read("all", () -> mongo.find(new Query().with(Sort.by("orderId")), Fulfillment.class)
                .collectList());
    }

    /** The fulfillment of one order, or 404; concurrent calls for the same order share one query. */
    public Mono<Fulfillment> findById(String orderId) {
        return byIdReads.read(orderId, () -> mongo.findById(orderId, Fulfillment.class))
                .switchIfEmpty(Mono.error(() -> ApiProblems.notFound("Fulfillment of order", orderId)));
    }

    /**
     * Records a fulfillment request. A request for an order that has a record restarts its cycle at APPROVED; one
     * that is not newer than the request already applied changes nothing. Answers whether it changed anything.
     */
    public Mono<Boolean> request(OrderEvent event) {
        return writer.write(Fulfillment.class, event.orderId(), existing -> {
            if (existing.isPresent() && existing.get().orderVersion() >= event.version()) {
                return Change.none(false);
            }
            long version = existing.map(f -> f.version() + 1).orElse(1L);
            Fulfillment next = new Fulfillment(event.orderId(), event.customerId(), event.order().name(),
                    event.order().contact(), event.order().shippingAddress(), event.order().items(), null,
                    OrderStatus.APPROVED, List.of(new StatusEntry(OrderStatus.APPROVED, event.occurredAt(), null)),
                    version, event.version(), List.of());
            return existing.isEmpty() ? Change.insert(next, List.of(), true) : Change.replace(next, List.of(), true);
        });
    }

    public Mono<Fulfillment> changeStatus(String orderId, StatusChangeRequest change) {
        return writer.write(Fulfillment.class, orderId, stored -> transition(stored.orElseThrow(() ->
                        ApiProblems.notFound("Fulfillment of order", orderId)), change))
                .doOnNext(saved -> log.info("Fulfillment of order {} is now {} (version {})", saved.orderId(),
                        saved.status(), saved.version()));
    }

    /** Moves every fulfillment that is in {@code from} to {@code to}; answers how many moved. */
    public Mono<Long> advanceAll(OrderStatus from, OrderStatus to) {
        return mongo.find(Query.query(Criteria.where("status").is(from)).with(Sort.by("orderId")), Fulfillment.class)
                .concatMap(f -> changeStatus(f.orderId(), new StatusChangeRequest(to, null, null))
                        .map(changed -> 1L)
                        // Moved on by someone else meanwhile: not ours to count.
                        .onErrorResume(ErrorResponseException.class, e -> Mono.just(0L)))
                .reduce(0L, Long::sum)
                .doOnNext(count -> log.info("{} fulfillments moved from {} to {}", count, from, to));
    }

    private Change<Fulfillment, Fulfillment> transition(Fulfillment current, StatusChangeRequest change) {
        if (!ShippingTransitions.allowed(current.status(), change.status())) {
            throw ApiProblems.conflict("Fulfillment of order " + current.orderId() + " is " + current.status()
                    + " and cannot become " + change.status());
        }
        Instant now = clock.instant();
        ShippingMethod method = current.shippingMethod();
        if (change.status() == OrderStatus.SHIPPED) {
            method = change.shippingMethod() != null ? change.shippingMethod() : ShippingMethods.choose(current.orderId());
        }
        List<StatusEntry> history = new ArrayList<>(current.statusHistory());
        history.add(new StatusEntry(change.status(), now, change.note()));
        Fulfillment next = new Fulfillment(current.orderId(), current.customerId(), current.name(), current.contact(),
                current.shippingAddress(), current.items(), method, change.status(), history, current.version() + 1,
                current.orderVersion(), List.of());
        FulfillmentEvent event = new FulfillmentEvent(UUID.randomUUID(), FulfillmentEvent.Type.FULFILLMENT_STATUS_CHANGED,
                next.orderId(), next.customerId(), next.version(), now, next.status(), change.note(), method);
        return Change.replace(next, List.of(event), next);
    }
}
