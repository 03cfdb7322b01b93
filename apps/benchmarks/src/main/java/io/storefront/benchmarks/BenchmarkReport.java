package io.storefront.benchmarks;

import io.storefront.benchmarks.Figure.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code bench} writes: {@code report.md} for people and {@code report.json} for tools, with the same content.
 * Every goal is listed with PASS or MISS next to its figure, misses included.
 */
public record BenchmarkReport(String date, String mode, List<String> scenarios, String command, double seconds,
                              Machine machine, Map<String, String> versions, String loadTool, List<Figure> figures,
                              List<String> notes) {

    /** The scenarios on the local stack, in report order; each must have figures. */
    public static final List<String> SCENARIOS = List.of("1 propagation lag", "2 read throughput",
            "3 seven-step sample flow", "4 start-up and memory", "6 tracing cost");

    /** Where it ran: on a shared 2-core box the load average says how much of it we had. */
    public record Machine(String cpu, int cores, long memoryMb, String kernel, String java,
                          String loadAverageAtStart, String loadAverageAtEnd) {
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), toMarkdown());
            Files.writeString(dir.resolve("report.json"),
                    JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What makes a report incomplete (the smoke test asserts there is nothing): not whether goals are met. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String scenario : scenarios) {
            if (figures.stream().noneMatch(f -> f.scenario().equals(scenario))) {
                problems.add("no figures for scenario " + scenario);
            }
        }
        for (Figure f : figures) {
            String id = f.scenario() + " / " + f.name();
            if (!Double.isFinite(f.value())) {
                problems.add(id + ": value is " + f.value());
            }
            if (f.baselineValue() != null && (f.ratio() == null || !Double.isFinite(f.ratio()))) {
                problems.add(id + ": baseline without a finite ratio");
            }
            if (f.baselineValue() == null && f.note() == null) {
                problems.add(id + ": neither a baseline nor a note saying why there is none");
            }
            if (f.goal() != null && f.verdict() == Verdict.NONE) {
                problems.add(id + ": goal without a verdict");
            }
            if (f.stats() != null && f.stats().count() == 0) {
                problems.add(id + ": distribution without samples");
            }
        }
        if (machine.cores() <= 0 || machine.java() == null || machine.java().isBlank()) {
            problems.add("machine description incomplete");
        }
        return problems;
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Storefront benchmark — ").append(date).append(" (").append(mode).append(")\n\n");
        md.append("Command: `").append(command).append("` (took ").append(fmt(seconds)).append(" s)\n\n");
        md.append("Machine: ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores, ")
                .append(machine.memoryMb()).append(" MB RAM, kernel ").append(machine.kernel()).append("; ")
                .append(machine.java()).append(". Load average (1/5/15 min) at start ")
                .append(machine.loadAverageAtStart()).append(", at end ").append(machine.loadAverageAtEnd())
                .append(" — the machine is shared, so compare ratios, not absolute figures.\n\n");
        md.append("Versions: ");
        md.append(String.join(", ", versions.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        md.append(". Read load: ").append(loadTool).append(".\n\n");

        md.append("## Goals\n\n| goal | figure | value | baseline (same run) | ratio | result |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            if (f.goal() != null) {
                md.append("| ").append(f.goal()).append(" | ").append(f.name()).append(" | ")
                        .append(value(f)).append(" | ").append(baseline(f)).append(" | ").append(ratio(f))
                        .append(" | **").append(f.verdict()).append("** |\n");
            }
        }
        for (String scenario : scenarios) {
            md.append("\n## ").append(scenario).append("\n\n")
                    .append("| figure | value | min | median | p99 | n | baseline (same run) | ratio | goal | result |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|\n");
            List<String> figureNotes = new ArrayList<>();
            for (Figure f : figures) {
                if (!f.scenario().equals(scenario)) {
                    continue;
                }
                Stats s = f.stats();
                md.append("| ").append(f.name()).append(" | ").append(value(f)).append(" | ")
                        .append(s == null ? "" : fmt(s.min())).append(" | ")
                        .append(s == null ? "" : fmt(s.median())).append(" | ")
                        .append(s == null ? "" : fmt(s.p99())).append(" | ")
                        .append(s == null ? "" : s.count()).append(" | ")
                        .append(baseline(f)).append(" | ").append(ratio(f)).append(" | ")
                        .append(f.goal() == null ? "" : f.goal()).append(" | ")
                        .append(f.verdict() == Verdict.NONE ? "" : "**" + f.verdict() + "**").append(" |\n");
                if (f.note() != null) {
                    figureNotes.add(f.name() + ": " + f.note());
                }
            }
            if (!figureNotes.isEmpty()) {
                md.append("\n");
                figureNotes.forEach(n -> md.append("- ").append(n).append("\n"));
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n## How it was measured\n\n");
            notes.forEach(n -> md.append("- ").append(n).append("\n"));
        }
        return md.toString();
    }

    private static String value(Figure f) {
        return fmt(f.value()) + " " + f.unit();
    }

    private static String baseline(Figure f) {
        return f.baseline() == null ? "—" : f.baseline() + ": " + fmt(f.baselineValue()) + " " + f.unit();
    }

    private static String ratio(Figure f) {
        return f.ratio() == null ? "—" : String.format(Locale.ROOT, "%.2f×", f.ratio());
    }

    /** Three significant digits at most: 0.412, 4.12, 41.2, 4120. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
