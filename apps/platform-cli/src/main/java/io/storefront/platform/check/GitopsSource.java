package io.storefront.platform.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository and revision Argo CD deploys from ({@code .argocd/source/gitops-source.yaml}), and the placeholder
 * URL the repository ships with: the {@code repoURL} literally written in {@code .argocd/root/root.yaml}, which the
 * Kustomize replacement overwrites with the value of gitops-source.yaml.
 */
public record GitopsSource(String repoUrl, String targetRevision, String placeholderUrl) {

    public static final String SOURCE_FILE = ".argocd/source/gitops-source.yaml";
    public static final String ROOT_FILE = ".argocd/root/root.yaml";

    private static final Pattern DATA_ENTRY = Pattern.compile("^\\s+(repoURL|targetRevision):\\s*[\"']?([^\"'#\\s]+)");
    private static final Pattern REPO_URL = Pattern.compile("^\\s+repoURL:\\s*[\"']?([^\"'#\\s]+)");

    public static GitopsSource read(Path repository) {
        List<String> source = lines(repository.resolve(SOURCE_FILE));
        String repoUrl = null;
        String revision = null;
        boolean inData = false;
        for (String line : source) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                inData = line.startsWith("data:");
                continue;
            }
            Matcher m = DATA_ENTRY.matcher(line);
            if (inData && m.find()) {
                if (m.group(1).equals("repoURL")) {
                    repoUrl = m.group(2);
                } else {
                    revision = m.group(2);
                }
            }
        }
        if (repoUrl == null || revision == null) {
            throw new IllegalStateException(SOURCE_FILE + " has no data.repoURL and data.targetRevision");
        }
        String placeholder = lines(repository.resolve(ROOT_FILE)).stream()
                .map(REPO_URL::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new IllegalStateException(ROOT_FILE + " has no spec.source.repoURL"));
        return new GitopsSource(repoUrl, revision, placeholder);
    }

    public boolean isPlaceholder() {
        return normalized(repoUrl).equals(normalized(placeholderUrl));
    }

    /** The revision as a full commit id when it is one, else empty (a branch or tag). */
    public Optional<String> revisionAsCommit() {
        return targetRevision.matches("[0-9a-f]{40}") ? Optional.of(targetRevision) : Optional.empty();
    }

    private static String normalized(String url) {
        String u = url.strip().toLowerCase(java.util.Locale.ROOT);
        u = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
