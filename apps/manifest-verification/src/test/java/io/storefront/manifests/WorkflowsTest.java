package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions workflows (.github/workflows): offline, without GitHub. They parse, every action is pinned to a
 * full commit with its version in a comment, and the repository files their steps run exist.
 */
class WorkflowsTest {

    static final String WORKFLOWS = ".github/workflows";

    /** {@code uses: owner/repo[/path]@<40 hex> # v1.2.3}. */
    static final Pattern PINNED_USES = Pattern.compile(
            "^\\s*(-\\s+)?uses:\\s+[\\w.-]+/[\\w./-]+@[0-9a-f]{40}\\s+#\\s+v\\d+\\.\\d+\\.\\d+\\s*$");
    static final Pattern USES = Pattern.compile("^\\s*(-\\s+)?uses:\\s.*$");
    /** A repository file a step runs: a path into one of the repository's folders, or the Maven wrapper. */
    static final Pattern REPOSITORY_FILE = Pattern.compile(
            "(?<![\\w./-])(?:\\./)?((?:\\.ci|\\.argocd|clusters|apps|kustomize|platform)/[\\w.-]+(?:/[\\w.-]+)*|mvnw)\\b");

    static List<String> workflows() {
        List<String> workflows = Repository.files(n -> n.endsWith(".yml") || n.endsWith(".yaml")).stream()
                .filter(p -> p.startsWith(WORKFLOWS + "/")).toList();
        assertThat(workflows).as("workflows in " + WORKFLOWS).isNotEmpty();
        return workflows;
    }

    @Test
    void everyWorkflowParsesWithJobsThatHaveARunnerAndSteps() {
        for (String workflow : workflows()) {
            Map<String, Object> parsed = Yamls.parseMap(Repository.read(workflow));
            assertThat(parsed).as(workflow).containsKey("name");
            // YAML 1.1 (SnakeYAML) reads the key `on` as the boolean true.
            assertThat(parsed.containsKey("on") || parsed.containsKey(true)).as(workflow + ": on").isTrue();
            Map<String, Object> jobs = Yamls.map(parsed.get("jobs"));
            assertThat(jobs).as(workflow + ": jobs").isNotEmpty();
            jobs.forEach((name, job) -> {
                assertThat(Yamls.map(job)).as(workflow + " job " + name).containsKey("runs-on");
                assertThat(Yamls.maps(Yamls.map(job).get("steps"))).as(workflow + " job " + name + " steps")
                        .isNotEmpty()
                        .allSatisfy(step -> assertThat(step.containsKey("uses") || step.containsKey("run"))
                                .as(workflow + " job " + name + " step " + step).isTrue());
            });
        }
    }

    @Test
    void everyActionIsPinnedToACommitWithItsVersionInAComment() {
        for (String workflow : workflows()) {
            List<String> uses = Repository.read(workflow).lines().filter(l -> USES.matcher(l).matches()).toList();
            assertThat(uses).as(workflow).allSatisfy(line -> assertThat(line).matches(PINNED_USES));
        }
    }

    @Test
    void theFilesTheStepsRunExist() {
        for (String workflow : workflows()) {
            for (String file : repositoryFiles(Repository.read(workflow))) {
                assertThat(Files.exists(Repository.path(file))).as(workflow + " names " + file).isTrue();
            }
        }
    }

    @Test
    void theReleaseSetsTheImageOfEveryService() {
        String release = Repository.read(WORKFLOWS + "/release.yml");
        assertThat(release).contains("kustomize edit set image");
        for (String service : CrossReferencesTest.serviceModules()) {
            assertThat(release).contains("\"storefront/" + service + "=${REGISTRY}/storefront/" + service + ":${TAG}\"");
        }
    }

    @Test
    void workflowsLiveOnlyInGithubWorkflows() {
        List<String> elsewhere = Repository.files(n -> n.endsWith(".yml") || n.endsWith(".yaml")).stream()
                .filter(p -> !p.startsWith(WORKFLOWS + "/"))
                .filter(p -> Repository.read(p).lines().anyMatch(l -> l.matches("^\\s+runs-on:.*"))).toList();
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void brokenWorkflowsAreReported() {
        assertThat("      - uses: actions/checkout@v7").doesNotMatch(PINNED_USES);
        assertThat("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1").doesNotMatch(PINNED_USES);
        assertThat("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1")
                .matches(PINNED_USES);
        assertThat(repositoryFiles("run: .ci/run && ./mvnw -B verify && clusters/minikube/nothing.sh x/y.sh"))
                .containsExactly(".ci/run", "mvnw", "clusters/minikube/nothing.sh");
        assertThat(Files.exists(Repository.path("clusters/minikube/nothing.sh"))).isFalse();
    }

    static List<String> repositoryFiles(String text) {
        List<String> files = new ArrayList<>();
        Matcher matcher = REPOSITORY_FILE.matcher(text);
        while (matcher.find()) {
            if (!matcher.group(1).contains("/target/")) { // what the build makes, not a file of the repository
                files.add(matcher.group(1));
            }
        }
        return files;
    }
}
