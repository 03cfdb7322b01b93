package io.storefront.contracts;

/** Spelled as in the original so that stored documents and events read the same. */
public enum ShippingMethod {
    USPS, FedEx, UPS, Uber, Drone
}
