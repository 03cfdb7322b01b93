#!/usr/bin/env bash
# Records the AOT cache (JEP 483/514) of one service image with the image's own JVM. A cache only works with the very
# JVM build, module image and class path that recorded it, so it is made by running the image, not the build
# machine's JDK. The next image build adds it with `-Paot-cache` (docs/images.md).
#
#   .ci/train-aot-cache.sh <service> <image> [container run options...]
#   -> apps/<service>/target/aot-cache/<service>.aot   (the benchmark's bare-app: apps/benchmarks/bare-app/target/...)
#
# Two containers, as in JEP 483: a training run records which classes the application loads and links, then a JVM
# that runs no application code assembles the cache from that record. (Java 25 can do both in one run, but then the
# assembling JVM is a child of the training JVM and the two together exceed the 512 MiB limit.) Both keep the image's
# entrypoint; JDK_JAVA_OPTIONS, which the java launcher reads, adds the AOT options, and the training run ends the
# application right after its context refresh (`spring.context.exit=onRefresh`, the training Spring Boot documents
# for CDS and AOT caches). No network: the MongoDB and Kafka clients are created but reach nothing, so no database or
# broker is needed. The Deployments' limits (512 MiB, 1 CPU), so the JVM picks the collector it will use in the pod.
# Files move with `cp` rather than a bind mount, so a remote daemon (minikube's Docker) works too.
#
# CONTAINER_ENGINE selects the client: docker (default) or podman, with its options ("podman --runtime /usr/sbin/runc").
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { echo "usage: $0 <service> <image> [container run options...]" >&2; exit 2; }
svc="$1" image="$2"; shift 2
run_options=("$@")
read -r -a engine <<<"${CONTAINER_ENGINE:-docker}"
module="apps/$svc"
[ -d "$module" ] || module="apps/benchmarks/$svc"   # the benchmark's bare app is a module inside apps/benchmarks
out="$PWD/$module/target/aot-cache"
logs="$PWD/$module/target"              # next to the cache, not in it: only the cache goes into the image
container="storefront-aot-$svc-$$"
config="/tmp/$svc.aotconf" cache="/tmp/$svc.aot"

trap '"${engine[@]}" rm -f "$container" >/dev/null 2>&1 || true' EXIT
rm -rf "$out"
mkdir -p "$out"
started="$EPOCHREALTIME"

step() {  # step <name> <JDK_JAVA_OPTIONS> [file to copy in]: one container, left stopped for `cp` to read from
  "${engine[@]}" rm -f "$container" >/dev/null 2>&1 || true
  "${engine[@]}" create --name "$container" --network=none --memory=512m --cpus=1 --cap-drop=ALL \
    --security-opt=no-new-privileges "${run_options[@]}" -e "JDK_JAVA_OPTIONS=$2" "$image" >/dev/null
  [ -z "${3:-}" ] || "${engine[@]}" cp "$3" "$container:/tmp/"
  if ! "${engine[@]}" start -a "$container" >"$logs/aot-$1.log" 2>&1; then
    tail -n 30 "$logs/aot-$1.log" >&2
    echo "AOT cache of $svc: the $1 run failed (log: $logs/aot-$1.log)" >&2
    exit 1
  fi
}

step record "-XX:AOTMode=record -XX:AOTConfiguration=$config -Dspring.context.exit=onRefresh"
"${engine[@]}" cp "$container:$config" "$logs/"
step create "-XX:AOTMode=create -XX:AOTConfiguration=$config -XX:AOTCache=$cache" "$logs/$svc.aotconf"
"${engine[@]}" cp "$container:$cache" "$out/"
[ -s "$out/$svc.aot" ] || { echo "AOT cache of $svc: nothing written (logs: $logs/aot-*.log)" >&2; exit 1; }
echo "$svc: AOT cache $(du -m "$out/$svc.aot" | cut -f1) MiB recorded in" \
  "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
