package io.storefront.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command whose failure does not matter (versions, status, clean-up) and answers what it printed. */
final class CommandOutput {

    private CommandOutput() {
    }

    /** Standard output and error together; empty when the command could not run. */
    static String of(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
