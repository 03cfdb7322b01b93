package io.storefront.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal repository tree for the checks: the GitOps source file and the root Application (copied from the real
 * repository, so a change of their shape shows up here), with the repository URL set as given, and a Maven wrapper.
 */
public final class TestRepository {

    public static final Path REAL = Path.of("../..").toAbsolutePath().normalize();
    public static final String PLACEHOLDER = "https://github.com/storefront-gitops/storefront.git";
    public static final String FORK = "https://github.com/alice/storefront.git";

    private TestRepository() {
    }

    public static Path create(Path dir, String repoUrl) {
        try {
            copy(".argocd/root/root.yaml", dir);
            copy("pom.xml", dir);
            Path source = copy(".argocd/source/gitops-source.yaml", dir);
            Files.writeString(source, Files.readString(source).replace("repoURL: " + PLACEHOLDER, "repoURL: " + repoUrl));
            Path wrapper = dir.resolve("mvnw");
            Files.writeString(wrapper, "#!/bin/sh\n");
            wrapper.toFile().setExecutable(true);
            Files.writeString(dir.resolve("mvnw.cmd"), "@echo off\n");
            Files.createDirectories(dir.resolve(".mvn/wrapper"));
            Files.writeString(dir.resolve(".mvn/wrapper/maven-wrapper.properties"), "distributionUrl=x\n");
            copy("clusters/minikube/storefront/kustomization.yaml", dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(String relative, Path dir) throws IOException {
        Path target = dir.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.copy(REAL.resolve(relative), target);
        return target;
    }
}
