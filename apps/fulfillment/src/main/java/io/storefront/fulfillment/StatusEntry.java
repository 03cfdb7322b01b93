package io.storefront.fulfillment;

import io.storefront.contracts.OrderStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(description = "One step of a fulfillment's history: the status, when it was reached, an optional note")
public record StatusEntry(OrderStatus status, Instant timestamp, String note) {
}
