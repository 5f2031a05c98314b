#!/usr/bin/env bash
# `make run`: kgate on https://127.0.0.1:6443 with an admin kubeconfig, in front of a private etcd unless ARGS names
# one with --etcd-servers. State lives in ${KGATE_HOME:-.kgate}; Ctrl-C stops kgate, then etcd.
set -euo pipefail
cd "$(dirname "$0")/.."

KGATE_HOME="${KGATE_HOME:-.kgate}"
mkdir -p "$KGATE_HOME"
KGATE_HOME="$(cd "$KGATE_HOME" && pwd)"
# ARGS is split on whitespace on purpose: `make run ARGS="--v=4 --secure-port=7443"`.
read -r -a extra_args <<< "${ARGS:-}"

secure_port=6443
external_etcd=""
# kube's own deployments (kubeadm) authorize with Node,RBAC: kubelets are limited to their node, everyone else is
# judged by RBAC, and NodeRestriction admission keeps kubelets to their own objects. An --authorization-mode or
# --enable-admission-plugins in ARGS replaces these.
authorization_args=(--authorization-mode=Node,RBAC)
admission_args=(--enable-admission-plugins=NodeRestriction)
for ((i = 0; i < ${#extra_args[@]}; i++)); do
  case "${extra_args[$i]}" in
    --secure-port=*) secure_port="${extra_args[$i]#--secure-port=}" ;;
    --secure-port) secure_port="${extra_args[$((i + 1))]:-}" ;;
    --etcd-servers | --etcd-servers=*) external_etcd=yes ;;
    --authorization-mode | --authorization-mode=*) authorization_args=() ;;
    --enable-admission-plugins | --enable-admission-plugins=*) admission_args=() ;;
  esac
done

etcd_pid=""
kgate_pid=""

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

alive() {
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null
}

stop() {
  local pid="$1"
  if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  trap - INT TERM EXIT
  if [[ -n "$kgate_pid" ]]; then stop "$kgate_pid"; fi
  if [[ -n "$etcd_pid" ]]; then stop "$etcd_pid"; fi
}
trap cleanup EXIT
trap 'echo; echo "Stopping kgate and etcd..."; exit 130' INT
trap 'echo "Stopping kgate and etcd..."; exit 143' TERM

# Children get their own session, so Ctrl-C reaches only this script, which stops them once and in order.
# Called as `detached cmd &`: exec keeps $! the command's own pid.
detached() {
  if command -v setsid >/dev/null 2>&1; then exec setsid "$@"; else exec "$@"; fi
}

# First run creates the PKI, the ServiceAccount signing key and the admin token; every run rewrites the kubeconfig for the port in use.
node dist/src/main.js dev-setup "$KGATE_HOME" "$secure_port"

etcd_args=()
if [[ -z "$external_etcd" ]]; then
  client_port=2379
  while port_in_use "$client_port" || port_in_use "$((client_port + 1))"; do
    client_port=$((client_port + 2))
    if ((client_port > 2479)); then
      echo "no free port pair for etcd between 2379 and 2480" >&2
      exit 1
    fi
  done
  peer_port=$((client_port + 1))
  client_url="http://127.0.0.1:${client_port}"
  peer_url="http://127.0.0.1:${peer_port}"
  detached etcd \
    --name kgate \
    --data-dir "$KGATE_HOME/etcd" \
    --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "kgate=${peer_url}" \
    --logger zap --log-level warn \
    >"$KGATE_HOME/etcd.log" 2>&1 &
  etcd_pid=$!
  for ((attempt = 0; ; attempt++)); do
    if ! alive "$etcd_pid"; then
      echo "etcd exited; last lines of $KGATE_HOME/etcd.log:" >&2
      tail -n 20 "$KGATE_HOME/etcd.log" >&2
      exit 1
    fi
    if etcdctl --endpoints "$client_url" --command-timeout=1s endpoint health >/dev/null 2>&1; then break; fi
    if ((attempt >= 150)); then
      echo "etcd at $client_url did not become healthy; see $KGATE_HOME/etcd.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "etcd is serving $client_url (data in $KGATE_HOME/etcd, log in $KGATE_HOME/etcd.log)"
  etcd_args=(--etcd-servers="$client_url")
fi

detached node dist/src/main.js \
  --secure-port=6443 \
  --bind-address=127.0.0.1 \
  --tls-cert-file="$KGATE_HOME/pki/apiserver.crt" \
  --tls-private-key-file="$KGATE_HOME/pki/apiserver.key" \
  --token-auth-file="$KGATE_HOME/tokens.csv" \
  "${authorization_args[@]}" \
  "${admission_args[@]}" \
  --service-account-key-file="$KGATE_HOME/pki/sa.pub" \
  --service-account-signing-key-file="$KGATE_HOME/pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  "${etcd_args[@]}" \
  "${extra_args[@]}" &
kgate_pid=$!

for ((attempt = 0; ; attempt++)); do
  alive "$kgate_pid" || break
  if port_in_use "$secure_port"; then
    cat <<EOF

kgate is serving https://127.0.0.1:${secure_port}. In another shell:

  export KUBECONFIG=${KGATE_HOME}/kubeconfig
  export PATH=${PWD}/.tools/bin:\$PATH    # the pinned kubectl v1.34.5 and helm v4.1.4
  kubectl get ns

Press Ctrl-C to stop kgate and etcd.

EOF
    break
  fi
  if ((attempt >= 300)); then break; fi
  sleep 0.1
done

set +e
wait "$kgate_pid"
status=$?
set -e
kgate_pid=""
echo "kgate exited with status $status"
exit "$status"
