package io.storefront.platform.argocd;

import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.Shell;
import java.io.PrintStream;

/**
 * The bootstrap of docs/gitops.md: Argo CD from {@code .argocd/install} (server-side apply: some of its CRDs exceed
 * client-side apply's annotation limit), its controllers rolled out, then the AppProjects and the root Application
 * from {@code .argocd/root}. Every step is an apply, so running it again changes nothing that is already there.
 */
public final class ArgoCdBootstrap {

    static final String ROLLOUT_TIMEOUT = "--timeout=10m";

    private final Shell shell;
    private final ClusterProfile profile;
    private final PrintStream out;

    public ArgoCdBootstrap(Shell shell, ClusterProfile profile, PrintStream out) {
        this.shell = shell;
        this.profile = profile;
        this.out = out;
    }

    public void apply() {
        out.println("== installing Argo CD (.argocd/install, server-side apply)");
        shell.change(profile.kubectl("apply", "--server-side", "--force-conflicts", "-k", ".argocd/install"));
        out.println("== waiting for Argo CD's controller, repo server and API server");
        shell.change(profile.kubectl("-n", "argocd", "rollout", "status", "statefulset/argocd-application-controller",
                ROLLOUT_TIMEOUT));
        shell.change(profile.kubectl("-n", "argocd", "rollout", "status", "deployment/argocd-repo-server",
                ROLLOUT_TIMEOUT));
        shell.change(profile.kubectl("-n", "argocd", "rollout", "status", "deployment/argocd-server", ROLLOUT_TIMEOUT));
        out.println("== applying the AppProjects and the root Application (.argocd/root)");
        shell.change(profile.kubectl("apply", "-k", ".argocd/root"));
    }
}
