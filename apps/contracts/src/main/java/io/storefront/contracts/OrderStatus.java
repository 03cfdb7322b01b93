package io.storefront.contracts;

/** Order statuses in the original's declaration order. */
public enum OrderStatus {
    CREATED, APPROVED, REJECTED, CANCELLED, PROCESSING, ON_HOLD, SHIPPED, IN_TRANSIT, RECEIVED, RETURNED
}
