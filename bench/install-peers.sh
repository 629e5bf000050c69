#!/usr/bin/env bash
# Installs the peer load tools used by bench/run.js, outside the repo and idempotently.
# Everything lands under $ZD_BENCH_HOME (default ~/.cache/zdprobe/bench); nothing is committed.
# Usage: bench/install-peers.sh [--no-oha]   (no AGPL peer: see RESULTS.md)
set -u
HOME_DIR="${ZD_BENCH_HOME:-$HOME/.cache/zdprobe/bench}"
BIN="$HOME_DIR/bin"
mkdir -p "$BIN"
want_oha=1
for a in "$@"; do
  case "$a" in
    --no-oha) want_oha=0 ;;
  esac
done

log() { printf '[install-peers] %s\n' "$*"; }
have() { [ -x "$BIN/$1" ] || command -v "$1" >/dev/null 2>&1; }

# Debian: wrk (closed loop) and hey (rakyll/hey). Debian's "bombardier" package is an unrelated game.
apt_pkgs=()
command -v wrk >/dev/null 2>&1 || apt_pkgs+=(wrk)
command -v hey >/dev/null 2>&1 || apt_pkgs+=(hey)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  log "apt-get install ${apt_pkgs[*]}"
  (apt-get install -y "${apt_pkgs[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "${apt_pkgs[@]}" >/dev/null 2>&1; }) || log "apt-get failed for ${apt_pkgs[*]}"
fi

# Go tools via the module proxy. `go install mod@latest` needs the proxy's version list, which a
# restricted mirror may refuse (403); then a pinned version is downloaded and built in place.
go_get() { # name module pinned-version [package-dir]
  if [ -x "$BIN/$1" ]; then log "$1 present"; return; fi
  log "go install $2@latest"
  if GOBIN="$BIN" go install "$2@latest" 2>/dev/null; then
    echo "$1 $(go version -m "$BIN/$1" | awk '$1 == "mod" { print $3 }')" >> "$HOME_DIR/versions.txt"; return
  fi
  log "fallback: go mod download $2@$3 and build"
  local dir
  dir=$(cd /tmp && go mod download -json "$2@$3" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$dir" ]; then log "go mod download $2@$3 failed"; return; fi
  if (cd "$dir" && go build -o "$BIN/$1" "./${4:-}"); then echo "$1 $3" >> "$HOME_DIR/versions.txt"
  else log "go build $2@$3 failed"; fi
}
if command -v go >/dev/null 2>&1; then
  go_get vegeta github.com/tsenart/vegeta/v12 v12.12.0
  # fortio >= 1.67 needs grol.io, which the mirror here does not serve.
  go_get fortio fortio.org/fortio v1.66.0
  go_get bombardier github.com/codesenberg/bombardier v1.2.6
else
  log "go not found: skipping vegeta, fortio, bombardier"
fi

# oha via crates.io (a long compile).
if [ "$want_oha" = 1 ]; then
  if [ -x "$BIN/oha" ]; then log "oha present"
  elif command -v cargo >/dev/null 2>&1; then
    log "cargo install oha"
    cargo install oha --locked --root "$HOME_DIR" || cargo install oha --root "$HOME_DIR" || log "cargo install oha failed"
  else log "cargo not found: skipping oha"; fi
fi

# autocannon via npm, in its own prefix.
if [ -x "$HOME_DIR/node_modules/.bin/autocannon" ]; then log "autocannon present"
else
  log "npm install autocannon"
  npm install --silent --no-audit --no-fund --prefix "$HOME_DIR" autocannon || log "npm install autocannon failed"
fi
log "done"
