package io.storefront.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A local stack on free ports in a temporary folder, for tests that run the services as real processes. */
final class TestStacks {

    private TestStacks() {
    }

    static StackConfig freshConfig() throws IOException {
        Path apps = Path.of(System.getProperty("storefront.apps.dir", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("storefront-stack-");
        List<StackConfig.Service> services = List.of(
                new StackConfig.Service("accounts", FreePorts.pair()),
                new StackConfig.Service("orders", FreePorts.pair()),
                new StackConfig.Service("fulfillment", FreePorts.pair()));
        int kafka = FreePorts.pair();
        return StackConfig.defaults(apps).withServices(services)
                .withInfrastructure(FreePorts.pair(), kafka, data);
    }
}
