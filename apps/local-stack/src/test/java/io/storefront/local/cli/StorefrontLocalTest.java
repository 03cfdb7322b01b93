package io.storefront.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line refuses what it does not know before it starts anything (a typo must not start a long run). */
class StorefrontLocalTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String... args) {
        return StorefrontLocal.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpAfterACommandPrintsTheUsageInsteadOfRunningIt() {
        assertThat(execute("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage:").contains("--keep-data")
                .contains("apps/benchmarks/target/benchmarks.jar");
        assertThat(execute("run", "-h")).isZero();
    }

    @Test
    void anOptionTheCommandDoesNotTakeIsRefused() {
        assertThat(execute("run", "--keep-dat")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option(s) for run: --keep-dat");
        assertThat(out.size()).isZero();
    }

    @Test
    void anOptionOfAnotherCommandIsRefused() {
        assertThat(execute("infra", "--keep-data")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option(s) for infra: --keep-data");
    }

    @Test
    void aStrayArgumentIsRefused() {
        assertThat(execute("run", "keep-data")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unexpected argument keep-data for run");
    }

    @Test
    void anUnknownCommandIsRefused() {
        assertThat(execute("benchmark")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown command benchmark");
    }

    @Test
    void testcontainersWithoutDockerSaysSoAndFails(@TempDir Path apps) {
        int exit = execute("run", "--testcontainers", "--apps-dir", apps.toString());
        Assumptions.assumeFalse(exit == 0, "Docker exists here");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a Docker engine");
    }
}
