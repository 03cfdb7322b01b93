package io.storefront.support.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The services' tracing dependencies export spans by OTLP over HTTP to the configured endpoint, and create no exporter
 * without one.
 */
class OtlpExportTest {

    private final ApplicationContextRunner tracing = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class))
            .withPropertyValues("spring.application.name=otlp-test", "management.tracing.sampling.probability=1.0");
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    @BeforeEach
    void startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @Test
    void spansAreSentToTheConfiguredEndpoint() {
        tracing.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                        + collector.getAddress().getPort() + "/v1/traces")
                .run(context -> {
                    assertThat(context).hasSingleBean(OtlpHttpSpanExporter.class);
                    context.getBean(Tracer.class).spanBuilder("probe").startSpan().end();
                    assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS)
                            .isSuccess()).isTrue();
                });
        assertThat(received).contains("POST /v1/traces application/x-protobuf");
    }

    @Test
    void withoutAnEndpointNothingIsExported() {
        tracing.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(OtlpHttpSpanExporter.class);
            context.getBean(Tracer.class).spanBuilder("probe").startSpan().end();
            context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
        });
        assertThat(received).isEmpty();
    }
}
