package io.storefront.local.stack;

import io.storefront.contracts.Topics;
import io.storefront.local.stack.StackConfig.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole storefront on one machine: MongoDB (mongo-java-server) and a Kafka broker (KRaft) as child JVMs unless
 * existing ones are given, the three topics and their dead-letter topics, a tracing UI (Zipkin, spans in memory) when
 * the config has a port for it, and the three services as separate JVMs started from their jars, sending their spans
 * to that UI. Every process it started is stopped by {@link #close()}, also when start-up fails.
 */
public final class LocalStack implements AutoCloseable {

    /** The topics the services exchange events on; each gets its dead-letter topic too. */
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(150);
    /**
     * The services' JVM flags, those of the images in a pod (docs/images.md): the heap MaxRAMPercentage=60 gives under
     * the manifests' 512Mi limit, the serial collector the JVM picks with one CPU, and C1 only: C2's compiler threads
     * compete with a freshly started service for the CPU it has (docs/decisions/0001-c1-only-jit.md). The jars carry
     * bean definitions generated at build time (process-aot in the parent pom), used with {@code spring.aot.enabled}.
     * The benchmark starts its baseline app with the same flags.
     */
    public static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx307m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Dspring.aot.enabled=true");

    private final StackConfig config;
    private final Progress progress;
    private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String mongoUri;
    private String kafkaBootstrap;

    private LocalStack(StackConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    public static LocalStack start(StackConfig config, Progress progress) {
        return create(config, progress).start();
    }

    /** A stack that has started nothing yet: register its {@link #close()} before {@link #start()}. */
    public static LocalStack create(StackConfig config, Progress progress) {
        return new LocalStack(config, progress);
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    public LocalStack start() {
        try {
            startAll();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public StackConfig config() {
        return config;
    }

    public String mongoUri() {
        return mongoUri;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The child process running {@code name} (mongodb, kafka, accounts, orders, fulfillment). */
    public ManagedProcess process(String name) {
        return processes.get(name);
    }

    private void startAll() {
        List<Path> jars = config.services().stream().map(this::jarOf).toList();
        jars.stream().filter(jar -> !Files.isRegularFile(jar)).findFirst().ifPresent(missing -> {
            throw new StackFailure("Missing " + missing + ". Build the services first: ./mvnw -DskipTests package");
        });
        if (config.tracingUiPort() != 0 && !Files.isRegularFile(zipkinJar())) {
            throw new StackFailure("Missing " + zipkinJar() + " (the tracing UI). Build the local stack first:"
                    + " ./mvnw -DskipTests package, or run without it: --no-tracing-ui");
        }
        checkPortsFree();
        prepareDataDir();

        // Unpacking and the class-data sharing training run need neither MongoDB nor Kafka: overlap them.
        Map<String, CompletableFuture<List<String>>> launchJars = new LinkedHashMap<>();
        for (Service service : config.services()) {
            launchJars.put(service.name(), CompletableFuture.supplyAsync(() -> launchJar(service)));
        }
        mongoUri = config.mongoUri();
        kafkaBootstrap = config.kafkaBootstrap();
        CompletableFuture<Void> mongo = mongoUri != null ? done("MongoDB", "using " + mongoUri)
                : CompletableFuture.runAsync(this::startMongo);
        CompletableFuture<Void> kafka = kafkaBootstrap != null ? done("Kafka", "using " + kafkaBootstrap)
                : CompletableFuture.runAsync(this::startKafka);
        CompletableFuture<Void> tracingUi = config.tracingUiPort() == 0 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(this::startTracingUi);
        join(CompletableFuture.allOf(mongo, kafka, tracingUi));
        if (mongoUri == null) {
            mongoUri = "mongodb://127.0.0.1:" + config.mongoPort();
        }
        createTopics();

        List<CompletableFuture<Void>> services = new ArrayList<>();
        for (Service service : config.services()) {
            List<String> jarArguments = join(launchJars.get(service.name()));
            services.add(CompletableFuture.runAsync(() -> startService(service, jarArguments)));
        }
        join(CompletableFuture.allOf(services.toArray(CompletableFuture[]::new)));
    }

    private CompletableFuture<Void> done(String what, String detail) {
        progress.note(what, detail);
        return CompletableFuture.completedFuture(null);
    }

    private void startMongo() {
        long started = progress.starting("MongoDB", "mongo-java-server on 127.0.0.1:" + config.mongoPort()
                + (config.keepData() ? " (data kept in " + config.dataDir() + ")" : " (in memory)"));
        List<String> command = javaCommand("-Xmx256m");
        command.add(MongoServerMain.class.getName());
        command.add(String.valueOf(config.mongoPort()));
        if (config.keepData()) {
            command.add(config.dataDir().resolve("mongo.db").toAbsolutePath().toString());
        }
        ManagedProcess mongo = launch("mongodb", command);
        mongo.awaitReady(() -> portOpen(config.mongoPort()), Duration.ofSeconds(30));
        progress.ready("MongoDB", started);
    }

    private void startKafka() {
        long started = progress.starting("Kafka", "KRaft broker on 127.0.0.1:" + config.kafkaPort());
        kafkaBootstrap = "127.0.0.1:" + config.kafkaPort();
        Path kafkaDir = config.dataDir().resolve("kafka").toAbsolutePath();
        Path properties = kafkaDir.resolve("server.properties");
        writeBrokerProperties(kafkaDir, properties);
        List<String> format = javaCommand("-Xmx256m");
        format.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
        ManagedProcess formatting = launch("kafka-format", format);
        formatting.awaitSuccess(Duration.ofSeconds(60));
        processes.remove("kafka-format");

        List<String> broker = javaCommand("-Xms256m", "-Xmx512m");
        broker.addAll(List.of("kafka.Kafka", properties.toString()));
        ManagedProcess kafka = launch("kafka", broker);
        kafka.awaitReady(() -> portOpen(config.kafkaPort()) && kafkaAnswers(), Duration.ofSeconds(90));
        progress.ready("Kafka", started);
    }

    /**
     * Zipkin's server with its in-memory storage (the newest spans only, so a long run keeps within its heap), from
     * the jar the build copies next to local-stack.jar.
     */
    private void startTracingUi() {
        long started = progress.starting("Zipkin", tracingUiArtifact() + ", tracing UI on " + tracingUiUrl()
                + " (spans in memory)");
        List<String> command = javaCommand("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        command.addAll(List.of("-jar", zipkinJar().toString(),
                // Zipkin's HTTP port as a whole list entry: a command-line list replaces its yml's list.
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].port=" + config.tracingUiPort(),
                "--armeria.ports[0].protocols[0]=http",
                "--zipkin.storage.mem.max-spans=100000"));
        ManagedProcess zipkin = launch("zipkin", command);
        zipkin.awaitReady(() -> answers200(URI.create(tracingUiBase() + "/health")), Duration.ofSeconds(90));
        progress.ready("Zipkin", started);
    }

    /** The Maven artifact the tracing UI runs from (group:artifact:version:classifier). */
    public static String tracingUiArtifact() {
        Properties artifacts = new Properties();
        try (var in = LocalStack.class.getResourceAsStream("/tracing-ui.properties")) {
            artifacts.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return artifacts.getProperty("zipkin-server");
    }

    /** The tracing UI's address, or null without one. */
    public String tracingUiUrl() {
        return config.tracingUiPort() == 0 ? null : tracingUiBase() + "/zipkin/";
    }

    private String tracingUiBase() {
        return "http://127.0.0.1:" + config.tracingUiPort();
    }

    private Path zipkinJar() {
        return config.appsDir().resolve("local-stack").resolve("target").resolve("tracing").resolve("zipkin-server.jar");
    }

    private void writeBrokerProperties(Path kafkaDir, Path file) {
        int controllerPort = config.kafkaPort() + 1;
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + config.kafkaPort());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", kafkaDir.resolve("logs").toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        try {
            Files.createDirectories(kafkaDir);
            try (var out = Files.newBufferedWriter(file)) {
                p.store(out, "Local storefront broker (single node, KRaft combined mode)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean kafkaAnswers() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void createTopics() {
        long started = progress.starting("Topics", String.join(", ", Topics.EVENT_TOPICS) + " (+ .DLT), 3 partitions");
        List<NewTopic> topics = Topics.EVENT_TOPICS.stream()
                .flatMap(topic -> Stream.of(topic, Topics.deadLetterOf(topic)))
                .map(topic -> new NewTopic(topic, 3, (short) 1))
                .toList();
        try (Admin admin = admin()) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackFailure("Could not create topic " + topic.name() + ": " + e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
        progress.ready("Topics", started);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    /** {@code -jar} and what goes with it: the unpacked jar with its class-data sharing archive when possible. */
    private List<String> launchJar(Service service) {
        Path jar = jarOf(service);
        if (ClassDataSharing.isPrepared(jar)) {
            return ClassDataSharing.jarArguments(jar, SERVICE_JVM_OPTIONS, cdsLog(service));
        }
        long started = progress.starting(service.name(), "unpacking the jar and recording its class-data sharing"
                + " archive (once per build, makes every start faster)");
        List<String> arguments = ClassDataSharing.jarArguments(jar, SERVICE_JVM_OPTIONS, cdsLog(service));
        progress.ready(service.name() + " CDS", started);
        return arguments;
    }

    private Path cdsLog(Service service) {
        return config.dataDir().resolve("logs").resolve(service.name() + "-cds.log");
    }

    private void startService(Service service, List<String> jarArguments) {
        long started = progress.starting(service.name(), "http://127.0.0.1:" + service.port() + "/" + service.name());
        List<String> command = javaCommand(SERVICE_JVM_OPTIONS.toArray(String[]::new));
        command.addAll(jarArguments);
        command.addAll(List.of(
                "--server.port=" + service.port(),
                "--management.server.port=" + service.managementPort(),
                "--server.address=127.0.0.1",
                "--management.server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrap,
                "--spring.mongodb.uri=" + databaseUri(mongoUri, service.name())));
        if (config.tracingUiPort() != 0) {
            command.add("--management.tracing.export.zipkin.endpoint=" + tracingUiBase() + "/api/v2/spans");
        }
        ManagedProcess process = launch(service.name(), command);
        process.awaitReady(() -> isUp(service), SERVICE_READY_TIMEOUT);
        progress.ready(service.name(), started);
    }

    /** Stops one of the stack's processes gently (SIGTERM, then SIGKILL after 20 s). */
    public void stop(String name) {
        processes.get(name).stop(Duration.ofSeconds(20));
    }

    /** Kills one of the stack's processes at once (SIGKILL): it gets no chance to finish anything. */
    public void kill(String name) {
        processes.get(name).kill();
    }

    /**
     * Starts a stopped or killed process again with the same command and data, and waits until it is ready.
     * Answers the seconds it took.
     */
    public double restart(String name) {
        ManagedProcess process = processes.get(name);
        process.stop(Duration.ofSeconds(20));
        long started = System.nanoTime();
        try {
            process.start();
        } catch (IOException e) {
            throw new StackFailure("Could not restart " + name + ": " + e.getMessage());
        }
        switch (name) {
            case "mongodb" -> process.awaitReady(() -> portOpen(config.mongoPort()), Duration.ofSeconds(30));
            case "kafka" -> process.awaitReady(() -> portOpen(config.kafkaPort()) && kafkaAnswers(), Duration.ofSeconds(90));
            default -> process.awaitReady(() -> isUp(config.service(name)), SERVICE_READY_TIMEOUT);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The stack's MongoDB URI with the service's database as its path (options such as authSource are kept). */
    static String databaseUri(String mongoUri, String database) {
        int query = mongoUri.indexOf('?');
        String withoutOptions = query < 0 ? mongoUri : mongoUri.substring(0, query);
        String options = query < 0 ? "" : mongoUri.substring(query);
        int hostsStart = withoutOptions.indexOf("://") + 3;
        int slash = withoutOptions.indexOf('/', hostsStart);
        String hosts = slash < 0 ? withoutOptions : withoutOptions.substring(0, slash);
        return hosts + "/" + database + options;
    }

    /**
     * Whether the service is up and connected: {@code /actuator/health} answers 200 only when its own state, MongoDB
     * and Kafka are all up. What the stack waits for before it calls a service started.
     */
    public boolean isUp(Service service) {
        return answers200(service, "/actuator/health");
    }

    /** Whether the service's readiness probe (its own state only, as in a pod) answers 200. */
    public boolean isReady(Service service) {
        return answers200(service, "/actuator/health/readiness");
    }

    private boolean answers200(Service service, String managementPath) {
        return answers200(URI.create("http://127.0.0.1:" + service.managementPort() + managementPath));
    }

    private boolean answers200(URI uri) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ManagedProcess launch(String name, List<String> command) {
        ManagedProcess process = new ManagedProcess(name, command, config.dataDir().resolve("logs").resolve(name + ".log"));
        synchronized (processes) {
            processes.put(name, process);
        }
        try {
            return process.start();
        } catch (IOException e) {
            throw new StackFailure("Could not start " + name + ": " + e.getMessage());
        }
    }

    private List<String> javaCommand(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        // Only for our own mains; a -jar after this replaces the class path.
        return command;
    }

    /** The java running this command: the child JVMs run on the same one. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private Path jarOf(Service service) {
        return config.appsDir().resolve(service.name()).resolve("target").resolve(service.name() + ".jar");
    }

    private void checkPortsFree() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (config.mongoUri() == null) {
            ports.put(config.mongoPort(), "MongoDB");
        }
        if (config.kafkaBootstrap() == null) {
            ports.put(config.kafkaPort(), "Kafka");
            ports.put(config.kafkaPort() + 1, "Kafka controller");
        }
        if (config.tracingUiPort() != 0) {
            ports.put(config.tracingUiPort(), "Zipkin");
        }
        for (Service service : config.services()) {
            ports.put(service.port(), service.name());
            ports.put(service.managementPort(), service.name() + " management");
        }
        ports.forEach((port, owner) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new StackFailure("Port " + port + " (" + owner + ") is already in use. Stop what uses it"
                        + " (e.g. `ss -ltnp 'sport = :" + port + "'`) or run with other ports.");
            }
        });
    }

    private void prepareDataDir() {
        try {
            if (!config.keepData() && Files.exists(config.dataDir())) {
                try (Stream<Path> paths = Files.walk(config.dataDir())) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(config.dataDir().resolve("logs"));
        } catch (IOException e) {
            throw new StackFailure("Cannot prepare " + config.dataDir() + ": " + e.getMessage());
        }
    }

    static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Stops the services first (they flush and commit, and send their last spans), then Kafka, MongoDB and Zipkin. */
    @Override
    public void close() {
        List<ManagedProcess> all;
        synchronized (processes) {
            all = new ArrayList<>(processes.values());
        }
        List<CompletableFuture<Void>> services = all.stream()
                .filter(p -> !p.name().equals("kafka") && !p.name().equals("mongodb") && !p.name().equals("zipkin"))
                .map(p -> CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(25))))
                .toList();
        services.forEach(CompletableFuture::join);
        all.stream().filter(p -> p.name().equals("kafka")).forEach(p -> p.stop(Duration.ofSeconds(20)));
        all.stream().filter(p -> p.name().equals("mongodb")).forEach(p -> p.stop(Duration.ofSeconds(10)));
        all.stream().filter(p -> p.name().equals("zipkin")).forEach(p -> p.stop(Duration.ofSeconds(10)));
    }
}
