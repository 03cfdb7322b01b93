package io.storefront.local.stack;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Start-up progress on the console: what is starting, what is ready and how long it took. */
public final class Progress {

    private final PrintStream out;
    private final long origin = System.nanoTime();
    private final Map<String, Double> readySeconds = new ConcurrentHashMap<>();

    public Progress(PrintStream out) {
        this.out = out;
    }

    public static Progress silent() {
        return new Progress(new PrintStream(PrintStream.nullOutputStream()));
    }

    long starting(String what, String detail) {
        line(String.format("%-12s starting  %s", what, detail));
        return System.nanoTime();
    }

    void ready(String what, long startedAt) {
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        readySeconds.put(what, seconds);
        line(String.format("%-12s ready     in %.1f s", what, seconds));
    }

    /** Seconds from starting to ready of everything that became ready so far (the benchmark reports them). */
    public Map<String, Double> readySeconds() {
        return Map.copyOf(readySeconds);
    }

    void note(String what, String detail) {
        line(String.format("%-12s %s", what, detail));
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - origin) / 1e9;
    }

    private synchronized void line(String text) {
        out.printf("[%5.1fs] %s%n", elapsedSeconds(), text);
    }
}
