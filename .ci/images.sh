#!/usr/bin/env bash
# Proves offline that the three service images build reproducibly and run as the Deployments run them
# (docs/images.md). No Docker engine, no registry:
#   1. podman, runc and jq from Debian's packages, if missing
#   2. the local base image: a jlink JRE as a docker-archive tarball (.ci/jre-base-image.sh)
#   3. the images with `jib:buildTar` on that base, twice: both builds must give the same digests; in between, accounts
#      with one more class, which must change only the application jar's layer; each image's layers and sizes printed
#   4. MongoDB and Kafka as local processes (local-stack `infra`), then each image in podman with the Deployments'
#      limits: healthy on the management port, one API call, stopped
# The images' start-up times, with and without their AOT cache, are measured by the benchmark harness
# (`benchmarks.jar --images`, docs/benchmarks.md), which also proves that the cached images start and that each is
# the plain image plus its cache's layer.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(accounts orders fulfillment)
declare -A API=([accounts]=accounts/customers/summary [orders]=orders/customers/summary
                [fulfillment]=fulfillment/fulfillments/summary)
WORK="$PWD/target/images"
BASE="$WORK/base-jre25.tar"
MONGO_PORT=27217 KAFKA_PORT=29292          # not the defaults: another stack on the machine may hold those
APP_PORT=18080 MANAGEMENT_PORT=18081
# runc: crun cannot handle the hybrid cgroup layout of some CI machines; explicit ulimits: podman's defaults may
# exceed the hard limits (docs/images.md).
PODMAN=(podman --runtime runc)
RUN_OPTIONS=(--network=host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024
             --memory=512m --cpus=1 --read-only --user 1000:1000 --cap-drop=ALL --security-opt=no-new-privileges)
CONTAINER=storefront-images-check
PROBE=apps/accounts/target/classes/io/storefront/accounts/ImageLayerProbe.class   # a code-only change, below
INFRA_PID=""
LOADED=()

