package io.storefront.platform.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Shell} on the real machine: every command runs in the repository's root directory. On Windows a program
 * ending in {@code .cmd} (the Maven wrapper) runs through {@code cmd.exe /c}; other programs are found on the PATH
 * with their {@code .exe} suffix by the operating system.
 */
public final class SystemShell implements Shell {

    private final Path workingDirectory;
    private final boolean windows;

    public SystemShell(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        this.windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public CommandResult query(List<String> command) {
        Process process;
        try {
            ProcessBuilder builder = builder(command);
            // A read-only query never waits for a password prompt (git ls-remote of a private repository).
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            process = builder.start();
        } catch (IOException e) {
            return CommandResult.missingTool();
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = readAll(process.getInputStream());
            int exitCode = process.waitFor();
            return new CommandResult(exitCode, stdout, stderr.join(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    @Override
    public void change(List<String> command) {
        Process process;
        try {
            process = builder(command).inheritIO().start();
        } catch (IOException e) {
            throw new CommandFailedException(command, "cannot start (" + e.getMessage() + ")");
        }
        try {
            int exitCode = process.waitFor();
            if (exitCode != 0) {
                throw new CommandFailedException(command, "exit code " + exitCode);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new CommandFailedException(command, "interrupted");
        }
    }

    @Override
    public RunningCommand start(List<String> command) {
        Process process;
        try {
            process = builder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new CommandFailedException(command, "cannot start (" + e.getMessage() + ")");
        }
        return new RunningCommand() {
            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public void stop() {
                process.destroy();
            }
        };
    }

    private ProcessBuilder builder(List<String> command) {
        List<String> full = new ArrayList<>();
        if (windows && command.get(0).toLowerCase(Locale.ROOT).endsWith(".cmd")) {
            full.add("cmd.exe");
            full.add("/c");
        }
        full.addAll(command);
        return new ProcessBuilder(full).directory(workingDirectory.toFile());
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
