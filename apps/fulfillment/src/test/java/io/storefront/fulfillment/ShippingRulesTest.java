package io.storefront.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.ShippingMethod;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShippingRulesTest {

    @ParameterizedTest
    @CsvSource({
            "APPROVED, PROCESSING, true", "PROCESSING, SHIPPED, true", "SHIPPED, IN_TRANSIT, true",
            "IN_TRANSIT, RECEIVED, true", "RECEIVED, RETURNED, true", "APPROVED, ON_HOLD, true",
            "ON_HOLD, PROCESSING, true", "PROCESSING, CANCELLED, true",
            "APPROVED, SHIPPED, false", "SHIPPED, CANCELLED, false", "RECEIVED, PROCESSING, false",
            "CANCELLED, PROCESSING, false", "RETURNED, RECEIVED, false", "APPROVED, APPROVED, false",
            "APPROVED, CREATED, false"})
    void onlyTheDocumentedMovesAreAllowed(OrderStatus from, OrderStatus to, boolean allowed) {
        assertThat(ShippingTransitions.allowed(from, to)).isEqualTo(allowed);
    }

    @Test
    void everyShippingMethodIsReachableAndTheChoiceIsStable() {
        var chosen = IntStream.range(0, 200).mapToObj(i -> UUID.randomUUID().toString())
                .map(ShippingMethods::choose).distinct().toList();
        assertThat(chosen).containsExactlyInAnyOrder(ShippingMethod.values());
        assertThat(ShippingMethods.choose("order-42")).isEqualTo(ShippingMethods.choose("order-42"));
    }
}
