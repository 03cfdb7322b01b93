package io.storefront.platform.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployed version in {@code clusters/minikube/storefront/kustomization.yaml}: the {@code images:} entries of the
 * three services (the {@code version} labels follow the tag through the overlay's replacements).
 *
 * <p>Edited line by line rather than with {@code kustomize edit set image}: kustomize is not among the tools a user
 * installs (kubectl embeds it without the {@code edit} command). The entries written are the ones
 * {@code kustomize edit set image storefront/<svc>=storefront/<svc>:<tag>} writes; nothing else in the file changes.
 */
public final class StorefrontKustomization {

    public static final String FILE = "clusters/minikube/storefront/kustomization.yaml";

    /** A top-level key; a list item at column 0 ("- name: …", as kustomize writes lists) belongs to the key above. */
    private static final Pattern TOP_LEVEL = Pattern.compile("^[^\\s-#]");
    private static final Pattern IMAGE_ENTRY = Pattern.compile("^(\\s*)- name:\\s*storefront/(\\w+)\\s*$");
    private static final Pattern IMAGE_FIELD = Pattern.compile("^\\s+(newName|newTag|digest):\\s*[\"']?([^\"'\\s]*)");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final Path file;

    public StorefrontKustomization(Path repository) {
        this.file = repository.resolve(FILE);
    }

    /** The tag the committed file deploys, and the registry prefix when the images come from a registry. */
    public record Deployed(String tag, Optional<String> newName) {
    }

    public Deployed deployed() {
        return deployed(read());
    }

    static Deployed deployed(String text) {
        Map<String, Map<String, String>> entries = new HashMap<>();
        String current = null;
        boolean inImages = false;
        for (String line : text.split("\n", -1)) {
            if (TOP_LEVEL.matcher(line).find()) {
                inImages = line.startsWith("images:");
                current = null;
                continue;
            }
            Matcher entry = IMAGE_ENTRY.matcher(line);
            if (inImages && entry.matches()) {
                current = entry.group(2);
                entries.put(current, new HashMap<>());
                continue;
            }
            Matcher field = IMAGE_FIELD.matcher(line);
            if (inImages && current != null && field.find()) {
                entries.get(current).put(field.group(1), field.group(2));
            }
        }
        Set<String> tags = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (String service : StorefrontImages.SERVICES) {
            Map<String, String> fields = entries.get(service);
            if (fields == null || !fields.containsKey("newTag")) {
                throw new IllegalStateException(FILE + ": no images entry with newTag for storefront/" + service);
            }
            tags.add(fields.get("newTag"));
            names.add(Optional.ofNullable(fields.get("newName")).map(n -> n.substring(0, n.lastIndexOf("/storefront/") + 1))
                    .orElse(""));
        }
        if (tags.size() != 1 || names.size() != 1) {
            throw new IllegalStateException(FILE + ": the three images differ (" + tags + " " + names + "); set one tag "
                    + "with the images command");
        }
        String registry = names.iterator().next();
        return new Deployed(tags.iterator().next(),
                registry.isEmpty() ? Optional.empty() : Optional.of(registry.substring(0, registry.length() - 1)));
    }

    /** Sets the three images to storefront/&lt;svc&gt;:tag (the node's images, no registry). */
    public void setTag(String tag) {
        write(withTag(read(), tag));
    }

    /** The file as it is, to put back with {@link #restore} when an edit turns out wrong. */
    public String text() {
        return read();
    }

    public void restore(String text) {
        write(text);
    }

    static String withTag(String text, String tag) {
        if (!TAG.matcher(tag).matches() || tag.equals("latest")) {
            throw new IllegalArgumentException("not a usable image tag: '" + tag + "' (a new tag is what rolls the pods)");
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        boolean inImages = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (TOP_LEVEL.matcher(line).find()) {
                inImages = line.startsWith("images:");
            }
            Matcher entry = IMAGE_ENTRY.matcher(line);
            if (inImages && entry.matches() && StorefrontImages.SERVICES.contains(entry.group(2))) {
                seen.add(entry.group(2));
                out.add(line);
                String indent = entry.group(1) + "  ";
                while (i + 1 < lines.length && lines[i + 1].startsWith(indent)
                        && IMAGE_FIELD.matcher(lines[i + 1]).find()) {
                    i++;
                }
                out.add(indent + "newTag: \"" + tag + "\"");
                continue;
            }
            out.add(line);
        }
        List<String> missing = new ArrayList<>(StorefrontImages.SERVICES);
        missing.removeAll(seen);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(FILE + ": no entry for " + missing + "; not changed");
        }
        return String.join("\n", out);
    }

    private String read() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
