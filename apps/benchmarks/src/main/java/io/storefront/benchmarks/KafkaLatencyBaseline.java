package io.storefront.benchmarks;

import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical limit for propagation: Kafka's own {@code org.apache.kafka.tools.EndToEndLatency} (artifact
 * kafka-tools) against the same broker, as a child JVM like everything else. It sends one record with the given acks,
 * waits for the acknowledgement, then polls it back with {@code fetch.max.wait.ms=0}, one record at a time — produce,
 * replicate-ack and consume, nothing of ours. It prints the mean with four decimals and p50/p99/p99.9 in whole
 * milliseconds (that is the tool's resolution).
 */
final class KafkaLatencyBaseline {

    /** The tool's summary: mean in ms (fine), percentiles in whole ms (as printed). */
    record Result(int messages, double meanMs, long p50Ms, long p99Ms, long p999Ms) {
    }

    private static final Pattern AVG = Pattern.compile("Avg latency: ([0-9.]+) ms");
    private static final Pattern PERCENTILES = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

    private KafkaLatencyBaseline() {
    }

    /** Records of {@code messageBytes} (the size of a customer event) on a scratch topic with acks=all, like the relay. */
    static Result run(String bootstrap, int messages, int messageBytes, Path log) {
        List<String> command = new ArrayList<>(List.of(LocalStack.javaExecutable(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.tools.EndToEndLatency",
                bootstrap, "bench.e2e-latency", String.valueOf(messages), "all", String.valueOf(messageBytes)));
        ManagedProcess tool = new ManagedProcess("kafka-e2e-latency", command, log);
        try {
            tool.start();
        } catch (IOException e) {
            throw new StackFailure("Could not start Kafka's EndToEndLatency: " + e.getMessage());
        }
        try {
            tool.awaitSuccess(Duration.ofSeconds(60 + messages / 50));
        } finally {
            tool.kill();
        }
        String output;
        try {
            output = Files.readString(log);
        } catch (IOException e) {
            throw new StackFailure("Cannot read " + log + ": " + e.getMessage());
        }
        Matcher avg = AVG.matcher(output);
        Matcher pct = PERCENTILES.matcher(output);
        if (!avg.find() || !pct.find()) {
            throw new StackFailure("EndToEndLatency printed no summary:\n" + tool.tail());
        }
        return new Result(messages, Double.parseDouble(avg.group(1)), Long.parseLong(pct.group(1)),
                Long.parseLong(pct.group(2)), Long.parseLong(pct.group(3)));
    }
}
