package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.storefront.contracts.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CrossReferencesTest {

    /**
     * The service modules: apps/* that build a Jib image (storefront/<module>); while no module declares Jib yet,
     * those with a Spring Boot application.
     */
    static Set<String> serviceModules() {
        Set<String> jib = modulesWhosePomContains("jib-maven-plugin");
        return jib.isEmpty() ? modulesWhosePomContains("spring-boot-maven-plugin") : jib;
    }

    private static Set<String> modulesWhosePomContains(String text) {
        Set<String> modules = new TreeSet<>();
        for (String pom : Repository.files("pom.xml"::equals)) {
            String[] parts = pom.split("/");
            if (parts.length == 3 && parts[0].equals("apps") && Repository.read(pom).contains(text)) {
                modules.add(parts[1]);
            }
        }
        return modules;
    }

    static Set<String> declaredNamespaces() {
        Set<String> declared = new TreeSet<>();
        Rendered.folder("platform/namespaces").objectsOrFail().forEach(ns -> declared.add(ns.name()));
        // Argo CD's own namespace comes with its bootstrap install (kubectl apply -k .argocd/install).
        Rendered.folder(".argocd/install").objectsOrFail().stream().filter(o -> o.is("Namespace"))
                .forEach(ns -> declared.add(ns.name()));
        return declared;
    }

    static Map<String, String> manifestSources() {
        Map<String, String> sources = new LinkedHashMap<>();
        Repository.files(n -> n.endsWith(".yaml") || n.endsWith(".yml")).stream()
                .filter(p -> p.startsWith("platform/") || p.startsWith("clusters/") || p.startsWith("kustomize/"))
                .forEach(p -> sources.put(p, Repository.read(p)));
        return sources;
    }

    /** A mutable copy of everything clusters/minikube deploys from this repository, with one change. */
    static List<Manifest> cluster(Consumer<List<Manifest>> change) {
        List<Manifest> copy = new ArrayList<>(Rendered.cluster().stream().map(Manifest::copy).toList());
        change.accept(copy);
        return copy;
    }

    static Manifest find(List<Manifest> objects, String kind, String name) {
        return objects.stream().filter(o -> o.is(kind) && name.equals(o.name())).findFirst().orElseThrow();
    }

    static Map<String, Object> mainContainer(Manifest workload) {
        return Workloads.containers(workload).get(0).body();
    }

    // -------------------------------------------------------------------------------- the repository

    @Test
    void repositoryCrossReferencesHold() {
        // What this repository deploys, plus the Services of the pinned charts that it points at.
        List<Manifest> cluster = new ArrayList<>(Rendered.cluster());
        cluster.addAll(ChartServices.services(Rendered.folder(WaveOrder.CLUSTER).objectsOrFail()));
        assertThat(CrossReferences.istioReferences(cluster)).isEmpty();
        assertThat(CrossReferences.prometheusTargets(cluster)).isEmpty();
        assertThat(CrossReferences.kafkaTopics(cluster, CrossReferences.serviceTopics()))
                .isEmpty();
        assertThat(CrossReferences.images(cluster, Repository.version(), serviceModules())).isEmpty();
        assertThat(CrossReferences.serviceHosts(cluster)).isEmpty();
    }

    @Test
    void everyReferencedNamespaceIsDeclaredInEveryFolder() {
        assertThat(declaredNamespaces()).contains("dev", "mongo", "kafka", "storefront-kafka-project", "istio-system",
                "observability", "argocd");
        assertThat(CrossReferences.namespaces(Rendered.allObjects(), declaredNamespaces())).isEmpty();
    }

    @Test
    void noLatestTagAnywhereButTheCommentedZooEntrance() {
        assertThat(CrossReferences.latestTags(Rendered.allObjects(), manifestSources())).isEmpty();
        assertThat(Workloads.containers(Rendered.cluster())).extracting(Workloads.Container::image)
                .contains("ghcr.io/scholzj/zoo-entrance:latest");
    }

    @Test
    void theTestsRunTheMongoDbImageTheClusterRuns() {
        String tested = System.getProperty("storefront.mongodb.image");
        assertThat(tested).as("mongodb.image from the root pom").startsWith("mongo:");
        assertThat(Workloads.containers(Rendered.cluster())).extracting(Workloads.Container::image)
                .filteredOn(image -> image.startsWith("mongo:"))
                .containsOnly(tested);
    }

    @Test
    void serviceModulesAreTheThreeServices() {
        assertThat(serviceModules()).containsExactlyInAnyOrder("accounts", "orders", "fulfillment");
    }

    @Test
    void strimziServicesAreDerivedFromTheKafkaResource() {
        assertThat(CrossReferences.services(Rendered.cluster()))
                .containsKey("storefront-kafka-project/kafka-cluster-kafka-bootstrap")
                .containsKey("storefront-kafka-project/kafka-cluster-zookeeper-client");
    }

    // -------------------------------------------------------------------------------- broken cases

    @Test
    void virtualServiceToAMissingPortIsReported() {
        List<Manifest> broken = cluster(objects -> {
            Map<String, Object> destination = Yamls.map(Yamls.at(find(objects, "VirtualService", "storefront").spec(),
                    "http", "0", "route", "0", "destination"));
            Yamls.map(destination.get("port")).put("number", 8082);
        });
        assertThat(CrossReferences.istioReferences(broken)).anySatisfy(p -> assertThat(p).contains("has no port 8082"));
    }

    @Test
    void virtualServiceToAMissingServiceIsReported() {
        Manifest vs = Manifest.of("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: demo, namespace: dev}
                spec:
                  hosts: ["*"]
                  gateways: [no-such-gateway]
                  http: [{route: [{destination: {host: acounts.dev.svc.cluster.local, port: {number: 8080}}}]}]
                """);
        assertThat(CrossReferences.istioReferences(List.of(vs)))
                .anySatisfy(p -> assertThat(p).contains("acounts.dev.svc.cluster.local is not a declared Service"))
                .anySatisfy(p -> assertThat(p).contains("no-such-gateway"));
    }

    @Test
    void destinationRuleForAMissingServiceIsReported() {
        List<Manifest> broken = cluster(objects -> find(objects, "DestinationRule", "orders").spec()
                .put("host", "order.dev.svc.cluster.local"));
        assertThat(CrossReferences.istioReferences(broken)).anySatisfy(p -> assertThat(p).contains("order.dev.svc"));
    }

    @Test
    void prometheusJobThatMissesTheManagementPortIsReported() {
        List<Manifest> wrongPortName = cluster(objects -> Yamls.maps(mainContainer(find(objects, "Deployment", "orders"))
                .get("ports")).get(1).put("name", "management"));
        assertThat(CrossReferences.prometheusTargets(wrongPortName))
                .anySatisfy(p -> assertThat(p).contains("finds no target"));

        List<Manifest> wrongPath = cluster(objects -> Yamls.map(Yamls.at(Workloads.podTemplate(
                find(objects, "Deployment", "accounts")), "metadata", "annotations")).put("prometheus.io/path", "/metrics"));
        assertThat(CrossReferences.prometheusTargets(wrongPath)).anySatisfy(p -> assertThat(p).contains("/metrics"));

        List<Manifest> notScraped = cluster(objects -> Yamls.map(Yamls.at(Workloads.podTemplate(
                find(objects, "Deployment", "fulfillment")), "metadata", "annotations")).remove("prometheus.io/scrape"));
        assertThat(CrossReferences.prometheusTargets(notScraped)).anySatisfy(p -> assertThat(p).contains("prometheus.io/scrape"));

        List<Manifest> wrongConfig = cluster(objects -> {
            Map<String, Object> data = Yamls.map(find(objects, "ConfigMap", "prometheus-config").body().get("data"));
            data.put("prometheus.yml", String.valueOf(data.get("prometheus.yml"))
                    .replace("metrics_path: /actuator/prometheus", "metrics_path: /actuator/metrics")
                    .replace("            - dev\n", "            - prod\n"));
        });
        assertThat(CrossReferences.prometheusTargets(wrongConfig))
                .anySatisfy(p -> assertThat(p).contains("metrics_path /actuator/metrics"))
                .anySatisfy(p -> assertThat(p).contains("is not discovered"));

        List<Manifest> noPolicy = cluster(objects -> objects.removeIf(o -> "allow-prometheus-to-management".equals(o.name())));
        assertThat(CrossReferences.prometheusTargets(noPolicy)).anySatisfy(p -> assertThat(p).contains("AuthorizationPolicy"));
    }

    @Test
    void wrongTopicNameIsReported() {
        List<Manifest> broken = cluster(objects -> find(objects, "KafkaTopic", "orders.order.change.dlt").spec()
                .put("topicName", "orders.order.change.dlq"));
        Set<String> topics = CrossReferences.serviceTopics();
        assertThat(CrossReferences.kafkaTopics(broken, topics))
                .anySatisfy(p -> assertThat(p).contains("no KafkaTopic declares")
                        .contains(Topics.deadLetterOf(Topics.ORDER_CHANGES)))
                .anySatisfy(p -> assertThat(p).contains("no service uses").contains("orders.order.change.dlq"));
        List<Manifest> wrongCluster = cluster(objects -> find(objects, "KafkaTopic", "orders.order.change").labels()
                .put("strimzi.io/cluster", "kafka"));
        assertThat(CrossReferences.kafkaTopics(wrongCluster, topics)).anySatisfy(p -> assertThat(p).contains("strimzi.io/cluster"));
    }

    @Test
    void wrongImageIsReported() {
        List<Manifest> wrongTag = cluster(objects -> mainContainer(find(objects, "Deployment", "orders"))
                .put("image", "storefront/orders:0.0.9"));
        assertThat(CrossReferences.images(wrongTag, "0.1.0", serviceModules()))
                .anySatisfy(p -> assertThat(p).contains("not tagged with the project version 0.1.0"))
                .anySatisfy(p -> assertThat(p).contains("differs from the image tag"));
        List<Manifest> wrongName = cluster(objects -> mainContainer(find(objects, "Deployment", "orders"))
                .put("image", "storefront/order:0.1.0"));
        assertThat(CrossReferences.images(wrongName, "0.1.0", serviceModules()))
                .anySatisfy(p -> assertThat(p).contains("is not storefront/orders"));
        List<Manifest> missing = cluster(objects -> objects.removeIf(o -> o.is("Deployment") && "fulfillment".equals(o.name())));
        assertThat(CrossReferences.images(missing, "0.1.0", serviceModules()))
                .anySatisfy(p -> assertThat(p).contains("without a Deployment: [fulfillment]"));
        // platform-cli images / CI tags: <version>-<commit>
        List<Manifest> bumped = cluster(objects -> {
            Manifest orders = find(objects, "Deployment", "orders");
            mainContainer(orders).put("image", "ghcr.io/me/storefront/orders:0.1.0-0123abcd");
            Yamls.map(Yamls.at(Workloads.podTemplate(orders), "metadata", "labels")).put("version", "0.1.0-0123abcd");
        });
        assertThat(CrossReferences.images(bumped, "0.1.0", serviceModules())).isEmpty();
    }

    @Test
    void kafkaAndMongoHostsThatAreNoServiceAreReported() {
        List<Manifest> wrongBootstrap = cluster(objects -> Yamls.maps(mainContainer(find(objects, "Deployment", "accounts"))
                .get("env")).get(0).put("value", "kafka-cluster-kafka-bootstrap.kafka.svc:9092"));
        assertThat(CrossReferences.serviceHosts(wrongBootstrap))
                .anySatisfy(p -> assertThat(p).contains("kafka/kafka-cluster-kafka-bootstrap"));
        List<Manifest> wrongPort = cluster(objects -> Yamls.maps(mainContainer(find(objects, "Deployment", "accounts"))
                .get("env")).get(0).put("value", "kafka-cluster-kafka-bootstrap.storefront-kafka-project.svc:9093"));
        assertThat(CrossReferences.serviceHosts(wrongPort)).anySatisfy(p -> assertThat(p).contains("no port 9093"));
        List<Manifest> wrongMongo = cluster(objects -> {
            Manifest secret = objects.stream().filter(o -> o.is("Secret") && o.name().startsWith("orders-mongodb"))
                    .findFirst().orElseThrow();
            Yamls.map(secret.body().get("data")).put("uri", java.util.Base64.getEncoder().encodeToString(
                    "mongodb://orders:pw@mongodb.mongo.svc:27017/orders".getBytes()));
        });
        assertThat(CrossReferences.serviceHosts(wrongMongo))
                .anySatisfy(p -> assertThat(p).contains("MongoDB URI").contains("mongo/mongodb"));
        List<Manifest> wrongZookeeper = cluster(objects -> Yamls.maps(mainContainer(find(objects, "Deployment", "zoo-entrance"))
                .get("env")).get(1).put("value", "kafka-cluster-zookeeper:2181"));
        assertThat(CrossReferences.serviceHosts(wrongZookeeper))
                .anySatisfy(p -> assertThat(p).contains("(storefront-kafka-project/kafka-cluster-zookeeper)"));
        List<Manifest> wrongSecret = cluster(objects -> Yamls.map(Yamls.at(mainContainer(find(objects, "Deployment", "accounts")),
                "env", "1", "valueFrom", "secretKeyRef")).put("key", "url"));
        assertThat(CrossReferences.serviceHosts(wrongSecret)).anySatisfy(p -> assertThat(p).contains("has no key url"));
    }

    @Test
    void undeclaredNamespaceIsReported() {
        List<Manifest> broken = cluster(objects -> Yamls.map(find(objects, "Deployment", "cmak").body().get("metadata"))
                .put("namespace", "kafka-ui"));
        assertThat(CrossReferences.namespaces(broken, declaredNamespaces()))
                .anySatisfy(p -> assertThat(p).contains("namespace kafka-ui is not declared"));
        Manifest policy = Manifest.of("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: demo, namespace: dev}
                spec: {rules: [{from: [{source: {principals: [cluster.local/ns/monitoring/sa/prometheus]}}]}]}
                """);
        assertThat(CrossReferences.namespaces(List.of(policy), declaredNamespaces()))
                .anySatisfy(p -> assertThat(p).contains("namespace monitoring"));
    }

    @Test
    void latestTagIsReported() {
        List<Manifest> latest = cluster(objects -> mainContainer(find(objects, "StatefulSet", "mongo")).put("image", "mongo:latest"));
        assertThat(CrossReferences.latestTags(latest, manifestSources())).anySatisfy(p -> assertThat(p).contains("mongo:latest"));
        List<Manifest> untagged = cluster(objects -> mainContainer(find(objects, "Deployment", "cmak")).put("image", "hlebalbau/kafka-manager"));
        assertThat(CrossReferences.latestTags(untagged, manifestSources())).anySatisfy(p -> assertThat(p).contains("no tag"));
        // Zoo Entrance keeps `latest` only with its comment.
        Map<String, String> uncommented = Map.of("platform/zoo-entrance/zoo-entrance.yaml", """
                      containers:
                        - name: zoo-entrance
                          image: ghcr.io/scholzj/zoo-entrance:latest
                """);
        assertThat(CrossReferences.latestTags(Rendered.cluster(), uncommented))
                .anySatisfy(p -> assertThat(p).contains("only with a comment"));
        Manifest chart = Manifest.of("""
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: demo}
                spec: {source: {chart: demo, helm: {valuesObject: {image: {tag: latest}}}}}
                """);
        assertThat(CrossReferences.latestTags(List.of(chart), Map.of())).anySatisfy(p -> assertThat(p).contains("image.tag"));
    }

    @AfterAll
    static void summary() {
        List<Manifest> cluster = Rendered.cluster();
        System.out.printf("[manifest-verification] cross-references over %d deployed objects: %d Services (incl. Strimzi's), "
                        + "%d KafkaTopics = %s, %d storefront Deployments at %s, %d namespaces declared%n",
                cluster.size(), CrossReferences.services(cluster).size(),
                cluster.stream().filter(o -> o.is("KafkaTopic")).count(),
                CrossReferences.serviceTopics(),
                CrossReferences.storefrontDeployments(cluster).size(), Repository.version(), declaredNamespaces().size());
    }
}
