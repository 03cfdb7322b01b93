package io.storefront.platform.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.FakeShell;
import io.storefront.platform.cluster.ClusterProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayVerificationTest {

    @Test
    void runsSampleDataThenTheAuditAgainstThePortForwardedGateway(@TempDir Path repository) throws IOException {
        Path jar = repository.resolve(GatewayVerification.LOCAL_STACK_JAR);
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        FakeShell shell = new FakeShell();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // Stands in for the port kubectl port-forward opens.
        try (ServerSocket gateway = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = gateway.getLocalPort();
            new GatewayVerification(shell, repository, ClusterProfile.of("storefront", "containerd"),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(port);

            assertThat(shell.started).containsExactly(
                    "kubectl --context=storefront -n istio-system port-forward svc/istio-ingressgateway " + port + ":80");
            assertThat(shell.changes).hasSize(2);
            assertThat(shell.changes.get(0)).endsWith(jar + " sample-data --base-url http://localhost:" + port
                    + " --timeout 120");
            assertThat(shell.changes.get(1)).endsWith(jar + " audit --base-url http://localhost:" + port);
        }
    }
}
