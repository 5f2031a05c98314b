#!/usr/bin/env bash
# `make reference`: build the real kube-apiserver and the official e2e.test binary from k8s.io/kubernetes (the
# version pinned in tools/reference/go.mod) into a per-machine cache outside the work tree, so differential tests,
# `make conformance` and benchmarks can run kgate beside the server it imitates. Nothing in kgate depends on them.
#
# Output: ${KGATE_REFERENCE_DIR:-$HOME/.cache/kgate-reference}/<version>/{kube-apiserver,e2e.test,kubectl,etcd}:
# kubectl at the same version for e2e.test's kubectl tests (the one on PATH may be any version), and the etcd that
# version's go.mod pins (v3.6.x, as kube's integration tests run): Debian's etcd 3.4.23 predates the watch-progress
# support kube-apiserver needs to serve watches and consistent lists from its cache. A binary whose stamp
# (<binary>.pin) matches the hash of tools/reference/go.mod and go.sum is reused; delete it to rebuild. The first build of both takes tens of
# minutes on two cores. `scripts/reference.sh --print-dir` prints the output directory and exits.
# Usage: scripts/reference.sh [--print-dir] [kube-apiserver] [e2e.test] [kubectl] [etcd]   (no names: all four)
set -euo pipefail
cd "$(dirname "$0")/../tools/reference"

# Either `require k8s.io/kubernetes vX` or a line of a require block; never the replace lines (k8s.io/kubernetes has none).
version="$(awk '{ for (i = 1; i < NF; i++) if ($i == "k8s.io/kubernetes" && $(i + 1) ~ /^v1\./) { print $(i + 1); exit } }' go.mod)"
if [[ -z "$version" ]]; then
  echo "reference: tools/reference/go.mod has no 'require k8s.io/kubernetes <version>' line" >&2
  exit 1
fi
out="${KGATE_REFERENCE_DIR:-$HOME/.cache/kgate-reference}/$version"

if [[ "${1:-}" == "--print-dir" ]]; then
  echo "$out"
  exit 0
fi

targets=("$@")
if ((${#targets[@]} == 0)); then targets=(kube-apiserver e2e.test kubectl etcd); fi

if ! command -v go >/dev/null 2>&1; then
  echo "reference: go is not on PATH; install Go >= 1.24 to build kube-apiserver $version" >&2
  exit 1
fi

# A binary is current when its stamp holds the hash of the go.mod and go.sum it was built from: a fresh clone's
# files are new but their content is not, so a machine's cached binaries serve every clone (CI's included).
pin_hash() {
  cat go.mod go.sum | sha256sum | cut -d' ' -f1
}
fresh() {
  [[ -x "$out/$1" && -f "$out/$1.pin" && "$(cat "$out/$1.pin")" == "$(pin_hash)" ]]
}

pending=()
for target in "${targets[@]}"; do
  case "$target" in
    kube-apiserver | e2e.test | kubectl | etcd) ;;
    *)
      echo "reference: unknown binary '$target' (expected kube-apiserver, e2e.test, kubectl or etcd)" >&2
      exit 2
      ;;
  esac
  if fresh "$target"; then
    echo "reference: $out/$target is up to date"
  else
    pending+=("$target")
  fi
done
if ((${#pending[@]} == 0)); then exit 0; fi

mkdir -p "$out"
# go.sum is committed and complete; -mod=mod only lets a newer Go add what it wants without failing the build.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
# Two cores: more parallel compiles only add memory pressure.
parallel="${KGATE_REFERENCE_PARALLEL:-2}"

# Fetch first, so a module the proxy cannot serve is named on its own line instead of deep in a build log.
echo "reference: downloading modules for k8s.io/kubernetes $version (GOPROXY=$(go env GOPROXY))"
download_log="$(mktemp)"
trap 'rm -f "$download_log"' EXIT
# No arguments: the modules needed to build and test the main module's packages, without adding to go.sum.
if ! go mod download -json >"$download_log" 2>&1; then
  failed="$(awk '
    /"Path":/ { path = $2; gsub(/[",]/, "", path) }
    /"Version":/ { ver = $2; gsub(/[",]/, "", ver) }
    /"Error":/ { sub(/^[ \t]*"Error":[ \t]*/, ""); print "  " path "@" ver ": " $0 }
  ' "$download_log")"
  echo "reference: cannot fetch the modules kube-apiserver $version needs:" >&2
  if [[ -n "$failed" ]]; then echo "$failed" >&2; else tail -n 20 "$download_log" >&2; fi
  exit 1
fi

# The version stamps kube's own build (hack/lib/version.sh) writes, so /version and e2e.test's checks see v1.x.y.
minor="${version#v1.}"
minor="${minor%%.*}"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
version_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done
# Go 1.26.8 links v1.34.4 as is. If a newer Go refuses an old //go:linkname in a dependency, add -checklinkname=0.
ldflags="-s -w$version_ldflags"

for target in "${pending[@]}"; do
  started=$SECONDS
  tmp="$out/.$target.tmp.$$"
  echo "reference: building $target $version into $out (this takes a while the first time)"
  case "$target" in
    kube-apiserver)
      go build -p "$parallel" -trimpath -ldflags="$ldflags" -o "$tmp" k8s.io/kubernetes/cmd/kube-apiserver
      ;;
    kubectl)
      go build -p "$parallel" -trimpath -ldflags="$ldflags" -o "$tmp" k8s.io/kubernetes/cmd/kubectl
      ;;
    etcd)
      # etcd's own version stamp comes from its module version; kube's -X flags do not apply.
      go build -p "$parallel" -trimpath -ldflags="-s -w" -o "$tmp" go.etcd.io/etcd/server/v3
      ;;
    e2e.test)
      go test -c -p "$parallel" -trimpath -ldflags="$ldflags" -o "$tmp" k8s.io/kubernetes/test/e2e
      ;;
  esac
  mv -f "$tmp" "$out/$target"
  pin_hash >"$out/$target.pin"
  echo "reference: built $out/$target in $((SECONDS - started))s ($(du -h "$out/$target" | cut -f1))"
done
