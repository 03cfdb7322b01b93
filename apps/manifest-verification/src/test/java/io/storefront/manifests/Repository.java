package io.storefront.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository under test: found from the module (surefire passes ${project.basedir}/../..). */
final class Repository {

    static final Path ROOT = locate();

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".idea");

    private Repository() {
    }

    private static Path locate() {
        String configured = System.getProperty("storefront.repository");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path candidate = start.toAbsolutePath().normalize(); candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("clusters")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("repository root (with clusters/ and pom.xml) not found from " + start);
    }

    /** The project version: surefire passes ${project.version}; the root POM otherwise. */
    static String version() {
        String configured = System.getProperty("storefront.version");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Matcher matcher = Pattern.compile("<artifactId>storefront</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read("pom.xml"));
        if (!matcher.find()) {
            throw new IllegalStateException("no version in pom.xml");
        }
        return matcher.group(1).trim();
    }

    static Path path(String relative) {
        return ROOT.resolve(relative).normalize();
    }

    static boolean isDirectory(String relative) {
        return Files.isDirectory(path(relative));
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path path) {
        return ROOT.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Every folder with a kustomization file, relative to the root, sorted. */
    static List<String> kustomizationFolders() {
        return files(name -> name.equals("kustomization.yaml") || name.equals("kustomization.yml")
                || name.equals("Kustomization")).stream()
                .map(file -> file.substring(0, Math.max(0, file.lastIndexOf('/'))))
                .distinct().sorted().toList();
    }

    /** Every file (relative path) whose name passes the filter, outside .git, target and node_modules. */
    static List<String> files(java.util.function.Predicate<String> name) {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> name.test(p.getFileName().toString()))
                    .map(Repository::relative)
                    .filter(p -> Stream.of(p.split("/")).noneMatch(SKIPPED_DIRECTORIES::contains))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
