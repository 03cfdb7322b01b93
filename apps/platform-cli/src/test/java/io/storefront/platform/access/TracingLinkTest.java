package io.storefront.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.platform.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Kiali's links to Jaeger open the address that `urls` prints for the Jaeger UI's port-forward. */
class TracingLinkTest {

    @Test
    void kialiLinksToTheForwardedJaegerUi() throws IOException {
        String kiali = Files.readString(TestRepository.REAL.resolve("clusters/minikube/apps/kiali.yaml"));
        Matcher externalUrl = Pattern.compile("(?m)^\\s+external_url:\\s*(\\S+)\\s*$").matcher(kiali);

        assertThat(externalUrl.find()).as("external_url in clusters/minikube/apps/kiali.yaml").isTrue();
        assertThat(externalUrl.group(1)).isEqualTo("http://localhost:" + UserInterfaces.TRACING.localPort());
    }
}
