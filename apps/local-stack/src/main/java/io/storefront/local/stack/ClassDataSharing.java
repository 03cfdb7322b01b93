package io.storefront.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a Spring Boot jar the fastest way the JDK offers without touching the application: unpacked with Boot's
 * {@code -Djarmode=tools extract} (classes no longer come through the nested-jar class loader) and with an
 * application class-data sharing archive recorded by one training run that stops right after the context refresh
 * ({@code -Dspring.context.exit=onRefresh}: no port is bound, nothing is consumed or published).
 *
 * <p>What it saves: docs/decisions/0002-appcds-for-the-local-stack.md. The unpacked jar and its archive live next to the jar under {@code cds/}, named after the
 * jar's size, modification time and the JDK, so a rebuilt jar or another JDK gets fresh ones. Anything that fails on
 * the way falls back to starting the plain jar: this only ever makes start-up faster, never impossible.
 */
public final class ClassDataSharing {

    private static final long TRAINING_TIMEOUT_SECONDS = 180;

    /** Where one jar's unpacked copy and archive live: {@code <jar's folder>/cds/<name>-<size>-<time>-java<version>/}. */
    private record Cache(Path dir, Path unpacked, Path archive) {

        static Cache of(Path jar) throws IOException {
            String key = baseName(jar) + "-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis()
                    + "-java" + Runtime.version().toString().replaceAll("[^0-9A-Za-z.]", "_");
            Path dir = cdsFolder(jar).resolve(key);
            return new Cache(dir, dir.resolve("app").resolve(jar.getFileName()), dir.resolve("app.jsa"));
        }

        boolean prepared() {
            return Files.isRegularFile(archive) && Files.isRegularFile(unpacked);
        }
    }

    private ClassDataSharing() {
    }

    /**
     * The arguments that replace {@code -jar <jar>} on a java command line; prepares the unpacked jar and the
     * archive first if they do not exist yet (the training run's output goes to {@code trainingLog}).
     */
    public static List<String> jarArguments(Path jar, List<String> jvmOptions, Path trainingLog) {
        try {
            Cache cache = Cache.of(jar);
            if (!Files.isRegularFile(cache.unpacked())) {
                removeOlderVersions(jar);
                unpack(jar, cache.dir(), trainingLog);
            }
            if (!Files.isRegularFile(cache.archive())) {
                train(cache.unpacked(), cache.archive(), jvmOptions, trainingLog);
            }
            return Files.isRegularFile(cache.archive())
                    ? List.of("-XX:SharedArchiveFile=" + cache.archive(), "-jar", cache.unpacked().toString())
                    : List.of("-jar", cache.unpacked().toString());
        } catch (IOException | UncheckedIOException | StackFailure e) {
            appendToLog(trainingLog, "Class-data sharing not prepared, starting the plain jar: " + e.getMessage());
            return List.of("-jar", jar.toString());
        }
    }

    /** Whether the unpacked jar and its archive exist already (then {@link #jarArguments} returns at once). */
    public static boolean isPrepared(Path jar) {
        try {
            return Cache.of(jar).prepared();
        } catch (IOException e) {
            return false;
        }
    }

    public static Path cacheDir(Path jar) throws IOException {
        return Cache.of(jar).dir();
    }

    private static Path cdsFolder(Path jar) {
        return jar.toAbsolutePath().normalize().getParent().resolve("cds");
    }

    private static String baseName(Path jar) {
        return jar.getFileName().toString().replaceFirst("\\.jar$", "");
    }

    private static void removeOlderVersions(Path jar) throws IOException {
        Path cds = cdsFolder(jar);
        String prefix = baseName(jar) + "-";
        if (!Files.isDirectory(cds)) {
            return;
        }
        try (Stream<Path> entries = Files.list(cds)) {
            for (Path old : entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                deleteRecursively(old);
            }
        }
    }

    private static void unpack(Path jar, Path dir, Path log) throws IOException {
        Path staging = Files.createDirectories(dir.getParent()).resolve(dir.getFileName() + ".unpacking");
        deleteRecursively(staging);
        run(List.of(LocalStack.javaExecutable(), "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract",
                "--destination", staging.resolve("app").toString()), log, "Unpacking " + jar.getFileName());
        deleteRecursively(dir);
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void train(Path unpacked, Path archive, List<String> jvmOptions, Path log) throws IOException {
        Path recording = archive.resolveSibling("app.jsa.recording");
        Files.deleteIfExists(recording);
        List<String> command = new ArrayList<>();
        command.add(LocalStack.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:ArchiveClassesAtExit=" + recording, "-Dspring.context.exit=onRefresh",
                "-jar", unpacked.toString()));
        run(command, log, "Recording the class-data sharing archive of " + unpacked.getFileName());
        if (Files.isRegularFile(recording)) {
            Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void run(List<String> command, Path log, String what) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        appendToLog(log, what + ": " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackFailure(what + " took longer than " + TRAINING_TIMEOUT_SECONDS + " s (see " + log + ")");
            }
            if (process.exitValue() != 0) {
                throw new StackFailure(what + " failed with exit code " + process.exitValue() + " (see " + log + ")");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    private static void appendToLog(Path log, String line) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is a courtesy; the fallback happens anyway
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
