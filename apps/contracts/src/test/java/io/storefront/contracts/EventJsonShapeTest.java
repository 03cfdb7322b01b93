package io.storefront.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The wire format is a contract, documented in docs/design.md ("Events"): field names must not drift. */
class EventJsonShapeTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void customerEventHasTheDocumentedFieldsAndNoCardData() {
        var event = new CustomerEvent(UUID.randomUUID(), CustomerEvent.Type.CUSTOMER_CHANGED, "c-1", 3,
                Instant.parse("2026-11-26T10:15:30Z"),
                new CustomerEvent.Customer(new Name("Mr.", "John", null, "Doe", null),
                        new Contact("555-666-7777", null, "john.doe@internet.com"),
                        List.of(new Address(AddressType.SHIPPING, "Home", "1 Oak St", null, "Sunrise", "CA", "12345"))));

        JsonNode node = json.readTree(json.writeValueAsString(event));

        assertThat(node.propertyNames()).containsExactlyInAnyOrder(
                "eventId", "type", "customerId", "version", "occurredAt", "customer");
        assertThat(node.get("type").asString()).isEqualTo("CUSTOMER_CHANGED");
        assertThat(node.get("occurredAt").asString()).isEqualTo("2026-11-26T10:15:30Z");
        assertThat(node.get("customer").propertyNames()).containsExactlyInAnyOrder("name", "contact", "addresses");
    }

    @Test
    void orderAndFulfillmentEventsRoundTrip() {
        var item = new OrderItem(new Product("p-1", "Blue Widget", "Blue", new BigDecimal("1.99")), 2);
        var order = new OrderEvent(UUID.randomUUID(), OrderEvent.Type.FULFILLMENT_REQUESTED, "o-1", "c-1", 7,
                Instant.parse("2026-11-26T10:15:30Z"),
                new OrderEvent.Order(OrderStatus.APPROVED, List.of(item), null, null, null));
        var status = new FulfillmentEvent(UUID.randomUUID(), FulfillmentEvent.Type.FULFILLMENT_STATUS_CHANGED, "o-1",
                "c-1", 2, Instant.parse("2026-11-26T10:15:31Z"), OrderStatus.SHIPPED, null, ShippingMethod.USPS);

        assertThat(json.readValue(json.writeValueAsString(order), OrderEvent.class)).isEqualTo(order);
        assertThat(json.readValue(json.writeValueAsString(status), FulfillmentEvent.class)).isEqualTo(status);
        assertThat(json.readTree(json.writeValueAsString(status)).propertyNames()).containsExactlyInAnyOrder(
                "eventId", "type", "orderId", "customerId", "version", "occurredAt", "status", "note", "shippingMethod");
    }

    @Test
    void deadLetterTopicsFollowOneConvention() {
        assertThat(Topics.deadLetterOf(Topics.CUSTOMER_CHANGES)).isEqualTo("accounts.customer.change.DLT");
    }
}
