#!/usr/bin/env bash
# Builds real Traefik (github.com/traefik/traefik/v3, pinned below) for the real-node lab into a cache
# outside the repo, reusing it when present. Prints the binary's path on stdout.
# `go install ...@version` cannot build it (its go.mod has replace directives), so this builds
# ./cmd/traefik from a copy of the module directory, with three mends (docs/real-node.md says why):
#  1. pkg/config/dynamic/ext is a nested module missing from the module zip: a trivial stand-in package;
#  2. the go-http-auth fork's pinned pseudo-version is refused by the proxy: an older one of the same fork;
#  3. lego's ACME DNS-provider SDKs are refused by the proxy: that import is cut (ACME is not used here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=v3.7.13
http_auth=github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e
root="${ZDPROBE_CACHE:-$HOME/.cache/zdprobe}/traefik/$version"
stamp="$(sha256sum "$here/build.sh" | cut -d' ' -f1)"
if [ -x "$root/bin/traefik" ] && [ "$(cat "$root/bin/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$root/bin/traefik"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "traefik/build.sh: no Go toolchain on PATH (Traefik $version needs Go >= 1.26)" >&2
  exit 1
fi
export CGO_ENABLED=0 GOTOOLCHAIN=local
mod="$(GOFLAGS=-mod=mod go mod download -json "github.com/traefik/traefik/v3@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$mod" ] || { echo "traefik/build.sh: cannot download github.com/traefik/traefik/v3@$version" >&2; exit 1; }
src="$root/src"
rm -rf "$src" "$root/bin.tmp"
mkdir -p "$root"
cp -r "$mod" "$src"
chmod -R u+w "$src"

# 1. The nested module: Traefik's own open-source build has no extensions, only empty struct types.
mkdir -p "$src/pkg/config/dynamic/ext"
printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24.0\n' > "$src/pkg/config/dynamic/ext/go.mod"
cat > "$src/pkg/config/dynamic/ext/ext.go" <<'GO'
// Package ext stands in for Traefik's nested extension module, absent from the module zip.
package ext

// HTTP extends dynamic.HTTP; nothing here.
type HTTP struct{}

// Router extends dynamic.Router; nothing here.
type Router struct{}
GO
# 2. The fork version the proxy serves.
sed -i "s#^\(\s*github.com/abbot/go-http-auth => \).*#\1${http_auth/@/ }#" "$src/go.mod"
grep -q "go-http-auth => ${http_auth/@/ }" "$src/go.mod" || { echo "traefik/build.sh: go-http-auth replace not found in go.mod" >&2; exit 1; }
# 3. No ACME DNS providers: the import goes, and asking for one is an error.
acme="$src/pkg/provider/acme/provider.go"
sed -i '/"github.com\/go-acme\/lego\/v5\/providers\/dns"/d' "$acme"
sed -i 's#provider, err = dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)#err = errors.New("ACME DNS challenge providers are not built into this Traefik (zdprobe real-node lab build)")#' "$acme"
grep -q 'not built into this Traefik' "$acme" || { echo "traefik/build.sh: ACME DNS provider call not found" >&2; exit 1; }

echo "traefik/build.sh: building traefik $version" >&2
mkdir -p "$root/bin.tmp"
(cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath \
  -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$version" -o "$root/bin.tmp/traefik" ./cmd/traefik)
mkdir -p "$root/bin"
mv -f "$root/bin.tmp/traefik" "$root/bin/traefik"
rm -rf "$root/bin.tmp" "$src"
echo "$stamp" > "$root/bin/.stamp"
echo "$root/bin/traefik"
