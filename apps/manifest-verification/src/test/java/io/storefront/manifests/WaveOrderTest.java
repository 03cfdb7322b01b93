package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WaveOrderTest {

    @Test
    void argoCdWiringOfTheRepositoryHolds() {
        WaveOrder.Model model = WaveOrder.Model.ofRepository();
        assertThat(WaveOrder.check(model)).isEmpty();
        assertThat(model.root()).filteredOn(m -> m.is("Application")).hasSizeGreaterThanOrEqualTo(17);
    }

    @Test
    void everyExtraComesAfterTheStorefrontAndItsRoutes() {
        List<Manifest> apps = WaveOrder.Model.ofRepository().root().stream().filter(m -> m.is("Application")).toList();
        List<Manifest> storefront = apps.stream()
                .filter(a -> WaveOrder.STOREFRONT_PROJECT.equals(Yamls.str(a.spec().get("project")))).toList();
        List<Manifest> extras = apps.stream().filter(a -> WaveOrder.EXTRA.equals(WaveOrder.tier(a))).toList();
        assertThat(storefront).extracting(Manifest::name).contains("storefront", "istio-routing");
        assertThat(extras).isNotEmpty();
        int lastCoreWave = storefront.stream().mapToInt(WaveOrder::wave).max().getAsInt();
        assertThat(extras).allSatisfy(extra -> assertThat(WaveOrder.wave(extra)).as(extra.name())
                .isGreaterThan(lastCoreWave));
    }

    @Test
    void everyChildApplicationPathExistsAndRenders() {
        List<String> paths = Rendered.applicationPaths(Rendered.folder(WaveOrder.CLUSTER).objectsOrFail());
        assertThat(paths).contains(".argocd/install", "clusters/minikube/storefront", "clusters/minikube/istio");
        assertThat(paths).allSatisfy(path -> assertThat(Rendered.folder(path).error()).as(path).isNull());
    }

    @Test
    void chartVersionPattern() {
        assertThat(List.of("1.30.4", "0.45.2", "v2.30.0", "11.6.1-rc.1"))
                .allMatch(v -> WaveOrder.PINNED_VERSION.matcher(v).matches());
        assertThat(List.of("*", "1.*", "^1.2.0", "~1.2", ">=1.0.0", "1.30", "HEAD", "latest", "main", "1.x"))
                .noneMatch(v -> WaveOrder.PINNED_VERSION.matcher(v).matches());
    }

    private static Consumer<WaveOrder.Model> wave(String app, String value) {
        return m -> m.app(app).annotations().put(WaveOrder.WAVE, value);
    }

    private static Consumer<WaveOrder.Model> source(String app, String field, Object value) {
        return m -> Yamls.map(m.app(app).spec().get("source")).put(field, value);
    }

    private static Consumer<WaveOrder.Model> tier(String app, String value) {
        return m -> m.app(app).labels().put(WaveOrder.TIER, value);
    }

    private static Map<String, Object> spec(WaveOrder.Model m, String kind, String name) {
        return (kind.equals("Application") ? m.app(name) : m.project(name)).spec();
    }

    /** Each rule, fed a broken copy of the real model, must report a problem. */
    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("Strimzi CR before its CRD owner", wave("kafka-topics", "0")),
                Arguments.of("Istio CR in the CRD owner's wave", wave("istio-routing", "0")),
                Arguments.of("CRD owner not declared", (Consumer<WaveOrder.Model>) m ->
                        m.app("strimzi-operator").annotations().remove(WaveOrder.CRD_GROUPS)),
                Arguments.of("CRD group declared by the wrong app", (Consumer<WaveOrder.Model>) m -> {
                    m.app("istio-base").annotations().put(WaveOrder.CRD_GROUPS, "telemetry.istio.io");
                    m.app("istiod").annotations().put(WaveOrder.CRD_GROUPS, "networking.istio.io,security.istio.io");
                }),
                Arguments.of("namespace created too late", wave("namespaces", "5")),
                Arguments.of("declared dependency broken", wave("istio-routing", "5")),
                Arguments.of("project after applications", (Consumer<WaveOrder.Model>) m ->
                        m.project("platform").annotations().put(WaveOrder.WAVE, "9")),
                Arguments.of("chart version *", source("istio-ingressgateway", "targetRevision", "*")),
                Arguments.of("chart version range", source("istio-ingressgateway", "targetRevision", "1.*")),
                Arguments.of("chart version of a multi-source app", (Consumer<WaveOrder.Model>) m ->
                        Yamls.maps(spec(m, "Application", "kiali").get("sources")).get(1).put("targetRevision", "2.*")),
                Arguments.of("chart version HEAD", source("istiod", "targetRevision", "HEAD")),
                Arguments.of("chart version latest", source("strimzi-operator", "targetRevision", "latest")),
                Arguments.of("chart version caret range", source("istio-base", "targetRevision", "^1.30.0")),
                Arguments.of("missing source path", source("cmak", "path", "clusters/minikube/nope")),
                Arguments.of("unlabelled repo source", (Consumer<WaveOrder.Model>) m ->
                        m.app("mongodb").labels().remove(WaveOrder.REPO_LABEL)),
                Arguments.of("source not from gitops-source", source("storefront", "targetRevision", "other")),
                Arguments.of("chart repo not allowed", (Consumer<WaveOrder.Model>) m ->
                        Yamls.list(spec(m, "AppProject", "platform").get("sourceRepos")).remove("https://kiali.org/helm-charts")),
                Arguments.of("CreateNamespace", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(spec(m, "Application", "mongodb").get("syncPolicy")).put("syncOptions",
                                new java.util.ArrayList<>(List.of("CreateNamespace=true")))),
                Arguments.of("no finalizer", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(m.app("mongodb").body().get("metadata")).remove("finalizers")),
                Arguments.of("no selfHeal", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(Yamls.at(spec(m, "Application", "cmak"), "syncPolicy", "automated")).remove("selfHeal")),
                Arguments.of("no retry", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(spec(m, "Application", "cmak").get("syncPolicy")).remove("retry")),
                Arguments.of("no ServerSideApply for Strimzi", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(spec(m, "Application", "strimzi-operator").get("syncPolicy")).remove("syncOptions")),
                Arguments.of("ignoreDifferences without RespectIgnoreDifferences", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(spec(m, "Application", "istiod").get("syncPolicy")).remove("syncOptions")),
                Arguments.of("unknown project", (Consumer<WaveOrder.Model>) m -> spec(m, "Application", "kiali").put("project", "default")),
                Arguments.of("namespace not a destination", (Consumer<WaveOrder.Model>) m ->
                        Yamls.list(spec(m, "AppProject", "platform").get("destinations")).remove(0)),
                Arguments.of("kind not whitelisted", (Consumer<WaveOrder.Model>) m ->
                        Yamls.list(spec(m, "AppProject", "storefront").get("namespaceResourceWhitelist")).remove(0)),
                Arguments.of("cluster kind not whitelisted", (Consumer<WaveOrder.Model>) m ->
                        spec(m, "AppProject", "platform").put("clusterResourceWhitelist", new java.util.ArrayList<>())),
                Arguments.of("platform app in dev", (Consumer<WaveOrder.Model>) m ->
                        Yamls.map(spec(m, "Application", "kiali").get("destination")).put("namespace", "dev")),
                Arguments.of("extra before the storefront", wave("prometheus", "4")),
                Arguments.of("tracing backend in a core wave", wave("jaeger", "3")),
                Arguments.of("Telemetry CRD owner not declared", (Consumer<WaveOrder.Model>) m ->
                        m.app("istio-base").annotations().put(WaveOrder.CRD_GROUPS,
                                "networking.istio.io,security.istio.io,extensions.istio.io")),
                Arguments.of("tracing chart repo not allowed", (Consumer<WaveOrder.Model>) m ->
                        Yamls.list(spec(m, "AppProject", "platform").get("sourceRepos"))
                                .remove("https://jaegertracing.github.io/helm-charts")),
                Arguments.of("extra between the storefront and its routes", wave("mongo-express", "5")),
                Arguments.of("core after the extras", wave("istio-routing", "11")),
                Arguments.of("extras spread over two waves", wave("cmak", "11")),
                Arguments.of("no tier label", (Consumer<WaveOrder.Model>) m ->
                        m.app("grafana").labels().remove(WaveOrder.TIER)),
                Arguments.of("unknown tier", tier("zoo-entrance", "optional")),
                Arguments.of("storefront project app labelled extra", tier("istio-routing", WaveOrder.EXTRA)),
                Arguments.of("core depends on an extra", tier("kafka-topics", WaveOrder.EXTRA)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void brokenWiringIsReported(String name, Consumer<WaveOrder.Model> breakage) {
        WaveOrder.Model broken = WaveOrder.Model.ofRepository().copy();
        breakage.accept(broken);
        assertThat(WaveOrder.check(broken)).as(name).isNotEmpty();
    }

    @AfterAll
    static void summary() {
        System.out.println("[manifest-verification] Argo CD waves: " + WaveOrder.waves(WaveOrder.Model.ofRepository()));
    }
}
