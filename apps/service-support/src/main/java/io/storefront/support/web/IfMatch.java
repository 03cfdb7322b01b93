package io.storefront.support.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's {@code If-Match} precondition (RFC 9110, section 13.1.1) on a resource whose strong entity tag is its
 * version. Without the header a write applies to whatever the current version is; with it, only to a version it
 * names ({@code *}: to any existing resource). Weak tags never match: If-Match compares strongly.
 */
public final class IfMatch {

    /** One entity-tag of the list, optionally weak; what is left between tags must be a comma and spaces. */
    private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7E]*)\"\\s*(,|$)");

    /** No precondition: the write applies to whatever version is current. */
    public static final IfMatch NONE = new IfMatch(false, List.of());

    private final boolean any;
    private final List<String> strongTags;

    private IfMatch(boolean any, List<String> strongTags) {
        this.any = any;
        this.strongTags = strongTags;
    }

    /** The entity tag of a resource at {@code version}, as the ETag header carries it. */
    public static String entityTag(long version) {
        return "\"" + version + "\"";
    }

    /** Parses the header value; null or blank means no precondition. A value that is not an entity-tag list is 400. */
    public static IfMatch parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        if (header.strip().equals("*")) {
            return new IfMatch(true, List.of());
        }
        List<String> strong = new ArrayList<>();
        Matcher tag = ENTITY_TAG.matcher(header);
        int end = 0;
        while (end < header.length() && tag.find(end) && tag.start() == end) {
            if (tag.group(1) == null) {
                strong.add(tag.group(2));
            }
            end = tag.end();
        }
        if (end != header.length()) {
            throw ApiProblems.invalid("If-Match must be * or a list of entity tags such as \"3\"");
        }
        return new IfMatch(false, List.copyOf(strong));
    }

    /** Whether the request names a precondition at all. */
    public boolean present() {
        return this != NONE;
    }

    /** Throws 412 unless the precondition holds for {@code what}, which exists at {@code version}. */
    public void requireVersion(long version, String what) {
        if (present() && !any && !strongTags.contains(Long.toString(version))) {
            throw ApiProblems.preconditionFailed(what + " is at version " + version + " (ETag " + entityTag(version)
                    + "), not the one If-Match names; read it again and re-apply the change");
        }
    }

    /** Throws 412 if the request names a precondition on {@code what}, which does not exist. */
    public void requireAbsenceAllowed(String what) {
        if (present()) {
            throw ApiProblems.preconditionFailed(what + " does not exist, so If-Match cannot hold");
        }
    }
}
