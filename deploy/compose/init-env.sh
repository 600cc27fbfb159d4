#!/usr/bin/env bash
# Writes deploy/compose/.env with random NATS passwords (one per user of nats.conf) and S3 keys, once.
# Idempotent: an existing .env is kept (delete it to rotate every secret; then recreate the containers).
set -euo pipefail
cd "$(dirname "$0")"
if [[ -f .env ]]; then echo ".env exists: unchanged"; exit 0; fi
umask 077
{
  echo "# jetmesh compose secrets, written by init-env.sh (keep 0600)"
  for v in ADMIN APP GATEWAY WORKER_PDF WORKER_IMAGE WORKER_TEXT WORKER_AUDIO WORKER_DIAG; do
    echo "${v}_PASSWORD=$(openssl rand -hex 24)"
  done
  echo "S3_ACCESS_KEY=jetmesh$(openssl rand -hex 6)"
  echo "S3_SECRET_KEY=$(openssl rand -hex 24)"
} > .env
echo "wrote $(pwd)/.env"
