package io.storefront.platform.shell;

import java.util.List;

/**
 * Runs the external tools (minikube, kubectl, git, the Maven wrapper). Two kinds of call, so that "changes nothing"
 * can be asserted: {@link #query} only reads (its output is captured), {@link #change} may alter the machine, the
 * cluster or the work tree (its output streams to the user's terminal).
 */
public interface Shell {

    /** Runs a read-only command and captures its output. A tool that is not installed gives {@link CommandResult#toolMissing()}. */
    CommandResult query(List<String> command);

    /** Runs a command that changes something, output to the terminal; throws when it exits non-zero or cannot start. */
    void change(List<String> command);

    /** Runs a command that changes something and keeps running until {@link RunningCommand#stop()} (port-forwards). */
    RunningCommand start(List<String> command);
}
