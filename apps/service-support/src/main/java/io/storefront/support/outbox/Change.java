package io.storefront.support.outbox;

import io.storefront.contracts.StorefrontEvent;
import java.util.List;

/**
 * What one decision does to an aggregate document, and what the operation answers. {@link OutboxWriter} applies it
 * only to the state it was decided on.
 *
 * @param <A> the aggregate
 * @param <R> what the operation answers
 */
public sealed interface Change<A extends OutboxAggregate, R> {

    R result();

    /** Writes nothing. */
    record None<A extends OutboxAggregate, R>(R result) implements Change<A, R> {
    }

    /** Stores a new document with {@code events} as its pending events; its id must not exist yet. */
    record Insert<A extends OutboxAggregate, R>(A document, List<? extends StorefrontEvent> events, R result)
            implements Change<A, R> {
        public Insert {
            events = List.copyOf(events);
        }
    }

    /**
     * Replaces the stored state with {@code next} (whose version is the stored one plus one) and appends
     * {@code events} to the stored outbox; {@code next}'s own outbox is ignored.
     */
    record Replace<A extends OutboxAggregate, R>(A next, List<? extends StorefrontEvent> events, R result)
            implements Change<A, R> {
        public Replace {
            events = List.copyOf(events);
        }
    }

    static <A extends OutboxAggregate, R> Change<A, R> none(R result) {
        return new None<>(result);
    }

    static <A extends OutboxAggregate, R> Change<A, R> insert(A document, List<? extends StorefrontEvent> events,
                                                              R result) {
        return new Insert<>(document, events, result);
    }

    static <A extends OutboxAggregate, R> Change<A, R> replace(A next, List<? extends StorefrontEvent> events,
                                                               R result) {
        return new Replace<>(next, events, result);
    }
}
