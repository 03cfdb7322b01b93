#!/usr/bin/env bash
# Runs the storefront's rendered pod specs (`kubectl kustomize clusters/minikube/storefront`, what Argo CD applies) with
# `podman kube play` against the local MongoDB and Kafka, and checks that each container runs as its Deployment
# declares: user, capabilities, read-only root, env from values and Secrets, the declared ports, the probes' paths,
# then one customer from accounts to orders through Kafka (docs/gitops.md, "The rendered pods in podman").
# Needs what .ci/images.sh builds: apps/<svc>/target/jib-image.tar and apps/local-stack/target/local-stack.jar.
#
# The pods differ from the rendered ones in these overrides only (rewrite_deployment, rewrite_secret_data below):
#   - image: the image just built, by its id
#   - addresses: the Kafka bootstrap env value and the host:port of the Secret's MongoDB URI name the local stack
#   - host network, without the containers' `ports` list: Kafka advertises 127.0.0.1, which only the host network
#     reaches, and podman 4.3 publishes every containerPort as a host port, which it refuses on the host network. The
#     checks read the ports from the rendered spec.
#   - the end-to-end part only: no user and password in the MongoDB URI, because the local MongoDB stand-in
#     (mongo-java-server) has no authentication; the first part keeps them and checks that the driver uses them.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(accounts orders fulfillment)
WORK="$PWD/target/pods"
RENDERED="$WORK/rendered.json"             # the rendered objects as a stream of JSON documents
MONGO_PORT=27317 KAFKA_PORT=29392       # neither the defaults nor .ci/images.sh's: other stacks may hold those
LOCAL_MONGO="127.0.0.1:$MONGO_PORT" LOCAL_KAFKA="127.0.0.1:$KAFKA_PORT"
# runc and explicit ulimits, as in .ci/images.sh (docs/images.md); `kube play` has no flags for them.
export CONTAINERS_CONF="$WORK/containers.conf"
INFRA_PID=""
PLAYED=() SECRETS=() LOADED=()

