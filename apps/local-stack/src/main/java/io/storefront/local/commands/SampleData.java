package io.storefront.local.commands;

import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.StackFailure;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The original's seven sample-data steps, done right: instead of sleeping five seconds after each call, every step
 * waits until the services agree again (the consistency audit is clean) and says how long that took.
 */
public final class SampleData {

    /** One step: which service, which call, and whether to wait for consistency afterwards. */
    record Step(String title, String service, String path, boolean awaitConsistency) {
    }

    static final List<Step> STEPS = List.of(
            new Step("create sample customers", "accounts", "/customers/sample", true),
            // Resets orders; fulfillment records of earlier runs disagree until step 3 restarts them.
            new Step("create sample orders", "orders", "/customers/sample/orders", false),
            new Step("send approved orders for fulfillment", "orders", "/customers/sample/fulfill", true),
            new Step("process", "fulfillment", "/fulfillments/sample/process", true),
            new Step("ship", "fulfillment", "/fulfillments/sample/ship", true),
            new Step("in transit", "fulfillment", "/fulfillments/sample/in-transit", true),
            new Step("receive", "fulfillment", "/fulfillments/sample/receive", true));

    /** The outcome: the audit of the end state and the time the seven steps took. */
    public record Result(ConsistencyAudit.Report endState, double seconds, boolean reachedEndState) {
    }

    private final StorefrontClient client;
    private final PrintStream out;
    private final Duration stepTimeout;

    public SampleData(StorefrontClient client, PrintStream out, Duration stepTimeout) {
        this.client = client;
        this.out = out;
        this.stepTimeout = stepTimeout;
    }

    public Result run() {
        long start = System.nanoTime();
        for (int i = 0; i < STEPS.size(); i++) {
            Step step = STEPS.get(i);
            long stepStart = System.nanoTime();
            JsonNode answer = client.post(step.service(), step.path());
            double called = seconds(stepStart);
            String waited = "";
            if (step.awaitConsistency()) {
                awaitConsistency(step);
                waited = String.format(", consistent after %.2f s", seconds(stepStart));
            }
            out.printf("%d/%d %-38s %s (%.2f s%s)%n", i + 1, STEPS.size(), step.title(), summarize(answer), called, waited);
        }
        ConsistencyAudit.Report end = ConsistencyAudit.audit(client);
        JsonNode fulfillments = client.fulfillmentSummary().path("fulfillments");
        boolean allReceived = fulfillments.size() > 0;
        for (JsonNode record : fulfillments) {
            allReceived &= "RECEIVED".equals(record.path("status").asString())
                    && !record.path("shippingMethod").isNull();
        }
        double total = seconds(start);
        out.printf("End state: %d customers, %d order views with %d orders, %d fulfillments%s; %s. Took %.2f s.%n",
                end.customers(), end.orderViews(), end.orders(), end.fulfillments(),
                allReceived ? " all RECEIVED" : " NOT all RECEIVED",
                end.consistent() ? "no divergence" : end.divergences().size() + " divergences", total);
        return new Result(end, total, end.consistent() && allReceived);
    }

    private void awaitConsistency(Step step) {
        long deadline = System.nanoTime() + stepTimeout.toNanos();
        ConsistencyAudit.Report report;
        do {
            report = ConsistencyAudit.audit(client);
            if (report.consistent()) {
                return;
            }
            ManagedProcess.sleep(Duration.ofMillis(25));
        } while (System.nanoTime() < deadline);
        throw new StackFailure("Step '" + step.title() + "' did not reach a consistent state within "
                + stepTimeout.toSeconds() + " s: " + report.divergences());
    }

    private static String summarize(JsonNode answer) {
        if (answer.has("customers") && answer.path("customers").isArray()) {
            return answer.path("customers").size() + " customers";
        }
        return answer.toString();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
