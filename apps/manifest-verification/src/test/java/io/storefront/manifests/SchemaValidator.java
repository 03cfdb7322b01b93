package io.storefront.manifests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.*;

/**
 * Strict schema validation of rendered objects: a misspelled or misplaced field anywhere fails.
 *
 * <ul>
 *   <li>Kubernetes kinds: the models of the official Java client ({@code io.kubernetes:client-java-api} 27.0.0, the
 *       model artifact of client-java 27.0.0). Their {@code validateJsonElement} rejects unknown fields at any depth
 *       and missing required fields.</li>
 *   <li>Strimzi {@code kafka.strimzi.io/v1beta2}: {@code io.strimzi:api} 0.45.0 (the operator runs 0.45.2; the
 *       v1beta2 shapes are the same across 0.45.x). Bound with Jackson; unknown fields end up in
 *       {@code additionalProperties}, which {@link AdditionalPropertiesWalker} rejects anywhere in the graph.</li>
 *   <li>Istio {@code networking.istio.io/v1} and {@code security.istio.io/v1}: fabric8 {@code istio-model} 7.4.0, the
 *       {@code io.fabric8.istio.api.networking.v1} / {@code security.v1} resource classes. Their spec types are the
 *       Istio API protos of {@code v1alpha3} (networking) and {@code v1beta1} (security): Istio's v1 CRDs serve
 *       exactly those shapes, so binding the v1 objects to them is exact. Same walker.</li>
 *   <li>Argo CD {@code argoproj.io/v1alpha1} Application and AppProject: no published Java model (and the npm
 *       {@code @kubernetes-models/argo-cd} schema accepts unknown optional fields), so {@link ArgoCdFields} checks
 *       an explicit whitelist of the fields this repository uses.</li>
 * </ul>
 * A kind without a validator is an error: adding a new kind means adding its schema here.
 */
final class SchemaValidator {

    @FunctionalInterface
    interface Validator {
        void validate(Map<String, Object> body, List<String> problems);
    }

    private static final Gson GSON = new Gson();
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private static final Map<String, Validator> VALIDATORS = new LinkedHashMap<>();

