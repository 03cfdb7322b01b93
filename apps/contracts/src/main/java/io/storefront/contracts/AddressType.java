package io.storefront.contracts;

public enum AddressType {
    BILLING, SHIPPING, SHIPPING_ALTERNATE
}
