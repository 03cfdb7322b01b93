package io.storefront.platform.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefront.platform.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorefrontKustomizationTest {

    static final String REAL = read(TestRepository.REAL.resolve(StorefrontKustomization.FILE));

    @Test
    void theCommittedFileDeploysOneTagForAllThreeImagesFromTheNode() {
        StorefrontKustomization.Deployed deployed = StorefrontKustomization.deployed(REAL);

        assertThat(deployed.newName()).isEmpty();
        assertThat(deployed.tag()).isNotBlank();
    }

    @Test
    void settingATagChangesOnlyTheImageTags() {
        String edited = StorefrontKustomization.withTag(REAL, "0.1.0-abcdef123456");

        List<String> before = REAL.lines().toList();
        List<String> after = edited.lines().toList();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                assertThat(after.get(i)).matches("\\s+newTag: \"0\\.1\\.0-abcdef123456\"");
            }
        }
        assertThat(edited).contains("version-labels.yaml");
        assertThat(StorefrontKustomization.deployed(edited).tag()).isEqualTo("0.1.0-abcdef123456");
    }

    @Test
    void aRegistryNameIsReadAndReplacedByTheNodesImage() {
        String fromRegistry = """
                images:
                  - name: storefront/accounts
                    newName: ghcr.io/alice/storefront/accounts
                    newTag: "0.1.0-aaa"
                  - name: storefront/orders
                    newName: ghcr.io/alice/storefront/orders
                    newTag: "0.1.0-aaa"
                  - name: storefront/fulfillment
                    newName: ghcr.io/alice/storefront/fulfillment
                    newTag: "0.1.0-aaa"
                """;

        assertThat(StorefrontKustomization.deployed(fromRegistry).newName()).isEqualTo(Optional.of("ghcr.io/alice"));
        String edited = StorefrontKustomization.withTag(fromRegistry, "0.1.0-bbb");
        assertThat(edited).doesNotContain("newName").contains("  - name: storefront/orders\n    newTag: \"0.1.0-bbb\"\n");
        assertThat(StorefrontKustomization.deployed(edited)).isEqualTo(
                new StorefrontKustomization.Deployed("0.1.0-bbb", Optional.empty()));
    }

    @Test
    void latestAndMalformedTagsAreRefused() {
        assertThatThrownBy(() -> StorefrontKustomization.withTag(REAL, "latest")).hasMessageContaining("not a usable");
        assertThatThrownBy(() -> StorefrontKustomization.withTag(REAL, "a b")).hasMessageContaining("not a usable");
    }

    @Test
    void aFileWithoutOneOfTheImagesIsLeftAlone(@TempDir Path dir) throws IOException {
        Path repository = TestRepository.create(dir, TestRepository.FORK);
        Path file = repository.resolve(StorefrontKustomization.FILE);
        String withoutOrders = REAL.replace("storefront/orders", "storefront/other");
        Files.writeString(file, withoutOrders);

        assertThatThrownBy(() -> new StorefrontKustomization(repository).setTag("0.2.0"))
                .hasMessageContaining("no entry for [orders]");
        assertThat(Files.readString(file)).isEqualTo(withoutOrders);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
