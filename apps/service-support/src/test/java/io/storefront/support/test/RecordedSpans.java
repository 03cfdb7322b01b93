package io.storefront.support.test;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Every span the service under test ends, kept in memory and exported as it ends (no batching delay), so a test can
 * follow a trace from span to parent. Part of every {@link StorefrontIntegrationTest} context.
 */
public final class RecordedSpans implements SpanExporter {

    private final Collection<SpanData> ended = new ConcurrentLinkedQueue<>();

    /** The ended span with {@code spanId}, waiting up to {@code timeout} for it to end. */
    public SpanData await(String spanId, Duration timeout) {
        return awaitFirst(span -> span.getSpanId().equals(spanId), timeout);
    }

    /** The first ended span that matches, waiting up to {@code timeout} for one. */
    public SpanData awaitFirst(Predicate<SpanData> matching, Duration timeout) {
        return Awaitility.await().atMost(timeout).until(() -> find(matching), Optional::isPresent).orElseThrow();
    }

    public Optional<SpanData> find(Predicate<SpanData> matching) {
        return ended.stream().filter(matching).findFirst();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        ended.addAll(spans);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** A W3C {@code traceparent} split into its parts. */
    public record TraceParent(String traceId, String spanId) {

        public static TraceParent parse(String traceparent) {
            List<String> parts = List.of(traceparent.split("-"));
            if (parts.size() != 4 || parts.get(1).length() != 32 || parts.get(2).length() != 16) {
                throw new IllegalArgumentException("Not a W3C traceparent: " + traceparent);
            }
            return new TraceParent(parts.get(1), parts.get(2));
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        RecordedSpans recordedSpans() {
            return new RecordedSpans();
        }

        @Bean
        SpanProcessor recordedSpansProcessor(RecordedSpans spans) {
            return SimpleSpanProcessor.create(spans);
        }
    }
}
