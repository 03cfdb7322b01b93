package io.storefront.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.storefront.local.stack.StackFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The command-line flow local-stack's commands and the benchmark share: what they accept, refuse and print. */
class CommandLineOptionsTest {

    private static final Set<String> KNOWN = Set.of("port", "out", "smoke");
    private static final String USAGE = "Usage: test [--port N] [--out DIR] [--smoke]\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger runs = new AtomicInteger();

    private int execute(CommandLineOptions.Command action, String... args) {
        return CommandLineOptions.execute(List.of(args), "test", KNOWN, USAGE,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                options -> {
                    runs.incrementAndGet();
                    return action.run(options);
                });
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void optionsTakeValuesInBothFormsAndFlagsStandAlone() {
        CommandLineOptions options = CommandLineOptions.parse(List.of("--port", "1", "--out=a=b", "--smoke"), "test",
                KNOWN);

        assertThat(options.get("port", "0")).isEqualTo("1");
        assertThat(options.get("out", null)).isEqualTo("a=b");
        assertThat(options.has("smoke")).isTrue();
        assertThat(options.get("smoke", null)).isEqualTo("true");
        assertThat(options.help()).isFalse();
    }

    @Test
    void anOptionNotGivenAnswersTheFallback() {
        CommandLineOptions options = CommandLineOptions.parse(List.of(), "test", KNOWN);

        assertThat(options.has("port")).isFalse();
        assertThat(options.get("port", "8080")).isEqualTo("8080");
    }

    @Test
    void helpIsRecognisedInBothFormsAndAfterAFlag() {
        assertThat(CommandLineOptions.parse(List.of("--smoke", "-h"), "test", KNOWN).help()).isTrue();
        assertThat(CommandLineOptions.parse(List.of("--help"), "test", KNOWN).help()).isTrue();
        assertThat(CommandLineOptions.parse(List.of("--smoke", "-h"), "test", KNOWN).get("smoke", null))
                .isEqualTo("true");
    }

    @Test
    void unknownOptionsAreRefusedByNameAndSorted() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CommandLineOptions.parse(List.of("--zeta", "--smok", "--port", "1"), "test", KNOWN))
                .withMessage("Unknown option(s) for test: --smok, --zeta");
    }

    @Test
    void aStrayArgumentIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CommandLineOptions.parse(List.of("--smoke", "smoke", "extra"), "test", KNOWN))
                .withMessage("Unexpected argument extra for test");
    }

    @Test
    void aRefusedCommandLinePrintsWhyAndTheUsageAndRunsNothing() {
        assertThat(execute(options -> 0, "--prot", "1")).isEqualTo(CommandLineOptions.USAGE_ERROR);

        assertThat(err()).startsWith("Unknown option(s) for test: --prot\n").contains(USAGE);
        assertThat(out.size()).isZero();
        assertThat(runs).hasValue(0);
    }

    @Test
    void helpPrintsTheUsageAndRunsNothing() {
        assertThat(execute(options -> 0, "--smoke", "--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(USAGE);
        assertThat(runs).hasValue(0);
    }

    @Test
    void theCommandsExitCodeIsTheAnswer() {
        assertThat(execute(options -> options.has("smoke") ? 7 : 0, "--smoke")).isEqualTo(7);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aStackFailureBecomesOneErrorLineAndExitCodeOne() {
        assertThat(execute(options -> {
            throw new StackFailure("Port 1 is already in use.");
        })).isEqualTo(1);

        assertThat(err()).isEqualTo("ERROR: Port 1 is already in use." + System.lineSeparator());
    }
}
