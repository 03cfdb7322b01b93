package io.storefront.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefront.contracts.FulfillmentEvent;
import io.storefront.contracts.OrderStatus;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A consumer of the published contract: strict about what it needs, tolerant of what a newer producer adds. */
class EventReaderTest {

    /** The services' mapper refuses unknown fields in API input; events are read past them. */
    final EventReader reader = new EventReader(
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
            Validation.buildDefaultValidatorFactory().getValidator());

    static final String EVENT = """
            {"eventId": "4f4bb4a2-45a4-4a49-9c2c-6d4b8f0ff6a1", "type": "FULFILLMENT_STATUS_CHANGED",
             "orderId": "order-1", "customerId": "customer-1", "version": 2, "occurredAt": "2026-12-01T10:00:00Z",
             "status": "SHIPPED", "note": null, "shippingMethod": null%s}
            """;

    @Test
    void aFieldAddedByANewerProducerIsIgnored() {
        FulfillmentEvent event = reader.read("order-1", EVENT.formatted(", \"carrierTracking\": \"1Z999\""),
                FulfillmentEvent.class);

        assertThat(event.status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(event.version()).isEqualTo(2);
    }

    @Test
    void whatTheContractRequiresIsStillEnforced() {
        assertThatThrownBy(() -> reader.read("order-1", EVENT.formatted("").replace("\"version\": 2", "\"version\": 0"),
                FulfillmentEvent.class)).isInstanceOf(PoisonEventException.class);
        assertThatThrownBy(() -> reader.read("order-2", EVENT.formatted(""), FulfillmentEvent.class))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("record key order-2");
        assertThatThrownBy(() -> reader.read("order-1", EVENT.formatted("").replace("\"SHIPPED\"", "\"TELEPORTED\""),
                FulfillmentEvent.class)).isInstanceOf(PoisonEventException.class);
    }
}
