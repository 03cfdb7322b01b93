package io.storefront.systemtests;

import io.storefront.local.stack.ManagedProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Programs from the operating system that some system tests drive (Debian's packages; .ci/run installs them). */
final class ExternalTools {

    private ExternalTools() {
    }

    /** The executable {@code name} on the PATH, if there is one. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The root of the repository: the parent of the folder holding the modules. */
    static Path repositoryRoot() {
        return TestStacks.appsDir().getParent();
    }

    /** Polls {@code condition} until it holds; fails with {@code what} and the last state after {@code timeout}. */
    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition, Supplier<String> lastState) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what + ". Last state: "
                        + lastState.get());
            }
            ManagedProcess.sleep(Duration.ofMillis(100));
        }
    }
}
