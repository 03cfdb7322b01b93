package io.storefront.systemtests;

import io.storefront.local.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A local stack on free ports in a temporary folder, for tests that run the services as real processes. */
final class TestStacks {

    private TestStacks() {
    }

    /** The folder holding the modules (the build passes {@code storefront.apps.dir}). */
    static Path appsDir() {
        return Path.of(System.getProperty("storefront.apps.dir", "..")).toAbsolutePath().normalize();
    }

    static StackConfig freshConfig() throws IOException {
        return StackConfig.onFreePorts(appsDir(), Files.createTempDirectory("storefront-stack-"));
    }
}
