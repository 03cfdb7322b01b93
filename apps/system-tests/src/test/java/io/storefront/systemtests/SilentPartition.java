package io.storefront.systemtests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A silent network partition between the services and one server on this machine: iptables drops every packet to and
 * from its loopback port, so connections stay open and nothing answers, as with a network fault or a dead node
 * (unlike a stopped process, whose connections are refused or reset at once). Needs root and iptables.
 */
final class SilentPartition implements AutoCloseable {

    private final List<List<String>> rules = new ArrayList<>();

    private SilentPartition(int port) throws IOException {
        for (String direction : List.of("--dport", "--sport")) {
            List<String> rule = List.of("INPUT", "-i", "lo", "-p", "tcp", direction, Integer.toString(port), "-j", "DROP");
            iptables("-I", rule);
            rules.add(rule);
        }
    }

    /** Starts dropping every packet of {@code port} on loopback until {@link #close()}. */
    static SilentPartition of(int port) throws IOException {
        return new SilentPartition(port);
    }

    /** Whether this machine lets the tests drop packets (iptables present, run as root). */
    static boolean possible() {
        try {
            return run(List.of("iptables", "-w", "-L", "INPUT", "-n")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        for (List<String> rule : rules) {
            iptables("-D", rule);
        }
        rules.clear();
    }

    private static void iptables(String action, List<String> rule) throws IOException {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", action));
        command.addAll(rule);
        if (run(command) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
