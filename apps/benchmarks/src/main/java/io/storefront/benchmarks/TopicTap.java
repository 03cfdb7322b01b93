package io.storefront.benchmarks;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Splits propagation lag where it happens, without touching the services: a plain consumer (no group, default
 * fetch settings) reads accounts' customer topic alongside orders and compares, per event, the time accounts stored
 * it (the {@link CustomerEvent}'s {@code occurredAt}), the time the relay handed it to Kafka (the record's
 * CreateTime, set by the producer on send) and the time the record arrived here. All three clocks are this machine's
 * wall clock, in ms.
 */
final class TopicTap implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final KafkaConsumer<String, String> consumer;
    private final ConcurrentLinkedQueue<Double> relayMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> deliveryMs = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    TopicTap(String bootstrap) {
        String topic = Topics.CUSTOMER_CHANGES;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before the run's first event
        thread = new Thread(this::loop, "bench-topic-tap");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                long received = System.currentTimeMillis();
                try {
                    CustomerEvent event = json.readValue(record.value(), CustomerEvent.class);
                    relayMs.add((double) (record.timestamp() - event.occurredAt().toEpochMilli()));
                } catch (JacksonException notACustomerEvent) {
                    // counted for delivery only
                }
                deliveryMs.add((double) (received - record.timestamp()));
            }
        }
        consumer.close();
    }

    /** Event stored by accounts → record sent by the relay. */
    Stats relay() {
        return Stats.of(relayMs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Record sent → received by a plain consumer. */
    Stats delivery() {
        return Stats.of(deliveryMs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
