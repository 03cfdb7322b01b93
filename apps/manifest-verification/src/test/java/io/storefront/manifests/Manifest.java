package io.storefront.manifests;

import java.util.List;
import java.util.Map;

/** One rendered Kubernetes object and the Kustomize folder that rendered it. */
record Manifest(String folder, Map<String, Object> body) {

    static List<Manifest> parse(String folder, String yaml) {
        return Yamls.parseAll(yaml).stream().map(body -> new Manifest(folder, body)).toList();
    }

    /** For the broken-case tests: one object written as YAML in the test. */
    static Manifest of(String yaml) {
        return new Manifest("test", Yamls.deepCopy(Yamls.parseMap(yaml)));
    }

    String apiVersion() {
        return Yamls.string(body, "apiVersion");
    }

    String kind() {
        return Yamls.string(body, "kind");
    }

    /** The API group ("" for the core group). */
    String group() {
        String api = apiVersion();
        return api != null && api.contains("/") ? api.substring(0, api.indexOf('/')) : "";
    }

    String name() {
        return Yamls.string(body, "metadata", "name");
    }

    String namespace() {
        return Yamls.string(body, "metadata", "namespace");
    }

    Map<String, Object> spec() {
        return Yamls.map(body.get("spec"));
    }

    Map<String, Object> labels() {
        return Yamls.map(Yamls.at(body, "metadata", "labels"));
    }

    Map<String, Object> annotations() {
        return Yamls.map(Yamls.at(body, "metadata", "annotations"));
    }

    boolean is(String kind) {
        return kind.equals(kind());
    }

    Manifest copy() {
        return new Manifest(folder, Yamls.deepCopy(body));
    }

    /** "Deployment dev/accounts (clusters/minikube/storefront)". */
    String id() {
        String namespace = namespace();
        return kind() + " " + (namespace == null ? "" : namespace + "/") + name() + " (" + folder + ")";
    }

    @Override
    public String toString() {
        return id();
    }
}
