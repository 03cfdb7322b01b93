package io.storefront.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark command refuses what it does not know before it starts anything (a typo must not start a long run). */
class BenchmarkCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String... args) {
        return BenchmarkCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageInsteadOfRunning() {
        assertThat(execute("--smoke", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage:").contains("--smoke", "--images");
        assertThat(execute("-h")).isZero();
        assertThat(execute("--smoke", "-h")).isZero();
    }

    @Test
    void anOptionItDoesNotTakeIsRefused() {
        assertThat(execute("--smok")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option(s) for the benchmark: --smok");
        assertThat(out.size()).isZero();
    }

    @Test
    void aStrayArgumentIsRefused() {
        assertThat(execute("smoke")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unexpected argument smoke for the benchmark");
    }
}
