package io.storefront.contracts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record Address(
        @NotNull AddressType type,
        @NotBlank @Size(max = 100) String description,
        @NotBlank @Size(max = 200) String address1,
        @Size(max = 200) String address2,
        @NotBlank @Size(max = 100) String city,
        @NotBlank @Size(max = 50) String state,
        @NotBlank @Size(max = 20) String postalCode) {
}
