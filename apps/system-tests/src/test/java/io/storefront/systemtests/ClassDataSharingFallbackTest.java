package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.local.stack.ClassDataSharing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-data sharing only ever makes start-up faster, never impossible: a jar it cannot unpack starts as it is. */
class ClassDataSharingFallbackTest {

    @TempDir
    Path dir;

    @Test
    void aJarThatCannotBeUnpackedStartsAsItIsAndTheLogSaysWhy() throws IOException {
        Path jar = plainJar("not-boot.jar");
        Path log = dir.resolve("logs/not-boot-cds.log");

        List<String> arguments = ClassDataSharing.jarArguments(jar, List.of("-Xmx64m"), log);

        assertThat(arguments).containsExactly("-jar", jar.toString());
        assertThat(Files.readString(log)).contains("Unpacking not-boot.jar")
                .contains("Class-data sharing not prepared, starting the plain jar");
        assertThat(ClassDataSharing.isPrepared(jar)).isFalse();
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
