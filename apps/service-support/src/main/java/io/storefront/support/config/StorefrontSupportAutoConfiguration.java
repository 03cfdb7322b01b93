package io.storefront.support.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.prometheus.metrics.tracer.common.SpanContext;
import io.storefront.support.health.KafkaHealthIndicator;
import io.storefront.support.health.MongoPingHealthIndicator;
import io.storefront.support.kafka.DeadLetters;
import io.storefront.support.kafka.EventApplier;
import io.storefront.support.kafka.EventReader;
import io.storefront.support.kafka.ListenerBackgroundStart;
import io.storefront.support.kafka.PoisonEventException;
import io.storefront.support.kafka.PropagationLag;
import io.storefront.support.outbox.OutboxProperties;
import io.storefront.support.outbox.OutboxRelay;
import io.storefront.support.outbox.OutboxWriter;
import io.storefront.support.tracing.TraceContexts;
import io.storefront.support.web.AsyncApiController;
import io.storefront.support.web.ContractSchemaDescriptions;
import io.storefront.support.web.ReleaseVersion;
import io.storefront.support.web.PlainTextDeserializer;
import io.storefront.support.web.ProblemDetailsAdvice;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/** Wires the shared behaviour of the storefront services; every bean can be replaced by a service's own. */
@AutoConfiguration(before = WebFluxAutoConfiguration.class,
        beforeName = "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration")
@EnableConfigurationProperties(OutboxProperties.class)
public class StorefrontSupportAutoConfiguration {

    /**
     * Metrics are scraped without exemplars. With tracing on, Micrometer attaches the current trace to every
     * histogram's {@code _count}, and Prometheus 2.x (Debian's, which the dashboard test runs) refuses such a scrape
     * whole ("does not support exemplars"). Traces are found by service or trace id in the tracing UI instead.
     */
    @Bean
    @ConditionalOnMissingBean
    SpanContext noPrometheusExemplars() {
        return new SpanContext() {
            @Override
            public String getCurrentTraceId() {
                return null;
            }

            @Override
            public String getCurrentSpanId() {
                return null;
            }

            @Override
            public boolean isCurrentSpanSampled() {
                return false;
            }

            @Override
            public void markCurrentSpanAsExemplar() {
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Bad input is rejected, not guessed at: unknown fields, numbers for text, text for numbers, floats for ints. */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, config -> config
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .addModule(new SimpleModule("storefront-plain-text")
                        .addDeserializer(String.class, new PlainTextDeserializer()));
    }

    /**
     * Fail fast when MongoDB is away, so the API answers 503 in seconds instead of hanging: a new request waits at most
     * {@code timeout} for a server, and one already waiting on a connection whose server vanished without a word
     * (dropped packets, no reset) waits at most {@code read-timeout} for its answer. Every operation here reads or
     * writes a handful of small documents, so a healthy server answers far within either. Reads are not retried by
     * the driver: a retry after a read timeout would add a connection attempt (another {@code timeout}) before the
     * answer, and every caller already retries on its own terms (HTTP clients on 503, listeners with back-off).
     */
    @Bean
    MongoClientSettingsBuilderCustomizer storefrontMongoTimeouts(
            @Value("${storefront.mongodb.timeout:2s}") Duration timeout,
            @Value("${storefront.mongodb.read-timeout:3s}") Duration readTimeout) {
        return settings -> settings
                .retryReads(false)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout((int) timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) readTimeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Bean
    @ConditionalOnMissingBean(org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler.class)
    ProblemDetailsAdvice problemDetailsAdvice() {
        return new ProblemDetailsAdvice();
    }

    @Bean
    AsyncApiController asyncApiController() {
        return new AsyncApiController();
    }

    @Bean
    ContractSchemaDescriptions contractSchemaDescriptions() {
        return new ContractSchemaDescriptions();
    }

    @Bean
    ReleaseVersion releaseVersion() {
        return new ReleaseVersion();
    }

    @Bean
    TraceContexts traceContexts(Tracer tracer, Propagator propagator) {
        return new TraceContexts(tracer, propagator);
    }

    @Bean
    OutboxRelay outboxRelay(ReactiveMongoTemplate mongo, KafkaTemplate<String, String> kafka,
                            OutboxProperties properties, MeterRegistry meters, TraceContexts tracing) {
        return new OutboxRelay(mongo, kafka, properties, meters, tracing);
    }

    @Bean
    OutboxWriter outboxWriter(ReactiveMongoTemplate mongo, OutboxRelay relay, JsonMapper json,
                              TraceContexts tracing) {
        return new OutboxWriter(mongo, relay, json, tracing);
    }

    @Bean
    EventReader eventReader(JsonMapper json, Validator validator) {
        return new EventReader(json, validator);
    }

    @Bean
    PropagationLag propagationLag(MeterRegistry meters, Clock clock) {
        return new PropagationLag(meters, clock);
    }

    @Bean
    EventApplier eventApplier(EventReader reader, PropagationLag lag,
            @Value("${storefront.kafka.write-timeout:30s}") Duration writeTimeout, TraceContexts tracing) {
        return new EventApplier(reader, lag, writeTimeout, tracing);
    }

    /**
     * Transient failures (database away, timeouts) are retried with back-off for as long as it takes: the partition
     * waits, nothing is skipped and no offset is committed past an unapplied record. Records that can never be
     * applied go to the dead-letter topic at once.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> kafka, MeterRegistry meters,
            @Value("${storefront.kafka.retry.initial-interval:200ms}") Duration initial,
            @Value("${storefront.kafka.retry.max-interval:10s}") Duration max) {
        ExponentialBackOff backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
        backOff.setMaxInterval(max.toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(new DeadLetters(kafka, meters), backOff);
        handler.addNotRetryableExceptions(PoisonEventException.class, JacksonException.class);
        return handler;
    }

    @Bean
    ListenerBackgroundStart listenerBackgroundStart(KafkaListenerEndpointRegistry registry) {
        return new ListenerBackgroundStart(registry);
    }

    @Bean(name = "mongoHealthIndicator")
    MongoPingHealthIndicator mongoHealthIndicator(ReactiveMongoTemplate mongo) {
        return new MongoPingHealthIndicator(mongo);
    }

    @Bean(name = "kafkaHealthIndicator")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin,
            @Value("${storefront.kafka.health-timeout:3s}") Duration timeout) {
        return new KafkaHealthIndicator(admin, timeout);
    }
}
