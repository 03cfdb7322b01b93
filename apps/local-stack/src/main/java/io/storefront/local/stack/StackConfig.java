package io.storefront.local.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * What to start and where. Local ports follow the original storefront: accounts 8085, orders 8090, fulfillment
 * 8095; each service's management port is its application port + 100.
 *
 * @param mongoUri an existing MongoDB to use instead of starting one (null: start mongo-java-server)
 * @param kafkaBootstrap an existing Kafka to use instead of starting a broker (null: start one)
 * @param tracingUiPort the port of the tracing UI (Zipkin) the services send their spans to; 0: none, no export
 */
public record StackConfig(Path appsDir, Path dataDir, boolean keepData, int mongoPort, int kafkaPort,
                          List<Service> services, String mongoUri, String kafkaBootstrap, boolean testcontainers,
                          int tracingUiPort) {

    /** Zipkin's usual port. */
    public static final int DEFAULT_TRACING_UI_PORT = 9411;

    /** One of the three services and its local ports. */
    public record Service(String name, int port) {

        public int managementPort() {
            return port + 100;
        }

        public String baseUrl() {
            return "http://127.0.0.1:" + port + "/" + name;
        }
    }

    public static final List<Service> DEFAULT_SERVICES = List.of(
            new Service("accounts", 8085), new Service("orders", 8090), new Service("fulfillment", 8095));

    public static StackConfig defaults(Path appsDir) {
        return new StackConfig(appsDir, Path.of(".storefront"), false, 27017, 9092, DEFAULT_SERVICES, null, null, false,
                DEFAULT_TRACING_UI_PORT);
    }

    /**
     * The three services, MongoDB and Kafka on free ports ({@link FreePorts}), data and logs in {@code dataDir}: a stack
     * that runs next to one on the default ports (tests, the benchmark). No tracing UI: {@link #withTracingUi} adds one.
     */
    public static StackConfig onFreePorts(Path appsDir, Path dataDir) {
        List<Service> services = DEFAULT_SERVICES.stream().map(s -> new Service(s.name(), FreePorts.pair())).toList();
        int kafkaPort = FreePorts.pair();
        int mongoPort = FreePorts.pair();
        return defaults(appsDir).withServices(services).withInfrastructure(mongoPort, kafkaPort, dataDir)
                .withTracingUi(0);
    }

    /** A tracing UI on {@code port}, 0 for none. */
    public StackConfig withTracingUi(int port) {
        return new StackConfig(appsDir, dataDir, keepData, mongoPort, kafkaPort, services, mongoUri, kafkaBootstrap,
                testcontainers, port);
    }

    public StackConfig withServices(List<Service> newServices) {
        return new StackConfig(appsDir, dataDir, keepData, mongoPort, kafkaPort, newServices, mongoUri, kafkaBootstrap,
                testcontainers, tracingUiPort);
    }

    public StackConfig withInfrastructure(int newMongoPort, int newKafkaPort, Path newDataDir) {
        return new StackConfig(appsDir, newDataDir, keepData, newMongoPort, newKafkaPort, services, mongoUri,
                kafkaBootstrap, testcontainers, tracingUiPort);
    }

    public StackConfig withExternal(String newMongoUri, String newKafkaBootstrap) {
        return new StackConfig(appsDir, dataDir, keepData, mongoPort, kafkaPort, services, newMongoUri,
                newKafkaBootstrap, testcontainers, tracingUiPort);
    }

    public Service service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
