package io.storefront.contracts.asyncapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a change of the event schemas does to consumers, judged between a published document and the current one.
 * Topics keep their history and consumers replay it, so a schema must still describe every record already written:
 * <ul>
 *   <li>breaking: a message or a property disappears (removed or renamed); a property changes type or format, or
 *       may now be null; a property becomes required, or a new property is required (old records lack it); an enum
 *       gains or loses a value (consumers reject values they do not know);</li>
 *   <li>compatible: a new optional property (consumers ignore what they do not know), a property that may no
 *       longer be null.</li>
 * </ul>
 */
final class ContractCompatibility {

    private final JsonNode publishedSchemas;
    private final JsonNode currentSchemas;
    private final List<String> breaking = new ArrayList<>();

    private ContractCompatibility(JsonNode published, JsonNode current) {
        this.publishedSchemas = published.path("components").path("schemas");
        this.currentSchemas = current.path("components").path("schemas");
    }

    /** Every breaking change from {@code published} to {@code current}, each as one sentence; empty if none. */
    static List<String> breakingChanges(JsonNode published, JsonNode current) {
        ContractCompatibility check = new ContractCompatibility(published, current);
        JsonNode currentMessages = current.path("components").path("messages");
        for (var message : published.path("components").path("messages").properties()) {
            JsonNode now = currentMessages.path(message.getKey());
            if (now.isMissingNode()) {
                check.breaking.add("message " + message.getKey() + " was removed");
            } else {
                check.compare(message.getKey(), message.getValue().path("payload"), now.path("payload"));
            }
        }
        return check.breaking;
    }

    private void compare(String path, JsonNode before, JsonNode after) {
        Set<String> typesBefore = types(before);
        Set<String> typesAfter = types(after);
        Set<String> added = new HashSet<>(typesAfter);
        added.removeAll(typesBefore);
        if (!added.isEmpty() || !typesAfter.containsAll(minus(typesBefore, "null"))) {
            breaking.add(path + " changed type from " + typesBefore + " to " + typesAfter);
            return;
        }
        before = resolve(before, publishedSchemas);
        after = resolve(after, currentSchemas);
        if (!before.path("format").equals(after.path("format"))) {
            breaking.add(path + " changed format from " + before.path("format") + " to " + after.path("format"));
        }
        if (!minus(enumValues(before), "null").equals(minus(enumValues(after), "null"))) {
            breaking.add(path + " changed its values from " + enumValues(before) + " to " + enumValues(after));
        }
        if (typesBefore.contains("array")) {
            compare(path + "[]", before.path("items"), after.path("items"));
        }
        if (typesBefore.contains("object")) {
            compareProperties(path, before, after);
        }
    }

    private static Set<String> minus(Set<String> values, String removed) {
        Set<String> rest = new HashSet<>(values);
        rest.remove(removed);
        return rest;
    }

    private void compareProperties(String path, JsonNode before, JsonNode after) {
        Set<String> requiredBefore = strings(before.path("required"));
        Set<String> requiredAfter = strings(after.path("required"));
        for (var property : before.path("properties").properties()) {
            String name = property.getKey();
            JsonNode now = after.path("properties").path(name);
            if (now.isMissingNode()) {
                breaking.add(path + "." + name + " was removed or renamed");
                continue;
            }
            if (requiredAfter.contains(name) && !requiredBefore.contains(name)) {
                breaking.add(path + "." + name + " became required; records already written may lack it");
            }
            compare(path + "." + name, property.getValue(), now);
        }
        for (String name : requiredAfter) {
            if (before.path("properties").path(name).isMissingNode()) {
                breaking.add(path + "." + name + " is new and required; records already written lack it");
            }
        }
    }

    /** Follows a $ref, also inside "oneOf: [ref, null]" (a nullable object), to the object's schema. */
    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        for (JsonNode option : schema.path("oneOf")) {
            if (option.has("$ref")) {
                return resolve(option, schemas);
            }
        }
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().substring("#/components/schemas/".length());
            return schemas.path(name);
        }
        return schema;
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new HashSet<>();
        if (schema.has("$ref")) {
            types.add("object");
        }
        for (JsonNode option : schema.path("oneOf")) {
            types.addAll(types(option));
        }
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(type -> types.add(type.asString()));
        } else if (schema.has("type")) {
            types.add(schema.path("type").asString());
        }
        return types;
    }

    private static Set<String> enumValues(JsonNode schema) {
        Set<String> values = new HashSet<>();
        schema.path("enum").forEach(value -> values.add(value.isNull() ? "null" : value.asString()));
        return values;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
