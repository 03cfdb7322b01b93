package io.storefront.local.cli;

import io.storefront.local.commands.ConsistencyAudit;
import io.storefront.local.commands.SampleData;
import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.DevContainers;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import io.storefront.local.stack.StackFailure;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code run}: start the storefront locally until Ctrl-C. {@code infra}: only MongoDB and Kafka, for services started
 * some other way (the images in {@code .ci/images.sh}). {@code sample-data}: the seven sample steps.
 * {@code audit}: report divergences between the services. See {@code --help}; the benchmark has its own command
 * (apps/benchmarks).
 */
public final class StorefrontLocal {

    static final String USAGE = """
            Usage: java -jar apps/local-stack/target/local-stack.jar <command> [options]

              run            start MongoDB, Kafka and the three services; Ctrl-C stops everything
                --keep-data              keep MongoDB and Kafka data of the previous run (default: start clean)
                --data-dir DIR           where data and logs go (default .storefront)
                --mongodb-uri URI        use this MongoDB instead of starting one   (env STOREFRONT_MONGODB_URI)
                --kafka-bootstrap H:P    use this Kafka instead of starting one     (env STOREFRONT_KAFKA_BOOTSTRAP)
                --testcontainers         start real mongo and apache/kafka containers (needs Docker)
                --sample-data            run the sample-data steps once everything is up
                --tracing-ui-port PORT   the tracing UI's port (Zipkin; default 9411)
                --no-tracing-ui          start no tracing UI: the services export no spans
                --apps-dir DIR           where the service modules are (default apps)
              infra          start only MongoDB and Kafka (with the topics) until stopped (Ctrl-C or SIGTERM)
                --mongo-port PORT        default 27017
                --kafka-port PORT        default 9092 (its KRaft controller uses PORT+1)
                --data-dir DIR           as above
              sample-data    run the seven sample-data steps and wait for consistency after each
                --base-url URL           one base for all services, e.g. the port-forwarded gateway http://localhost:8080
                                         (default: the local ports 8085/8090/8095)
                --timeout SECONDS        how long each step may take to become consistent (default 30)
              audit          compare the three services and list every divergence (exit 1 if any)
                --base-url URL           as above
                --json                   machine-readable output

            The benchmark suite is its own command: java -jar apps/benchmarks/target/benchmarks.jar --help
            """;

