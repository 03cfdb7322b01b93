package io.storefront.local.cli;

import io.storefront.local.stack.StackFailure;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of one of the storefront's commands ({@code local-stack.jar run}, {@code benchmarks.jar}, …):
 * {@code --name value}, {@code --name=value}, bare flags, and {@code -h} or {@code --help} for the usage. A stray
 * argument is refused, and so is an option the command does not take: a typo must not start a long run with a
 * default. {@link #execute} is the whole command-line flow every command shares: usage on request, refusal with the
 * usage (exit 2), the command's own exit code, and a {@link StackFailure} as one {@code ERROR:} line (exit 1).
 */
public final class CommandLineOptions {

    /** Exit code of a refused command line (as the shells' builtins use it). */
    public static final int USAGE_ERROR = 2;

    /** What a command does with its parsed options; answers the process's exit code. */
    @FunctionalInterface
    public interface Command {
        int run(CommandLineOptions options);
    }

    private final Map<String, String> values;
    private final boolean help;

    private CommandLineOptions(Map<String, String> values, boolean help) {
        this.values = Map.copyOf(values);
        this.help = help;
    }

    /**
     * Parses {@code args} (the command's own arguments, without the command name).
     *
     * @param command the command's name as messages show it ("run", "the benchmark")
     * @param known the options the command takes, without the leading {@code --}
     * @throws IllegalArgumentException for an argument that is not an option, or options not in {@code known}; the
     *                                  message names them and the command
     */
    public static CommandLineOptions parse(List<String> args, String command, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + arg + " for " + command);
            }
            String name = arg.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                values.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                values.put(name, args.get(++i));
            } else {
                values.put(name, "true");
            }
        }
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s) for " + command + ": --" + String.join(", --", unknown));
        }
        return new CommandLineOptions(values, help);
    }

    /**
     * Parses {@code args} and runs {@code action} with them: prints {@code usage} to {@code out} instead when help is
     * asked for (exit 0); prints the refusal and {@code usage} to {@code err} for a command line it refuses, without
     * running anything (exit {@value #USAGE_ERROR}); prints a {@link StackFailure}'s message to {@code err} (exit 1).
     */
    public static int execute(List<String> args, String command, Set<String> known, String usage, PrintStream out,
                              PrintStream err, Command action) {
        CommandLineOptions options;
        try {
            options = parse(args, command, known);
        } catch (IllegalArgumentException refused) {
            err.println(refused.getMessage() + "\n" + usage);
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.print(usage);
            return 0;
        }
        try {
            return action.run(options);
        } catch (StackFailure e) {
            err.println("ERROR: " + e.getMessage());
            return 1;
        }
    }

    /** Whether {@code -h} or {@code --help} was given. */
    public boolean help() {
        return help;
    }

    /** Whether the option was given (a flag, or an option with a value). */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The option's value; {@code fallback} when it was not given. A bare flag's value is {@code true}. */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
