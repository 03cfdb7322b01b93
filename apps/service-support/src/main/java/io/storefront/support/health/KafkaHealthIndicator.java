package io.storefront.support.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Up when the broker answers a cluster description within the timeout. Shown by {@code /actuator/health}; not part
 * of readiness (docs/decisions/0011-readiness-without-dependencies.md).
 *
 * <p>The admin client is created on a thread of its own while the context goes on starting: creating it loads and
 * initialises much of the Kafka client, and nothing before the first health check needs it.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements AutoCloseable {

    private final CompletableFuture<AdminClient> admin;
    private final Duration timeout;

    public KafkaHealthIndicator(KafkaAdmin kafkaAdmin, Duration timeout) {
        super("Kafka health check failed");
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put("request.timeout.ms", (int) timeout.toMillis());
        config.put("default.api.timeout.ms", (int) timeout.toMillis());
        this.admin = new CompletableFuture<>();
        // A thread of our own rather than CompletableFuture.supplyAsync: it inherits this thread's context class
        // loader, which Kafka uses to load configured classes; the common pool's threads have the system class
        // loader, which cannot see the libraries inside a Spring Boot fat jar.
        Thread creator = new Thread(() -> {
            try {
                admin.complete(AdminClient.create(config));
            } catch (RuntimeException | Error e) {
                admin.completeExceptionally(e);
            }
        }, "kafka-health-admin");
        creator.setDaemon(true);
        creator.start();
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        var options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
        return Mono.fromFuture(() -> admin.thenCompose(client ->
                        client.describeCluster(options).nodes().toCompletionStage()).toCompletableFuture())
                .subscribeOn(Schedulers.boundedElastic())
                .map(nodes -> builder.up().withDetail("nodes", nodes.size()).build());
    }

    @Override
    public void close() {
        // Waits for a creation still under way; a creation that failed has nothing to close.
        admin.handle((client, failure) -> {
            if (client != null) {
                client.close(Duration.ofSeconds(1));
            }
            return null;
        }).join();
    }
}
