package io.storefront.benchmarks;

import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop HTTP read load at a fixed number of connections: wrk where it is installed (a C tool on its own
 * threads, so the figures are not the load generator's), else a small bounded java.net.http generator that needs
 * nothing from Debian (the smoke test uses it). The report says which one measured.
 */
sealed interface ReadLoad permits ReadLoad.Wrk, ReadLoad.Java {

    /** What one run measured; latencies in milliseconds. */
    record Result(long requests, long errors, double seconds, double requestsPerSecond, Stats latencyMs) {
    }

    String describe();

    Result run(URI url, int connections, Duration duration);

    /** wrk if installed and not refused by {@code tool}; {@code notes} gets a line when falling back. */
    static ReadLoad choose(String tool, List<String> notes) {
        boolean wrkPresent = Wrk.version() != null;
        switch (tool) {
            case "java":
                return new Java();
            case "wrk":
                if (!wrkPresent) {
                    throw new StackFailure("--load-tool wrk: wrk is not installed (Debian: apt-get install wrk).");
                }
                return new Wrk();
            default:
                if (wrkPresent) {
                    return new Wrk();
                }
                notes.add("wrk is NOT installed (Debian: `apt-get install wrk`); read throughput was measured with the"
                        + " built-in Java load generator, which runs inside the benchmark JVM and is slower than wrk:"
                        + " its absolute req/s understate the services, the ratios to the baseline still hold.");
                return new Java();
        }
    }

    /**
     * wrk with a Lua {@code done} hook that prints exact min/p50/p99 from wrk's own latency histogram (microsecond
     * resolution) and every kind of error, instead of parsing its rounded human output.
     */
    final class Wrk implements ReadLoad {

        private static final String SCRIPT = """
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d min=%d p50=%d p99=%d max=%d mean=%f\\n",
                    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
                    latency.min, latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
                end
                """;
        private static final Pattern LINE = Pattern.compile(
                "BENCH requests=(\\d+) duration_us=(\\d+) errors=(\\d+) min=(\\d+) p50=(\\d+) p99=(\\d+) max=(\\d+) mean=([0-9.]+)");

        static String version() {
            try {
                Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                p.waitFor(5, TimeUnit.SECONDS);
                String first = out.lines().findFirst().orElse(out);
                return out.startsWith("wrk") ? first.replaceAll(" \\[.*", "") : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public String describe() {
            return version() + ", 2 threads";
        }

        @Override
        public Result run(URI url, int connections, Duration duration) {
            try {
                Path script = Files.createTempFile("bench-wrk-", ".lua");
                try {
                    Files.writeString(script, SCRIPT);
                    long seconds = Math.max(1, duration.toSeconds());
                    Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                            "--timeout", "5s", "-s", script.toString(), url.toString())
                            .redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes());
                    p.waitFor(seconds + 30, TimeUnit.SECONDS);
                    Matcher m = LINE.matcher(out);
                    if (!m.find()) {
                        throw new StackFailure("wrk gave no result for " + url + ":\n" + out);
                    }
                    long requests = Long.parseLong(m.group(1));
                    double secs = Long.parseLong(m.group(2)) / 1e6;
                    Stats latency = new Stats(requests, us(m.group(4)), us(m.group(5)), us(m.group(6)), us(m.group(7)),
                            Double.parseDouble(m.group(8)) / 1000.0);
                    return new Result(requests, Long.parseLong(m.group(3)), secs, requests / secs, latency);
                } finally {
                    Files.deleteIfExists(script);
                }
            } catch (IOException e) {
                throw new StackFailure("wrk failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackFailure("interrupted");
            }
        }

        private static double us(String micros) {
            return Long.parseLong(micros) / 1000.0;
        }
    }

    /**
     * One thread per connection, each sending the next GET when the previous answer is read (like wrk). Bounded: at
     * most {@code connections} requests in flight and a fixed duration; every latency is kept (a few hundred
     * thousand longs at most).
     */
    final class Java implements ReadLoad {

        @Override
        public String describe() {
            return "built-in java.net.http load generator (wrk not used)";
        }

        @Override
        public Result run(URI url, int connections, Duration duration) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            AtomicLong errors = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            try {
                List<Future<long[]>> runs = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    runs.add(pool.submit(() -> loop(http, request, deadline, errors)));
                }
                List<long[]> latencies = new ArrayList<>();
                for (Future<long[]> run : runs) {
                    latencies.add(run.get());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double[] all = latencies.stream().flatMapToLong(Arrays::stream).mapToDouble(n -> n / 1e6).toArray();
                return new Result(all.length, errors.get(), seconds, all.length / seconds, Stats.of(all));
            } catch (ExecutionException e) {
                throw new StackFailure("load generator failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackFailure("interrupted");
            } finally {
                pool.shutdownNow();
            }
        }

        private static long[] loop(HttpClient http, HttpRequest request, long deadline, AtomicLong errors) {
            long[] latencies = new long[1024];
            int n = 0;
            while (System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() / 100 != 2) {
                        errors.incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = System.nanoTime() - sent;
            }
            return Arrays.copyOf(latencies, n);
        }
    }
}
