package io.storefront.platform.cluster;

import io.storefront.platform.check.Version;
import java.util.List;

/**
 * The minikube profile the platform runs in, and the one place its sizes and versions are written down.
 *
 * <p>4 CPUs and 8 GiB: the platform requests about 1.85 CPU and 5.6 GiB with Argo CD, Kubernetes' own pods about
 * 0.75 CPU and 0.2 GiB (docs/platform.md "Sizing"); the rest is room for rolling updates. Kubernetes v1.36.2, named
 * because minikube 1.39's default (v1.37) is newer than what Istio 1.30 (1.32-1.36) and Argo CD 3.5 (1.33-1.36)
 * support (docs/platform.md "Versions these docs were written for").
 */
public record ClusterProfile(String name, String kubernetesVersion, int cpus, int memoryMb, String containerRuntime) {

    public static final String DEFAULT_NAME = "storefront";
    public static final String KUBERNETES_VERSION = "v1.36.2";
    public static final int CPUS = 4;
    public static final int MEMORY_MB = 8192;
    public static final String DEFAULT_RUNTIME = "containerd";
    public static final List<String> RUNTIMES = List.of("containerd", "docker", "cri-o");
    /** The minikube release the walkthrough is written for; older ones are refused by the preflight. */
    public static final Version MINIMUM_MINIKUBE = Version.parse("v1.39.0");
    /** What the host keeps for itself and the image build, on top of the profile's memory. */
    public static final int HOST_RESERVE_MB = 2048;

    public ClusterProfile {
        if (!RUNTIMES.contains(containerRuntime)) {
            throw new IllegalArgumentException("container runtime must be one of " + RUNTIMES + ", not " + containerRuntime);
        }
    }

    public static ClusterProfile of(String name, String containerRuntime) {
        return new ClusterProfile(name, KUBERNETES_VERSION, CPUS, MEMORY_MB, containerRuntime);
    }

    public Version kubernetes() {
        return Version.parse(kubernetesVersion);
    }

    /** {@code minikube start} with every setting explicit; on an existing profile it starts it again unchanged. */
    public List<String> startCommand() {
        return List.of("minikube", "start", "--profile=" + name, "--kubernetes-version=" + kubernetesVersion,
                "--cpus=" + cpus, "--memory=" + memoryMb + "mb", "--container-runtime=" + containerRuntime);
    }

    public List<String> deleteCommand() {
        return List.of("minikube", "delete", "--profile=" + name);
    }

    public List<String> imageLoadCommand(String tarPath) {
        return List.of("minikube", "image", "load", "--profile=" + name, tarPath);
    }

    /** kubectl against this profile's cluster, whatever the current context is. */
    public List<String> kubectl(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--context=" + name));
        command.addAll(List.of(arguments));
        return List.copyOf(command);
    }
}
