package io.storefront.manifests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Argo CD {@code argoproj.io/v1alpha1} Application and AppProject: there is no published Java model of them, and the
 * only published schema (npm {@code @kubernetes-models/argo-cd}) accepts unknown optional fields, so it would not
 * catch a misspelling. This is an explicit whitelist instead: the fields of Argo CD's v1alpha1 types (as of 3.x) that
 * this repository uses or is likely to use, each with its JSON type. Anything else is reported, as is a value of the
 * wrong type. Helm {@code valuesObject} is free-form (the chart's own values; not checkable offline).
 * To use a new Argo CD field, add it here after checking it in Argo CD's documentation.
 */
final class ArgoCdFields {

    /** A field's expected shape. */
    sealed interface Shape permits Obj, ListOf, MapOf, Scalar, Any {
    }

    record Obj(Map<String, Shape> fields) implements Shape {
    }

    record ListOf(Shape item) implements Shape {
    }

    record MapOf(Shape value) implements Shape {
    }

    record Scalar(Class<?> type) implements Shape {
    }

    record Any() implements Shape {
    }

    private static final Shape STRING = new Scalar(String.class);
    private static final Shape BOOL = new Scalar(Boolean.class);
    private static final Shape INT = new Scalar(Integer.class);
    private static final Shape ANY = new Any();

    private static Obj obj(Object... nameShapePairs) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameShapePairs.length; i += 2) {
            fields.put((String) nameShapePairs[i], (Shape) nameShapePairs[i + 1]);
        }
        return new Obj(fields);
    }

    private static Shape list(Shape item) {
        return new ListOf(item);
    }

    private static Shape map(Shape value) {
        return new MapOf(value);
    }

    private static final Obj METADATA = obj("name", STRING, "namespace", STRING, "labels", map(STRING),
            "annotations", map(STRING), "finalizers", list(STRING));

    private static final Obj HELM = obj("releaseName", STRING, "valuesObject", ANY, "values", STRING,
            "valueFiles", list(STRING), "parameters", list(obj("name", STRING, "value", STRING, "forceString", BOOL)),
            "fileParameters", list(obj("name", STRING, "path", STRING)), "skipCrds", BOOL, "skipTests", BOOL,
            "skipSchemaValidation", BOOL, "passCredentials", BOOL, "ignoreMissingValueFiles", BOOL,
            "version", STRING, "namespace", STRING, "kubeVersion", STRING, "apiVersions", list(STRING));

    private static final Obj KUSTOMIZE = obj("namePrefix", STRING, "nameSuffix", STRING, "namespace", STRING,
            "images", list(STRING), "commonLabels", map(STRING), "commonAnnotations", map(STRING),
            "forceCommonLabels", BOOL, "forceCommonAnnotations", BOOL, "version", STRING, "components", list(STRING),
            "patches", list(ANY), "replicas", list(obj("name", STRING, "count", INT)));

    private static final Obj SOURCE = obj("repoURL", STRING, "path", STRING, "targetRevision", STRING,
            "chart", STRING, "ref", STRING, "name", STRING, "helm", HELM, "kustomize", KUSTOMIZE,
            "directory", obj("recurse", BOOL, "include", STRING, "exclude", STRING, "jsonnet", ANY));

    private static final Obj GROUP_KIND = obj("group", STRING, "kind", STRING);

    static final Obj APPLICATION = obj("apiVersion", STRING, "kind", STRING, "metadata", METADATA,
            "spec", obj("project", STRING, "source", SOURCE, "sources", list(SOURCE),
                    "destination", obj("server", STRING, "namespace", STRING, "name", STRING),
                    "syncPolicy", obj(
                            "automated", obj("prune", BOOL, "selfHeal", BOOL, "allowEmpty", BOOL, "enabled", BOOL),
                            "syncOptions", list(STRING),
                            "retry", obj("limit", INT, "refresh", BOOL,
                                    "backoff", obj("duration", STRING, "factor", INT, "maxDuration", STRING)),
                            "managedNamespaceMetadata", obj("labels", map(STRING), "annotations", map(STRING))),
                    "ignoreDifferences", list(obj("group", STRING, "kind", STRING, "name", STRING,
                            "namespace", STRING, "jsonPointers", list(STRING), "jqPathExpressions", list(STRING),
                            "managedFieldsManagers", list(STRING))),
                    "info", list(obj("name", STRING, "value", STRING)),
                    "revisionHistoryLimit", INT));

    static final Obj APP_PROJECT = obj("apiVersion", STRING, "kind", STRING, "metadata", METADATA,
            "spec", obj("description", STRING, "sourceRepos", list(STRING), "sourceNamespaces", list(STRING),
                    "destinations", list(obj("server", STRING, "namespace", STRING, "name", STRING)),
                    "clusterResourceWhitelist", list(GROUP_KIND), "clusterResourceBlacklist", list(GROUP_KIND),
                    "namespaceResourceWhitelist", list(GROUP_KIND), "namespaceResourceBlacklist", list(GROUP_KIND),
                    "orphanedResources", obj("warn", BOOL,
                            "ignore", list(obj("group", STRING, "kind", STRING, "name", STRING))),
                    "roles", list(obj("name", STRING, "description", STRING, "policies", list(STRING),
                            "groups", list(STRING))),
                    "syncWindows", list(obj("kind", STRING, "schedule", STRING, "duration", STRING,
                            "applications", list(STRING), "namespaces", list(STRING), "clusters", list(STRING),
                            "manualSync", BOOL, "timeZone", STRING)),
                    "signatureKeys", list(obj("keyID", STRING)),
                    "permitOnlyProjectScopedClusters", BOOL,
                    "destinationServiceAccounts", list(obj("server", STRING, "namespace", STRING,
                            "defaultServiceAccount", STRING))));

    /** Fields Argo CD requires. */
    private static final Map<Shape, Set<String>> REQUIRED = Map.of(
            APPLICATION, Set.of("apiVersion", "kind", "metadata", "spec"),
            APP_PROJECT, Set.of("apiVersion", "kind", "metadata", "spec"));

    private ArgoCdFields() {
    }

    static void validateApplication(Map<String, Object> body, List<String> problems) {
        check(APPLICATION, body, "", problems);
        Map<String, Object> spec = Yamls.map(body.get("spec"));
        for (String required : List.of("project", "destination")) {
            if (!spec.containsKey(required)) {
                problems.add("required field spec." + required + " is missing");
            }
        }
        if (spec.containsKey("source") == spec.containsKey("sources")) {
            problems.add("exactly one of spec.source and spec.sources is needed");
        }
    }

    static void validateAppProject(Map<String, Object> body, List<String> problems) {
        check(APP_PROJECT, body, "", problems);
    }

    private static void check(Shape shape, Object value, String path, List<String> problems) {
        String where = path.isEmpty() ? "." : path;
        if (REQUIRED.containsKey(shape) && value instanceof Map<?, ?> map) {
            REQUIRED.get(shape).stream().filter(f -> !map.containsKey(f)).sorted()
                    .forEach(f -> problems.add("required field " + f + " is missing"));
        }
        if (shape instanceof Scalar scalar) {
            if (!scalar.type().isInstance(value)) {
                problems.add(where + ": expected " + scalar.type().getSimpleName().toLowerCase() + ", got "
                        + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
            }
        } else if (shape instanceof ListOf listOf) {
            if (!(value instanceof List<?> list)) {
                problems.add(where + ": expected a list");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                check(listOf.item(), list.get(i), path + "[" + i + "]", problems);
            }
        } else if (shape instanceof MapOf mapOf) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(where + ": expected a map");
                return;
            }
            map.forEach((k, v) -> check(mapOf.value(), v, path + "." + k, problems));
        } else if (shape instanceof Obj obj) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(where + ": expected an object");
                return;
            }
            map.forEach((k, v) -> {
                Shape field = obj.fields().get(String.valueOf(k));
                if (field == null) {
                    problems.add("unknown field " + k + " at " + where + " (Argo CD field whitelist)");
                } else {
                    check(field, v, path + "." + k, problems);
                }
            });
        }
    }
}
