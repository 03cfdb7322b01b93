package io.storefront.platform.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.FakeShell;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceWaitTest {

    static final String LIST = "kubectl --context=storefront -n argocd get applications.argoproj.io";

    final FakeShell shell = new FakeShell();
    final List<Duration> pauses = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final ConvergenceWait wait = new ConvergenceWait(shell, ClusterProfile.of("storefront", "containerd"), pauses::add,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void waitsUntilTheRootAndEveryChildItManagesAreSyncedAndHealthy() {
        shell.answerInTurn(LIST,
                CommandResult.success("{\"items\":[]}"),
                CommandResult.success(items(root("OutOfSync", "Progressing", "mongodb", "storefront"),
                        app("mongodb", "3", "Synced", "Healthy"))),
                CommandResult.success(items(root("Synced", "Healthy", "mongodb", "storefront"),
                        app("mongodb", "3", "Synced", "Healthy"), app("storefront", "6", "Synced", "Healthy"))));

        assertThat(wait.await(Duration.ofMinutes(5))).isTrue();

        assertThat(pauses).hasSize(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("waiting for the root Application",
                "1/3 Applications Synced and Healthy; waiting for storefront (not created yet), wave 0 root (OutOfSync/Progressing)",
                "3/3 Applications Synced and Healthy", "every Application is Synced and Healthy");
    }

    @Test
    void onTimeoutNamesTheStuckApplicationItsConditionsAndTheResourceHoldingIt() {
        String stuck = """
                {"metadata":{"name":"storefront","annotations":{"argocd.argoproj.io/sync-wave":"6"}},
                 "status":{"sync":{"status":"Synced"},"health":{"status":"Progressing"},
                  "conditions":[{"type":"SyncError","message":"one or more objects failed to apply"}],
                  "operationState":{"message":"waiting for healthy state of apps/Deployment/accounts"},
                  "resources":[{"kind":"Deployment","namespace":"dev","name":"accounts","status":"Synced",
                    "health":{"status":"Progressing","message":"Waiting for rollout to finish"}},
                   {"kind":"Service","namespace":"dev","name":"accounts","status":"Synced","health":{"status":"Healthy"}}]}}
                """;
        shell.answer(LIST, CommandResult.success(items(root("OutOfSync", "Progressing", "storefront", "istio-routing"),
                stuck)));

        assertThat(wait.await(Duration.ofSeconds(30))).isFalse();

        assertThat(pauses).hasSize(3);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("Not converged after 0 minutes. Stuck:",
                " - istio-routing: not created yet",
                " - storefront (Synced/Progressing), wave 6",
                "condition SyncError: one or more objects failed to apply",
                "last operation: waiting for healthy state of apps/Deployment/accounts",
                "held by Deployment dev/accounts (Synced/Progressing: Waiting for rollout to finish)");
        assertThat(report).doesNotContain("held by Service").doesNotContain(" - root (");
        assertThat(shell.changes).isEmpty();
    }

    @Test
    void aStuckExtraDoesNotFailTheWaitOnceTheCoreIsReadyButIsReported() {
        shell.answer(LIST, CommandResult.success(items(root("Synced", "Degraded", "storefront", "cmak"),
                app("storefront", "5", "Synced", "Healthy"), extra("cmak", "Synced", "Degraded"))));

        assertThat(wait.await(Duration.ofMinutes(40))).isTrue();

        // One poll sees the core ready, then the extras get their grace period of polls, and no more.
        assertThat(pauses).hasSize((int) (ConvergenceWait.EXTRAS_GRACE.toSeconds() / ConvergenceWait.POLL.toSeconds()));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(
                "== the core is Synced and Healthy; the extras get 10 minutes more",
                "The core is Synced and Healthy; these extras are not (they hold nothing back):",
                " - cmak (Synced/Degraded), wave 10");
    }

    @Test
    void aStuckCoreApplicationFailsTheWaitWhateverTheExtrasDo() {
        shell.answer(LIST, CommandResult.success(items(root("Synced", "Progressing", "storefront", "cmak"),
                app("storefront", "5", "Synced", "Progressing"), extra("cmak", "Synced", "Healthy"))));

        assertThat(wait.await(Duration.ofMinutes(1))).isFalse();

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Not converged after 1 minutes. Stuck:",
                " - storefront (Synced/Progressing), wave 5").doesNotContain("the core is Synced and Healthy");
    }

    static String extra(String name, String sync, String health) {
        return app(name, "10", sync, health).replace("\"annotations\"",
                "\"labels\":{\"" + ApplicationState.TIER + "\":\"extra\"},\"annotations\"");
    }

    static String root(String sync, String health, String... children) {
        StringBuilder resources = new StringBuilder();
        for (String child : children) {
            resources.append(resources.isEmpty() ? "" : ",").append("{\"kind\":\"Application\",\"namespace\":\"argocd\","
                    + "\"name\":\"").append(child).append("\",\"status\":\"").append(sync).append("\"}");
        }
        return "{\"metadata\":{\"name\":\"root\"},\"status\":{\"sync\":{\"status\":\"" + sync + "\"},\"health\":{\"status\":\""
                + health + "\"},\"resources\":[" + resources + "]}}";
    }

    static String app(String name, String wave, String sync, String health) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{\"argocd.argoproj.io/sync-wave\":\"" + wave
                + "\"}},\"status\":{\"sync\":{\"status\":\"" + sync + "\"},\"health\":{\"status\":\"" + health + "\"}}}";
    }

    static String items(String... applications) {
        return "{\"items\":[" + String.join(",", applications) + "]}";
    }
}
