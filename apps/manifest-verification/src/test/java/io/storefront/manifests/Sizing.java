package io.storefront.manifests;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sums the resource requests of everything clusters/minikube deploys and compares them with a sizing budget.
 *
 * <p>Counted: every pod template of this repository's folders (× replicas; Jobs as transient load), the Strimzi
 * Kafka CR's broker, ZooKeeper and entity operator pods (× replicas), the requests set in the pinned charts' Helm
 * values (one pod each: every chart here runs one replica), one Istio sidecar per injected pod (requests from the
 * istiod Application's {@code global.proxy.resources}), and Argo CD's documented budget.
 */
final class Sizing {

    private static final long MI = 1024L * 1024;

    /** CPU in millicores and memory in bytes. */
    record Requests(long milliCpu, long bytes) {
        static final Requests ZERO = new Requests(0, 0);

        Requests plus(Requests other) {
            return new Requests(milliCpu + other.milliCpu, bytes + other.bytes);
        }

        Requests times(long factor) {
            return new Requests(milliCpu * factor, bytes * factor);
        }

        boolean fitsIn(Requests budget) {
            return milliCpu <= budget.milliCpu && bytes <= budget.bytes;
        }

        @Override
        public String toString() {
            return milliCpu + "m / " + (bytes % MI == 0 ? bytes / MI + "Mi" : bytes + "B");
        }
    }

    /** One contribution to the total. */
    record Line(String what, Requests requests, boolean transientLoad) {
    }

    /**
     * Argo CD itself, not rendered offline (its install manifest is remote): the estimate documented in
     * docs/platform.md ("Argo CD (estimate) | 500m | 1024Mi"); {@link #argoCdPatches} checks that our patched
     * requests in .argocd/config stay inside it.
     */
    static final Requests ARGOCD = new Requests(500, 1024 * MI);

    /**
     * The node is `minikube start --cpus 4 --memory 8g`. Kubernetes' own pods request about 750m / 200Mi, and we keep
     * room for a rolling update (one extra pod of each service: 3 × (100m + 20m sidecar) / 3 × (384Mi + 64Mi)
     * ≈ 360m / 1.3Gi) plus some slack, so everything we deploy, Argo CD and running Jobs included, must request at
     * most 3 CPU / 6.5 GiB (the 4 CPU / 8 GiB node minus about 25 % / 19 % headroom).
     */
    static final Requests BUDGET = new Requests(3000, 6656 * MI);

    /** Istio's default sidecar requests (values global.proxy.resources), if istiod's values do not set them. */
    static final Requests ISTIO_DEFAULT_PROXY = new Requests(100, 128 * MI);

    private Sizing() {
    }

    static List<Line> lines(List<Manifest> deployed, List<Manifest> applications) {
        List<Line> lines = new ArrayList<>();
        Set<String> injectedNamespaces = new TreeSet<>();
        deployed.stream().filter(o -> o.is("Namespace"))
                .filter(ns -> "enabled".equals(ns.labels().get("istio-injection")))
                .forEach(ns -> injectedNamespaces.add(ns.name()));
        int sidecars = 0;
        for (Manifest object : deployed) {
            if (Workloads.hasPods(object)) {
                long replicas = replicas(object);
                Requests pod = podRequests(object);
                boolean job = Workloads.RUN_TO_COMPLETION.contains(object.kind());
                lines.add(new Line(object.id() + (replicas == 1 ? "" : " ×" + replicas), pod.times(replicas), job));
                Object inject = Yamls.at(Workloads.podTemplate(object), "metadata", "labels", "sidecar.istio.io/inject");
                boolean injected = inject != null ? "true".equals(String.valueOf(inject))
                        : injectedNamespaces.contains(object.namespace());
                if (injected && !job) {
                    sidecars += (int) replicas;
                }
            } else if (object.is("Kafka")) {
                lines.addAll(kafka(object));
            }
        }
        Requests proxy = ISTIO_DEFAULT_PROXY;
        for (Manifest app : applications) {
            for (Map<String, Object> source : WaveOrder.sources(app)) {
                Object values = Yamls.at(source, "helm", "valuesObject");
                Object proxyRequests = Yamls.at(values, "global", "proxy", "resources", "requests");
                if (proxyRequests != null) {
                    proxy = requests(proxyRequests);
                }
                sidecars += chartRequests(app.name() + " chart " + source.get("chart"), values, "", lines);
            }
        }
        if (sidecars > 0) {
            lines.add(new Line("Istio sidecars ×" + sidecars, proxy.times(sidecars), false));
        }
        lines.add(new Line("Argo CD (documented budget, docs/platform.md)", ARGOCD, false));
        return lines;
    }

    static Requests total(List<Line> lines, boolean includeTransient) {
        return lines.stream().filter(l -> includeTransient || !l.transientLoad())
                .map(Line::requests).reduce(Requests.ZERO, Requests::plus);
    }

    static List<String> check(List<Line> lines, Requests budget) {
        Requests total = total(lines, true);
        return total.fitsIn(budget) ? List.of()
                : List.of("requests " + total + " (Argo CD and Jobs included) exceed the sizing budget " + budget);
    }

    /** The requests set by .argocd/config's patches fit in the documented Argo CD budget. */
    static List<String> argoCdPatches(Map<String, Object> kustomization) {
        Requests sum = Requests.ZERO;
        for (Map<String, Object> patch : Yamls.maps(kustomization.get("patches"))) {
            if (patch.get("patch") instanceof String text) {
                for (Map<String, Object> op : Yamls.maps(Yamls.parse(text))) {
                    Object requests = Yamls.at(op, "value", "requests");
                    if (requests != null) {
                        sum = sum.plus(requests(requests));
                    }
                }
            }
        }
        return sum.fitsIn(ARGOCD) ? List.of()
                : List.of(".argocd/config requests " + sum + " exceed the documented Argo CD budget " + ARGOCD);
    }

    /** The "Storefront platform total" row of docs/platform.md, e.g. {@code | **…total** | **1345m** | **4688Mi** |}. */
    static Requests documentedPlatformTotal(String platformMd) {
        Matcher matcher = Pattern.compile("\\|\\s*\\*\\*Storefront platform total\\*\\*\\s*\\|\\s*\\*\\*(\\d+)m\\*\\*\\s*\\|\\s*\\*\\*(\\d+)Mi\\*\\*")
                .matcher(platformMd);
        if (!matcher.find()) {
            throw new IllegalStateException("docs/platform.md has no 'Storefront platform total' row");
        }
        return new Requests(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)) * MI);
    }

    private static long replicas(Object object) {
        Manifest manifest = (Manifest) object;
        if (manifest.is("Job")) {
            Object parallelism = manifest.spec().get("parallelism");
            return parallelism == null ? 1 : ((Number) parallelism).longValue();
        }
        Object replicas = manifest.spec().get("replicas");
        return replicas == null ? 1 : ((Number) replicas).longValue();
    }

    /** Kubernetes' effective pod request: max(largest init container, containers + native sidecars). */
    static Requests podRequests(Manifest object) {
        Requests containers = Requests.ZERO;
        Requests init = Requests.ZERO;
        for (Workloads.Container container : Workloads.containers(object)) {
            Requests requests = requests(Yamls.at(container.body(), "resources", "requests"));
            if (container.init() && !"Always".equals(container.body().get("restartPolicy"))) {
                init = new Requests(Math.max(init.milliCpu(), requests.milliCpu()), Math.max(init.bytes(), requests.bytes()));
            } else {
                containers = containers.plus(requests);
            }
        }
        return new Requests(Math.max(init.milliCpu(), containers.milliCpu()), Math.max(init.bytes(), containers.bytes()));
    }

    private static List<Line> kafka(Manifest kafka) {
        List<Line> lines = new ArrayList<>();
        Map<String, Object> spec = kafka.spec();
        for (String part : List.of("kafka", "zookeeper")) {
            Map<String, Object> component = Yamls.map(spec.get(part));
            if (!component.isEmpty()) {
                long replicas = component.get("replicas") == null ? 1 : ((Number) component.get("replicas")).longValue();
                lines.add(new Line(kafka.id() + " " + part + " ×" + replicas,
                        requests(Yamls.at(component, "resources", "requests")).times(replicas), false));
            }
        }
        for (String operator : List.of("topicOperator", "userOperator", "tlsSidecar")) {
            Object resources = Yamls.at(spec, "entityOperator", operator);
            if (resources instanceof Map<?, ?>) {
                lines.add(new Line(kafka.id() + " entityOperator." + operator,
                        requests(Yamls.at(resources, "resources", "requests")), false));
            }
        }
        for (String extra : List.of("cruiseControl", "kafkaExporter")) {
            if (spec.get(extra) instanceof Map<?, ?>) {
                lines.add(new Line(kafka.id() + " " + extra, requests(Yamls.at(spec, extra, "resources", "requests")), false));
            }
        }
        return lines;
    }

    /** Adds every {@code resources.requests} of a chart's values (except the per-sidecar global.proxy); returns the
     * number of chart pods that ask for an Istio sidecar (podLabels sidecar.istio.io/inject: "true"). */
    private static int chartRequests(String chart, Object values, String path, List<Line> lines) {
        int sidecars = 0;
        if (values instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String at = path.isEmpty() ? key : path + "." + key;
                if (key.equals("resources") && Yamls.at(entry.getValue(), "requests") != null) {
                    if (!at.equals("global.proxy.resources")) {
                        lines.add(new Line(chart + " " + at, requests(Yamls.at(entry.getValue(), "requests")), false));
                    }
                } else if (key.equals("podLabels") && "true".equals(Yamls.str(Yamls.at(entry.getValue(), "sidecar.istio.io/inject")))) {
                    sidecars++;
                } else {
                    sidecars += chartRequests(chart, entry.getValue(), at, lines);
                }
            }
        }
        return sidecars;
    }

    static Requests requests(Object requests) {
        return new Requests(cpu(Yamls.at(requests, "cpu")), memory(Yamls.at(requests, "memory")));
    }

    static long cpu(Object quantity) {
        if (quantity == null) {
            return 0;
        }
        String text = String.valueOf(quantity).strip();
        if (text.endsWith("m")) {
            return Long.parseLong(text.substring(0, text.length() - 1));
        }
        return new BigDecimal(text).multiply(BigDecimal.valueOf(1000)).longValueExact();
    }

    static long memory(Object quantity) {
        if (quantity == null) {
            return 0;
        }
        Matcher matcher = Pattern.compile("([0-9.]+)([KMGTE]i?|k)?").matcher(String.valueOf(quantity).strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("memory quantity " + quantity);
        }
        String unit = matcher.group(2) == null ? "" : matcher.group(2);
        long factor = switch (unit) {
            case "" -> 1;
            case "k", "K" -> 1000;
            case "M" -> 1000_000;
            case "G" -> 1000_000_000;
            case "T" -> 1000_000_000_000L;
            case "Ki" -> 1024;
            case "Mi" -> MI;
            case "Gi" -> 1024 * MI;
            case "Ti" -> 1024 * 1024 * MI;
            default -> throw new IllegalArgumentException("memory unit " + unit);
        };
        return new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(factor)).longValue();
    }
}
