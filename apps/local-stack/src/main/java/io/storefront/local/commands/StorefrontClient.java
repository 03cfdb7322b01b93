package io.storefront.local.commands;

import io.storefront.local.stack.StackConfig;
import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the three services by their public API only. The paths are the same locally and behind the Istio gateway;
 * only the base URLs differ (three local ports, or one gateway address).
 */
public final class StorefrontClient {

    private final String accounts;
    private final String orders;
    private final String fulfillment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public StorefrontClient(String accountsBase, String ordersBase, String fulfillmentBase) {
        this.accounts = strip(accountsBase);
        this.orders = strip(ordersBase);
        this.fulfillment = strip(fulfillmentBase);
    }

    /** One base for all three, e.g. the Istio gateway {@code http://127.0.0.1}. */
    public static StorefrontClient gateway(String base) {
        String root = strip(base);
        return new StorefrontClient(root + "/accounts", root + "/orders", root + "/fulfillment");
    }

    public static StorefrontClient local(StackConfig config) {
        return new StorefrontClient(config.service("accounts").baseUrl(), config.service("orders").baseUrl(),
                config.service("fulfillment").baseUrl());
    }

    public JsonNode accountsSummary() {
        return get(accounts + "/customers/summary");
    }

    public JsonNode ordersSummary() {
        return get(orders + "/customers/summary");
    }

    public JsonNode fulfillmentSummary() {
        return get(fulfillment + "/fulfillments/summary");
    }

    public JsonNode post(String service, String path) {
        String base = switch (service) {
            case "accounts" -> accounts;
            case "orders" -> orders;
            case "fulfillment" -> fulfillment;
            default -> throw new IllegalArgumentException(service);
        };
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public JsonNode get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(15)).header("Accept", "application/json").build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new StackFailure(built.method() + " " + built.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new StackFailure(built.method() + " " + built.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    private static String strip(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
