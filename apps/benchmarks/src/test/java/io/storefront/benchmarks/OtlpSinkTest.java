package io.storefront.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OTLP sink counts what the services' exporter (OpenTelemetry's OTLP/HTTP span exporter) really sends. */
class OtlpSinkTest {

    private final OtlpSink sink = OtlpSink.start();

    @AfterEach
    void stop() {
        sink.close();
    }

    private void export(String service, int spans) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(sink.endpoint()).build();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            Tracer tracer = provider.get("otlp-sink-test");
            for (int i = 0; i < spans; i++) {
                tracer.spanBuilder("span " + i).setAttribute("i", i).startSpan().end();
            }
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
    }

    @Test
    void countsTheSpansTheExporterSendsPerService() {
        export("accounts", 3);
        export("orders", 2);

        OtlpSink.Received received = sink.received();
        assertThat(received.spansByService()).isEqualTo(Map.of("accounts", 3L, "orders", 2L));
        assertThat(received.spans()).isEqualTo(5);
        // SimpleSpanProcessor sends each span in a request of its own.
        assertThat(received.requests()).isEqualTo(5);
        assertThat(received.bytes()).isPositive();
        assertThat(received.refused()).isZero();
    }

    @Test
    void whatArrivedSinceAnEarlierCountIsTheDifference() {
        export("accounts", 2);
        OtlpSink.Received before = sink.received();
        export("accounts", 1);
        export("orders", 4);

        OtlpSink.Received since = sink.received().since(before);
        assertThat(since.spansByService()).isEqualTo(Map.of("accounts", 1L, "orders", 4L));
        assertThat(since.requests()).isEqualTo(5);
    }

    @Test
    void somethingThatIsNotOtlpIsRefusedAndCountedApart() throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sink.endpoint()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, (byte) 0xff})).build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(sink.received().refused()).isEqualTo(1);
        assertThat(sink.received().spans()).isZero();
    }
}
