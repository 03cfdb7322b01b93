package io.storefront.contracts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record Contact(
        @NotBlank @Pattern(regexp = Contact.PHONE, message = "must be a phone number") String primaryPhone,
        @Pattern(regexp = Contact.PHONE, message = "must be a phone number") String secondaryPhone,
        @NotBlank @Email @Size(max = 254) String email) {

    static final String PHONE = "^[0-9+()\\-. ]{3,30}$";
}
