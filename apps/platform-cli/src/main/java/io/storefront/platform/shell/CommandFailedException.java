package io.storefront.platform.shell;

import java.util.List;

/** A changing command that exited non-zero or could not be started; the message names the command. */
public class CommandFailedException extends RuntimeException {

    public CommandFailedException(List<String> command, String reason) {
        super(String.join(" ", command) + ": " + reason);
    }
}
