package io.storefront.manifests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.storefront.contracts.Topics;

/**
 * Checks between objects: what one object names must exist, with the right port/name/version, in the rendered set
 * (normally everything clusters/minikube deploys from this repository). Each method returns the problems found.
 */
final class CrossReferences {

    static final int APPLICATION_PORT = 8080;
    static final int MANAGEMENT_PORT = 8081;
    static final String METRICS_PATH = "/actuator/prometheus";
    static final String SCRAPE_JOB = "spring_micrometer";
    static final String PART_OF_STOREFRONT = "storefront";

    private static final Pattern FQDN = Pattern.compile(
            "\\b([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\\.svc(?:\\.cluster\\.local)?\\b(?::(\\d+))?");
    private static final Pattern HOST_LIST_ENV = Pattern.compile("(?i).*(BOOTSTRAP_SERVERS|ZOOKEEPER_CONNECT|ZK_HOSTS)$");
    private static final Pattern MONGODB_URI = Pattern.compile("mongodb(?:\\+srv)?://(?:[^@/\\s]*@)?([^/?\\s]+)");

    private CrossReferences() {
    }

    // ------------------------------------------------------------------------------------------ Services

    /**
     * Every Service in the set (namespace/name -> ports), plus those Strimzi creates for each Kafka CR
     * ({@code <cluster>-kafka-bootstrap}, {@code -kafka-brokers}, {@code -zookeeper-client}, {@code -zookeeper-nodes}).
     */
    static Map<String, Set<Integer>> services(List<Manifest> objects) {
        Map<String, Set<Integer>> services = new TreeMap<>();
        for (Manifest object : objects) {
            if (object.is("Service")) {
                Set<Integer> ports = new TreeSet<>();
                Yamls.maps(object.spec().get("ports")).forEach(p -> ports.add(((Number) p.get("port")).intValue()));
                services.put(object.namespace() + "/" + object.name(), ports);
            } else if (object.is("Kafka") && object.group().equals("kafka.strimzi.io")) {
                String prefix = object.namespace() + "/" + object.name();
                Set<Integer> listeners = new TreeSet<>();
                Yamls.maps(Yamls.at(object.spec(), "kafka", "listeners"))
                        .forEach(l -> listeners.add(((Number) l.get("port")).intValue()));
                Set<Integer> bootstrap = new TreeSet<>(listeners);
                bootstrap.add(9091);
                services.put(prefix + "-kafka-bootstrap", bootstrap);
                Set<Integer> brokers = new TreeSet<>(bootstrap);
                brokers.add(9090);
                services.put(prefix + "-kafka-brokers", brokers);
                if (object.spec().get("zookeeper") != null) {
                    services.put(prefix + "-zookeeper-client", new TreeSet<>(Set.of(2181)));
                    services.put(prefix + "-zookeeper-nodes", new TreeSet<>(Set.of(2181, 2888, 3888)));
                }
            }
        }
        return services;
    }

    /** "name", "name.ns", "name.ns.svc", "name.ns.svc.cluster.local" -> "ns/name" (short names in {@code namespace}). */
    static String serviceKey(String host, String namespace) {
        String[] parts = host.split("\\.");
        if (parts.length == 1) {
            return namespace + "/" + parts[0];
        }
        return parts[1] + "/" + parts[0];
    }

    private static void requireService(Map<String, Set<Integer>> services, String what, String host, Integer port,
            String namespace, List<String> problems) {
        String key = serviceKey(host, namespace);
        Set<Integer> ports = services.get(key);
        if (ports == null) {
            problems.add(what + ": " + host + " is not a declared Service (" + key + ")");
        } else if (port != null && !ports.contains(port)) {
            problems.add(what + ": Service " + key + " has no port " + port + " (ports " + ports + ")");
        }
    }

    // ------------------------------------------------------------------------------------------ Istio

