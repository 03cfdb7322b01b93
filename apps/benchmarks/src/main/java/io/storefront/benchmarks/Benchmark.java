package io.storefront.benchmarks;

import io.storefront.benchmarks.BenchmarkReport.Machine;
import io.storefront.contracts.Topics;
import io.storefront.local.commands.SampleData;
import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.ClassDataSharing;
import io.storefront.local.stack.FreePorts;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.jar.JarFile;

/**
 * The benchmark suite against the local stack as users run it (MongoDB, a real Kafka broker and the three services
 * as separate JVMs, on free ports; started by local-stack's {@link LocalStack}), with a baseline for every figure
 * measured in the same run: the bare WebFlux app (apps/benchmarks/bare-app) started the same way, and Kafka's own
 * end-to-end latency tool on the same broker.
 * Scenario 6 restarts the services with tracing off and on, and measures reads and propagation in both.
 * Writes {@code report.md} and {@code report.json}; goals are reported PASS or MISS, never enforced (a miss is a
 * finding, not a failed build). {@code --smoke} is a short run of every scenario so the harness cannot rot.
 * With {@code --images} it runs scenario 5 instead, the container images' start-up ({@link ImageStartup}).
 */
public final class Benchmark {

    static final String PROPAGATION = BenchmarkReport.SCENARIOS.get(0);
    static final String READS = BenchmarkReport.SCENARIOS.get(1);
    static final String SAMPLE_FLOW = BenchmarkReport.SCENARIOS.get(2);
    static final String STARTUP = BenchmarkReport.SCENARIOS.get(3);
    static final String TRACING = BenchmarkReport.SCENARIOS.get(4);
    /** The services' properties that switch tracing; given on the command line, so they override env and files. */
    private static final String SAMPLING_PROBABILITY = "management.tracing.sampling.probability";
    private static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    private static final List<String> SERVICES = List.of("accounts", "orders", "fulfillment");
    /** The bare app's process name and module folder under the apps folder. */
    private static final String BARE = "bare-app";
    private static final String BARE_MODULE = "benchmarks/" + BARE;
    /** Kafka hops on the seven steps' critical path: 1 (customers) + 2 (fulfill: request, status) + 4 statuses. */
    private static final int SAMPLE_FLOW_HOPS = 7;

    /** How much of everything; full mode the durations the goals are judged on, smoke mode the shortest run that still measures. */
    public record Settings(boolean smoke, Path out, Path appsDir, String loadTool, String command,
                    List<Double> warmupRates, Duration warmupStep,
                    double lagRate, Duration lagDuration, int lagSampleEvery, int lagCustomers,
                    List<Double> stepRates, Duration stepDuration, Duration readWarmup, Duration readDuration,
                    int connections, int startupRounds, int sampleRuns, int kafkaMessages, boolean images,
                    int imageRounds, Duration tracingWarmup, Duration tracingDuration) {

        public static Settings full(Path out, Path appsDir, String loadTool, String command) {
            return new Settings(false, out, appsDir, loadTool, command, List.of(50.0, 100.0), Duration.ofSeconds(20),
                    200, Duration.ofSeconds(60), 10, 200,
                    List.of(100.0, 200.0, 400.0, 800.0, 1600.0), Duration.ofSeconds(15), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), 20, 3, 3, 5000, false, 3, Duration.ofSeconds(15), Duration.ofSeconds(30));
        }

