package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each service's Swagger UI in headless Chromium, under the service's base path and once more through the gateway's
 * routes ({@link GatewayStandIn}: one host for all three, as the Istio gateway serves them): every operation of the
 * service's OpenAPI document is listed, and "Try it out" on a GET without parameters shows the service's answer.
 * Screenshots go to target/swagger-ui/.
 */
class SwaggerUiInBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path SCREENSHOTS = Path.of("target", "swagger-ui");

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static LocalStack stack;
    static GatewayStandIn gateway;
    static HeadlessChromium chromium;
    static Path chromiumDir;
    static String apiDocsPath;
    static String swaggerUiPath;

    @BeforeAll
    static void startStackGatewayAndBrowser() throws Exception {
        Optional<Path> binary = ExternalTools.onPath("chromium");
        Assumptions.assumeTrue(binary.isPresent(), "SKIPPED: the chromium binary is not on the PATH (Debian:"
                + " apt-get install chromium; .ci/run installs it), so Swagger UI is not checked in a browser");
        Map<String, Object> springdoc = LocalPrometheusConfig.map(LocalPrometheusConfig.load(TestStacks.appsDir()
                .resolve("service-support/src/main/resources/storefront-defaults.yml")).get("springdoc"));
        apiDocsPath = LocalPrometheusConfig.map(springdoc.get("api-docs")).get("path").toString();
        swaggerUiPath = LocalPrometheusConfig.map(springdoc.get("swagger-ui")).get("path").toString();

        stack = LocalStack.start(TestStacks.freshConfig(), new Progress(System.out));
        StorefrontClient.local(stack.config()).post("accounts", "/customers/sample");
        gateway = GatewayStandIn.start(stack.config());
        chromiumDir = Files.createTempDirectory("storefront-chromium-");
        chromium = HeadlessChromium.start(binary.get(), chromiumDir);
    }

    @AfterAll
    static void stopAll() {
        if (chromium != null) {
            chromium.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (stack != null) {
            stack.close();
        }
        ExternalTools.deleteRecursively(chromiumDir);
    }

    @Test
    void eachServiceSwaggerUiUnderItsBasePathListsEveryOperationAndTriesOneOut() throws Exception {
        for (StackConfig.Service service : stack.config().services()) {
            checkSwaggerUi("base-path", service.name(), service.baseUrl());
        }
    }

    @Test
    void eachServiceSwaggerUiThroughTheGatewayRoutesListsEveryOperationAndTriesOneOut() throws Exception {
        for (StackConfig.Service service : stack.config().services()) {
            String tried = checkSwaggerUi("gateway", service.name(), gateway.baseUrl() + "/" + service.name());
            assertThat(gateway.forwarded()).as("requests the gateway stand-in sent on")
                    .contains("GET /" + service.name() + swaggerUiPath, "GET /" + service.name() + tried);
        }
    }

    /** Returns the path (under the base) of the operation it tried out. */
    private static String checkSwaggerUi(String route, String service, String base) throws Exception {
        HttpResponse<String> apiDocs = get(base + apiDocsPath);
        assertThat(apiDocs.statusCode()).as("GET %s%s (%s)", base, apiDocsPath, route).isEqualTo(200);
        JsonNode document = JSON.readTree(apiDocs.body());
        TreeSet<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                operations.add(operation.getKey().toUpperCase() + " " + path.getKey())));
        assertThat(operations).as("operations in %s's OpenAPI document", service).isNotEmpty();

        chromium.navigate(base + swaggerUiPath);
        ExternalTools.awaitCondition(service + "'s Swagger UI (" + route + ") lists " + operations.size()
                        + " operations", WAIT,
                () -> chromium.evaluate("document.querySelectorAll('.opblock').length").asInt() >= operations.size()
                        || chromium.evaluate("!!document.querySelector('pre.errors-wrapper')").asBoolean(),
                SwaggerUiInBrowserTest::pageText);
        assertThat(chromium.evaluate("document.querySelector('pre.errors-wrapper')?.innerText ?? ''").asString())
                .as("errors %s's Swagger UI (%s) shows at %s", service, route, base + swaggerUiPath).isEmpty();
        TreeSet<String> listed = new TreeSet<>();
        chromium.evaluate("[...document.querySelectorAll('.opblock')].map(b =>"
                        + " b.querySelector('.opblock-summary-method').textContent + ' '"
                        + " + b.querySelector('[data-path]').getAttribute('data-path'))")
                .forEach(entry -> listed.add(entry.asString()));
        assertThat(listed).as("operations %s's Swagger UI (%s) lists", service, route).isEqualTo(operations);

        String path = getWithoutParameters(document);
        HttpResponse<String> direct = get(base + path);
        assertThat(direct.statusCode()).as("GET %s%s", base, path).isEqualTo(200);
        JsonNode answer = tryItOut(path);
        Path screenshot = SCREENSHOTS.resolve(route + "-" + service + ".png");
        chromium.screenshot(screenshot);

        assertThat(answer.path("status").asString()).as("status of Try it out: GET %s in %s's Swagger UI (%s)", path,
                service, route).isEqualTo("200");
        assertThat(answer.path("requestUrl").asString()).as("request URL of Try it out").isEqualTo(base + path);
        assertThat(JSON.readTree(answer.path("body").asString())).as("response body shown by Try it out")
                .isEqualTo(JSON.readTree(direct.body()));
        System.out.printf("Swagger UI of %s (%s, %s): %d operations listed; Try it out GET %s answered %s; %s%n",
                service, route, base + swaggerUiPath, listed.size(), path, answer.path("status").asString(),
                screenshot.toAbsolutePath());
        return path;
    }

    /** A GET operation without parameters, a summary if there is one. */
    private static String getWithoutParameters(JsonNode document) {
        List<String> candidates = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            JsonNode get = path.getValue().path("get");
            if (get.isObject() && get.path("parameters").isEmpty()) {
                candidates.add(path.getKey());
            }
        });
        assertThat(candidates).as("GET operations without parameters").isNotEmpty();
        return candidates.stream().filter(p -> p.endsWith("/summary")).findFirst().orElse(candidates.get(0));
    }

    /** Expands the GET operation, clicks "Try it out" and "Execute", and returns what the page shows. */
    private static JsonNode tryItOut(String path) {
        String block = "[...document.querySelectorAll('.opblock')].find(b =>"
                + " b.querySelector('.opblock-summary-method').textContent === 'GET'"
                + " && b.querySelector('[data-path]').getAttribute('data-path') === " + JSON.writeValueAsString(path)
                + ")";
        chromium.evaluate("(" + block + ").querySelector('.opblock-summary-control').click()");
        clickWhenShown(block, ".try-out__btn", "Try it out");
        clickWhenShown(block, ".execute", "Execute");
        String status = "(" + block + ").querySelector('.live-responses-table .response .response-col_status')";
        ExternalTools.awaitCondition("the answer to GET " + path + " in the page", WAIT,
                () -> chromium.evaluate("!!" + status).asBoolean(), SwaggerUiInBrowserTest::pageText);
        return chromium.evaluate("(() => { const b = " + block + "; return {"
                + " status: b.querySelector('.live-responses-table .response .response-col_status').firstChild"
                + ".textContent.trim(),"
                + " requestUrl: b.querySelector('.request-url pre').textContent.trim(),"
                + " body: b.querySelector('.live-responses-table .response .response-col_description pre')"
                + ".textContent"
                + " }; })()");
    }

    private static void clickWhenShown(String block, String selector, String what) {
        String button = "(" + block + ").querySelector('" + selector + "')";
        ExternalTools.awaitCondition("the \"" + what + "\" button", WAIT,
                () -> chromium.evaluate("!!" + button).asBoolean(), SwaggerUiInBrowserTest::pageText);
        chromium.evaluate(button + ".click()");
    }

    private static String pageText() {
        return chromium.evaluate("location.href + '\\n' + (document.body ? document.body.innerText.slice(0, 1500)"
                + " : '(no body)')").asString();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
