package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * clusters/minikube/storefront: the image tag in its kustomization.yaml is the one value a deploy changes
 * (`kustomize edit set image`, docs/gitops.md), and that file holds nothing else worth keeping comments for.
 */
class StorefrontOverlayTest {

    static final String OVERLAY = "clusters/minikube/storefront";
    static final String CREDENTIALS = OVERLAY + "/dev-credentials/kustomization.yaml";

    @Test
    void aNewImageTagMovesEveryVersionLabelWithIt(@TempDir Path temp) throws IOException {
        String tag = Repository.version() + "-0123abcdef01";
        String registry = "ghcr.io/example";
        copy(Repository.path(OVERLAY), temp.resolve(OVERLAY));
        copy(Repository.path("kustomize"), temp.resolve("kustomize"));
        // What `kustomize edit set image storefront/<svc>=<registry>/storefront/<svc>:<tag>` writes for each service.
        Path kustomization = temp.resolve(OVERLAY).resolve("kustomization.yaml");
        Map<String, Object> edited = Yamls.parseMap(Files.readString(kustomization));
        for (Map<String, Object> image : Yamls.maps(edited.get("images"))) {
            image.put("newName", registry + "/" + image.get("name"));
            image.put("newTag", tag);
        }
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(kustomization, new Yaml(block).dump(edited));

        Kubectl.require();
        Kubectl.Result result = Kubectl.run("kustomize", temp.resolve(OVERLAY).toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<Manifest> objects = Manifest.parse(OVERLAY, result.stdout());

        List<Manifest> deployments = CrossReferences.storefrontDeployments(objects);
        assertThat(deployments).extracting(Manifest::name)
                .containsExactlyInAnyOrderElementsOf(CrossReferencesTest.serviceModules());
        for (Manifest deployment : deployments) {
            assertThat(CrossReferencesTest.mainContainer(deployment).get("image"))
                    .isEqualTo(registry + "/storefront/" + deployment.name() + ":" + tag);
            assertThat(Yamls.map(Yamls.at(Workloads.podTemplate(deployment), "metadata", "labels")))
                    .as(deployment.id() + " pod labels")
                    .containsEntry("version", tag).containsEntry("app.kubernetes.io/version", tag);
        }
        for (Manifest object : objects) {
            if (object.labels().containsKey("app")) {
                assertThat(object.labels()).as(object.id() + " labels")
                        .containsEntry("version", tag).containsEntry("app.kubernetes.io/version", tag);
            }
        }
        assertThat(CrossReferences.images(objects, Repository.version(), CrossReferencesTest.serviceModules()))
                .isEmpty();
    }

    @Test
    void theFileAnImageEditRewritesHoldsOnlyTheWiringAndTheImages() {
        // kustomize rewrites the whole file and keeps only the comments above its top-level fields: the credentials
        // live in dev-credentials/, the version labels in version-labels.yaml.
        Map<String, Object> kustomization = Yamls.parseMap(Repository.read(OVERLAY + "/kustomization.yaml"));
        assertThat(kustomization.keySet()).containsExactlyInAnyOrder("apiVersion", "kind", "resources", "namespace",
                "images", "replacements", "components");
    }

    @Test
    void theDevCredentialsAreMarkedDevOnly() {
        String credentials = Repository.read(CREDENTIALS);
        assertThat(credentials).contains("# DEV-ONLY credentials");
        List<Map<String, Object>> generators = Yamls.maps(Yamls.parseMap(credentials).get("secretGenerator"));
        assertThat(generators).isNotEmpty();
        for (Map<String, Object> generator : generators) {
            assertThat(Yamls.list(generator.get("literals"))).isNotEmpty()
                    .allSatisfy(literal -> assertThat(String.valueOf(literal)).contains("dev-only-"));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
