package io.storefront.support.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * Text in any request or event may not carry control characters (NUL, escape sequences, …) other than tab and
 * line breaks: they have no business in names or addresses and trouble logs and downstream tools.
 */
public class PlainTextDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String text = super.deserialize(parser, context);
        if (text != null && text.chars().anyMatch(PlainTextDeserializer::isForbidden)) {
            throw context.weirdStringException(text, String.class, "control characters are not allowed");
        }
        return text;
    }

    private static boolean isForbidden(int c) {
        return (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')
                || Character.getType(c) == Character.FORMAT && c != '\u200d'; // bidi overrides and the like; keep ZWJ for emoji
    }
}
