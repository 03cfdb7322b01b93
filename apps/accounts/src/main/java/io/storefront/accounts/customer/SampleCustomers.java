package io.storefront.accounts.customer;

import io.storefront.contracts.Address;
import io.storefront.contracts.AddressType;
import io.storefront.contracts.Contact;
import io.storefront.contracts.Name;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** The original storefront's three sample customers, with ids that stay the same on every reset. */
final class SampleCustomers {

    private SampleCustomers() {
    }

    static List<Customer> all() {
        return List.of(
                customer("john.doe",
                        new Name("Mr.", "John", "S.", "Doe", "Jr."),
                        new Contact("555-666-7777", "555-444-9898", "john.doe@internet.com"),
                        "123 Oak Street", "Sunrise", "CA", "12345-6789",
                        List.of(new CreditCard(CreditCardType.PRIMARY, "VISA", "1234-6789-0000-0000", "6/19", "John S. Doe"),
                                new CreditCard(CreditCardType.ALTERNATE, "Corporate American Express",
                                        "9999-8888-7777-6666", "3/20", "John Doe"))),
                customer("mary.smith",
                        new Name("Ms.", "Mary", null, "Smith", null),
                        new Contact("456-789-0001", "456-222-1111", "marysmith@yougotmail.com"),
                        "1234 Main Street", "Anywhere", "NY", "45455-66677",
                        List.of(new CreditCard(CreditCardType.PRIMARY, "VISA", "4545-6767-8989-0000", "7/21", "Mary Smith"))),
                customer("susan.blackstone",
                        new Name("Ms.", "Susan", null, "Blackstone", null),
                        new Contact("433-544-6555", "223-445-6767", "susan.m.blackstone@emailisus.com"),
                        "33 Oak Avenue", "Nowhere", "VT", "444556-9090",
                        List.of(new CreditCard(CreditCardType.PRIMARY, "Master Card", "4545-5656-7878-9090", "4/19",
                                "Susan M. Blackstone"))));
    }

    static String idOf(String handle) {
        return UUID.nameUUIDFromBytes(("storefront-sample-customer:" + handle).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Customer customer(String handle, Name name, Contact contact, String street, String city,
                                     String state, String postalCode, List<CreditCard> cards) {
        List<Address> addresses = List.of(
                new Address(AddressType.BILLING, "My cards billing address", street, null, city, state, postalCode),
                new Address(AddressType.SHIPPING, "My home address", street, null, city, state, postalCode));
        return new Customer(idOf(handle), 0, name, contact, addresses, cards, false, null, List.of());
    }
}
