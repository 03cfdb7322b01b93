package io.storefront.support.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.storefront.contracts.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Where the storefront carries a trace across a gap no library bridges: from a write into the outbox event stored
 * with it (a W3C {@code traceparent} string), from that stored string to the span that publishes the event — perhaps
 * in another process, after a restart — and into the record's headers, and from a record's headers to the span that
 * applies it. The HTTP server spans come from Spring's own observation.
 *
 * <p>The record headers are written here rather than by the Kafka template's observation: that observation looks
 * the cluster id up with an admin client when the context starts and on every send while it is unknown, which holds
 * up start-up and sends for the admin timeout whenever the broker is away, and the services start and write without
 * Kafka by design. Spring Kafka's listener observation is not used either (see {@code EventApplier}).
 */
public class TraceContexts {

    /** The W3C Trace Context field: {@code 00-<trace id>-<parent span id>-<flags>}. */
    public static final String TRACEPARENT = EventHeaders.TRACE_PARENT;

    /** The span tag naming the event that a span publishes or applies. */
    public static final String EVENT_ID_TAG = "storefront.event.id";

    /** Reactor context key under which {@link #withSpan} hands a span to a pipeline subscribed elsewhere. */
    private static final String SPAN_KEY = TraceContexts.class.getName() + ".span";

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceContexts(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Creates no spans and records no context: for code used outside an application context. */
    public static TraceContexts none() {
        return new TraceContexts(Tracer.NOOP, Propagator.NOOP);
    }

    /**
     * The {@code traceparent} of the span a reactive pipeline runs in, or null when there is none: the span handed
     * over with {@link #withSpan}, else the observation of the WebFlux request in the Reactor context, else the
     * span in scope on the subscribing thread.
     */
    public String current(ContextView context) {
        Span span = context.<Span>getOrEmpty(SPAN_KEY)
                .or(() -> context.<Object>getOrEmpty(ObservationThreadLocalAccessor.KEY).map(TraceContexts::spanOf))
                .orElseGet(tracer::currentSpan);
        if (span == null) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        propagator.inject(span.context(), fields, Map::put);
        return fields.get(TRACEPARENT);
    }

    private static Span spanOf(Object observation) {
        if (observation instanceof Observation observed) {
            TracingObservationHandler.TracingContext tracing =
                    observed.getContextView().get(TracingObservationHandler.TracingContext.class);
            return tracing == null ? null : tracing.getSpan();
        }
        return null;
    }

    /** Puts {@code span} in a pipeline's Reactor context, so {@link #current} finds it on any thread. */
    public Function<Context, Context> withSpan(Span span) {
        return context -> context.put(SPAN_KEY, span);
    }

    /**
     * Starts a producer span for {@code record}, a child of the stored {@code traceparent} (a new trace when there is
     * none), and writes its context into the record's headers.
     */
    public Span startProducing(String traceparent, ProducerRecord<?, ?> record, String name) {
        Span.Builder builder = traceparent == null
                ? tracer.spanBuilder().setNoParent()
                : propagator.extract(Map.of(TRACEPARENT, traceparent), Map::get);
        Span span = builder.name(name)
                .kind(Span.Kind.PRODUCER)
                .tag("messaging.destination.name", record.topic())
                .start();
        propagator.inject(span.context(), record.headers(), (headers, key, value) -> {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        });
        return span;
    }

    /** Starts a consumer span that continues the trace in {@code record}'s headers (a new trace without them). */
    public Span startConsuming(ConsumerRecord<?, ?> record, String name) {
        return propagator.extract(record, TraceContexts::lastHeader)
                .name(name)
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.destination.name", record.topic())
                .tag("messaging.kafka.partition", Integer.toString(record.partition()))
                .tag("messaging.kafka.offset", Long.toString(record.offset()))
                .start();
    }

    /** Makes {@code span} current on this thread (and in the logging context) until the scope is closed. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    private static String lastHeader(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