    private StorefrontLocal() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** The options each command takes; anything else is refused rather than ignored (a typo must not start a run). */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "run", Set.of("keep-data", "data-dir", "mongodb-uri", "kafka-bootstrap", "testcontainers", "sample-data",
                    "apps-dir", "tracing-ui-port", "no-tracing-ui"),
            "infra", Set.of("mongo-port", "kafka-port", "data-dir"),
            "sample-data", Set.of("base-url", "timeout"),
            "audit", Set.of("base-url", "json"));

    static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? CommandLineOptions.USAGE_ERROR : 0;
        }
        String command = args[0];
        Set<String> known = OPTIONS.get(command);
        if (known == null) {
            err.println("Unknown command " + command + "\n" + USAGE);
            return CommandLineOptions.USAGE_ERROR;
        }
        return CommandLineOptions.execute(Arrays.asList(args).subList(1, args.length), command, known, USAGE, out, err,
                options -> switch (command) {
                    case "run" -> run(options, out);
                    case "infra" -> infra(options, out);
                    case "sample-data" -> sampleData(options, out);
                    case "audit" -> audit(options, out);
                    default -> throw new IllegalStateException("no handler for command " + command);
                });
    }

    private static int run(CommandLineOptions options, PrintStream out) throws StackFailure {
        StackConfig config = StackConfig.defaults(Path.of(options.get("apps-dir", "apps")));
        config = new StackConfig(config.appsDir(), Path.of(options.get("data-dir", ".storefront")),
                options.has("keep-data"), config.mongoPort(), config.kafkaPort(), config.services(),
                options.get("mongodb-uri", System.getenv("STOREFRONT_MONGODB_URI")),
                options.get("kafka-bootstrap", System.getenv("STOREFRONT_KAFKA_BOOTSTRAP")),
                options.has("testcontainers"),
                options.has("no-tracing-ui") ? 0
                        : port(options, "tracing-ui-port", StackConfig.DEFAULT_TRACING_UI_PORT));
        List<AutoCloseable> containers = new ArrayList<>();
        if (config.testcontainers()) {
            config = DevContainers.start(config, containers, out);
        }
        Progress progress = new Progress(out);
        out.println("Starting the storefront (logs in " + config.dataDir().resolve("logs") + ")");
        LocalStack stack = LocalStack.create(config, progress);
        StackConfig started = config;
        runUntilStopped(stack, containers, out, () -> {
            printUrls(stack, progress, out);
            if (options.has("sample-data")) {
                new SampleData(StorefrontClient.local(started), out, Duration.ofSeconds(30)).run();
            }
        });
        return 0;
    }

    /** The stack without services: whoever starts them (images, an IDE) points them at the printed addresses. */
    private static int infra(CommandLineOptions options, PrintStream out) throws StackFailure {
        StackConfig defaults = StackConfig.defaults(Path.of("apps"));
        StackConfig config = defaults.withServices(List.of()).withTracingUi(0).withInfrastructure(
                port(options, "mongo-port", defaults.mongoPort()), port(options, "kafka-port", defaults.kafkaPort()),
                Path.of(options.get("data-dir", defaults.dataDir().toString())));
        Progress progress = new Progress(out);
        out.println("Starting MongoDB and Kafka (logs in " + config.dataDir().resolve("logs") + ")");
        LocalStack stack = LocalStack.create(config, progress);
        // Scripts wait for this line.
        runUntilStopped(stack, List.of(), out, () -> out.printf(
                "Infrastructure ready after %.1f s: MongoDB %s  Kafka %s%n",
                progress.elapsedSeconds(), stack.mongoUri(), stack.kafkaBootstrap()));
        return 0;
    }

    /** Starts the stack, runs {@code whenUp}, then blocks until Ctrl-C or SIGTERM has stopped everything. */
    private static void runUntilStopped(LocalStack stack, List<AutoCloseable> containers, PrintStream out,
                                        Runnable whenUp) {
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before anything starts: Ctrl-C during start-up stops what already runs.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nStopping...");
            stack.close();
            containers.forEach(StorefrontLocal::closeQuietly);
            out.println("Stopped.");
            stopped.countDown();
        }, "storefront-stop"));
        stack.start();
        whenUp.run();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int port(CommandLineOptions options, String name, int fallback) {
        String value = options.get(name, null);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new StackFailure("--" + name + " must be a port number, not " + value);
        }
    }

    private static void printUrls(LocalStack stack, Progress progress, PrintStream out) {
        out.printf("%nThe storefront is up after %.1f s.%n%n", progress.elapsedSeconds());
        for (StackConfig.Service service : stack.config().services()) {
            out.printf("  %-12s API      %s/%s%n", service.name(), service.baseUrl(),
                    service.name().equals("fulfillment") ? "fulfillments/summary" : "customers/summary");
            out.printf("  %-12s Swagger  %s/swagger-ui.html%n", "", service.baseUrl());
            out.printf("  %-12s metrics  http://127.0.0.1:%d/actuator/prometheus   health  …/actuator/health%n", "",
                    service.managementPort());
        }
        out.printf("%n  Kafka bootstrap  %s%n  MongoDB          %s%n", stack.kafkaBootstrap(), stack.mongoUri());
        out.printf("%n  Traces:  %s%n", stack.tracingUiUrl() == null ? "off (--no-tracing-ui): the services export no spans"
                : stack.tracingUiUrl() + "   (" + LocalStack.tracingUiArtifact() + ", spans in memory)");
        out.printf("%n  Sample data:  java -jar apps/local-stack/target/local-stack.jar sample-data%n");
        out.printf("  Audit:        java -jar apps/local-stack/target/local-stack.jar audit%n");
        out.printf("%nPress Ctrl-C to stop everything.%n");
    }

    private static int sampleData(CommandLineOptions options, PrintStream out) {
        Duration timeout = Duration.ofSeconds(Long.parseLong(options.get("timeout", "30")));
        SampleData.Result result = new SampleData(client(options), out, timeout).run();
        return result.reachedEndState() ? 0 : 1;
    }

    private static int audit(CommandLineOptions options, PrintStream out) {
        ConsistencyAudit.Report report = ConsistencyAudit.audit(client(options));
        if (options.has("json")) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.printf("Audited %d customers, %d order views with %d orders, %d fulfillments.%n", report.customers(),
                    report.orderViews(), report.orders(), report.fulfillments());
            if (report.consistent()) {
                out.println("No divergence.");
            }
            report.divergences().forEach(d -> out.printf("  %-32s %s  %s%n", d.kind(), d.id(), d.detail()));
        }
        return report.consistent() ? 0 : 1;
    }

    private static StorefrontClient client(CommandLineOptions options) {
        String base = options.get("base-url", null);
        return base != null ? StorefrontClient.gateway(base)
                : StorefrontClient.local(StackConfig.defaults(Path.of("apps")));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }

}
