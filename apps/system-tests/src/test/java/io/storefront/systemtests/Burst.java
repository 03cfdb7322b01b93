package io.storefront.systemtests;

import io.storefront.local.stack.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A burst of mixed changes through the public APIs: customer updates on accounts, orders placed and approved on
 * orders, fulfillment requests, shipping status changes on fulfillment. Each lane owns one customer and works
 * sequentially; lanes run in parallel. It records what each service accepted, so that a later check can tell
 * whether anything accepted was lost. A request that failed without an answer (the service was killed) is
 * "uncertain": it may or may not have been stored.
 */
final class Burst {

    private static final List<String> SHIPPING = List.of("PROCESSING", "SHIPPED", "IN_TRANSIT", "RECEIVED");

    /** What the services accepted. */
    static final class Outcome {
        final AtomicInteger attempted = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        /** customer id → first names in the order they were sent; index of the last accepted one. */
        final Map<String, List<String>> sentNames = new ConcurrentHashMap<>();
        final Map<String, Integer> lastAcceptedName = new ConcurrentHashMap<>();
        final Set<String> placedOrders = ConcurrentHashMap.newKeySet();
        /** order id → shipping statuses fulfillment accepted. */
        final Map<String, List<String>> acceptedStatuses = new ConcurrentHashMap<>();

        @Override
        public String toString() {
            return String.format("%d changes: %d accepted, %d rejected (4xx), %d failed (no answer or 5xx)",
                    attempted.get(), accepted.get(), rejected.get(), failed.get());
        }
    }

    private final StackConfig config;
    private final List<String> customerIds;
    private final String customerTemplate;
    private final String productId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    Burst(StackConfig config, List<String> customerIds, String customerTemplate, String productId) {
        this.config = config;
        this.customerIds = customerIds;
        this.customerTemplate = customerTemplate;
        this.productId = productId;
    }

    /** Runs {@code changes} changes over all lanes; {@code progress} is counted down once per change. */
    Outcome run(int changes, CountDownLatch progress) throws InterruptedException {
        Outcome outcome = new Outcome();
        int lanes = customerIds.size();
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            int laneNumber = lane;
            int share = changes / lanes + (lane < changes % lanes ? 1 : 0);
            pool.submit(() -> lane(laneNumber, share, outcome, progress));
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("burst did not finish in 10 minutes");
        }
        return outcome;
    }

    private void lane(int lane, int changes, Outcome outcome, CountDownLatch progress) {
        String customer = customerIds.get(lane);
        List<String> names = outcome.sentNames.computeIfAbsent(customer, id -> new ArrayList<>());
        List<String> approved = new ArrayList<>();
        Map<String, Integer> shippingStep = new java.util.HashMap<>();
        String lastPlaced = null;
        for (int k = 0; k < changes; k++) {
            int kind = k % 6;
            if (kind == 0 || kind == 3) {
                String name = "Lane" + lane + "x" + k;
                names.add(name);
                int status = send("PUT", url("accounts", "/customers/" + customer),
                        customerTemplate.replace("FIRST_NAME", name), outcome);
                if (status / 100 == 2) {
                    outcome.lastAcceptedName.put(customer, names.size() - 1);
                }
            } else if (kind == 1) {
                HttpResponse<String> placed = exchange("POST", url("orders", "/customers/" + customer + "/orders"),
                        "{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":" + (1 + k % 3) + "}]}", outcome);
                if (placed != null && placed.statusCode() == 201) {
                    lastPlaced = json.readTree(placed.body()).path("id").asString();
                    outcome.placedOrders.add(lastPlaced);
                }
            } else if (kind == 2 && lastPlaced != null) {
                int status = send("POST", url("orders", "/customers/" + customer + "/orders/" + lastPlaced + "/approve"),
                        null, outcome);
                if (status == 200) {
                    approved.add(lastPlaced);
                }
                lastPlaced = null;
            } else if (kind == 4) {
                send("POST", url("orders", "/customers/sample/fulfill"), null, outcome);
            } else if (kind == 5 && !approved.isEmpty()) {
                String order = approved.get(k % approved.size());
                int step = shippingStep.getOrDefault(order, 0);
                if (step < SHIPPING.size()) {
                    int status = send("POST", url("fulfillment", "/fulfillments/" + order + "/status"),
                            "{\"status\":\"" + SHIPPING.get(step) + "\"}", outcome);
                    if (status == 200) {
                        shippingStep.put(order, step + 1);
                        outcome.acceptedStatuses.computeIfAbsent(order, o -> new ArrayList<>()).add(SHIPPING.get(step));
                    }
                }
            } else {
                send("GET", url("orders", "/customers/" + customer), null, outcome);
            }
            progress.countDown();
        }
    }

    private int send(String method, String url, String body, Outcome outcome) {
        HttpResponse<String> response = exchange(method, url, body, outcome);
        return response == null ? -1 : response.statusCode();
    }

    private HttpResponse<String> exchange(String method, String url, String body, Outcome outcome) {
        outcome.attempted.incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            (status / 100 == 2 ? outcome.accepted : status / 100 == 4 ? outcome.rejected : outcome.failed).incrementAndGet();
            return response;
        } catch (java.io.IOException e) {
            outcome.failed.incrementAndGet();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String url(String service, String path) {
        return config.service(service).baseUrl() + path;
    }

    /** The first name accounts must end with: the last accepted one, or one sent after it whose answer was lost. */
    static List<String> acceptableNames(Outcome outcome, String customer) {
        List<String> names = outcome.sentNames.getOrDefault(customer, List.of());
        Integer last = outcome.lastAcceptedName.get(customer);
        return last == null ? names : names.subList(last, names.size());
    }

}
