package io.storefront.platform.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real shell against git (which the project needs anyway) and a program that does not exist. */
class SystemShellTest {

    final SystemShell shell = new SystemShell(Path.of("."));

    @Test
    void aQueryCapturesOutputAndExitCode() {
        CommandResult version = shell.query(List.of("git", "--version"));
        CommandResult wrong = shell.query(List.of("git", "no-such-subcommand"));

        assertThat(version.succeeded()).isTrue();
        assertThat(version.stdout()).startsWith("git version");
        assertThat(wrong.succeeded()).isFalse();
        assertThat(wrong.toolMissing()).isFalse();
        assertThat(wrong.firstErrorLine()).contains("no-such-subcommand");
    }

    @Test
    void aProgramThatIsNotInstalledIsReportedAsMissingNotAsAnError() {
        CommandResult result = shell.query(List.of("storefront-no-such-tool-7f3a", "--version"));

        assertThat(result.toolMissing()).isTrue();
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void aFailingChangeNamesTheCommandAndItsExitCode() {
        assertThatThrownBy(() -> shell.change(List.of("git", "no-such-subcommand")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("git no-such-subcommand: exit code 1");
    }
}
