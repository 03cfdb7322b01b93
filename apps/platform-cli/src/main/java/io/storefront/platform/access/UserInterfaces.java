package io.storefront.platform.access;

import io.storefront.platform.cluster.ClusterProfile;
import java.io.PrintStream;
import java.util.List;

/**
 * Every UI of the platform, reached the same way on every OS and minikube driver: {@code kubectl port-forward} to
 * a local port (no tunnel, no sudo, no driver-specific address). The local ports are chosen not to collide.
 */
public final class UserInterfaces {

    /** One UI: the Service to forward, the local port, the path to open, and how to log in. */
    record Ui(String title, String namespace, String service, int localPort, int servicePort, List<String> paths,
              Login login) {

        String forwardCommand(ClusterProfile profile) {
            return String.join(" ", profile.kubectl("-n", namespace, "port-forward", "svc/" + service,
                    localPort + ":" + servicePort));
        }
    }

    /** Where the login comes from. */
    interface Login {
        String describe(ClusterSecrets secrets);
    }

    public static final int GATEWAY_PORT = 8080;

    /** Jaeger's UI; Kiali links to this address (external_services.tracing.external_url in its Application). */
    static final Ui TRACING = new Ui("Jaeger (traces)", "observability", "jaeger", 16686, 16686, List.of("/search"),
            secrets -> "no login");

    static final List<Ui> ALL = List.of(
            new Ui("Storefront APIs and Swagger UI (Istio gateway)", "istio-system", "istio-ingressgateway",
                    GATEWAY_PORT, 80, List.of("/accounts/swagger-ui.html", "/orders/swagger-ui.html",
                            "/fulfillment/swagger-ui.html", "/accounts/customers"), secrets -> "no login"),
            new Ui("Argo CD", "argocd", "argocd-server", 8088, 80, List.of("/"),
                    secrets -> secrets.value("argocd", "argocd-initial-admin-secret", "password")
                            .map(p -> "admin / " + p + " (initial password: change it under User Info)")
                            .orElse("admin / the password you set (the initial Secret is gone)")),
            new Ui("Grafana (folder Storefront)", "observability", "grafana", 3000, 80, List.of("/"),
                    secrets -> secrets.login("observability", "grafana-admin", "admin-user", "admin-password")),
            new Ui("Prometheus", "observability", "prometheus-server", 9090, 80, List.of("/targets", "/alerts"),
                    secrets -> "no login"),
            new Ui("Kiali", "istio-system", "kiali", 20001, 20001, List.of("/"),
                    secrets -> "token from: kubectl --context=<profile> -n istio-system create token kiali"),
            TRACING,
            new Ui("CMAK (Kafka, cluster dev)", "storefront-kafka-project", "cmak", 9000, 9000, List.of("/"),
                    secrets -> secrets.login("storefront-kafka-project", "cmak-credentials", "username", "password")),
            new Ui("Mongo Express", "mongo", "mongo-express", 8081, 8081, List.of("/"),
                    secrets -> secrets.login("mongo", "mongo-express-credentials", "username", "password")));

    private final ClusterProfile profile;
    private final ClusterSecrets secrets;

    public UserInterfaces(ClusterProfile profile, ClusterSecrets secrets) {
        this.profile = profile;
        this.secrets = secrets;
    }

    public void print(PrintStream out) {
        out.println("The UIs: run the port-forward in its own terminal (it runs until Ctrl-C), then open the address.");
        for (Ui ui : ALL) {
            out.println();
            out.println(ui.title());
            out.println("  " + ui.forwardCommand(profile));
            ui.paths().forEach(path -> out.println("  http://localhost:" + ui.localPort() + path));
            out.println("  " + ui.login().describe(secrets).replace("<profile>", profile.name()));
        }
    }

    public static List<String> gatewayForward(ClusterProfile profile, int localPort) {
        return profile.kubectl("-n", "istio-system", "port-forward", "svc/istio-ingressgateway", localPort + ":80");
    }
}
