package io.storefront.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port < 65000 && free(port + 1) && free(port + 100)) {
                return port;
            }
        }
        throw new IOException("no free port pair found");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
