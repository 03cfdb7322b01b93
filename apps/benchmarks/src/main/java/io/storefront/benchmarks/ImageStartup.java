package io.storefront.benchmarks;

import io.storefront.local.stack.FreePorts;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario 5: the container images' start-up, without and with their AOT cache, against the bare app's images built
 * the same way. Builds the images offline with Jib on the local jlink base ({@code .ci/jre-base-image.sh}), records
 * each image's AOT cache by running the image ({@code .ci/train-aot-cache.sh}), builds the images again with
 * {@code -Paot-cache}, then starts every image in podman with the Deployments' limits against MongoDB and Kafka as
 * local processes, {@code rounds} times, and times each start from {@code podman run} to ready (services: health
 * on the management port; bare app: its endpoint). A cached image whose JVM rejects its cache fails the run: it
 * would start, only slower, and the figures would lie. Each round also starts the accounts image with a cache that
 * does not match the JVM's flags, which must start without it and say so. A cached image must be the plain image
 * plus one layer, {@code /app/aot}. Whatever the scenario started (containers, loaded images, MongoDB and Kafka, a
 * build) is removed or stopped when it ends, also on Ctrl-C or SIGTERM. Needs podman and runc, the Maven wrapper
 * and Temurin 25.
 */
final class ImageStartup {

    static final String SCENARIO = "5 image start-up";
    private static final List<String> SERVICES = List.of("accounts", "orders", "fulfillment");
    private static final String BARE = "bare-app";
    private static final Map<String, String> MODULES = Map.of("accounts", "apps/accounts", "orders", "apps/orders",
            "fulfillment", "apps/fulfillment", BARE, "apps/benchmarks/" + BARE);
    private static final Map<String, String> API = Map.of("accounts", "accounts/customers/summary",
            "orders", "orders/customers/summary", "fulfillment", "fulfillment/fulfillments/summary",
            BARE, "bare?bytes=16");
    /** runc and explicit ulimits: what podman needs on the CI machines (docs/images.md). */
    private static final String ENGINE = "podman --runtime runc";
    private static final List<String> ULIMITS = List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");
    /** The Deployments' limits and restrictions (kustomize/base). */
    private static final List<String> LIMITS = List.of("--network=host", "--memory=512m", "--cpus=1", "--read-only",
            "--user", "1000:1000", "--cap-drop=ALL", "--security-opt=no-new-privileges");
    /** How a JVM says it cannot use its AOT cache (then it starts without it). */
    private static final Pattern CACHE_REJECTED = Pattern.compile("\\]\\[(warning|error) *\\]\\[aot");
    /**
     * A cache that does not match the JVM: the caches are recorded with the image's flags, and a JVM refuses a cache
     * recorded with another object-header layout. The service the mismatch is shown with is {@link #MISMATCH_SERVICE}.
     */
    private static final String MISMATCH_FLAG = "-XX:+UseCompactObjectHeaders";
    private static final String MISMATCH_SERVICE = "accounts";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path root;
    private final Path work;
    private final int rounds;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> loaded = new CopyOnWriteArrayList<>();
    /** Every container of this run carries it, so the clean-up finds them all (training containers included). */
    private final String runLabel = "storefront.benchmarks.images=" + ProcessHandle.current().pid();
    private final Object cleanUpLock = new Object();
    private Process currentCommand;
    private LocalStack infra;
    private boolean stopping;
    private String javaVersion = "unknown";

    ImageStartup(Path root, Path work, int rounds, PrintStream out) {
        this.root = root.toAbsolutePath().normalize();
        this.work = work.toAbsolutePath().normalize();
        this.rounds = rounds;
        this.out = out;
    }

