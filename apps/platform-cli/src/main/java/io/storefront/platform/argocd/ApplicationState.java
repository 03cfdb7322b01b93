package io.storefront.platform.argocd;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One Argo CD Application as {@code kubectl get applications -o json} shows it: sync and health, its conditions, the
 * last operation's message, the resources that are not yet Synced and Healthy, and whether it is an extra (label
 * {@value #TIER} = extra: UIs and observability, which nothing of the core waits for).
 */
public record ApplicationState(String name, String wave, String sync, String health, List<String> conditions,
                               String operationMessage, List<String> resourcesNotReady, List<String> childApplications,
                               boolean extra) {

    public static final String TIER = "gitops.storefront/tier";

    public static ApplicationState of(JsonNode application) {
        JsonNode status = application.path("status");
        List<String> conditions = new ArrayList<>();
        for (JsonNode condition : status.path("conditions")) {
            conditions.add(condition.path("type").asString("?") + ": " + condition.path("message").asString(""));
        }
        List<String> notReady = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (JsonNode resource : status.path("resources")) {
            String kind = resource.path("kind").asString("?");
            if (kind.equals("Application")) {
                children.add(resource.path("name").asString("?"));
            }
            String resourceSync = resource.path("status").asString("");
            String resourceHealth = resource.path("health").path("status").asString("");
            boolean healthy = resourceHealth.isEmpty() || resourceHealth.equals("Healthy");
            if (!resourceSync.equals("Synced") || !healthy) {
                String namespace = resource.path("namespace").asString("");
                String message = resource.path("health").path("message").asString("");
                notReady.add(kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + resource.path("name").asString("?")
                        + " (" + (resourceSync.isEmpty() ? "?" : resourceSync) + "/"
                        + (resourceHealth.isEmpty() ? "-" : resourceHealth) + (message.isEmpty() ? "" : ": " + message) + ")");
            }
        }
        return new ApplicationState(application.path("metadata").path("name").asString("?"),
                application.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave").asString("0"),
                status.path("sync").path("status").asString("Unknown"),
                status.path("health").path("status").asString("Unknown"),
                conditions, status.path("operationState").path("message").asString(""), notReady, children,
                application.path("metadata").path("labels").path(TIER).asString("").equals("extra"));
    }

    public boolean ready() {
        return sync.equals("Synced") && health.equals("Healthy");
    }

    public String summary() {
        return name + " (" + sync + "/" + health + ")";
    }
}
