package io.storefront.local.stack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's MongoDB: mongo-java-server speaking the wire protocol on 127.0.0.1. In memory by default; with
 * a file argument its data survives restarts (H2 backend).
 *
 * <p>Usage: {@code MongoServerMain <port> [data-file]}
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        MongoBackend backend = args.length > 1 ? new H2Backend(args[1]) : new MemoryBackend();
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "mongo-shutdown"));
        System.out.println("mongo-java-server listening on 127.0.0.1:" + port
                + (args.length > 1 ? " (data in " + args[1] + ")" : " (in memory)"));
        stopped.await();
    }
}
