#!/usr/bin/env bash
# Creates Secret jetmesh-nats-credentials in namespace jetmesh with one random password per NATS user
# (the users of nats-values.yaml). Idempotent: an existing Secret is left unchanged.
# Workers read their own key (e.g. worker-pdf); the NATS servers read all of them. Also creates Secret
# jetmesh-gateway-api-keys (file api-keys: the SHA-256 of one admin API key) and prints that key once.
set -euo pipefail
NAMESPACE="${NAMESPACE:-jetmesh}"
USERS=(admin app gateway worker-pdf worker-image worker-text worker-audio worker-diag)
if kubectl -n "$NAMESPACE" get secret jetmesh-nats-credentials >/dev/null 2>&1; then
  echo "secret jetmesh-nats-credentials exists in $NAMESPACE: unchanged"
else
  args=()
  for u in "${USERS[@]}"; do args+=("--from-literal=$u=$(openssl rand -hex 24)"); done
  kubectl -n "$NAMESPACE" create secret generic jetmesh-nats-credentials "${args[@]}"
  echo "created secret jetmesh-nats-credentials in $NAMESPACE with keys: ${USERS[*]}"
fi
if kubectl -n "$NAMESPACE" get secret jetmesh-gateway-api-keys >/dev/null 2>&1; then
  echo "secret jetmesh-gateway-api-keys exists in $NAMESPACE: unchanged"
else
  key="$(openssl rand -hex 24)"
  kubectl -n "$NAMESPACE" create secret generic jetmesh-gateway-api-keys \
    --from-literal=api-keys="sha256:$(printf %s "$key" | sha256sum | cut -d' ' -f1) k8s-admin read,submit,admin"
  echo "created secret jetmesh-gateway-api-keys in $NAMESPACE; the gateway's admin API key (shown once): $key"
fi
