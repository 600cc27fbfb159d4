#!/usr/bin/env bash
# Creates the Secrets of namespace jetmesh, each only if it does not exist yet (idempotent; delete one to rotate it):
#   jetmesh-nats-credentials  one random password per NATS user (the users of nats-values.yaml); workers read their
#                             own key (e.g. worker-pdf), the NATS servers read all of them.
#   jetmesh-gateway-auth      the gateway's API keys file (key 'api-keys', format docs/gateway.md#api-keys): one key
#                             'ops' with the admin scope and one key 'app' with read,submit. Add lines for more callers:
#                             kubectl -n jetmesh edit secret jetmesh-gateway-auth (or delete it and run this again).
# Read the API keys with:
#   kubectl -n jetmesh get secret jetmesh-gateway-auth -o jsonpath='{.data.api-keys}' | base64 -d
set -euo pipefail
NAMESPACE="${NAMESPACE:-jetmesh}"
USERS=(admin app gateway worker-pdf worker-image worker-text worker-audio worker-diag)

exists() { kubectl -n "$NAMESPACE" get secret "$1" >/dev/null 2>&1; }

if exists jetmesh-nats-credentials; then
  echo "secret jetmesh-nats-credentials exists in $NAMESPACE: unchanged"
else
  args=()
  for u in "${USERS[@]}"; do args+=("--from-literal=$u=$(openssl rand -hex 24)"); done
  kubectl -n "$NAMESPACE" create secret generic jetmesh-nats-credentials "${args[@]}"
  echo "created secret jetmesh-nats-credentials in $NAMESPACE with keys: ${USERS[*]}"
fi

if exists jetmesh-gateway-auth; then
  echo "secret jetmesh-gateway-auth exists in $NAMESPACE: unchanged"
else
  keys="$(mktemp)"
  trap 'rm -f "$keys"' EXIT
  chmod 600 "$keys"
  key() { openssl rand -base64 48 | tr -d '/+=\n' | cut -c1-40; }
  {
    echo "# jetmesh gateway API keys: <key> <name> [scopes] [limits] (docs/gateway.md#api-keys)"
    echo "$(key) ops admin"
    echo "$(key) app read,submit"
  } > "$keys"
  kubectl -n "$NAMESPACE" create secret generic jetmesh-gateway-auth "--from-file=api-keys=$keys"
  echo "created secret jetmesh-gateway-auth in $NAMESPACE with API keys 'ops' (admin) and 'app' (read,submit)"
fi
