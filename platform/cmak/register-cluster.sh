#!/bin/sh
# Registers the Strimzi cluster in CMAK as "dev" (the name the original's refresh.py used), so nobody has to use
# CMAK's "Add Cluster" form. CMAK keeps registered clusters in ZooKeeper, so this is needed once per ZooKeeper,
# and running it again is harmless: an existing cluster makes the POST answer "already exists", and the final
# check only looks at the cluster list. Exits non-zero (the Job retries) until CMAK is up and lists the cluster.
set -eu
base="http://cmak.storefront-kafka-project.svc:9000"
auth="$(cat /credentials/username):$(cat /credentials/password)"

tries=0
until curl -fsS -o /dev/null "$base/api/health"; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "CMAK did not become healthy"; exit 1; }
  echo "waiting for CMAK ($tries)"; sleep 5
done

# kafkaVersion: CMAK 3.0.0.5 knows versions up to 2.4.1; its ZooKeeper/AdminClient view works with Kafka 3.9.
curl -fsS -o /dev/null -u "$auth" -X POST "$base/clusters" \
  --data-urlencode "name=dev" \
  --data-urlencode "zkHosts=zoo-entrance.storefront-kafka-project.svc:2181" \
  --data-urlencode "kafkaVersion=2.4.0" \
  --data-urlencode "pollConsumers=true" \
  --data-urlencode "filterConsumers=true" \
  --data-urlencode "activeOffsetCacheEnabled=true" \
  --data-urlencode "securityProtocol=PLAINTEXT" \
  --data-urlencode "tuning.brokerViewUpdatePeriodSeconds=30" \
  --data-urlencode "tuning.clusterManagerThreadPoolSize=2" \
  --data-urlencode "tuning.clusterManagerThreadPoolQueueSize=100" \
  --data-urlencode "tuning.kafkaCommandThreadPoolSize=2" \
  --data-urlencode "tuning.kafkaCommandThreadPoolQueueSize=100" \
  --data-urlencode "tuning.logkafkaCommandThreadPoolSize=2" \
  --data-urlencode "tuning.logkafkaCommandThreadPoolQueueSize=100" \
  --data-urlencode "tuning.logkafkaUpdatePeriodSeconds=30" \
  --data-urlencode "tuning.partitionOffsetCacheTimeoutSecs=5" \
  --data-urlencode "tuning.brokerViewThreadPoolSize=2" \
  --data-urlencode "tuning.brokerViewThreadPoolQueueSize=1000" \
  --data-urlencode "tuning.offsetCacheThreadPoolSize=2" \
  --data-urlencode "tuning.offsetCacheThreadPoolQueueSize=1000" \
  --data-urlencode "tuning.kafkaAdminClientThreadPoolSize=2" \
  --data-urlencode "tuning.kafkaAdminClientThreadPoolQueueSize=1000" \
  --data-urlencode "tuning.kafkaManagedOffsetMetadataCheckMillis=30000" \
  --data-urlencode "tuning.kafkaManagedOffsetGroupCacheSize=1000000" \
  --data-urlencode "tuning.kafkaManagedOffsetGroupExpireDays=7"

if curl -fsS -u "$auth" "$base/" | grep -q 'href="/clusters/dev"'; then
  echo "cluster dev is registered in CMAK"
else
  echo "cluster dev is not listed by CMAK yet"; exit 1
fi
