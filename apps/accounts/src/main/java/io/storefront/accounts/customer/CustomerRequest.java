package io.storefront.accounts.customer;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "A customer as created or replaced through the API")
public record CustomerRequest(
        @NotNull @Valid Name name,
        @NotNull @Valid Contact contact,
        @NotNull @Size(max = 10) List<@NotNull @Valid Address> addresses,
        @NotNull @Size(max = 10) List<@NotNull @Valid CreditCard> creditCards) {
}
