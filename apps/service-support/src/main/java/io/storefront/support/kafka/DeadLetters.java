package io.storefront.support.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.storefront.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Sends a record that can never be applied to {@code <topic>.DLT} (the reason travels in the standard
 * {@code kafka_dlt-exception-*} headers), counts it, and lets the partition move on.
 */
public class DeadLetters implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer publisher;
    private final MeterRegistry meters;

    public DeadLetters(KafkaOperations<String, String> kafka, MeterRegistry meters) {
        // A negative partition lets the producer pick one by key, whatever the dead-letter topic's partition count.
        this.publisher = new DeadLetterPublishingRecoverer(kafka,
                (record, error) -> new TopicPartition(Topics.deadLetterOf(record.topic()), -1));
        this.publisher.setFailIfSendResultIsError(true);
        this.meters = meters;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Exception error) {
        Throwable reason = error.getCause() != null ? error.getCause() : error;
        log.warn("Dead-lettering record {}-{}@{} key={}: {}", record.topic(), record.partition(), record.offset(),
                record.key(), reason.getMessage());
        publisher.accept(record, error);
        Counter.builder("storefront.dead.letter.records")
                .description("Records sent to a dead-letter topic because they can never be applied")
                .tag("topic", record.topic())
                .register(meters)
                .increment();
    }
}
