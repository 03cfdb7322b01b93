package io.storefront.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs kubectl (only `kustomize` and `version --client`: never anything that talks to a cluster). */
final class Kubectl {

    record Result(int exitCode, String stdout, String stderr) {
    }

    static final String MISSING = "kubectl is not on the PATH (set KUBECTL to its location). The manifest verification "
            + "renders every Kustomize folder with `kubectl kustomize` (kubectl 1.27+; no cluster needed): install "
            + "kubectl, e.g. https://kubernetes.io/docs/tasks/tools/";

    private static volatile Boolean available;

    private Kubectl() {
    }

    static String executable() {
        String configured = System.getProperty("storefront.kubectl", System.getenv("KUBECTL"));
        return configured == null || configured.isBlank() ? "kubectl" : configured;
    }

    /** Fails with a clear message when kubectl is missing. */
    static void require() {
        if (available == null) {
            try {
                available = run("version", "--client").exitCode() == 0;
            } catch (IllegalStateException e) {
                available = false;
            }
        }
        if (!available) {
            throw new AssertionError(MISSING);
        }
    }

    static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(List.of(args));
        Process process;
        java.nio.file.Path errors = null;
        try {
            errors = java.nio.file.Files.createTempFile("kubectl", ".err");
            process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            delete(errors);
            throw new IllegalStateException(MISSING, e);
        }
        try {
            process.getOutputStream().close();
            String out = drain(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), out, java.nio.file.Files.readString(errors));
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            throw new IllegalStateException("failed: " + command, e);
        } finally {
            delete(errors);
        }
    }

    private static void delete(java.nio.file.Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
