package io.storefront.platform.check;

import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Json;
import io.storefront.platform.shell.Shell;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An existing minikube profile of the same name must have been started with the settings `up` uses: minikube keeps
 * a profile's container runtime, CPUs, memory and Kubernetes version, so `minikube start` cannot correct them.
 */
public final class ProfileCheck {

    private final Shell shell;
    private final ClusterProfile profile;

    public ProfileCheck(Shell shell, ClusterProfile profile) {
        this.shell = shell;
        this.profile = profile;
    }

    public List<Finding> run() {
        CommandResult result = shell.query(List.of("minikube", "profile", "list", "--output=json"));
        if (result.toolMissing()) {
            return List.of(); // reported by ToolsCheck
        }
        JsonNode profiles = Json.parse(result.stdout());
        for (JsonNode invalid : profiles.path("invalid")) {
            if (profile.name().equals(invalid.path("Name").asString(""))) {
                return List.of(Finding.fix("profile", "minikube profile " + profile.name() + " is invalid; delete it with `"
                        + String.join(" ", profile.deleteCommand()) + "`"));
            }
        }
        for (JsonNode valid : profiles.path("valid")) {
            if (profile.name().equals(valid.path("Name").asString(""))) {
                return List.of(compare(valid));
            }
        }
        return List.of(Finding.ok("profile", "no profile " + profile.name() + " yet; `up` creates it ("
                + String.join(" ", profile.startCommand()) + ")"));
    }

    /** minikube accepts "cri-o" and stores it as "crio". */
    private static boolean sameRuntime(String wanted, String actual) {
        return wanted.replace("-", "").equals(actual.replace("-", ""));
    }

    private Finding compare(JsonNode existing) {
        JsonNode config = existing.path("Config");
        String runtime = config.path("KubernetesConfig").path("ContainerRuntime").asString("");
        String kubernetes = config.path("KubernetesConfig").path("KubernetesVersion").asString("");
        String driver = config.path("Driver").asString("?");
        int cpus = config.path("CPUs").asInt(0);
        int memory = config.path("Memory").asInt(0);
        String recreate = "; minikube cannot change that on an existing profile: delete it (`java -jar "
                + "apps/platform-cli/target/platform-cli.jar down --profile=" + profile.name() + "`) and run `up` again";
        if (!sameRuntime(profile.containerRuntime(), runtime)) {
            return Finding.fix("profile", "profile " + profile.name() + " runs the container runtime '" + runtime
                    + "', not '" + profile.containerRuntime() + "'" + recreate
                    + " (or pass --container-runtime=" + runtime + ")");
        }
        if (!profile.kubernetesVersion().equals(kubernetes)) {
            return Finding.fix("profile", "profile " + profile.name() + " runs Kubernetes " + kubernetes + ", not "
                    + profile.kubernetesVersion() + recreate);
        }
        if (cpus < profile.cpus() || memory < profile.memoryMb()) {
            return Finding.fix("profile", "profile " + profile.name() + " has " + cpus + " CPUs and " + memory
                    + " MB, less than " + profile.cpus() + " CPUs and " + profile.memoryMb() + " MB" + recreate);
        }
        return Finding.ok("profile", profile.name() + " exists (" + existing.path("Status").asString("?")
                + ", driver " + driver + ", runtime " + runtime + ", Kubernetes " + kubernetes + ")");
    }
}
