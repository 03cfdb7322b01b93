package io.storefront.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.FakeShell;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UserInterfacesTest {

    static final ClusterProfile PROFILE = ClusterProfile.of("storefront", "containerd");

    @Test
    void printsEachUiWithItsPortForwardAndTheLoginReadFromTheNewestGeneratedSecret() {
        FakeShell shell = new FakeShell()
                .answer("kubectl --context=storefront -n argocd get secrets", CommandResult.success(
                        items(secret("argocd-initial-admin-secret", "2026-12-01T10:00:00Z", "password", "s3cret"))))
                .answer("kubectl --context=storefront -n observability get secrets", CommandResult.success(
                        items(secret("grafana-admin", "2026-12-01T10:00:00Z", "admin-user", "admin"))))
                .answer("kubectl --context=storefront -n storefront-kafka-project get secrets", CommandResult.success(
                        items(secret("cmak-credentials-old0000000", "2026-12-01T09:00:00Z", "username", "old"),
                                secret("cmak-credentials-new1111111", "2026-12-01T10:00:00Z", "username", "admin"),
                                secret("cmak-credentials-notes", "2026-12-01T11:00:00Z", "username", "unrelated"))))
                .answer("kubectl --context=storefront -n mongo get secrets", CommandResult.failure(1, "forbidden"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new UserInterfaces(PROFILE, new ClusterSecrets(shell, PROFILE))
                .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(
                "kubectl --context=storefront -n argocd port-forward svc/argocd-server 8088:80",
                "http://localhost:8088/",
                "admin / s3cret (initial password",
                "kubectl --context=storefront -n istio-system create token kiali",
                "login in Secret observability/grafana-admin (not found yet)",
                "admin / pw-admin (dev-only)",
                "login in Secret mongo/mongo-express-credentials (not found yet)");
        assertThat(shell.changes).isEmpty();
    }

    /**
     * A Secret holding the user under {@code userKey} and pw-&lt;user&gt; under "password" (the argocd one holds the
     * password itself); Grafana's gets no "admin-password", so its login reads as not found.
     */
    static String secret(String name, String created, String userKey, String user) {
        String passwordKey = userKey.equals("admin-user") ? "admin-password-missing" : "password";
        return """
                {"metadata":{"name":"%s","creationTimestamp":"%s"},"data":{"%s":"%s","%s":"%s"}}"""
                .formatted(name, created, userKey, base64(user), passwordKey, base64(userKey.equals("password")
                        ? user : "pw-" + user));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String items(String... secrets) {
        return "{\"items\":[" + String.join(",", secrets) + "]}";
    }
}
