package io.storefront.manifests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Services that pinned charts create, which offline rendering cannot see, so that what this repository points at
 * (host names and ports in env values and Helm values) can be checked against them.
 *
 * <p>Each {@link Chart} is written down from the chart's own templates at one version: the Service's name rule and
 * its ports. An Application that uses such a chart at another version is reported, so bumping the chart means
 * reading its Service template again.
 */
final class ChartServices {

    /**
     * One chart's Service, as its templates at {@code version} define it: named by the chart's fullname rule
     * (fullnameOverride, else the release name if it contains the chart name (or nameOverride), else
     * {@code <release>-<chart name>}) in the Application's destination namespace, with these named ports.
     */
    record Chart(String repoUrl, String chart, String version, Map<String, Integer> ports) {
    }

    /**
     * jaegertracing/helm-charts, chart {@code jaeger} 4.11.1 (tag jaeger-4.11.1):
     * {@code templates/jaeger/jaeger-service.yaml} and the {@code jaeger.fullname} helper of
     * {@code templates/_helpers.tpl}. Only the ports anything here points at are listed.
     */
    static final Chart JAEGER = new Chart("https://jaegertracing.github.io/helm-charts", "jaeger", "4.11.1",
            orderedPorts("otlp-grpc", 4317, "otlp-http", 4318, "http-query", 16686, "grpc-query", 16685));

    static final List<Chart> KNOWN = List.of(JAEGER);

    /** A chart's Service in the cluster: the Application that deploys it and the Service as a rendered object. */
    record Deployed(Manifest application, Chart chart, Manifest service) {

        String host() {
            return service.name() + "." + service.namespace() + ".svc.cluster.local";
        }

        int port(String name) {
            Integer port = chart.ports().get(name);
            if (port == null) {
                throw new IllegalArgumentException(chart.chart() + " has no port named " + name);
            }
            return port;
        }
    }

    private ChartServices() {
    }

    /** Every known chart's Service that the Applications deploy (only chart sources at the known version). */
    static List<Deployed> of(List<Manifest> applications) {
        List<Deployed> deployed = new ArrayList<>();
        for (Manifest app : applications) {
            if (!app.is("Application")) {
                continue;
            }
            for (Map<String, Object> source : WaveOrder.sources(app)) {
                for (Chart chart : KNOWN) {
                    if (isChart(source, chart) && chart.version().equals(Yamls.str(source.get("targetRevision")))) {
                        deployed.add(new Deployed(app, chart, service(app, source, chart)));
                    }
                }
            }
        }
        return deployed;
    }

    /** The Services of {@link #of}, to add to the rendered objects for the host and port checks. */
    static List<Manifest> services(List<Manifest> applications) {
        return of(applications).stream().map(Deployed::service).toList();
    }

    /** A known chart at a version whose Service was not read. */
    static List<String> check(List<Manifest> applications) {
        List<String> problems = new ArrayList<>();
        for (Manifest app : applications) {
            if (!app.is("Application")) {
                continue;
            }
            for (Map<String, Object> source : WaveOrder.sources(app)) {
                for (Chart chart : KNOWN) {
                    String version = Yamls.str(source.get("targetRevision"));
                    if (isChart(source, chart) && !chart.version().equals(version)) {
                        problems.add(app.id() + ": chart " + chart.chart() + " " + version + ", but its Service was read at "
                                + chart.version() + ": read the chart's Service template at " + version
                                + " and update ChartServices");
                    }
                }
            }
        }
        return problems;
    }

    private static boolean isChart(Map<String, Object> source, Chart chart) {
        return chart.repoUrl().equals(Yamls.str(source.get("repoURL"))) && chart.chart().equals(Yamls.str(source.get("chart")));
    }

    private static Manifest service(Manifest app, Map<String, Object> source, Chart chart) {
        Map<String, Object> values = Yamls.map(Yamls.at(source, "helm", "valuesObject"));
        String release = Yamls.str(Yamls.at(source, "helm", "releaseName"));
        if (release == null) {
            release = app.name();
        }
        String name = Yamls.str(values.get("fullnameOverride"));
        if (name == null || name.isEmpty()) {
            String chartName = Yamls.str(values.get("nameOverride"));
            chartName = chartName == null || chartName.isEmpty() ? chart.chart() : chartName;
            name = release.contains(chartName) ? release : release + "-" + chartName;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", Yamls.string(app.spec(), "destination", "namespace"));
        List<Object> ports = new ArrayList<>();
        chart.ports().forEach((portName, port) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", portName);
            entry.put("port", port);
            ports.add(entry);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "Service");
        body.put("metadata", metadata);
        body.put("spec", new LinkedHashMap<>(Map.of("ports", ports)));
        return new Manifest("chart " + chart.chart() + " " + chart.version() + " of Application " + app.name(), body);
    }

    private static Map<String, Integer> orderedPorts(Object... namesAndPorts) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < namesAndPorts.length; i += 2) {
            ports.put((String) namesAndPorts[i], (Integer) namesAndPorts[i + 1]);
        }
        return ports;
    }
}
