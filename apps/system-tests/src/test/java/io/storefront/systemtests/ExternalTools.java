package io.storefront.systemtests;

import io.storefront.local.stack.ManagedProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

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

    /** Deletes a folder a test created, with everything in it; says so when it cannot (a test's result stands). */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.out.println("Could not delete " + dir + ": " + e);
        }
    }
}
