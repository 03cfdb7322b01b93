#!/usr/bin/env bash
# Sourced by the .ci scripts that run images against the local MongoDB and Kafka: start_infra starts both
# (local-stack infra) on $MONGO_PORT and $KAFKA_PORT with data under $WORK/infra, sets INFRA_PID (the caller's trap
# stops it) and returns once both are ready; the caller defines fail.

start_infra() {
  java -jar apps/local-stack/target/local-stack.jar infra --mongo-port "$MONGO_PORT" --kafka-port "$KAFKA_PORT" \
    --data-dir "$WORK/infra" >"$WORK/infra.log" 2>&1 &
  INFRA_PID=$!
  local deadline=$((SECONDS + 180))
  until grep -q '^Infrastructure ready' "$WORK/infra.log"; do
    { kill -0 "$INFRA_PID" 2>/dev/null && ((SECONDS < deadline)); } \
      || { cat "$WORK/infra.log" >&2; fail "MongoDB/Kafka did not start within 180 s"; }
    sleep 0.5
  done
  grep '^Infrastructure ready' "$WORK/infra.log"
}
