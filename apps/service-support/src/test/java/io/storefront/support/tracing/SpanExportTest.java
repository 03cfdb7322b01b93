package io.storefront.support.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The services' span export is decided when they start: to Zipkin's span API, by OTLP over HTTP, or nowhere; also
 * where the bean definitions were generated at build time without an endpoint (as the jars run), which leaves out
 * Boot's own OTLP exporter.
 */
class SpanExportTest {

    private static final AutoConfigurations TRACING = AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
            OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
            SpanExportAutoConfiguration.class);

    /** The services as started from their build-time definitions: Boot's OTLP properties bound, its exporter absent. */
    private final ApplicationContextRunner fromBuildTimeDefinitions = new ApplicationContextRunner()
            .withConfiguration(TRACING)
            .withUserConfiguration(OtlpPropertiesOnly.class)
            .withPropertyValues("spring.application.name=export-test", "management.tracing.sampling.probability=1.0");

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            boolean gzip = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            String body = new String((gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody())
                    .readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void aZipkinEndpointSendsSpansInZipkinsFormat() {
        fromBuildTimeDefinitions.withPropertyValues(SpanExportAutoConfiguration.ZIPKIN_ENDPOINT + "=" + url("/api/v2/spans"))
                .run(context -> sendOneSpan(context.getBean(Tracer.class), context.getBean(SdkTracerProvider.class)));
        assertThat(received).singleElement().satisfies(request -> assertThat(request)
                .startsWith("POST /api/v2/spans application/json")
                .contains("\"name\":\"probe\"", "\"serviceName\":\"export-test\""));
    }

    @Test
    void anOtlpEndpointSendsSpansAlsoWithoutBootsExporter() {
        fromBuildTimeDefinitions.withPropertyValues(SpanExportAutoConfiguration.OTLP_ENDPOINT + "=" + url("/v1/traces"))
                .run(context -> sendOneSpan(context.getBean(Tracer.class), context.getBean(SdkTracerProvider.class)));
        assertThat(received).singleElement().asString().startsWith("POST /v1/traces application/x-protobuf");
    }

    @Test
    void whereBootsOtlpExporterExistsSpansAreSentOnce() {
        new ApplicationContextRunner()
                .withConfiguration(TRACING)
                .withConfiguration(AutoConfigurations.of(OtlpTracingAutoConfiguration.class))
                .withPropertyValues("spring.application.name=export-test", "management.tracing.sampling.probability=1.0",
                        SpanExportAutoConfiguration.OTLP_ENDPOINT + "=" + url("/v1/traces"))
                .run(context -> sendOneSpan(context.getBean(Tracer.class), context.getBean(SdkTracerProvider.class)));
        assertThat(received).singleElement().asString().startsWith("POST /v1/traces");
    }

    @Test
    void withoutAnEndpointNothingIsSent() {
        fromBuildTimeDefinitions.run(context -> {
            assertThat(context).hasNotFailed();
            sendOneSpan(context.getBean(Tracer.class), context.getBean(SdkTracerProvider.class));
        });
        assertThat(received).isEmpty();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static void sendOneSpan(Tracer tracer, SdkTracerProvider provider) {
        tracer.spanBuilder("probe").startSpan().end();
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OtlpTracingProperties.class)
    static class OtlpPropertiesOnly {
    }
}
