#!/usr/bin/env python3
"""Offline checks of the Argo CD wiring: .argocd/ and clusters/minikube/. Needs python3 with PyYAML and kubectl.

    python3 .argocd/verify-waves.py              check the repository; prints problems, exits 1 if there are any
    python3 .argocd/verify-waves.py --self-test  feed every check a broken copy of the model and expect it to fail

What is checked (the Java verification suite is to implement the same rules, see docs/gitops.md "Verification"):
  sources     every child Application's path exists and renders with `kubectl kustomize` (a folder in .argocd/
              whose only network need is a version-pinned upstream URL is rendered without that URL, i.e.
              .argocd/install); every chart source has an exact version;
              every source of this repository is labelled for .argocd/source and follows gitops-source
  policy      project exists; automated sync with prune + selfHeal; retry with back-off; resources-finalizer
              (except argocd); no CreateNamespace; ServerSideApply for Strimzi's CRD owner and CRs
  projects    sources allowed by the project's sourceRepos; destination and rendered namespaces allowed; cluster-
              scoped kinds whitelisted; namespaced kinds whitelisted where the project has a whitelist; only the
              namespaces app may use platform's `dev` destination
  waves       AppProjects before every Application; every custom resource after the app that owns its CRD group
              (annotation gitops.storefront/provides-crd-groups); every namespace created in an earlier wave than
              anything deployed into it; the declared dependencies below hold
Charts cannot be rendered offline: their contents (kinds, namespaces) are not checked here.
"""
import copy
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLUSTER = "clusters/minikube"
IN_CLUSTER = "https://kubernetes.default.svc"
WAVE = "argocd.argoproj.io/sync-wave"
CRD_GROUPS = "gitops.storefront/provides-crd-groups"
REPO_LABEL = "gitops.storefront/repo"
FINALIZER = "resources-finalizer.argocd.argoproj.io"
NO_FINALIZER = {"argocd"}  # deleting the Application must never uninstall Argo CD
BOOTSTRAP_NAMESPACES = {"argocd"}  # created by `kubectl apply -k .argocd/install` before the root Application
PINNED_VERSION = re.compile(r"v?\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?")
PINNED_REMOTE = re.compile(r"^https://[^ ]+/v?\d+\.\d+\.\d+/[^ ]+$")
BUILTIN_GROUPS = {"", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io",
                  "admissionregistration.k8s.io", "apiextensions.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
                  "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io"}
CLUSTER_SCOPED = {"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PersistentVolume",
                  "StorageClass", "PriorityClass", "IngressClass", "MutatingWebhookConfiguration",
                  "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"}
# Order that no CRD or namespace implies: (app, must come after these apps).
DEPENDS_ON = {
    "istiod": ["istio-base"],
    "istio-ingressgateway": ["istiod"],          # gateway pods are injected by istiod
    "prometheus": ["istiod"],                    # its certificate-only sidecar
    "kiali": ["istiod"],
    "kafka-topics": ["kafka-cluster"],           # the topic operator runs in the cluster's entity operator
    "zoo-entrance": ["kafka-cluster"],           # uses the cluster's certificates
    "mongo-express": ["mongodb"],
    "storefront": ["istiod", "mongodb", "kafka-topics"],
    "istio-routing": ["storefront", "istio-ingressgateway"],
}
SERVER_SIDE_APPLY = {"strimzi-operator", "kafka-cluster", "kafka-topics", "argocd"}


