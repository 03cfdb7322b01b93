package io.storefront.support.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class FreshReadsTest {

    private final FreshReads<String, String> reads = new FreshReads<>();
    /** One sink per query started, in order: the test decides when each query answers. */
    private final List<Sinks.One<String>> queries = new ArrayList<>();
    private final Supplier<Mono<String>> query = () -> {
        Sinks.One<String> answer = Sinks.one();
        queries.add(answer);
        return answer.asMono();
    };

    @Test
    void aLoneReadRunsItsOwnQuery() {
        var first = reads.read("k", query).toFuture();

        assertThat(queries).hasSize(1);
        queries.get(0).tryEmitValue("v1");
        assertThat(first).isCompletedWithValue("v1");
    }

    @Test
    void readsArrivingWhileAQueryRunsShareTheNextQueryNeverTheRunningOne() {
        var first = reads.read("k", query).toFuture();
        var second = reads.read("k", query).toFuture();
        var third = reads.read("k", query).toFuture();
        assertThat(queries).as("the later reads wait for the running query to end").hasSize(1);

        queries.get(0).tryEmitValue("before the later reads");

        assertThat(first).isCompletedWithValue("before the later reads");
        assertThat(second).isNotDone();
        assertThat(queries).as("one query for both waiting reads, started when the first ended").hasSize(2);
        queries.get(1).tryEmitValue("after");
        assertThat(second).isCompletedWithValue("after");
        assertThat(third).isCompletedWithValue("after");
    }

    @Test
    void differentKeysDoNotWaitForEachOther() {
        reads.read("a", query).subscribe();
        reads.read("b", query).subscribe();

        assertThat(queries).hasSize(2);
    }

    @Test
    void anErrorOrAnEmptyResultReachesItsReadsAndTheNextQueryStillRuns() {
        var failing = reads.read("k", query).toFuture();
        var waiting = reads.read("k", query).toFuture();

        queries.get(0).tryEmitError(new IllegalStateException("database away"));

        assertThat(failing).isCompletedExceptionally();
        queries.get(1).tryEmitEmpty();
        assertThat(waiting).isCompletedWithValue(null);
        var later = reads.read("k", query).toFuture();
        assertThat(queries).as("the key is idle again: a new read starts at once").hasSize(3);
        queries.get(2).tryEmitValue("back");
        assertThat(later).isCompletedWithValue("back");
    }

    @Test
    void nothingRunsUntilTheReadIsSubscribedAndEachSubscriptionIsAReadOfItsOwn() {
        Mono<String> read = reads.read("k", query);
        assertThat(queries).isEmpty();

        read.subscribe();
        read.subscribe();

        assertThat(queries).as("the second subscription waits for a query of its own").hasSize(1);
        queries.get(0).tryEmitValue("v");
        assertThat(queries).hasSize(2);
    }
}
