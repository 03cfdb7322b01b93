package io.storefront.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.storefront.local.stack.FreePorts;
import io.storefront.local.stack.StackConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.yaml.snakeyaml.Yaml;

/**
 * The Istio ingress gateway's routing, locally: one host and port in front of the three services, routing by the
 * URI matches of platform/istio/virtual-service.yaml (exact and prefix, no rewrite) to each service's application
 * port, and keeping the client's Host header as Envoy does. Anything no route matches gets 404, like the gateway.
 */
final class GatewayStandIn implements AutoCloseable {

    /** One URI match of a route and the service it sends to. */
    record Route(String exact, String prefix, String service) {

        boolean matches(String path) {
            return exact != null ? path.equals(exact) : path.startsWith(prefix);
        }
    }

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Route> routes;
    private final StackConfig stack;
    private final List<String> forwarded = Collections.synchronizedList(new ArrayList<>());

    private GatewayStandIn(List<Route> routes, StackConfig stack) throws IOException {
        this.routes = routes;
        this.stack = stack;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pair()), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    static GatewayStandIn start(StackConfig stack) throws IOException {
        return new GatewayStandIn(routes(ExternalTools.repositoryRoot().resolve("platform/istio/virtual-service.yaml")),
                stack);
    }

    /** The URI matches of the VirtualService; a destination host {@code <service>.<namespace>.svc...} names the service. */
    static List<Route> routes(Path virtualService) {
        List<Route> routes = new ArrayList<>();
        try {
            for (Object document : new Yaml().loadAll(Files.readString(virtualService))) {
                Map<String, Object> resource = LocalPrometheusConfig.map(document);
                if (resource == null || !"VirtualService".equals(resource.get("kind"))) {
                    continue;
                }
                for (Object http : LocalPrometheusConfig.list(LocalPrometheusConfig.map(resource.get("spec")).get("http"))) {
                    Map<String, Object> route = LocalPrometheusConfig.map(http);
                    Map<String, Object> destination = LocalPrometheusConfig.map(LocalPrometheusConfig.map(
                            LocalPrometheusConfig.list(route.get("route")).get(0)).get("destination"));
                    String service = destination.get("host").toString().split("\\.")[0];
                    for (Object match : LocalPrometheusConfig.list(route.get("match"))) {
                        Map<String, Object> uri = LocalPrometheusConfig.map(LocalPrometheusConfig.map(match).get("uri"));
                        routes.add(new Route((String) uri.get("exact"), (String) uri.get("prefix"), service));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return routes;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code METHOD path?query} of every request sent on to a service. */
    List<String> forwarded() {
        return List.copyOf(forwarded);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Route route = routes.stream().filter(r -> r.matches(path)).findFirst().orElse(null);
            if (route == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String pathAndQuery = exchange.getRequestURI().getRawQuery() == null ? path
                    : path + "?" + exchange.getRequestURI().getRawQuery();
            forwarded.add(exchange.getRequestMethod() + " " + pathAndQuery);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + stack.service(route.service()).port() + pathAndQuery))
                    .timeout(Duration.ofSeconds(15))
                    .method(exchange.getRequestMethod(), body(exchange.getRequestBody()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest.BodyPublisher body(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
