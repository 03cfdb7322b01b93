package io.storefront.platform.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.TestRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitopsSourceTest {

    @Test
    void theRepositoryAsShippedNamesThePlaceholderThatRootYamlCarries() {
        GitopsSource source = GitopsSource.read(TestRepository.REAL);

        assertThat(source.isPlaceholder()).isTrue();
        assertThat(source.placeholderUrl()).isEqualTo(TestRepository.PLACEHOLDER);
        assertThat(source.targetRevision()).isEqualTo("main");
    }

    @Test
    void aForkIsNotThePlaceholderWhateverTheSpellingOfItsSuffix(@TempDir Path dir) {
        assertThat(GitopsSource.read(TestRepository.create(dir, TestRepository.FORK)).isPlaceholder()).isFalse();
        assertThat(new GitopsSource("https://github.com/storefront-gitops/storefront/", "main",
                TestRepository.PLACEHOLDER).isPlaceholder()).isTrue();
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(Version.parse("v1.39.0").isBefore(Version.parse("v1.100.0"))).isTrue();
        assertThat(Version.parse("1.35.1-beta.0")).isEqualTo(new Version(1, 35, 1));
        assertThat(Version.parse("17")).isEqualTo(new Version(17, 0, 0));
    }
}
