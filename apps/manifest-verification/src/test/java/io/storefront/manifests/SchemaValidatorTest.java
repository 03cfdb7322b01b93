package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaValidatorTest {

    private static final SchemaValidator REPOSITORY = new SchemaValidator();

    @Test
    void everyRenderedObjectMatchesItsSchema() {
        List<Manifest> objects = Rendered.allObjects();
        assertThat(REPOSITORY.validateAll(objects)).isEmpty();
        assertThat(REPOSITORY.validatedByKind().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(objects.size());
    }

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: demo, namespace: dev, labels: {app: demo}}
            spec:
              replicas: 1
              selector: {matchLabels: {app: demo}}
              template:
                metadata: {labels: {app: demo}}
                spec:
                  containers:
                    - name: demo
                      image: demo:1.0.0
                      ports: [{name: http, containerPort: 8080}]
                      securityContext: {capabilities: {drop: [ALL]}}
            """;

    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: demo, namespace: dev}
            spec:
              selector: {app: demo}
              ports: [{name: http, port: 8080, targetPort: http}]
            """;

    static final String KAFKA_TOPIC = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata: {name: demo, namespace: kafka, labels: {strimzi.io/cluster: kafka-cluster}}
            spec:
              topicName: demo.topic
              partitions: 3
              replicas: 1
              config: {retention.ms: 604800000}
            """;

    static final String KAFKA = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata: {name: kafka-cluster, namespace: kafka}
            spec:
              kafka:
                version: 3.9.0
                replicas: 1
                listeners: [{name: plain, port: 9092, type: internal, tls: false}]
                storage: {type: ephemeral}
              zookeeper:
                replicas: 1
                storage: {type: ephemeral}
              entityOperator:
                topicOperator: {resources: {requests: {cpu: 50m}}}
            """;

    static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: demo, namespace: dev}
            spec:
              hosts: ["*"]
              gateways: [demo-gateway]
              http:
                - match: [{uri: {prefix: /demo/}}]
                  route:
                    - destination: {host: demo.dev.svc.cluster.local, port: {number: 8080}}
                      weight: 100
            """;

    static final String AUTHORIZATION_POLICY = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: demo, namespace: dev}
            spec:
              selector: {matchLabels: {app: demo}}
              action: ALLOW
              rules:
                - from: [{source: {principals: [cluster.local/ns/istio-system/sa/gw]}}]
                  to: [{operation: {ports: ["8080"], methods: [GET]}}]
            """;

    static final String PEER_AUTHENTICATION = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: dev}
            spec:
              mtls: {mode: STRICT}
            """;

    static final String APPLICATION = """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: demo, namespace: argocd, annotations: {argocd.argoproj.io/sync-wave: "1"}}
            spec:
              project: platform
              source:
                repoURL: https://charts.example.com
                chart: demo
                targetRevision: 1.2.3
                helm: {releaseName: demo, valuesObject: {anything: {goes: here}}}
              destination: {server: https://kubernetes.default.svc, namespace: dev}
              syncPolicy:
                automated: {prune: true, selfHeal: true}
                retry: {limit: 10, backoff: {duration: 10s, factor: 2, maxDuration: 3m}}
            """;

    static final String APP_PROJECT = """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: demo, namespace: argocd}
            spec:
              sourceRepos: [https://charts.example.com]
              destinations: [{server: https://kubernetes.default.svc, namespace: dev}]
              clusterResourceWhitelist: [{group: "", kind: Namespace}]
            """;

    /** A valid manifest, the same with one mistake, and the text the problem must mention. */
    static Stream<Arguments> brokenManifests() {
        return Stream.of(
                Arguments.of("Deployment containerPrt", DEPLOYMENT, "containerPort: 8080", "containerPrt: 8080", "containerPrt"),
                Arguments.of("Deployment replica", DEPLOYMENT, "replicas: 1", "replica: 1", "replica"),
                Arguments.of("Deployment capabilities dorp", DEPLOYMENT, "drop: [ALL]", "dorp: [ALL]", "dorp"),
                Arguments.of("Deployment metadata lables", DEPLOYMENT, "labels: {app: demo}}\nspec", "lables: {app: demo}}\nspec", "lables"),
                Arguments.of("Service targetPrt", SERVICE, "targetPort", "targetPrt", "targetPrt"),
                Arguments.of("KafkaTopic partitons", KAFKA_TOPIC, "partitions", "partitons", "partitons"),
                Arguments.of("KafkaTopic metadata lables", KAFKA_TOPIC, "labels", "lables", "lables"),
                Arguments.of("KafkaTopic partitions not a number", KAFKA_TOPIC, "partitions: 3", "partitions: three", "partitions"),
                Arguments.of("Kafka entityOperater", KAFKA, "entityOperator", "entityOperater", "entityOperater"),
                Arguments.of("Kafka listener tsl", KAFKA, "tls: false", "tsl: false", "tsl"),
                Arguments.of("VirtualService destinaton", VIRTUAL_SERVICE, "destination:", "destinaton:", "destinaton"),
                Arguments.of("VirtualService wieght", VIRTUAL_SERVICE, "weight", "wieght", "wieght"),
                Arguments.of("VirtualService prefx", VIRTUAL_SERVICE, "prefix", "prefx", "prefx"),
                Arguments.of("AuthorizationPolicy principles", AUTHORIZATION_POLICY, "principals", "principles", "principles"),
                Arguments.of("PeerAuthentication mod", PEER_AUTHENTICATION, "mode:", "mod:", "mod"),
                Arguments.of("Istio unknown apiVersion", PEER_AUTHENTICATION, "security.istio.io/v1", "security.istio.io/v2", "no schema validator"),
                Arguments.of("Application targetRevison", APPLICATION, "targetRevision", "targetRevison", "targetRevison"),
                Arguments.of("Application syncPolcy", APPLICATION, "syncPolicy", "syncPolcy", "syncPolcy"),
                Arguments.of("Application retry limit not a number", APPLICATION, "limit: 10", "limit: ten", "limit"),
                Arguments.of("Application source and sources", APPLICATION, "  source:", "  sources:", "spec.source"),
                Arguments.of("AppProject sourceRepo", APP_PROJECT, "sourceRepos", "sourceRepo", "sourceRepo"),
                Arguments.of("AppProject whitelist kinds", APP_PROJECT, "kind: Namespace", "knd: Namespace", "knd"),
                Arguments.of("kind without a validator", SERVICE, "kind: Service", "kind: Servce", "no schema validator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenManifests")
    void brokenManifestIsRejected(String name, String valid, String from, String to, String expected) {
        SchemaValidator validator = new SchemaValidator();
        assertThat(validator.validate(Manifest.of(valid))).as("valid " + name).isEmpty();
        assertThat(valid).contains(from);
        assertThat(validator.validate(Manifest.of(valid.replace(from, to))))
                .as(name).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    @AfterAll
    static void summary() {
        System.out.println("[manifest-verification] schema-validated objects per kind: " + REPOSITORY.validatedByKind());
    }
}
