#!/usr/bin/env bash
# Creates Secret jetmesh-nats-credentials in namespace jetmesh with one random password per NATS user
# (the users of nats-values.yaml). Idempotent: an existing Secret is left unchanged.
# Workers read their own key (e.g. worker-pdf); the NATS servers read all of them.
set -euo pipefail
NAMESPACE="${NAMESPACE:-jetmesh}"
USERS=(admin app gateway worker-pdf worker-image worker-text worker-audio worker-diag)
if kubectl -n "$NAMESPACE" get secret jetmesh-nats-credentials >/dev/null 2>&1; then
  echo "secret jetmesh-nats-credentials exists in $NAMESPACE: unchanged"
  exit 0
fi
args=()
for u in "${USERS[@]}"; do args+=("--from-literal=$u=$(openssl rand -hex 24)"); done
kubectl -n "$NAMESPACE" create secret generic jetmesh-nats-credentials "${args[@]}"
echo "created secret jetmesh-nats-credentials in $NAMESPACE with keys: ${USERS[*]}"
