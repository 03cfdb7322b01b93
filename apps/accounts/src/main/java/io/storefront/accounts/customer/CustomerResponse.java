package io.storefront.accounts.customer;

import io.storefront.contracts.Address;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "A customer; card numbers masked to their last four digits")
public record CustomerResponse(String id, long version, Name name, Contact contact, List<Address> addresses,
                               List<CreditCard> creditCards) {

    static CustomerResponse of(Customer customer) {
        return new CustomerResponse(customer.id(), customer.version(), customer.name(), customer.contact(),
                customer.addresses(), customer.creditCards().stream().map(CreditCard::masked).toList());
    }
}
