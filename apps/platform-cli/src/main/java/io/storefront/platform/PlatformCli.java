package io.storefront.platform;

import io.storefront.platform.access.ClusterSecrets;
import io.storefront.platform.access.UserInterfaces;
import io.storefront.platform.argocd.ArgoCdBootstrap;
import io.storefront.platform.argocd.ConvergenceWait;
import io.storefront.platform.check.HostResources;
import io.storefront.platform.check.Preflight;
import io.storefront.platform.check.Version;
import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.images.ImageTag;
import io.storefront.platform.images.NodeImages;
import io.storefront.platform.images.RenderedImages;
import io.storefront.platform.images.StorefrontKustomization;
import io.storefront.platform.shell.CommandFailedException;
import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Shell;
import io.storefront.platform.shell.SystemShell;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The storefront platform on minikube in one command: {@code check}, {@code up}, {@code images}, {@code urls},
 * {@code verify}, {@code down} (see {@link Options#usage()}). Exit code 0 on success, 1 when a check or a step
 * failed, 2 on a usage error.
 */
public final class PlatformCli {

    private final Shell shell;
    private final Path repository;
    private final ClusterProfile profile;
    private final HostResources host;
    private final ConvergenceWait.Pause pause;
    private final PrintStream out;

    PlatformCli(Shell shell, Path repository, ClusterProfile profile, HostResources host, ConvergenceWait.Pause pause,
                PrintStream out) {
        this.shell = shell;
        this.repository = repository;
        this.profile = profile;
        this.host = host;
        this.pause = pause;
        this.out = out;
    }

    public static void main(String[] args) {
        Options options;
        Path repository;
        try {
            options = Options.parse(args);
            if (options.command().equals("help")) {
                System.out.print(Options.usage());
                return;
            }
            repository = options.repositoryRoot();
        } catch (Options.UsageException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.usage());
            System.exit(2);
            return;
        }
        PlatformCli cli = new PlatformCli(new SystemShell(repository), repository, options.profile(),
                HostResources.ofThisMachine(), duration -> sleep(duration), System.out);
        System.exit(cli.run(options.command(), options.timeout(), options.gatewayPort()));
    }

    int run(String command, Duration timeout, int gatewayPort) {
        try {
            return switch (command) {
                case "check" -> preflight() ? 0 : 1;
                case "up" -> up(timeout);
                case "images" -> images();
                case "urls" -> urls();
                case "verify" -> verify(gatewayPort);
                case "down" -> down();
                default -> throw new IllegalArgumentException(command);
            };
        } catch (RuntimeException e) {
            out.println("FAILED: " + e.getMessage());
            return 1;
        }
    }

    private boolean preflight() {
        return new Preflight(shell, profile, repository, host, Version.parse(System.getProperty("java.version")))
                .runAndReport(out);
    }

    private int up(Duration timeout) {
        if (!preflight()) {
            return 1;
        }
        out.println("== starting minikube: " + String.join(" ", profile.startCommand()));
        shell.change(profile.startCommand());
        StorefrontKustomization.Deployed deployed = new StorefrontKustomization(repository).deployed();
        if (deployed.newName().isPresent()) {
            out.println("== " + StorefrontKustomization.FILE + " deploys images from " + deployed.newName().get()
                    + "; nothing to build");
        } else {
            out.println("== " + StorefrontKustomization.FILE + " deploys tag " + deployed.tag()
                    + "; building the checked-out commit under that tag");
            new NodeImages(shell, repository, profile, out).buildAndLoad(deployed.tag(), headCommit(), nodeArchitecture());
        }
        new ArgoCdBootstrap(shell, profile, out).apply();
        out.println("== waiting for every Application to be Synced and Healthy (up to " + timeout.toMinutes()
                + " minutes; the first run pulls every image)");
        if (!new ConvergenceWait(shell, profile, pause, out).await(timeout)) {
            return 1;
        }
        out.println();
        urls();
        out.println();
        out.println("Next: java -jar apps/platform-cli/target/platform-cli.jar verify   (sample data and audit through "
                + "the gateway)");
        out.println("Deploy a change: commit it, run `... platform-cli.jar images`, commit "
                + StorefrontKustomization.FILE + ", git push.");
        return 0;
    }

    private int images() {
        CommandResult status = shell.query(List.of("git", "status", "--porcelain", "--", "apps", "pom.xml", ".mvn"));
        if (!status.succeeded() || !status.stdout().isBlank()) {
            out.println("FIX: commit the code first (`git status -- apps pom.xml .mvn`): the image tag names the commit,"
                    + " and Argo CD deploys what is pushed");
            return 1;
        }
        String tag = ImageTag.forHead(shell, repository);
        new NodeImages(shell, repository, profile, out).buildAndLoad(tag, headCommit(), nodeArchitecture());
        StorefrontKustomization kustomization = new StorefrontKustomization(repository);
        String before = kustomization.text();
        kustomization.setTag(tag);
        List<String> problems = new RenderedImages(shell).problems(tag);
        if (!problems.isEmpty()) {
            kustomization.restore(before);
            out.println("FAILED: " + String.join("; ", problems) + "; " + StorefrontKustomization.FILE + " left as it was");
            return 1;
        }
        out.println("== " + StorefrontKustomization.FILE + ": images and version labels set to " + tag
                + " (checked with kubectl kustomize)");
        out.println();
        out.println("Deploy it (Argo CD picks the commit up within about two minutes):");
        out.println("  git add " + StorefrontKustomization.FILE);
        out.println("  git commit -m \"storefront: deploy " + tag + "\"");
        out.println("  git push");
        return 0;
    }

    private int urls() {
        new UserInterfaces(profile, new ClusterSecrets(shell, profile)).print(out);
        return 0;
    }

    private int verify(int gatewayPort) {
        new io.storefront.platform.verify.GatewayVerification(shell, repository, profile, out).run(gatewayPort);
        return 0;
    }

    private int down() {
        out.println("== deleting minikube profile " + profile.name() + ": its node, the cluster and every image and "
                + "volume in it. Your repository and fork are not touched.");
        shell.change(profile.deleteCommand());
        return 0;
    }

    private String headCommit() {
        CommandResult head = shell.query(List.of("git", "rev-parse", "HEAD"));
        if (!head.succeeded()) {
            throw new IllegalStateException("`git rev-parse HEAD` failed: " + head.firstErrorLine());
        }
        return head.stdout().strip();
    }

    /** amd64 or arm64: what the node runs, so the one-platform tarball matches it. */
    private String nodeArchitecture() {
        CommandResult node = shell.query(profile.kubectl("get", "nodes",
                "--output=jsonpath={.items[0].status.nodeInfo.architecture}"));
        if (!node.succeeded() || node.stdout().isBlank()) {
            throw new IllegalStateException("cannot read the node's architecture (" + node.firstErrorLine()
                    + "); is the profile " + profile.name() + " running? (`minikube start --profile=" + profile.name() + "`)");
        }
        return node.stdout().strip();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
