package io.storefront.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The three services as separate JVMs, against one Kafka broker and one MongoDB server, run the original's seven
 * steps twice: both runs end in the same, audited state.
 */
class StorefrontEndToEndTest {

    static LocalStack stack;
    static StorefrontClient client;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(TestStacks.freshConfig(), new Progress(System.out));
        client = StorefrontClient.local(stack.config());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theSevenStepsReachTheSameConsistentEndStateEveryTime() {
        SampleData.Result first = new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        EndState afterFirst = endState();
        SampleData.Result second = new SampleData(client, System.out, Duration.ofSeconds(60)).run();
        EndState afterSecond = endState();

        assertThat(first.reachedEndState()).isTrue();
        assertThat(second.reachedEndState()).isTrue();
        assertThat(first.endState().divergences()).isEmpty();
        assertThat(second.endState().divergences()).isEmpty();
        assertThat(afterSecond).isEqualTo(afterFirst);

        assertThat(afterFirst.customerIds()).hasSize(3);
        assertThat(afterFirst.orderViews()).isEqualTo(3);
        assertThat(afterFirst.ordersPerView()).containsOnly(5);
        assertThat(afterFirst.pendingOrderHistories()).hasSize(3).allSatisfy(history -> assertThat(history)
                .containsExactly("CREATED", "APPROVED", "PROCESSING", "SHIPPED", "IN_TRANSIT", "RECEIVED"));
        assertThat(afterFirst.fulfillmentStatuses()).hasSize(3).containsOnly("RECEIVED");
        assertThat(afterFirst.shippingMethodsSet()).isTrue();
        System.out.printf("Seven steps: first run %.2f s, second run %.2f s%n", first.seconds(), second.seconds());
    }

    /** What the issue fixes as the end state, read through the public APIs. */
    record EndState(Set<String> customerIds, int orderViews, List<Integer> ordersPerView,
                    List<List<String>> pendingOrderHistories, List<String> fulfillmentStatuses,
                    boolean shippingMethodsSet) {
    }

    private EndState endState() {
        Set<String> customers = new TreeSet<>();
        client.accountsSummary().path("customers").forEach(c -> customers.add(c.path("id").asString()));
        JsonNode views = client.ordersSummary().path("customers");
        List<Integer> ordersPerView = new ArrayList<>();
        List<List<String>> pending = new ArrayList<>();
        for (JsonNode view : views) {
            ordersPerView.add(view.path("orders").size());
            for (JsonNode order : view.path("orders")) {
                if (order.path("sentForFulfillment").asBoolean()) {
                    List<String> history = new ArrayList<>();
                    order.path("statusHistory").forEach(entry -> history.add(entry.path("status").asString()));
                    pending.add(history);
                }
            }
        }
        List<String> statuses = new ArrayList<>();
        boolean methods = true;
        for (JsonNode record : client.fulfillmentSummary().path("fulfillments")) {
            statuses.add(record.path("status").asString());
            methods &= record.hasNonNull("shippingMethod");
        }
        return new EndState(customers, views.size(), ordersPerView, pending, statuses, methods);
    }
}
