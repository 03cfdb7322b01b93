package io.storefront.platform.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.FakeShell;
import io.storefront.platform.TestRepository;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

    static final String HEAD = "1111111111111111111111111111111111111111";
    static final String OTHER = "2222222222222222222222222222222222222222";
    static final ClusterProfile PROFILE = ClusterProfile.of("storefront", "containerd");
    static final String K8S = ClusterProfile.KUBERNETES_VERSION;
    static final HostResources ROOMY_HOST = new HostResources(8, 16384);

    @TempDir
    Path dir;

    final FakeShell shell = healthyMachine();

    /** A machine where every check passes: the tools in range, no profile yet, a fork whose main is HEAD. */
    static FakeShell healthyMachine() {
        return new FakeShell()
                .answer("minikube version", CommandResult.success("v1.39.0\n"))
                .answer("minikube profile list", CommandResult.success("{\"invalid\":[],\"valid\":[]}"))
                .answer("kubectl version", CommandResult.success(
                        "{\"clientVersion\":{\"major\":\"1\",\"minor\":\"36\",\"gitVersion\":\"v1.36.0\"}}"))
                .answer("git --version", CommandResult.success("git version 2.47.3\n"))
                .answer("git status --porcelain", CommandResult.success(""))
                .answer("git rev-parse HEAD", CommandResult.success(HEAD + "\n"))
                .answer("git ls-remote", CommandResult.success(HEAD + "\tHEAD\n" + HEAD + "\trefs/heads/main\n"))
                .answer("git merge-base --is-ancestor", CommandResult.failure(1, ""));
    }

    List<Finding> preflight(String repoUrl) {
        return preflight(repoUrl, ROOMY_HOST);
    }

    List<Finding> preflight(String repoUrl, HostResources host) {
        return new Preflight(shell, PROFILE, TestRepository.create(dir, repoUrl), host, Version.parse("17.0.12")).run();
    }

    static List<Finding> failed(List<Finding> findings) {
        return findings.stream().filter(f -> !f.passed()).toList();
    }

    @AfterEach
    void nothingWasChanged() {
        assertThat(shell.changes).as("commands that change something").isEmpty();
        assertThat(shell.started).isEmpty();
    }

    @Test
    void everyCheckPassesOnAMachineThatHasWhatUpNeeds() {
        List<Finding> findings = preflight(TestRepository.FORK);

        assertThat(failed(findings)).isEmpty();
        assertThat(findings).extracting(Finding::check).contains("minikube", "kubectl", "git", "java", "mvnw", "cpus",
                "memory", "profile", "work tree", "gitops source");
    }

    @Test
    void aMissingMinikubeSaysWhichVersionToInstall() {
        shell.withoutTool("minikube");

        List<Finding> failed = failed(preflight(TestRepository.FORK));

        assertThat(failed).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("minikube");
            assertThat(f.message()).contains("not found on the PATH", "install minikube v1.39.0 or newer");
        });
    }

    @Test
    void aMissingKubectlSaysWhichVersionsFitTheCluster() {
        shell.withoutTool("kubectl");

        assertThat(failed(preflight(TestRepository.FORK))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("not found", "kubectl v1.35 to v1.37"));
    }

    @Test
    void aMinikubeOlderThanTheWalkthroughIsRefused() {
        shell.answer("minikube version", CommandResult.success("v1.38.1\n"));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("v1.38.1 is too old"));
    }

    @Test
    void aMinikubeThatPrintsAWarningBeforeItsVersionIsStillRead() {
        shell.answer("minikube version", CommandResult.success("! an update is available\nv1.40.2\n"));

        assertThat(failed(preflight(TestRepository.FORK))).isEmpty();
    }

    @Test
    void aKubectlMoreThanOneMinorVersionAwayIsRefused() {
        shell.answer("kubectl version", CommandResult.success("{\"clientVersion\":{\"gitVersion\":\"v1.32.4\"}}"));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("v1.32.4 is outside the supported skew"));
    }

    @Test
    void anExistingProfileWithAnotherContainerRuntimeMustBeRecreated() {
        shell.answer("minikube profile list", CommandResult.success(profileList("docker", K8S, 4, 8192)));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("profile");
            assertThat(f.message()).contains("runs the container runtime 'docker', not 'containerd'", "down");
        });
    }

    @Test
    void anExistingProfileWithTheSameSettingsPasses() {
        shell.answer("minikube profile list", CommandResult.success(profileList("containerd", K8S, 4, 8192)));

        List<Finding> findings = preflight(TestRepository.FORK);

        assertThat(failed(findings)).isEmpty();
        assertThat(findings).filteredOn(f -> f.check().equals("profile")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("driver docker", "runtime containerd"));
    }

    @Test
    void anExistingProfileThatIsTooSmallMustBeRecreated() {
        shell.answer("minikube profile list", CommandResult.success(profileList("containerd", K8S, 2, 4096)));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("2 CPUs and 4096 MB, less than 4 CPUs and 8192 MB"));
    }

    @Test
    void aMachineWithTooLittleMemoryOrTooFewCpusIsRefused() {
        List<Finding> failed = failed(preflight(TestRepository.FORK, new HostResources(2, 8000)));

        assertThat(failed).extracting(Finding::check).containsExactly("cpus", "memory");
        assertThat(failed.get(1).message()).contains("needs 8192 MB plus 2048 MB");
    }

    @Test
    void thePlaceholderRepositoryAsksForTheForkFirst() {
        List<Finding> failed = failed(preflight(TestRepository.PLACEHOLDER));

        assertThat(failed).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("gitops source");
            assertThat(f.message()).contains("still names the placeholder", "fork the repository", "step 0");
        });
        assertThat(shell.queries).noneMatch(q -> q.startsWith("git ls-remote"));
    }

    @Test
    void aRevisionThatDoesNotHoldTheCheckedOutCommitAsksForAPush() {
        shell.answer("git ls-remote", CommandResult.success(OTHER + "\trefs/heads/main\n"));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("gitops source");
            assertThat(f.message()).contains("does not contain the checked-out commit 111111111111",
                    "git push <your fork's remote> HEAD:main");
        });
    }

    @Test
    void aRevisionAheadOfTheCheckedOutCommitPassesAndSaysWhatIsDeployed() {
        shell.answer("git ls-remote", CommandResult.success(OTHER + "\trefs/heads/main\n"))
                .answer("git merge-base --is-ancestor", CommandResult.success(""));

        List<Finding> findings = preflight(TestRepository.FORK);

        assertThat(failed(findings)).isEmpty();
        assertThat(findings).filteredOn(f -> f.check().equals("gitops source")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("Argo CD deploys 222222222222"));
    }

    @Test
    void aBranchMissingFromTheForkIsNamed() {
        shell.answer("git ls-remote", CommandResult.success(HEAD + "\trefs/heads/develop\n"));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("no branch or tag 'main' in " + TestRepository.FORK));
    }

    @Test
    void anUnreachableForkIsNamedWithGitsReason() {
        shell.answer("git ls-remote", CommandResult.failure(128, "fatal: repository not found\n"));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("cannot read " + TestRepository.FORK,
                        "fatal: repository not found", "correct data.repoURL"));
    }

    @Test
    void uncommittedChangesAreRefusedBecauseArgoCdDeploysWhatIsPushed() {
        shell.answer("git status --porcelain", CommandResult.success(" M apps/accounts/pom.xml\n?? notes.txt\n"));

        assertThat(failed(preflight(TestRepository.FORK))).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("work tree");
            assertThat(f.message()).contains("2 uncommitted change(s)", "commit and push");
        });
    }

    @Test
    void theReportEndsWithWhatFailedAndThatNothingChanged() {
        shell.withoutTool("minikube");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        boolean passed = new Preflight(shell, PROFILE, TestRepository.create(dir, TestRepository.FORK), ROOMY_HOST,
                Version.parse("17.0.12")).runAndReport(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(passed).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("  FIX   minikube: not found on the PATH", "1 check(s) failed", "nothing was changed");
    }

    static String profileList(String runtime, String kubernetes, int cpus, int memory) {
        return """
                {"invalid":[],"valid":[{"Name":"storefront","Status":"Running","Config":{"Name":"storefront",
                "Driver":"docker","CPUs":%d,"Memory":%d,"KubernetesConfig":{"KubernetesVersion":"%s",
                "ContainerRuntime":"%s"}}}]}""".formatted(cpus, memory, kubernetes, runtime);
    }
}
