package io.storefront.local.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options as the storefront's commands take them: {@code --name value}, {@code --name=value}, bare flags, and
 * {@code -h} for help. A stray argument is an error, and so is an option the command does not take: a typo must not
 * start a long run with a default.
 */
public final class CommandLineOptions {

    private CommandLineOptions() {
    }

    /**
     * Parses {@code args} (the command's own arguments, without the command name); {@code -h} and {@code --help}
     * both become {@code help}.
     *
     * @throws IllegalArgumentException for an argument that is not an option
     */
    public static Map<String, String> parse(List<String> args, String command) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h")) {
                options.put("help", "true");
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + arg + " for " + command);
            }
            String name = arg.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                options.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                options.put(name, args.get(++i));
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    /** The options given that are not in {@code known} (help apart), sorted; empty when all are known. */
    public static Set<String> unknown(Map<String, String> options, Set<String> known) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.remove("help");
        unknown.removeAll(known);
        return unknown;
    }
}
