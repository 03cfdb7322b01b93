package io.storefront.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.TestRepository;
import io.storefront.platform.cluster.ClusterProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/gitops.md shows what the command really runs and prints: the minikube flags and every UI's port-forward. */
class WalkthroughTest {

    static final ClusterProfile PROFILE = ClusterProfile.of(ClusterProfile.DEFAULT_NAME, ClusterProfile.DEFAULT_RUNTIME);

    static String walkthrough() throws IOException {
        return Files.readString(TestRepository.REAL.resolve("docs/gitops.md")).replaceAll("\\s+", " ");
    }

    @Test
    void theWalkthroughNamesTheMinikubeStartTheCommandRuns() throws IOException {
        String docs = walkthrough();
        List<String> missing = new ArrayList<>();
        for (String text : List.of(String.join(" ", PROFILE.startCommand()), "minikube v" + ClusterProfile.MINIMUM_MINIKUBE,
                "Kubernetes " + ClusterProfile.KUBERNETES_VERSION)) {
            if (!docs.contains(text)) {
                missing.add(text);
            }
        }
        assertThat(missing).as("in docs/gitops.md").isEmpty();
    }

    @Test
    void theWalkthroughListsEveryUiWithThePortForwardTheCommandPrints() throws IOException {
        String docs = walkthrough();
        List<String> missing = new ArrayList<>();
        for (UserInterfaces.Ui ui : UserInterfaces.ALL) {
            String path = ui.paths().get(0).equals("/") ? "" : ui.paths().get(0);
            for (String text : List.of("-n " + ui.namespace() + " port-forward svc/" + ui.service() + " "
                    + ui.localPort() + ":" + ui.servicePort(), "http://localhost:" + ui.localPort() + path)) {
                if (!docs.contains(text)) {
                    missing.add(text);
                }
            }
        }
        assertThat(missing).as("in docs/gitops.md").isEmpty();
    }
}
