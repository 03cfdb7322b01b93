package io.storefront.fulfillment.request;

import io.storefront.contracts.OrderStatus;
import java.time.Instant;

public record StatusEntry(OrderStatus status, Instant timestamp, String note) {
}
