package io.storefront.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevContainersTest {

    @Test
    void theImagesAreTheOnesTheBuildNames() {
        assertThat(DevContainers.MONGO_IMAGE).isEqualTo(System.getProperty("storefront.mongodb.image"))
                .startsWith("mongo:");
        assertThat(DevContainers.KAFKA_IMAGE).isEqualTo(System.getProperty("storefront.kafka.image"))
                .matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
    }
}
