package io.storefront.accounts.customer;

public enum CreditCardType {
    PRIMARY, ALTERNATE
}
