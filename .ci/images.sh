#!/usr/bin/env bash
# Offline proof that the three service images build and run (docs/images.md). No Docker engine, no registry:
#
#   1. base image: a Java 25 JRE made with jlink from the local Temurin 25 JDK, plus the few system libraries it
#      links and /etc/passwd, packed as a docker-archive tarball (sorted, mtime 0: the same bytes every time)
#   2. the three images with `jib:buildTar -Djib.from.image=tar://<base>` (Jib's default base is on Docker Hub);
#      a second build must give the same image digests, and one more class in accounts must change only the layer
#      of the application jar
#   3. an AOT cache for each image, recorded by running the image itself (.ci/train-aot-cache.sh), and the images
#      built again with it (`-Paot-cache`): the same layers plus one, the cache
#   4. MongoDB and Kafka as local processes (local-stack `infra`), then each image, without and with its cache, in
#      podman (runc, host network, explicit ulimits, the Deployments' limits and read-only root), or, where podman
#      cannot run, the image's layers unpacked and its own entrypoint run in a chroot: ready on the management port,
#      one API call, stop; the JVM must not reject the cache
#
# Prints each image's size, its layers and the time to ready without and with the AOT cache, also as a ratio to the
# bare WebFlux app's images. Needs apps/local-stack/target/local-stack.jar (built by ./mvnw verify or package); the
# services are packaged by the script's own reactor run.
# Environment: IMAGES_RUNNER=auto|podman|chroot (default auto: podman, installed with apt-get if missing, else the
# chroot), IMAGES_WORK_DIR (default target/images), TEMURIN25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(accounts orders fulfillment)
RUNNER="${IMAGES_RUNNER:-auto}"
WORK="$(mkdir -p "${IMAGES_WORK_DIR:-target/images}" && cd "${IMAGES_WORK_DIR:-target/images}" && pwd)"
JDK="${TEMURIN25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
BASE_TAR="$WORK/base-jre25.tar"
RUNC=/usr/sbin/runc
# Unusual ports: other stacks on this machine may hold the defaults (27017, 9092, 8080...).
MONGO_PORT=27217
KAFKA_PORT=29292                      # its KRaft controller takes 29293
# The benchmark's bare WebFlux app (apps/benchmarks/bare-app) as an image too: the baseline of the start-up times.
BARE=bare-app
declare -A MODULE=([accounts]=apps/accounts [orders]=apps/orders [fulfillment]=apps/fulfillment
                   [$BARE]=apps/benchmarks/$BARE)
declare -A APP_PORT=([accounts]=18080 [orders]=18180 [fulfillment]=18280 [$BARE]=18380)   # management port: +1
declare -A API_PATH=([accounts]=accounts/customers/summary [orders]=orders/customers/summary
                     [fulfillment]=fulfillment/fulfillments/summary [$BARE]='bare?bytes=16')
declare -A READY=()                   # seconds to ready, by "<svc> <label>"
PROBE_CLASS=apps/accounts/target/classes/io/storefront/accounts/ImageLayerProbe.class

