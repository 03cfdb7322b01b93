package io.storefront.local.stack;

import java.io.PrintStream;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * Real MongoDB and Kafka for the local stack, as containers (Testcontainers at development time). Needs a Docker
 * engine; without one it says so and the stack does not start.
 */
public final class DevContainers {

    static final String MONGO_IMAGE = "mongo:8.0.28";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    private DevContainers() {
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
