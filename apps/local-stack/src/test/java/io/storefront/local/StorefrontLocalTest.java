package io.storefront.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
        assertThat(execute("bench", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage:").contains("--smoke");
        assertThat(execute("run", "-h")).isZero();
    }

    @Test
    void anOptionTheCommandDoesNotTakeIsRefused() {
        assertThat(execute("bench", "--smok")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option(s) for bench: --smok");
        assertThat(out.size()).isZero();
    }

    @Test
    void anOptionOfAnotherCommandIsRefused() {
        assertThat(execute("infra", "--keep-data")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option(s) for infra: --keep-data");
    }

    @Test
    void aStrayArgumentIsRefused() {
        assertThat(execute("bench", "smoke")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unexpected argument smoke for bench");
    }

    @Test
    void anUnknownCommandIsRefused() {
        assertThat(execute("benchmark")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown command benchmark");
    }

    @Test
    void optionsTakeValuesInBothForms() {
        assertThat(StorefrontLocal.options(new String[] {"infra", "--mongo-port", "1", "--kafka-port=2", "--x"}))
                .containsEntry("mongo-port", "1").containsEntry("kafka-port", "2").containsEntry("x", "true");
    }
}
