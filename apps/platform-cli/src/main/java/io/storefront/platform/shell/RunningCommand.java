package io.storefront.platform.shell;

/** A command left running in the background (a port-forward). */
public interface RunningCommand extends AutoCloseable {

    boolean isAlive();

    void stop();

    @Override
    default void close() {
        stop();
    }
}