def kustomize(path):
    result = subprocess.run(["kubectl", "kustomize", str(ROOT / path)], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "kustomize failed"
    return [o for o in yaml.safe_load_all(result.stdout) if o], None


def group_of(obj):
    api = obj.get("apiVersion", "")
    return api.split("/")[0] if "/" in api else ""


def wave(obj):
    return int(obj.get("metadata", {}).get("annotations", {}).get(WAVE, "0"))


def sources(app):
    spec = app["spec"]
    return spec.get("sources") or ([spec["source"]] if spec.get("source") else [])


def load():
    """The model: rendered root, and what every path source of this repository renders (None if it cannot)."""
    root, error = kustomize(CLUSTER)
    if root is None:
        raise SystemExit(f"{CLUSTER} does not render: {error}")
    rendered = {}
    for app in (o for o in root if o["kind"] == "Application"):
        for source in sources(app):
            path = source.get("path")
            if path is not None and path not in rendered:
                rendered[path] = render_without_remote(path) if (ROOT / path).is_dir() else (None, "path does not exist")
    return {"root": root, "rendered": rendered}


def render_without_remote(path):
    """Render a folder whose only network dependency is a version-pinned upstream URL (.argocd/install): a copy of
    .argocd/ without that URL must render offline. Returns (objects, error) like kustomize()."""
    file = ROOT / path / "kustomization.yaml"
    if not file.is_file():
        return None, "path does not exist"
    kustomization = yaml.safe_load(file.read_text())
    remote = [r for r in kustomization.get("resources", []) if "://" in r]
    if not remote:
        return kustomize(path)
    unpinned = [r for r in remote if not PINNED_REMOTE.match(r)]
    if unpinned:
        return None, f"remote resources not pinned to a version: {unpinned}"
    if not path.startswith(".argocd/"):
        return None, "remote resources are only accepted in .argocd/"
    with tempfile.TemporaryDirectory() as temp:
        shutil.copytree(ROOT / ".argocd", pathlib.Path(temp) / ".argocd")
        copy_file = pathlib.Path(temp) / path / "kustomization.yaml"
        kustomization["resources"] = [r for r in kustomization["resources"] if r not in remote]
        copy_file.write_text(yaml.safe_dump(kustomization))
        result = subprocess.run(["kubectl", "kustomize", str(copy_file.parent)], capture_output=True, text=True)
    if result.returncode != 0:
        return None, f"does not render even without its upstream URL: {result.stderr.strip()}"
    return [o for o in yaml.safe_load_all(result.stdout) if o], None


def check(model):
    problems = []
    root, rendered = model["root"], model["rendered"]
    apps = {o["metadata"]["name"]: o for o in root if o["kind"] == "Application"}
    projects = {o["metadata"]["name"]: o for o in root if o["kind"] == "AppProject"}
    gitops = next((o for o in root if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "gitops-source"), None)
    if gitops is None:
        return ["ConfigMap gitops-source (.argocd/source) is not part of clusters/minikube"]
    repo, revision = gitops["data"]["repoURL"], gitops["data"]["targetRevision"]

    # --- AppProjects before Applications
    if projects and apps and max(map(wave, projects.values())) >= min(map(wave, apps.values())):
        problems.append("waves: every AppProject must be in an earlier wave than every Application")

    # --- per Application: sources, policy, projects
    namespaces_created = {}  # namespace -> (wave, app)
    crd_owner = {}           # CRD group -> (wave, app)
    for name, app in apps.items():
        meta, spec = app["metadata"], app["spec"]
        for group in filter(None, meta.get("annotations", {}).get(CRD_GROUPS, "").split(",")):
            crd_owner[group.strip()] = (wave(app), name)
        for obj in rendered.get(next((s["path"] for s in sources(app) if "path" in s), None), (None,))[0] or []:
            if obj["kind"] == "Namespace":
                namespaces_created[obj["metadata"]["name"]] = (wave(app), name)

    for name, app in sorted(apps.items()):
        meta, spec = app["metadata"], app["spec"]
        where = f"Application {name}"
        if WAVE not in meta.get("annotations", {}):
            problems.append(f"{where}: no {WAVE} annotation")
        project = projects.get(spec.get("project"))
        if project is None:
            problems.append(f"{where}: project {spec.get('project')!r} is not one of the AppProjects")
            continue
        policy = spec.get("syncPolicy", {})
        automated = policy.get("automated") or {}
        if not (automated.get("prune") and automated.get("selfHeal")):
            problems.append(f"{where}: automated sync needs prune and selfHeal")
        retry = policy.get("retry") or {}
        if not retry.get("limit") or not (retry.get("backoff") or {}).get("duration"):
            problems.append(f"{where}: retry with a limit and a back-off is missing")
        options = policy.get("syncOptions") or []
        if any(o.startswith("CreateNamespace=true") for o in options):
            problems.append(f"{where}: CreateNamespace=true (the namespaces app owns every namespace)")
        if name in SERVER_SIDE_APPLY and "ServerSideApply=true" not in options:
            problems.append(f"{where}: ServerSideApply=true is required (large CRDs / operator-managed CRs)")
        if spec.get("ignoreDifferences") and "RespectIgnoreDifferences=true" not in options:
            problems.append(f"{where}: ignoreDifferences without RespectIgnoreDifferences=true is undone by a sync")
        if (FINALIZER in meta.get("finalizers", [])) == (name in NO_FINALIZER):
            problems.append(f"{where}: {FINALIZER} must be set on every child app except {sorted(NO_FINALIZER)}")
        destination = spec.get("destination", {})
        if destination.get("server") != IN_CLUSTER:
            problems.append(f"{where}: destination server must be {IN_CLUSTER}")

        allowed_ns = {d["namespace"] for d in project["spec"].get("destinations", [])}
        allowed_repos = project["spec"].get("sourceRepos", [])
        cluster_kinds = {(k["group"], k["kind"]) for k in project["spec"].get("clusterResourceWhitelist") or []}
        ns_whitelist = project["spec"].get("namespaceResourceWhitelist")
        ns_kinds = {(k["group"], k["kind"]) for k in ns_whitelist or []}
        label = meta.get("labels", {}).get(REPO_LABEL)

        srcs = sources(app)
        targets = []  # namespaces this app deploys namespaced objects into
        for index, source in enumerate(srcs):
            if source.get("repoURL") not in allowed_repos:
                problems.append(f"{where}: source {source.get('repoURL')} is not in project {project['metadata']['name']}'s sourceRepos")
            if "chart" in source:
                if not PINNED_VERSION.fullmatch(str(source.get("targetRevision", ""))):
                    problems.append(f"{where}: chart {source['chart']} targetRevision {source.get('targetRevision')!r} is not an exact version")
                targets.append(destination.get("namespace"))
                continue
            path = source.get("path")
            if path is None:
                problems.append(f"{where}: source {index} has neither chart nor path")
                continue
            expected_label = "source" if spec.get("source") else f"sources-{index}"
            if label != expected_label:
                problems.append(f"{where}: {path} is this repository: label {REPO_LABEL}={expected_label} is needed for .argocd/source")
            if (source.get("repoURL"), source.get("targetRevision")) != (repo, revision):
                problems.append(f"{where}: {path} does not follow gitops-source ({repo} @ {revision})")
            objects, error = rendered.get(path, (None, "not rendered"))
            if objects is None:
                problems.append(f"{where}: {path} does not render: {error}")
                continue
            for obj in objects:
                kind, group = obj["kind"], group_of(obj)
                what = f"{where}: {kind} {obj['metadata']['name']}"
                if kind in CLUSTER_SCOPED:
                    if (group, kind) not in cluster_kinds:
                        problems.append(f"{what}: cluster-scoped kind not whitelisted in project {project['metadata']['name']}")
                else:
                    namespace = obj["metadata"].get("namespace") or destination.get("namespace")
                    targets.append(namespace)
                    if ns_whitelist is not None and (group, kind) not in ns_kinds:
                        problems.append(f"{what}: kind not in project {project['metadata']['name']}'s namespaceResourceWhitelist")
                if group not in BUILTIN_GROUPS:
                    owner = crd_owner.get(group)
                    if owner is None:
                        problems.append(f"{what}: no Application declares CRD group {group} ({CRD_GROUPS})")
                    elif owner[0] >= wave(app):
                        problems.append(f"{what}: CRD owner {owner[1]} (wave {owner[0]}) is not in an earlier wave than {wave(app)}")
        if not targets and destination.get("namespace") not in allowed_ns:
            problems.append(f"{where}: destination namespace {destination.get('namespace')} not allowed by the project")
        for namespace in sorted(set(targets)):
            if namespace not in allowed_ns:
                problems.append(f"{where}: deploys into {namespace}, not a destination of project {project['metadata']['name']}")
            if project["metadata"]["name"] == "platform" and namespace == "dev":
                problems.append(f"{where}: platform apps do not deploy into dev (only the namespaces app creates it)")
            if namespace in BOOTSTRAP_NAMESPACES:
                continue
            created = namespaces_created.get(namespace)
            if created is None:
                problems.append(f"{where}: namespace {namespace} is not created by any Application")
            elif created[0] >= wave(app):
                problems.append(f"{where}: namespace {namespace} is created by {created[1]} (wave {created[0]}), not before wave {wave(app)}")

    for name, dependencies in DEPENDS_ON.items():
        for dependency in dependencies:
            if name in apps and dependency in apps and wave(apps[dependency]) >= wave(apps[name]):
                problems.append(f"waves: {name} (wave {wave(apps[name])}) must come after {dependency} (wave {wave(apps[dependency])})")
            elif name not in apps or dependency not in apps:
                problems.append(f"waves: dependency {name} -> {dependency} names an Application that does not exist")
    return problems


def self_test(model):
    """Each rule, fed a broken copy of the real model, must report a problem."""
    def app(m, name):
        return next(o for o in m["root"] if o["kind"] == "Application" and o["metadata"]["name"] == name)

    def project(m, name):
        return next(o for o in m["root"] if o["kind"] == "AppProject" and o["metadata"]["name"] == name)

    def set_wave(name, value):
        return lambda m: app(m, name)["metadata"]["annotations"].__setitem__(WAVE, value)

    breakages = {
        "CR before its CRD owner": set_wave("kafka-topics", "0"),
        "CRD owner not declared": lambda m: app(m, "strimzi-operator")["metadata"]["annotations"].pop(CRD_GROUPS),
        "namespace created too late": set_wave("namespaces", "5"),
        "declared dependency broken": set_wave("istio-routing", "6"),
        "project after applications": lambda m: project(m, "platform")["metadata"]["annotations"].__setitem__(WAVE, "9"),
        "floating chart version": lambda m: app(m, "kiali")["spec"]["source"].__setitem__("targetRevision", "2.*"),
        "chart version HEAD": lambda m: app(m, "istiod")["spec"]["source"].__setitem__("targetRevision", "HEAD"),
        "missing source path": lambda m: app(m, "cmak")["spec"]["source"].__setitem__("path", "clusters/minikube/nope"),
        "unlabelled repo source": lambda m: app(m, "mongodb")["metadata"]["labels"].pop(REPO_LABEL),
        "source not from gitops-source": lambda m: app(m, "storefront")["spec"]["source"].__setitem__("targetRevision", "other"),
        "chart repo not allowed": lambda m: project(m, "platform")["spec"]["sourceRepos"].remove("https://kiali.org/helm-charts"),
        "CreateNamespace": lambda m: app(m, "mongodb")["spec"]["syncPolicy"].setdefault("syncOptions", []).append("CreateNamespace=true"),
        "no finalizer": lambda m: app(m, "mongodb")["metadata"].pop("finalizers"),
        "no selfHeal": lambda m: app(m, "cmak")["spec"]["syncPolicy"]["automated"].pop("selfHeal"),
        "no retry": lambda m: app(m, "cmak")["spec"]["syncPolicy"].pop("retry"),
        "no ServerSideApply for Strimzi": lambda m: app(m, "strimzi-operator")["spec"]["syncPolicy"].pop("syncOptions"),
        "unknown project": lambda m: app(m, "kiali")["spec"].__setitem__("project", "default"),
        "namespace not a destination": lambda m: project(m, "platform")["spec"]["destinations"].pop(),
        "kind not whitelisted": lambda m: project(m, "storefront")["spec"]["namespaceResourceWhitelist"].pop(0),
        "cluster kind not whitelisted": lambda m: project(m, "platform")["spec"].__setitem__("clusterResourceWhitelist", []),
        "platform app in dev": lambda m: app(m, "kiali")["spec"]["destination"].__setitem__("namespace", "dev"),
    }
    failures = []
    for name, breakage in breakages.items():
        broken = copy.deepcopy(model)
        try:
            breakage(broken)
        except (KeyError, StopIteration, ValueError, IndexError) as error:
            failures.append(f"{name}: could not break the model ({error!r})")
            continue
        if "missing source path" == name:
            broken["rendered"]["clusters/minikube/nope"] = (None, "path does not exist")
        if not check(broken):
            failures.append(f"{name}: not detected")
    return failures, len(breakages)


def main():
    model = load()
    problems = check(model)
    for problem in problems:
        print(f"FAIL {problem}")
    if "--self-test" in sys.argv[1:]:
        failures, total = self_test(model)
        for failure in failures:
            print(f"SELF-TEST FAIL {failure}")
        print(f"self-test: {total - len(failures)}/{total} broken cases detected")
        problems += failures
    apps = sorted((wave(o), o["metadata"]["name"]) for o in model["root"] if o["kind"] == "Application")
    if not problems:
        print(f"ok: {len(apps)} Applications in waves " + ", ".join(f"{w}:{n}" for w, n in apps))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
