package io.storefront.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.benchmarks.BenchmarkReport.Machine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report is complete for the scenarios it was run for: the stack's four, or the images' one. */
class BenchmarkReportTest {

    private static final Machine MACHINE = new Machine("cpu", 2, 1024, "Linux", "java 25", "1 / 1 / 1", "1 / 1 / 1");

    private static BenchmarkReport report(List<String> scenarios, List<Figure> figures) {
        return new BenchmarkReport("2026-12-02 01:00 UTC", "images, smoke", scenarios, "test", 1, MACHINE, Map.of(),
                "none", figures, List.of());
    }

    @Test
    void anImageReportWithoutImageFiguresIsIncomplete() {
        assertThat(report(List.of(ImageStartup.SCENARIO), List.of()).problems())
                .containsExactly("no figures for scenario " + ImageStartup.SCENARIO);
    }

    @Test
    void anImageReportNeedsNoStackScenario() {
        Figure bare = Figure.of(ImageStartup.SCENARIO, "bare-app image: time to ready", "s", 2.0)
                .withNote("The baseline.");
        Figure accounts = Figure.of(ImageStartup.SCENARIO, "accounts image: time to ready", "s", 4.0)
                .against("bare-app image", 2.0).withGoal("ready ≤ 1.5× bare app", false);
        BenchmarkReport report = report(List.of(ImageStartup.SCENARIO), List.of(bare, accounts));

        assertThat(report.problems()).isEmpty();
        assertThat(report.toMarkdown()).contains("## " + ImageStartup.SCENARIO)
                .contains("| accounts image: time to ready | 4.00 s |").contains("2.00×").contains("**MISS**")
                .doesNotContain("## " + BenchmarkReport.SCENARIOS.get(0));
    }
}
