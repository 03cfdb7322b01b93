package io.storefront.support.test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs a call and, should it still be running after {@code threshold}, takes a picture of what the JVM's threads are
 * doing at that moment — while the stall lasts, not after it. A call that ends late is reported on standard error
 * with that picture; one that fails carries it in its error. Used where CI showed a request stalling for seconds in
 * one run out of several and the stall could not be reproduced on demand.
 */
public final class StallWatch {

    /** Where network threads sit RUNNABLE while idle, waiting in select/poll. */
    private static final List<String> IDLE_FRAMES = List.of("sun.nio.ch.EPoll", "sun.nio.ch.Net",
            "io.netty.channel.epoll.Native");

    private static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stall-watch");
        thread.setDaemon(true);
        return thread;
    });

    private StallWatch() {
    }

    public static <T> T call(String what, Duration threshold, Supplier<T> call) {
        AtomicReference<String> picture = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        ScheduledFuture<?> watch = timer.schedule(() -> picture.set(threads(caller)), threshold.toMillis(),
                TimeUnit.MILLISECONDS);
        long began = System.nanoTime();
        try {
            return call.get();
        } catch (RuntimeException | AssertionError e) {
            if (picture.get() != null) {
                e.addSuppressed(new IllegalStateException(what + " stalled; threads after " + threshold.toMillis()
                        + " ms:\n" + picture.get()));
            }
            throw e;
        } finally {
            watch.cancel(false);
            long millis = (System.nanoTime() - began) / 1_000_000;
            if (picture.get() != null) {
                System.err.println("STALL: " + what + " took " + millis + " ms; threads after " + threshold.toMillis()
                        + " ms:\n" + picture.get());
            }
        }
    }

    /** Threads doing something or held up in code of interest (ours, Netty's), and the caller in any case. */
    private static String threads(Thread caller) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey() == caller || interesting(entry.getKey(), entry.getValue()))
                .map(entry -> entry.getKey().getName() + " " + entry.getKey().getState() + Arrays.stream(entry.getValue())
                        .limit(12).map(frame -> "\n    at " + frame).collect(Collectors.joining()))
                .collect(Collectors.joining("\n"));
    }

    private static boolean interesting(Thread thread, StackTraceElement[] stack) {
        if (stack.length == 0) {
            return false;
        }
        return switch (thread.getState()) {
            case BLOCKED -> true;
            case RUNNABLE -> IDLE_FRAMES.stream().noneMatch(idle -> stack[0].getClassName().startsWith(idle));
            default -> Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("io.storefront")
                    || frame.getClassName().startsWith("reactor.netty"));
        };
    }
}
