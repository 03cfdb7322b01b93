package io.storefront.support.web;

/** What the services accept as the id in a resource path. */
public final class ResourceId {

    /** Ids are UUIDs, but any short token of letters, digits and dashes is accepted for lookups. */
    public static final String PATTERN = "^[A-Za-z0-9-]{1,64}$";

    private ResourceId() {
    }
}
