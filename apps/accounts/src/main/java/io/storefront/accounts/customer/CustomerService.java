package io.storefront.accounts.customer;

import io.storefront.support.outbox.Change;
import io.storefront.support.outbox.OutboxWriter;
import io.storefront.support.read.FreshReads;
import io.storefront.support.web.ApiProblems;
import io.storefront.support.web.IfMatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every change of a customer and the event announcing it are one document write (the event goes into the document's
 * outbox), made by {@link OutboxWriter} on the version it was decided on. Concurrent reads of the same thing share
 * one query ({@link FreshReads}).
 */
@Service
public class CustomerService {

    private static final Logger log = LoggerFactory.getLogger(CustomerService.class);

    private final ReactiveMongoTemplate mongo;
    private final OutboxWriter writer;
    private final Clock clock;
    private final FreshReads<String, List<Customer>> allReads = new FreshReads<>();
    private final FreshReads<String, Customer> byIdReads = new FreshReads<>();

    public CustomerService(ReactiveMongoTemplate mongo, OutboxWriter writer, Clock clock) {
        this.mongo = mongo;
        this.writer = writer;
        this.clock = clock;
    }

    /** The live customers, ordered by id. */
    public Mono<List<Customer>> findAll() {
        // By the mapped id property: naming "_id" makes Spring Data try a property lookup and build an exception
        // per query.
        return allReads.read("all", () -> mongo.find(Query.query(Criteria.where("deleted").is(false))
                .with(Sort.by("id")), Customer.class).collectList());
    }

    public Mono<Customer> findById(String id) {
        return byIdReads.read(id, () -> mongo.findById(id, Customer.class))
                .filter(customer -> !customer.deleted())
                .switchIfEmpty(Mono.error(() -> ApiProblems.notFound("Customer", id)));
    }

    public Mono<Customer> create(CustomerRequest request) {
        String id = UUID.randomUUID().toString();
        Customer created = state(id, 1, request, List.of());
        return writer.create(Customer.class, id, created, List.of(created.changedEvent(created.updatedAt())))
                .doOnNext(stored -> log.info("Customer {} created (version 1)", id));
    }

    /**
     * Replaces the customer's data; masked card numbers in the request stand for the stored cards they end with, and
     * those come from the same read that the write is conditional on.
     */
    public Mono<Customer> replace(String id, CustomerRequest request, IfMatch precondition) {
        return writer.write(Customer.class, id, stored -> {
            Customer current = live(stored, id, precondition);
            Customer next = state(id, current.version() + 1, request, current.creditCards());
            return Change.replace(next, List.of(next.changedEvent(next.updatedAt())), next);
        }).doOnNext(changed -> log.info("Customer {} changed (version {})", id, changed.version()));
    }

    /** Deletes the customer, leaving a tombstone; answers its final version. */
    public Mono<Long> delete(String id, IfMatch precondition) {
        return writer.write(Customer.class, id, stored -> {
            Customer tombstone = tombstone(live(stored, id, precondition), clock.instant());
            return Change.replace(tombstone, List.of(tombstone.deletedEvent(tombstone.updatedAt())),
                    tombstone.version());
        }).doOnNext(version -> log.info("Customer {} deleted (version {})", id, version));
    }

    /** Brings the given customers to exactly the given state and deletes every other live customer. */
    Flux<Customer> reset(List<Customer> wanted) {
        Set<String> keep = wanted.stream().map(Customer::id).collect(Collectors.toSet());
        Flux<Long> removeOthers = findAll().flatMapIterable(all -> all)
                .filter(customer -> !keep.contains(customer.id()))
                .concatMap(customer -> delete(customer.id(), IfMatch.NONE));
        Flux<Customer> upsertWanted = Flux.fromIterable(wanted).concatMap(this::upsert);
        return removeOthers.thenMany(upsertWanted);
    }

    /** Inserts the customer or, over any stored version (tombstones included), writes it as the next version. */
    private Mono<Customer> upsert(Customer wanted) {
        return writer.write(Customer.class, wanted.id(), stored -> {
            Instant now = clock.instant();
            long version = stored.map(Customer::version).orElse(0L) + 1;
            Customer next = new Customer(wanted.id(), version, wanted.name(), wanted.contact(), wanted.addresses(),
                    wanted.creditCards(), false, now, List.of());
            return stored.isPresent()
                    ? Change.replace(next, List.of(next.changedEvent(now)), next)
                    : Change.insert(next, List.of(next.changedEvent(now)), next);
        });
    }

    private static Customer live(Optional<Customer> stored, String id, IfMatch precondition) {
        Customer current = stored.filter(customer -> !customer.deleted()).orElse(null);
        if (current == null) {
            precondition.requireAbsenceAllowed("Customer " + id);
            throw ApiProblems.notFound("Customer", id);
        }
        precondition.requireVersion(current.version(), "Customer " + id);
        return current;
    }

    /** The customer the request describes, masked card numbers replaced by the stored cards they stand for. */
    private Customer state(String id, long version, CustomerRequest request, List<CreditCard> storedCards) {
        List<CreditCard> cards = new ArrayList<>();
        for (CreditCard card : request.creditCards()) {
            if (CardNumbers.isMasked(card.number())) {
                String stored = CardNumbers.unmask(card.number(), storedCards).orElseThrow(() ->
                        ApiProblems.invalid("A masked card number must match a card already stored for this customer"));
                cards.add(card.withNumber(stored));
            } else {
                cards.add(card);
            }
        }
        return new Customer(id, version, request.name(), request.contact(), request.addresses(), cards, false,
                clock.instant(), List.of());
    }

    private static Customer tombstone(Customer customer, Instant now) {
        return new Customer(customer.id(), customer.version() + 1, null, null, List.of(), List.of(), true, now,
                List.of());
    }
}
