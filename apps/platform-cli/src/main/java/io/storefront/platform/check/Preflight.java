package io.storefront.platform.check;

import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.Shell;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every check `up` depends on, run before anything is changed; only reads (Shell#query). */
public final class Preflight {

    private final Shell shell;
    private final ClusterProfile profile;
    private final Path repository;
    private final HostResources host;
    private final Version javaVersion;

    public Preflight(Shell shell, ClusterProfile profile, Path repository, HostResources host, Version javaVersion) {
        this.shell = shell;
        this.profile = profile;
        this.repository = repository;
        this.host = host;
        this.javaVersion = javaVersion;
    }

    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>(new ToolsCheck(shell, profile, repository, javaVersion).run());
        findings.addAll(new ResourcesCheck(profile, host).run());
        findings.addAll(new ProfileCheck(shell, profile).run());
        try {
            findings.addAll(new SourceCheck(shell, GitopsSource.read(repository)).run());
        } catch (IllegalStateException | UncheckedIOException e) {
            findings.add(Finding.fix("gitops source", e.getMessage() + "; restore it from git (docs/gitops.md step 0)"));
        }
        return findings;
    }

    /** Prints every finding and returns whether all passed. */
    public boolean runAndReport(PrintStream out) {
        List<Finding> findings = run();
        out.println("Preflight for minikube profile " + profile.name() + " (" + repository + ")");
        findings.forEach(out::println);
        long failed = findings.stream().filter(f -> !f.passed()).count();
        out.println(failed == 0 ? "All checks passed." : failed + " check(s) failed: fix the FIX lines above; nothing was changed.");
        return failed == 0;
    }
}
