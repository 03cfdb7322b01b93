package io.storefront.manifests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod templates of workloads, and the policy every container must follow:
 * <ul>
 *   <li>liveness and readiness probes (Jobs and CronJobs are exempt: they run to completion; init containers only
 *       when they are native sidecars, {@code restartPolicy: Always}, since Kubernetes forbids probes on the
 *       others);</li>
 *   <li>resources: cpu and memory requests and limits;</li>
 *   <li>the restricted Pod Security profile: runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL
 *       (add at most NET_BIND_SERVICE), seccomp RuntimeDefault or Localhost (pod or container level), not
 *       privileged, no host namespaces; plus readOnlyRootFilesystem.</li>
 * </ul>
 */
final class Workloads {

    static final Set<String> POD_OWNERS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
            "CronJob", "Pod");
    static final Set<String> RUN_TO_COMPLETION = Set.of("Job", "CronJob");

    /** One container of a workload; {@code init} for initContainers. */
    record Container(Manifest owner, boolean init, Map<String, Object> body) {
        String name() {
            return Yamls.str(body.get("name"));
        }

        String image() {
            return Yamls.str(body.get("image"));
        }

        String id() {
            return owner.id() + (init ? " initContainer " : " container ") + name();
        }
    }

    private Workloads() {
    }

    static boolean hasPods(Manifest object) {
        return POD_OWNERS.contains(object.kind());
    }

    /** The pod template (metadata + spec) of a workload; the object itself for a Pod. */
    static Map<String, Object> podTemplate(Manifest object) {
        return switch (object.kind()) {
            case "Pod" -> object.body();
            case "CronJob" -> Yamls.map(Yamls.at(object.body(), "spec", "jobTemplate", "spec", "template"));
            default -> Yamls.map(Yamls.at(object.body(), "spec", "template"));
        };
    }

    static Map<String, Object> podSpec(Manifest object) {
        return Yamls.map(podTemplate(object).get("spec"));
    }

    static List<Container> containers(Manifest object) {
        List<Container> containers = new ArrayList<>();
        if (!hasPods(object)) {
            return containers;
        }
        Map<String, Object> spec = podSpec(object);
        Yamls.maps(spec.get("initContainers")).forEach(c -> containers.add(new Container(object, true, c)));
        Yamls.maps(spec.get("containers")).forEach(c -> containers.add(new Container(object, false, c)));
        return containers;
    }

    static List<Container> containers(List<Manifest> objects) {
        return objects.stream().flatMap(o -> containers(o).stream()).toList();
    }

    /** Probes, resources and the restricted security context on every container. */
    static List<String> check(List<Manifest> objects) {
        List<String> problems = new ArrayList<>();
        for (Manifest object : objects) {
            if (!hasPods(object)) {
                continue;
            }
            Map<String, Object> pod = podSpec(object);
            for (String hostNamespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Boolean.TRUE.equals(pod.get(hostNamespace))) {
                    problems.add(object.id() + ": " + hostNamespace + " is not allowed");
                }
            }
            for (Container container : containers(object)) {
                checkContainer(container, pod, problems);
            }
        }
        return problems;
    }

    private static void checkContainer(Container container, Map<String, Object> pod, List<String> problems) {
        String id = container.id();
        Map<String, Object> body = container.body();
        boolean sidecar = container.init() && "Always".equals(body.get("restartPolicy"));
        boolean needsProbes = !RUN_TO_COMPLETION.contains(container.owner().kind()) && (!container.init() || sidecar);
        if (needsProbes) {
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                if (!(body.get(probe) instanceof Map<?, ?>)) {
                    problems.add(id + ": no " + probe);
                }
            }
        }
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (Yamls.at(body, "resources", bound, resource) == null) {
                    problems.add(id + ": no resources." + bound + "." + resource);
                }
            }
        }
        Map<String, Object> security = Yamls.map(body.get("securityContext"));
        Map<String, Object> podSecurity = Yamls.map(pod.get("securityContext"));
        Object runAsNonRoot = security.containsKey("runAsNonRoot") ? security.get("runAsNonRoot")
                : podSecurity.get("runAsNonRoot");
        if (!Boolean.TRUE.equals(runAsNonRoot)) {
            problems.add(id + ": securityContext.runAsNonRoot must be true (container or pod)");
        }
        Object runAsUser = security.containsKey("runAsUser") ? security.get("runAsUser") : podSecurity.get("runAsUser");
        if (Integer.valueOf(0).equals(runAsUser)) {
            problems.add(id + ": runAsUser 0 (root)");
        }
        if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
            problems.add(id + ": securityContext.allowPrivilegeEscalation must be false");
        }
        if (Boolean.TRUE.equals(security.get("privileged"))) {
            problems.add(id + ": privileged");
        }
        List<Object> drop = Yamls.list(Yamls.at(security, "capabilities", "drop"));
        if (!drop.contains("ALL")) {
            problems.add(id + ": securityContext.capabilities.drop must contain ALL");
        }
        for (Object added : Yamls.list(Yamls.at(security, "capabilities", "add"))) {
            if (!"NET_BIND_SERVICE".equals(added)) {
                problems.add(id + ": capability " + added + " added (restricted allows only NET_BIND_SERVICE)");
            }
        }
        Object seccomp = security.containsKey("seccompProfile") ? Yamls.at(security, "seccompProfile", "type")
                : Yamls.at(podSecurity, "seccompProfile", "type");
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
            problems.add(id + ": seccompProfile.type must be RuntimeDefault (container or pod), is " + seccomp);
        }
        if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
            problems.add(id + ": securityContext.readOnlyRootFilesystem must be true");
        }
    }
}
