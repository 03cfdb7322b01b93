package io.storefront.manifests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Argo CD wiring of clusters/minikube (docs/gitops.md "Verification" and "Sync waves"):
 * <ul>
 *   <li>sources: every child Application's path exists and renders (.argocd/install without its pinned upstream
 *       URL, see {@link Rendered}); every chart source has an exact version (no range, {@code *}, HEAD, latest or
 *       branch); every source of this repository is labelled for .argocd/source and follows gitops-source;</li>
 *   <li>sync policy: project exists; automated prune + selfHeal; retry with limit and back-off; resources-finalizer
 *       on every child but argocd; no CreateNamespace; ServerSideApply for Strimzi and argocd; ignoreDifferences only
 *       with RespectIgnoreDifferences;</li>
 *   <li>projects: sources, destinations, rendered namespaces and kinds allowed by the project;</li>
 *   <li>waves: AppProjects first; every custom resource after the Application that installs its CRD (declared with
 *       gitops.storefront/provides-crd-groups, and the owners are the expected ones: Istio groups istio-base, Strimzi
 *       strimzi-operator, argoproj.io argocd); every namespace created in an earlier wave than anything deployed into
 *       it; the explicit dependencies of {@link #DEPENDS_ON};</li>
 *   <li>core and extras: every Application is labelled {@value #TIER} core or extra; the Applications of AppProject
 *       storefront (the services and their routes) are core and no core Application depends on an extra; every extra
 *       is in the one last wave, after every core Application. Argo CD counts a sync operation's last wave as done
 *       once it is applied, so an extra that never turns Healthy holds back neither the core nor the root's next
 *       sync.</li>
 * </ul>
 * Charts cannot be rendered offline: their contents (kinds, namespaces) are not checked.
 */
final class WaveOrder {

    static final String CLUSTER = "clusters/minikube";
    static final String IN_CLUSTER = "https://kubernetes.default.svc";
    static final String WAVE = "argocd.argoproj.io/sync-wave";
    static final String CRD_GROUPS = "gitops.storefront/provides-crd-groups";
    static final String REPO_LABEL = "gitops.storefront/repo";
    /** Which Applications the storefront needs (core) and which only add UIs or observability (extra). */
    static final String TIER = "gitops.storefront/tier";
    static final String CORE = "core";
    static final String EXTRA = "extra";
    /** The AppProject of the services and their routes: its Applications are core by definition. */
    static final String STOREFRONT_PROJECT = "storefront";
    static final String FINALIZER = "resources-finalizer.argocd.argoproj.io";
    /** Deleting this Application must never uninstall Argo CD. */
    static final Set<String> NO_FINALIZER = Set.of("argocd");
    /** Created by `kubectl apply -k .argocd/install` before the root Application exists. */
    static final Set<String> BOOTSTRAP_NAMESPACES = Set.of("argocd");
    /** An exact chart version: semver, no range, wildcard, HEAD, latest or branch. */
    static final Pattern PINNED_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?");
    static final Set<String> BUILTIN_GROUPS = Set.of("", "apps", "batch", "policy", "autoscaling", "networking.k8s.io",
            "rbac.authorization.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "storage.k8s.io",
            "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io");
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    /** Which Application must install the CRDs of each API group we use. */
    static final Map<String, String> EXPECTED_CRD_OWNERS = Map.of(
            "networking.istio.io", "istio-base",
            "security.istio.io", "istio-base",
            "telemetry.istio.io", "istio-base",
            "kafka.strimzi.io", "strimzi-operator",
            "argoproj.io", "argocd");
    /** Order that no CRD or namespace implies: app -> the apps it must come after. */
    static final Map<String, List<String>> DEPENDS_ON = new LinkedHashMap<>();

    static {
        DEPENDS_ON.put("istiod", List.of("istio-base"));
        DEPENDS_ON.put("istio-ingressgateway", List.of("istiod"));     // gateway pods are injected by istiod
        DEPENDS_ON.put("prometheus", List.of("istiod"));               // its certificate-only sidecar
        DEPENDS_ON.put("kiali", List.of("istiod"));
        DEPENDS_ON.put("kafka-topics", List.of("kafka-cluster"));      // the topic operator runs in the cluster's EO
        DEPENDS_ON.put("zoo-entrance", List.of("kafka-cluster"));      // uses the cluster's certificates
        DEPENDS_ON.put("mongo-express", List.of("mongodb"));
        DEPENDS_ON.put("storefront", List.of("istiod", "mongodb", "kafka-topics"));
        DEPENDS_ON.put("istio-routing", List.of("storefront", "istio-ingressgateway"));
    }

    static final Set<String> SERVER_SIDE_APPLY = Set.of("strimzi-operator", "kafka-cluster", "kafka-topics", "argocd");

    /** What the checks look at: the rendered root (clusters/minikube) and how a source path renders. */
    record Model(List<Manifest> root, Function<String, Rendered.Rendering> rendered) {

        static Model ofRepository() {
            return new Model(Rendered.folder(CLUSTER).objectsOrFail(), Rendered::folder);
        }

        Model copy() {
            return new Model(root.stream().map(Manifest::copy).toList(), rendered);
        }

        Manifest app(String name) {
            return find("Application", name);
        }

        Manifest project(String name) {
            return find("AppProject", name);
        }

        private Manifest find(String kind, String name) {
            return root.stream().filter(m -> m.is(kind) && name.equals(m.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no " + kind + " " + name));
        }
    }

    private WaveOrder() {
    }

    static int wave(Manifest object) {
        Object value = object.annotations().get(WAVE);
        return value == null ? 0 : Integer.parseInt(String.valueOf(value).trim());
    }

    static List<Map<String, Object>> sources(Manifest app) {
        Map<String, Object> spec = app.spec();
        if (spec.get("sources") instanceof List<?>) {
            return Yamls.maps(spec.get("sources"));
        }
        return spec.get("source") instanceof Map<?, ?> ? List.of(Yamls.map(spec.get("source"))) : List.of();
    }

    static String tier(Manifest app) {
        return Yamls.str(app.labels().get(TIER));
    }

    /** The waves, for the summary: "wave: apps". */
    static Map<Integer, List<String>> waves(Model model) {
        Map<Integer, List<String>> waves = new TreeMap<>();
        model.root().stream().filter(m -> m.is("Application"))
                .forEach(app -> waves.computeIfAbsent(wave(app), w -> new ArrayList<>())
                        .add(app.name() + (EXTRA.equals(tier(app)) ? " (extra)" : "")));
        return waves;
    }

    static List<String> check(Model model) {
        List<String> problems = new ArrayList<>();
        Map<String, Manifest> apps = new TreeMap<>();
        Map<String, Manifest> projects = new TreeMap<>();
        Manifest gitops = null;
        for (Manifest object : model.root()) {
            if (object.is("Application")) {
                apps.put(object.name(), object);
            } else if (object.is("AppProject")) {
                projects.put(object.name(), object);
            } else if (object.is("ConfigMap") && "gitops-source".equals(object.name())) {
                gitops = object;
            }
        }
        if (gitops == null) {
            return List.of("ConfigMap gitops-source (.argocd/source) is not part of " + CLUSTER);
        }
        String repo = Yamls.string(gitops.body(), "data", "repoURL");
        String revision = Yamls.string(gitops.body(), "data", "targetRevision");

        // --- AppProjects before Applications
        if (!projects.isEmpty() && !apps.isEmpty()
                && projects.values().stream().mapToInt(WaveOrder::wave).max().getAsInt()
                >= apps.values().stream().mapToInt(WaveOrder::wave).min().getAsInt()) {
            problems.add("waves: every AppProject must be in an earlier wave than every Application");
        }

        // --- who creates which namespace, who owns which CRD group
        Map<String, Object[]> namespacesCreated = new HashMap<>(); // namespace -> {wave, app}
        Map<String, Object[]> crdOwner = new HashMap<>();          // group -> {wave, app}
        for (Manifest app : apps.values()) {
            for (String group : String.valueOf(app.annotations().getOrDefault(CRD_GROUPS, "")).split(",")) {
                if (!group.isBlank()) {
                    crdOwner.put(group.strip(), new Object[] {wave(app), app.name()});
                }
            }
            String path = sources(app).stream().map(s -> Yamls.str(s.get("path"))).filter(p -> p != null)
                    .findFirst().orElse(null);
            if (path != null) {
                Rendered.Rendering rendering = model.rendered().apply(path);
                if (rendering.ok()) {
                    rendering.objects().stream().filter(o -> o.is("Namespace"))
                            .forEach(ns -> namespacesCreated.put(ns.name(), new Object[] {wave(app), app.name()}));
                }
            }
        }
        EXPECTED_CRD_OWNERS.forEach((group, owner) -> {
            Object[] declared = crdOwner.get(group);
            if (declared == null || !owner.equals(declared[1])) {
                problems.add("waves: CRD group " + group + " must be declared (" + CRD_GROUPS + ") by Application "
                        + owner + (declared == null ? "; no Application declares it" : ", not " + declared[1]));
            }
        });

        for (Manifest app : apps.values()) {
            checkApplication(app, projects, repo, revision, namespacesCreated, crdOwner, model, problems);
        }

        DEPENDS_ON.forEach((name, dependencies) -> {
            for (String dependency : dependencies) {
                if (!apps.containsKey(name) || !apps.containsKey(dependency)) {
                    problems.add("waves: dependency " + name + " -> " + dependency
                            + " names an Application that does not exist");
                } else if (wave(apps.get(dependency)) >= wave(apps.get(name))) {
                    problems.add("waves: " + name + " (wave " + wave(apps.get(name)) + ") must come after "
                            + dependency + " (wave " + wave(apps.get(dependency)) + ")");
                } else if (CORE.equals(tier(apps.get(name))) && EXTRA.equals(tier(apps.get(dependency)))) {
                    problems.add("tiers: core Application " + name + " depends on the extra " + dependency);
                }
            }
        });
        checkTiers(apps, problems);
        return problems;
    }

    /** Core before extras: every extra in the one last wave, after every core Application. */
    private static void checkTiers(Map<String, Manifest> apps, List<String> problems) {
        Map<String, List<String>> byTier = new TreeMap<>();
        for (Manifest app : apps.values()) {
            String tier = tier(app);
            if (!CORE.equals(tier) && !EXTRA.equals(tier)) {
                problems.add("tiers: Application " + app.name() + " needs label " + TIER + " = " + CORE + " or "
                        + EXTRA + (tier == null ? "" : ", not " + tier));
                continue;
            }
            byTier.computeIfAbsent(tier, t -> new ArrayList<>()).add(app.name());
            if (STOREFRONT_PROJECT.equals(Yamls.str(app.spec().get("project"))) && !CORE.equals(tier)) {
                problems.add("tiers: Application " + app.name() + " of project " + STOREFRONT_PROJECT
                        + " (the services and their routes) must be " + CORE);
            }
        }
        List<String> extras = byTier.getOrDefault(EXTRA, List.of());
        if (extras.isEmpty()) {
            return;
        }
        int lastWave = apps.values().stream().mapToInt(WaveOrder::wave).max().getAsInt();
        for (String extra : extras) {
            if (wave(apps.get(extra)) != lastWave) {
                problems.add("tiers: extra " + extra + " (wave " + wave(apps.get(extra)) + ") must be in the last wave ("
                        + lastWave + "), so that nothing waits for it");
            }
        }
        for (String core : byTier.getOrDefault(CORE, List.of())) {
            if (wave(apps.get(core)) >= lastWave) {
                problems.add("tiers: core Application " + core + " (wave " + wave(apps.get(core))
                        + ") must come before every extra (wave " + lastWave + ")");
            }
        }
    }

    private static void checkApplication(Manifest app, Map<String, Manifest> projects, String repo, String revision,
            Map<String, Object[]> namespacesCreated, Map<String, Object[]> crdOwner, Model model, List<String> problems) {
        String name = app.name();
        String where = "Application " + name;
        Map<String, Object> spec = app.spec();
        if (!app.annotations().containsKey(WAVE)) {
            problems.add(where + ": no " + WAVE + " annotation");
        }
        Manifest project = projects.get(Yamls.str(spec.get("project")));
        if (project == null) {
            problems.add(where + ": project " + spec.get("project") + " is not one of the AppProjects");
            return;
        }
        String projectName = project.name();

        // --- sync policy
        Map<String, Object> policy = Yamls.map(spec.get("syncPolicy"));
        Map<String, Object> automated = Yamls.map(policy.get("automated"));
        if (!Boolean.TRUE.equals(automated.get("prune")) || !Boolean.TRUE.equals(automated.get("selfHeal"))) {
            problems.add(where + ": automated sync needs prune and selfHeal");
        }
        Map<String, Object> retry = Yamls.map(policy.get("retry"));
        Object limit = retry.get("limit");
        if (limit == null || Integer.valueOf(0).equals(limit) || Yamls.at(retry, "backoff", "duration") == null) {
            problems.add(where + ": retry with a limit and a back-off is missing");
        }
        List<String> options = Yamls.list(policy.get("syncOptions")).stream().map(String::valueOf).toList();
        if (options.stream().anyMatch(o -> o.startsWith("CreateNamespace=true"))) {
            problems.add(where + ": CreateNamespace=true (the namespaces app owns every namespace)");
        }
        if (SERVER_SIDE_APPLY.contains(name) && !options.contains("ServerSideApply=true")) {
            problems.add(where + ": ServerSideApply=true is required (large CRDs / operator-managed CRs)");
        }
        if (spec.get("ignoreDifferences") != null && !options.contains("RespectIgnoreDifferences=true")) {
            problems.add(where + ": ignoreDifferences without RespectIgnoreDifferences=true is undone by a sync");
        }
        boolean hasFinalizer = Yamls.list(Yamls.at(app.body(), "metadata", "finalizers")).contains(FINALIZER);
        if (hasFinalizer == NO_FINALIZER.contains(name)) {
            problems.add(where + ": " + FINALIZER + " must be set on every child app except " + NO_FINALIZER);
        }
        Map<String, Object> destination = Yamls.map(spec.get("destination"));
        if (!IN_CLUSTER.equals(destination.get("server"))) {
            problems.add(where + ": destination server must be " + IN_CLUSTER);
        }
        String destinationNamespace = Yamls.str(destination.get("namespace"));

        // --- project
        Map<String, Object> projectSpec = project.spec();
        Set<String> allowedNamespaces = new TreeSet<>();
        Yamls.maps(projectSpec.get("destinations")).forEach(d -> allowedNamespaces.add(Yamls.str(d.get("namespace"))));
        List<Object> allowedRepos = Yamls.list(projectSpec.get("sourceRepos"));
        Set<String> clusterKinds = groupKinds(projectSpec.get("clusterResourceWhitelist"));
        Object namespaceWhitelist = projectSpec.get("namespaceResourceWhitelist");
        Set<String> namespaceKinds = groupKinds(namespaceWhitelist);
        String label = Yamls.str(app.labels().get(REPO_LABEL));

        List<Map<String, Object>> sources = sources(app);
        if (sources.isEmpty()) {
            problems.add(where + ": no source");
        }
        Set<String> targets = new LinkedHashSet<>();
        for (int index = 0; index < sources.size(); index++) {
            Map<String, Object> source = sources.get(index);
            String repoUrl = Yamls.str(source.get("repoURL"));
            if (!allowedRepos.contains(repoUrl)) {
                problems.add(where + ": source " + repoUrl + " is not in project " + projectName + "'s sourceRepos");
            }
            if (source.containsKey("chart")) {
                String version = Yamls.str(source.get("targetRevision"));
                if (version == null || !PINNED_VERSION.matcher(version).matches()) {
                    problems.add(where + ": chart " + source.get("chart") + " targetRevision '" + version
                            + "' is not an exact version");
                }
                targets.add(destinationNamespace);
                continue;
            }
            String path = Yamls.str(source.get("path"));
            if (path == null) {
                problems.add(where + ": source " + index + " has neither chart nor path");
                continue;
            }
            String expectedLabel = spec.get("source") != null ? "source" : "sources-" + index;
            if (!expectedLabel.equals(label)) {
                problems.add(where + ": " + path + " is this repository: label " + REPO_LABEL + "=" + expectedLabel
                        + " is needed for .argocd/source");
            }
            if (!java.util.Objects.equals(repoUrl, repo)
                    || !java.util.Objects.equals(Yamls.str(source.get("targetRevision")), revision)) {
                problems.add(where + ": " + path + " does not follow gitops-source (" + repo + " @ " + revision + ")");
            }
            Rendered.Rendering rendering = model.rendered().apply(path);
            if (!rendering.ok()) {
                problems.add(where + ": " + path + " does not render: " + rendering.error());
                continue;
            }
            for (Manifest object : rendering.objects()) {
                String what = where + ": " + object.kind() + " " + object.name();
                String group = object.group();
                if (CLUSTER_SCOPED.contains(object.kind())) {
                    if (!clusterKinds.contains(group + "/" + object.kind())) {
                        problems.add(what + ": cluster-scoped kind not whitelisted in project " + projectName);
                    }
                } else {
                    targets.add(object.namespace() != null ? object.namespace() : destinationNamespace);
                    if (namespaceWhitelist != null && !namespaceKinds.contains(group + "/" + object.kind())) {
                        problems.add(what + ": kind not in project " + projectName + "'s namespaceResourceWhitelist");
                    }
                }
                if (!BUILTIN_GROUPS.contains(group)) {
                    Object[] owner = crdOwner.get(group);
                    if (owner == null) {
                        problems.add(what + ": no Application declares CRD group " + group + " (" + CRD_GROUPS + ")");
                    } else if ((int) owner[0] >= wave(app)) {
                        problems.add(what + ": CRD owner " + owner[1] + " (wave " + owner[0]
                                + ") is not in an earlier wave than " + wave(app));
                    }
                }
            }
        }
        if (targets.isEmpty() && !allowedNamespaces.contains(destinationNamespace)) {
            problems.add(where + ": destination namespace " + destinationNamespace + " not allowed by the project");
        }
        for (String namespace : targets.stream().map(n -> n == null ? "<none>" : n).sorted().distinct().toList()) {
            if (!allowedNamespaces.contains(namespace)) {
                problems.add(where + ": deploys into " + namespace + ", not a destination of project " + projectName);
            }
            if ("platform".equals(projectName) && "dev".equals(namespace)) {
                problems.add(where + ": platform apps do not deploy into dev (only the namespaces app creates it)");
            }
            if (BOOTSTRAP_NAMESPACES.contains(namespace)) {
                continue;
            }
            Object[] created = namespacesCreated.get(namespace);
            if (created == null) {
                problems.add(where + ": namespace " + namespace + " is not created by any Application");
            } else if ((int) created[0] >= wave(app)) {
                problems.add(where + ": namespace " + namespace + " is created by " + created[1] + " (wave "
                        + created[0] + "), not before wave " + wave(app));
            }
        }
    }

    private static Set<String> groupKinds(Object whitelist) {
        Set<String> kinds = new TreeSet<>();
        Yamls.maps(whitelist).forEach(k -> kinds.add(Yamls.str(k.get("group")) + "/" + Yamls.str(k.get("kind"))));
        return kinds;
    }
}
