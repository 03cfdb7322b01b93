package io.storefront.manifests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Small helpers over the plain Map/List trees SnakeYAML produces. */
final class Yamls {

    private Yamls() {
    }

    static List<Map<String, Object>> parseAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document instanceof Map<?, ?> map && !map.isEmpty()) {
                documents.add(map(map));
            }
        }
        return documents;
    }

    static Object parse(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    static Map<String, Object> parseMap(String text) {
        return map(parse(text));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    static List<Map<String, Object>> maps(Object value) {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object item : list(value)) {
            if (item instanceof Map<?, ?>) {
                maps.add(map(item));
            }
        }
        return maps;
    }

    /** The value at a path of map keys (list indexes as decimal strings), or null. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (current instanceof List<?> list && key.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(key);
                current = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
        }
        return current;
    }

    static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    static String string(Object root, String... path) {
        return str(at(root, path));
    }

    /** A mutable deep copy (maps keep their order). */
    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }
}
