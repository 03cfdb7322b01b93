package io.storefront.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a jar's unpacked copy and archive live. (The fallback to the plain jar when unpacking fails runs java, so it
 * is a system test: apps/system-tests.)
 */
class ClassDataSharingTest {

    @TempDir
    Path dir;

    @Test
    void aRebuiltJarGetsItsOwnCacheSoAStaleArchiveIsNeverUsed() throws IOException {
        Path jar = plainJar("service.jar");
        Path before = ClassDataSharing.cacheDir(jar);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(ClassDataSharing.cacheDir(jar)).isNotEqualTo(before)
                .hasParentRaw(jar.toAbsolutePath().normalize().getParent().resolve("cds"));
        assertThat(before.getFileName().toString()).startsWith("service-" + Files.size(jar) + "-");
    }

    private Path plainJar(String name) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }
}
