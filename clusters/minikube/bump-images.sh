#!/usr/bin/env bash
# Git push to deploy, images built into minikube: builds the three service images with Jib straight into minikube's
# Docker daemon, sets their tag (and the version labels) in clusters/minikube/storefront, and prints the git commands
# that deploy it. Argo CD rolls the services out once the commit is pushed (no registry, no kubectl apply).
#
#   clusters/minikube/bump-images.sh [TAG]
#
# TAG defaults to <project version>-<commit>, plus -dirty.<time> when apps/ or pom.xml have uncommitted changes, so
# every build gets a new tag (a Deployment only rolls when its pod template changes). Extra Maven options go through
# MAVEN_ARGS, e.g. MAVEN_ARGS=-DskipTests clusters/minikube/bump-images.sh
#
# Each image then gets its AOT cache (about 20 s per service): recorded by running the image in minikube's Docker
# (.ci/train-aot-cache.sh), then the image is built again with it under the same tag; the services become ready in
# about 60 % of the time (docs/images.md). AOT_CACHE=false skips that step.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in minikube git python3; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done

tag="${1:-}"
if [ -z "$tag" ]; then
  version="$(python3 -c 'import xml.etree.ElementTree as E; n={"m": "http://maven.apache.org/POM/4.0.0"}; print(E.parse("pom.xml").getroot().find("m:version", n).text)')"
  tag="${version}-$(git rev-parse --short HEAD)"
  if [ -n "$(git status --porcelain -- apps pom.xml)" ]; then
    tag="${tag}-dirty.$(date -u +%Y%m%d%H%M%S)"
  fi
fi

echo "== building storefront/{accounts,orders,fulfillment}:${tag} into minikube's Docker"
eval "$(minikube docker-env)"
./mvnw -B -pl apps/accounts,apps/orders,apps/fulfillment -am package jib:dockerBuild "-Djib.to.tags=${tag}" \
  "-Dgit.commit=$(git rev-parse HEAD)"

if [ "${AOT_CACHE:-true}" != false ]; then
  echo "== recording each image's AOT cache with the image's own JVM, then building the images again with it"
  for svc in accounts orders fulfillment; do
    .ci/train-aot-cache.sh "$svc" "storefront/$svc:$tag"
  done
  # Same jars as above (the generated AOT classes are still in target/classes), plus the cache.
  ./mvnw -B -pl apps/accounts,apps/orders,apps/fulfillment -am package jib:dockerBuild -Paot-cache -DskipTests \
    -Dspring-boot.aot.skip=true "-Djib.to.tags=${tag}" "-Dgit.commit=$(git rev-parse HEAD)"
fi

echo "== setting the tag in clusters/minikube/storefront"
(cd clusters/minikube/storefront && kustomize edit set image "storefront/accounts:$tag" "storefront/orders:$tag" "storefront/fulfillment:$tag")

cat <<EOT

Deploy it (Argo CD picks the commit up within a minute; watch the storefront app in the UI):

  git add clusters/minikube/storefront/kustomization.yaml
  git commit -m "storefront: deploy ${tag}"
  git push
EOT
