package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The Application health check of .argocd/config, run on the Application states Argo CD's controller writes: it
 * decides whether the root's sync waves wait (Progressing), go on (Healthy) or fail the root's operation (Degraded).
 */
class ApplicationHealthTest {

    private static final ApplicationHealth HEALTH = ApplicationHealth.ofRepository();

    private static final String SOURCE = "{repoURL: https://example.org/repo.git, path: clusters/minikube/x, targetRevision: main}";

    /** A single-source child whose controller has compared the spec (revision A), with the given status parts. */
    private static Map<String, Object> app(String sync, String health, String operationState, String extraTopLevel) {
        return Yamls.parseMap("""
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: child, namespace: argocd}
                spec: {project: platform, source: %1$s}
                status:
                  sync: {status: %2$s, revision: A, comparedTo: {source: %1$s}}
                  health: {status: %3$s}
                  %4$s
                %5$s
                """.formatted(SOURCE, sync, health, operationState == null ? "" : "operationState: " + operationState,
                extraTopLevel == null ? "" : extraTopLevel));
    }

    private static ApplicationHealth.Status of(Map<String, Object> application) {
        return HEALTH.of(application);
    }

    @Test
    void syncedAndHealthyWithASucceededSyncIsHealthy() {
        assertThat(of(app("Synced", "Healthy",
                "{phase: Succeeded, syncResult: {revision: A, source: " + SOURCE + "}}", null)).status())
                .isEqualTo("Healthy");
    }

    @Test
    void aFailedAttemptWithARetryPendingKeepsTheParentWaiting() {
        // Argo CD keeps the operation Running, with finishedAt set, until the next attempt.
        ApplicationHealth.Status status = of(app("OutOfSync", "Degraded",
                "{phase: Running, finishedAt: '2026-12-01T10:00:00Z', retryCount: 3, message: 'one or more objects failed to apply'}",
                null));
        assertThat(status.status()).isEqualTo("Progressing");
        assertThat(status.message()).contains("retry #3 pending");
    }

    @Test
    void aRunningOrRequestedOperationKeepsTheParentWaiting() {
        assertThat(of(app("OutOfSync", "Progressing", "{phase: Running, message: 'waiting for healthy state'}", null))
                .status()).isEqualTo("Progressing");
        assertThat(of(app("Synced", "Healthy", "{phase: Failed, syncResult: {revision: A, source: " + SOURCE + "}}",
                "operation: {sync: {}}")).status()).isEqualTo("Progressing");
    }

    @Test
    void aFailedSyncOfTheComparedRevisionWithItsRetriesUsedUpIsDegraded() {
        ApplicationHealth.Status status = of(app("OutOfSync", "Healthy",
                "{phase: Failed, retryCount: 10, message: boom, syncResult: {revision: A, source: " + SOURCE + "}}", null));
        assertThat(status.status()).isEqualTo("Degraded");
        assertThat(status.message()).contains("retries used up").contains("boom");
        // An error before any sync result (e.g. manifests that do not render) is not retried by Argo CD either.
        assertThat(of(app("Unknown", "Healthy", "{phase: Error, message: 'manifest generation error'}", null)).status())
                .isEqualTo("Degraded");
    }

    @Test
    void aFailedSyncOfAnotherRevisionOrSpecKeepsTheParentWaiting() {
        assertThat(of(app("OutOfSync", "Healthy",
                "{phase: Failed, syncResult: {revision: OLD, source: " + SOURCE + "}}", null)).status())
                .isEqualTo("Progressing");
        String olderSpec = "{repoURL: https://example.org/repo.git, path: clusters/minikube/x, targetRevision: v1}";
        assertThat(of(app("OutOfSync", "Healthy",
                "{phase: Failed, syncResult: {revision: A, source: " + olderSpec + "}}", null)).status())
                .isEqualTo("Progressing");
    }

    @Test
    void degradedHealthIsDegradedAndAnyOtherStateIsProgressing() {
        String succeeded = "{phase: Succeeded, syncResult: {revision: A, source: " + SOURCE + "}}";
        assertThat(of(app("Synced", "Degraded", succeeded, null)).status()).isEqualTo("Degraded");
        assertThat(of(app("OutOfSync", "Healthy", succeeded, null)).status()).isEqualTo("Progressing");
        assertThat(of(app("Synced", "Missing", succeeded, null)).status()).isEqualTo("Progressing");
    }

    @Test
    void aSpecTheControllerHasNotComparedYetKeepsTheParentWaiting() {
        Map<String, Object> application = app("Synced", "Healthy", null, null);
        Yamls.map(Yamls.at(application, "spec", "source")).put("targetRevision", "next");
        assertThat(of(application).status()).isEqualTo("Progressing");
    }

    @Test
    void multiSourceChildrenAreComparedSourceBySource() {
        String sources = "[" + SOURCE + ", {repoURL: https://charts.example.org, chart: c, targetRevision: 1.0.0}]";
        String template = """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: child, namespace: argocd}
                spec: {project: platform, sources: %1$s}
                status:
                  sync: {status: Synced, revisions: [A, 1.0.0], comparedTo: {sources: %1$s}}
                  health: {status: Healthy}
                  operationState: {phase: %2$s, syncResult: {revisions: [%3$s, 1.0.0], sources: %1$s}}
                """;
        assertThat(of(Yamls.parseMap(template.formatted(sources, "Succeeded", "A"))).status()).isEqualTo("Healthy");
        assertThat(of(Yamls.parseMap(template.formatted(sources, "Failed", "A"))).status()).isEqualTo("Degraded");
        assertThat(of(Yamls.parseMap(template.formatted(sources, "Failed", "OLD"))).status()).isEqualTo("Progressing");
    }
}
