package io.storefront.platform.images;

import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Shell;
import java.util.List;

/**
 * Renders {@code clusters/minikube/storefront} ({@code kubectl kustomize}, offline) and confirms every service's
 * container runs the given image, so an edit the overlay does not pick up is caught before it is committed.
 */
public final class RenderedImages {

    private final Shell shell;

    public RenderedImages(Shell shell) {
        this.shell = shell;
    }

    /** Empty when all three render with the tag, else what is wrong. */
    public List<String> problems(String tag) {
        CommandResult rendered = shell.query(List.of("kubectl", "kustomize", "clusters/minikube/storefront"));
        if (!rendered.succeeded()) {
            return List.of("`kubectl kustomize clusters/minikube/storefront` failed: " + rendered.firstErrorLine());
        }
        return StorefrontImages.SERVICES.stream()
                .map(service -> StorefrontImages.imageName(service) + ":" + tag)
                .filter(image -> !rendered.stdout().contains("image: " + image + "\n"))
                .map(image -> "the rendered overlay does not run " + image)
                .toList();
    }

}
