package io.storefront.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * `kubectl kustomize` of every folder, rendered once per JVM and shared by all test classes (about 0.3 s a folder).
 *
 * <p>Only {@link #NETWORK_FOLDERS} may reference remote resources, and only pinned to a version. Such a folder is
 * rendered without its remote resources (from a temporary copy of its top-level folder), so everything of ours in it
 * is still checked offline.
 */
final class Rendered {

    /** The only folders whose kustomization may need network: Argo CD's pinned upstream install manifest. */
    static final List<String> NETWORK_FOLDERS = List.of(".argocd/install");

    /** A release URL (…/v3.5.3/…) or a git ref (?ref=v3.5.3): a version, never a branch, HEAD or latest. */
    static final Pattern PINNED_REMOTE = Pattern.compile(
            "^https://[^ ?]+/v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?/[^ ?]+$|^[^ ]+\\?ref=v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?$");

    /** What one folder renders to, or why it does not render. */
    record Rendering(String folder, List<Manifest> objects, String error, List<String> remoteResources) {
        boolean ok() {
            return error == null;
        }

        List<Manifest> objectsOrFail() {
            if (error != null) {
                throw new AssertionError(folder + " does not render: " + error);
            }
            return objects;
        }
    }

    private static final Map<String, Rendering> CACHE = new ConcurrentHashMap<>();
    private static volatile Map<String, Rendering> all;
    private static volatile long renderMillis;

    private Rendered() {
    }

    /** Every kustomization folder of the repository, rendered (in parallel, once). */
    static synchronized Map<String, Rendering> all() {
        if (all == null) {
            Kubectl.require();
            long start = System.nanoTime();
            List<String> folders = Repository.kustomizationFolders();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Rendering>> futures = folders.stream().map(f -> pool.submit(() -> folder(f))).toList();
                Map<String, Rendering> result = new LinkedHashMap<>();
                for (Future<Rendering> future : futures) {
                    Rendering rendering = future.get(120, TimeUnit.SECONDS);
                    result.put(rendering.folder(), rendering);
                }
                all = result;
            } catch (Exception e) {
                throw new IllegalStateException("rendering failed", e);
            } finally {
                pool.shutdownNow();
            }
            renderMillis = (System.nanoTime() - start) / 1_000_000;
        }
        return all;
    }

    static long renderMillis() {
        return renderMillis;
    }

    /** Every object of every folder, each with the folder that rendered it. */
    static List<Manifest> allObjects() {
        return all().values().stream().filter(Rendering::ok).flatMap(r -> r.objects().stream()).toList();
    }

    /** One folder (relative to the repository root), from the cache. A missing folder is an error, not an exception. */
    static Rendering folder(String folder) {
        Rendering cached = CACHE.get(folder);
        if (cached == null) {
            cached = render(folder);
            CACHE.putIfAbsent(folder, cached);
        }
        return cached;
    }

    /** The child Applications' source folders of clusters/minikube, i.e. what Argo CD deploys from this repository. */
    static List<Manifest> cluster() {
        List<Manifest> objects = new ArrayList<>();
        for (String path : applicationPaths(folder(WaveOrder.CLUSTER).objectsOrFail())) {
            objects.addAll(folder(path).objectsOrFail());
        }
        return objects;
    }

    static List<String> applicationPaths(List<Manifest> root) {
        return root.stream().filter(m -> m.is("Application"))
                .flatMap(app -> WaveOrder.sources(app).stream())
                .map(source -> Yamls.str(source.get("path")))
                .filter(p -> p != null).distinct().toList();
    }

    private static Rendering render(String folder) {
        if (!Repository.isDirectory(folder)) {
            return new Rendering(folder, List.of(), "path does not exist", List.of());
        }
        Path file = kustomizationFile(Repository.path(folder));
        if (file == null) {
            return new Rendering(folder, List.of(), "no kustomization.yaml in " + folder, List.of());
        }
        Map<String, Object> kustomization = Yamls.parseMap(read(file));
        List<String> remote = remoteResources(kustomization);
        if (remote.isEmpty()) {
            return kustomize(folder, Repository.path(folder), List.of());
        }
        List<String> problems = remoteProblems(folder, remote);
        if (!problems.isEmpty()) {
            return new Rendering(folder, List.of(), String.join("; ", problems), remote);
        }
        return renderWithoutRemote(folder, kustomization, remote);
    }

    /** resources/components/bases entries that point at the network. */
    static List<String> remoteResources(Map<String, Object> kustomization) {
        return Stream.of("resources", "components", "bases")
                .flatMap(key -> Yamls.list(kustomization.get(key)).stream())
                .map(String::valueOf)
                .filter(Rendered::isRemote).toList();
    }

    static boolean isRemote(String resource) {
        return resource.contains("://") || resource.startsWith("github.com/") || resource.startsWith("git@")
                || resource.startsWith("gitlab.com/") || resource.startsWith("bitbucket.org/");
    }

    /** Remote resources: only in {@link #NETWORK_FOLDERS}, and only pinned to a version. */
    static List<String> remoteProblems(String folder, List<String> remote) {
        List<String> problems = new ArrayList<>();
        for (String resource : remote) {
            if (!NETWORK_FOLDERS.contains(folder)) {
                problems.add(folder + ": remote resource " + resource + " (only " + NETWORK_FOLDERS
                        + " may need network)");
            }
            if (!PINNED_REMOTE.matcher(resource).matches() || resource.matches("(?i).*\\b(latest|HEAD|master|main)\\b.*")) {
                problems.add(folder + ": remote resource " + resource + " is not pinned to a version tag");
            }
        }
        return problems;
    }

    /** Renders a copy of the folder's top-level directory in which the folder's remote resources are removed. */
    private static Rendering renderWithoutRemote(String folder, Map<String, Object> kustomization, List<String> remote) {
        String top = folder.contains("/") ? folder.substring(0, folder.indexOf('/')) : folder;
        Path temp = null;
        try {
            temp = Files.createTempDirectory("kustomize-offline");
            copy(Repository.path(top), temp.resolve(top));
            Map<String, Object> local = Yamls.deepCopy(kustomization);
            for (String key : List.of("resources", "components", "bases")) {
                if (local.get(key) instanceof List<?> list) {
                    local.put(key, list.stream().filter(r -> !remote.contains(String.valueOf(r))).toList());
                }
            }
            Path copy = temp.resolve(folder);
            Files.delete(kustomizationFile(copy));
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            Files.writeString(copy.resolve("kustomization.yaml"), new Yaml(options).dump(local));
            Rendering rendering = kustomize(folder, copy, remote);
            return rendering.ok() ? rendering : new Rendering(folder, List.of(),
                    "does not render even without its remote resources: " + rendering.error(), remote);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                delete(temp);
            }
        }
    }

    private static Rendering kustomize(String folder, Path directory, List<String> remote) {
        Kubectl.Result result = Kubectl.run("kustomize", directory.toString());
        if (result.exitCode() != 0) {
            String[] lines = result.stderr().strip().split("\n");
            return new Rendering(folder, List.of(), lines[lines.length - 1], remote);
        }
        return new Rendering(folder, Manifest.parse(folder, result.stdout()), null, remote);
    }

    private static Path kustomizationFile(Path directory) {
        for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            if (Files.isRegularFile(directory.resolve(name))) {
                return directory.resolve(name);
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
