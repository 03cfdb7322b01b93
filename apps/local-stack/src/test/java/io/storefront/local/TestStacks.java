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
                new StackConfig.Service("accounts", freePortPair()),
                new StackConfig.Service("orders", freePortPair()),
                new StackConfig.Service("fulfillment", freePortPair()));
        int kafka = freePortPair();
        return StackConfig.defaults(apps).withServices(services)
                .withInfrastructure(freePortPair(), kafka, data);
    }

    /** A port p such that p and p + 1 and p + 100 are free (service + management, broker + controller). */
    static int freePortPair() {
        return FreePorts.pair();
    }

}
