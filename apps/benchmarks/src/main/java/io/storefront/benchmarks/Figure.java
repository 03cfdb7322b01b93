package io.storefront.benchmarks;

/**
 * One figure of the benchmark report: a value, its distribution where there is one, the baseline it is compared
 * with (measured in the same run: these machines are shared and noisy, absolute times drift, ratios hold), and the
 * issue's goal with PASS or MISS. Built in steps with the {@code with…} methods.
 *
 * @param value the headline number (for latencies the median, for throughput req/s)
 * @param ratio {@code value / baselineValue}; null only when the figure has no baseline (said in {@code note})
 * @param verdict PASS or MISS against {@code goal}; NONE when the issue sets no goal for this figure
 */
public record Figure(String scenario, String name, String unit, double value, Stats stats, String baseline,
                     Double baselineValue, Double ratio, String goal, Verdict verdict, String note) {

    public enum Verdict { PASS, MISS, NONE }

    public static Figure of(String scenario, String name, String unit, double value) {
        return new Figure(scenario, name, unit, value, null, null, null, null, null, Verdict.NONE, null);
    }

    public Figure withStats(Stats newStats) {
        return new Figure(scenario, name, unit, value, newStats, baseline, baselineValue, ratio, goal, verdict, note);
    }

    public Figure against(String newBaseline, double newBaselineValue) {
        return new Figure(scenario, name, unit, value, stats, newBaseline, newBaselineValue, value / newBaselineValue,
                goal, verdict, note);
    }

    public Figure withGoal(String newGoal, boolean met) {
        return new Figure(scenario, name, unit, value, stats, baseline, baselineValue, ratio, newGoal,
                met ? Verdict.PASS : Verdict.MISS, note);
    }

    public Figure withNote(String newNote) {
        return new Figure(scenario, name, unit, value, stats, baseline, baselineValue, ratio, goal, verdict,
                note == null ? newNote : note + " " + newNote);
    }
}
