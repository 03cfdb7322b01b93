package io.storefront.manifests;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strimzi and fabric8 models accept any field: unknown ones land in {@code additionalProperties}
 * ({@code @JsonAnySetter}). This walks a bound object graph through its getters and reports every non-empty
 * {@code getAdditionalProperties()}, with its path, so a misspelled field anywhere is an error.
 */
final class AdditionalPropertiesWalker {

    private static final int MAX_DEPTH = 40;
    private static final Map<Class<?>, List<Method>> GETTERS = new ConcurrentHashMap<>();

    private AdditionalPropertiesWalker() {
    }

    static List<String> unknownFields(Object root) {
        List<String> problems = new ArrayList<>();
        walk(root, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        return problems;
    }

    private static void walk(Object value, String path, List<String> problems, Set<Object> seen, int depth) {
        if (value == null || depth > MAX_DEPTH || value instanceof CharSequence || value instanceof Number
                || value instanceof Boolean || value instanceof Enum<?> || value instanceof Character
                || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", problems, seen, depth + 1));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int index = 0;
            for (Object item : collection) {
                walk(item, path + "[" + index++ + "]", problems, seen, depth + 1);
            }
            return;
        }
        String packageName = value.getClass().getPackageName();
        if (!packageName.startsWith("io.strimzi.") && !packageName.startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : getters(value.getClass())) {
            Object result;
            try {
                result = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // derived getters of the models may throw on partial objects; not a field
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (result instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add("unknown field(s) " + new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList())
                            + " at " + (path.isEmpty() ? "." : path) + " (" + value.getClass().getSimpleName() + ")");
                }
                continue;
            }
            walk(result, path + "." + property(getter), problems, seen, depth + 1);
        }
    }

    private static List<Method> getters(Class<?> type) {
        return GETTERS.computeIfAbsent(type, t -> {
            List<Method> getters = new ArrayList<>();
            for (Method method : t.getMethods()) {
                String name = method.getName();
                if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                        && method.getDeclaringClass() != Object.class
                        && (name.startsWith("get") && name.length() > 3 || name.startsWith("is") && name.length() > 2)
                        && method.getReturnType() != void.class) {
                    method.setAccessible(true);
                    getters.add(method);
                }
            }
            getters.sort((a, b) -> a.getName().compareTo(b.getName()));
            return getters;
        });
    }

    private static String property(Method getter) {
        String name = getter.getName().startsWith("is") ? getter.getName().substring(2) : getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
