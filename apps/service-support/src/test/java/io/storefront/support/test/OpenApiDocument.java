package io.storefront.support.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.support.web.ReleaseVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks on a service's OpenAPI document, the same for every service. */
public final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /**
     * Every schema of every request and response has a description, the document names the base path, and its version
     * is the release version the AsyncAPI document carries too.
     */
    public static void assertEverySchemaDescribed(WebTestClient web, String basePath) {
        String body = web.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode document = JsonMapper.builder().build().readTree(body);
        assertThat(document.path("servers").get(0).path("url").asString()).endsWith(basePath);
        assertThat(document.path("info").path("version").asString()).isEqualTo(ReleaseVersion.current());
        web.get().uri("/asyncapi").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.info.version").isEqualTo(ReleaseVersion.current());
        List<String> undescribed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> schema : document.path("components").path("schemas").properties()) {
            boolean isEnum = schema.getValue().has("enum");
            if (!isEnum && schema.getValue().path("description").asString("").isBlank()) {
                undescribed.add(schema.getKey());
            }
        }
        assertThat(undescribed).as("schemas without a description").isEmpty();
        assertThat(document.path("paths").size()).isPositive();
    }
}
