package io.storefront.systemtests;

import io.storefront.local.commands.ConsistencyAudit;
import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.StackFailure;
import java.time.Duration;

/** Waits for the three services to agree, as the consistency audit judges it. */
final class Consistency {

    private Consistency() {
    }

    /** Seconds until the audit is clean; fails with the last divergences after {@code timeout}. */
    static double await(StorefrontClient client, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ConsistencyAudit.Report report = null;
        while (System.nanoTime() < deadline) {
            try {
                report = ConsistencyAudit.audit(client);
                if (report.consistent()) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (StackFailure e) {
                // a service is still coming up
            }
            ManagedProcess.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("not consistent within " + timeout.toSeconds() + " s: "
                + (report == null ? "no audit" : report.divergences()));
    }
}
