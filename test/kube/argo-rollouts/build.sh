#!/usr/bin/env bash
# Builds the real Argo Rollouts controller (github.com/argoproj/argo-rollouts, pinned below) for the
# real-node lab into a cache outside the repo, reusing it when present. Prints the binary's path on stdout;
# the module's CRDs are kept beside it in crds/ (the lab applies them server-side).
# `go install ...@version` cannot build it (its go.mod has replace directives), so this builds
# ./cmd/rollouts-controller unchanged from a copy of the module directory, where its own replaces apply.
# Its go.mod asks for go1.26.10: GOTOOLCHAIN names that toolchain (the Go module proxy serves it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=v1.10.2
toolchain=go1.26.10
root="${ZDPROBE_CACHE:-$HOME/.cache/zdprobe}/argo-rollouts/$version"
stamp="$(sha256sum "$here/build.sh" | cut -d' ' -f1)"
if [ -x "$root/bin/rollouts-controller" ] && [ -d "$root/crds" ] && [ "$(cat "$root/bin/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$root/bin/rollouts-controller"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "argo-rollouts/build.sh: no Go toolchain on PATH (Argo Rollouts $version needs $toolchain, fetched by the go command)" >&2
  exit 1
fi
export CGO_ENABLED=0 GOTOOLCHAIN=$toolchain
mod="$(GOFLAGS=-mod=mod go mod download -json "github.com/argoproj/argo-rollouts@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$mod" ] || { echo "argo-rollouts/build.sh: cannot download github.com/argoproj/argo-rollouts@$version" >&2; exit 1; }
src="$root/src"
rm -rf "$src" "$root/bin.tmp" "$root/crds.tmp"
mkdir -p "$root"
cp -r "$mod" "$src"
chmod -R u+w "$src"

echo "argo-rollouts/build.sh: building rollouts-controller $version" >&2
mkdir -p "$root/bin.tmp"
(cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath \
  -ldflags "-s -w -X github.com/argoproj/argo-rollouts/utils/version.version=${version#v}" \
  -o "$root/bin.tmp/rollouts-controller" ./cmd/rollouts-controller)
cp -r "$src/manifests/crds" "$root/crds.tmp"
rm -rf "$root/crds" && mv "$root/crds.tmp" "$root/crds"
mkdir -p "$root/bin"
mv -f "$root/bin.tmp/rollouts-controller" "$root/bin/rollouts-controller"
rm -rf "$root/bin.tmp" "$src"
echo "$stamp" > "$root/bin/.stamp"
echo "$root/bin/rollouts-controller"