cleanup() {
  local status=$? file
  set +e
  for file in "${PLAYED[@]}"; do podman kube down "$file" >/dev/null 2>&1; done
  ((${#SECRETS[@]} == 0)) || podman secret rm "${SECRETS[@]}" >/dev/null 2>&1
  ((${#LOADED[@]} == 0)) || podman rmi -f "${LOADED[@]}" >/dev/null 2>&1
  if [ -n "$INFRA_PID" ]; then kill -TERM "$INFRA_PID"; wait "$INFRA_PID"; fi   # its shutdown hook stops both
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "FAILED: $*" >&2; exit 1; }
# shellcheck source=.ci/infra.sh
. .ci/infra.sh
ok() { echo "  ok  $*"; }

# within <seconds> <what> <command...>: runs the command until it succeeds, or fails with <what> after <seconds>.
within() {
  local seconds="$1" what="$2" deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what (waited $seconds s)"
    sleep 0.5
  done
}

# jq definitions over the rendered documents for the service $svc: `deployment`, `pod` (its pod spec), `container`
# (its only container), `port_number(port)` (a port's number, also for a named port).
DEPLOYMENT_DEFS='. as $docs |
  def deployment: [$docs[] | select(.kind == "Deployment" and .metadata.name == $svc)]
    | if length == 1 then .[0] else error("no single Deployment \($svc) in the rendered storefront") end;
  def pod: deployment.spec.template.spec;
  def container: pod.containers | if length == 1 then .[0] else error("\($svc): one container expected") end;
  def port_number($port): if ($port | type) == "number" then $port
    else container.ports[] | select(.name == $port) | .containerPort end;'

# spec <svc> [jq options...] <filter>: values from the service's rendered Deployment, one per line.
spec() {
  local svc="$1"
  shift
  jq -r -s --arg svc "$svc" "${@:1:$#-1}" "$DEPLOYMENT_DEFS ${*: -1}" "$RENDERED"
}

# rewrite_deployment <svc> <image id>: the Deployment for `podman kube play` (JSON, which is YAML), with the
# overrides listed at the top.
rewrite_deployment() {
  jq -s --arg svc "$1" --arg image "$2" --arg kafka "$LOCAL_KAFKA" "$DEPLOYMENT_DEFS"'
    deployment
    | if [.spec.template.spec | .. | objects | select(has("configMapRef") or has("configMapKeyRef")
          or has("secretRef") or has("configMap") or has("secret"))] != []
      then error("\($svc) takes ConfigMaps or Secrets other than by env secretKeyRef: add them to this script")
      else . end
    | .spec.template.spec.hostNetwork = true
    | .spec.template.spec.containers |= map(
        if any(.env[]; .name == "SPRING_KAFKA_BOOTSTRAP_SERVERS") then . else error("no Kafka bootstrap env") end
        | .image = $image
        | del(.ports)
        | .env |= map(if .name == "SPRING_KAFKA_BOOTSTRAP_SERVERS" then .value = $kafka else . end))' "$RENDERED"
}

# rewrite_secret_data <secret> <keep|drop credentials>: the Secret's data (JSON, base64 values) with its MongoDB URIs
# pointing at the local MongoDB.
rewrite_secret_data() {
  jq -c -s --arg name "$1" --arg credentials "$2" --arg mongo "$LOCAL_MONGO" '
    [.[] | select(.kind == "Secret" and .metadata.name == $name)]
    | if length == 1 then .[0].data else error("no Secret \($name) in the rendered storefront") end
    | map_values(gsub("\\s"; "") | @base64d
        | if startswith("mongodb://") then
            sub("^mongodb://(?<auth>[^@/]+@)?[^/]+"; "mongodb://\(.auth // "")\($mongo)")
            | if $credentials == "drop" then sub("^mongodb://[^@/]+@"; "mongodb://") else . end
          else . end
        | @base64)' "$RENDERED"
}

# play <svc> <keep|drop credentials>: runs the service's pod; sets CONTAINER to its container's name.
play() {
  local svc="$1" credentials="$2" id secret played
  id="$(cut -d: -f2 "apps/$svc/target/jib-image.id")"
  # podman 4.3 stores a Secret document from the YAML in a form its own secretKeyRef lookup cannot read (it wants the
  # data map as JSON), so the Secrets the pod references become podman secrets here, each from the rendered Secret.
  for secret in $(spec "$svc" '[container.env[].valueFrom.secretKeyRef.name // empty] | unique | .[]'); do
    podman secret rm "$secret" >/dev/null 2>&1 || true
    rewrite_secret_data "$secret" "$credentials" | podman secret create "$secret" - >/dev/null
    SECRETS+=("$secret")
  done
  played="$WORK/$svc-pod.json"
  rewrite_deployment "$svc" "$id" >"$played"
  PLAYED+=("$played")
  # Without systemd podman cannot schedule the healthchecks it derives from the probes; it says so on stderr.
  podman kube play --replace "$played" >"$WORK/$svc-play.log" 2>&1 || { cat "$WORK/$svc-play.log" >&2; fail "kube play $svc"; }
  CONTAINER="$(spec "$svc" '"\(deployment.metadata.name)-pod-0-\(container.name)"')"
}

stop() {
  podman kube down "$WORK/$1-pod.json" >/dev/null 2>&1
}

status_code() {
  curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$1" || true
}

# wait_started <svc>: until its startup probe answers 200, within the probe's own budget.
wait_started() {
  local svc="$1" url budget deadline
  url="http://127.0.0.1$(spec "$svc" 'container.startupProbe | ":\(port_number(.httpGet.port))\(.httpGet.path)"')"
  budget="$(spec "$svc" 'container.startupProbe
    | (.initialDelaySeconds // 0) + (.failureThreshold // 3) * (.periodSeconds // 10)')"
  deadline=$((SECONDS + budget))
  until [ "$(status_code "$url")" = 200 ]; do
    if [ "$(podman inspect -f '{{.State.Running}}' "$CONTAINER")" != true ] || ((SECONDS >= deadline)); then
      podman logs "$CONTAINER" 2>&1 | tail -n 40 >&2
      fail "$svc: startup probe $url not 200 within its ${budget} s"
    fi
    sleep 0.5
  done
  podman logs "$CONTAINER" 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds' | sed 's/^/  /' || true
}

# in_podman_userns <command...>: runs the command where the container's user ids read as the container sees them
# (rootless podman maps them to subordinate ids on the host).
in_podman_userns() {
  if [ "$(id -u)" = 0 ]; then "$@"; else podman unshare "$@"; fi
}

# process_file <status|environ>: that /proc file of the container's main process (the JVM).
process_file() {
  in_podman_userns cat "/proc/$(podman inspect -f '{{.State.Pid}}' "$CONTAINER")/$1"
}

# process_field <name>: a field of /proc/<pid>/status of the container's main process.
process_field() {
  process_file status | awk -v f="$1:" '$1 == f {print $2}'
}

# jvm_can_write <path>: whether a JVM in the container, as root, can create a file at <path> (its log file).
jvm_can_write() {
  podman exec --user 0:0 "$CONTAINER" java -Xmx16m -Xlog:disable "-Xlog:os=info:file=$1" -version >/dev/null 2>&1
}

check_security() {
  local svc="$1" user group mount
  user="$(spec "$svc" 'container.securityContext.runAsUser // pod.securityContext.runAsUser')"
  group="$(spec "$svc" 'container.securityContext.runAsGroup // pod.securityContext.runAsGroup')"
  [ "$(process_field Uid)" = "$user" ] && [ "$(process_field Gid)" = "$group" ] \
    || fail "$svc runs as $(process_field Uid):$(process_field Gid), declared $user:$group"
  [ "$(spec "$svc" 'container.securityContext.runAsNonRoot // pod.securityContext.runAsNonRoot')" = true ] \
    && [ "$user" != 0 ] || fail "$svc: runAsNonRoot not declared, or runAsUser 0"
  ok "runs as $user:$group (runAsUser/runAsGroup; runAsNonRoot)"
  [ "$(spec "$svc" 'container.securityContext.capabilities.drop | index("ALL") != null')" = true ] \
    && [ "$(process_field CapEff)" = 0000000000000000 ] || fail "$svc: capabilities $(process_field CapEff)"
  [ "$(spec "$svc" 'container.securityContext.allowPrivilegeEscalation')" = false ] \
    && [ "$(process_field NoNewPrivs)" = 1 ] || fail "$svc: NoNewPrivs $(process_field NoNewPrivs)"
  ok "no capabilities (drop ALL), no_new_privs (allowPrivilegeEscalation: false)"
  [ "$(spec "$svc" 'container.securityContext.readOnlyRootFilesystem')" = true ] \
    || fail "$svc: readOnlyRootFilesystem is not declared"
  # /app: Jib's application folder, root's with mode 755, so only a read-only root stops root from writing there.
  ! jvm_can_write /app/pods-check.log || fail "$svc: root can write to /app in the container"
  for mount in $(spec "$svc" 'container.volumeMounts[].mountPath'); do
    jvm_can_write "$mount/pods-check.log" || fail "$svc: cannot write to its volume $mount"
  done
  ok "read-only root: root in the container cannot create /app/pods-check.log; can in $(spec "$svc" \
    '[container.volumeMounts[] | "\(.mountPath) (\(.name))"] | join(", ")')"
}

# The process' environment holds every env entry of the Deployment, values from Secrets decoded.
check_env() {
  local svc="$1" environ name value secret key
  environ="$(process_file environ | tr '\0' '\n')"
  while IFS=$'\x1f' read -r name value secret key; do
    if [ -n "$secret" ]; then
      value="$(rewrite_secret_data "$secret" keep | jq -r --arg key "$key" '.[$key] | @base64d')"
    fi
    grep -qxF -- "$name=$value" <<<"$environ" || fail "$svc: env $name is not what the Deployment declares"
  done < <(spec "$svc" --arg kafka "$LOCAL_KAFKA" 'container.env[]
    | [.name, (if .name == "SPRING_KAFKA_BOOTSTRAP_SERVERS" then $kafka else .value // "" end),
       .valueFrom.secretKeyRef.name // "", .valueFrom.secretKeyRef.key // ""] | join("\u001f")')
  ok "env: $(spec "$svc" '[container.env[] | if .valueFrom.secretKeyRef then
    "\(.name) (Secret \(.valueFrom.secretKeyRef.name))" else .name end] | join(", ")')"
}

outbox_published() {
  curl -fsS --max-time 3 "$1" | awk '/^storefront_outbox_published_events_total/ {n += $NF} END {exit !(n > 0)}'
}

kafka_up() {
  curl -sS --max-time 3 "$1" | jq -e '.components.kafka.status == "UP"' >/dev/null
}

# log_has <text>...: whether the container's log holds every text.
log_has() {
  local logs text
  logs="$(podman logs "$CONTAINER" 2>&1)"
  for text in "$@"; do grep -qF -- "$text" <<<"$logs" || return 1; done
}

# What the application made of that env: Kafka reached at the overridden address, MongoDB tried with the Secret's
# user and authSource at the overridden address (the stand-in refuses SASL), logs in the declared structured format.
check_env_used() {
  local svc="$1" uri user source health
  uri="$(rewrite_secret_data "$(spec "$svc" 'container.env[] | select(.name == "SPRING_MONGODB_URI")
    | .valueFrom.secretKeyRef.name')" keep | jq -r '.uri | @base64d')"
  user="$(sed -E 's|^mongodb://([^:@/]+).*|\1|' <<<"$uri")"
  source="$(sed -E 's|.*[?&]authSource=([^&]+).*|\1|' <<<"$uri")"
  within 30 "$svc: no authentication as '$user' (authSource $source) at $LOCAL_MONGO in its log" \
    log_has "userName='$user', source='$source'" "address=$LOCAL_MONGO"
  ok "MongoDB: the driver authenticates as '$user' (authSource $source) at $LOCAL_MONGO (the stand-in refuses)"
  log_has "bootstrap.servers = [$LOCAL_KAFKA]" || fail "$svc: Kafka client not configured with $LOCAL_KAFKA"
  health="http://127.0.0.1:$(spec "$svc" 'port_number("http-management")')/actuator/health"
  within 30 "$svc: Kafka health not UP" kafka_up "$health"
  ok "Kafka: client configured with $LOCAL_KAFKA, health UP; MongoDB health $(curl -sS --max-time 3 "$health" \
    | jq -r .components.mongo.status)"
  if [ "$(spec "$svc" 'container.env[] | select(.name == "LOGGING_STRUCTURED_FORMAT_CONSOLE") | .value')" = ecs ]; then
    podman logs "$CONTAINER" 2>&1 | tail -n 1 | jq -e '.ecs.version' >/dev/null || fail "$svc: log lines are not ECS"
    ok "logs: ECS JSON (LOGGING_STRUCTURED_FORMAT_CONSOLE)"
  fi
}

check_ports_and_probes() {
  local svc="$1" name port path code
  while IFS=$'\t' read -r name port; do
    code="$(status_code "http://127.0.0.1:$port/")"
    [ "$code" != 000 ] || fail "$svc: declared port $name ($port) does not answer"
    ok "port $name ($port) answers HTTP ($code for /)"
  done < <(spec "$svc" 'container.ports[] | [.name, .containerPort] | @tsv')
  while IFS=$'\t' read -r name port path; do
    code="$(status_code "http://127.0.0.1:$port$path")"
    [ "$code" = 200 ] || fail "$svc: $name $path on port $port answered $code"
    ok "$name: $path on $port -> 200"
  done < <(spec "$svc" 'container | to_entries[] | select(.key | endswith("Probe")) | .key as $probe | .value
    | if .httpGet then [$probe, port_number(.httpGet.port), .httpGet.path] | @tsv
      else error("\($probe): only httpGet probes are checked") end')
}

echo "== tools: podman and runc (from .ci/images.sh), jq"
required=(apps/local-stack/target/local-stack.jar)
for svc in "${SERVICES[@]}"; do required+=("apps/$svc/target/jib-image.tar" "apps/$svc/target/jib-image.id"); done
for file in "${required[@]}"; do [ -f "$file" ] || fail "$file is missing: run .ci/images.sh first"; done
if ! command -v jq >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq; } >/dev/null
fi
mkdir -p "$WORK"
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' \
  >"$CONTAINERS_CONF"
podman --version   # after its configuration file exists: podman refuses to start without the file CONTAINERS_CONF names

echo "== render: kubectl kustomize clusters/minikube/storefront"
# kubectl writes JSON only from a command that reads objects; `label --local` with the removal of a label nobody has
# needs no cluster and changes nothing but an empty `labels` map where there was none.
kubectl kustomize clusters/minikube/storefront >"$WORK/rendered.yaml"
kubectl label --local -f "$WORK/rendered.yaml" pods-check- -o json >"$RENDERED"
# The pods use the host network: their declared ports must be free.
for port in $(for svc in "${SERVICES[@]}"; do spec "$svc" 'container.ports[].containerPort'; done | sort -u); do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "port $port is taken on this machine"
done

echo "== images (.ci/images.sh's tarballs)"
for svc in "${SERVICES[@]}"; do
  id="$(cut -d: -f2 "apps/$svc/target/jib-image.id")"
  if ! podman image exists "$id"; then
    podman load -q -i "apps/$svc/target/jib-image.tar" >/dev/null
    LOADED+=("$id")
  fi
  echo "storefront/$svc: ${id:0:12}"
done

echo "== MongoDB and Kafka (local-stack infra)"
start_infra

for svc in "${SERVICES[@]}"; do
  echo "== $svc: the rendered pod, Secret as rendered (addresses overridden)"
  play "$svc" keep
  wait_started "$svc"
  check_security "$svc"
  check_env "$svc"
  check_env_used "$svc"
  check_ports_and_probes "$svc"
  stop "$svc"
done

echo "== end to end: a customer created in accounts' pod reaches orders' pod through Kafka (no MongoDB credentials)"
play accounts drop
wait_started accounts
api="http://127.0.0.1:$(spec accounts 'port_number("http")')/accounts"       # the base path: spring.webflux.base-path
customer="$(curl -fsS --max-time 10 -H 'Content-Type: application/json' "$api/customers" -d '{
  "name": {"title": "Ms", "firstName": "Pod", "lastName": "Check"},
  "contact": {"primaryPhone": "+1 555 0100", "email": "pod.check@example.com"},
  "addresses": [], "creditCards": []}')" || fail "accounts: POST /accounts/customers failed"
id="$(jq -r .id <<<"$customer")"
ok "accounts: POST /accounts/customers -> customer $id"
# The outbox relay publishes asynchronously; accounts' pod stays up until its metric counts the event.
metrics="http://127.0.0.1$(spec accounts 'deployment.spec.template.metadata.annotations
  | ":\(."prometheus.io/port")\(."prometheus.io/path")"')"
within 30 "accounts: the outbox relay published nothing" outbox_published "$metrics"
ok "accounts: the outbox relay published it ($metrics)"
stop accounts
play orders drop
wait_started orders
orders="http://127.0.0.1:$(spec orders 'port_number("http")')/orders"
within 60 "orders: customer $id still unknown" curl -fs -o /dev/null --max-time 3 "$orders/customers/$id"
view="$(curl -fsS --max-time 3 "$orders/customers/$id")"
[ "$(jq -r .name.lastName <<<"$view")" = Check ] || fail "orders: customer $id is $view"
ok "orders: GET /orders/customers/$id -> $(jq -c '{id, name: .name.lastName}' <<<"$view")"
stop orders
echo "== pods OK"
