package io.storefront.orders.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

@Schema(description = "An optional note recorded with a status change")
public record StatusNote(@Size(max = 500) String note) {
}
