package io.storefront.local.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.local.commands.ConsistencyAudit.Kind;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit on small, deliberately diverged snapshots: it must catch each kind of divergence. */
class ConsistencyAuditTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private static final String NAME = "{\"title\":\"Ms.\",\"firstName\":\"Ada\",\"lastName\":\"L\"}";
    private static final String CONTACT = "{\"primaryPhone\":\"1\",\"email\":\"a@b.c\"}";

    @Test
    void agreeingServicesHaveNoDivergence() {
        var report = ConsistencyAudit.audit(accounts(customer("c1")),
                orders(view("c1", order("o1", true, "CREATED", "APPROVED", "PROCESSING", "SHIPPED"))),
                fulfillment(record("o1", "APPROVED", "PROCESSING", "SHIPPED")));
        assertThat(report.divergences()).isEmpty();
        assertThat(report.orders()).isEqualTo(1);
    }

    @Test
    void aCustomerMissingInOrdersIsReported() {
        assertKinds(ConsistencyAudit.audit(accounts(customer("c1")), orders(), fulfillment()),
                Kind.CUSTOMER_MISSING_IN_ORDERS);
    }

    @Test
    void aCustomerWhoseCopyDiffersIsReported() {
        String otherName = "{\"name\":{\"title\":\"Ms.\",\"firstName\":\"Eve\",\"lastName\":\"L\"},\"contact\":" + CONTACT
                + ",\"addresses\":[],\"id\":\"c1\",\"orders\":[]}";
        assertKinds(ConsistencyAudit.audit(accounts(customer("c1")), orders(otherName), fulfillment()),
                Kind.CUSTOMER_DIFFERS_IN_ORDERS);
    }

    @Test
    void anOrderViewWithoutCustomerIsReported() {
        assertKinds(ConsistencyAudit.audit(accounts(), orders(view("gone")), fulfillment()), Kind.ORPHAN_ORDER_VIEW);
    }

    @Test
    void aSentOrderWithoutFulfillmentIsReported() {
        assertKinds(ConsistencyAudit.audit(accounts(customer("c1")),
                orders(view("c1", order("o1", true, "CREATED", "APPROVED"))), fulfillment()),
                Kind.SENT_ORDER_WITHOUT_FULFILLMENT);
    }

    @Test
    void aFulfillmentWithoutOrderIsReported() {
        assertKinds(ConsistencyAudit.audit(accounts(customer("c1")), orders(view("c1")),
                fulfillment(record("o9", "APPROVED"))), Kind.FULFILLMENT_WITHOUT_ORDER);
    }

    @Test
    void aMissingOrMisorderedStatusIsReported() {
        var missing = ConsistencyAudit.audit(accounts(customer("c1")),
                orders(view("c1", order("o1", true, "CREATED", "APPROVED", "PROCESSING"))),
                fulfillment(record("o1", "APPROVED", "PROCESSING", "SHIPPED")));
        assertKinds(missing, Kind.STATUS_HISTORY_MISMATCH);

        var misordered = ConsistencyAudit.audit(accounts(customer("c1")),
                orders(view("c1", order("o1", true, "CREATED", "APPROVED", "SHIPPED", "PROCESSING"))),
                fulfillment(record("o1", "APPROVED", "PROCESSING", "SHIPPED")));
        assertKinds(misordered, Kind.STATUS_HISTORY_MISMATCH);
    }

    private static void assertKinds(ConsistencyAudit.Report report, Kind... kinds) {
        assertThat(report.consistent()).isFalse();
        assertThat(report.divergences()).extracting(ConsistencyAudit.Divergence::kind).containsExactly(kinds);
    }

    private String customer(String id) {
        return "{\"id\":\"" + id + "\",\"name\":" + NAME + ",\"contact\":" + CONTACT + ",\"addresses\":[]}";
    }

    private String view(String id, String... orders) {
        return "{\"id\":\"" + id + "\",\"name\":" + NAME + ",\"contact\":" + CONTACT + ",\"addresses\":[],\"orders\":["
                + String.join(",", orders) + "]}";
    }

    private String order(String id, boolean sent, String... statuses) {
        return "{\"id\":\"" + id + "\",\"sentForFulfillment\":" + sent + ",\"statusHistory\":" + history(statuses) + "}";
    }

    private String record(String orderId, String... statuses) {
        return "{\"orderId\":\"" + orderId + "\",\"statusHistory\":" + history(statuses) + "}";
    }

    private static String history(String... statuses) {
        StringBuilder entries = new StringBuilder("[");
        for (int i = 0; i < statuses.length; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"status\":\"").append(statuses[i]).append("\"}");
        }
        return entries.append("]").toString();
    }

    private JsonNode accounts(String... customers) {
        return json.readTree("{\"customers\":[" + String.join(",", customers) + "]}");
    }

    private JsonNode orders(String... views) {
        return json.readTree("{\"customers\":[" + String.join(",", views) + "]}");
    }

    private JsonNode fulfillment(String... records) {
        return json.readTree("{\"fulfillments\":[" + String.join(",", records) + "]}");
    }
}
