package io.storefront.contracts;

import java.util.List;

/** Kafka topic names shared by producers and consumers. Every record is keyed by its aggregate id. */
public final class Topics {

    /** accounts → orders, keyed by customer id. */
    public static final String CUSTOMER_CHANGES = "accounts.customer.change";

    /** orders → fulfillment, keyed by order id. */
    public static final String ORDER_CHANGES = "orders.order.change";

    /** fulfillment → orders, keyed by order id. */
    public static final String FULFILLMENT_CHANGES = "fulfillment.order.change";

    /** Every topic above; each has its dead-letter topic ({@link #deadLetterOf}). */
    public static final List<String> EVENT_TOPICS = List.of(CUSTOMER_CHANGES, ORDER_CHANGES, FULFILLMENT_CHANGES);

    /** Suffix of the dead-letter topic that receives records a consumer can never process. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
