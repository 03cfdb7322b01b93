package io.storefront.orders.order;

import io.storefront.contracts.Address;
import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.OrderItem;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.Product;
import io.storefront.support.outbox.Change;
import io.storefront.support.web.ApiProblems;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Placing orders, the approval decisions, the sample data and sending approved orders for fulfillment. */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    /** Which statuses each decision may leave. An order sent for fulfillment is fulfillment's to change. */
    private static final Map<OrderEvent.Type, Set<OrderStatus>> ALLOWED_FROM = Map.of(
            OrderEvent.Type.ORDER_APPROVED, Set.of(OrderStatus.CREATED),
            OrderEvent.Type.ORDER_REJECTED, Set.of(OrderStatus.CREATED),
            OrderEvent.Type.ORDER_CANCELLED, Set.of(OrderStatus.CREATED, OrderStatus.APPROVED));

    private static final Map<OrderEvent.Type, OrderStatus> RESULT = Map.of(
            OrderEvent.Type.ORDER_APPROVED, OrderStatus.APPROVED,
            OrderEvent.Type.ORDER_REJECTED, OrderStatus.REJECTED,
            OrderEvent.Type.ORDER_CANCELLED, OrderStatus.CANCELLED);

    private final CustomerOrdersStore store;
    private final Clock clock;

    public OrderService(CustomerOrdersStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Mono<Order> place(String customerId, PlaceOrderRequest request) {
        List<OrderItem> items = new ArrayList<>();
        for (PlaceOrderRequest.Item item : request.items()) {
            Product product = Catalog.find(item.productId()).orElseThrow(() ->
                    ApiProblems.unprocessable("Unknown product " + item.productId() + "; see GET /orders/products"));
            items.add(new OrderItem(product, item.quantity()));
        }
        Instant now = clock.instant();
        Order order = new Order(UUID.randomUUID().toString(), items,
                List.of(new StatusEntry(OrderStatus.CREATED, now, null)), false, 0);
        return changeLive(customerId, current -> {
            List<Order> orders = new ArrayList<>(current.orders());
            orders.add(order);
            CustomerOrders next = current.next(orders);
            return Change.replace(next, List.of(event(OrderEvent.Type.ORDER_PLACED, next, order, now, null)), order);
        }).doOnNext(placed -> log.info("Order {} placed for customer {}", placed.id(), customerId));
    }

    public Mono<Order> decide(String customerId, String orderId, OrderEvent.Type decision, String note) {
        Instant now = clock.instant();
        return changeLive(customerId, current -> {
            Order order = current.order(orderId).orElseThrow(() -> ApiProblems.notFound("Order", orderId));
            if (!ALLOWED_FROM.get(decision).contains(order.status()) || order.sentForFulfillment()) {
                throw ApiProblems.conflict("Order " + orderId + " is " + order.status()
                        + (order.sentForFulfillment() ? " and was sent for fulfillment" : "")
                        + "; it cannot become " + RESULT.get(decision));
            }
            Order changed = order.withStatus(RESULT.get(decision), now, note);
            CustomerOrders next = current.next(replace(current.orders(), changed));
            return Change.replace(next, List.of(event(decision, next, changed, now, null)), changed);
        }).doOnNext(order -> log.info("Order {} of customer {} is now {}", orderId, customerId, order.status()));
    }

    /** Gives every known customer the five sample orders (stable ids); answers how many customers were reset. */
    public Mono<Long> resetSamples() {
        Instant now = clock.instant();
        return store.findAllLive()
                .flatMapIterable(all -> all)
                .concatMap(customer -> changeLive(customer.id(), current -> {
                    // Keep the fulfillment version of orders that exist already: a late status event from an
                    // earlier cycle must stay "old" for the reset order.
                    Map<String, Long> applied = current.orders().stream()
                            .collect(Collectors.toMap(Order::id, Order::fulfillmentVersion));
                    List<Order> samples = SampleOrders.forCustomer(current.id(), now).stream()
                            .map(o -> new Order(o.id(), o.items(), o.statusHistory(), false,
                                    applied.getOrDefault(o.id(), 0L)))
                            .toList();
                    return Change.replace(current.next(samples), List.of(), current.id());
                }))
                .count()
                .doOnNext(count -> log.info("Sample orders reset for {} customers", count));
    }

    /**
     * Sends every order that is APPROVED and not yet sent: the order is marked and its FULFILLMENT_REQUESTED event
     * stored in one write per customer. Answers how many orders were sent.
     */
    public Mono<Long> sendApprovedForFulfillment() {
        Instant now = clock.instant();
        return store.findAllLive()
                .flatMapIterable(all -> all)
                .filter(customer -> customer.orders().stream().anyMatch(OrderService::awaitsFulfillment))
                .concatMap(customer -> changeLive(customer.id(), current -> sendApproved(current, now)))
                .reduce(0L, Long::sum)
                .doOnNext(count -> log.info("{} approved orders sent for fulfillment", count));
    }

    /** Marks the customer's approved orders as sent, each with its FULFILLMENT_REQUESTED event; answers how many. */
    private static Change<CustomerOrders, Long> sendApproved(CustomerOrders current, Instant now) {
        Optional<Address> shipTo = current.shippingAddress();
        if (shipTo.isEmpty()) {
            log.warn("Customer {} has approved orders but no address to ship to", current.id());
            return Change.none(0L);
        }
        List<Order> orders = new ArrayList<>();
        List<Order> sent = new ArrayList<>();
        for (Order order : current.orders()) {
            if (awaitsFulfillment(order)) {
                order = order.markSentForFulfillment();
                sent.add(order);
            }
            orders.add(order);
        }
        if (sent.isEmpty()) {
            return Change.none(0L);
        }
        CustomerOrders next = current.next(orders);
        List<OrderEvent> events = sent.stream()
                .map(order -> event(OrderEvent.Type.FULFILLMENT_REQUESTED, next, order, now, shipTo.get()))
                .toList();
        return Change.replace(next, events, (long) sent.size());
    }

    private static boolean awaitsFulfillment(Order order) {
        return order.status() == OrderStatus.APPROVED && !order.sentForFulfillment();
    }

    /** Changes a live customer's orders; 404 for a customer orders does not know or that was deleted. */
    private <R> Mono<R> changeLive(String customerId, Function<CustomerOrders, Change<CustomerOrders, R>> decide) {
        return store.change(customerId, current -> {
                    if (current.deleted()) {
                        throw ApiProblems.notFound("Customer", customerId);
                    }
                    return decide.apply(current);
                })
                .switchIfEmpty(Mono.error(() -> ApiProblems.notFound("Customer", customerId)));
    }

    private static List<Order> replace(List<Order> orders, Order changed) {
        return orders.stream().map(order -> order.id().equals(changed.id()) ? changed : order).toList();
    }

    /** Order events carry the version of the document write that stores them, which rises with every write. */
    private static OrderEvent event(OrderEvent.Type type, CustomerOrders next, Order order, Instant now,
                                    Address shipTo) {
        boolean forFulfillment = type == OrderEvent.Type.FULFILLMENT_REQUESTED;
        return new OrderEvent(UUID.randomUUID(), type, order.id(), next.id(), next.version(), now,
                new OrderEvent.Order(order.status(), order.items(),
                        forFulfillment ? next.name() : null,
                        forFulfillment ? next.contact() : null,
                        shipTo));
    }
}
