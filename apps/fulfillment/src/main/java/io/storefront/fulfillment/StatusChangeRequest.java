package io.storefront.fulfillment;

import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.ShippingMethod;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "Move a fulfillment to a new status; shippingMethod is used when it ships (chosen if absent)")
public record StatusChangeRequest(@NotNull OrderStatus status, @Size(max = 500) String note,
                                  ShippingMethod shippingMethod) {
}
