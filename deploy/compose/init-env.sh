#!/usr/bin/env bash
# Writes deploy/compose/.env with random NATS passwords (one per user of nats.conf), S3 keys and the gateway's API
# key, and gateway-api-keys with that key's SHA-256 (the gateway compares hashes), once.
# Idempotent: an existing .env is kept (delete it to rotate every secret; then recreate the containers).
set -euo pipefail
cd "$(dirname "$0")"
if [[ -f .env ]]; then echo ".env exists: unchanged"; exit 0; fi
umask 077
key="$(openssl rand -hex 24)"
{
  echo "# jetmesh compose secrets, written by init-env.sh (keep 0600)"
  for v in ADMIN APP GATEWAY WORKER_PDF WORKER_IMAGE WORKER_TEXT; do
    echo "${v}_PASSWORD=$(openssl rand -hex 24)"
  done
  echo "S3_ACCESS_KEY=jetmesh$(openssl rand -hex 6)"
  echo "S3_SECRET_KEY=$(openssl rand -hex 24)"
  echo "GATEWAY_API_KEY=$key"
} > .env
umask 022
{
  echo "# API keys of the compose gateway (docs/gateway.md#api-keys): sha256 of the key, name, scopes"
  echo "sha256:$(printf %s "$key" | sha256sum | cut -d' ' -f1) compose-admin read,submit,admin"
} > gateway-api-keys
echo "wrote $(pwd)/.env and $(pwd)/gateway-api-keys (the gateway key is GATEWAY_API_KEY in .env)"
