package io.storefront.support.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Lets concurrent requests for the same read share one database query without ever answering with data older than
 * the request: a request never joins a query that is already running (it might have started before the request's
 * own write was acknowledged), only the next one, which starts as soon as the running one ends. So each key has at
 * most one query in flight; under load the requests that arrive meanwhile are answered by one query instead of one
 * each, and a lone request is answered exactly as without it.
 *
 * <p>Why: reading a few small documents costs a service far more in MongoDB driver work (a connection checkout, a
 * round trip, decoding, thread hand-overs) than answering the request does; the benchmark's summary endpoint was
 * bound by exactly that (docs/benchmarks.md).
 *
 * @param <K> what identifies a read (equal keys, same query)
 * @param <T> its result
 */
public final class FreshReads<K, T> {

    /** The state of one key; guarded by its own monitor. */
    private static final class Slot<T> {
        boolean running;
        /** The requests waiting for the next query, or null. */
        Sinks.One<T> next;
    }

    private final Map<K, Slot<T>> slots = new ConcurrentHashMap<>();

    /** The result of {@code query} run after this call is subscribed to, possibly shared with concurrent callers. */
    public Mono<T> read(K key, Supplier<Mono<T>> query) {
        return Mono.defer(() -> {
            Sinks.One<T> group;
            boolean start;
            Slot<T> slot;
            while (true) {
                slot = slots.computeIfAbsent(key, k -> new Slot<>());
                synchronized (slot) {
                    if (slots.get(key) != slot) {
                        continue; // retired by the query that just ended: take the fresh one
                    }
                    start = !slot.running;
                    if (start) {
                        slot.running = true;
                        group = Sinks.one();
                    } else {
                        if (slot.next == null) {
                            slot.next = Sinks.one();
                        }
                        group = slot.next;
                    }
                }
                break;
            }
            if (start) {
                run(key, slot, group, query);
            }
            return group.asMono();
        });
    }

    private void run(K key, Slot<T> slot, Sinks.One<T> group, Supplier<Mono<T>> query) {
        Mono<T> result;
        try {
            result = query.get();
        } catch (RuntimeException e) {
            result = Mono.error(e);
        }
        // The next query starts before this one's result goes out: answering the waiting requests runs on this
        // thread, and the requests that came in meanwhile need not wait for that.
        result.singleOptional().subscribe(
                value -> {
                    runNext(key, slot, query);
                    if (value.isPresent()) {
                        group.emitValue(value.get(), Sinks.EmitFailureHandler.FAIL_FAST);
                    } else {
                        group.emitEmpty(Sinks.EmitFailureHandler.FAIL_FAST);
                    }
                },
                error -> {
                    runNext(key, slot, query);
                    group.emitError(error, Sinks.EmitFailureHandler.FAIL_FAST);
                });
    }

    /** Starts the query for the requests that arrived while one ran, or retires the idle key. */
    private void runNext(K key, Slot<T> slot, Supplier<Mono<T>> query) {
        Sinks.One<T> waiting;
        synchronized (slot) {
            waiting = slot.next;
            slot.next = null;
            if (waiting == null) {
                slot.running = false;
                slots.remove(key, slot);
            }
        }
        if (waiting != null) {
            run(key, slot, waiting, query);
        }
    }
}
