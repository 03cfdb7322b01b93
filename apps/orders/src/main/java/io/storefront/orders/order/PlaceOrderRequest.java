package io.storefront.orders.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "A new order: products from GET /orders/products and how many of each")
public record PlaceOrderRequest(@NotNull @NotEmpty @Size(max = 20) List<@NotNull @Valid Item> items) {

    @Schema(description = "A product (by id) and the quantity wanted, 1 to 100")
    public record Item(
            @NotBlank @Pattern(regexp = "^[A-Za-z0-9-]{1,64}$") String productId,
            @NotNull @Min(1) @Max(100) Integer quantity) {
    }
}
