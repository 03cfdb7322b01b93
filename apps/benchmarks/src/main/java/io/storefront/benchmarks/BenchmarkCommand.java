package io.storefront.benchmarks;

import io.storefront.local.cli.CommandLineOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code java -jar apps/benchmarks/target/benchmarks.jar [options]}: runs {@link Benchmark}. See {@code --help}. */
public final class BenchmarkCommand {

    static final String USAGE = """
            Usage: java -jar apps/benchmarks/target/benchmarks.jar [options]

            Starts its own storefront on free ports plus the bare WebFlux baseline app, measures propagation lag
            (against Kafka's EndToEndLatency), read throughput (against the bare app), the seven-step sample flow,
            start-up and RSS, and what tracing costs (reads and propagation with tracing off and on, spans exported
            to a local OTLP sink); writes report.md and report.json and prints the Markdown. About ten minutes;
            needs the jars built (./mvnw -B -DskipTests package).

              --smoke                  a short run of every scenario (about three minutes; figures not representative)
              --images                 instead: the container images' start-up without and with their AOT cache,
                                       against the bare app's images (builds the images with Jib, records the
                                       caches and runs every image in podman: needs podman, runc and Temurin 25;
                                       about 5 minutes, 3 with --smoke)
              --out DIR                where the report goes (default .storefront/bench)
              --load-tool TOOL         auto (wrk if installed, else built-in Java), wrk or java
              --apps-dir DIR           where the modules are (default apps)
            """;

    private static final Set<String> OPTIONS = Set.of("smoke", "images", "out", "load-tool", "apps-dir");

    private BenchmarkCommand() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    static int execute(String[] args, PrintStream out, PrintStream err) {
        return CommandLineOptions.execute(List.of(args), "the benchmark", OPTIONS, USAGE, out, err,
                options -> benchmark(options, String.join(" ", args), out));
    }

    private static int benchmark(CommandLineOptions options, String arguments, PrintStream out) {
        Path outDir = Path.of(options.get("out", ".storefront/bench"));
        Path apps = Path.of(options.get("apps-dir", "apps"));
        String tool = options.get("load-tool", "auto");
        String command = ("java -jar apps/benchmarks/target/benchmarks.jar " + arguments).trim();
        Benchmark.Settings settings = options.has("smoke") ? Benchmark.Settings.smoke(outDir, apps, tool, command)
                : Benchmark.Settings.full(outDir, apps, tool, command);
        if (options.has("images")) {
            settings = settings.withImages();
        }
        BenchmarkReport report = Benchmark.run(settings, out);
        out.println();
        out.print(report.toMarkdown());
        out.println("\nWritten: " + outDir.resolve("report.md") + " and " + outDir.resolve("report.json"));
        return report.problems().isEmpty() ? 0 : 1;
    }
}