    /** VirtualService destinations and gateways, DestinationRule hosts: Services (with that port) and Gateways. */
    static List<String> istioReferences(List<Manifest> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<Integer>> services = services(objects);
        Set<String> gateways = new TreeSet<>();
        objects.stream().filter(o -> o.is("Gateway") && o.group().equals("networking.istio.io"))
                .forEach(g -> gateways.add(g.namespace() + "/" + g.name()));
        for (Manifest object : objects) {
            if (object.is("VirtualService")) {
                for (Object gateway : Yamls.list(object.spec().get("gateways"))) {
                    String name = String.valueOf(gateway);
                    String key = name.contains("/") ? name : object.namespace() + "/" + name;
                    if (!"mesh".equals(name) && !gateways.contains(key)) {
                        problems.add(object.id() + ": gateway " + name + " is not a declared Gateway");
                    }
                }
                for (String protocol : List.of("http", "tcp", "tls")) {
                    for (Map<String, Object> route : Yamls.maps(object.spec().get(protocol))) {
                        List<Map<String, Object>> destinations = new ArrayList<>();
                        Yamls.maps(route.get("route")).forEach(r -> destinations.add(Yamls.map(r.get("destination"))));
                        if (route.get("mirror") instanceof Map<?, ?>) {
                            destinations.add(Yamls.map(route.get("mirror")));
                        }
                        for (Map<String, Object> destination : destinations) {
                            String host = Yamls.str(destination.get("host"));
                            Object number = Yamls.at(destination, "port", "number");
                            String what = object.id() + " " + protocol + " route " + route.getOrDefault("name", "");
                            if (host == null) {
                                problems.add(what + ": destination without host");
                                continue;
                            }
                            requireService(services, what, host, number == null ? null : ((Number) number).intValue(),
                                    object.namespace(), problems);
                            Set<Integer> ports = services.get(serviceKey(host, object.namespace()));
                            if (number == null && ports != null && ports.size() > 1) {
                                problems.add(what + ": " + host + " has several ports " + ports
                                        + ": the destination must name one");
                            }
                        }
                    }
                }
            } else if (object.is("DestinationRule")) {
                String host = Yamls.str(object.spec().get("host"));
                requireService(services, object.id(), host, null, object.namespace(), problems);
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------ Prometheus

    /**
     * The {@value #SCRAPE_JOB} job of the Prometheus configuration (ConfigMap with key prometheus.yml) finds every
     * storefront pod: it discovers pods in the services' namespace, keeps those annotated prometheus.io/scrape,
     * keeps the container port named like the management port (8081) and scrapes {@value #METRICS_PATH}; the
     * annotations, the container port, the Service port and the AuthorizationPolicy admitting Prometheus agree.
     */
    static List<String> prometheusTargets(List<Manifest> objects) {
        List<String> problems = new ArrayList<>();
        Manifest configMap = objects.stream()
                .filter(o -> o.is("ConfigMap") && Yamls.map(o.body().get("data")).containsKey("prometheus.yml"))
                .findFirst().orElse(null);
        if (configMap == null) {
            return List.of("no ConfigMap with prometheus.yml in the set");
        }
        Map<String, Object> config = Yamls.parseMap(Yamls.string(configMap.body(), "data", "prometheus.yml"));
        Map<String, Object> job = Yamls.maps(config.get("scrape_configs")).stream()
                .filter(j -> SCRAPE_JOB.equals(j.get("job_name"))).findFirst().orElse(null);
        if (job == null) {
            return List.of(configMap.id() + ": no scrape job " + SCRAPE_JOB);
        }
        String where = configMap.id() + " job " + SCRAPE_JOB;
        String metricsPath = Yamls.str(job.getOrDefault("metrics_path", "/metrics"));
        if (!METRICS_PATH.equals(metricsPath)) {
            problems.add(where + ": metrics_path " + metricsPath + ", the services serve " + METRICS_PATH);
        }
        Set<String> namespaces = new TreeSet<>();
        boolean podRole = false;
        for (Map<String, Object> sd : Yamls.maps(job.get("kubernetes_sd_configs"))) {
            podRole |= "pod".equals(sd.get("role"));
            Yamls.list(Yamls.at(sd, "namespaces", "names")).forEach(n -> namespaces.add(String.valueOf(n)));
        }
        if (!podRole) {
            problems.add(where + ": no kubernetes_sd_configs with role pod (every replica must be scraped)");
        }
        String portNameRegex = null;
        String scrapeRegex = null;
        boolean pathFromAnnotation = false;
        for (Map<String, Object> relabel : Yamls.maps(job.get("relabel_configs"))) {
            List<Object> labels = Yamls.list(relabel.get("source_labels"));
            String action = Yamls.str(relabel.getOrDefault("action", "replace"));
            String regex = Yamls.str(relabel.getOrDefault("regex", "(.*)"));
            if (labels.equals(List.of("__meta_kubernetes_pod_container_port_name")) && "keep".equals(action)) {
                portNameRegex = regex;
            } else if (labels.equals(List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"))
                    && "keep".equals(action)) {
                scrapeRegex = regex;
            } else if (labels.equals(List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"))
                    && "__metrics_path__".equals(relabel.get("target_label"))) {
                pathFromAnnotation = true;
            }
        }
        if (portNameRegex == null) {
            problems.add(where + ": no keep rule on the container port name (the management port)");
        }
        List<Manifest> storefront = storefrontDeployments(objects);
        if (storefront.isEmpty()) {
            problems.add(where + ": no storefront Deployment in the set to scrape");
        }
        Map<String, Set<Integer>> services = services(objects);
        for (Manifest deployment : storefront) {
            String id = deployment.id();
            if (!namespaces.isEmpty() && !namespaces.contains(deployment.namespace())) {
                problems.add(id + ": namespace " + deployment.namespace() + " is not discovered by " + SCRAPE_JOB
                        + " (" + namespaces + ")");
            }
            Map<String, Object> annotations = Yamls.map(Yamls.at(Workloads.podTemplate(deployment), "metadata",
                    "annotations"));
            Object scrape = annotations.get("prometheus.io/scrape");
            if (scrapeRegex != null && (scrape == null || !String.valueOf(scrape).matches(scrapeRegex))) {
                problems.add(id + ": pod annotation prometheus.io/scrape is " + scrape + ", the job keeps " + scrapeRegex);
            }
            if (pathFromAnnotation && annotations.get("prometheus.io/path") != null
                    && !METRICS_PATH.equals(annotations.get("prometheus.io/path"))) {
                problems.add(id + ": pod annotation prometheus.io/path is " + annotations.get("prometheus.io/path")
                        + ", expected " + METRICS_PATH);
            }
            if (annotations.get("prometheus.io/port") != null
                    && !String.valueOf(MANAGEMENT_PORT).equals(String.valueOf(annotations.get("prometheus.io/port")))) {
                problems.add(id + ": pod annotation prometheus.io/port is " + annotations.get("prometheus.io/port")
                        + ", the management port is " + MANAGEMENT_PORT);
            }
            boolean scraped = false;
            for (Workloads.Container container : Workloads.containers(deployment)) {
                for (Map<String, Object> port : Yamls.maps(container.body().get("ports"))) {
                    String name = Yamls.str(port.get("name"));
                    if (portNameRegex != null && name != null && name.matches(portNameRegex)) {
                        scraped = true;
                        if (!Integer.valueOf(MANAGEMENT_PORT).equals(port.get("containerPort"))) {
                            problems.add(container.id() + ": port " + name + " kept by " + SCRAPE_JOB + " is "
                                    + port.get("containerPort") + ", not the management port " + MANAGEMENT_PORT);
                        }
                    }
                }
            }
            if (portNameRegex != null && !scraped) {
                problems.add(id + ": no container port named like " + portNameRegex + " (" + MANAGEMENT_PORT
                        + "): " + SCRAPE_JOB + " finds no target");
            }
            Set<Integer> servicePorts = services.get(deployment.namespace() + "/" + deployment.name());
            if (servicePorts == null || !servicePorts.contains(MANAGEMENT_PORT)) {
                problems.add(id + ": Service " + deployment.name() + " does not expose the management port "
                        + MANAGEMENT_PORT);
            }
            if (!authorizationAllowsScrape(objects, deployment.namespace())) {
                problems.add(id + ": no ALLOW AuthorizationPolicy in " + deployment.namespace() + " admits GET "
                        + METRICS_PATH + " on port " + MANAGEMENT_PORT);
            }
        }
        return problems;
    }

    private static boolean authorizationAllowsScrape(List<Manifest> objects, String namespace) {
        boolean anyPolicy = false;
        for (Manifest policy : objects) {
            if (!policy.is("AuthorizationPolicy") || !namespace.equals(policy.namespace())) {
                continue;
            }
            anyPolicy = true;
            if (!"ALLOW".equals(policy.spec().getOrDefault("action", "ALLOW"))) {
                continue;
            }
            for (Map<String, Object> rule : Yamls.maps(policy.spec().get("rules"))) {
                for (Map<String, Object> to : Yamls.maps(rule.get("to"))) {
                    Map<String, Object> operation = Yamls.map(to.get("operation"));
                    List<Object> ports = Yamls.list(operation.get("ports"));
                    List<Object> paths = Yamls.list(operation.get("paths"));
                    if (ports.contains(String.valueOf(MANAGEMENT_PORT)) && (paths.isEmpty() || paths.contains(METRICS_PATH))) {
                        return true;
                    }
                }
            }
        }
        return !anyPolicy; // no policy at all: nothing is denied
    }

    static List<Manifest> storefrontDeployments(List<Manifest> objects) {
        return objects.stream().filter(o -> o.is("Deployment"))
                .filter(o -> PART_OF_STOREFRONT.equals(o.labels().get("app.kubernetes.io/part-of"))).toList();
    }

    // ------------------------------------------------------------------------------------------ Kafka topics

    /** The topic names the services use: every event topic of the contracts and its dead-letter topic. */
    static Set<String> serviceTopics() {
        Set<String> topics = new TreeSet<>();
        Topics.EVENT_TOPICS.forEach(topic -> {
            topics.add(topic);
            topics.add(Topics.deadLetterOf(topic));
        });
        return topics;
    }

    /** KafkaTopic topic names equal the services' topics; every KafkaTopic belongs to a declared Kafka cluster. */
    static List<String> kafkaTopics(List<Manifest> objects, Set<String> expected) {
        List<String> problems = new ArrayList<>();
        Set<String> clusters = new TreeSet<>();
        objects.stream().filter(o -> o.is("Kafka")).forEach(k -> clusters.add(k.namespace() + "/" + k.name()));
        Set<String> declared = new TreeSet<>();
        for (Manifest topic : objects) {
            if (!topic.is("KafkaTopic")) {
                continue;
            }
            String name = Yamls.str(topic.spec().getOrDefault("topicName", topic.name()));
            if (!declared.add(name)) {
                problems.add(topic.id() + ": topic " + name + " is declared twice");
            }
            String cluster = topic.namespace() + "/" + topic.labels().get("strimzi.io/cluster");
            if (!clusters.contains(cluster)) {
                problems.add(topic.id() + ": label strimzi.io/cluster names " + cluster + ", not a declared Kafka "
                        + clusters);
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(declared);
        Set<String> unused = new TreeSet<>(declared);
        unused.removeAll(expected);
        if (!missing.isEmpty()) {
            problems.add("topics the services use but no KafkaTopic declares (auto-creation is off): " + missing);
        }
        if (!unused.isEmpty()) {
            problems.add("KafkaTopics no service uses (typo?): " + unused);
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------ images

    /**
     * Every storefront Deployment is one of the service modules and runs the Jib image {@code storefront/<svc>}
     * tagged with the project version (or {@code <version>-<suffix>} as platform-cli images/CI write it), with a matching
     * {@code version} label; every service module is deployed.
     */
    static List<String> images(List<Manifest> objects, String version, Set<String> serviceModules) {
        List<String> problems = new ArrayList<>();
        Pattern expectedTag = Pattern.compile(Pattern.quote(version) + "(-[0-9A-Za-z.-]+)?");
        Set<String> deployed = new TreeSet<>();
        for (Manifest deployment : storefrontDeployments(objects)) {
            deployed.add(deployment.name());
            if (!serviceModules.contains(deployment.name())) {
                problems.add(deployment.id() + ": not one of the service modules " + serviceModules);
            }
            Workloads.Container main = Workloads.containers(deployment).stream().filter(c -> !c.init())
                    .findFirst().orElse(null);
            if (main == null) {
                problems.add(deployment.id() + ": no container");
                continue;
            }
            Image image = Image.parse(main.image());
            if (!image.repository().equals("storefront/" + deployment.name())
                    && !image.repository().endsWith("/storefront/" + deployment.name())) {
                problems.add(main.id() + ": image " + main.image() + " is not storefront/" + deployment.name());
            }
            if (image.tag() == null || !expectedTag.matcher(image.tag()).matches()) {
                problems.add(main.id() + ": image " + main.image() + " is not tagged with the project version "
                        + version);
            }
            Object label = Yamls.at(Workloads.podTemplate(deployment), "metadata", "labels", "version");
            if (label != null && image.tag() != null && !label.equals(image.tag())) {
                problems.add(deployment.id() + ": pod label version " + label + " differs from the image tag "
                        + image.tag());
            }
        }
        Set<String> undeployed = new TreeSet<>(serviceModules);
        undeployed.removeAll(deployed);
        if (!undeployed.isEmpty()) {
            problems.add("service modules without a Deployment: " + undeployed);
        }
        return problems;
    }

    /** An image reference split into repository, tag and digest. */
    record Image(String repository, String tag, String digest) {
        static Image parse(String reference) {
            String rest = reference;
            String digest = null;
            if (rest.contains("@")) {
                digest = rest.substring(rest.indexOf('@') + 1);
                rest = rest.substring(0, rest.indexOf('@'));
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return new Image(rest, tag, digest);
        }
    }

    // ------------------------------------------------------------------------------------------ hosts

    /**
     * Host names in env values, Secrets and ConfigMaps resolve to declared Services (with that port): Kafka bootstrap
     * and ZooKeeper lists (env names ending in BOOTSTRAP_SERVERS, ZOOKEEPER_CONNECT, ZK_HOSTS; short names are in the
     * workload's namespace), MongoDB URIs, and every {@code <name>.<namespace>.svc[.cluster.local][:port]}. Env
     * secretKeyRef/configMapKeyRef and Secret/ConfigMap volumes name an object of the set (or one the Strimzi operator
     * creates for a declared Kafka).
     */
    static List<String> serviceHosts(List<Manifest> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<Integer>> services = services(objects);
        Map<String, Set<String>> secrets = new HashMap<>();
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (Manifest object : objects) {
            if (object.is("Secret") || object.is("ConfigMap")) {
                Map<String, String> data = decodedData(object);
                (object.is("Secret") ? secrets : configMaps).put(object.namespace() + "/" + object.name(), data.keySet());
                data.forEach((key, value) -> fqdnReferences(services, object.id() + " key " + key, value,
                        object.namespace(), problems));
            }
        }
        for (Manifest kafka : objects) {
            if (kafka.is("Kafka")) {
                for (String suffix : List.of("-cluster-ca-cert", "-cluster-operator-certs", "-clients-ca-cert",
                        "-cluster-ca", "-clients-ca")) {
                    secrets.putIfAbsent(kafka.namespace() + "/" + kafka.name() + suffix, null);
                }
            }
        }
        for (Workloads.Container container : Workloads.containers(objects)) {
            String namespace = container.owner().namespace();
            for (Map<String, Object> env : Yamls.maps(container.body().get("env"))) {
                String name = Yamls.str(env.get("name"));
                String value = Yamls.str(env.get("value"));
                String what = container.id() + " env " + name;
                if (value != null) {
                    if (HOST_LIST_ENV.matcher(name).matches()) {
                        for (String hostPort : value.split(",")) {
                            String[] parts = hostPort.strip().split(":");
                            requireService(services, what, parts[0],
                                    parts.length > 1 ? Integer.valueOf(parts[1]) : null, namespace, problems);
                        }
                    } else {
                        fqdnReferences(services, what, value, namespace, problems);
                    }
                }
                requireKey(secrets, "Secret", Yamls.map(Yamls.at(env, "valueFrom", "secretKeyRef")), namespace, what,
                        problems);
                requireKey(configMaps, "ConfigMap", Yamls.map(Yamls.at(env, "valueFrom", "configMapKeyRef")),
                        namespace, what, problems);
            }
        }
        for (Manifest object : objects) {
            if (!Workloads.hasPods(object)) {
                continue;
            }
            for (Map<String, Object> volume : Yamls.maps(Workloads.podSpec(object).get("volumes"))) {
                String what = object.id() + " volume " + volume.get("name");
                Object secret = Yamls.at(volume, "secret", "secretName");
                if (secret != null && !secrets.containsKey(object.namespace() + "/" + secret)) {
                    problems.add(what + ": Secret " + secret + " is not in the set");
                }
                Object configMap = Yamls.at(volume, "configMap", "name");
                if (configMap != null && !configMaps.containsKey(object.namespace() + "/" + configMap)) {
                    problems.add(what + ": ConfigMap " + configMap + " is not in the set");
                }
            }
        }
        return problems;
    }

    private static void requireKey(Map<String, Set<String>> objects, String kind, Map<String, Object> ref,
            String namespace, String what, List<String> problems) {
        if (ref.isEmpty() || Boolean.TRUE.equals(ref.get("optional"))) {
            return;
        }
        String key = namespace + "/" + ref.get("name");
        if (!objects.containsKey(key)) {
            problems.add(what + ": " + kind + " " + ref.get("name") + " is not in the set");
        } else if (objects.get(key) != null && !objects.get(key).contains(String.valueOf(ref.get("key")))) {
            problems.add(what + ": " + kind + " " + ref.get("name") + " has no key " + ref.get("key"));
        }
    }

    private static void fqdnReferences(Map<String, Set<Integer>> services, String what, String value,
            String namespace, List<String> problems) {
        Matcher uri = MONGODB_URI.matcher(value);
        while (uri.find()) {
            for (String hostPort : uri.group(1).split(",")) {
                String[] parts = hostPort.split(":");
                requireService(services, what + " (MongoDB URI)", parts[0],
                        parts.length > 1 ? Integer.valueOf(parts[1]) : 27017, namespace, problems);
            }
        }
        Matcher fqdn = FQDN.matcher(MONGODB_URI.matcher(value).replaceAll(""));
        while (fqdn.find()) {
            requireService(services, what, fqdn.group(1) + "." + fqdn.group(2),
                    fqdn.group(3) == null ? null : Integer.valueOf(fqdn.group(3)), namespace, problems);
        }
    }

    static Map<String, String> decodedData(Manifest object) {
        Map<String, String> data = new TreeMap<>();
        Yamls.map(object.body().get("data")).forEach((k, v) -> data.put(k, object.is("Secret")
                ? new String(Base64.getMimeDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8) : String.valueOf(v)));
        Yamls.map(object.body().get("stringData")).forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }

    // ------------------------------------------------------------------------------------------ namespaces

    /**
     * Every namespace an object lives in or points at is declared: metadata.namespace, Application/AppProject
     * destinations, {@code .<ns>.svc} host names, Istio principals {@code cluster.local/ns/<ns>/sa/…}, Prometheus
     * discovery namespaces, and namespace lists in Helm values (watchNamespaces, istio_namespace).
     */
    static List<String> namespaces(List<Manifest> objects, Set<String> declared) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> referencedBy = new TreeMap<>();
        java.util.function.BiConsumer<String, Manifest> ref = (namespace, object) -> {
            if (namespace != null) {
                referencedBy.computeIfAbsent(namespace, n -> new TreeSet<>()).add(object.id());
            }
        };
        Pattern principal = Pattern.compile("cluster\\.local/ns/([a-z0-9-]+)/sa/");
        for (Manifest object : objects) {
            ref.accept(object.namespace(), object);
            if (object.is("Application")) {
                ref.accept(Yamls.string(object.spec(), "destination", "namespace"), object);
                for (Map<String, Object> source : WaveOrder.sources(object)) {
                    walkStrings(Yamls.at(source, "helm", "valuesObject"), "", (key, value) -> {
                        if (key.endsWith("watchNamespaces") || key.endsWith("istio_namespace")) {
                            ref.accept(value, object);
                        }
                        Matcher fqdn = FQDN.matcher(value);
                        while (fqdn.find()) {
                            ref.accept(fqdn.group(2), object);
                        }
                    });
                }
            } else if (object.is("AppProject")) {
                Yamls.maps(object.spec().get("destinations")).forEach(d -> {
                    String namespace = Yamls.str(d.get("namespace"));
                    if (!"*".equals(namespace)) {
                        ref.accept(namespace, object);
                    }
                });
            } else {
                walkStrings(object.is("Secret") ? decodedData(object) : object.body(), "", (key, value) -> {
                    Matcher fqdn = FQDN.matcher(value);
                    while (fqdn.find()) {
                        ref.accept(fqdn.group(2), object);
                    }
                    Matcher sa = principal.matcher(value);
                    while (sa.find()) {
                        ref.accept(sa.group(1), object);
                    }
                });
                if (object.is("ConfigMap") && Yamls.map(object.body().get("data")).containsKey("prometheus.yml")) {
                    Map<String, Object> config = Yamls.parseMap(Yamls.string(object.body(), "data", "prometheus.yml"));
                    for (Map<String, Object> job : Yamls.maps(config.get("scrape_configs"))) {
                        for (Map<String, Object> sd : Yamls.maps(job.get("kubernetes_sd_configs"))) {
                            Yamls.list(Yamls.at(sd, "namespaces", "names")).forEach(n -> ref.accept(String.valueOf(n), object));
                        }
                    }
                }
            }
        }
        referencedBy.forEach((namespace, by) -> {
            if (!declared.contains(namespace)) {
                problems.add("namespace " + namespace + " is not declared (platform/namespaces), used by " + by);
            }
        });
        return problems;
    }

    private static void walkStrings(Object value, String key, java.util.function.BiConsumer<String, String> consumer) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walkStrings(v, key + "." + k, consumer));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> walkStrings(v, key, consumer));
        } else if (value instanceof String string) {
            consumer.accept(key, string);
        }
    }

    // ------------------------------------------------------------------------------------------ latest

    /** Images allowed to use `latest`, because upstream publishes no other tag; each needs a comment at its image line. */
    static final Set<String> LATEST_ALLOWED = Set.of("ghcr.io/scholzj/zoo-entrance");

    /**
     * No {@code latest} tag (and no untagged image, which means latest) anywhere: container images and image
     * tags in Helm values. Exceptions: {@link #LATEST_ALLOWED}, only if the manifest that sets the image explains it
     * in a comment right above the image line; and untagged {@code storefront/<svc>} in kustomize/ (the base leaves
     * the tag to the overlay; clusters/minikube/storefront must set the version, see {@link #images}).
     *
     * @param sources manifest source texts by path, searched for the line that sets an allowed `latest` image
     */
    static List<String> latestTags(List<Manifest> objects, Map<String, String> sources) {
        List<String> problems = new ArrayList<>();
        for (Workloads.Container container : Workloads.containers(objects)) {
            String reference = container.image();
            if (reference == null) {
                problems.add(container.id() + ": no image");
                continue;
            }
            Image image = Image.parse(reference);
            if (image.digest() != null) {
                continue;
            }
            if (image.tag() == null) {
                if (container.owner().folder().startsWith("kustomize/") && image.repository().startsWith("storefront/")) {
                    continue;
                }
                problems.add(container.id() + ": image " + reference + " has no tag (means latest)");
            } else if (image.tag().equals("latest")) {
                if (!LATEST_ALLOWED.contains(image.repository())) {
                    problems.add(container.id() + ": image " + reference + " uses the latest tag");
                } else if (!commentedImageLine(sources, reference)) {
                    problems.add(container.id() + ": image " + reference
                            + " may use latest only with a comment right above its image line explaining why");
                }
            }
        }
        for (Manifest app : objects) {
            if (!app.is("Application")) {
                continue;
            }
            for (Map<String, Object> source : WaveOrder.sources(app)) {
                walkStrings(Yamls.at(source, "helm", "valuesObject"), "", (key, value) -> {
                    if ((key.endsWith(".tag") && value.equals("latest")) || (key.endsWith(".image") && value.endsWith(":latest"))) {
                        problems.add(app.id() + ": Helm value " + key.substring(1) + " uses latest");
                    }
                });
            }
        }
        return problems;
    }

    private static boolean commentedImageLine(Map<String, String> sources, String image) {
        Pattern line = Pattern.compile("^\\s*(-\\s*)?image:\\s*[\"']?" + Pattern.quote(image) + "[\"']?\\s*(#.*)?$");
        for (String text : sources.values()) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (line.matcher(lines[i]).matches()) {
                    return lines[i].contains("#") || i > 0 && lines[i - 1].strip().startsWith("#");
                }
            }
        }
        return false;
    }
}
