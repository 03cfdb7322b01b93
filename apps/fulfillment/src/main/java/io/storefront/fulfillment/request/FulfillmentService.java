package io.storefront.fulfillment.request;

import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.ShippingMethod;
import io.storefront.support.outbox.OutboxEvent;
import io.storefront.support.outbox.OutboxRelay;
import io.storefront.support.web.ApiProblems;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fulfillment records: created (or restarted) by orders' requests, advanced through the shipping statuses. Each
 * status change and its event are one document write, accepted only on the version that was read.
 */
@Service
public class FulfillmentService {

    private static final Logger log = LoggerFactory.getLogger(FulfillmentService.class);

    private final ReactiveMongoTemplate mongo;
    private final OutboxRelay relay;
    private final JsonMapper json;
    private final Clock clock;

    public FulfillmentService(ReactiveMongoTemplate mongo, OutboxRelay relay, JsonMapper json, Clock clock) {
        this.mongo = mongo;
        this.relay = relay;
        this.json = json;
        this.clock = clock;
    }

    public Flux<Fulfillment> findAll() {
        return mongo.findAll(Fulfillment.class).sort((a, b) -> a.orderId().compareTo(b.orderId()));
    }

    public Mono<Fulfillment> findById(String orderId) {
        return mongo.findById(orderId, Fulfillment.class)
                .switchIfEmpty(Mono.error(() -> ApiProblems.notFound("Fulfillment of order", orderId)));
    }

    /**
     * Records a fulfillment request. A request for an order that has a record restarts its cycle at APPROVED; one
     * that is not newer than the request already applied changes nothing. Answers whether it changed anything.
     */
    public Mono<Boolean> request(OrderEvent event) {
        return mongo.findById(event.orderId(), Fulfillment.class)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(existing -> {
                    if (existing.isPresent() && existing.get().orderVersion() >= event.version()) {
                        return Mono.just(false);
                    }
                    long version = existing.map(f -> f.version() + 1).orElse(1L);
                    Fulfillment next = new Fulfillment(event.orderId(), event.customerId(), event.order().name(),
                            event.order().contact(), event.order().shippingAddress(), event.order().items(), null,
                            OrderStatus.APPROVED,
                            List.of(new StatusEntry(OrderStatus.APPROVED, event.occurredAt(), null)),
                            version, event.version(), existing.map(Fulfillment::outbox).orElse(List.of()));
                    return (existing.isEmpty() ? mongo.insert(next) : replaceState(existing.get(), next, null))
                            .thenReturn(true);
                })
                .retryWhen(Retry.max(10).filter(e -> e instanceof ConcurrentChange || e instanceof DuplicateKeyException)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    public Mono<Fulfillment> changeStatus(String orderId, StatusChangeRequest change) {
        return Mono.defer(() -> findById(orderId).flatMap(current -> transition(current, change)))
                .retryWhen(Retry.max(10).filter(ConcurrentChange.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(ConcurrentChange.class, e -> ApiProblems.conflict(
                        "Fulfillment of order " + orderId + " is being changed concurrently; retry"));
    }

    /** Moves every fulfillment that is in {@code from} to {@code to}; answers how many moved. */
    public Mono<Long> advanceAll(OrderStatus from, OrderStatus to) {
        return mongo.find(Query.query(Criteria.where("status").is(from)).with(Sort.by("_id")), Fulfillment.class)
                .concatMap(f -> changeStatus(f.orderId(), new StatusChangeRequest(to, null, null))
                        .map(changed -> 1L)
                        // Moved on by someone else meanwhile: not ours to count.
                        .onErrorResume(ErrorResponseException.class, e -> Mono.just(0L)))
                .reduce(0L, Long::sum)
                .doOnNext(count -> log.info("{} fulfillments moved from {} to {}", count, from, to));
    }

    private Mono<Fulfillment> transition(Fulfillment current, StatusChangeRequest change) {
        if (!ShippingTransitions.allowed(current.status(), change.status())) {
            return Mono.error(ApiProblems.conflict("Fulfillment of order " + current.orderId() + " is "
                    + current.status() + " and cannot become " + change.status()));
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
                current.orderVersion(), current.outbox());
        FulfillmentEvent event = new FulfillmentEvent(UUID.randomUUID(), FulfillmentEvent.Type.FULFILLMENT_STATUS_CHANGED,
                next.orderId(), next.customerId(), next.version(), now, next.status(), change.note(), method);
        return replaceState(current, next, event)
                .doOnNext(saved -> log.info("Fulfillment of order {} is now {} (version {})", saved.orderId(),
                        saved.status(), saved.version()));
    }

    private Mono<Fulfillment> replaceState(Fulfillment current, Fulfillment next, FulfillmentEvent event) {
        Query unchanged = Query.query(Criteria.where("_id").is(current.orderId()).and("version").is(current.version()));
        Update update = new Update()
                .set("customerId", next.customerId())
                .set("name", next.name())
                .set("contact", next.contact())
                .set("shippingAddress", next.shippingAddress())
                .set("items", next.items())
                .set("shippingMethod", next.shippingMethod())
                .set("status", next.status())
                .set("statusHistory", next.statusHistory())
                .set("version", next.version())
                .set("orderVersion", next.orderVersion());
        List<OutboxEvent> announced = event == null ? List.of() : List.of(OutboxEvent.of(event, json));
        if (!announced.isEmpty()) {
            update.push(OutboxEvent.FIELD, announced.get(0));
        }
        return mongo.updateFirst(unchanged, update, Fulfillment.class)
                .flatMap(result -> result.getModifiedCount() == 1 ? Mono.just(next) : Mono.error(new ConcurrentChange()))
                .doOnNext(saved -> relay.written(Fulfillment.COLLECTION, saved.orderId(), current.outbox(), announced));
    }

    private static final class ConcurrentChange extends RuntimeException {
        ConcurrentChange() {
            super(null, null, false, false);
        }
    }
}
