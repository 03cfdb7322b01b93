package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RenderedTest {

    @Test
    void everyKustomizationFolderRendersOffline() {
        Map<String, Rendered.Rendering> all = Rendered.all();
        assertThat(all).hasSizeGreaterThan(20);
        assertThat(all.values()).filteredOn(r -> !r.ok())
                .extracting(r -> r.folder() + ": " + r.error()).isEmpty();
    }

    @Test
    void onlyArgoCdInstallNeedsNetworkAndItsUpstreamIsPinned() {
        Map<String, Rendered.Rendering> all = Rendered.all();
        assertThat(all.values()).filteredOn(r -> !r.remoteResources().isEmpty())
                .extracting(Rendered.Rendering::folder).containsExactly(".argocd/install");
        Rendered.Rendering install = all.get(".argocd/install");
        assertThat(install.remoteResources()).isNotEmpty()
                .allSatisfy(url -> assertThat(url).matches(Rendered.PINNED_REMOTE));
        assertThat(Rendered.remoteProblems(".argocd/install", install.remoteResources())).isEmpty();
        // Rendered without the URL: our own part (namespace; the config patches target upstream objects).
        assertThat(install.objects()).extracting(Manifest::kind).contains("Namespace");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://raw.githubusercontent.com/argoproj/argo-cd/latest/manifests/install.yaml",
            "https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml",
            "https://raw.githubusercontent.com/argoproj/argo-cd/master/manifests/install.yaml",
            "https://raw.githubusercontent.com/argoproj/argo-cd/HEAD/manifests/install.yaml",
            "github.com/argoproj/argo-cd//manifests/crds?ref=master",
            "github.com/argoproj/argo-cd//manifests/crds"})
    void unpinnedRemoteResourceIsRejected(String url) {
        assertThat(Rendered.remoteProblems(".argocd/install", List.of(url))).anySatisfy(p -> assertThat(p)
                .contains("not pinned"));
    }

    @Test
    void pinnedRemoteResourceIsAcceptedOnlyInTheNetworkFolder() {
        String url = "https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.3/manifests/install.yaml";
        assertThat(Rendered.remoteProblems(".argocd/install", List.of(url))).isEmpty();
        assertThat(Rendered.remoteProblems(".argocd/install",
                List.of("github.com/argoproj/argo-cd//manifests/crds?ref=v3.5.3"))).isEmpty();
        assertThat(Rendered.remoteProblems("platform/mongodb", List.of(url)))
                .anySatisfy(p -> assertThat(p).contains("only [.argocd/install] may need network"));
    }

    @Test
    void remoteResourcesAreFoundInResourcesComponentsAndBases() {
        Map<String, Object> kustomization = Yamls.parseMap("""
                resources: [a.yaml, "https://example.com/v1.0.0/x.yaml"]
                components: ["github.com/o/r//c?ref=v1.2.3"]
                """);
        assertThat(Rendered.remoteResources(kustomization))
                .containsExactly("https://example.com/v1.0.0/x.yaml", "github.com/o/r//c?ref=v1.2.3");
    }

    @Test
    void aMissingFolderIsAnError() {
        assertThat(Rendered.folder("clusters/minikube/does-not-exist").error()).isEqualTo("path does not exist");
    }

    @Test
    void missingKubectlFailsWithAClearMessage() {
        System.setProperty("storefront.kubectl", "/nonexistent/kubectl");
        try {
            assertThatThrownBy(() -> Kubectl.run("version", "--client"))
                    .hasMessageContaining("kubectl is not on the PATH");
        } finally {
            System.clearProperty("storefront.kubectl");
        }
    }

    @AfterAll
    static void summary() {
        Map<String, Rendered.Rendering> all = Rendered.all();
        System.out.printf("[manifest-verification] rendered %d kustomization folders (%d objects) in %d ms%n",
                all.size(), all.values().stream().mapToInt(r -> r.objects().size()).sum(), Rendered.renderMillis());
    }
}
