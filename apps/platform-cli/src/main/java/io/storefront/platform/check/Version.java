package io.storefront.platform.check;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** major.minor.patch as tools print it ("v1.39.0", "1.35.1-beta.0", "17.0.12"); anything after the patch is ignored. */
public record Version(int major, int minor, int patch) implements Comparable<Version> {

    private static final Pattern NUMBERS = Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    public static Version parse(String text) {
        Matcher m = NUMBERS.matcher(text.strip());
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a version: " + text);
        }
        return new Version(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** The first major.minor.patch anywhere in a tool's output (it may print warnings first). */
    public static java.util.Optional<Version> find(String text) {
        Matcher m = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)").matcher(text);
        return m.find() ? java.util.Optional.of(parse(m.group())) : java.util.Optional.empty();
    }

    @Override
    public int compareTo(Version other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c == 0 ? Integer.compare(patch, other.patch) : c;
    }

    public boolean isBefore(Version other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
