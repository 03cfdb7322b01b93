package io.storefront.platform.check;

import io.storefront.platform.cluster.ClusterProfile;
import java.util.List;

/** The machine can give the profile its CPUs and memory and keep some for itself. */
public final class ResourcesCheck {

    private final ClusterProfile profile;
    private final HostResources host;

    public ResourcesCheck(ClusterProfile profile, HostResources host) {
        this.profile = profile;
        this.host = host;
    }

    public List<Finding> run() {
        Finding cpus = host.cpus() >= profile.cpus()
                ? Finding.ok("cpus", host.cpus() + " available, the profile takes " + profile.cpus())
                : Finding.fix("cpus", "this machine has " + host.cpus() + " CPUs; the profile needs " + profile.cpus()
                        + " (docs/platform.md \"Sizing\"): use a machine with at least " + profile.cpus());
        long needed = (long) profile.memoryMb() + ClusterProfile.HOST_RESERVE_MB;
        Finding memory = host.memoryMb() >= needed
                ? Finding.ok("memory", host.memoryMb() + " MB, the profile takes " + profile.memoryMb() + " MB")
                : Finding.fix("memory", "this machine has " + host.memoryMb() + " MB; the profile needs "
                        + profile.memoryMb() + " MB plus " + ClusterProfile.HOST_RESERVE_MB
                        + " MB for the host and the image build: use a machine with at least " + needed + " MB"
                        + " (with Docker Desktop, raise its memory limit in Settings > Resources)");
        return List.of(cpus, memory);
    }
}
