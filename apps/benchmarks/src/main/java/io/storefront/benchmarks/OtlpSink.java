package io.storefront.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The receiving end of the services' span export while the benchmark measures tracing's cost: an OTLP-over-HTTP
 * endpoint ({@code POST /v1/traces}, protobuf, as the services' exporter sends it) that answers 200 at once and keeps
 * only counts — requests, bytes on the wire, spans per {@code service.name} — so a figure can show that export
 * happened and how much of it there was, without a tracing backend's own cost in the measurement.
 */
final class OtlpSink implements AutoCloseable {

    static final String PATH = "/v1/traces";

    /** What has arrived since the sink started. */
    record Received(long requests, long bytes, Map<String, Long> spansByService, long refused) {

        long spans() {
            return spansByService.values().stream().mapToLong(Long::longValue).sum();
        }

        /** What arrived after {@code earlier} was taken. */
        Received since(Received earlier) {
            Map<String, Long> spans = new TreeMap<>(spansByService);
            earlier.spansByService.forEach((service, count) -> spans.merge(service, -count, Long::sum));
            spans.values().removeIf(count -> count == 0);
            return new Received(requests - earlier.requests, bytes - earlier.bytes, spans, refused - earlier.refused);
        }
    }

    private final HttpServer server;
    private long requests;
    private long bytes;
    private long refused;
    private final Map<String, Long> spansByService = new TreeMap<>();

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    static OtlpSink start() {
        try {
            OtlpSink sink = new OtlpSink(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            sink.server.createContext("/", sink::handle);
            sink.server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to give the services as their OTLP traces endpoint. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    synchronized Received received() {
        return new Received(requests, bytes, Map.copyOf(spansByService), refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(PATH)) {
                count(body.length, null);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, Long> spans;
            try {
                spans = spansByService("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? gunzip(body) : body);
            } catch (IllegalArgumentException | IOException notOtlp) {
                count(body.length, null);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            count(body.length, spans);
            exchange.sendResponseHeaders(200, -1);
        } finally {
            exchange.close();
        }
    }

    private synchronized void count(int size, Map<String, Long> spans) {
        requests++;
        bytes += size;
        if (spans == null) {
            refused++;
        } else {
            spans.forEach((service, count) -> spansByService.merge(service, count, Long::sum));
        }
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /**
     * Counts the spans of an {@code ExportTraceServiceRequest} (OTLP's protobuf: {@code resource_spans = 1};
     * ResourceSpans {@code resource = 1, scope_spans = 2}; Resource {@code attributes = 1}; KeyValue {@code key = 1,
     * value = 2}; AnyValue {@code string_value = 1}; ScopeSpans {@code spans = 2}) per the resource's
     * {@code service.name}.
     *
     * @throws IllegalArgumentException when the bytes are not a protobuf message
     */
    static Map<String, Long> spansByService(byte[] request) {
        Map<String, Long> spans = new TreeMap<>();
        Protobuf message = new Protobuf(request, 0, request.length);
        while (message.next()) {
            if (message.field() == 1 && message.isBytes()) {
                Protobuf resourceSpans = message.embedded();
                String service = "(no service.name)";
                long count = 0;
                while (resourceSpans.next()) {
                    if (resourceSpans.field() == 1 && resourceSpans.isBytes()) {
                        service = serviceName(resourceSpans.embedded(), service);
                    } else if (resourceSpans.field() == 2 && resourceSpans.isBytes()) {
                        Protobuf scopeSpans = resourceSpans.embedded();
                        while (scopeSpans.next()) {
                            if (scopeSpans.field() == 2 && scopeSpans.isBytes()) {
                                count++;
                            }
                        }
                    }
                }
                spans.merge(service, count, Long::sum);
            }
        }
        return spans;
    }

    private static String serviceName(Protobuf resource, String fallback) {
        while (resource.next()) {
            if (resource.field() == 1 && resource.isBytes()) {
                Protobuf keyValue = resource.embedded();
                String key = null;
                String value = null;
                while (keyValue.next()) {
                    if (keyValue.field() == 1 && keyValue.isBytes()) {
                        key = keyValue.string();
                    } else if (keyValue.field() == 2 && keyValue.isBytes()) {
                        Protobuf anyValue = keyValue.embedded();
                        while (anyValue.next()) {
                            if (anyValue.field() == 1 && anyValue.isBytes()) {
                                value = anyValue.string();
                            }
                        }
                    }
                }
                if ("service.name".equals(key) && value != null) {
                    return value;
                }
            }
        }
        return fallback;
    }

    /** A cursor over the fields of one protobuf message (wire format only: no schema, unknown fields skipped). */
    private static final class Protobuf {

        private final byte[] bytes;
        private final int limit;
        private int position;
        private int field;
        private int wireType;
        private int valueStart;
        private int valueEnd;

        Protobuf(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.limit = end;
        }

        /** Moves to the next field; false at the end of the message. */
        boolean next() {
            if (position >= limit) {
                return false;
            }
            long tag = varint();
            field = (int) (tag >>> 3);
            wireType = (int) (tag & 7);
            switch (wireType) {
                case 0 -> {
                    valueStart = position;
                    varint();
                }
                case 1 -> valueStart = skip(8);
                case 2 -> {
                    long length = varint();
                    if (length < 0 || length > limit - position) {
                        throw new IllegalArgumentException("length " + length + " beyond the message");
                    }
                    valueStart = skip((int) length);
                }
                case 5 -> valueStart = skip(4);
                default -> throw new IllegalArgumentException("wire type " + wireType + " at byte " + position);
            }
            valueEnd = position;
            return true;
        }

        int field() {
            return field;
        }

        boolean isBytes() {
            return wireType == 2;
        }

        Protobuf embedded() {
            return new Protobuf(bytes, valueStart, valueEnd);
        }

        String string() {
            return new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
        }

        private int skip(int count) {
            if (count > limit - position) {
                throw new IllegalArgumentException("field beyond the message");
            }
            int start = position;
            position += count;
            return start;
        }

        private long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= limit) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
