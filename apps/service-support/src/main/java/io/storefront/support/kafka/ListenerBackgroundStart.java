package io.storefront.support.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Starts the Kafka listener containers on a thread of their own once the context is refreshed, instead of on the
 * main thread before the application reports ready ({@code spring.kafka.listener.auto-startup: false} in the shared
 * defaults hands the start over to this class). Creating the consumers, one per partition and listener, is a
 * noticeable part of start-up with C1, and nothing that readiness promises depends on them: the HTTP API serves from
 * MongoDB, and the consumers pick up from their committed offsets whenever they join
 * (docs/decisions/0006-listener-containers-start-in-the-background.md).
 *
 * <p>Runs after the registry (a higher phase) and, on shutdown, waits for its thread before the registry stops
 * every running container, so a container can never be started after the stop.
 */
public class ListenerBackgroundStart implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ListenerBackgroundStart.class);

    private final KafkaListenerEndpointRegistry registry;
    private volatile Thread starter;

    public ListenerBackgroundStart(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::startContainers, "kafka-listener-start");
        thread.setDaemon(true);
        starter = thread;
        thread.start();
    }

    private void startContainers() {
        long began = System.nanoTime();
        int started = 0;
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (!container.isRunning()) {
                try {
                    container.start();
                    started++;
                } catch (RuntimeException e) {
                    log.error("Kafka listener {} did not start: {}", container.getListenerId(), e.toString(), e);
                }
            }
        }
        log.info("Started {} Kafka listener container(s) in the background in {} ms", started,
                (System.nanoTime() - began) / 1_000_000);
    }

    @Override
    public void stop() {
        Thread thread = starter;
        starter = null;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return starter != null;
    }

    /** After the registry (which starts no container itself) and the outbox relay; stops before both. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 50;
    }
}
