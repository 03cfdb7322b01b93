package io.storefront.benchmarks;

import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 1: customer updates on accounts at a fixed rate, and how long until orders serves each one.
 *
 * <p>Open loop: update {@code i} is sent at {@code start + i / rate} whether or not earlier answers have come back,
 * so a slow service shows up as lag and latency instead of silently lowering the offered rate (no coordinated
 * omission). Each update writes a sequence number into the customer's middle name; orders copies names, so the first
 * {@code GET /orders/customers/{id}} that shows that number (or a later one: events of one customer are applied in
 * order) is the moment orders serves that version. Lag = that moment − the accounts 2xx. A sampled subset is polled;
 * each poll is one GET round trip, the resolution of the measurement (reported with the figures).
 */
final class PropagationRun {

    /** What one run at one rate measured; times in milliseconds. */
    record Result(double offeredPerSecond, double seconds, long sent, long acknowledged, long errors, long dropped,
                  double ackedPerSecond, Stats ackLatencyMs, Stats lagMs, long lagNotSeen, double catchUpMs,
                  long notCaughtUp, Stats sendSlipMs, Map<String, Long> failures, double quietWaitSeconds) {
    }

    private static final Pattern MARKER = Pattern.compile("\"middleName\":\"m(\\d+)\"");
    /** Client-side cap on updates in flight; beyond it sends are counted as dropped rather than queued unboundedly. */
    private static final int MAX_IN_FLIGHT = 512;
    private static final Duration SEEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_CUSTOMERS = 10_000;
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(4, daemon("bench-http")))
            .build();
    private final String accounts;
    private final String orders;
    private final List<String> customerIds;
    private final AtomicLong sequence = new AtomicLong();
    /** The newest update accounts accepted per customer, across runs: what orders must serve in the end. */
    private final AtomicLongArray lastAcked;

    private PropagationRun(String accountsBase, String ordersBase, List<String> customerIds) {
        this.accounts = accountsBase;
        this.orders = ordersBase;
        this.customerIds = customerIds;
        this.lastAcked = new AtomicLongArray(MAX_CUSTOMERS);
    }

    /** Creates {@code customers} customers on accounts and waits until orders knows each of them. */
    static PropagationRun prepare(String accountsBase, String ordersBase, int customers) {
        PropagationRun run = new PropagationRun(accountsBase, ordersBase, new ArrayList<>());
        for (int k = 0; k < customers; k++) {
            HttpResponse<String> created = run.send(HttpRequest.newBuilder(URI.create(accountsBase + "/customers"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(k, run.sequence.incrementAndGet()))));
            if (created.statusCode() != 201) {
                throw new StackFailure("Creating a benchmark customer answered " + created.statusCode() + ": "
                        + created.body());
            }
            Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
            if (!id.find()) {
                throw new StackFailure("No id in " + created.body());
            }
            run.customerIds.add(id.group(1));
        }
        for (String id : run.customerIds) {
            run.awaitSeen(id, 0, Duration.ofSeconds(60));
        }
        return run;
    }

    /**
     * {@code rate} updates per second for {@code duration}, every {@code sampleEvery}-th one polled on orders; then
     * waits until orders serves every customer's last update (catch-up).
     */
    Result run(double rate, Duration duration, int sampleEvery) {
        double quiet = awaitCaughtUp(System.nanoTime() + QUIET_TIMEOUT.toNanos()).seconds;
        int total = (int) Math.round(rate * duration.toMillis() / 1000.0);
        long period = (long) (1e9 / rate);
        ExecutorService pollers = Executors.newFixedThreadPool(16, daemon("bench-poll"));
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        ConcurrentLinkedQueue<Double> acks = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> lags = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong notSeen = new AtomicLong();
        long dropped = 0;
        double[] slips = new double[total];
        Map<String, Long> failures = new ConcurrentSkipListMap<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime() + 20_000_000;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slips[i] = Math.max(0, System.nanoTime() - due) / 1e6;
            if (!inFlight.tryAcquire()) {
                dropped++;
                continue;
            }
            int customer = i % customerIds.size();
            String id = customerIds.get(customer);
            long seq = sequence.incrementAndGet();
            boolean sampled = i % sampleEvery == 0;
            HttpRequest put = HttpRequest.newBuilder(URI.create(accounts + "/customers/" + id))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body(customer, seq))).build();
            pending.add(http.sendAsync(put, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
                long acked = System.nanoTime();
                inFlight.release();
                if (failure != null || response.statusCode() / 100 != 2) {
                    errors.incrementAndGet();
                    failures.merge(failure != null ? failure.getClass().getSimpleName()
                            : "HTTP " + response.statusCode(), 1L, Long::sum);
                    return null;
                }
                acks.add((acked - due) / 1e6);
                lastAcked.accumulateAndGet(customer, seq, Math::max);
                if (sampled) {
                    pollers.execute(() -> {
                        long seen = awaitSeen(id, seq, SEEN_TIMEOUT);
                        if (seen < 0) {
                            notSeen.incrementAndGet();
                        } else {
                            lags.add(Math.max(0, seen - acked) / 1e6);
                        }
                    });
                }
                return null;
            }));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        long lastAck = System.nanoTime();
        CatchUp catchUp = awaitCaughtUp(lastAck + CATCH_UP_TIMEOUT.toNanos());
        long caughtUp = Math.max(lastAck, catchUp.at);
        long notCaughtUp = catchUp.missing;
        pollers.shutdown();
        try {
            pollers.awaitTermination(SEEN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long acknowledged = acks.size();
        return new Result(rate, seconds, total - dropped, acknowledged, errors.get(), dropped, acknowledged / seconds,
                Stats.of(toArray(acks)), Stats.of(toArray(lags)), notSeen.get(), (caughtUp - lastAck) / 1e6,
                notCaughtUp, Stats.of(slips), Map.copyOf(failures), quiet);
    }

    private record CatchUp(long at, long missing, double seconds) {
    }

    /**
     * Waits until orders serves every customer's newest accepted update or the deadline passes. Before a run this
     * keeps the backlog of the previous one out of its figures (the wait is reported).
     */
    private CatchUp awaitCaughtUp(long deadline) {
        long begin = System.nanoTime();
        long at = begin;
        long missing = 0;
        for (int c = 0; c < customerIds.size(); c++) {
            if (lastAcked.get(c) > 0) {
                // Not the highest sequence acknowledged: two overlapping PUTs of one customer may be stored in
                // either order, so the target is the version accounts ended up with.
                long seen = awaitSeen(customerIds.get(c), accountsMarker(customerIds.get(c)),
                        Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (seen < 0) {
                    missing++;
                }
                at = Math.max(at, seen < 0 ? System.nanoTime() : seen);
            }
        }
        return new CatchUp(at, missing, (System.nanoTime() - begin) / 1e9);
    }

    /**
     * Polls orders until the customer's marker is at least {@code seq}; answers the nanoTime of that answer or -1.
     * Back-to-back GETs for the first 20 ms (resolution one round trip), then a pause of a twentieth of the time
     * waited so far (at most 100 ms: 5 % resolution), so that slow propagation does not turn the pollers into a load
     * test of orders: with a shorter cap, pollers waiting on a backlog would send orders more requests than the
     * updates being measured and make the backlog grow.
     */
    long awaitSeen(String id, long seq, Duration timeout) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(orders + "/customers/" + id))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                if (response.statusCode() == 200) {
                    Matcher m = MARKER.matcher(response.body());
                    if (m.find() && Long.parseLong(m.group(1)) >= seq) {
                        return now;
                    }
                }
                long waited = now - begin;
                if (waited > 20_000_000) {
                    LockSupport.parkNanos(Math.min(waited / 20, 100_000_000));
                }
            } catch (IOException e) {
                LockSupport.parkNanos(10_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    /** The sequence number in the customer's middle name as accounts serves it now. */
    private long accountsMarker(String id) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(accounts + "/customers/" + id)).GET());
        Matcher m = MARKER.matcher(response.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackFailure("Benchmark request failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    /** A valid customer whose middle name carries the update's sequence number; no card (nothing to mask). */
    static String body(int customer, long seq) {
        return """
                {"name":{"title":"Ms.","firstName":"Bench","middleName":"m%d","lastName":"Customer%d","suffix":null},\
                "contact":{"primaryPhone":"555-000-%04d","secondaryPhone":null,"email":"bench%d@example.com"},\
                "addresses":[{"type":"SHIPPING","description":"Benchmark","address1":"%d Bench Street","address2":null,\
                "city":"Benchville","state":"NY","postalCode":"10001"}],"creditCards":[]}"""
                .formatted(seq, customer, customer % 10000, customer, customer + 1);
    }

    private static double[] toArray(ConcurrentLinkedQueue<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
