package io.storefront.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SizingTest {

    static List<Manifest> applications() {
        return Rendered.folder(WaveOrder.CLUSTER).objectsOrFail().stream().filter(o -> o.is("Application")).toList();
    }

    static List<Sizing.Line> repositoryLines() {
        return Sizing.lines(Rendered.cluster(), applications());
    }

    @Test
    void requestsFitTheSizingBudget() {
        assertThat(Sizing.check(repositoryLines(), Sizing.BUDGET)).isEmpty();
    }

    @Test
    void documentedPlatformTotalMatchesTheManifests() {
        List<Sizing.Line> steady = repositoryLines().stream()
                .filter(l -> !l.transientLoad() && l.requests() != Sizing.ARGOCD).toList();
        assertThat(Sizing.total(steady, false))
                .isEqualTo(Sizing.documentedPlatformTotal(Repository.read("docs/platform.md")));
    }

    @Test
    void argoCdPatchesStayInsideTheDocumentedBudget() {
        assertThat(Sizing.argoCdPatches(Yamls.parseMap(Repository.read(".argocd/config/kustomization.yaml")))).isEmpty();
    }

    @Test
    void quantities() {
        assertThat(Sizing.cpu("100m")).isEqualTo(100);
        assertThat(Sizing.cpu("1")).isEqualTo(1000);
        assertThat(Sizing.cpu(0.5)).isEqualTo(500);
        assertThat(Sizing.memory("384Mi")).isEqualTo(384L << 20);
        assertThat(Sizing.memory("1Gi")).isEqualTo(1L << 30);
        assertThat(Sizing.memory("512M")).isEqualTo(512_000_000L);
    }

    @Test
    void overBudgetIsReported() {
        List<Manifest> cluster = new ArrayList<>(Rendered.cluster().stream().map(Manifest::copy).toList());
        CrossReferencesTest.find(cluster, "Deployment", "orders").spec().put("replicas", 40);
        assertThat(Sizing.check(Sizing.lines(cluster, applications()), Sizing.BUDGET))
                .anySatisfy(p -> assertThat(p).contains("exceed the sizing budget"));

        List<Manifest> hungryChart = applications().stream().map(Manifest::copy).toList();
        Yamls.map(Yamls.at(hungryChart.stream().filter(a -> "kiali".equals(a.name())).findFirst().orElseThrow().spec(),
                "sources", "1", "helm", "valuesObject", "deployment", "resources", "requests")).put("memory", "4Gi");
        assertThat(Sizing.check(Sizing.lines(Rendered.cluster(), hungryChart), Sizing.BUDGET)).isNotEmpty();
    }

    @Test
    void argoCdPatchAboveItsBudgetIsReported() {
        assertThat(Sizing.argoCdPatches(Yamls.parseMap("""
                patches:
                  - target: {kind: StatefulSet, name: argocd-application-controller}
                    patch: |-
                      - op: add
                        path: /spec/template/spec/containers/0/resources
                        value:
                          requests: {cpu: "2", memory: 2Gi}
                """))).anySatisfy(p -> assertThat(p).contains("exceed the documented Argo CD budget"));
    }

    @AfterAll
    static void summary() {
        List<Sizing.Line> lines = repositoryLines();
        StringBuilder out = new StringBuilder("[manifest-verification] resource requests (clusters/minikube):\n");
        lines.forEach(l -> out.append(String.format("    %-90s %s%s%n", l.what(), l.requests(),
                l.transientLoad() ? " (transient)" : "")));
        out.append(String.format("    steady state without Argo CD: %s; with Argo CD: %s; with Jobs: %s; budget %s",
                Sizing.total(lines.stream().filter(l -> l.requests() != Sizing.ARGOCD).toList(), false),
                Sizing.total(lines, false), Sizing.total(lines, true), Sizing.BUDGET));
        System.out.println(out);
    }
}