# --- cleanup: everything started here is stopped, also on failure or Ctrl-C --------------------------------------
INFRA_PID=""
CHROOT_PID=""
LOADED_IMAGES=()
cleanup() {
  local status=$?
  set +e
  rm -f "$PROBE_CLASS"
  for svc in "${SERVICES[@]}" "$BARE"; do
    command -v podman >/dev/null && podman --runtime "$RUNC" rm -f -t 5 "storefront-ci-$svc" >/dev/null 2>&1
  done
  [ -n "$CHROOT_PID" ] && stop_chroot
  ((${#LOADED_IMAGES[@]})) && podman rmi -f "${LOADED_IMAGES[@]}" >/dev/null 2>&1
  if [ -n "$INFRA_PID" ] && kill -0 "$INFRA_PID" 2>/dev/null; then
    kill -TERM "$INFRA_PID"            # its shutdown hook stops Kafka and MongoDB
    wait "$INFRA_PID" 2>/dev/null
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in jq curl; do
  command -v "$tool" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool"; } >/dev/null
done

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
size() { awk -v b="$1" 'BEGIN { if (b < 1048576) printf "%.1f KiB", b / 1024; else printf "%.1f MiB", b / 1048576 }'; }

# Offline once the Jib plugin is in the local repository (`verify` does not bind Jib: a fresh cache fetches it once).
mvn() {
  local offline=()
  [ -d "${HOME}/.m2/repository/com/google/cloud/tools/jib-maven-plugin" ] && offline=(-o)
  ./mvnw -B -q "${offline[@]}" "$@"
}

# Machines shared by several builds serialise Maven with this lock. All image builds run under one hold of it: a jar
# rebuilt by someone else between two builds would make the reproducibility check compare different inputs.
lock_maven() {
  command -v flock >/dev/null || return 0
  exec 9>/tmp/storefront-maven.lock
  flock -n 9 || { echo "(waiting for another Maven build to finish)"; flock 9; }
}
unlock_maven() {
  command -v flock >/dev/null || return 0
  flock -u 9
  exec 9>&-
}

# --- 1. base image -------------------------------------------------------------------------------------------------
# java.se: Spring Data's AOT repository support needs java.compiler, so a hand-picked list fails at runtime.
JRE_MODULES=java.se,jdk.unsupported,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.crypto.cryptoki,jdk.jfr

build_base() {
  local dir="$WORK/base" rootfs="$WORK/base/rootfs"
  rm -rf "$dir"
  mkdir -p "$rootfs"/{etc,tmp,proc,dev,sys,lib64,lib/x86_64-linux-gnu} "$rootfs/opt"
  # --generate-cds-archive: the JDK's default class-data archive, which the jlink output lacks; saves start-up time.
  "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$rootfs/opt/java"
  # The shared libraries the JRE links (ldd over every binary), plus what glibc loads by name: name resolution.
  local libs
  libs="$( { find "$rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
              | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$rootfs/" ;
            ls /lib/x86_64-linux-gnu/{libnss_files,libnss_dns,libresolv}.so.2 ; } | sort -u)"
  for lib in $libs; do
    case "$lib" in
      /lib64/*) cp -L "$lib" "$rootfs/lib64/" ;;
      *) cp -L "$lib" "$rootfs/lib/x86_64-linux-gnu/" ;;
    esac
  done
  chmod 1777 "$rootfs/tmp"
  # uid/gid 1000: the image's user (Jib container.user) and the Deployments' runAsUser.
  printf 'root:x:0:0:root:/root:/sbin/nologin\nstorefront:x:1000:1000:storefront:/tmp:/sbin/nologin\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\nstorefront:x:1000:\n' >"$rootfs/etc/group"
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$rootfs/etc/hosts"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"

  # Deterministic layer: sorted names, fixed owner and mtime, no pax headers carrying times.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu -C "$rootfs" -cf "$dir/layer.tar" .
  local diff_id
  diff_id="sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)"
  jq -n --arg diff "$diff_id" --arg modules "$JRE_MODULES" '{
      architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
      config: { Env: ["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                      "JAVA_HOME=/opt/java", "LANG=C.UTF-8"] },
      rootfs: { type: "layers", diff_ids: [$diff] },
      history: [ { created: "1970-01-01T00:00:00Z", created_by: "jlink --add-modules \($modules)",
                   comment: "jlink JRE 25 + system libraries" } ] }' >"$dir/config.json"
  jq -n '[{ Config: "config.json", RepoTags: ["storefront/base-jre25:local"], Layers: ["layer.tar"] }]' \
    >"$dir/manifest.json"
  touch -d @0 "$dir"/{config.json,manifest.json,layer.tar}
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu -C "$dir" \
    -cf "$BASE_TAR" config.json layer.tar manifest.json
  rm -rf "$dir"
}

# --- 2. images -----------------------------------------------------------------------------------------------------
# One reactor run with `package`: Maven resolves the libraries the services depend on (contracts, service-support)
# from the reactor only when they are packaged in the same run, and CI installs them nowhere. Up-to-date classes are
# not recompiled; forceCreation rewrites each jar from target/classes, so no stale class survives in it. Jib skips
# every module but the services (jib.skip in the parent POM).
COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
jib_build() {  # jib_build <label> <services...> [-- maven args]
  local label="$1"; shift
  local names=() modules=() module svc
  while (($#)) && [ "$1" != "--" ]; do names+=("$1"); modules+=("${MODULE[$1]}"); shift; done
  [ "${1:-}" = "--" ] && shift
  # The local base is one architecture (amd64, like its libraries) and a tarball holds one image: one platform.
  mvn -pl "$(IFS=,; echo "${modules[*]}")" -am -DskipTests -Dmaven.jar.forceCreation=true "$@" package jib:buildTar \
    "-Djib.from.image=tar://$BASE_TAR" -Djib.from.platforms=linux/amd64 "-Dgit.commit=$COMMIT"
  for svc in "${names[@]}"; do
    module="${MODULE[$svc]}"
    cp "$module/target/jib-image.tar" "$WORK/$svc-$label.tar"
    cp "$module/target/jib-image.digest" "$WORK/$svc-$label.digest"
    cp "$module/target/jib-image.id" "$WORK/$svc-$label.id"
  done
}

# Lines "<diff_id> <compressed bytes> <uncompressed bytes> <what>" for each layer of an image tarball. Several checks
# read the same image, so the lines are kept next to the tarball (<tar>.layers) until the tarball is rebuilt.
layers() {
  local tar="$1" cache="$1.layers"
  if [ ! "$cache" -nt "$tar" ]; then
    describe_layers "$tar" >"$cache.tmp"
    mv "$cache.tmp" "$cache"
  fi
  cat "$cache"
}

describe_layers() {
  local tar="$1" dir
  dir="$(mktemp -d "$WORK/layers.XXXXXX")"
  tar -xf "$tar" -C "$dir" --warning=no-unknown-keyword
  local config layer_files diff_ids comments i file
  config="$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
  mapfile -t layer_files < <(jq -r '.[0].Layers[]' "$dir/manifest.json")
  mapfile -t diff_ids < <(jq -r '.rootfs.diff_ids[]' "$config")
  mapfile -t comments < <(jq -r '.history[] | select(.empty_layer != true) | (.comment // .created_by)' "$config")
  for i in "${!layer_files[@]}"; do
    file="$dir/${layer_files[$i]}"
    gzip -dc "$file" >"$dir/layer.tar"        # decompressed once: its size, then its first file
    # Jib labels both the jar layer and the extra directory "extra files": add the folder the layer fills.
    echo "${diff_ids[$i]} $(stat -c %s "$file") $(stat -c %s "$dir/layer.tar")" \
      "${comments[$i]:-?} ($(tar -tf "$dir/layer.tar" --warning=no-unknown-keyword | grep -v '/$' | head -n 1 | xargs dirname))"
  done
  rm -rf "$dir"
}

print_image() {  # print_image <svc> <label>
  local svc="$1" tar="$WORK/$1-$2.tar" total=0 raw=0 id size unpacked what
  echo "-- storefront/$svc ($2)  digest $(cat "$WORK/$svc-$2.digest")  tarball $(size "$(stat -c %s "$tar")")"
  while read -r id size unpacked what; do
    total=$((total + size)); raw=$((raw + unpacked))
    printf '     %-34s %10s  (%s unpacked)  %s\n' "$what" "$(size "$size")" "$(size "$unpacked")" "${id:7:12}"
  done < <(layers "$tar")
  printf '     %-34s %10s  (%s unpacked)\n' "total" "$(size "$total")" "$(size "$raw")"
}

# --- 3. run ----------------------------------------------------------------------------------------------------------
start_infra() {
  local jar=apps/local-stack/target/local-stack.jar started
  [ -f "$jar" ] || { echo "Missing $jar: build first (./mvnw -DskipTests package)" >&2; exit 1; }
  started="$(now)"
  java -jar "$jar" infra --mongo-port "$MONGO_PORT" --kafka-port "$KAFKA_PORT" --data-dir "$WORK/infra" \
    >"$WORK/infra.log" 2>&1 &
  INFRA_PID=$!
  for _ in $(seq 1 600); do
    if grep -q '^Infrastructure ready' "$WORK/infra.log"; then
      echo "MongoDB :$MONGO_PORT and Kafka :$KAFKA_PORT ready after $(since "$started") s"
      return
    fi
    kill -0 "$INFRA_PID" 2>/dev/null || break
    sleep 0.2
  done
  cat "$WORK/infra.log" >&2
  echo "MongoDB/Kafka did not start" >&2
  exit 1
}

service_env() {  # the Deployment's two variables, plus ports of our own (host network)
  local svc="$1" port="${APP_PORT[$1]}"
  printf '%s\n' "SPRING_MONGODB_URI=mongodb://127.0.0.1:$MONGO_PORT/$svc" \
    "SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT" \
    "SERVER_PORT=$port" "MANAGEMENT_SERVER_PORT=$((port + 1))" \
    "SERVER_ADDRESS=127.0.0.1" "MANAGEMENT_SERVER_ADDRESS=127.0.0.1"
}

PODMAN_RUN=(podman --runtime "$RUNC" run --network=host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# podman needs runc here: crun cannot handle the hybrid cgroup layout, and the default rlimits exceed the hard ones.
podman_usable() {
  if ! command -v podman >/dev/null || [ ! -x "$RUNC" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      local t; t="$(now)"
      echo "Installing podman and runc"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc; } \
        >"$WORK/apt.log" 2>&1 \
        || { echo "apt-get failed (see $WORK/apt.log)"; return 1; }
      echo "installed in $(since "$t") s"
    else
      return 1
    fi
  fi
  load_image accounts 1 || return 1
  "${PODMAN_RUN[@]}" --rm --entrypoint /opt/java/bin/java "$(image_id accounts 1)" -version >"$WORK/podman-check.log" 2>&1 \
    || { echo "podman cannot run containers here:"; tail -n 3 "$WORK/podman-check.log"; return 1; }
}

# Services: health on the management port, up once MongoDB and Kafka answer too. The bare app has no actuator: its endpoint.
ready_url() {
  if [ "$1" = "$BARE" ]; then echo "http://127.0.0.1:${APP_PORT[$1]}/${API_PATH[$1]}"
  else echo "http://127.0.0.1:$((APP_PORT[$1] + 1))/actuator/health"; fi
}

wait_ready() {  # wait_ready <svc> <started> <is-alive command...>; prints seconds to ready
  local svc="$1" started="$2"; shift 2
  local url
  url="$(ready_url "$svc")"
  for _ in $(seq 1 900); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      since "$started"; return 0
    fi
    "$@" || return 1
    sleep 0.2
  done
  return 1
}

started_line() { grep -o 'Started [A-Za-z]* in [0-9.]* seconds' | head -n 1 || true; }

api_call() {
  local svc="$1" url="http://127.0.0.1:${APP_PORT[$1]}/${API_PATH[$1]}"
  echo "     GET $url -> $(curl -fsS --max-time 10 "$url" | head -c 160)"
}

# run_podman <svc> <label>: the image built as <label> (1: plain, aot: with its AOT cache), by image id (both builds
# carry the same name).
run_podman() {
  local svc="$1" label="$2" id started ready env=() name="storefront-ci-$1"
  load_image "$svc" "$label"
  id="$(image_id "$svc" "$label")"
  while read -r line; do env+=(--env "$line"); done < <(service_env "$svc")
  started="$(now)"
  # As in kustomize/base: the limits (512Mi, 1 CPU), read-only root (podman mounts a tmpfs on /tmp), no
  # capabilities, no privilege escalation.
  "${PODMAN_RUN[@]}" -d --name "$name" --memory=512m --cpus=1 --read-only --cap-drop=ALL \
    --security-opt=no-new-privileges "${env[@]}" "$id" >/dev/null
  if ! ready="$(wait_ready "$svc" "$started" podman_running "$svc")"; then
    podman logs "$name" 2>&1 | tail -n 40
    echo "storefront/$svc ($label) did not become ready in podman" >&2
    exit 1
  fi
  READY["$svc $label"]="$ready"
  echo "-- storefront/$svc ($label; podman, runc, 512 MiB, 1 CPU): ready after $ready s;" \
    "$(podman logs "$name" 2>&1 | started_line)"
  api_call "$svc"
  podman logs "$name" >"$WORK/$svc-$label-podman.log" 2>&1
  podman stop -t 25 "$name" >/dev/null
  echo "     stopped: exit code $(podman inspect -f '{{.State.ExitCode}}' "$name") (143: the JVM ended on SIGTERM)"
  podman rm "$name" >/dev/null
}

image_id() { cut -d: -f2 "$WORK/$1-$2.id"; }

# load_image <svc> <label>: into podman once (a tarball is over 100 MiB; the checks, the training and the runs all
# use image 1).
load_image() {
  local id
  id="$(image_id "$1" "$2")"
  if [[ " ${LOADED_IMAGES[*]} " != *" $id "* ]]; then
    podman load -q -i "$WORK/$1-$2.tar" >/dev/null || return 1
    LOADED_IMAGES+=("$id")
  fi
}

# A JVM that cannot use its AOT cache says so (warning or error on the aot log tag) and starts without it: an image
# whose cache was rejected would still pass the readiness check, so its log is checked.
check_cache_used() {
  local svc="$1" log="$WORK/$1-aot-podman.log" rejected
  rejected="$(grep -E '^\[[0-9.]+s\]\[(warning|error) *\]\[aot' "$log" || true)"
  if [ -n "$rejected" ]; then
    echo "$rejected" | head -n 5 >&2
    echo "storefront/$svc did not use its AOT cache" >&2
    exit 1
  fi
}

podman_running() {
  [ "$(podman inspect -f '{{.State.Running}}' "storefront-ci-$1" 2>/dev/null)" = true ]
}

# No container runtime: the image's layers unpacked in order, then its own Entrypoint, Env and User, in new mount
# and PID namespaces. /proc must be mounted: ld.so resolves the JRE's $ORIGIN rpath through it.
run_chroot() {  # run_chroot <svc> <label>
  local svc="$1" label="$2" root="$WORK/rootfs-$1" image="$WORK/unpacked-$1" started ready config
  rm -rf "$root" "$image"
  mkdir -p "$root" "$image"
  tar -xf "$WORK/$svc-$label.tar" -C "$image" --warning=no-unknown-keyword
  while read -r layer; do
    tar -xzf "$image/$layer" -C "$root" --warning=no-unknown-keyword   # the images have no whiteouts to apply
  done < <(jq -r '.[0].Layers[]' "$image/manifest.json")
  chmod 755 "$root"
  mkdir -p "$root/proc" "$root/dev"
  config="$image/$(jq -r '.[0].Config' "$image/manifest.json")"
  local user env=() command=()
  user="$(jq -r '.config.User // "0:0"' "$config")"
  mapfile -t env < <(jq -r '.config.Env[]?' "$config"; service_env "$svc")
  mapfile -t command < <(jq -r '(.config.Entrypoint // []) + (.config.Cmd // []) | .[]' "$config")
  started="$(now)"
  # Every exec keeps the PID: $CHROOT_PID ends up being the JVM, PID 1 of its namespace.
  unshare --mount --pid --fork --kill-child --mount-proc="$root/proc" \
    sh -c 'mount --rbind /dev "$0/dev" && exec "$@"' "$root" \
    env -i "${env[@]}" chroot --userspec="$user" "$root" "${command[@]}" >"$WORK/$svc-chroot.log" 2>&1 &
  CHROOT_PID=$!
  if ! ready="$(wait_ready "$svc" "$started" kill -0 "$CHROOT_PID")"; then
    tail -n 40 "$WORK/$svc-chroot.log"
    echo "storefront/$svc did not become ready in the chroot" >&2
    exit 1
  fi
  READY["$svc $label"]="$ready"
  echo "-- storefront/$svc ($label; unpacked layers, chroot as $user): ready after $ready s;" \
    "$(started_line <"$WORK/$svc-chroot.log")"
  api_call "$svc"
  stop_chroot
  rm -rf "$root" "$image"
}

stop_chroot() {
  local jvm
  jvm="$(pgrep -P "$CHROOT_PID" | head -n 1)"
  [ -n "$jvm" ] && kill -TERM "$jvm" 2>/dev/null
  local status=0
  wait "$CHROOT_PID" 2>/dev/null || status=$?
  echo "     stopped: exit code $status (143: the JVM ended on SIGTERM)"
  CHROOT_PID=""
}

# --- main ----------------------------------------------------------------------------------------------------------
t0="$(now)"
echo "== base image: jlink JRE from $JDK"
t="$(now)"; build_base
echo "$BASE_TAR: $(size "$(stat -c %s "$BASE_TAR")"), sha256 $(sha256sum "$BASE_TAR" | cut -c1-16)…, $(since "$t") s"

echo "== images: jib:buildTar on the local base"
lock_maven
# First a code-only change: one more class in accounts, built and removed again before the real builds.
probe_src="$WORK/probe/io/storefront/accounts/ImageLayerProbe.java"
mkdir -p "$(dirname "$probe_src")"
printf 'package io.storefront.accounts;\n\nfinal class ImageLayerProbe {\n}\n' >"$probe_src"
"$JDK/bin/javac" --release 17 -d "$WORK/probe/classes" "$probe_src"
cp "$WORK/probe/classes/io/storefront/accounts/ImageLayerProbe.class" "$PROBE_CLASS"
jib_build probe accounts
rm -f "$PROBE_CLASS"

t="$(now)"; jib_build 1 "${SERVICES[@]}"
# The bare app is no service (no Deployment, never pushed): its image is built here only, hence jib.skip=false.
jib_build 1 "$BARE" -- -Djib.skip=false
echo "built in $(since "$t") s"
# Reproducibility: the same build again must give the same digests.
t="$(now)"; jib_build 2 "${SERVICES[@]}"
rebuilt="$(since "$t")"

for svc in "${SERVICES[@]}"; do print_image "$svc" 1; done

echo "== reproducibility: a second build (${rebuilt} s) gives the same image digests"
for svc in "${SERVICES[@]}"; do
  if ! cmp -s "$WORK/$svc-1.digest" "$WORK/$svc-2.digest"; then
    echo "storefront/$svc is not reproducible: $(cat "$WORK/$svc-1.digest") then $(cat "$WORK/$svc-2.digest")" >&2
    exit 1
  fi
  echo "storefront/$svc: same digest $(cat "$WORK/$svc-2.digest")"
done

echo "== code-only change (one more class in accounts) rebuilds one layer, the application jar's"
changed="$(join -v 2 <(layers "$WORK/accounts-1.tar" | cut -d' ' -f1 | sort) \
                     <(layers "$WORK/accounts-probe.tar" | sort))"
echo "$changed" | while read -r id size unpacked what; do
  echo "changed layer: $what ($(size "$size"), ${id:7:12})"
done
if [ "$(echo "$changed" | wc -l)" != 1 ] || [[ "$changed" != *"(app/classpath)" ]]; then
  echo "a code-only change should rebuild only the layer of the application jar (/app/classpath)" >&2
  exit 1
fi

if [ "$RUNNER" = chroot ]; then
  echo "IMAGES_RUNNER=chroot: unpacked layers + chroot"
elif podman_usable; then
  RUNNER=podman
elif [ "$RUNNER" = podman ]; then
  echo "IMAGES_RUNNER=podman but podman cannot run here" >&2; exit 1
else
  RUNNER=chroot; echo "falling back to unpacked layers + chroot"
fi

# The cache is recorded by running the image (its JVM, module image and class path), which takes a container engine.
LABELS=(1)
if [ "$RUNNER" = podman ]; then
  echo "== AOT caches: recorded by each image's own JVM, then the images built again with them"
  t="$(now)"
  for svc in "${SERVICES[@]}" "$BARE"; do
    load_image "$svc" 1
    CONTAINER_ENGINE="podman --runtime $RUNC" .ci/train-aot-cache.sh "$svc" "$(image_id "$svc" 1)" \
      --ulimit nofile=1024:1024 --ulimit nproc=1024:1024
  done
  # The jars of build 1 again: the classes generated ahead of time are still in target/classes, so process-aot
  # (which starts each application) is skipped; the layer check below proves the jar is the one the cache knows.
  jib_build aot "${SERVICES[@]}" -- -Paot-cache -Dspring-boot.aot.skip=true
  jib_build aot "$BARE" -- -Paot-cache -Dspring-boot.aot.skip=true -Djib.skip=false
  echo "recorded and built in $(since "$t") s"
  # The cache belongs to the image it was recorded in: every layer of that image, plus the cache.
  for svc in "${SERVICES[@]}" "$BARE"; do
    added="$(join -v 2 <(layers "$WORK/$svc-1.tar" | cut -d' ' -f1 | sort) <(layers "$WORK/$svc-aot.tar" | sort))"
    missing="$(join -v 1 <(layers "$WORK/$svc-1.tar" | sort) <(layers "$WORK/$svc-aot.tar" | cut -d' ' -f1 | sort))"
    if [ -n "$missing" ] || [ "$(echo "$added" | wc -l)" != 1 ] || [[ "$added" != *"(app/aot)" ]]; then
      echo "storefront/$svc with AOT cache: expected the layers of the first build plus /app/aot" >&2
      echo "added: $added" >&2; echo "missing: $missing" >&2
      exit 1
    fi
    read -r id size unpacked what <<<"$added"
    echo "storefront/$svc: + $what $(size "$size") ($(size "$unpacked") unpacked), digest $(cat "$WORK/$svc-aot.digest")"
  done
  LABELS=(1 aot)
else
  echo "== AOT caches: NOT checked (recording one runs the image in a container engine; the $RUNNER runner has none)"
fi
unlock_maven

echo "== run each image against MongoDB and Kafka (local-stack infra)"
start_infra
t="$(now)"
for svc in "$BARE" "${SERVICES[@]}"; do
  for label in "${LABELS[@]}"; do "run_$RUNNER" "$svc" "$label"; done
  if [ "$RUNNER" = podman ]; then check_cache_used "$svc"; fi
done
echo "$((${#SERVICES[@]} * ${#LABELS[@]} + ${#LABELS[@]})) containers run and stopped in $(since "$t") s"

echo "== start-up from the images: seconds to ready, and the ratio to the bare WebFlux app's image built the same way"
for svc in "${SERVICES[@]}"; do
  line="$(printf '%-12s' "$svc")"
  for label in "${LABELS[@]}"; do
    line+="$(awk -v s="${READY[$svc $label]}" -v b="${READY[$BARE $label]}" -v l="$label" \
      'BEGIN { printf "   %s: %.1f s = %.2fx bare (%.1f s)", (l == "aot" ? "with AOT cache" : "plain"), s, s / b, b }')"
  done
  echo "$line"
done

echo "== images OK ($RUNNER$([ "$RUNNER" = podman ] || echo ", AOT caches not checked")) in $(since "$t0") s"
