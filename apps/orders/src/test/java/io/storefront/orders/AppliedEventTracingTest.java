package io.storefront.orders;

import static io.storefront.orders.OrdersTestEvents.customerChanged;
import static io.storefront.orders.OrdersTestEvents.statusChanged;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.storefront.contracts.OrderStatus;
import io.storefront.contracts.StorefrontEvent;
import io.storefront.contracts.Topics;
import io.storefront.support.test.RecordedSpans;
import io.storefront.support.test.StorefrontIntegrationTest;
import io.storefront.support.test.TopicProbe;
import io.storefront.support.tracing.TraceContexts;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The span that applies a record continues the trace in the record's headers, for the batch listener (customer
 * changes) and for a record listener (fulfillment status changes) alike; a record listener logs with its ids.
 */
@StorefrontIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AppliedEventTracingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Autowired RecordedSpans spans;
    @Autowired JsonMapper json;
    @Value("${spring.embedded.kafka.brokers}") String brokers;
    TopicProbe producer;

    @BeforeEach
    void setUp() {
        producer = new TopicProbe(brokers, Topics.deadLetterOf(Topics.CUSTOMER_CHANGES));
    }

    @AfterEach
    void tearDown() {
        producer.close();
    }

    @Test
    void theSpanApplyingACustomerChangeIsAChildOfTheRecordsTraceContext() {
        String customerId = UUID.randomUUID().toString();
        assertAppliedInTheRecordsTrace(customerChanged(customerId, 1, "Traced"));
    }

    @Test
    void theSpanApplyingAFulfillmentStatusChangeIsAChildOfTheRecordsTraceContextAndItsIdsAreLogged(
            CapturedOutput output) {
        SpanData apply = assertAppliedInTheRecordsTrace(statusChanged(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), 2, OrderStatus.PROCESSING));

        // The listener's log line is written inside the apply span, so the logging context has its ids.
        assertThat(output.getOut().lines().filter(line -> line.contains("FULFILLMENT_STATUS_CHANGED")))
                .anySatisfy(line -> assertThat(line).contains(apply.getTraceId()).contains(apply.getSpanId()));
    }

    private SpanData assertAppliedInTheRecordsTrace(StorefrontEvent event) {
        String traceId = randomHex(16);
        String parentSpanId = randomHex(8);
        producer.send(event.topic(), event.aggregateId(), json.writeValueAsString(event),
                Map.of(TraceContexts.TRACEPARENT, "00-" + traceId + "-" + parentSpanId + "-01"));

        SpanData apply = spans.awaitFirst(span -> event.eventId().toString().equals(
                span.getAttributes().get(AttributeKey.stringKey(TraceContexts.EVENT_ID_TAG))), TIMEOUT);

        assertThat(apply.getName()).isEqualTo("apply " + event.topic());
        assertThat(apply.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(apply.getTraceId()).as("trace of the apply span").isEqualTo(traceId);
        assertThat(apply.getParentSpanId()).as("parent of the apply span").isEqualTo(parentSpanId);
        return apply;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
