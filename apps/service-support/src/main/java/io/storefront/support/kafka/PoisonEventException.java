package io.storefront.support.kafka;

/**
 * A record that can never be applied, however often it is retried (not JSON, not the expected shape, missing ids).
 * The error handler sends it to the dead-letter topic at once instead of blocking its partition.
 */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