    /** Builds, records, runs; answers the scenario's figures and adds how they were measured to {@code notes}. */
    List<Figure> run(List<String> notes) {
        Thread onExit = new Thread(this::cleanUp, "images-clean-up");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            Files.createDirectories(work);
            Path base = work.resolve("base-jre25.tar");
            out.println("== local base image (jlink JRE)");
            exec(Duration.ofMinutes(5), Map.of(), root.resolve(".ci/jre-base-image.sh").toString(), base.toString());
            out.println("== images without AOT cache (jib:buildTar on the local base)");
            Map<String, String> plain = build(base, "plain", List.of());
            List<String> version = new ArrayList<>(List.of(ENGINE.split(" ")));
            version.addAll(List.of("run", "--rm", "--network=none"));
            version.addAll(ULIMITS);
            version.addAll(List.of("--entrypoint", "java", plain.get(BARE), "-version"));
            javaVersion = String.join("; ", quietly(version).lines().toList());
            out.println("== AOT caches: recorded by each image's own JVM (.ci/train-aot-cache.sh)");
            long recording = System.nanoTime();
            for (String name : plain.keySet()) {
                List<String> train = new ArrayList<>(List.of(root.resolve(".ci/train-aot-cache.sh").toString(), name,
                        plain.get(name)));
                train.addAll(ULIMITS);
                train.addAll(List.of("--label", runLabel));
                exec(Duration.ofMinutes(5), Map.of("CONTAINER_ENGINE", ENGINE), train.toArray(String[]::new));
            }
            double recordSeconds = (System.nanoTime() - recording) / 1e9;
            out.println("== images with AOT cache (-Paot-cache)");
            // The jars of the first build again: the classes generated ahead of time are still in target/classes.
            Map<String, String> cached = build(base, "aot", List.of("-Paot-cache", "-Dspring-boot.aot.skip=true"));
            out.println("== layers (compressed): each cached image is the plain image plus /app/aot");
            for (String name : names()) {
                checkCacheLayer(name);
            }
            notes.add(String.format(Locale.ROOT, "Images: built offline with Jib on a jlink JRE 25 base"
                    + " (.ci/jre-base-image.sh); AOT caches recorded in podman by .ci/train-aot-cache.sh (all four in"
                    + " %.0f s), then built in with -Paot-cache.", recordSeconds));
            return startAll(plain, cached, notes);
        } catch (IOException e) {
            throw new StackFailure("Cannot prepare " + work + ": " + e.getMessage());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) the same clean-up
            }
            cleanUp();
        }
    }

    /**
     * Stops the running command (a build or a training run) and its child processes, removes this run's containers
     * and loaded images and stops MongoDB and Kafka; nothing starts after it. Runs once, from the shutdown hook or at
     * the end of {@link #run}.
     */
    private void cleanUp() {
        synchronized (cleanUpLock) {
            if (stopping) {
                return;
            }
            stopping = true;
            if (currentCommand != null) {
                currentCommand.descendants().forEach(ProcessHandle::destroy);
                currentCommand.destroy();
            }
        }
        List<String> ps = new ArrayList<>(List.of(ENGINE.split(" ")));
        ps.addAll(List.of("ps", "-aq", "--filter", "label=" + runLabel));
        List<String> containers = quietly(ps).lines().filter(line -> line.matches("[0-9a-f]{12,64}")).toList();
        if (!containers.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of(ENGINE.split(" ")));
            rm.addAll(List.of("rm", "-f", "-t", "2"));
            rm.addAll(containers);
            quietly(rm);
        }
        if (!loaded.isEmpty()) {
            List<String> rmi = new ArrayList<>(List.of(ENGINE.split(" ")));
            rmi.addAll(List.of("rmi", "-f"));
            rmi.addAll(loaded);
            quietly(rmi);
        }
        if (infra != null) {
            infra.close();
        }
    }

    /**
     * Fails unless the cached image has the plain image's layers, in order, plus one that holds {@code /app/aot};
     * prints the cached image's layers.
     */
    private void checkCacheLayer(String name) throws IOException {
        List<Layer> plain = layers(work.resolve(name + "-plain.tar"));
        List<Layer> cached = layers(work.resolve(name + "-aot.tar"));
        List<String> plainIds = plain.stream().map(Layer::diffId).toList();
        List<Layer> added = cached.stream().filter(layer -> !plainIds.contains(layer.diffId())).toList();
        List<String> kept = cached.stream().map(Layer::diffId).filter(plainIds::contains).toList();
        if (!kept.equals(plainIds) || added.size() != 1 || !added.get(0).folder().equals("/app/aot")) {
            throw new StackFailure(name + ": the cached image should be the plain image plus /app/aot; plain "
                    + plain + ", cached " + cached);
        }
        out.printf(Locale.ROOT, "  %-12s %s%n", name, String.join(", ", cached.stream()
                .map(layer -> String.format(Locale.ROOT, "%s %.1f MiB", layer.name(), layer.bytes() / 1048576.0))
                .toList()));
    }

    /**
     * A layer of an image: its digest uncompressed (diff id), its compressed size, the folder its first file is in and
     * how the image's history describes it.
     */
    private record Layer(String diffId, long bytes, String folder, String description) {

        /** Jib describes both the application jar and the AOT cache as "extra files": those are named by folder. */
        String name() {
            return description.equals("extra files") ? folder : description;
        }
    }

    /** The layers of a docker-archive image tarball, base first. */
    private List<Layer> layers(Path tarball) throws IOException {
        Path dir = Files.createTempDirectory(work, "layers");
        try {
            exec(Duration.ofMinutes(2), Map.of(), "tar", "-xf", tarball.toString(), "-C", dir.toString());
            JsonMapper json = JsonMapper.builder().build();
            JsonNode manifest = json.readTree(Files.readString(dir.resolve("manifest.json"))).get(0);
            JsonNode config = json.readTree(Files.readString(dir.resolve(manifest.get("Config").asString())));
            JsonNode diffIds = config.get("rootfs").get("diff_ids");
            List<String> descriptions = new ArrayList<>();
            for (JsonNode step : config.get("history")) {
                if (!step.path("empty_layer").asBoolean(false)) {
                    descriptions.add(step.path("comment").asString(step.path("created_by").asString("")));
                }
            }
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                Path file = dir.resolve(manifest.get("Layers").get(i).asString());
                String first = quietly(List.of("tar", "--warning=no-unknown-keyword", "-tzf", file.toString()))
                        .lines().filter(entry -> !entry.endsWith("/")).findFirst().orElse("");
                String path = "/" + first.replaceFirst("^\\./", "");
                layers.add(new Layer(diffIds.get(i).asString(), Files.size(file),
                        path.substring(0, path.lastIndexOf('/')), descriptions.get(i)));
            }
            return layers;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code java -version} in the images (after {@link #run}). */
    String javaVersion() {
        return javaVersion;
    }

    /** The three services and the bare app, built and loaded into podman; answers image ids by name. */
    private Map<String, String> build(Path base, String label, List<String> extra) throws IOException {
        List<String> common = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q", "-ntp", "-am",
                "-DskipTests", "-Dmaven.jar.forceCreation=true", "package", "jib:buildTar",
                "-Djib.from.image=tar://" + base, "-Djib.from.platforms=linux/amd64"));
        common.addAll(extra);
        // The bare app is built on its own: jib.skip=false for the whole reactor would include contracts and
        // service-support, which are no applications.
        List<String> services = new ArrayList<>(common);
        services.addAll(List.of("-pl", String.join(",", SERVICES.stream().map(MODULES::get).toList())));
        List<String> bare = new ArrayList<>(common);
        bare.addAll(List.of("-pl", MODULES.get(BARE), "-Djib.skip=false"));
        exec(Duration.ofMinutes(15), Map.of(), services.toArray(String[]::new));
        exec(Duration.ofMinutes(10), Map.of(), bare.toArray(String[]::new));
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : names()) {
            Path target = root.resolve(MODULES.get(name)).resolve("target");
            Path tar = work.resolve(name + "-" + label + ".tar");
            Files.copy(target.resolve("jib-image.tar"), tar, StandardCopyOption.REPLACE_EXISTING);
            String id = Files.readString(target.resolve("jib-image.id")).trim().replace("sha256:", "");
            List<String> load = new ArrayList<>(List.of(ENGINE.split(" ")));
            load.addAll(List.of("load", "-q", "-i", tar.toString()));
            exec(Duration.ofMinutes(5), Map.of(), load.toArray(String[]::new));
            loaded.add(id);
            ids.put(name, id);
            out.printf("  %-12s %s  %.0f MiB%n", name, id.substring(0, 12), Files.size(tar) / 1048576.0);
        }
        return ids;
    }

    private List<Figure> startAll(Map<String, String> plain, Map<String, String> cached, List<String> notes) {
        StackConfig config = StackConfig.onFreePorts(root.resolve("apps"), work.resolve("infra"))
                .withServices(List.of());
        synchronized (cleanUpLock) {
            if (stopping) {
                throw new StackFailure("stopping");
            }
            infra = LocalStack.create(config, new Progress(out));
        }
        try {
            out.println("== MongoDB and Kafka as local processes");
            infra.start();
            Map<String, List<Double>> plainSeconds = new LinkedHashMap<>();
            Map<String, List<Double>> cachedSeconds = new LinkedHashMap<>();
            List<Double> mismatchSeconds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                out.printf("== round %d of %d: each image in podman (512 MiB, 1 CPU, read-only root, uid 1000)%n",
                        round, rounds);
                for (String name : names()) {
                    plainSeconds.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(start(name, "plain", plain.get(name), infra));
                    cachedSeconds.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(start(name, "AOT cache", cached.get(name), infra));
                }
                mismatchSeconds.add(start(MISMATCH_SERVICE, "mismatch", cached.get(MISMATCH_SERVICE), infra));
            }
            notes.add("Image start-up: each image alone in podman with runc, host network, 512 MiB, 1 CPU, read-only"
                    + " root, uid 1000, no capabilities, against mongo-java-server and a KRaft broker as local"
                    + " processes; time from `podman run` (container creation included) to ready (services:"
                    + " /actuator/health on the management port, which includes MongoDB and Kafka; bare app: its"
                    + " endpoint answers), polled every 100 ms; one API call after each start. A cached image's log"
                    + " must show no warning or error on the JVM's aot tag; the mismatched start (" + MISMATCH_FLAG
                    + " in JDK_JAVA_OPTIONS, the cache recorded without it) must show one and start without it.");
            List<Figure> figures = figures(plainSeconds, cachedSeconds);
            Stats mismatch = Stats.of(seconds(mismatchSeconds));
            figures.add(Figure.of(SCENARIO, MISMATCH_SERVICE + " image, AOT cache not matching the JVM: time to ready",
                    "s", mismatch.median()).withStats(mismatch)
                    .withNote(percentOf(mismatch, Stats.of(seconds(plainSeconds.get(MISMATCH_SERVICE))))
                            + " The JVM logs that it cannot use the cache and starts without it."));
            return figures;
        } finally {
            infra.close();
        }
    }

    private List<Figure> figures(Map<String, List<Double>> plainSeconds, Map<String, List<Double>> cachedSeconds) {
        Stats barePlain = Stats.of(seconds(plainSeconds.get(BARE)));
        Stats bareCached = Stats.of(seconds(cachedSeconds.get(BARE)));
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(SCENARIO, "bare-app image: time to ready", "s", barePlain.median())
                .withStats(barePlain).withNote("The baseline: WebFlux only, same base image and JVM flags."));
        figures.add(Figure.of(SCENARIO, "bare-app image with AOT cache: time to ready", "s", bareCached.median())
                .withStats(bareCached).withNote(percentOf(bareCached, barePlain) + " The baseline of the cached"
                        + " images."));
        for (String service : SERVICES) {
            Stats p = Stats.of(seconds(plainSeconds.get(service)));
            Stats c = Stats.of(seconds(cachedSeconds.get(service)));
            figures.add(Figure.of(SCENARIO, service + " image: time to ready", "s", p.median()).withStats(p)
                    .against("bare-app image", barePlain.median())
                    .withGoal("ready ≤ 1.5× bare app", p.median() <= 1.5 * barePlain.median()));
            figures.add(Figure.of(SCENARIO, service + " image with AOT cache: time to ready", "s", c.median())
                    .withStats(c).against("bare-app image with AOT cache", bareCached.median())
                    .withGoal("ready ≤ 1.5× bare app", c.median() <= 1.5 * bareCached.median())
                    .withNote(percentOf(c, p)));
        }
        return figures;
    }

    private static String percentOf(Stats cached, Stats plain) {
        return String.format(Locale.ROOT, "%.0f %% of the time without the cache (%s s).",
                100 * cached.median() / plain.median(), BenchmarkReport.fmt(plain.median()));
    }

    /** One container: started, timed to ready, one API call, its log checked, removed. Answers seconds to ready. */
    private double start(String name, String variant, String imageId, LocalStack infra) {
        int port = FreePorts.pair();
        String container = "storefront-bench-" + name;
        List<String> run = new ArrayList<>(List.of(ENGINE.split(" ")));
        run.addAll(List.of("run", "-d", "--replace", "--name", container, "--label", runLabel));
        run.addAll(ULIMITS);
        run.addAll(LIMITS);
        for (String env : List.of("SERVER_PORT=" + port, "MANAGEMENT_SERVER_PORT=" + (port + 1),
                "SERVER_ADDRESS=127.0.0.1", "MANAGEMENT_SERVER_ADDRESS=127.0.0.1",
                "SPRING_MONGODB_URI=mongodb://127.0.0.1:" + infra.config().mongoPort() + "/" + name,
                "SPRING_KAFKA_BOOTSTRAP_SERVERS=" + infra.kafkaBootstrap())) {
            run.addAll(List.of("--env", env));
        }
        if (variant.equals("mismatch")) {
            run.addAll(List.of("--env", "JDK_JAVA_OPTIONS=" + MISMATCH_FLAG));
        }
        run.add(imageId);
        URI ready = URI.create(name.equals(BARE) ? "http://127.0.0.1:" + port + "/" + API.get(BARE)
                : "http://127.0.0.1:" + (port + 1) + "/actuator/health");
        URI api = URI.create("http://127.0.0.1:" + port + "/" + API.get(name));
        try {
            long started = System.nanoTime();
            exec(Duration.ofMinutes(1), Map.of(), run.toArray(String[]::new));
            long deadline = started + READY_TIMEOUT.toNanos();
            int polls = 0;
            while (HttpStatus.of(http, ready) != 200) {
                if (System.nanoTime() > deadline || (++polls % 20 == 0 && !running(container))) {
                    throw new StackFailure(name + " (" + variant + ") was not ready within " + READY_TIMEOUT.toSeconds()
                            + " s:\n" + tail(logs(container).lines().toList(), 40));
                }
                sleep();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            int apiStatus = HttpStatus.of(http, api);
            if (apiStatus != 200) {
                throw new StackFailure(name + " (" + variant + "): GET " + api + " answered " + apiStatus);
            }
            String log = logs(container);
            boolean rejected = CACHE_REJECTED.matcher(log).find();
            if (variant.startsWith("AOT") && rejected) {
                throw new StackFailure(name + ": the JVM did not use the image's AOT cache:\n"
                        + String.join("\n", log.lines().filter(l -> CACHE_REJECTED.matcher(l).find()).limit(5).toList()));
            }
            if (variant.equals("mismatch") && !rejected) {
                throw new StackFailure(name + ": the JVM started with " + MISMATCH_FLAG
                        + " and a cache recorded without it, but did not say that it cannot use the cache");
            }
            out.printf(Locale.ROOT, "  %-12s %-9s ready after %5.1f s; GET /%s 200%n", name, variant, seconds,
                    API.get(name));
            return seconds;
        } finally {
            List<String> rm = new ArrayList<>(List.of(ENGINE.split(" ")));
            rm.addAll(List.of("rm", "-f", "-t", "10", container));
            quietly(rm);
        }
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of(BARE));
        names.addAll(SERVICES);
        return names;
    }

    private boolean running(String container) {
        List<String> inspect = new ArrayList<>(List.of(ENGINE.split(" ")));
        inspect.addAll(List.of("inspect", "-f", "{{.State.Running}}", container));
        return quietly(inspect).trim().equals("true");
    }

    private String logs(String container) {
        List<String> logs = new ArrayList<>(List.of(ENGINE.split(" ")));
        logs.addAll(List.of("logs", container));
        return quietly(logs);
    }


    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    private static String tail(List<String> lines, int count) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static double[] seconds(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Runs a command in the repository root, its output in {@code work/commands.log}; fails on a non-zero exit. */
    private void exec(Duration timeout, Map<String, String> env, String... command) {
        Path log = work.resolve("commands.log");
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Process process;
            synchronized (cleanUpLock) {
                if (stopping) {
                    throw new StackFailure("stopping: " + String.join(" ", command));
                }
                process = builder.start();
                currentCommand = process;
            }
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackFailure(String.join(" ", command) + " took over " + timeout.toMinutes() + " min");
            }
            if (process.exitValue() != 0) {
                throw new StackFailure(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
                        + tail(Files.readAllLines(log), 30));
            }
        } catch (IOException e) {
            throw new StackFailure("Cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    /** A command whose failure does not matter (clean-up, status): answers its output. */
    private static String quietly(List<String> command) {
        return CommandOutput.of(command, Duration.ofSeconds(30));
    }
}
