package io.storefront.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.support.test.OpenApiDocument;
import io.storefront.support.test.StorefrontIntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Management endpoints live on their own port and expose health, info and prometheus only. */
@StorefrontIntegrationTest
class OperationalEndpointsTest {

    @Autowired WebTestClient web;
    @LocalManagementPort int managementPort;

    @Test
    void theApplicationPortServesNoActuatorEndpoints() {
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
        web.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
    }

    @Test
    void theManagementPortServesHealthGroupsInfoAndPrometheusOnly() {
        // What is exposed is the point here, not how fast: 30 s per request (WebTestClient's default is 5 s) so that
        // a busy shared build machine cannot fail it. The readiness check asks MongoDB and Kafka, the first Prometheus
        // scrape renders every meter.
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        // Readiness is the service's own state; MongoDB and Kafka are reported by the full health endpoint.
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.mongo").doesNotExist()
                .jsonPath("$.components.kafka").doesNotExist();
        management.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.kafka.status").isEqualTo("UP");
        management.get().uri("/actuator/info").exchange().expectStatus().isOk();
        for (String hidden : new String[] {"env", "beans", "heapdump", "loggers", "mappings", "configprops", "threaddump"}) {
            management.get().uri("/actuator/" + hidden).exchange().expectStatus().isNotFound();
        }
        String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("storefront_outbox_pending_events", "application=\"accounts\"");
    }

    @Test
    void openApiAndSwaggerUiAreServedUnderTheBasePath() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.servers[0].url").value(url -> assertThat((String) url).endsWith("/accounts"))
                .jsonPath("$.paths['/customers']").exists()
                .jsonPath("$.paths['/customers/sample'].post").exists()
                .jsonPath("$.components.schemas.CustomerRequest.description").isNotEmpty()
                .jsonPath("$.components.schemas.CreditCard.description").isNotEmpty();
        OpenApiDocument.assertEverySchemaDescribed(web, "/accounts");
        web.get().uri("/asyncapi").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.asyncapi").isEqualTo("3.0.0")
                .jsonPath("$.channels.customerChanges.address").isEqualTo("accounts.customer.change")
                .jsonPath("$.components.schemas.CustomerEvent.required").isArray();
        web.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        web.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }
}
