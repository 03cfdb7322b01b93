package io.storefront.local.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for stacks started on free ports (tests, the benchmark). They come from below Linux's ephemeral range
 * (32768-60999): a port the OS hands out for {@code new ServerSocket(0)} is one it may also give any outgoing
 * connection as its local port, and between choosing the ports and the services binding them (the first start after
 * a build records class-data sharing archives for about 45 s) a Kafka or MongoDB client did take one in CI.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A port p such that p, p + 1 and p + 100 are free now and were not handed out before by this JVM. */
    public static synchronized int pair() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            if (unused(port) && unused(port + 1) && unused(port + 100)) {
                HANDED_OUT.add(port);
                HANDED_OUT.add(port + 1);
                HANDED_OUT.add(port + 100);
                return port;
            }
        }
        throw new StackFailure("No free port found between " + LOWEST + " and " + HIGHEST);
    }

    private static boolean unused(int port) {
        if (HANDED_OUT.contains(port)) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
