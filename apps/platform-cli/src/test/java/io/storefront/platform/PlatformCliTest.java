package io.storefront.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefront.platform.check.HostResources;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.images.StorefrontKustomization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformCliTest {

    static final String HEAD = "1111111111111111111111111111111111111111";

    @TempDir
    Path dir;

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    PlatformCli cli(FakeShell shell, String repoUrl) {
        return new PlatformCli(shell, TestRepository.create(dir, repoUrl), ClusterProfile.of("storefront", "containerd"),
                new HostResources(8, 16384), d -> { }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    static FakeShell machine() {
        return new FakeShell()
                .answer("minikube version", CommandResult.success("v1.39.0\n"))
                .answer("minikube profile list", CommandResult.success("{\"invalid\":[],\"valid\":[]}"))
                .answer("kubectl version", CommandResult.success("{\"clientVersion\":{\"gitVersion\":\"v1.36.0\"}}"))
                .answer("git --version", CommandResult.success("git version 2.47.3\n"))
                .answer("git status --porcelain", CommandResult.success(""))
                .answer("git rev-parse HEAD", CommandResult.success(HEAD + "\n"))
                .answer("git ls-remote", CommandResult.success(HEAD + "\trefs/heads/main\n"));
    }

    @Test
    void upStopsBeforeStartingMinikubeWhenThePreflightFails() {
        FakeShell shell = machine();

        int exit = cli(shell, TestRepository.PLACEHOLDER).run("up", Duration.ofMinutes(1), 8080);

        assertThat(exit).isEqualTo(1);
        assertThat(shell.changes).isEmpty();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("still names the placeholder")
                .doesNotContain("starting minikube");
    }

    @Test
    void upStartsThePinnedProfileBuildsTarballsForTheNodeAndBootstrapsArgoCdInOrder() {
        FakeShell shell = machine()
                .answer("kubectl --context=storefront get nodes", CommandResult.success("arm64"))
                .answer("kubectl --context=storefront -n argocd get applications.argoproj.io", CommandResult.success(
                        "{\"items\":[{\"metadata\":{\"name\":\"root\"},\"status\":{\"sync\":{\"status\":\"Synced\"},"
                                + "\"health\":{\"status\":\"Healthy\"}}}]}"))
                .answer("kubectl --context=storefront -n argocd get secrets", CommandResult.success("{\"items\":[]}"))
                .answer("kubectl --context=storefront -n observability get secrets", CommandResult.success("{\"items\":[]}"))
                .answer("kubectl --context=storefront -n storefront-kafka-project get secrets",
                        CommandResult.success("{\"items\":[]}"))
                .answer("kubectl --context=storefront -n mongo get secrets", CommandResult.success("{\"items\":[]}"));

        int exit = cli(shell, TestRepository.FORK).run("up", Duration.ofMinutes(1), 8080);

        assertThat(exit).isEqualTo(0);
        assertThat(shell.changes).hasSize(10);
        assertThat(shell.changes.get(0)).isEqualTo("minikube start --profile=storefront --kubernetes-version=" + ClusterProfile.KUBERNETES_VERSION
                + " --cpus=4 --memory=8192mb --container-runtime=containerd");
        assertThat(shell.changes.get(1)).contains("mvnw -B -DskipTests -pl apps/accounts,apps/orders,apps/fulfillment"
                + " -am package jib:buildTar -Djib.to.tags=0.1.0 -Djib.from.platforms=linux/arm64 -Dgit.commit=" + HEAD);
        assertThat(shell.changes.get(2)).startsWith("minikube image load --profile=storefront ")
                .endsWith("apps/accounts/target/jib-image.tar");
        assertThat(shell.changes.get(5)).isEqualTo(
                "kubectl --context=storefront apply --server-side --force-conflicts -k .argocd/install");
        assertThat(shell.changes.get(9)).isEqualTo("kubectl --context=storefront apply -k .argocd/root");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("every Application is Synced and Healthy",
                "kubectl --context=storefront -n istio-system port-forward svc/istio-ingressgateway 8080:80");
    }

    @Test
    void downDeletesOnlyTheNamedProfile() {
        FakeShell shell = new FakeShell();

        assertThat(cli(shell, TestRepository.FORK).run("down", Duration.ofMinutes(1), 8080)).isZero();

        assertThat(shell.changes).containsExactly("minikube delete --profile=storefront");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("deleting minikube profile storefront");
    }

    @Test
    void imagesRefusesUncommittedCodeAndChangesNothing() {
        FakeShell shell = machine().answer("git status --porcelain -- apps pom.xml .mvn",
                CommandResult.success(" M apps/orders/src/main/java/Foo.java\n"));

        assertThat(cli(shell, TestRepository.FORK).run("images", Duration.ofMinutes(1), 8080)).isEqualTo(1);

        assertThat(shell.changes).isEmpty();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("commit the code first");
    }

    @Test
    void imagesBuildsTheCommitsTagLoadsItAndSetsItInTheOverlay() throws IOException {
        String tag = "0.1.0-111111111111";
        FakeShell shell = machine()
                .answer("git rev-parse --short=12 HEAD", CommandResult.success("111111111111\n"))
                .answer("kubectl --context=storefront get nodes", CommandResult.success("amd64"))
                .answer("kubectl kustomize clusters/minikube/storefront", CommandResult.success(rendered(tag)));
        PlatformCli cli = cli(shell, TestRepository.FORK);
        Path file = dir.resolve(StorefrontKustomization.FILE);

        assertThat(cli.run("images", Duration.ofMinutes(1), 8080)).isZero();

        assertThat(shell.changes).hasSize(4);
        assertThat(shell.changes.get(0)).contains("jib:buildTar -Djib.to.tags=" + tag + " -Djib.from.platforms=linux/amd64");
        assertThat(Files.readString(file)).contains("newTag: \"" + tag + "\"");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("git commit -m \"storefront: deploy " + tag + "\"");
    }

    @Test
    void imagesPutsTheOverlayBackWhenTheRenderedImagesDoNotCarryTheTag() throws IOException {
        FakeShell shell = machine()
                .answer("git rev-parse --short=12 HEAD", CommandResult.success("111111111111\n"))
                .answer("kubectl --context=storefront get nodes", CommandResult.success("amd64"))
                .answer("kubectl kustomize clusters/minikube/storefront", CommandResult.success(rendered("0.1.0")));
        PlatformCli cli = cli(shell, TestRepository.FORK);
        Path file = dir.resolve(StorefrontKustomization.FILE);
        String before = Files.readString(file);

        assertThat(cli.run("images", Duration.ofMinutes(1), 8080)).isEqualTo(1);

        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("the rendered overlay does not run storefront/accounts:0.1.0-111111111111", "left as it was");
    }

    static String rendered(String tag) {
        return "        image: storefront/accounts:" + tag + "\n        image: storefront/orders:" + tag
                + "\n        image: storefront/fulfillment:" + tag + "\n";
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        assertThatThrownBy(() -> Options.parse(new String[] {"deploy"})).hasMessageContaining("unknown command 'deploy'");
        assertThatThrownBy(() -> Options.parse(new String[] {"up", "--cpus=2"})).hasMessageContaining("unknown option '--cpus'");
        assertThatThrownBy(() -> Options.parse(new String[] {"up", "--container-runtime=rkt"}))
                .hasMessageContaining("containerd, docker, cri-o");
        assertThat(Options.parse(new String[] {"check", "--profile=demo"}).profile().name()).isEqualTo("demo");
    }
}
