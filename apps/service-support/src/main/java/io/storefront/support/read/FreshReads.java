package io.storefront.support.read;

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
 * round trip, decoding, thread hand-overs) than answering the request does (docs/decisions/0008-read-sharing.md).
 *
 * @param <K> what identifies a read (equal keys, same query)
 * @param <T> its result
 */
public final class FreshReads<K, T> {

    /**
     * A key whose query is running; it is in the map exactly as long as one is. Its fields are only touched inside
     * the map's per-key {@code compute} calls, which order them.
     */
    private static final class Running<T> {
        /** Answers the requests that arrive while this query runs, from the query started after it. */
        final Sinks.One<T> next = Sinks.one();
        boolean joined;
    }

    private final Map<K, Running<T>> running = new ConcurrentHashMap<>();

    /** The result of {@code query} run after this call is subscribed to, possibly shared with concurrent callers. */
    public Mono<T> read(K key, Supplier<Mono<T>> query) {
        return Mono.defer(() -> {
            Running<T> started = new Running<>();
            Running<T> current = running.compute(key, (k, existing) -> {
                if (existing == null) {
                    return started;
                }
                existing.joined = true;
                return existing;
            });
            if (current != started) {
                return current.next.asMono();
            }
            Sinks.One<T> group = Sinks.one();
            run(key, started, group, query);
            return group.asMono();
        });
    }

    private void run(K key, Running<T> state, Sinks.One<T> group, Supplier<Mono<T>> query) {
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
                    runNext(key, state, query);
                    if (value.isPresent()) {
                        group.emitValue(value.get(), Sinks.EmitFailureHandler.FAIL_FAST);
                    } else {
                        group.emitEmpty(Sinks.EmitFailureHandler.FAIL_FAST);
                    }
                },
                error -> {
                    runNext(key, state, query);
                    group.emitError(error, Sinks.EmitFailureHandler.FAIL_FAST);
                });
    }

    /** Starts the query for the requests that joined the one that ended, or marks the key idle. */
    private void runNext(K key, Running<T> ended, Supplier<Mono<T>> query) {
        Running<T> after = running.computeIfPresent(key, (k, current) -> current.joined ? new Running<>() : null);
        if (after != null) {
            run(key, after, ended.next, query);
        }
    }
}
