package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TracingReferencesTest {

    /** The root's objects and what the Applications deploy, as mutable copies. */
    record Cluster(List<Manifest> root, List<Manifest> deployed) {

        static Cluster ofRepository() {
            return new Cluster(new ArrayList<>(Rendered.folder(WaveOrder.CLUSTER).objectsOrFail().stream().map(Manifest::copy).toList()),
                    new ArrayList<>(Rendered.cluster().stream().map(Manifest::copy).toList()));
        }

        Manifest app(String name) {
            return CrossReferencesTest.find(root, "Application", name);
        }

        Map<String, Object> values(String app) {
            return Yamls.map(Yamls.at(chartSource(app), "helm", "valuesObject"));
        }

        Map<String, Object> chartSource(String app) {
            return WaveOrder.sources(app(app)).stream().filter(s -> s.get("chart") != null).findFirst().orElseThrow();
        }

        Map<String, Object> otlpEnv(String deployment) {
            return Yamls.maps(CrossReferencesTest.mainContainer(CrossReferencesTest.find(deployed, "Deployment", deployment))
                    .get("env")).stream().filter(e -> TracingReferences.OTLP_ENDPOINT_ENV.equals(e.get("name")))
                    .findFirst().orElseThrow();
        }

        Manifest telemetry() {
            return CrossReferencesTest.find(deployed, "Telemetry", "mesh-default");
        }

        List<String> problems() {
            return TracingReferences.check(root, deployed);
        }
    }

    @Test
    void theRepositoryWiresEverythingToTheJaegerService() {
        Cluster cluster = Cluster.ofRepository();
        assertThat(cluster.problems()).isEmpty();
        assertThat(ChartServices.services(cluster.root())).extracting(Manifest::namespace, Manifest::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("observability", "jaeger"));
    }

    @Test
    void theServicesHostNamesResolveWithTheChartsServices() {
        List<Manifest> root = Rendered.folder(WaveOrder.CLUSTER).objectsOrFail();
        List<Manifest> withCharts = new ArrayList<>(Rendered.cluster());
        withCharts.addAll(ChartServices.services(root));
        assertThat(CrossReferences.serviceHosts(withCharts)).isEmpty();
        // Without the chart's Service, the services' export endpoint names nothing.
        assertThat(CrossReferences.serviceHosts(Rendered.cluster()))
                .anySatisfy(p -> assertThat(p).contains(TracingReferences.OTLP_ENDPOINT_ENV)
                        .contains("is not a declared Service (observability/jaeger)"));
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("services export to the gRPC port", "otlp-http port is 4318", (Consumer<Cluster>) c ->
                        c.otlpEnv("orders").put("value", "http://jaeger.observability.svc.cluster.local:4317/v1/traces")),
                Arguments.of("services export to another host", "is not the tracing backend's Service",
                        (Consumer<Cluster>) c -> c.otlpEnv("accounts")
                                .put("value", "http://jaeger-collector.observability.svc.cluster.local:4318/v1/traces")),
                Arguments.of("services export without the signal path", "OTLP over HTTP takes traces at /v1/traces",
                        (Consumer<Cluster>) c -> c.otlpEnv("fulfillment")
                                .put("value", "http://jaeger.observability.svc.cluster.local:4318")),
                Arguments.of("a service exports nothing", "the service exports no spans", (Consumer<Cluster>) c ->
                        Yamls.list(CrossReferencesTest.mainContainer(CrossReferencesTest.find(c.deployed(), "Deployment",
                                "orders")).get("env")).removeIf(e -> TracingReferences.OTLP_ENDPOINT_ENV.equals(Yamls.at(e, "name")))),
                Arguments.of("the proxies send to the OTLP HTTP port", "otlp-grpc port is 4317", (Consumer<Cluster>) c ->
                        Yamls.map(Yamls.at(c.values("istiod"), "meshConfig", "extensionProviders", "0", "opentelemetry"))
                                .put("port", 4318)),
                Arguments.of("Telemetry selects an undeclared provider", "is not one of istiod's meshConfig",
                        (Consumer<Cluster>) c -> Yamls.map(Yamls.at(c.telemetry().spec(), "tracing", "0", "providers", "0"))
                                .put("name", "otel-tracing")),
                Arguments.of("sampling left to Istio's default", "the sampling rate must be explicit",
                        (Consumer<Cluster>) c -> Yamls.map(Yamls.at(c.telemetry().spec(), "tracing", "0"))
                                .remove("randomSamplingPercentage")),
                Arguments.of("Telemetry only for one namespace", "no mesh-wide Telemetry", (Consumer<Cluster>) c ->
                        Yamls.map(c.telemetry().body().get("metadata")).put("namespace", "dev")),
                Arguments.of("Telemetry deployed apart from the backend", "is not deployed by the backend's Application",
                        (Consumer<Cluster>) c -> {
                            Manifest moved = new Manifest("clusters/minikube/istio", c.telemetry().body());
                            c.deployed().removeIf(o -> o.is("Telemetry"));
                            c.deployed().add(moved);
                        }),
                Arguments.of("Grafana queries the gRPC port", "http-query port is 16686", (Consumer<Cluster>) c ->
                        Yamls.maps(Yamls.at(c.values("grafana"), "datasources", "datasources.yaml", "datasources")).stream()
                                .filter(d -> "jaeger".equals(d.get("type"))).findFirst().orElseThrow()
                                .put("url", "http://jaeger.observability.svc.cluster.local:16685")),
                Arguments.of("Grafana without a Jaeger data source", "no data source of type jaeger", (Consumer<Cluster>) c ->
                        Yamls.list(Yamls.at(c.values("grafana"), "datasources", "datasources.yaml", "datasources"))
                                .removeIf(d -> "jaeger".equals(Yamls.at(d, "type")))),
                Arguments.of("Kiali on gRPC (its default) at the HTTP port", "grpc-query port is 16685", (Consumer<Cluster>) c ->
                        Yamls.map(Yamls.at(c.values("kiali"), "external_services", "tracing")).remove("use_grpc")),
                Arguments.of("Kiali without links to the UI", "no external_url", (Consumer<Cluster>) c ->
                        Yamls.map(Yamls.at(c.values("kiali"), "external_services", "tracing")).remove("external_url")),
                Arguments.of("Kiali tracing off", "not enabled", (Consumer<Cluster>) c ->
                        Yamls.map(Yamls.at(c.values("kiali"), "external_services", "tracing")).put("enabled", false)),
                Arguments.of("another release name renames the Service", "is not the tracing backend's Service",
                        (Consumer<Cluster>) c -> Yamls.map(c.chartSource("jaeger").get("helm")).put("releaseName", "traces")),
                Arguments.of("chart bumped without reading its Service again", "update ChartServices",
                        (Consumer<Cluster>) c -> c.chartSource("jaeger").put("targetRevision", "4.12.0")),
                Arguments.of("backend dropped, services still export", "no Application deploys the tracing backend",
                        (Consumer<Cluster>) c -> c.root().removeIf(o -> o.is("Application") && "jaeger".equals(o.name()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void brokenTracingWiringIsReported(String name, String expected, Consumer<Cluster> breakage) {
        Cluster broken = Cluster.ofRepository();
        breakage.accept(broken);
        assertThat(broken.problems()).as(name).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @AfterAll
    static void summary() {
        Cluster cluster = Cluster.ofRepository();
        ChartServices.Deployed backend = ChartServices.of(cluster.root()).get(0);
        System.out.printf("[manifest-verification] tracing: backend %s (%s), OTLP gRPC %d from the proxies, OTLP HTTP %d from %d"
                        + " services, query %d for Grafana and Kiali%n", backend.host(), backend.service().folder(),
                backend.port("otlp-grpc"), backend.port("otlp-http"),
                CrossReferences.storefrontDeployments(cluster.deployed()).size(), backend.port("http-query"));
    }
}
