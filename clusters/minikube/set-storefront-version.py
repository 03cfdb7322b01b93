#!/usr/bin/env python3
"""Set the deployed storefront version in clusters/minikube/storefront/kustomization.yaml.

    clusters/minikube/set-storefront-version.py TAG [--registry REGISTRY]

Changes, and nothing else in the file (its comments stay where they are):
  - images:  newTag of storefront/accounts, storefront/orders, storefront/fulfillment -> TAG;
             with --registry (e.g. ghcr.io/alice) also newName -> REGISTRY/storefront/<svc>; without it newName is
             removed, i.e. the images built into minikube's Docker (storefront/<svc>:TAG) are used;
  - labels:  version and app.kubernetes.io/version -> TAG (Kiali and the Prometheus `version` label read them).
Then renders the folder with `kubectl kustomize` (when kubectl is installed) and checks every storefront container
and pod template carries the new values.

Why not `kustomize edit set image`: it rewrites the whole file and moves or drops comments
(kubernetes-sigs/kustomize#4481), and this file's comments mark its dev-only credentials. The result is the same
`images:` entry `kustomize edit set image storefront/<svc>=[REGISTRY/]storefront/<svc>:TAG` would write.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

SERVICES = ("accounts", "orders", "fulfillment")
OVERLAY = pathlib.Path(__file__).resolve().parent / "storefront"
TAG_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
REGISTRY_PATTERN = re.compile(r"[a-z0-9]([a-z0-9._:-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*")


def edit(text, tag, registry):
    lines = text.splitlines(keepends=True)
    out, i, seen, in_images = [], 0, set(), False
    while i < len(lines):
        line = lines[i]
        if re.match(r"^\S", line):
            in_images = line.startswith("images:")
        match = re.match(r"^(\s*)- name: storefront/(\w+)\s*$", line) if in_images else None
        if match and match.group(2) in SERVICES:
            indent, svc = match.group(1) + "  ", match.group(2)
            seen.add(svc)
            out.append(line)
            i += 1
            # Drop the entry's existing fields; write newName (registry only) and newTag.
            while i < len(lines) and re.match(r"^" + re.escape(indent) + r"(newName|newTag|digest):", lines[i]):
                i += 1
            if registry:
                out.append(f"{indent}newName: {registry}/storefront/{svc}\n")
            out.append(f"{indent}newTag: \"{tag}\"\n")
            continue
        label = re.match(r"^(\s+)(version|app\.kubernetes\.io/version):\s*\S.*$", line)
        if label and not in_images:
            out.append(f"{label.group(1)}{label.group(2)}: \"{tag}\"\n")
            seen.add(label.group(2))
            i += 1
            continue
        out.append(line)
        i += 1
    missing = set(SERVICES + ("version", "app.kubernetes.io/version")) - seen
    if missing:
        raise SystemExit(f"{OVERLAY / 'kustomization.yaml'}: no entry for {sorted(missing)}; not changed")
    return "".join(out)


def check_rendered(tag, registry):
    if shutil.which("kubectl") is None:
        print("kubectl not installed: rendered result not checked")
        return
    rendered = subprocess.run(["kubectl", "kustomize", str(OVERLAY)], check=True, capture_output=True,
                              text=True).stdout
    for svc in SERVICES:
        image = f"{registry + '/' if registry else ''}storefront/{svc}:{tag}"
        if f"image: {image}\n" not in rendered:
            raise SystemExit(f"rendered overlay does not use {image}")
    if rendered.count(f'version: "{tag}"') + rendered.count(f"version: {tag}\n") < 2 * len(SERVICES):
        raise SystemExit(f"rendered overlay does not carry the version label {tag} on every workload")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tag")
    parser.add_argument("--registry", help="image registry prefix, e.g. ghcr.io/alice (default: minikube's Docker)")
    args = parser.parse_args()
    if not TAG_PATTERN.fullmatch(args.tag) or args.tag == "latest":
        raise SystemExit(f"not a usable image tag: {args.tag!r} (no 'latest': a new tag is what rolls the pods)")
    registry = args.registry.rstrip("/") if args.registry else None
    if registry and not REGISTRY_PATTERN.fullmatch(registry):
        raise SystemExit(f"not a registry prefix: {registry!r} (lowercase, e.g. ghcr.io/alice)")
    path = OVERLAY / "kustomization.yaml"
    before = path.read_text()
    path.write_text(edit(before, args.tag, registry))
    try:
        check_rendered(args.tag, registry)
    except (SystemExit, subprocess.CalledProcessError):
        path.write_text(before)
        raise
    print(f"{path.relative_to(OVERLAY.parent.parent.parent)}: storefront images and version labels set to {args.tag}"
          + (f" from {registry}" if registry else " (minikube's Docker)"))


if __name__ == "__main__":
    sys.exit(main())
