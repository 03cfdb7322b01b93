package io.storefront.platform.verify;

import io.storefront.platform.access.UserInterfaces;
import io.storefront.platform.check.MavenWrapper;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.RunningCommand;
import io.storefront.platform.shell.Shell;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The storefront through the Istio gateway, end to end: a port-forward to the gateway, then the local stack's
 * sample-data (the seven sample steps, waiting for consistency) and audit (every divergence between the services),
 * both with {@code --base-url}. Either one exits non-zero on a failure or divergence, and so does this.
 */
public final class GatewayVerification {

    static final String LOCAL_STACK_JAR = "apps/local-stack/target/local-stack.jar";
    private static final Duration FORWARD_READY = Duration.ofSeconds(30);

    private final Shell shell;
    private final Path repository;
    private final ClusterProfile profile;
    private final PrintStream out;

    public GatewayVerification(Shell shell, Path repository, ClusterProfile profile, PrintStream out) {
        this.shell = shell;
        this.repository = repository;
        this.profile = profile;
        this.out = out;
    }

    public void run(int localPort) {
        Path jar = repository.resolve(LOCAL_STACK_JAR);
        if (!Files.isRegularFile(jar)) {
            out.println("== building the local stack's command (" + LOCAL_STACK_JAR + ")");
            shell.change(MavenWrapper.command(repository, "-B", "-DskipTests", "-pl", "apps/local-stack", "-am",
                    "package"));
        }
        String baseUrl = "http://localhost:" + localPort;
        out.println("== port-forwarding the Istio gateway to " + baseUrl);
        try (RunningCommand forward = shell.start(UserInterfaces.gatewayForward(profile, localPort))) {
            awaitPort(forward, localPort);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            out.println("== sample data through the gateway");
            // Two minutes per step: the first requests through a fresh mesh are slower than on the local stack.
            shell.change(List.of(java, "-jar", jar.toString(), "sample-data", "--base-url", baseUrl, "--timeout", "120"));
            out.println("== consistency audit through the gateway");
            shell.change(List.of(java, "-jar", jar.toString(), "audit", "--base-url", baseUrl));
        }
        out.println("== the storefront answers through the gateway and the audit found no divergence");
    }

    private static void awaitPort(RunningCommand forward, int port) {
        long deadline = System.nanoTime() + FORWARD_READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!forward.isAlive()) {
                throw new IllegalStateException("kubectl port-forward ended; is port " + port + " already in use?");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        throw new IllegalStateException("the gateway port-forward did not open port " + port + " within "
                + FORWARD_READY.toSeconds() + " s");
    }
}
