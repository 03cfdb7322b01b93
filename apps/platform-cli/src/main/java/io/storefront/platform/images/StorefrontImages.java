package io.storefront.platform.images;

import java.util.List;

/** The three service images: Maven modules, image names (kustomize/base) and Jib's tarball path. */
public final class StorefrontImages {

    public static final List<String> SERVICES = List.of("accounts", "orders", "fulfillment");

    private StorefrontImages() {
    }

    public static String imageName(String service) {
        return "storefront/" + service;
    }

    public static String module(String service) {
        return "apps/" + service;
    }

    /** Where {@code jib:buildTar} writes the image (Jib's default output path). */
    public static String tarball(String service) {
        return module(service) + "/target/jib-image.tar";
    }

    public static String modules() {
        return String.join(",", SERVICES.stream().map(StorefrontImages::module).toList());
    }
}
