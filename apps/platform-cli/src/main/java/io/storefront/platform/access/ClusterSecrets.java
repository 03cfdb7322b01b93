package io.storefront.platform.access;

import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Json;
import io.storefront.platform.shell.Shell;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the dev-only logins from the cluster, where the minikube overlays put them, so they are never copied here.
 * A Secret made by a Kustomize generator carries a hash suffix; the newest one of that name is the one in use.
 */
public final class ClusterSecrets {

    private final Shell shell;
    private final ClusterProfile profile;

    public ClusterSecrets(Shell shell, ClusterProfile profile) {
        this.shell = shell;
        this.profile = profile;
    }

    public Optional<String> value(String namespace, String secretName, String key) {
        CommandResult result = shell.query(profile.kubectl("-n", namespace, "get", "secrets", "--output=json"));
        if (!result.succeeded()) {
            return Optional.empty();
        }
        JsonNode newest = null;
        for (JsonNode secret : Json.parse(result.stdout()).path("items")) {
            String name = secret.path("metadata").path("name").asString("");
            boolean matches = name.equals(secretName) || name.matches(java.util.regex.Pattern.quote(secretName) + "-[a-z0-9]{10}");
            if (matches && (newest == null || created(secret).compareTo(created(newest)) > 0)) {
                newest = secret;
            }
        }
        if (newest == null || !newest.path("data").has(key)) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(newest.path("data").path(key).asString("")),
                StandardCharsets.UTF_8));
    }

    private static String created(JsonNode secret) {
        return secret.path("metadata").path("creationTimestamp").asString("");
    }

    /** "user / password" from two keys of one Secret, or a hint when it is not there (yet). */
    public String login(String namespace, String secretName, String userKey, String passwordKey) {
        Optional<String> user = value(namespace, secretName, userKey);
        Optional<String> password = value(namespace, secretName, passwordKey);
        if (user.isEmpty() || password.isEmpty()) {
            return "login in Secret " + namespace + "/" + secretName + " (not found yet)";
        }
        return user.get() + " / " + password.get() + " (dev-only)";
    }

}
