package io.storefront.contracts.asyncapi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * JSON Schemas of the event records, derived from the records themselves, so the published contract cannot drift
 * from the code. A record becomes an object schema named by its simple name (a nested record by its enclosing
 * record's name plus its own); each component is a property named as it is on the wire. A component is required
 * when it is a primitive or carries {@code @NotNull}, {@code @NotBlank} or {@code @NotEmpty}; every other one may be
 * null. Schemas are plain maps and lists, ready for any JSON or YAML writer.
 */
public final class RecordSchemas {

    private static final List<Class<? extends Annotation>> REQUIRING =
            List.of(NotNull.class, NotBlank.class, NotEmpty.class);

    private final Map<String, Object> schemas = new LinkedHashMap<>();

    /** The schemas collected so far, by name. */
    public Map<String, Object> all() {
        return schemas;
    }

    /** Adds {@code record} and every record it refers to; answers a reference to its schema. */
    public Map<String, Object> add(Class<?> record) {
        String name = nameOf(record);
        if (!schemas.containsKey(name)) {
            schemas.put(name, Map.of()); // a placeholder stops recursion on a cycle
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (RecordComponent component : record.getRecordComponents()) {
                boolean isRequired = isRequired(component);
                properties.put(component.getName(), schemaOf(component.getGenericType(), !isRequired));
                if (isRequired) {
                    required.add(component.getName());
                }
            }
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", properties);
            schema.put("required", required);
            schemas.put(name, schema);
        }
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    static String nameOf(Class<?> type) {
        Class<?> enclosing = type.getEnclosingClass();
        return enclosing == null ? type.getSimpleName() : nameOf(enclosing) + type.getSimpleName();
    }

    private Map<String, Object> schemaOf(Type type, boolean nullable) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
            return typed("array", nullable, Map.of("items", schemaOf(parameterized.getActualTypeArguments()[0], false)));
        }
        Class<?> raw = (Class<?>) type;
        if (raw.isRecord()) {
            Map<String, Object> reference = add(raw);
            return nullable ? Map.of("oneOf", List.of(reference, Map.of("type", "null"))) : reference;
        }
        if (raw.isEnum()) {
            List<String> values = Arrays.stream(raw.getEnumConstants()).map(value -> ((Enum<?>) value).name()).toList();
            return typed("string", nullable, Map.of("enum", values));
        }
        if (raw == String.class) {
            return typed("string", nullable, Map.of());
        }
        if (raw == UUID.class) {
            return typed("string", nullable, Map.of("format", "uuid"));
        }
        if (raw == Instant.class) {
            return typed("string", nullable, Map.of("format", "date-time"));
        }
        if (raw == long.class || raw == Long.class) {
            return typed("integer", nullable, Map.of("format", "int64"));
        }
        if (raw == int.class || raw == Integer.class) {
            return typed("integer", nullable, Map.of("format", "int32"));
        }
        if (raw == BigDecimal.class) {
            return typed("number", nullable, Map.of());
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return typed("boolean", nullable, Map.of());
        }
        throw new IllegalArgumentException("No JSON Schema for " + type + "; add it to RecordSchemas");
    }

    private static Map<String, Object> typed(String type, boolean nullable, Map<String, Object> more) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", nullable ? List.of(type, "null") : type);
        schema.putAll(more);
        if (schema.get("enum") instanceof List<?> values && nullable) {
            List<Object> withNull = new ArrayList<>(values);
            withNull.add(null);
            schema.put("enum", withNull);
        }
        return schema;
    }

    private static boolean isRequired(RecordComponent component) {
        if (component.getType().isPrimitive()) {
            return true;
        }
        // Constraint annotations on a record component land on its accessor and on its type use.
        return REQUIRING.stream().anyMatch(annotation -> component.getAccessor().isAnnotationPresent(annotation)
                || component.getAnnotatedType().isAnnotationPresent(annotation));
    }
}
