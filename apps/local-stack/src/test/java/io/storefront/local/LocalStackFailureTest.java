package io.storefront.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures give one clear message naming the cause, and leave nothing running. */
class LocalStackFailureTest {

    @TempDir Path apps;

    @Test
    void aPortInUseIsNamedAndNothingIsStarted() throws Exception {
        StackConfig config = withFakeJars(TestStacks.freshConfig());
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
    void aMissingServiceJarSaysHowToBuildIt() throws Exception {
        StackConfig config = TestStacks.freshConfig();
        config = new StackConfig(apps, config.dataDir(), false, config.mongoPort(), config.kafkaPort(),
                config.services(), null, null, false);
        assertThatThrownBy(LocalStack.create(config, Progress.silent())::start).isInstanceOf(StackFailure.class)
                .hasMessageContaining("accounts.jar").hasMessageContaining("./mvnw -DskipTests package");
    }

    @Test
    void aServiceThatFailsToStartIsNamedWithItsLogAndEverythingStartedIsStopped() throws Exception {
        StackConfig config = withFakeJars(TestStacks.freshConfig());
        LocalStack stack = LocalStack.create(config, Progress.silent());

        assertThatThrownBy(stack::start).isInstanceOf(StackFailure.class)
                .hasMessageMatching("(?s)(accounts|orders|fulfillment) exited with code \\d+ before it was ready.*")
                .hasMessageContaining("last lines of");
        assertThat(stack.process("mongodb").isAlive()).isFalse();
        assertThat(stack.process("kafka").isAlive()).isFalse();
    }

    @Test
    void testcontainersWithoutDockerSaysSoAndFails() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StorefrontLocal.execute(new String[] {"run", "--testcontainers", "--apps-dir", apps.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assumptions.assumeFalse(exit == 0, "Docker exists here");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a Docker engine");
    }

    /** Service "jars" that are not jars: java exits at once with an error. */
    private StackConfig withFakeJars(StackConfig config) throws Exception {
        for (StackConfig.Service service : config.services()) {
            Path target = Files.createDirectories(apps.resolve(service.name()).resolve("target"));
            Files.writeString(target.resolve(service.name() + ".jar"), "not a jar");
        }
        return new StackConfig(apps, config.dataDir(), false, config.mongoPort(), config.kafkaPort(),
                config.services(), null, null, false);
    }
}
