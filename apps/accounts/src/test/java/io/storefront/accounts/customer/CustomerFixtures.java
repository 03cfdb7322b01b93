package io.storefront.accounts.customer;

/** Small request bodies built in code; each test changes what it needs. */
final class CustomerFixtures {

    private CustomerFixtures() {
    }

    static String validCustomerJson() {
        return """
                {"name": {"title": "Ms.", "firstName": "Ada", "lastName": "Lovelace"},
                 "contact": {"primaryPhone": "555-000-1111", "email": "ada@example.com"},
                 "addresses": [{"type": "SHIPPING", "description": "Home", "address1": "1 Analytical Way",
                                "city": "London", "state": "LN", "postalCode": "N1 1AA"}],
                 "creditCards": [{"type": "PRIMARY", "description": "VISA", "number": "4111 1111 1111 1234",
                                  "expiration": "12/29", "nameOnCard": "Ada Lovelace"}]}
                """;
    }
}