    static {
        core("v1", "Namespace", V1Namespace.class);
        core("v1", "Service", V1Service.class);
        core("v1", "ServiceAccount", V1ServiceAccount.class);
        core("v1", "ConfigMap", V1ConfigMap.class);
        core("v1", "Secret", V1Secret.class);
        core("v1", "PersistentVolumeClaim", V1PersistentVolumeClaim.class);
        core("v1", "PersistentVolume", V1PersistentVolume.class);
        core("v1", "Pod", V1Pod.class);
        core("v1", "Endpoints", V1Endpoints.class);
        core("v1", "LimitRange", V1LimitRange.class);
        core("v1", "ResourceQuota", V1ResourceQuota.class);
        core("apps/v1", "Deployment", V1Deployment.class);
        core("apps/v1", "StatefulSet", V1StatefulSet.class);
        core("apps/v1", "DaemonSet", V1DaemonSet.class);
        core("apps/v1", "ReplicaSet", V1ReplicaSet.class);
        core("batch/v1", "Job", V1Job.class);
        core("batch/v1", "CronJob", V1CronJob.class);
        core("networking.k8s.io/v1", "NetworkPolicy", V1NetworkPolicy.class);
        core("networking.k8s.io/v1", "Ingress", V1Ingress.class);
        core("networking.k8s.io/v1", "IngressClass", V1IngressClass.class);
        core("rbac.authorization.k8s.io/v1", "Role", V1Role.class);
        core("rbac.authorization.k8s.io/v1", "RoleBinding", V1RoleBinding.class);
        core("rbac.authorization.k8s.io/v1", "ClusterRole", V1ClusterRole.class);
        core("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", V1ClusterRoleBinding.class);
        core("policy/v1", "PodDisruptionBudget", V1PodDisruptionBudget.class);
        core("autoscaling/v1", "HorizontalPodAutoscaler", V1HorizontalPodAutoscaler.class);
        core("autoscaling/v2", "HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);
        core("scheduling.k8s.io/v1", "PriorityClass", V1PriorityClass.class);
        core("storage.k8s.io/v1", "StorageClass", V1StorageClass.class);
        core("apiextensions.k8s.io/v1", "CustomResourceDefinition", V1CustomResourceDefinition.class);
        core("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", V1MutatingWebhookConfiguration.class);
        core("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", V1ValidatingWebhookConfiguration.class);
        core("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", V1ValidatingAdmissionPolicy.class);
        core("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", V1ValidatingAdmissionPolicyBinding.class);

        bound("kafka.strimzi.io/v1beta2", "Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class);
        bound("kafka.strimzi.io/v1beta2", "KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class);
        bound("kafka.strimzi.io/v1beta2", "KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class);
        bound("kafka.strimzi.io/v1beta2", "KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class);

        bound("networking.istio.io/v1", "Gateway", io.fabric8.istio.api.networking.v1.Gateway.class);
        bound("networking.istio.io/v1", "VirtualService", io.fabric8.istio.api.networking.v1.VirtualService.class);
        bound("networking.istio.io/v1", "DestinationRule", io.fabric8.istio.api.networking.v1.DestinationRule.class);
        bound("networking.istio.io/v1", "ServiceEntry", io.fabric8.istio.api.networking.v1.ServiceEntry.class);
        bound("networking.istio.io/v1", "Sidecar", io.fabric8.istio.api.networking.v1.Sidecar.class);
        bound("security.istio.io/v1", "PeerAuthentication", io.fabric8.istio.api.security.v1.PeerAuthentication.class);
        bound("security.istio.io/v1", "AuthorizationPolicy", io.fabric8.istio.api.security.v1.AuthorizationPolicy.class);
        bound("security.istio.io/v1", "RequestAuthentication", io.fabric8.istio.api.security.v1.RequestAuthentication.class);
        bound("telemetry.istio.io/v1", "Telemetry", io.fabric8.istio.api.telemetry.v1.Telemetry.class);

        VALIDATORS.put(key("argoproj.io/v1alpha1", "Application"), ArgoCdFields::validateApplication);
        VALIDATORS.put(key("argoproj.io/v1alpha1", "AppProject"), ArgoCdFields::validateAppProject);
    }

    private final Map<String, AtomicInteger> validatedByKind = new ConcurrentHashMap<>();

    /** The problems of one object ("" prefix-free messages); empty when it is valid. */
    List<String> validate(Manifest manifest) {
        List<String> problems = new ArrayList<>();
        Validator validator = VALIDATORS.get(key(manifest.apiVersion(), manifest.kind()));
        if (validator == null) {
            problems.add(manifest.id() + ": no schema validator for " + manifest.apiVersion() + " " + manifest.kind()
                    + " (add its model to SchemaValidator)");
            return problems;
        }
        List<String> found = new ArrayList<>();
        try {
            validator.validate(manifest.body(), found);
        } catch (RuntimeException e) {
            found.add(rootMessage(e));
        }
        found.forEach(problem -> problems.add(manifest.id() + ": " + problem));
        validatedByKind.computeIfAbsent(manifest.kind(), k -> new AtomicInteger()).incrementAndGet();
        return problems;
    }

    List<String> validateAll(List<Manifest> manifests) {
        return manifests.stream().flatMap(m -> validate(m).stream()).toList();
    }

    Map<String, Integer> validatedByKind() {
        Map<String, Integer> counts = new TreeMap<>();
        validatedByKind.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    static boolean hasValidator(String apiVersion, String kind) {
        return VALIDATORS.containsKey(key(apiVersion, kind));
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    /** client-java: the generated static validateJsonElement(JsonElement) of the model class. */
    private static void core(String apiVersion, String kind, Class<?> model) {
        Method method;
        try {
            method = model.getMethod("validateJsonElement", JsonElement.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(model + " has no validateJsonElement", e);
        }
        VALIDATORS.put(key(apiVersion, kind), (body, problems) -> {
            JsonElement json = GSON.toJsonTree(body);
            try {
                method.invoke(null, json);
            } catch (InvocationTargetException e) {
                problems.add(rootMessage(e.getCause()));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Strimzi/fabric8 models: Jackson binding, then no additionalProperties anywhere. */
    private static void bound(String apiVersion, String kind, Class<?> model) {
        VALIDATORS.put(key(apiVersion, kind), (body, problems) -> {
            Object bound;
            try {
                bound = JACKSON.convertValue(body, model);
            } catch (IllegalArgumentException e) {
                problems.add("does not bind to " + model.getName() + ": " + rootMessage(e));
                return;
            }
            problems.addAll(AdditionalPropertiesWalker.unknownFields(bound));
            // The fabric8 models bind one-of fields (e.g. Istio's StringMatch prefix/exact/regex) with a deserializer
            // that silently drops unknown keys, so the walker cannot see them: compare a round trip with the input.
            lostInBinding(body, JACKSON.convertValue(bound, Map.class), "", problems);
        });
    }

    /** Reports every non-empty input field that the bound model does not write back (it was not recognised). */
    static void lostInBinding(Object input, Object output, String path, List<String> problems) {
        if (input instanceof Map<?, ?> in) {
            Map<?, ?> out = output instanceof Map<?, ?> map ? map : Map.of();
            in.forEach((key, value) -> {
                String at = path + "." + key;
                if (out.containsKey(key)) {
                    lostInBinding(value, out.get(key), at, problems);
                } else if (!isEmpty(value)) {
                    problems.add("unknown field " + key + " at " + (path.isEmpty() ? "." : path)
                            + " (not recognised by the model)");
                }
            });
        } else if (input instanceof List<?> in && output instanceof List<?> out && in.size() == out.size()) {
            for (int i = 0; i < in.size(); i++) {
                lostInBinding(in.get(i), out.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    /** Empty values and Java defaults (false, 0) are not written back by the models; the walker covers them. */
    private static boolean isEmpty(Object value) {
        return value == null || Boolean.FALSE.equals(value) || value instanceof Number n && n.doubleValue() == 0 || value instanceof Map<?, ?> map && map.isEmpty()
                || value instanceof List<?> list && list.isEmpty();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
