package io.storefront.platform.check;

import java.lang.management.ManagementFactory;

/** Logical CPUs and memory of the machine (or of the container this JVM runs in). */
public record HostResources(int cpus, long memoryMb) {

    public static HostResources ofThisMachine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new HostResources(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024 * 1024));
    }
}