cleanup() {
  local status=$?
  set +e
  rm -f "$PROBE"
  "${PODMAN[@]}" rm -f -t 5 "$CONTAINER" >/dev/null 2>&1
  ((${#LOADED[@]} == 0)) || "${PODMAN[@]}" rmi -f "${LOADED[@]}" >/dev/null 2>&1
  if [ -n "$INFRA_PID" ]; then kill -TERM "$INFRA_PID"; wait "$INFRA_PID"; fi   # its shutdown hook stops both
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "FAILED: $*" >&2; exit 1; }
# shellcheck source=.ci/infra.sh
. .ci/infra.sh

echo "== tools: podman, runc, jq (Debian's packages)"
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v jq >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc jq; } >/dev/null
fi
podman --version && runc --version | head -n 1

echo "== base image"
mkdir -p "$WORK"
.ci/jre-base-image.sh "$BASE"

# build <label> <modules...>: the modules' images (and jars) in one reactor run; `package` because Maven resolves
# contracts and service-support from the reactor only when they are packaged in the same run.
build() {
  local label="$1" module digest
  shift
  ./mvnw -B -q -ntp -pl "$(IFS=,; echo "$*")" -am -DskipTests -Dmaven.jar.forceCreation=true \
    package jib:buildTar "-Djib.from.image=tar://$BASE" -Djib.from.platforms=linux/amd64 \
    "-Dgit.commit=$(git rev-parse HEAD)"
  for module in "$@"; do     # local-stack has no image
    digest="$module/target/jib-image.digest"
    [ ! -f "$digest" ] || cp "$digest" "$WORK/${module##*/}-$label.digest"
  done
}

# layers <image tarball>: one line per layer, base first:
#   <diff id> <compressed bytes> <unpacked bytes> /<folder of its first file> <Jib's description of the layer>
layers() {
  local dir config files diff_ids comments i file
  dir="$(mktemp -d "$WORK/layers.XXXXXX")"
  tar -xf "$1" -C "$dir"
  config="$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
  mapfile -t files < <(jq -r '.[0].Layers[]' "$dir/manifest.json")
  mapfile -t diff_ids < <(jq -r '.rootfs.diff_ids[]' "$config")
  mapfile -t comments < <(jq -r '.history[] | select(.empty_layer != true) | .comment // .created_by' "$config")
  for i in "${!files[@]}"; do
    file="$dir/${files[$i]}"
    echo "${diff_ids[$i]} $(stat -c %s "$file") $(gzip -dc "$file" | wc -c)" \
      "/$(tar --warning=no-unknown-keyword -tzf "$file" | grep -v '/$' | sed -n '1{s|^\./||; s|/[^/]*$||; p}')" \
      "${comments[$i]}"
  done
  rm -rf "$dir"
}
size() { awk -v b="$1" 'BEGIN { if (b < 1048576) printf "%.0f KiB", b / 1024; else printf "%.1f MiB", b / 1048576 }'; }

SERVICE_MODULES=("${SERVICES[@]/#/apps/}")
echo "== images: jib:buildTar on the local base; accounts with one more class; all again"
build 1 "${SERVICE_MODULES[@]}" apps/local-stack          # local-stack: its jar runs MongoDB and Kafka below
# A code-only change: one more (empty) class in accounts' jar, then removed before the second build.
printf 'package io.storefront.accounts;\nfinal class ImageLayerProbe {\n}\n' >"$WORK/ImageLayerProbe.java"
javac --release 17 -d "$WORK/probe" "$WORK/ImageLayerProbe.java"
cp "$WORK/probe/io/storefront/accounts/ImageLayerProbe.class" "$PROBE"
build probe apps/accounts
layers apps/accounts/target/jib-image.tar >"$WORK/accounts-probe.layers"
rm "$PROBE"
build 2 "${SERVICE_MODULES[@]}"

for svc in "${SERVICES[@]}"; do
  cmp -s "$WORK/$svc-1.digest" "$WORK/$svc-2.digest" \
    || fail "storefront/$svc is not reproducible: $(cat "$WORK/$svc-1.digest") then $(cat "$WORK/$svc-2.digest")"
  layers "apps/$svc/target/jib-image.tar" >"$WORK/$svc.layers"
  echo "storefront/$svc: tarball $(size "$(stat -c %s "apps/$svc/target/jib-image.tar")"), both builds" \
    "$(cat "$WORK/$svc-2.digest"); layers compressed (unpacked):"
  while read -r _ compressed unpacked folder comment; do
    printf '  %-16s %-32s %10s (%s)\n' "$folder" "$comment" "$(size "$compressed")" "$(size "$unpacked")"
  done <"$WORK/$svc.layers"
done

echo "== accounts with one more class: only the application jar's layer differs"
changed="$(join -v 2 <(cut -d' ' -f1 "$WORK/accounts.layers" | sort) <(sort "$WORK/accounts-probe.layers"))"
echo "$changed" | while read -r id compressed _ folder _; do echo "  $folder $(size "$compressed") ${id:7:12}"; done
[ "$(wc -l <<<"$changed")" = 1 ] && [ "$(cut -d' ' -f4 <<<"$changed")" = /app/classpath ] \
  || fail "a code-only change must rebuild only the application jar's layer (/app/classpath)"

echo "== MongoDB and Kafka (local-stack infra)"
start_infra

for svc in "${SERVICES[@]}"; do
  echo "== storefront/$svc in podman: 512 MiB, 1 CPU, read-only root, uid 1000, no capabilities"
  id="$(cut -d: -f2 "apps/$svc/target/jib-image.id")"
  "${PODMAN[@]}" load -q -i "apps/$svc/target/jib-image.tar" >/dev/null
  LOADED+=("$id")
  "${PODMAN[@]}" run -d --replace --name "$CONTAINER" "${RUN_OPTIONS[@]}" \
    --env "SPRING_MONGODB_URI=mongodb://127.0.0.1:$MONGO_PORT/$svc" \
    --env "SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT" \
    --env "SERVER_PORT=$APP_PORT" --env "MANAGEMENT_SERVER_PORT=$MANAGEMENT_PORT" \
    --env SERVER_ADDRESS=127.0.0.1 --env MANAGEMENT_SERVER_ADDRESS=127.0.0.1 "$id" >/dev/null
  # Health is UP only once the service reaches MongoDB and Kafka too.
  deadline=$((SECONDS + 180))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health" 2>/dev/null; do
    if [ "$("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$CONTAINER")" != true ] || ((SECONDS >= deadline)); then
      "${PODMAN[@]}" logs "$CONTAINER" 2>&1 | tail -n 40 >&2
      fail "storefront/$svc was not healthy within 180 s"
    fi
    sleep 0.5
  done
  "${PODMAN[@]}" logs "$CONTAINER" 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds' || true
  answer="$(curl -fsS --max-time 10 "http://127.0.0.1:$APP_PORT/${API[$svc]}")" \
    || fail "storefront/$svc: GET /${API[$svc]} failed"
  echo "GET /${API[$svc]} -> ${answer:0:120}"
  "${PODMAN[@]}" stop -t 25 "$CONTAINER" >/dev/null
  "${PODMAN[@]}" rm "$CONTAINER" >/dev/null
done
echo "== images OK"
