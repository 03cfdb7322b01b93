package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import io.storefront.local.stack.StackFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that fails after MongoDB and Kafka have started is named with its log, and everything started stops. */
class LocalStackStartFailureTest {

    @TempDir Path apps;
    @TempDir Path data;

    @Test
    void aServiceThatFailsToStartIsNamedWithItsLogAndEverythingStartedIsStopped() throws Exception {
        StackConfig config = StackConfig.onFreePorts(apps, data);
        // Service "jars" that are not jars: java exits at once with an error.
        for (StackConfig.Service service : config.services()) {
            Path target = Files.createDirectories(apps.resolve(service.name()).resolve("target"));
            Files.writeString(target.resolve(service.name() + ".jar"), "not a jar");
        }
        LocalStack stack = LocalStack.create(config, Progress.silent());

        assertThatThrownBy(stack::start).isInstanceOf(StackFailure.class)
                .hasMessageMatching("(?s)(accounts|orders|fulfillment) exited with code \\d+ before it was ready.*")
                .hasMessageContaining("last lines of");
        assertThat(stack.process("mongodb").isAlive()).isFalse();
        assertThat(stack.process("kafka").isAlive()).isFalse();
    }
}
