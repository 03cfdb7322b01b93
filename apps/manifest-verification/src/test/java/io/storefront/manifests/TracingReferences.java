package io.storefront.manifests;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tracing wiring of clusters/minikube (docs/platform.md, "Tracing"), checked against the tracing backend's
 * Service (the Jaeger chart, {@link ChartServices#JAEGER}):
 * <ul>
 *   <li>istiod's {@code meshConfig.extensionProviders} has an {@code opentelemetry} provider sending to the backend's
 *       OTLP gRPC port;</li>
 *   <li>the mesh-wide Telemetry (istiod's namespace, no selector) selects providers istiod declares, sets
 *       {@code randomSamplingPercentage} explicitly, and is deployed by the backend's Application, so dropping the
 *       backend turns the proxies' tracing off with it;</li>
 *   <li>every storefront Deployment exports to the backend's OTLP HTTP port, path {@value #OTLP_TRACES_PATH}
 *       ({@value #OTLP_ENDPOINT_ENV});</li>
 *   <li>Grafana has a {@code jaeger} data source on the backend's query port;</li>
 *   <li>Kiali's {@code external_services.tracing} is enabled for provider jaeger, with its internal_url on the query
 *       port (HTTP, or the gRPC query port with use_grpc, Kiali's default) and an external_url for its links.</li>
 * </ul>
 * Without a backend Application nothing may point at one: no service exports spans and no Telemetry selects a
 * provider.
 */
final class TracingReferences {

    /** Spring Boot's management.opentelemetry.tracing.export.otlp.endpoint as an environment variable. */
    static final String OTLP_ENDPOINT_ENV = "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT";
    /** The services' exporter speaks OTLP over HTTP and needs the full signal path. */
    static final String OTLP_TRACES_PATH = "/v1/traces";

    private TracingReferences() {
    }

    /**
     * @param applications the root's objects (clusters/minikube: the child Applications)
     * @param deployed     what the Applications deploy from this repository ({@link Rendered#cluster()})
     */
    static List<String> check(List<Manifest> applications, List<Manifest> deployed) {
        // A chart version whose Service was not read: nothing can be checked against it.
        List<String> problems = new ArrayList<>(ChartServices.check(applications));
        if (!problems.isEmpty()) {
            return problems;
        }
        List<ChartServices.Deployed> backends = ChartServices.of(applications).stream()
                .filter(d -> d.chart().equals(ChartServices.JAEGER)).toList();
        List<Manifest> storefront = CrossReferences.storefrontDeployments(deployed);
        List<Manifest> telemetries = deployed.stream().filter(o -> o.is("Telemetry")).toList();
        if (backends.size() > 1) {
            problems.add("tracing: more than one tracing backend Application: "
                    + backends.stream().map(b -> b.application().name()).toList());
            return problems;
        }
        if (backends.isEmpty()) {
            for (Manifest deployment : storefront) {
                if (otlpEndpoint(deployment) != null) {
                    problems.add(deployment.id() + ": exports spans (" + OTLP_ENDPOINT_ENV
                            + ") but no Application deploys the tracing backend");
                }
            }
            for (Manifest telemetry : telemetries) {
                if (!tracingProviders(telemetry).isEmpty()) {
                    problems.add(telemetry.id() + ": selects tracing providers but no Application deploys the tracing"
                            + " backend");
                }
            }
            return problems;
        }
        ChartServices.Deployed backend = backends.get(0);

        // --- Istio: provider in istiod's meshConfig, Telemetry selecting it
        Manifest istiod = chartApplication(applications, "istiod");
        Set<String> providers = new TreeSet<>();
        String rootNamespace = null;
        if (istiod == null) {
            problems.add("tracing: no Application installs istiod (chart istiod)");
        } else {
            rootNamespace = Yamls.string(istiod.spec(), "destination", "namespace");
            Object values = chartValues(istiod, "istiod");
            for (Map<String, Object> provider : Yamls.maps(Yamls.at(values, "meshConfig", "extensionProviders"))) {
                String name = Yamls.str(provider.get("name"));
                providers.add(name);
                Object otel = provider.get("opentelemetry");
                if (otel == null) {
                    continue;
                }
                String what = istiod.id() + " meshConfig.extensionProviders " + name;
                String service = Yamls.str(Yamls.at(otel, "service"));
                Object port = Yamls.at(otel, "port");
                requireBackend(backend, what, service, port == null ? null : ((Number) port).intValue(),
                        "otlp-grpc", rootNamespace, problems);
            }
        }
        boolean meshWide = false;
        for (Manifest telemetry : telemetries) {
            List<String> selected = tracingProviders(telemetry);
            for (String provider : selected) {
                if (!providers.contains(provider)) {
                    problems.add(telemetry.id() + ": tracing provider " + provider
                            + " is not one of istiod's meshConfig.extensionProviders " + providers);
                }
            }
            if (selected.isEmpty()) {
                continue;
            }
            boolean rootWide = Objects.equals(telemetry.namespace(), rootNamespace)
                    && telemetry.spec().get("selector") == null && telemetry.spec().get("targetRefs") == null;
            meshWide |= rootWide;
            if (!sourcePaths(backend.application()).contains(telemetry.folder())) {
                problems.add(telemetry.id() + ": selects tracing providers but is not deployed by the backend's"
                        + " Application " + backend.application().name() + " " + sourcePaths(backend.application()));
            }
            for (Map<String, Object> tracing : Yamls.maps(telemetry.spec().get("tracing"))) {
                if (!Yamls.maps(tracing.get("providers")).isEmpty() && tracing.get("randomSamplingPercentage") == null) {
                    problems.add(telemetry.id() + ": no randomSamplingPercentage: the sampling rate must be explicit");
                }
            }
        }
        if (!meshWide) {
            problems.add("tracing: no mesh-wide Telemetry (namespace " + rootNamespace
                    + ", no selector) selects a tracing provider: the proxies send no spans");
        }

        // --- the services' exporter
        if (storefront.isEmpty()) {
            problems.add("tracing: no storefront Deployment in the set");
        }
        for (Manifest deployment : storefront) {
            String endpoint = otlpEndpoint(deployment);
            if (endpoint == null) {
                problems.add(deployment.id() + ": no " + OTLP_ENDPOINT_ENV + ": the service exports no spans");
                continue;
            }
            URI uri = URI.create(endpoint);
            String what = deployment.id() + " env " + OTLP_ENDPOINT_ENV;
            if (!OTLP_TRACES_PATH.equals(uri.getPath())) {
                problems.add(what + ": path " + uri.getPath() + ", OTLP over HTTP takes traces at " + OTLP_TRACES_PATH);
            }
            requireBackend(backend, what, uri.getHost(), port(uri), "otlp-http", deployment.namespace(), problems);
        }

        // --- Grafana's data source
        Manifest grafana = chartApplication(applications, "grafana");
        if (grafana != null) {
            String namespace = Yamls.string(grafana.spec(), "destination", "namespace");
            List<Map<String, Object>> jaeger = Yamls.maps(Yamls.at(chartValues(grafana, "grafana"), "datasources",
                    "datasources.yaml", "datasources")).stream().filter(d -> "jaeger".equals(d.get("type"))).toList();
            if (jaeger.isEmpty()) {
                problems.add(grafana.id() + ": no data source of type jaeger");
            }
            for (Map<String, Object> source : jaeger) {
                URI uri = URI.create(String.valueOf(source.get("url")));
                requireBackend(backend, grafana.id() + " data source " + source.get("name"), uri.getHost(), port(uri),
                        "http-query", namespace, problems);
            }
        }

        // --- Kiali's link
        Manifest kiali = chartApplication(applications, "kiali-server");
        if (kiali != null) {
            Object tracing = Yamls.at(chartValues(kiali, "kiali-server"), "external_services", "tracing");
            String what = kiali.id() + " external_services.tracing";
            if (!Boolean.TRUE.equals(Yamls.at(tracing, "enabled"))) {
                problems.add(what + ": not enabled");
            } else {
                Object provider = Yamls.at(tracing, "provider");
                if (provider != null && !"jaeger".equals(provider)) {
                    problems.add(what + ": provider " + provider + ", the backend is Jaeger");
                }
                boolean grpc = !Boolean.FALSE.equals(Yamls.at(tracing, "use_grpc"));
                String internal = Yamls.str(Yamls.at(tracing, "internal_url"));
                if (internal == null) {
                    problems.add(what + ": no internal_url");
                } else {
                    URI uri = URI.create(internal);
                    requireBackend(backend, what + ".internal_url", uri.getHost(), port(uri),
                            grpc ? "grpc-query" : "http-query", Yamls.string(kiali.spec(), "destination", "namespace"),
                            problems);
                }
                String external = Yamls.str(Yamls.at(tracing, "external_url"));
                if (external == null || external.isBlank()) {
                    problems.add(what + ": no external_url: Kiali shows no links to the Jaeger UI");
                }
            }
        }
        return problems;
    }

    /** The backend's host name and the port named {@code portName}, or a problem saying what differs. */
    private static void requireBackend(ChartServices.Deployed backend, String what, String host, Integer port,
            String portName, String namespace, List<String> problems) {
        String expected = backend.service().namespace() + "/" + backend.service().name();
        int expectedPort = backend.port(portName);
        if (host == null || !CrossReferences.serviceKey(host, namespace).equals(expected)) {
            problems.add(what + ": host " + host + " is not the tracing backend's Service " + backend.host());
        } else if (port == null || port != expectedPort) {
            problems.add(what + ": port " + port + ", the tracing backend's " + portName + " port is " + expectedPort);
        }
    }

    static String otlpEndpoint(Manifest deployment) {
        for (Workloads.Container container : Workloads.containers(deployment)) {
            for (Map<String, Object> env : Yamls.maps(container.body().get("env"))) {
                if (OTLP_ENDPOINT_ENV.equals(env.get("name"))) {
                    return Yamls.str(env.get("value"));
                }
            }
        }
        return null;
    }

    private static List<String> tracingProviders(Manifest telemetry) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> tracing : Yamls.maps(telemetry.spec().get("tracing"))) {
            Yamls.maps(tracing.get("providers")).forEach(p -> names.add(Yamls.str(p.get("name"))));
        }
        return names;
    }

    private static Integer port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : "http".equals(uri.getScheme()) ? 80 : null;
    }

    private static Manifest chartApplication(List<Manifest> applications, String chart) {
        return applications.stream().filter(a -> a.is("Application"))
                .filter(a -> WaveOrder.sources(a).stream().anyMatch(s -> chart.equals(s.get("chart"))))
                .findFirst().orElse(null);
    }

    private static Object chartValues(Manifest app, String chart) {
        return WaveOrder.sources(app).stream().filter(s -> chart.equals(s.get("chart")))
                .map(s -> Yamls.at(s, "helm", "valuesObject")).findFirst().orElse(null);
    }

    private static Set<String> sourcePaths(Manifest app) {
        Set<String> paths = new TreeSet<>();
        WaveOrder.sources(app).forEach(s -> {
            if (s.get("path") != null) {
                paths.add(Yamls.str(s.get("path")));
            }
        });
        return paths;
    }
}