        public static Settings smoke(Path out, Path appsDir, String loadTool, String command) {
            return new Settings(true, out, appsDir, loadTool, command, List.of(10.0), Duration.ofSeconds(2),
                    20, Duration.ofSeconds(5), 2, 10,
                    List.of(40.0), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2), 20, 0, 1, 300,
                    false, 1, Duration.ofSeconds(2), Duration.ofSeconds(3));
        }

        /** Scenario 5 (the container images' start-up) instead of scenarios 1-4 and 6. */
        public Settings withImages() {
            return new Settings(smoke, out, appsDir, loadTool, command, warmupRates, warmupStep, lagRate, lagDuration,
                    lagSampleEvery, lagCustomers, stepRates, stepDuration, readWarmup, readDuration, connections,
                    startupRounds, sampleRuns, kafkaMessages, true, imageRounds, tracingWarmup, tracingDuration);
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LocalStack stack;
    private ManagedProcess bare;
    private int barePort;
    private KafkaLatencyBaseline.Result kafka;
    /** A sample customer's id: the reads of scenarios 2 and 6. */
    private String sampleCustomerId;
    /** Scenario 1's updates and their customers, reused by scenario 6. */
    private PropagationRun lagRun;
    /** The services as scenario 6 restarts them, by name; the stack's own processes until then. */
    private final Map<String, ManagedProcess> restarted = new LinkedHashMap<>();

    private Benchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static BenchmarkReport run(Settings settings, PrintStream out) {
        return new Benchmark(settings, out).execute();
    }

    private BenchmarkReport execute() {
        long began = System.nanoTime();
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16)
                + " UTC";
        String loadAtStart = loadAverage();
        ReadLoad load = null;
        List<String> scenarios;
        Map<String, String> versions;
        if (settings.images()) {
            scenarios = List.of(ImageStartup.SCENARIO);
            ImageStartup images = new ImageStartup(settings.appsDir().toAbsolutePath().getParent(),
                    settings.out().resolve("images"), settings.imageRounds(), out);
            figures.addAll(images.run(notes));
            versions = versions(null);
            versions.remove("JVM of the services");
            versions.put("JVM of the images", images.javaVersion());
            if (settings.smoke()) {
                notes.add("SMOKE MODE: one start per image; the figures are not representative.");
            }
        } else {
            scenarios = BenchmarkReport.SCENARIOS;
            load = ReadLoad.choose(settings.loadTool(), notes);
            out.println("Read load: " + load.describe());
            stackScenarios(load);
            describeMethod();
            versions = versions(load);
        }
        Machine machine = machine(loadAtStart, loadAverage());
        BenchmarkReport report = new BenchmarkReport(date, (settings.images() ? "images, " : "")
                + (settings.smoke() ? "smoke" : "full"), scenarios, settings.command(),
                (System.nanoTime() - began) / 1e9, machine, versions,
                load == null ? "none (image start-up only)" : load.describe(), List.copyOf(figures),
                List.copyOf(notes));
        report.write(settings.out());
        return report;
    }

    /** Scenarios 1-4 and 6 on the local stack. */
    private void stackScenarios(ReadLoad load) {
        Path apps = snapshotJars();
        Path bareJar = jar(apps, BARE_MODULE);
        StackConfig config = StackConfig.onFreePorts(apps, settings.out().resolve("stack"));
        Progress progress = new Progress(out);
        stack = LocalStack.create(config, progress);
        Thread stopOnExit = new Thread(this::stopAll, "bench-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            barePort = FreePorts.pair();
            // Not in the stack's folder: the stack empties that while the bare app may already be starting.
            Path bareLog = settings.out().resolve(BARE + ".log");
            Files.deleteIfExists(bareLog);
            bare = new ManagedProcess(BARE, bareCommand(bareJar), bareLog);
            out.println("Starting the storefront on free ports (logs in " + config.dataDir().resolve("logs") + ")");
            // Smoke mode has no time for restarts: the bare app starts alongside the stack instead.
            CompletableFuture<Double> bareAlongside = settings.startupRounds() == 0
                    ? CompletableFuture.supplyAsync(this::startBare) : null;
            stack.start();
            double bareSeconds = bareAlongside != null ? bareAlongside.join() : startBare();
            startup(progress, bareSeconds);
            kafkaBaseline();
            sampleFlow();
            reads(load);
            propagation();
            memory();
            tracingCost(load);
        } catch (IOException e) {
            throw new StackFailure("Cannot prepare " + settings.out() + ": " + e.getMessage());
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    // ---- scenario 4 (first, while nothing else has run): start-up, alone, against the bare app ----

    private void startup(Progress progress, double bareAlongside) {
        Map<String, Double> parallel = progress.readySeconds();
        if (settings.startupRounds() == 0) {
            startupAlongside(parallel, bareAlongside);
            return;
        }
        section("start-up: each JVM restarted alone, " + settings.startupRounds() + " round(s)");
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int round = 0; round < settings.startupRounds(); round++) {
            seconds.computeIfAbsent(BARE, k -> new ArrayList<>()).add(startBare());
            for (String service : SERVICES) {
                seconds.computeIfAbsent(service, k -> new ArrayList<>()).add(stack.restart(service));
            }
            out.printf("  round %d: %s%n", round + 1, last(seconds));
        }
        Stats bareStats = stats(seconds.get(BARE));
        figures.add(Figure.of(STARTUP, "bare WebFlux app: time to ready", "s", bareStats.median()).withStats(bareStats)
                .withNote("The baseline: same JVM and flags, WebFlux only; ready = its endpoint answers."));
        for (String service : SERVICES) {
            Stats s = stats(seconds.get(service));
            figures.add(Figure.of(STARTUP, service + ": time to ready (alone)", "s", s.median()).withStats(s)
                    .against("bare app", bareStats.median())
                    .withGoal("ready ≤ 1.5× bare app", s.median() <= 1.5 * bareStats.median())
                    .withNote(String.format(Locale.ROOT, "In the parallel start of `run` (three JVMs at once): %.1f s.",
                            parallel.getOrDefault(service, Double.NaN))));
        }
    }

    /** Smoke mode: the services' times from the stack's parallel start, the bare app started alongside. */
    private void startupAlongside(Map<String, Double> parallel, double bareSeconds) {
        section("start-up: from the parallel start, the bare app started alongside the stack");
        figures.add(Figure.of(STARTUP, "bare WebFlux app: time to ready", "s", bareSeconds)
                .withNote("The baseline, started alongside the stack (smoke mode): under the same contention as"
                        + " the Kafka broker's start rather than the services' — rough."));
        for (String service : SERVICES) {
            double s = parallel.getOrDefault(service, Double.NaN);
            figures.add(Figure.of(STARTUP, service + ": time to ready (parallel start)", "s", s)
                    .against("bare app", bareSeconds).withGoal("ready ≤ 1.5× bare app", s <= 1.5 * bareSeconds)
                    .withNote("Three services starting at once on a shared machine; full mode restarts each alone."));
        }
    }

    /** (Re)starts the bare app and answers the seconds to its first 200. */
    private double startBare() {
        bare.stop(Duration.ofSeconds(10));
        long started = System.nanoTime();
        try {
            bare.start();
        } catch (IOException e) {
            throw new StackFailure("Could not start the bare app: " + e.getMessage());
        }
        bare.awaitReady(() -> HttpStatus.of(http, bareUrl(2)) == 200, Duration.ofSeconds(150));
        return (System.nanoTime() - started) / 1e9;
    }

    // ---- the physical limit for scenarios 1 and 3 ----

    private void kafkaBaseline() {
        section("Kafka EndToEndLatency on the same broker, " + settings.kafkaMessages() + " records");
        int bytes = PropagationRun.body(0, 1_000_000).length() + 250;
        kafka = KafkaLatencyBaseline.run(stack.kafkaBootstrap(), settings.kafkaMessages(), bytes,
                stack.config().dataDir().resolve("logs").resolve("kafka-e2e-latency.log"));
        out.printf("  mean %.2f ms, p50 %d ms, p99 %d ms, p99.9 %d ms%n", kafka.meanMs(), kafka.p50Ms(), kafka.p99Ms(),
                kafka.p999Ms());
        figures.add(Figure.of(PROPAGATION, "raw Kafka end-to-end latency (the baseline)", "ms", kafka.p50Ms())
                .withStats(new Stats(kafka.messages(), Double.NaN, kafka.p50Ms(), kafka.p99Ms(), Double.NaN, kafka.meanMs()))
                .withNote(String.format(Locale.ROOT, "Kafka's EndToEndLatency, %d records of %d bytes, acks=all, on a"
                        + " scratch topic of the same broker; the tool prints percentiles in whole ms (mean %.3f ms,"
                        + " p99.9 %d ms) and no minimum.", kafka.messages(), bytes, kafka.meanMs(), kafka.p999Ms())));
    }

    // ---- scenario 3 ----

    private void sampleFlow() {
        section("seven-step sample flow, " + settings.sampleRuns() + " run(s)");
        StorefrontClient client = StorefrontClient.local(stack.config());
        List<Double> seconds = new ArrayList<>();
        boolean allReached = true;
        for (int run = 0; run < settings.sampleRuns(); run++) {
            SampleData.Result result = new SampleData(client, new PrintStream(OutputStream.nullOutputStream()),
                    Duration.ofSeconds(30)).run();
            seconds.add(result.seconds());
            allReached &= result.reachedEndState();
            out.printf("  run %d: %.2f s%s%n", run + 1, result.seconds(), result.reachedEndState() ? "" : " (end state NOT reached)");
        }
        Stats s = stats(seconds);
        double floor = SAMPLE_FLOW_HOPS * kafka.meanMs() / 1000;
        figures.add(Figure.of(SAMPLE_FLOW, "seven steps: first call to audited end state", "s", s.median())
                .withStats(s).against(SAMPLE_FLOW_HOPS + " Kafka hops × raw Kafka mean", floor)
                .withGoal("≤ 2 s", s.median() <= 2.0 && allReached)
                .withNote(String.format(Locale.ROOT, "First run (right after the start-up restarts, cold JIT) %.2f s."
                        + " The baseline is the Kafka part of the critical path only; the 7 HTTP calls and the"
                        + " audits after each step (3 summaries each) come on top.%s", seconds.get(0),
                        allReached ? "" : " The end state was NOT reached in every run.")));
    }

    // ---- scenario 2 ----

    private void reads(ReadLoad load) {
        section("read throughput, " + settings.connections() + " connections, " + settings.readDuration().toSeconds()
                + " s each after " + settings.readWarmup().toSeconds() + " s warm-up");
        StorefrontClient client = StorefrontClient.local(stack.config());
        String id = client.accountsSummary().path("customers").path(0).path("id").asString();
        sampleCustomerId = id;
        String accounts = stack.config().service("accounts").baseUrl();
        String orders = stack.config().service("orders").baseUrl();
        // The bare app was just restarted by the start-up scenario while the services have served the sample flow:
        // warm both code paths (JIT) before anything is measured, or the first baseline is measured cold.
        for (URI url : List.of(bareUrl(64), URI.create(accounts + "/customers/summary"),
                URI.create(orders + "/customers/" + id))) {
            load.run(url, settings.connections(), settings.readWarmup().multipliedBy(2));
        }
        readFigure(load, "GET /accounts/customers/summary (3 sample customers)", URI.create(accounts + "/customers/summary"), true);
        readFigure(load, "GET /accounts/customers/{id}", URI.create(accounts + "/customers/" + id), false);
        readFigure(load, "GET /orders/customers/{id}", URI.create(orders + "/customers/" + id), false);
    }

    private void readFigure(ReadLoad load, String name, URI url, boolean goals) {
        int bytes = body(url).length;
        URI baseline = bareUrl(bytes);
        ReadLoad.Result service = measure(load, url);
        ReadLoad.Result bareResult = measure(load, baseline);
        out.printf("  %-52s %8.0f req/s p99 %6.2f ms | bare (%d bytes) %8.0f req/s p99 %6.2f ms%n", name,
                service.requestsPerSecond(), service.latencyMs().p99(), bytes, bareResult.requestsPerSecond(),
                bareResult.latencyMs().p99());
        String errors = service.errors() + bareResult.errors() == 0 ? ""
                : " ERRORS: " + service.errors() + " (service), " + bareResult.errors() + " (bare).";
        Figure throughput = Figure.of(READS, name + ": throughput", "req/s", service.requestsPerSecond())
                .against("bare endpoint, same " + bytes + "-byte body", bareResult.requestsPerSecond())
                .withNote(service.requests() + " requests in " + BenchmarkReport.fmt(service.seconds()) + " s." + errors);
        Figure latency = Figure.of(READS, name + ": p99 latency", "ms", service.latencyMs().p99())
                .withStats(service.latencyMs()).against("bare endpoint p99", bareResult.latencyMs().p99());
        if (goals) {
            throughput = throughput.withGoal("≥ 25 % of bare throughput", throughput.ratio() >= 0.25);
            latency = latency.withGoal("p99 ≤ 10 ms", service.latencyMs().p99() <= 10);
        } else {
            latency = latency.withNote("No goal for this endpoint.");
        }
        figures.add(throughput);
        figures.add(latency);
    }

    private ReadLoad.Result measure(ReadLoad load, URI url) {
        load.run(url, settings.connections(), settings.readWarmup());
        return load.run(url, settings.connections(), settings.readDuration());
    }

    // ---- scenario 1 ----

    private void propagation() {
        String accounts = stack.config().service("accounts").baseUrl();
        String orders = stack.config().service("orders").baseUrl();
        int ordersManagement = stack.config().service("orders").managementPort();
        section("propagation: creating " + settings.lagCustomers() + " customers");
        PropagationRun run = PropagationRun.prepare(accounts, orders, settings.lagCustomers());
        lagRun = run;
        warmUp(run);

        section(String.format(Locale.ROOT, "propagation: %.0f updates/s for %d s (open loop), 1 in %d polled on orders",
                settings.lagRate(), settings.lagDuration().toSeconds(), settings.lagSampleEvery()));
        LagHistogram before = LagHistogram.scrape(ordersManagement, Topics.CUSTOMER_CHANGES);
        PropagationRun.Result main;
        Stats relay;
        Stats delivery;
        try (TopicTap tap = new TopicTap(stack.kafkaBootstrap())) {
            main = run.run(settings.lagRate(), settings.lagDuration(), settings.lagSampleEvery());
            relay = tap.relay();
            delivery = tap.delivery();
        }
        LagHistogram inService = LagHistogram.scrape(ordersManagement, Topics.CUSTOMER_CHANGES).minus(before);
        printRun(main);
        double rawP50 = kafka.p50Ms() > 0 ? kafka.p50Ms() : kafka.meanMs();
        String rawP50Name = kafka.p50Ms() > 0 ? "raw Kafka p50" : "raw Kafka mean (its p50 printed as 0 ms)";
        Stats lag = main.lagMs();
        String runNote = String.format(Locale.ROOT, "%d of %d updates acknowledged (%.0f/s), %d errors %s, %d dropped"
                        + " at the client's in-flight cap; %d sampled, %d not seen within 30 s; orders caught up %.0f ms"
                        + " after the last acknowledgement%s.", main.acknowledged(), main.sent(), main.ackedPerSecond(),
                main.errors(), main.failures(), main.dropped(), lag.count(), main.lagNotSeen(), main.catchUpMs(),
                main.notCaughtUp() > 0 ? " (" + main.notCaughtUp() + " customers NOT caught up within 30 s)" : "");
        figures.add(Figure.of(PROPAGATION, "lag p50: accounts 2xx → orders serves it (polled)", "ms", lag.median())
                .withStats(lag).against(rawP50Name, rawP50).withGoal("p50 ≤ 5 ms", lag.median() <= 5)
                .withNote(runNote));
        figures.add(Figure.of(PROPAGATION, "lag p99: accounts 2xx → orders serves it (polled)", "ms", lag.p99())
                .withStats(lag).against("raw Kafka p99", kafka.p99Ms())
                .withGoal("p99 ≤ 3× raw Kafka p99", lag.p99() <= 3 * kafka.p99Ms()));
        Stats hist = inService.statsMs();
        figures.add(Figure.of(PROPAGATION, "in-service lag p50 (orders' histogram, event stored → applied)", "ms",
                        hist.median()).withStats(hist).against(rawP50Name, rawP50)
                .withNote("storefront_propagation_lag_seconds{topic=" + Topics.CUSTOMER_CHANGES + "} on orders, this run's"
                        + " window only; interpolated in Micrometer's buckets; min is the lower bound of the first"
                        + " non-empty bucket. Counts every update, not only the polled ones."));
        figures.add(Figure.of(PROPAGATION, "in-service lag p99 (orders' histogram)", "ms", hist.p99()).withStats(hist)
                .against("raw Kafka p99", kafka.p99Ms()));
        figures.add(Figure.of(PROPAGATION, "where lag goes: accounts stored the event → relay sent it", "ms",
                        relay.median()).withStats(relay)
                .withNote("No baseline (ideally one MongoDB read after the write). From the event's occurredAt to the"
                        + " Kafka record's CreateTime, read by a plain consumer on the topic; ms resolution."));
        figures.add(Figure.of(PROPAGATION, "where lag goes: relay sent → a plain consumer received", "ms",
                        delivery.median()).withStats(delivery).against(rawP50Name, rawP50)
                .withNote("Same consumer, Kafka's default fetch settings (as the services); ms resolution."));
        figures.add(Figure.of(PROPAGATION, "accounts PUT latency (from the scheduled send time)", "ms",
                        main.ackLatencyMs().median()).withStats(main.ackLatencyMs())
                .withNote("No baseline: nothing comparable exists for the write path. Measured from when the open-loop schedule"
                        + " meant to send, so client delays count against it, not for it."));
        figures.add(Figure.of(PROPAGATION, "updates acknowledged per second", "1/s", main.ackedPerSecond())
                .against("offered rate", main.offeredPerSecond()));

        stepUp(run, rawP50, rawP50Name);
    }

    /**
     * The services were restarted by the start-up scenario, and until now only reads ran: the update and apply paths
     * are still interpreted code. A cold JVM accepts a fraction of the warm rate, so an open-loop run at 200/s
     * straight away measures JIT compilation under a
     * growing backlog, not the system. The warm-up runs at rising rates first and is reported as the cold figure.
     */
    private void warmUp(PropagationRun run) {
        for (double rate : settings.warmupRates()) {
            section(String.format(Locale.ROOT, "propagation warm-up: %.0f updates/s for %d s", rate,
                    settings.warmupStep().toSeconds()));
            PropagationRun.Result warm = run.run(rate, settings.warmupStep(), settings.lagSampleEvery());
            printRun(warm);
            figures.add(Figure.of(PROPAGATION, String.format(Locale.ROOT, "warm-up %.0f/s: lag p50 (cold JVMs)", rate),
                            "ms", warm.lagMs().median()).withStats(warm.lagMs())
                    .withNote(String.format(Locale.ROOT, "First updates since the services started; p99 %.1f ms,"
                                    + " %.0f/s acknowledged, %d errors, %d dropped, accounts PUT p50 %.1f ms.",
                            warm.lagMs().p99(), warm.ackedPerSecond(), warm.errors(), warm.dropped(),
                            warm.ackLatencyMs().median())));
        }
    }

    /** Raises the rate until lag degrades: p99 > 3× the first step's, p50 > 2× its, a shortfall or a backlog. */
    private void stepUp(PropagationRun run, double rawP50, String rawP50Name) {
        PropagationRun.Result first = null;
        Double degradedAt = null;
        String why = null;
        double highest = 0;
        for (double rate : settings.stepRates()) {
            section(String.format(Locale.ROOT, "step-up: %.0f updates/s for %d s", rate,
                    settings.stepDuration().toSeconds()));
            PropagationRun.Result r = run.run(rate, settings.stepDuration(), settings.lagSampleEvery());
            printRun(r);
            highest = rate;
            if (first == null) {
                first = r;
            }
            figures.add(Figure.of(PROPAGATION, String.format(Locale.ROOT, "step-up %.0f/s: lag p50", rate), "ms",
                            r.lagMs().median()).withStats(r.lagMs()).against(rawP50Name, rawP50)
                    .withNote(String.format(Locale.ROOT, "p99 %.1f ms; %.0f/s acknowledged, %d errors %s, %d dropped,"
                            + " catch-up %.0f ms%s; started after %.1f s waiting for the previous backlog.",
                            r.lagMs().p99(), r.ackedPerSecond(), r.errors(), r.failures(), r.dropped(), r.catchUpMs(),
                            r.notCaughtUp() > 0 ? " (" + r.notCaughtUp() + " customers NOT caught up in 30 s)" : "",
                            r.quietWaitSeconds())));
            why = degraded(first, r);
            if (why != null && r != first) {
                degradedAt = rate;
                break;
            }
        }
        figures.add(Figure.of(PROPAGATION, "step-up: rate where lag degrades", "1/s",
                        degradedAt != null ? degradedAt : highest)
                .against("the issue's sustained rate", settings.smoke() ? settings.lagRate() : 200)
                .withNote(degradedAt != null ? "Degraded: " + why
                        : String.format(Locale.ROOT, "Not degraded up to the highest rate tried (%.0f/s)%s.", highest,
                        settings.stepRates().size() == 1 ? "; one step only (smoke mode) — nothing to compare" : "")));
    }

    private static String degraded(PropagationRun.Result first, PropagationRun.Result r) {
        if (r.ackedPerSecond() < 0.95 * r.offeredPerSecond() || r.dropped() > 0) {
            return String.format(Locale.ROOT, "accounts acknowledged only %.0f of %.0f updates/s.", r.ackedPerSecond(),
                    r.offeredPerSecond());
        }
        if (r.errors() > 0.01 * r.sent()) {
            return r.errors() + " of " + r.sent() + " updates failed.";
        }
        if (r.lagMs().p99() > 3 * first.lagMs().p99()) {
            return String.format(Locale.ROOT, "lag p99 %.1f ms > 3× the first step's %.1f ms.", r.lagMs().p99(),
                    first.lagMs().p99());
        }
        if (r.lagMs().median() > 2 * first.lagMs().median()) {
            return String.format(Locale.ROOT, "lag p50 %.1f ms > 2× the first step's %.1f ms.", r.lagMs().median(),
                    first.lagMs().median());
        }
        if (r.catchUpMs() > 1000 || r.notCaughtUp() > 0) {
            return String.format(Locale.ROOT, "orders needed %.0f ms after the last update to catch up.", r.catchUpMs());
        }
        return null;
    }

    private void printRun(PropagationRun.Result r) {
        out.printf(Locale.ROOT, "  acked %d/%d (%.0f/s), errors %d, dropped %d; PUT p50 %.2f p99 %.2f ms; lag p50 %.2f"
                        + " p99 %.2f ms (n=%d, not seen %d); catch-up %.0f ms; send slip p99 %.2f ms; failures %s;"
                + " waited %.1f s for the previous backlog first%n",
                r.acknowledged(), r.sent(), r.ackedPerSecond(), r.errors(), r.dropped(), r.ackLatencyMs().median(),
                r.ackLatencyMs().p99(), r.lagMs().median(), r.lagMs().p99(), r.lagMs().count(), r.lagNotSeen(),
                r.catchUpMs(), r.sendSlipMs().p99(), r.failures(), r.quietWaitSeconds());
    }

    // ---- scenario 4, second half: memory after all the load ----

    private void memory() {
        section("resident memory after the load");
        double bareMb = rssMb(bare.pid());
        figures.add(Figure.of(STARTUP, "bare WebFlux app: RSS after load", "MB", bareMb)
                .withNote("The baseline, same JVM flags as the services."));
        for (String service : SERVICES) {
            double mb = rssMb(stack.process(service).pid());
            figures.add(Figure.of(STARTUP, service + ": RSS after load", "MB", mb).against("bare app", bareMb)
                    .withGoal("≤ 320 MB", mb <= 320));
        }
        for (String infra : List.of("kafka", "mongodb")) {
            ManagedProcess p = stack.process(infra);
            if (p != null) {
                figures.add(Figure.of(STARTUP, infra + ": RSS after load", "MB", rssMb(p.pid()))
                        .withNote("Local infrastructure (not ours to size), for reference."));
            }
        }
        figures.stream().filter(f -> f.unit().equals("MB"))
                .forEach(f -> out.printf("  %-40s %6.0f MB%n", f.name(), f.value()));
    }

    static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new StackFailure("Cannot read the RSS of process " + pid + ": " + e.getMessage());
        }
        throw new StackFailure("No VmRSS for process " + pid);
    }

    // ---- scenario 6 (last: it restarts the services): what tracing costs, off against on with export ----

    /** What one tracing mode measured, and the spans the OTLP sink received meanwhile. */
    private record TracingPhase(ReadLoad.Result reads, PropagationRun.Result lag, OtlpSink.Received exported) {
    }

    /**
     * The same reads and updates twice on the same stack: with tracing off (sampling probability 0) and on (every
     * trace sampled and exported by OTLP over HTTP to a sink in this JVM, so the exporter's work counts). Both modes
     * point the services at the sink, so the sampling probability is the only difference, and the sink shows that
     * "off" exports nothing. Each mode restarts the three services with its properties and warms them up the same
     * way; off first, then on.
     */
    private void tracingCost(ReadLoad load) {
        String readName = "GET /accounts/customers/{id}";
        URI read = URI.create(stack.config().service("accounts").baseUrl() + "/customers/" + sampleCustomerId);
        TracingPhase off;
        TracingPhase on;
        String endpoint;
        try (OtlpSink sink = OtlpSink.start()) {
            endpoint = sink.endpoint();
            off = tracingPhase("off", Map.of(SAMPLING_PROBABILITY, "0.0", OTLP_ENDPOINT, endpoint), load, read, sink);
            on = tracingPhase("on", Map.of(SAMPLING_PROBABILITY, "1.0", OTLP_ENDPOINT, endpoint), load, read, sink);
        }
        String offName = "tracing off (same run)";
        String offNote = "Sampling probability 0 (exporter configured, nothing sampled): the baseline of this scenario.";

        figures.add(Figure.of(TRACING, "tracing off: " + readName + " throughput", "req/s",
                off.reads().requestsPerSecond()).withNote(offNote + " " + readNote(off.reads())));
        figures.add(withChange(Figure.of(TRACING, "tracing on: " + readName + " throughput", "req/s",
                        on.reads().requestsPerSecond()).against(offName, off.reads().requestsPerSecond())
                .withNote(readNote(on.reads()))));
        figures.add(Figure.of(TRACING, "tracing off: " + readName + " p99 latency", "ms", off.reads().latencyMs().p99())
                .withStats(off.reads().latencyMs()).withNote(offNote));
        figures.add(withChange(Figure.of(TRACING, "tracing on: " + readName + " p99 latency", "ms",
                        on.reads().latencyMs().p99()).withStats(on.reads().latencyMs())
                .against(offName, off.reads().latencyMs().p99())));

        String lagName = String.format(Locale.ROOT, "lag at %.0f/s (accounts 2xx → orders serves it)", settings.lagRate());
        figures.add(Figure.of(TRACING, "tracing off: " + lagName + ", p50", "ms", off.lag().lagMs().median())
                .withStats(off.lag().lagMs()).withNote(offNote + " " + lagNote(off.lag())));
        figures.add(withChange(Figure.of(TRACING, "tracing on: " + lagName + ", p50", "ms", on.lag().lagMs().median())
                .withStats(on.lag().lagMs()).against(offName, off.lag().lagMs().median())
                .withNote(lagNote(on.lag()))));
        figures.add(Figure.of(TRACING, "tracing off: " + lagName + ", p99", "ms", off.lag().lagMs().p99())
                .withStats(off.lag().lagMs()).withNote(offNote));
        figures.add(withChange(Figure.of(TRACING, "tracing on: " + lagName + ", p99", "ms", on.lag().lagMs().p99())
                .withStats(on.lag().lagMs()).against(offName, off.lag().lagMs().p99())));
        figures.add(Figure.of(TRACING, "tracing off: accounts PUT latency p50", "ms", off.lag().ackLatencyMs().median())
                .withStats(off.lag().ackLatencyMs()).withNote(offNote + " From the scheduled send time."));
        figures.add(withChange(Figure.of(TRACING, "tracing on: accounts PUT latency p50", "ms",
                        on.lag().ackLatencyMs().median()).withStats(on.lag().ackLatencyMs())
                .against(offName, off.lag().ackLatencyMs().median())));

        OtlpSink.Received exported = on.exported();
        figures.add(Figure.of(TRACING, "tracing on: spans the OTLP sink received", "spans", exported.spans())
                .withNote(String.format(Locale.ROOT, "No baseline: the proof that export happened. %d spans (%s) in %d"
                                + " requests, %d bytes, POSTed to %s by the services during the tracing-on part (reads,"
                                + " warm-up and updates, and what the exporters still held when the services stopped);"
                                + " %d requests refused as not OTLP. With tracing off the sink received %d spans.",
                        exported.spans(), exported.spansByService(), exported.requests(), exported.bytes(), endpoint,
                        exported.refused(), off.exported().spans())));
    }

    private TracingPhase tracingPhase(String mode, Map<String, String> properties, ReadLoad load, URI read,
                                      OtlpSink sink) {
        section("tracing " + mode + ": the services restarted with " + new TreeMap<>(properties));
        restartServices("tracing-" + mode, properties);
        OtlpSink.Received before = sink.received();
        load.run(read, settings.connections(), settings.readWarmup().multipliedBy(2));
        ReadLoad.Result reads = load.run(read, settings.connections(), settings.readDuration());
        out.printf(Locale.ROOT, "  %-52s %8.0f req/s p99 %6.2f ms%n", read.getPath(), reads.requestsPerSecond(),
                reads.latencyMs().p99());
        double warmRate = settings.warmupRates().get(settings.warmupRates().size() - 1);
        out.printf(Locale.ROOT, "  warm-up: %.0f updates/s for %d s%n", warmRate, settings.tracingWarmup().toSeconds());
        printRun(lagRun.run(warmRate, settings.tracingWarmup(), settings.lagSampleEvery()));
        out.printf(Locale.ROOT, "  measured: %.0f updates/s for %d s%n", settings.lagRate(),
                settings.tracingDuration().toSeconds());
        PropagationRun.Result lag = lagRun.run(settings.lagRate(), settings.tracingDuration(), settings.lagSampleEvery());
        printRun(lag);
        // A graceful stop: each service's exporter sends what it still holds before the JVM exits.
        stopServices();
        OtlpSink.Received exported = sink.received().since(before);
        out.printf(Locale.ROOT, "  OTLP sink: %d spans %s in %d requests, %d bytes%n", exported.spans(),
                exported.spansByService(), exported.requests(), exported.bytes());
        return new TracingPhase(reads, lag, exported);
    }

    /**
     * Stops the three services and starts them again, in parallel, with the stack's command lines plus
     * {@code properties} (replacing any value the stack gave them), logging to {@code <service>-<label>.log}.
     */
    private void restartServices(String label, Map<String, String> properties) {
        stopServices();
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (String service : SERVICES) {
            ManagedProcess original = stack.process(service);
            List<String> command = new ArrayList<>(original.command().stream()
                    .filter(arg -> properties.keySet().stream().noneMatch(p -> arg.startsWith("--" + p + "=")))
                    .toList());
            properties.forEach((name, value) -> command.add("--" + name + "=" + value));
            ManagedProcess process = new ManagedProcess(service, command,
                    original.log().resolveSibling(service + "-" + label + ".log"));
            restarted.put(service, process);
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    process.start();
                } catch (IOException e) {
                    throw new StackFailure("Could not start " + service + ": " + e.getMessage());
                }
                process.awaitReady(() -> stack.isUp(stack.config().service(service)), Duration.ofSeconds(150));
            }));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** Stops the services, whichever processes run them now, in parallel and gently. */
    private void stopServices() {
        SERVICES.stream()
                .map(service -> restarted.getOrDefault(service, stack.process(service)))
                .map(p -> CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(25))))
                .toList()
                .forEach(CompletableFuture::join);
    }

    /** Adds the relative change against tracing off to the figure's note: the cost in one phrase. */
    private static Figure withChange(Figure on) {
        return on.withNote(String.format(Locale.ROOT, "Tracing on: %+.1f %% against tracing off.",
                (on.ratio() - 1) * 100));
    }

    private static String readNote(ReadLoad.Result r) {
        return r.requests() + " requests in " + BenchmarkReport.fmt(r.seconds()) + " s, " + r.errors() + " errors.";
    }

    private static String lagNote(PropagationRun.Result r) {
        return String.format(Locale.ROOT, "%d of %d updates acknowledged (%.0f/s), %d errors, %d dropped; %d sampled,"
                        + " %d not seen within 30 s.", r.acknowledged(), r.sent(), r.ackedPerSecond(), r.errors(),
                r.dropped(), r.lagMs().count(), r.lagNotSeen());
    }

    // ---- description of the run ----

    private void describeMethod() {
        notes.add("Stack as `run` starts it: mongo-java-server and a KRaft Kafka broker as child JVMs, the three"
                + " services from their jars with " + String.join(" ", LocalStack.SERVICE_JVM_OPTIONS) + " (what the"
                + " images do in a pod: 512Mi limit × MaxRAMPercentage=60, one CPU, C1 only), each unpacked and"
                + " with an application class-data sharing archive recorded once per build (ClassDataSharing). The"
                + " baseline app runs with the same flags and is started the same way. Load generator, services and"
                + " broker share the machine.");
        notes.add("Start-up: each JVM stopped and started again alone while the rest of the stack idles, time from"
                + " process start to up (services: /actuator/health, which includes MongoDB and Kafka;"
                + " bare app: its endpoint answers), polled every 100 ms.");
        notes.add("Propagation: open-loop schedule (sends at fixed times, not after answers); every update writes a"
                + " sequence number into the customer's middle name, orders is polled back-to-back (one GET round"
                + " trip ≈ resolution, pauses after 20 ms) until it serves that number. Lag starts at the accounts 2xx"
                + " as received by the client.");
        notes.add("Reads: closed loop at " + settings.connections() + " connections after a warm-up of the same URL;"
                + " the baseline endpoint serves a body of exactly the service answer's size (GET /bare?bytes=N).");
        notes.add(String.format(Locale.ROOT, "Tracing cost: after the other scenarios, the three services are"
                + " restarted twice with the stack's command lines plus --%s pointing at an OTLP-over-HTTP sink in the"
                + " benchmark's JVM that answers 200 and counts requests, bytes and spans, and --%s=0.0 (tracing off),"
                + " then =1.0 (tracing on, every trace exported). Each time: %d s read warm-up and %d s of reads of one"
                + " customer on accounts (%d connections), %d s of updates at %.0f/s, then %d s at %.0f/s measured as"
                + " in scenario 1; the services are then stopped gracefully so their exporters send what they hold.",
                OTLP_ENDPOINT, SAMPLING_PROBABILITY, settings.readWarmup().multipliedBy(2).toSeconds(),
                settings.readDuration().toSeconds(), settings.connections(), settings.tracingWarmup().toSeconds(),
                settings.warmupRates().get(settings.warmupRates().size() - 1), settings.tracingDuration().toSeconds(),
                settings.lagRate()));
        if (settings.smoke()) {
            notes.add("SMOKE MODE: a few seconds per scenario to prove the harness works; the figures are not"
                    + " representative (cold JIT, tiny samples).");
        }
    }

    private Machine machine(String loadAtStart, String loadAtEnd) {
        String cpu = "unknown CPU";
        long memoryMb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memoryMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).orElse(0L);
        } catch (IOException e) {
            // not Linux: the report says unknown
        }
        String java = String.join("; ", exec(LocalStack.javaExecutable(), "-version").lines().toList());
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memoryMb,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), java, loadAtStart, loadAtEnd);
    }

    private Map<String, String> versions(ReadLoad load) {
        Map<String, String> versions = new LinkedHashMap<>();
        String commit = exec("git", "rev-parse", "--short", "HEAD").trim();
        boolean dirty = !exec("git", "status", "--porcelain", "--untracked-files=no").isBlank();
        versions.put("storefront", (commit.isEmpty() ? "unknown commit" : commit) + (dirty ? " + uncommitted changes" : ""));
        Path accountsJar = jar(settings.appsDir(), "accounts");
        try (JarFile jar = new JarFile(accountsJar.toFile())) {
            versions.put("Spring Boot", jar.getManifest().getMainAttributes().getValue("Spring-Boot-Version"));
        } catch (IOException e) {
            versions.put("Spring Boot", "unknown");
        }
        versions.put("Kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        versions.put("mongo-java-server", jarVersion("mongo-java-server-core-"));
        versions.put("JVM of the services", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        if (load != null) {
            versions.put("load tool", load.describe());
        }
        return versions;
    }

    /** From the jar's file name: on the class path (tests) or in lib/ next to benchmarks.jar (java -jar). */
    private static String jarVersion(String prefix) {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            candidates.add(Path.of(entry));
            Path lib = Path.of(entry).toAbsolutePath().getParent();
            if (lib != null && Files.isDirectory(lib.resolve("lib"))) {
                try (var files = Files.list(lib.resolve("lib"))) {
                    files.forEach(candidates::add);
                } catch (IOException e) {
                    // fall through to unknown
                }
            }
        }
        for (Path candidate : candidates) {
            String file = candidate.getFileName().toString();
            if (file.startsWith(prefix) && file.endsWith(".jar")) {
                return file.substring(prefix.length(), file.length() - 4);
            }
        }
        return "unknown";
    }

    // ---- plumbing ----

    /**
     * Copies the four jars into the output folder and runs them from there: the working tree is shared, and a
     * concurrent {@code mvn package} rewriting a jar under a running JVM breaks its class loading mid-run.
     */
    private Path snapshotJars() {
        Path apps = settings.out().resolve("jars");
        for (String module : List.of("accounts", "orders", "fulfillment", BARE_MODULE)) {
            Path source = jar(settings.appsDir(), module);
            if (!Files.isRegularFile(source)) {
                throw new StackFailure("Missing " + source + ". Build first: ./mvnw -B -DskipTests package");
            }
            try {
                Files.createDirectories(jar(apps, module).getParent());
                Files.copy(source, jar(apps, module), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new StackFailure("Cannot copy " + source + ": " + e.getMessage());
            }
        }
        return apps;
    }

    /** A module's jar, {@code <module folder>/target/<folder name>.jar}; the module is a path under {@code apps}. */
    private static Path jar(Path apps, String module) {
        Path folder = apps.resolve(module);
        return folder.resolve("target").resolve(folder.getFileName() + ".jar");
    }

    private List<String> bareCommand(Path jar) {
        List<String> command = new ArrayList<>();
        command.add(LocalStack.javaExecutable());
        command.addAll(LocalStack.SERVICE_JVM_OPTIONS);
        command.addAll(ClassDataSharing.jarArguments(jar, LocalStack.SERVICE_JVM_OPTIONS,
                settings.out().resolve(BARE + "-cds.log")));
        command.addAll(List.of("--server.port=" + barePort,
                "--server.address=127.0.0.1"));
        return command;
    }

    private URI bareUrl(int bytes) {
        return URI.create("http://127.0.0.1:" + barePort + "/bare?bytes=" + bytes);
    }


    /** The answer's bytes as wrk and the baseline see them (no Accept header, no compression). */
    private byte[] body(URI url) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new StackFailure("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new StackFailure("GET " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    private void stopAll() {
        restarted.values().forEach(p -> p.stop(Duration.ofSeconds(25)));
        if (bare != null) {
            bare.stop(Duration.ofSeconds(10));
        }
        if (stack != null) {
            stack.close();
        }
    }

    private void section(String title) {
        out.printf("== %s (load average %s)%n", title, loadAverage());
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String exec(String... command) {
        return CommandOutput.of(List.of(command), Duration.ofSeconds(10));
    }

    private static Stats stats(List<Double> values) {
        return Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String last(Map<String, List<Double>> seconds) {
        StringBuilder line = new StringBuilder();
        seconds.forEach((name, list) -> line.append(String.format(Locale.ROOT, "%s %.1f s  ", name,
                list.get(list.size() - 1))));
        return line.toString().trim();
    }
}
