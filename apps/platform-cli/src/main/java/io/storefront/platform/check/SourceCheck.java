package io.storefront.platform.check;

import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Argo CD will deploy is what this work tree holds: gitops-source.yaml names a fork (not the placeholder),
 * that repository's revision contains the checked-out commit, and nothing is left uncommitted.
 */
public final class SourceCheck {

    private final Shell shell;
    private final GitopsSource source;

    public SourceCheck(Shell shell, GitopsSource source) {
        this.shell = shell;
        this.source = source;
    }

    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        findings.add(workTree());
        if (source.isPlaceholder()) {
            findings.add(Finding.fix("gitops source", GitopsSource.SOURCE_FILE + " still names the placeholder "
                    + source.repoUrl() + ": fork the repository, set data.repoURL to your fork and data.targetRevision"
                    + " to the branch the cluster follows, commit and push (docs/gitops.md step 0)"));
            return findings;
        }
        findings.add(revisionHoldsHead());
        return findings;
    }

    private Finding workTree() {
        CommandResult status = shell.query(List.of("git", "status", "--porcelain"));
        if (status.toolMissing()) {
            return Finding.fix("work tree", "git is not installed (see the git check)");
        }
        if (!status.succeeded()) {
            return Finding.fix("work tree", "`git status` failed (" + status.firstErrorLine() + "); run this command "
                    + "inside a git clone of your fork");
        }
        if (!status.stdout().isBlank()) {
            long count = status.stdout().lines().filter(l -> !l.isBlank()).count();
            return Finding.fix("work tree", count + " uncommitted change(s) (`git status`): commit and push them, or "
                    + "stash them; Argo CD deploys what is pushed, not this work tree");
        }
        return Finding.ok("work tree", "clean");
    }

    private Finding revisionHoldsHead() {
        String where = source.repoUrl() + " " + source.targetRevision();
        CommandResult head = shell.query(List.of("git", "rev-parse", "HEAD"));
        if (!head.succeeded()) {
            return Finding.fix("gitops source", "`git rev-parse HEAD` failed (" + head.firstErrorLine() + ")");
        }
        String local = head.stdout().strip();
        CommandResult listing = shell.query(List.of("git", "ls-remote", source.repoUrl()));
        Optional<String> remote = source.revisionAsCommit().or(() -> commitOf(listing));
        if (remote.isEmpty()) {
            return Finding.fix("gitops source", listing.succeeded()
                    ? "no branch or tag '" + source.targetRevision() + "' in " + source.repoUrl() + ": push it (`git push "
                            + "<your fork's remote> HEAD:" + source.targetRevision() + "`) or correct data.targetRevision in "
                            + GitopsSource.SOURCE_FILE
                    : "cannot read " + source.repoUrl() + " (" + listing.firstErrorLine() + "): correct data.repoURL in "
                            + GitopsSource.SOURCE_FILE + "; a private fork also needs credentials for git and Argo CD");
        }
        String commit = remote.get();
        if (commit.equals(local)) {
            return Finding.ok("gitops source", where + " is " + shortId(local) + ", the checked-out commit");
        }
        CommandResult ancestor = shell.query(List.of("git", "merge-base", "--is-ancestor", local, commit));
        if (ancestor.succeeded()) {
            return Finding.ok("gitops source", where + " is " + shortId(commit) + ", which contains the checked-out "
                    + shortId(local) + " (Argo CD deploys " + shortId(commit) + ")");
        }
        return Finding.fix("gitops source", where + " is " + shortId(commit) + ", which does not contain the checked-out "
                + "commit " + shortId(local) + ": push it (`git push <your fork's remote> HEAD:" + source.targetRevision()
                + "`), or check out " + source.targetRevision() + " (`git fetch` first if it is newer)");
    }

    private Optional<String> commitOf(CommandResult listing) {
        if (!listing.succeeded()) {
            return Optional.empty();
        }
        String revision = source.targetRevision();
        List<String> wanted = List.of("refs/heads/" + revision, "refs/tags/" + revision + "^{}", "refs/tags/" + revision,
                revision);
        for (String ref : wanted) {
            for (String line : listing.stdout().lines().toList()) {
                String[] parts = line.split("\\s+");
                if (parts.length == 2 && parts[1].equals(ref)) {
                    return Optional.of(parts[0]);
                }
            }
        }
        return Optional.empty();
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
