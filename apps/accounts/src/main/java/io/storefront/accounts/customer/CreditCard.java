package io.storefront.accounts.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(description = "A payment card. Answers show the number masked to its last four digits; sending a masked "
        + "number back keeps the stored one.")
public record CreditCard(
        @NotNull CreditCardType type,
        @NotBlank @Size(max = 100) String description,
        @NotBlank @Pattern(regexp = CardNumbers.ACCEPTED, message = "must be 12-19 digits (spaces or dashes allowed) or a masked number")
        String number,
        @NotBlank @Pattern(regexp = "^(0?[1-9]|1[0-2])/[0-9]{2}$", message = "must be M/YY or MM/YY") String expiration,
        @NotBlank @Size(max = 100) String nameOnCard) {

    CreditCard withNumber(String newNumber) {
        return new CreditCard(type, description, newNumber, expiration, nameOnCard);
    }

    CreditCard masked() {
        return withNumber(CardNumbers.mask(number));
    }
}
