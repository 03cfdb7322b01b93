package io.storefront.benchmarks;

import io.storefront.local.stack.StackFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The services' own {@code storefront_propagation_lag_seconds} histogram for one topic, scraped from a management
 * port's {@code /actuator/prometheus}. Two scrapes subtracted give the distribution of just the benchmark window;
 * quantiles are interpolated inside Micrometer's buckets, so they are only as fine as the buckets (about ±10 %).
 *
 * @param buckets cumulative count per upper bound in seconds ({@code le})
 */
record LagHistogram(TreeMap<Double, Double> buckets, double count, double sum) {

    private static final String NAME = "storefront_propagation_lag_seconds";

    static LagHistogram scrape(int managementPort, String topic) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            String text = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return parse(text, topic);
        } catch (java.io.IOException e) {
            throw new StackFailure("Could not scrape metrics on port " + managementPort + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }

    /** An empty histogram when the service has not applied an event of the topic yet. */
    static LagHistogram parse(String prometheusText, String topic) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double sum = 0;
        String label = "topic=\"" + topic + "\"";
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(NAME) || !line.contains(label)) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith(NAME + "_bucket{")) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                buckets.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value);
            } else if (line.startsWith(NAME + "_count{")) {
                count = value;
            } else if (line.startsWith(NAME + "_sum{")) {
                sum = value;
            }
        }
        return new LagHistogram(buckets, count, sum);
    }

    /** What was recorded between {@code before} and this scrape. */
    LagHistogram minus(LagHistogram before) {
        TreeMap<Double, Double> diff = new TreeMap<>();
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            diff.put(e.getKey(), e.getValue() - before.buckets.getOrDefault(e.getKey(), 0.0));
        }
        return new LagHistogram(diff, count - before.count, sum - before.sum);
    }

    /** Quantile {@code q} (0..1) in milliseconds, linear inside the bucket that holds it. */
    double quantileMs(double q) {
        if (count <= 0) {
            return Double.NaN;
        }
        double target = q * count;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            if (e.getValue() >= target) {
                if (e.getKey().isInfinite()) {
                    return lower * 1000;
                }
                double inBucket = e.getValue() - below;
                double fraction = inBucket <= 0 ? 1 : (target - below) / inBucket;
                return (lower + (e.getKey() - lower) * fraction) * 1000;
            }
            lower = e.getKey();
            below = e.getValue();
        }
        return lower * 1000;
    }

    /** min is not kept by a histogram: the lower bound of the first non-empty bucket stands in for it. */
    Stats statsMs() {
        double min = Double.NaN;
        double lower = 0;
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            if (e.getValue() > 0) {
                min = lower * 1000;
                break;
            }
            lower = e.getKey();
        }
        return new Stats((long) count, min, quantileMs(0.5), quantileMs(0.99), quantileMs(1.0),
                count > 0 ? sum / count * 1000 : Double.NaN);
    }
}
