package io.storefront.platform.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The repository's Maven wrapper: {@code ./mvnw}, or {@code mvnw.cmd} on Windows. */
public final class MavenWrapper {

    private MavenWrapper() {
    }

    public static boolean onWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    public static String scriptName() {
        return onWindows() ? "mvnw.cmd" : "mvnw";
    }

    /** The wrapper by its absolute path, so the command does not depend on the working directory. */
    public static List<String> command(Path repository, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(repository.toAbsolutePath().resolve(scriptName()).toString());
        command.addAll(List.of(arguments));
        return List.copyOf(command);
    }
}
