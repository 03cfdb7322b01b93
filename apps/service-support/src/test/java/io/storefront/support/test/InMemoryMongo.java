package io.storefront.support.test;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One in-memory MongoDB wire-protocol server per test JVM (mongo-java-server: no transactions or change streams,
 * which is why the services rely on single-document atomicity only).
 */
public final class InMemoryMongo {

    private static MongoServer server;
    private static String connectionString;

    private InMemoryMongo() {
    }

    public static synchronized String connectionString() {
        if (server == null) {
            server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            InetSocketAddress address = server.getLocalAddress();
            connectionString = "mongodb://127.0.0.1:" + address.getPort();
            // Its Netty threads are not daemons: stop it with the JVM.
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "in-memory-mongo-shutdown"));
        }
        return connectionString;
    }

    /** Points the context at the shared server (database = application name) and at the embedded Kafka broker. */
    public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String database = context.getEnvironment().getProperty("spring.application.name", "test");
            TestPropertyValues.of(
                    "spring.mongodb.uri=" + connectionString() + "/" + database,
                    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                    "management.server.port=0",
                    "storefront.kafka.retry.max-interval=500ms"
            ).applyTo(context);
        }
    }
}
