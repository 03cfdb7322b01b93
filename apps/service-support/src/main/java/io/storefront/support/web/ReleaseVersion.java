package io.storefront.support.web;

import io.storefront.contracts.asyncapi.AsyncApiDocument;
import io.swagger.v3.oas.models.OpenAPI;
import java.util.Objects;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The storefront release a running service belongs to, as one value for its OpenAPI and AsyncAPI documents: the
 * {@code Implementation-Version} the build writes into the storefront jars' manifests (the project version), or
 * {@code development} when the classes run from a build directory.
 */
public final class ReleaseVersion implements OpenApiCustomizer {

    private static final String VERSION = Objects.requireNonNullElse(
            AsyncApiDocument.class.getPackage().getImplementationVersion(), "development");

    public static String current() {
        return VERSION;
    }

    /** Sets the OpenAPI document's {@code info.version}, which the services' annotations leave out. */
    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getInfo() != null) {
            openApi.getInfo().setVersion(VERSION);
        }
    }
}
