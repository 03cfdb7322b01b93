package io.storefront.contracts;

/** Kafka topic names shared by producers and consumers. Every record is keyed by its aggregate id. */
public final class Topics {

    /** accounts → orders, keyed by customer id. */
    public static final String CUSTOMER_CHANGES = "accounts.customer.change";

    /** orders → fulfillment, keyed by order id. */
    public static final String ORDER_CHANGES = "orders.order.change";

    /** fulfillment → orders, keyed by order id. */
    public static final String FULFILLMENT_CHANGES = "fulfillment.order.change";

    /** Suffix of the dead-letter topic that receives records a consumer can never process. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
