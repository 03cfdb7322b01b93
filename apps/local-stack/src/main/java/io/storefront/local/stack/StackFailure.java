package io.storefront.local.stack;

/** Something the user must fix (a port in use, a missing jar, a service that failed); the message says what. */
public class StackFailure extends RuntimeException {

    public StackFailure(String message) {
        super(message);
    }
}
