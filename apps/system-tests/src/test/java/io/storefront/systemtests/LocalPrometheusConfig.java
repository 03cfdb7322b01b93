package io.storefront.systemtests;

import io.storefront.local.stack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The cluster's Prometheus configuration (platform/prometheus/prometheus.yml) pointed at a local stack. Kept from the
 * file: the {@code spring_micrometer} job with its metrics path and relabelling, the {@code prometheus} job and the
 * rule files. Replaced: Kubernetes pod discovery by one static target per service (its management port) carrying the
 * discovery labels the relabelling reads, derived from the manifests (pod labels and container port names from the
 * rendered minikube overlay, the scrape annotations from kustomize/components/prometheus-scrape); HTTPS with the
 * Istio workload certificate by plain HTTP (the local management ports have no mesh); intervals by one second.
 * Dropped: the {@code envoy-stats} and {@code istiod} jobs, which have no sidecars or control plane to scrape locally.
 */
final class LocalPrometheusConfig {

    private static final String STOREFRONT_OVERLAY = "clusters/minikube/storefront";

    static final String SERVICES_JOB = "spring_micrometer";
    static final String SELF_JOB = "prometheus";
    static final String INTERVAL = "1s";

    private LocalPrometheusConfig() {
    }

    static Path platformPrometheusDir() {
        return ExternalTools.repositoryRoot().resolve("platform/prometheus");
    }

    /** The rule files the cluster configuration loads, as paths in this repository. */
    static List<Path> ruleFiles() {
        List<Path> files = new ArrayList<>();
        for (Object file : list(clusterConfig().get("rule_files"))) {
            files.add(platformPrometheusDir().resolve(Path.of(file.toString()).getFileName()));
        }
        return files;
    }

    /** Writes the local configuration to {@code target} and returns it. */
    static Path write(StackConfig stack, int prometheusPort, Path target) {
        Map<String, Object> config = clusterConfig();
        Map<String, Object> global = map(config.get("global"));
        global.put("scrape_interval", INTERVAL);
        global.put("scrape_timeout", INTERVAL);
        global.put("evaluation_interval", INTERVAL);
        config.put("rule_files", ruleFiles().stream().map(Path::toString).toList());

        List<Object> jobs = new ArrayList<>();
        for (Object entry : list(config.get("scrape_configs"))) {
            Map<String, Object> job = map(entry);
            String name = job.get("job_name").toString();
            if (name.equals(SELF_JOB)) {
                job.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + prometheusPort))));
                jobs.add(job);
            } else if (name.equals(SERVICES_JOB)) {
                jobs.add(servicesJob(job, stack));
            }
        }
        config.put("scrape_configs", jobs);

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            Files.writeString(target, new Yaml(options).dump(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static Map<String, Object> servicesJob(Map<String, Object> job, StackConfig stack) {
        List<Object> discovery = list(job.remove("kubernetes_sd_configs"));
        String namespace = list(map(map(discovery.get(0)).get("namespaces")).get("names")).get(0).toString();
        job.remove("tls_config");
        job.put("scheme", "http");
        job.put("scrape_interval", INTERVAL);
        Map<String, String> annotations = scrapeAnnotations();
        List<Object> targets = new ArrayList<>();
        for (StackConfig.Service service : stack.services()) {
            targets.add(Map.of(
                    "targets", List.of("127.0.0.1:" + service.managementPort()),
                    "labels", discoveryLabels(service.name(), namespace, annotations)));
        }
        job.put("static_configs", targets);
        return job;
    }

    /** The {@code __meta_kubernetes_*} labels pod discovery would give the service's management port. */
    private static Map<String, String> discoveryLabels(String service, String namespace,
                                                       Map<String, String> annotations) {
        Map<String, Object> podTemplate = podTemplate(service);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__meta_kubernetes_namespace", namespace);
        labels.put("__meta_kubernetes_pod_name", service + "-local");
        map(map(podTemplate.get("metadata")).get("labels")).forEach((name, value) ->
                labels.put("__meta_kubernetes_pod_label_" + sanitize(name), value.toString()));
        annotations.forEach((name, value) ->
                labels.put("__meta_kubernetes_pod_annotation_" + sanitize(name), value));
        String scrapedPort = annotations.get("prometheus.io/port");
        for (Object container : list(map(podTemplate.get("spec")).get("containers"))) {
            for (Object port : list(map(container).get("ports"))) {
                if (map(port).get("containerPort").toString().equals(scrapedPort)) {
                    labels.put("__meta_kubernetes_pod_container_port_name", map(port).get("name").toString());
                }
            }
        }
        return labels;
    }

    /** The pod annotations that mark a Deployment for the services job. */
    private static Map<String, String> scrapeAnnotations() {
        Map<String, Object> component = load(ExternalTools.repositoryRoot()
                .resolve("kustomize/components/prometheus-scrape/kustomization.yaml"));
        Map<String, Object> patch = new Yaml().load(map(list(component.get("patches")).get(0)).get("patch").toString());
        Map<String, String> annotations = new LinkedHashMap<>();
        map(map(map(map(patch.get("spec")).get("template")).get("metadata")).get("annotations"))
                .forEach((name, value) -> annotations.put(name, value.toString()));
        return annotations;
    }

    /** The service's pod template as the cluster gets it: the minikube overlay, rendered (labels such as version). */
    private static Map<String, Object> podTemplate(String service) {
        for (Object document : new Yaml().loadAll(renderedStorefront())) {
            Map<String, Object> resource = map(document);
            if ("Deployment".equals(resource.get("kind")) && service.equals(map(resource.get("metadata")).get("name"))) {
                return map(map(resource.get("spec")).get("template"));
            }
        }
        throw new IllegalStateException("no Deployment " + service + " in " + STOREFRONT_OVERLAY);
    }

    private static String renderedStorefront() {
        Path overlay = ExternalTools.repositoryRoot().resolve(STOREFRONT_OVERLAY);
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", overlay.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kubectl.waitFor() != 0) {
                throw new IllegalStateException("kubectl kustomize " + overlay + " failed");
            }
            return rendered;
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + overlay + " (needs kubectl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> clusterConfig() {
        return load(platformPrometheusDir().resolve("prometheus.yml"));
    }

    static Map<String, Object> load(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : StreamSupport.stream(((Iterable<Object>) value).spliterator(), false).toList();
    }
}
