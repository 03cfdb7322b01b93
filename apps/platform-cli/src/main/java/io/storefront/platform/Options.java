package io.storefront.platform;

import io.storefront.platform.access.UserInterfaces;
import io.storefront.platform.cluster.ClusterProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The command and its options, parsed from {@code <command> [--option=value ...]}; unknown ones are refused. */
record Options(String command, ClusterProfile profile, Duration timeout, int gatewayPort, Optional<Path> repository) {

    static final List<String> COMMANDS = List.of("check", "up", "images", "urls", "verify", "down", "help");

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        if (command.equals("--help") || command.equals("-h")) {
            command = "help";
        }
        if (!COMMANDS.contains(command)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        String name = ClusterProfile.DEFAULT_NAME;
        String runtime = ClusterProfile.DEFAULT_RUNTIME;
        Duration timeout = Duration.ofMinutes(40);
        int port = UserInterfaces.GATEWAY_PORT;
        Path repository = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                command = "help";
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new UsageException("unexpected argument '" + arg + "' (options are --name=value)");
            }
            String key = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (key) {
                case "profile" -> name = value;
                case "container-runtime" -> runtime = value;
                case "timeout-minutes" -> timeout = Duration.ofMinutes(positive(key, value));
                case "port" -> port = positive(key, value);
                case "repository" -> repository = Path.of(value);
                default -> throw new UsageException("unknown option '--" + key + "'");
            }
        }
        if (!ClusterProfile.RUNTIMES.contains(runtime)) {
            throw new UsageException("--container-runtime must be one of " + ClusterProfile.RUNTIMES);
        }
        if (name.isBlank()) {
            throw new UsageException("--profile must not be empty");
        }
        return new Options(command, ClusterProfile.of(name, runtime), timeout, port, Optional.ofNullable(repository));
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + key + " must be a positive number, not '" + value + "'");
    }

    /** The repository root: --repository, else the nearest directory upwards that holds the GitOps source file. */
    Path repositoryRoot() {
        if (repository.isPresent()) {
            return repository.get().toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(".argocd/source/gitops-source.yaml"))) {
                return dir;
            }
        }
        throw new UsageException("not inside the storefront repository (no .argocd/source/gitops-source.yaml here or "
                + "above); run it from your clone or pass --repository=DIR");
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static String usage() {
        ClusterProfile p = ClusterProfile.of(ClusterProfile.DEFAULT_NAME, ClusterProfile.DEFAULT_RUNTIME);
        return """
                usage: java -jar apps/platform-cli/target/platform-cli.jar <command> [options]

                commands:
                  check    preflight only, changes nothing: tools and versions, CPU and memory, an existing profile's
                           runtime and size, the GitOps source (a fork, whose revision holds HEAD), a clean work tree
                  up       check, then: %s
                           build the three images as Jib tarballs and load them into the node, install Argo CD,
                           apply .argocd/root, wait until every Application is Synced and Healthy, print the UIs.
                           Safe to run again.
                  images   deploy a commit: build the images tagged <version>-<commit>, load them into the node and
                           set that tag in clusters/minikube/storefront; then commit and push that file
                  urls     print every UI with its port-forward, address and dev-only login
                  verify   port-forward the gateway, run the local stack's sample-data and audit through it
                  down     delete the minikube profile (the cluster and everything in it)

                options:
                  --profile=NAME                minikube profile (default %s)
                  --container-runtime=RUNTIME   containerd (default), docker or cri-o
                  --timeout-minutes=N           how long up waits for the Applications (default 40)
                  --port=N                      local port of the gateway for verify (default %d)
                  --repository=DIR              the repository root (default: found from the working directory)
                """.formatted(String.join(" ", p.startCommand()), p.name(), UserInterfaces.GATEWAY_PORT);
    }
}
