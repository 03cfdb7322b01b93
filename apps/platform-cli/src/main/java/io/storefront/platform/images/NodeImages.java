package io.storefront.platform.images;

import io.storefront.platform.check.MavenWrapper;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.Shell;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Puts the three service images on the minikube node whatever its container runtime: Jib writes each image as a
 * tarball ({@code jib:buildTar}, no Docker engine involved, tests skipped so nothing runs against any container
 * engine), then {@code minikube image load} imports it into the node's runtime (containerd, docker or cri-o).
 * The Deployments use {@code imagePullPolicy: IfNotPresent}, so the node's copy is what runs.
 *
 * <p>These images carry no AOT cache: recording one runs the image in a container engine
 * (.ci/train-aot-cache.sh), which this command does not need; the services start without it, only slower
 * (docs/images.md).
 */
public final class NodeImages {

    private final Shell shell;
    private final Path repository;
    private final ClusterProfile profile;
    private final PrintStream out;

    public NodeImages(Shell shell, Path repository, ClusterProfile profile, PrintStream out) {
        this.shell = shell;
        this.repository = repository;
        this.profile = profile;
        this.out = out;
    }

    /**
     * Builds the images for the node's architecture ({@code amd64} or {@code arm64}, one platform: a tarball holds
     * one) under {@code storefront/<svc>:<tag>} and loads them into the node.
     */
    public void buildAndLoad(String tag, String commit, String nodeArchitecture) {
        out.println("== building storefront/{" + String.join(",", StorefrontImages.SERVICES) + "}:" + tag
                + " for linux/" + nodeArchitecture + " as Jib tarballs (tests skipped)");
        shell.change(MavenWrapper.command(repository, "-B", "-DskipTests", "-pl", StorefrontImages.modules(), "-am",
                "package", "jib:buildTar", "-Djib.to.tags=" + tag, "-Djib.from.platforms=linux/" + nodeArchitecture,
                "-Dgit.commit=" + commit));
        for (String service : StorefrontImages.SERVICES) {
            out.println("== loading " + StorefrontImages.imageName(service) + ":" + tag + " into minikube profile "
                    + profile.name());
            shell.change(profile.imageLoadCommand(repository.toAbsolutePath().resolve(StorefrontImages.tarball(service))
                    .toString()));
        }
    }
}
