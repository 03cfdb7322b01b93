package io.storefront.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * Real MongoDB and Kafka for the local stack, as containers (Testcontainers at development time). Needs a Docker
 * engine; without one it says so and the stack does not start.
 */
public final class DevContainers {

    /** The images the build names (root pom: mongodb.image, kafka.image), filtered into this resource. */
    private static final Properties IMAGES = images();
    static final String MONGO_IMAGE = IMAGES.getProperty("mongodb");
    static final String KAFKA_IMAGE = IMAGES.getProperty("kafka");

    private DevContainers() {
    }

    private static Properties images() {
        Properties images = new Properties();
        try (InputStream in = DevContainers.class.getResourceAsStream("/container-images.properties")) {
            if (in == null) {
                throw new IllegalStateException("container-images.properties is missing from the local stack's jar");
            }
            images.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return images;
    }

    public static StackConfig start(StackConfig config, List<AutoCloseable> started, PrintStream out) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new StackFailure("--testcontainers needs a Docker engine, and none is reachable here"
                    + " (DOCKER_HOST or /var/run/docker.sock). Run without it to use the embedded MongoDB and Kafka.");
        }
        out.println("Starting containers " + MONGO_IMAGE + " and " + KAFKA_IMAGE + " ...");
        MongoDBContainer mongo = new MongoDBContainer(MONGO_IMAGE);
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        started.add(mongo);
        started.add(kafka);
        mongo.start();
        kafka.start();
        return config.withExternal(mongo.getConnectionString(), kafka.getBootstrapServers());
    }
}
