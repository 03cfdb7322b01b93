package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.benchmarks.Benchmark;
import io.storefront.benchmarks.BenchmarkReport;
import io.storefront.benchmarks.Figure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark harness in smoke mode, so it cannot rot: a real stack, every scenario for a few seconds, the
 * built-in Java load generator (no Debian packages needed). Asserts the report is complete and well-formed —
 * figures for every scenario, ratios computed, verdicts next to goals — and NOT that goals are met: performance
 * goals live in the benchmark report (docs/benchmarks.md), not in the build.
 */
class BenchmarkSmokeTest {

    @TempDir
    Path out;

    @Test
    void smokeRunWritesACompleteReport() throws Exception {
        Path apps = TestStacks.appsDir();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchmarkReport report = Benchmark.run(
                Benchmark.Settings.smoke(out, apps, "java", "BenchmarkSmokeTest"),
                new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(report.problems()).as(console.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(report.mode()).isEqualTo("smoke");
        assertThat(report.figures()).extracting(Figure::scenario).containsAll(BenchmarkReport.SCENARIOS);
        assertThat(report.figures()).filteredOn(f -> f.goal() != null)
                .extracting(Figure::verdict).doesNotContain(Figure.Verdict.NONE);
        // Each goal appears with its verdict: propagation p50 and p99, summary throughput and p99,
        // start-up per service, RSS per service, the seven-step flow.
        assertThat(report.figures().stream().filter(f -> f.goal() != null).count()).isGreaterThanOrEqualTo(11);
        assertThat(report.figures()).filteredOn(f -> f.baselineValue() != null)
                .allSatisfy(f -> assertThat(f.ratio()).isFinite().isPositive());
        // Tracing on is measured with export: the services' spans reached the harness's OTLP sink.
        assertThat(report.figures()).filteredOn(f -> f.unit().equals("spans")).singleElement()
                .satisfies(f -> assertThat(f.value()).as("spans the OTLP sink received with tracing on; %s", f.note())
                        .isPositive());

        String markdown = Files.readString(out.resolve("report.md"));
        for (String scenario : BenchmarkReport.SCENARIOS) {
            assertThat(markdown).contains("## " + scenario);
        }
        assertThat(markdown).contains("## Goals").contains("Load average");
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json")));
        assertThat(json.path("figures").size()).isEqualTo(report.figures().size());
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("loadTool").asString()).contains("java.net.http");

        // Nothing left running: every child JVM of the stack and the baseline is stopped.
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
    }
}
