#!/usr/bin/env bash
# Proves offline that the three service images build reproducibly and run as the Deployments run them
# (docs/images.md). No Docker engine, no registry:
#   1. podman and runc from Debian's packages, if missing
#   2. the local base image: a jlink JRE as a docker-archive tarball (.ci/jre-base-image.sh)
#   3. the images with `jib:buildTar` on that base, twice: both builds must give the same digests
#   4. MongoDB and Kafka as local processes (local-stack `infra`), then each image in podman with the Deployments'
#      limits: healthy on the management port, one API call, stopped
# The images' start-up times, with and without their AOT cache, are measured by the benchmark harness
# (`benchmarks.jar --images`, docs/benchmarks.md), which also proves that the cached images start.
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
INFRA_PID=""
LOADED=()

cleanup() {
  local status=$?
  set +e
  "${PODMAN[@]}" rm -f -t 5 "$CONTAINER" >/dev/null 2>&1
  ((${#LOADED[@]} == 0)) || "${PODMAN[@]}" rmi -f "${LOADED[@]}" >/dev/null 2>&1
  if [ -n "$INFRA_PID" ]; then kill -TERM "$INFRA_PID"; wait "$INFRA_PID"; fi   # its shutdown hook stops both
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "FAILED: $*" >&2; exit 1; }

echo "== tools: podman, runc (Debian's packages)"
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc; } >/dev/null
fi
podman --version && runc --version | head -n 1

echo "== base image"
mkdir -p "$WORK"
.ci/jre-base-image.sh "$BASE"

# build <label> [modules...]: the three images (and the extra modules' jars) in one reactor run; `package` because
# Maven resolves contracts and service-support from the reactor only when they are packaged in the same run.
build() {
  local label="$1" modules=(apps/accounts apps/orders apps/fulfillment) svc
  shift
  modules+=("$@")
  ./mvnw -B -q -ntp -pl "$(IFS=,; echo "${modules[*]}")" -am -DskipTests -Dmaven.jar.forceCreation=true \
    package jib:buildTar "-Djib.from.image=tar://$BASE" -Djib.from.platforms=linux/amd64 \
    "-Dgit.commit=$(git rev-parse HEAD)"
  for svc in "${SERVICES[@]}"; do cp "apps/$svc/target/jib-image.digest" "$WORK/$svc-$label.digest"; done
}

echo "== images: jib:buildTar on the local base, twice"
build 1 apps/local-stack                    # local-stack: its jar runs MongoDB and Kafka below
build 2
for svc in "${SERVICES[@]}"; do
  cmp -s "$WORK/$svc-1.digest" "$WORK/$svc-2.digest" \
    || fail "storefront/$svc is not reproducible: $(cat "$WORK/$svc-1.digest") then $(cat "$WORK/$svc-2.digest")"
  echo "storefront/$svc: $(du -m "apps/$svc/target/jib-image.tar" | cut -f1) MiB, both builds $(cat "$WORK/$svc-2.digest")"
done

echo "== MongoDB and Kafka (local-stack infra)"
java -jar apps/local-stack/target/local-stack.jar infra --mongo-port "$MONGO_PORT" --kafka-port "$KAFKA_PORT" \
  --data-dir "$WORK/infra" >"$WORK/infra.log" 2>&1 &
INFRA_PID=$!
deadline=$((SECONDS + 180))
until grep -q '^Infrastructure ready' "$WORK/infra.log"; do
  { kill -0 "$INFRA_PID" 2>/dev/null && ((SECONDS < deadline)); } \
    || { cat "$WORK/infra.log" >&2; fail "MongoDB/Kafka did not start within 180 s"; }
  sleep 0.5
done
grep '^Infrastructure ready' "$WORK/infra.log"

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
