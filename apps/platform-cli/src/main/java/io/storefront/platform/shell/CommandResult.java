package io.storefront.platform.shell;

/** What a read-only command printed and how it ended; {@code toolMissing} when the program could not be started. */
public record CommandResult(int exitCode, String stdout, String stderr, boolean toolMissing) {

    public static CommandResult success(String stdout) {
        return new CommandResult(0, stdout, "", false);
    }

    public static CommandResult failure(int exitCode, String stderr) {
        return new CommandResult(exitCode, "", stderr, false);
    }

    public static CommandResult missingTool() {
        return new CommandResult(-1, "", "", true);
    }

    public boolean succeeded() {
        return !toolMissing && exitCode == 0;
    }

    /** The first non-blank line of stderr (or stdout), for a one-line explanation. */
    public String firstErrorLine() {
        for (String text : new String[] {stderr, stdout}) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        }
        return "exit code " + exitCode;
    }
}
