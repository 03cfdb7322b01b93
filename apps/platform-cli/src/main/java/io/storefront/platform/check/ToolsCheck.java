package io.storefront.platform.check;

import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Json;
import io.storefront.platform.shell.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** minikube, kubectl, git, the running JDK and the Maven wrapper: present, and in versions that work together. */
public final class ToolsCheck {

    private static final int MINIMUM_JAVA = 17;

    private final Shell shell;
    private final ClusterProfile profile;
    private final Path repository;
    private final Version javaVersion;

    public ToolsCheck(Shell shell, ClusterProfile profile, Path repository, Version javaVersion) {
        this.shell = shell;
        this.profile = profile;
        this.repository = repository;
        this.javaVersion = javaVersion;
    }

    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        findings.add(minikube());
        findings.add(kubectl());
        findings.add(git());
        findings.add(java());
        findings.add(mavenWrapper());
        return findings;
    }

    private Finding minikube() {
        String wanted = "install minikube v" + ClusterProfile.MINIMUM_MINIKUBE + " or newer"
                + " (https://minikube.sigs.k8s.io/docs/start/)";
        CommandResult result = shell.query(List.of("minikube", "version", "--short"));
        if (result.toolMissing()) {
            return Finding.fix("minikube", "not found on the PATH; " + wanted);
        }
        if (!result.succeeded()) {
            return Finding.fix("minikube", "`minikube version` failed (" + result.firstErrorLine() + "); " + wanted);
        }
        java.util.Optional<Version> found = Version.find(result.stdout());
        if (found.isEmpty()) {
            return Finding.fix("minikube", "cannot read a version from `minikube version --short` ("
                    + result.firstErrorLine() + "); " + wanted);
        }
        Version version = found.get();
        if (version.isBefore(ClusterProfile.MINIMUM_MINIKUBE)) {
            return Finding.fix("minikube", "v" + version + " is too old; " + wanted);
        }
        return Finding.ok("minikube", "v" + version);
    }

    private Finding kubectl() {
        Version cluster = profile.kubernetes();
        String wanted = "install kubectl v" + cluster.major() + "." + (cluster.minor() - 1) + " to v" + cluster.major()
                + "." + (cluster.minor() + 1) + " (one minor version from the cluster's Kubernetes v" + cluster
                + "; https://kubernetes.io/docs/tasks/tools/)";
        CommandResult result = shell.query(List.of("kubectl", "version", "--client", "--output=json"));
        if (result.toolMissing()) {
            return Finding.fix("kubectl", "not found on the PATH; " + wanted);
        }
        String gitVersion = Json.parse(result.stdout()).path("clientVersion").path("gitVersion").asString("");
        if (!result.succeeded() || gitVersion.isEmpty()) {
            return Finding.fix("kubectl", "`kubectl version --client` failed (" + result.firstErrorLine() + "); " + wanted);
        }
        Version version = Version.parse(gitVersion);
        if (version.major() != cluster.major() || Math.abs(version.minor() - cluster.minor()) > 1) {
            return Finding.fix("kubectl", "v" + version + " is outside the supported skew; " + wanted);
        }
        return Finding.ok("kubectl", "v" + version);
    }

    private Finding git() {
        CommandResult result = shell.query(List.of("git", "--version"));
        if (!result.succeeded()) {
            return Finding.fix("git", "not found on the PATH; install git (https://git-scm.com/downloads)");
        }
        return Finding.ok("git", result.stdout().strip());
    }

    private Finding java() {
        if (javaVersion.major() < MINIMUM_JAVA) {
            return Finding.fix("java", "running on Java " + javaVersion + "; run this command with a JDK "
                    + MINIMUM_JAVA + " or newer (it also builds the images)");
        }
        return Finding.ok("java", "Java " + javaVersion + " (" + System.getProperty("java.home", "?") + ")");
    }

    private Finding mavenWrapper() {
        Path script = repository.resolve(MavenWrapper.scriptName());
        Path properties = repository.resolve(".mvn/wrapper/maven-wrapper.properties");
        if (!Files.isRegularFile(script) || !Files.isRegularFile(properties)) {
            return Finding.fix("mvnw", "no Maven wrapper in " + repository + "; run this command from a full clone "
                    + "of the repository");
        }
        if (!MavenWrapper.onWindows() && !Files.isExecutable(script)) {
            return Finding.fix("mvnw", script + " is not executable; run `chmod +x mvnw`");
        }
        return Finding.ok("mvnw", script.toString());
    }
}
