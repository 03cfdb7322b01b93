#!/usr/bin/env bash
# Makes the local base image of the offline image builds: a Java 25 JRE made by jlink from the local Temurin 25 JDK,
# the system libraries it links and /etc/passwd with the images' user, as one docker-archive tarball that Jib takes
# with -Djib.from.image=tar://<file> -Djib.from.platforms=linux/amd64 (docs/images.md). Sorted entries, owner 0 and
# mtime 0: the same bytes on every run, so the images built on it are reproducible.
#
#   .ci/jre-base-image.sh <output.tar>        TEMURIN25_HOME: the JDK (default /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail
[ $# = 1 ] || { echo "usage: $0 <output.tar>" >&2; exit 2; }
out="$(realpath -m "$1")"
jdk="${TEMURIN25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# java.se rather than a hand-picked list: Spring Data's AOT repository support needs java.compiler at run time.
modules=java.se,jdk.unsupported,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.crypto.cryptoki,jdk.jfr
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
root="$dir/rootfs"
mkdir -p "$root"/{etc,tmp,proc,dev,sys,lib64,lib/x86_64-linux-gnu,opt}

# --generate-cds-archive: the JDK's default class-data archive, which a jlink output lacks.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --generate-cds-archive --output "$root/opt/java"
# The shared libraries the JRE's binaries link, plus the ones glibc loads by name for name resolution.
{ find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
    | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$root/"
  ls /lib/x86_64-linux-gnu/{libnss_files,libnss_dns,libresolv}.so.2; } | sort -u | while read -r lib; do
  case "$lib" in
    /lib64/*) cp -L "$lib" "$root/lib64/" ;;
    *) cp -L "$lib" "$root/lib/x86_64-linux-gnu/" ;;
  esac
done
chmod 1777 "$root/tmp"
# uid/gid 1000: the images' user (Jib container.user) and the Deployments' runAsUser.
printf 'root:x:0:0:root:/root:/sbin/nologin\nstorefront:x:1000:1000:storefront:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nstorefront:x:1000:\n' >"$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"

reproducible_tar() { tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu "$@"; }
reproducible_tar -C "$root" -cf "$dir/layer.tar" .
diff_id="sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)"
cat >"$dir/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"jlink --add-modules $modules","comment":"jlink JRE 25 + system libraries"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["storefront/base-jre25:local"],"Layers":["layer.tar"]}]' >"$dir/manifest.json"
mkdir -p "$(dirname "$out")"
reproducible_tar -C "$dir" -cf "$out" config.json layer.tar manifest.json
echo "$out: $(du -m "$out" | cut -f1) MiB, sha256 $(sha256sum "$out" | cut -c1-16)"
