#!/usr/bin/env bash
# Builds etcd, kube-apiserver and kube-controller-manager from the pinned Go modules into a cache
# outside the repo (keyed by Kubernetes version), reusing it when present. Prints the bin dir on stdout.
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
stamp="$(cd "$here" && cat kube/go.mod kube/go.sum etcd/go.mod etcd/go.sum etcd/main.go kube/cmd/*/main.go \
  | cat - <(echo "$ldflags") | sha256sum | cut -d' ' -f1)"
if [ -x "$bin/etcd" ] && [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kube-controller-manager" ] \
  && [ "$(cat "$bin/.stamp" 2>/dev/null)" = "$stamp" ]; then
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
echo "build.sh: building kube-apiserver and kube-controller-manager $kube_version" >&2
(cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$tmp/" ./cmd/kube-apiserver ./cmd/kube-controller-manager)

# Move into place only after every binary built, so a failed build never leaves a half-filled bin dir.
mkdir -p "$bin"
for b in etcd kube-apiserver kube-controller-manager; do mv -f "$tmp/$b" "$bin/$b"; done
echo "$stamp" > "$bin/.stamp"
echo "$bin"
