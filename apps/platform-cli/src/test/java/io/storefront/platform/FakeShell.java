package io.storefront.platform;

import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.RunningCommand;
import io.storefront.platform.shell.Shell;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted {@link Shell}: each read-only query is answered by the longest scripted command prefix (a query nobody
 * scripted fails the test), and every changing command is recorded, never run.
 */
public final class FakeShell implements Shell {

    private final Map<String, Deque<CommandResult>> answers = new LinkedHashMap<>();
    public final List<String> queries = new ArrayList<>();
    public final List<String> changes = new ArrayList<>();
    public final List<String> started = new ArrayList<>();

    /** Answers every query starting with {@code prefix}; replaces an earlier answer for the same prefix. */
    public FakeShell answer(String prefix, CommandResult result) {
        return answerInTurn(prefix, result);
    }

    /** Answers successive queries with these results, the last one repeating. */
    public FakeShell answerInTurn(String prefix, CommandResult... results) {
        answers.put(prefix, new ArrayDeque<>(List.of(results)));
        return this;
    }

    /** The tool is not installed: every query of it fails to start. */
    public FakeShell withoutTool(String tool) {
        answers.keySet().removeIf(prefix -> prefix.equals(tool) || prefix.startsWith(tool + " "));
        return answer(tool, CommandResult.missingTool());
    }

    @Override
    public CommandResult query(List<String> command) {
        String line = String.join(" ", command);
        queries.add(line);
        String best = null;
        for (String prefix : answers.keySet()) {
            if ((line.equals(prefix) || line.startsWith(prefix + " ")) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            throw new AssertionError("unscripted query: " + line);
        }
        Deque<CommandResult> results = answers.get(best);
        return results.size() > 1 ? results.poll() : results.peek();
    }

    @Override
    public void change(List<String> command) {
        changes.add(String.join(" ", command));
    }

    @Override
    public RunningCommand start(List<String> command) {
        started.add(String.join(" ", command));
        return new RunningCommand() {
            @Override
            public boolean isAlive() {
                return true;
            }

            @Override
            public void stop() {
            }
        };
    }
}
