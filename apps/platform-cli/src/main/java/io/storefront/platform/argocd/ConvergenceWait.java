package io.storefront.platform.argocd;

import io.storefront.platform.cluster.ClusterProfile;
import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Json;
import io.storefront.platform.shell.Shell;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Waits until the root Application and every child it manages are Synced and Healthy, printing each change of the
 * picture. The set of children is the root's own list of managed Applications ({@code status.resources}), so the
 * wait knows about children that are not created yet. The extras (UIs, observability) hold nothing back: once the
 * core is Synced and Healthy they get {@link #EXTRAS_GRACE} more, and an extra still not ready then is reported, not
 * a failure. On timeout it names every Application that is not ready, with its conditions, its last operation's
 * message and the resources that hold it.
 */
public final class ConvergenceWait {

    /** Pauses between polls; the real one sleeps, a test's returns at once. */
    public interface Pause {
        void pause(Duration duration);
    }

    public static final String ROOT = "root";
    static final Duration POLL = Duration.ofSeconds(10);
    static final Duration EXTRAS_GRACE = Duration.ofMinutes(10);

    private final Shell shell;
    private final ClusterProfile profile;
    private final Pause pause;
    private final PrintStream out;

    public ConvergenceWait(Shell shell, ClusterProfile profile, Pause pause, PrintStream out) {
        this.shell = shell;
        this.profile = profile;
        this.pause = pause;
        this.out = out;
    }

    /**
     * True when everything converged within the timeout, or the core did and only extras are left (reported); false
     * after printing what is stuck.
     */
    public boolean await(Duration timeout) {
        long polls = Math.max(1, timeout.toSeconds() / POLL.toSeconds());
        long gracePolls = EXTRAS_GRACE.toSeconds() / POLL.toSeconds();
        String last = "";
        Map<String, ApplicationState> states = Map.of();
        long coreReadyAt = -1;
        for (long poll = 0; poll < polls; poll++) {
            states = current();
            String picture = picture(states);
            if (!picture.equals(last)) {
                out.println("   " + picture);
                last = picture;
            }
            if (converged(states)) {
                out.println("== every Application is Synced and Healthy");
                return true;
            }
            if (coreConverged(states) && coreReadyAt < 0) {
                coreReadyAt = poll;
                out.println("== the core is Synced and Healthy; the extras get " + EXTRAS_GRACE.toMinutes()
                        + " minutes more");
            }
            if (coreReadyAt >= 0 && poll - coreReadyAt >= gracePolls) {
                break;
            }
            pause.pause(POLL);
        }
        if (coreConverged(states)) {
            out.println("The core is Synced and Healthy; these extras are not (they hold nothing back):");
            reportNotReady(states);
            return true;
        }
        out.println("Not converged after " + timeout.toMinutes() + " minutes. Stuck:");
        reportNotReady(states);
        return false;
    }

    private Map<String, ApplicationState> current() {
        CommandResult result = shell.query(profile.kubectl("-n", "argocd", "get", "applications.argoproj.io",
                "--output=json"));
        Map<String, ApplicationState> states = new LinkedHashMap<>();
        if (!result.succeeded()) {
            return states;
        }
        for (JsonNode item : Json.parse(result.stdout()).path("items")) {
            ApplicationState state = ApplicationState.of(item);
            states.put(state.name(), state);
        }
        return states;
    }

    static boolean converged(Map<String, ApplicationState> states) {
        ApplicationState root = states.get(ROOT);
        if (root == null || !root.ready()) {
            return false;
        }
        return expected(states).stream().allMatch(name -> states.containsKey(name) && states.get(name).ready());
    }

    /**
     * The root is Synced and every child that is not an extra is Synced and Healthy (a child not created yet counts
     * as core: its tier is unknown). The root's own health includes the extras', so only its sync counts here.
     */
    static boolean coreConverged(Map<String, ApplicationState> states) {
        ApplicationState root = states.get(ROOT);
        if (root == null || !root.sync().equals("Synced")) {
            return false;
        }
        return expected(states).stream().filter(name -> !name.equals(ROOT))
                .allMatch(name -> states.containsKey(name) && (states.get(name).extra() || states.get(name).ready()));
    }

    private static Set<String> expected(Map<String, ApplicationState> states) {
        Set<String> names = new TreeSet<>(states.keySet());
        ApplicationState root = states.get(ROOT);
        if (root != null) {
            names.addAll(root.childApplications());
        }
        return names;
    }

    static String picture(Map<String, ApplicationState> states) {
        if (!states.containsKey(ROOT)) {
            return "waiting for the root Application";
        }
        Set<String> expected = expected(states);
        List<String> waiting = new ArrayList<>();
        long ready = 0;
        for (String name : expected) {
            ApplicationState state = states.get(name);
            if (state == null) {
                waiting.add(name + " (not created yet)");
            } else if (state.ready()) {
                ready++;
            } else {
                waiting.add("wave " + state.wave() + " " + state.summary());
            }
        }
        waiting.sort(Comparator.naturalOrder());
        return ready + "/" + expected.size() + " Applications Synced and Healthy"
                + (waiting.isEmpty() ? "" : "; waiting for " + String.join(", ", waiting));
    }

    private void reportNotReady(Map<String, ApplicationState> states) {
        boolean childStuck = expected(states).stream()
                .anyMatch(name -> !name.equals(ROOT) && !(states.containsKey(name) && states.get(name).ready()));
        for (String name : expected(states)) {
            ApplicationState state = states.get(name);
            if (state == null) {
                out.println(" - " + name + ": not created yet (an earlier wave is not Healthy)");
                continue;
            }
            if (state.ready() || (name.equals(ROOT) && childStuck)) {
                continue;
            }
            out.println(" - " + state.summary() + ", wave " + state.wave());
            state.conditions().forEach(c -> out.println("     condition " + c));
            if (!state.operationMessage().isBlank()) {
                out.println("     last operation: " + state.operationMessage());
            }
            state.resourcesNotReady().forEach(r -> out.println("     held by " + r));
        }
        out.println("Look closer: kubectl --context=" + profile.name() + " -n argocd describe application <name>, or the"
                + " Argo CD UI. A child that used up its retries waits for a sync: press Sync on it in the UI"
                + " (docs/gitops.md). Running up again continues where this stopped.");
    }
}
