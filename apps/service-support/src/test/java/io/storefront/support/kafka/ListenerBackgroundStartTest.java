package io.storefront.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;

/** The listener containers that the registry leaves stopped (auto-startup false) are started, and stop with it. */
class ListenerBackgroundStartTest {

    private final KafkaListenerEndpointRegistry registry = new KafkaListenerEndpointRegistry();

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    @Test
    void startsEveryContainerTheRegistryLeftStoppedAndLetsTheRegistryStopThem() {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
        // No broker is needed to start a container: its consumers connect in the background.
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ConsumerConfig.GROUP_ID_CONFIG, "background-start-test",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class)));
        factory.setConcurrency(2);
        factory.setAutoStartup(false); // what spring.kafka.listener.auto-startup=false gives every container
        for (String id : List.of("first", "second")) {
            registry.registerListenerContainer(new IgnoringEndpoint(id), factory);
        }
        registry.start();
        assertThat(registry.getListenerContainers()).noneMatch(MessageListenerContainer::isRunning);

        var background = new ListenerBackgroundStart(registry);
        background.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.getListenerContainers().stream().allMatch(MessageListenerContainer::isRunning));

        background.stop(); // as on shutdown: before the registry (higher phase)
        assertThat(background.isRunning()).isFalse();
        registry.stop();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.getListenerContainers().stream().noneMatch(MessageListenerContainer::isRunning));
    }

    /** A listener on one topic that ignores what it receives. */
    private record IgnoringEndpoint(String id) implements KafkaListenerEndpoint {

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getGroupId() {
            return null;
        }

        @Override
        public String getGroup() {
            return null;
        }

        @Override
        public List<String> getTopics() {
            return List.of("background.start.test");
        }

        @Override
        public TopicPartitionOffset[] getTopicPartitionsToAssign() {
            return new TopicPartitionOffset[0];
        }

        @Override
        public java.util.regex.Pattern getTopicPattern() {
            return null;
        }

        @Override
        public String getClientIdPrefix() {
            return null;
        }

        @Override
        public Integer getConcurrency() {
            return null;
        }

        @Override
        public Boolean getAutoStartup() {
            return null;
        }

        @Override
        public void setupListenerContainer(MessageListenerContainer container, MessageConverter converter) {
            container.setupMessageListener((MessageListener<String, String>) record -> { });
        }

        @Override
        public boolean isSplitIterables() {
            return true;
        }
    }
}
