package io.storefront.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up failures found before any process starts give one clear message naming the cause. (A service that fails
 * after MongoDB and Kafka have started is a system test: it starts processes.)
 */
class LocalStackFailureTest {

    @TempDir Path apps;
    @TempDir Path data;

    @Test
    void aPortInUseIsNamedAndNothingIsStarted() throws Exception {
        StackConfig config = withFakeJars(StackConfig.onFreePorts(apps, data));
        int busy = config.service("orders").port();
        try (ServerSocket blocker = new ServerSocket()) {
            blocker.bind(new InetSocketAddress("127.0.0.1", busy));
            LocalStack stack = LocalStack.create(config, Progress.silent());
            assertThatThrownBy(stack::start).isInstanceOf(StackFailure.class)
                    .hasMessageContaining("Port " + busy + " (orders) is already in use");
            assertThat(stack.process("mongodb")).isNull();
            assertThat(stack.process("kafka")).isNull();
        }
    }

    @Test
    void aMissingServiceJarSaysHowToBuildIt() {
        StackConfig config = StackConfig.onFreePorts(apps, data);
        assertThatThrownBy(LocalStack.create(config, Progress.silent())::start).isInstanceOf(StackFailure.class)
                .hasMessageContaining("accounts.jar").hasMessageContaining("./mvnw -DskipTests package");
    }

    @Test
    void aMissingTracingUiJarSaysHowToBuildItOrRunWithoutIt() throws Exception {
        StackConfig config = withFakeJars(StackConfig.onFreePorts(apps, data).withTracingUi(FreePorts.pair()));
        LocalStack stack = LocalStack.create(config, Progress.silent());
        assertThatThrownBy(stack::start).isInstanceOf(StackFailure.class)
                .hasMessageContaining("zipkin-server.jar").hasMessageContaining("--no-tracing-ui");
        assertThat(stack.process("zipkin")).isNull();
    }

    @Test
    void theTracingUiRunsFromThePinnedZipkinServerArtifact() {
        assertThat(LocalStack.tracingUiArtifact()).matches("io\\.zipkin:zipkin-server:\\d+\\.\\d+\\.\\d+:exec");
    }

    /** Service "jars" that are not jars. */
    private StackConfig withFakeJars(StackConfig config) throws Exception {
        for (StackConfig.Service service : config.services()) {
            Path target = Files.createDirectories(apps.resolve(service.name()).resolve("target"));
            Files.writeString(target.resolve(service.name() + ".jar"), "not a jar");
        }
        return config;
    }
}
