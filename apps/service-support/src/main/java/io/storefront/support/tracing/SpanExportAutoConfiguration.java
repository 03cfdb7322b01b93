package io.storefront.support.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Where spans go, decided when the service starts: to a Zipkin server when {@value #ZIPKIN_ENDPOINT} is set (the
 * local stack's tracing UI), by OTLP over HTTP when {@value #OTLP_ENDPOINT} is set (the cluster), nowhere when
 * neither is.
 * <p>
 * The services run with bean definitions generated at build time ({@code spring.aot.enabled}), whose conditions were
 * evaluated then, without any endpoint: Spring Boot's own OTLP exporter, conditional on its endpoint property, is not
 * among them, and an endpoint set at run time would create nothing. This exporter bean is always defined and reads
 * the endpoints at start-up. Where Boot's OTLP exporter does exist (a start without the generated definitions, tests),
 * it is used and no second one is made. Boot's Zipkin support is not used: with an exporter whenever the library is
 * there, it would send to localhost:9411 unless switched off, and switched off at build time it cannot be switched on.
 */
@AutoConfiguration(after = OtlpTracingAutoConfiguration.class)
@ConditionalOnClass({SpanExporter.class, ZipkinSpanExporter.class, OtlpHttpSpanExporter.class})
public class SpanExportAutoConfiguration {

    /** Zipkin's span API, e.g. {@code http://127.0.0.1:9411/api/v2/spans}; the property Boot's Zipkin support reads. */
    public static final String ZIPKIN_ENDPOINT = "management.tracing.export.zipkin.endpoint";
    /** An OTLP/HTTP traces endpoint, e.g. {@code http://collector:4318/v1/traces}. */
    public static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    @Bean
    SpanExporter storefrontSpanExporter(Environment environment, ObjectProvider<OtlpHttpSpanExporter> bootOtlpExporter,
                                        ObjectProvider<OtlpTracingProperties> otlpProperties) {
        List<SpanExporter> exporters = new ArrayList<>();
        String zipkin = environment.getProperty(ZIPKIN_ENDPOINT);
        if (StringUtils.hasText(zipkin)) {
            exporters.add(ZipkinSpanExporter.builder().setSender(URLConnectionSender.create(zipkin)).build());
        }
        OtlpTracingProperties otlp = otlpProperties.getIfAvailable();
        if (otlp != null && StringUtils.hasText(otlp.getEndpoint()) && bootOtlpExporter.getIfAvailable() == null) {
            exporters.add(otlpHttp(otlp));
        }
        // An empty composite is OpenTelemetry's no-op exporter: nothing is sent.
        return SpanExporter.composite(exporters);
    }

    /** The exporter Boot would build from the same properties (OTLP over HTTP, the transport the services use). */
    private static SpanExporter otlpHttp(OtlpTracingProperties properties) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(properties.getEndpoint())
                .setTimeout(properties.getTimeout())
                .setConnectTimeout(properties.getConnectTimeout())
                .setCompression(properties.getCompression().name().toLowerCase(java.util.Locale.ROOT));
        properties.getHeaders().forEach(builder::addHeader);
        return builder.build();
    }
}
