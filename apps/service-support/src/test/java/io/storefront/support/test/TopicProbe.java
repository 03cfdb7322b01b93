package io.storefront.support.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads and writes raw records on the test broker, the way another service (or an attacker) would. */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final String brokers;

    /** Subscribes from the end of {@code topic}: only records written after this call are seen. */
    public TopicProbe(String brokers, String topic) {
        this.brokers = brokers;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        consumer.subscribe(List.of(topic));
        // Join the group and fix the starting offsets before the caller produces anything.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.assignment().forEach(partition -> consumer.position(partition));
    }

    /** Polls until {@code count} records arrived or the timeout passed; returns what arrived. */
    public List<ConsumerRecord<String, String>> take(int count, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    /** Collects everything that arrives within {@code window}. */
    public List<ConsumerRecord<String, String>> drainFor(Duration window) {
        return take(Integer.MAX_VALUE, window);
    }

    public void send(String topic, String key, String value) {
        send(topic, key, value, Map.of());
    }

    /** Sends a record with {@code headers} (UTF-8 text values). */
    public void send(String topic, String key, String value, Map<String, String> headers) {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            var record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not send a test record to " + topic, e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
