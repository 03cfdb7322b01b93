package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadsTest {

    @Test
    void everyContainerHasProbesResourcesAndTheRestrictedSecurityContext() {
        List<Manifest> objects = Rendered.allObjects();
        assertThat(Workloads.containers(objects)).hasSizeGreaterThan(10);
        assertThat(Workloads.check(objects)).isEmpty();
    }

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: demo, namespace: dev}
            spec:
              template:
                spec:
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                    - name: demo
                      image: demo:1.0.0
                      livenessProbe: {tcpSocket: {port: 8080}}
                      readinessProbe: {tcpSocket: {port: 8080}}
                      resources:
                        requests: {cpu: 10m, memory: 16Mi}
                        limits: {cpu: 100m, memory: 64Mi}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities: {drop: [ALL]}
            """;

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("no liveness probe", "livenessProbe:", "startupProbe:", "no livenessProbe"),
                Arguments.of("no readiness probe", "readinessProbe:", "startupProbe:", "no readinessProbe"),
                Arguments.of("no limits", "limits:", "limitz:", "resources.limits.cpu"),
                Arguments.of("no memory request", "requests: {cpu: 10m, memory: 16Mi}", "requests: {cpu: 10m}", "resources.requests.memory"),
                Arguments.of("privilege escalation", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "allowPrivilegeEscalation"),
                Arguments.of("capabilities kept", "drop: [ALL]", "drop: [NET_RAW]", "drop must contain ALL"),
                Arguments.of("capability added", "drop: [ALL]", "drop: [ALL], add: [NET_ADMIN]", "NET_ADMIN"),
                Arguments.of("root allowed", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot"),
                Arguments.of("no seccomp", "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}", "seccompProfile"),
                Arguments.of("writable root filesystem", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem"),
                Arguments.of("host network", "securityContext:\n        runAsNonRoot", "hostNetwork: true\n      securityContext:\n        runAsNonRoot", "hostNetwork"),
                Arguments.of("init container without resources", "containers:\n", "initContainers: [{name: init, image: busybox:1.36}]\n      containers:\n", "initContainer init: no resources"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenContainerIsReported(String name, String from, String to, String expected) {
        assertThat(Workloads.check(List.of(Manifest.of(DEPLOYMENT)))).isEmpty();
        assertThat(DEPLOYMENT).contains(from);
        assertThat(Workloads.check(List.of(Manifest.of(DEPLOYMENT.replace(from, to)))))
                .anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    @Test
    void jobsNeedNoProbesButEverythingElse() {
        String job = DEPLOYMENT.replace("kind: Deployment", "kind: Job").replace("apps/v1", "batch/v1")
                .replaceAll("(?m)^\\s*(liveness|readiness)Probe:.*\\n", "");
        assertThat(Workloads.check(List.of(Manifest.of(job)))).isEmpty();
        assertThat(Workloads.check(List.of(Manifest.of(job.replace("readOnlyRootFilesystem: true", "")))))
                .anySatisfy(problem -> assertThat(problem).contains("readOnlyRootFilesystem"));
    }

    @AfterAll
    static void summary() {
        System.out.println("[manifest-verification] containers checked for probes/resources/security context: "
                + Workloads.containers(Rendered.allObjects()).size() + " (in " + Rendered.allObjects().stream()
                .filter(Workloads::hasPods).count() + " workloads, all folders)");
    }
}
