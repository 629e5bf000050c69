#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager and the real-node parts (kubelet, kube-proxy,
# kube-scheduler, a static pause) from the pinned Go modules into a cache outside the repo (keyed by
# Kubernetes version), reusing it when present. Prints the bin dir on stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

kube_version="$(sed -n 's/^[[:space:]]*\(require \)\{0,1\}k8s.io\/kubernetes \(v[0-9.]*\).*/\2/p' "$here/kube/go.mod" | head -n1)"
etcd_version="$(sed -n 's/^[[:space:]]*\(require \)\{0,1\}go.etcd.io\/etcd\/server\/v3 \(v[0-9.]*\).*/\2/p' "$here/etcd/go.mod" | head -n1)"
if [ -z "$kube_version" ] || [ -z "$etcd_version" ]; then
  echo "build.sh: cannot read pinned versions from $here/{kube,etcd}/go.mod" >&2
  exit 1
fi
minor="$(echo "$kube_version" | cut -d. -f2)"
bin="${ZDPROBE_CACHE:-$HOME/.cache/zdprobe}/kube/$kube_version/bin"

pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
# The stamp covers every input, so an edited go.mod/go.sum/main rebuilds instead of reusing stale binaries.
stamp="$(cd "$here" && cat kube/go.mod kube/go.sum etcd/go.mod etcd/go.sum etcd/main.go kube/cmd/*/main.go pause/go.mod pause/main.go \
  | cat - <(echo "$ldflags") | sha256sum | cut -d' ' -f1)"
kube_bins="kube-apiserver kube-controller-manager kubelet kube-proxy kube-scheduler"
all="etcd $kube_bins pause"
built=1
for b in $all; do [ -x "$bin/$b" ] || built=0; done
if [ "$built" = 1 ] && [ "$(cat "$bin/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: no Go toolchain on PATH (need Go >= 1.24; go.mod pins go 1.24.0 and GOTOOLCHAIN=local)" >&2
  exit 1
fi
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false"
tmp="$bin.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"

echo "build.sh: building etcd $etcd_version" >&2
(cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" .)
echo "build.sh: building $kube_bins $kube_version" >&2
(cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$tmp/" $(for b in $kube_bins; do echo "./cmd/$b"; done))
echo "build.sh: building pause" >&2
(cd "$here/pause" && go build -trimpath -ldflags "-s -w" -o "$tmp/pause" .)

# Move into place only after every binary built, so a failed build never leaves a half-filled bin dir.
mkdir -p "$bin"
for b in $all; do mv -f "$tmp/$b" "$bin/$b"; done
echo "$stamp" > "$bin/.stamp"
echo "$bin"
