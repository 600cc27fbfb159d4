#!/usr/bin/env bash
# Sets up a nats-server with JetStream for jetmesh on one host, or one node of a 3-node cluster.
#
# Idempotent: every file is rewritten only when its content changes, credentials and certificates are generated
# only when missing, and the server is restarted only when its configuration changed. A second run with the same
# flags reports "nothing changed" and leaves the running server alone.
#
# Run `setup.sh --help` for the flags. docs/OPERATIONS.md walks through single host, cluster and Kubernetes.
set -euo pipefail
shopt -s lastpipe   # so that `producer | write_if_changed` records its change in this shell
umask 077

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

# ---------------------------------------------------------------------------------------------------------------
# Defaults (every one is a flag)
PREFIX=""
HOST=""              # 127.0.0.1, or 0.0.0.0 with TLS on (see --host)
PORT=4222
MONITOR_HOST="127.0.0.1"
MONITOR_PORT=8222
PUBLIC_HOST=""
SERVER_NAME=""
AUTH_MODE="users"
CLIENTS="app"
GATEWAYS="gateway"
MAX_PAYLOAD="2MB"
MAX_CONNECTIONS=65536
MAX_MEMORY_STORE="1GB"
MAX_FILE_STORE="50GB"
SYNC=""
TLS_MODE="off"
TLS_CERT=""
TLS_KEY=""
TLS_HOSTS=""
CLUSTER=0
CLUSTER_NAME="jetmesh"
CLUSTER_PORT=6222
CLUSTER_ROUTES=""
NODE_INDEX=1
JS_DOMAIN="jetmesh"
CREDENTIALS_FROM=""
NAMESPACES_FILE=""
REPLICAS=""
JETMESH_CMD=""
PROVISION=1
RUN_MODE="auto"        # auto | systemd | foreground | background | config-only
HEALTH_TIMEOUT=30
ACTION="setup"         # setup | stop | status

usage() {
  cat <<'EOF'
Usage: setup.sh [options]

Sets up nats-server with JetStream for jetmesh: installs nats-server if missing (apt), writes a commented
configuration, generates per-role credentials (0600), optionally TLS, starts the server (systemd unit when systemd
runs, otherwise a background process with a pid file, or --foreground), waits until it is healthy, provisions the
mesh from namespaces.yaml through `jetmesh provision`, and prints what clients and workers need to connect.
Idempotent: re-running with the same flags changes nothing and does not restart the server.

As root without --prefix it uses /etc/jetmesh, /var/lib/jetmesh, /var/log/jetmesh and /run/jetmesh.

Layout and ports:
  --prefix DIR            Install under DIR (DIR/etc/jetmesh, DIR/var/lib/jetmesh, ...); runs unprivileged, never
                          uses systemd. For tests and labs.
  --host ADDR             Client listen address (default 127.0.0.1 with --tls off, 0.0.0.0 with TLS on: a server
                          reachable from other hosts without TLS needs this flag explicitly, e.g. --host 0.0.0.0).
  --port N                Client port (default 4222).
  --monitor-host ADDR     Monitoring (/healthz /varz /jsz) listen address (default 127.0.0.1: not exposed).
  --monitor-port N        Monitoring port (default 8222).
  --public-host NAME      Host name printed in connection URLs (default: this host's FQDN, or 127.0.0.1 with
                          --prefix).
  --server-name NAME      server_name (default: short host name; in cluster mode <cluster-name>-n<node-index>).

Limits:
  --max-payload SIZE      Largest message (default 2MB; a job message is at most 1MiB per namespaces.yaml).
  --max-connections N     Client connection limit (default 65536).
  --max-memory-store SIZE JetStream memory storage limit (default 1GB).
  --max-file-store SIZE   JetStream file storage limit (default 50GB).
  --sync always|DURATION  JetStream fsync policy (`sync_interval`). Needs nats-server >= 2.10; on older servers the
                          setting does not exist and is NOT written (a warning says so): see OPERATIONS.md.

Authentication:
  --auth users|token      users (default): per-role users with least-privilege permissions (admin, clients,
                          one worker user per namespace). token: one shared token for everything (the seed's mode).
  --clients LIST          Comma-separated client user names (default: app). A client's user name is its routing
                          token: it may read only jetmesh.results.<user>.> and jetmesh.progress.<user>.>, and it
                          receives replies only under its own inbox prefix _INBOX.<user>.> (jetmesh's clients set
                          it from the user name; other NATS libraries must set that inbox prefix).
  --gateways LIST         Comma-separated user names of HTTP gateways (default: gateway; '' for none). A gateway
                          user is a client plus what the gateway does: its job-ownership bucket, queue depths, dead
                          letters and replay. Only the names listed here get that role (a client user named
                          gateway-x in --clients is an ordinary client).
  --private-inboxes       Accepted for compatibility: private inboxes are always on.
  --credentials-from DIR  Copy missing credentials from DIR (another node's credentials directory) so that every
                          node of a cluster accepts the same users.

TLS (client connections):
  --tls off|self-signed|files  off (default); self-signed: generate a lab CA and a server certificate with openssl
                          (kept across runs); files: use --tls-cert/--tls-key.
  --tls-cert FILE         Server certificate (PEM) for --tls files.
  --tls-key FILE          Server private key (PEM) for --tls files.
  --tls-hosts LIST        Extra DNS names / IP addresses for the self-signed certificate's SAN.

Cluster:
  --cluster               Write this node's configuration for a 3-node JetStream cluster and provision with 3
                          replicas (provisioning runs on the node with the highest --node-index, once all are up).
  --cluster-name NAME     Cluster name (default jetmesh).
  --cluster-port N        Route port of this node (default 6222).
  --routes LIST           Comma-separated host:port of ALL nodes' route ports (this node's own entry included).
  --node-index N          This node's index, 1..number of routes (default 1).
  --js-domain NAME        JetStream domain (default jetmesh).

Mesh provisioning:
  --namespaces FILE       namespaces.yaml (default: the repository's, else /etc/jetmesh/namespaces.yaml). A copy is
                          installed next to the configuration for workers (JETMESH_NAMESPACES).
  --jetmesh CMD           The jetmesh command used to provision (default: `jetmesh` on PATH, else the
                          repository's ./jetmesh launcher).
  --replicas N            Replicas for provisioning (default 1; 3 with --cluster).
  --no-provision          Do not run `jetmesh provision`.

Running:
  --foreground            Run the server in the foreground (for containers and supervisors); SIGTERM stops it.
  --background            Run as a background process with a pid file even when systemd is available.
  --config-only           Write configuration and credentials, check the configuration with `nats-server -t`,
                          but do not start anything.
  --health-timeout SECS   How long to wait for /healthz (default 30).
  --stop                  Stop the background server started by an earlier run (pid file), then exit.
  --status                Print whether the server runs and its /healthz answer, then exit.
  -h, --help              This help.

Files (relative to --prefix when given):
  etc/jetmesh/nats-server.conf           server configuration (0640; passwords only as bcrypt hashes)
  etc/jetmesh/credentials/<user>.env     NATS_URL/NATS_USER/NATS_PASSWORD per user (0600), usable as a systemd
                                         EnvironmentFile or a worker's .env; token mode: token.env (the
                                         token itself, self-contained) and token (0600)
  etc/jetmesh/tls/                       ca.pem, server.pem, server.key (self-signed mode also ca.key)
  etc/jetmesh/namespaces.yaml            the provisioned registry
  var/lib/jetmesh/nats                   JetStream store
  var/log/jetmesh/nats-server.log        log (background mode; systemd logs to the journal)
  run/jetmesh/nats-server.pid            pid file (background mode)
EOF
}

die() { echo "setup.sh: error: $*" >&2; exit 1; }
warn() { echo "setup.sh: warning: $*" >&2; }
info() { echo "setup.sh: $*"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --host) HOST="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --monitor-host) MONITOR_HOST="$2"; shift 2 ;;
    --monitor-port) MONITOR_PORT="$2"; shift 2 ;;
    --public-host) PUBLIC_HOST="$2"; shift 2 ;;
    --server-name) SERVER_NAME="$2"; shift 2 ;;
    --max-payload) MAX_PAYLOAD="$2"; shift 2 ;;
    --max-connections) MAX_CONNECTIONS="$2"; shift 2 ;;
    --max-memory-store) MAX_MEMORY_STORE="$2"; shift 2 ;;
    --max-file-store) MAX_FILE_STORE="$2"; shift 2 ;;
    --sync) SYNC="$2"; shift 2 ;;
    --auth) AUTH_MODE="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --gateways) GATEWAYS="$2"; shift 2 ;;
    --private-inboxes) shift ;;
    --credentials-from) CREDENTIALS_FROM="$2"; shift 2 ;;
    --tls) TLS_MODE="$2"; shift 2 ;;
    --tls-cert) TLS_CERT="$2"; shift 2 ;;
    --tls-key) TLS_KEY="$2"; shift 2 ;;
    --tls-hosts) TLS_HOSTS="$2"; shift 2 ;;
    --cluster) CLUSTER=1; shift ;;
    --cluster-name) CLUSTER_NAME="$2"; shift 2 ;;
    --cluster-port) CLUSTER_PORT="$2"; shift 2 ;;
    --routes) CLUSTER_ROUTES="$2"; shift 2 ;;
    --node-index) NODE_INDEX="$2"; shift 2 ;;
    --js-domain) JS_DOMAIN="$2"; shift 2 ;;
    --namespaces) NAMESPACES_FILE="$2"; shift 2 ;;
    --jetmesh) JETMESH_CMD="$2"; shift 2 ;;
    --replicas) REPLICAS="$2"; shift 2 ;;
    --no-provision) PROVISION=0; shift ;;
    --foreground) RUN_MODE="foreground"; shift ;;
    --background) RUN_MODE="background"; shift ;;
    --config-only) RUN_MODE="config-only"; shift ;;
    --health-timeout) HEALTH_TIMEOUT="$2"; shift 2 ;;
    --stop) ACTION="stop"; shift ;;
    --status) ACTION="status"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# Validation and paths
[[ "$PORT" =~ ^[0-9]+$ && "$MONITOR_PORT" =~ ^[0-9]+$ && "$CLUSTER_PORT" =~ ^[0-9]+$ ]] || die "ports must be numbers"
[[ "$AUTH_MODE" == users || "$AUTH_MODE" == token ]] || die "--auth must be users or token"
[[ "$TLS_MODE" == off || "$TLS_MODE" == self-signed || "$TLS_MODE" == files ]] || die "--tls must be off, self-signed or files"
if [[ "$TLS_MODE" == files ]]; then
  [[ -r "$TLS_CERT" && -r "$TLS_KEY" ]] || die "--tls files needs readable --tls-cert and --tls-key"
fi
if [[ -z "$HOST" ]]; then
  # Plain-text NATS carries passwords and job data: listen beyond this host only with TLS or when asked to.
  if [[ "$TLS_MODE" == off ]]; then HOST="127.0.0.1"; else HOST="0.0.0.0"; fi
fi
# A name in both lists is a gateway (one user, one role): drop it from the clients.
kept=""
for c in ${CLIENTS//,/ }; do
  [[ ",$GATEWAYS," == *",$c,"* ]] || kept+="${kept:+,}$c"
done
CLIENTS="$kept"
for c in ${CLIENTS//,/ } ${GATEWAYS//,/ }; do
  [[ "$c" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "client user name '$c' must match [A-Za-z0-9_-]{1,64} (it is a subject token)"
  [[ "$c" != admin && "$c" != worker-* && "$c" != route ]] || die "client user name '$c' is reserved"
done

if [[ -n "$PREFIX" ]]; then
  mkdir -p "$PREFIX"
  PREFIX="$(cd "$PREFIX" && pwd)"
  ROOT_MODE=0
else
  [[ "$(id -u)" -eq 0 ]] || die "run as root, or pass --prefix DIR to install unprivileged into a directory"
  ROOT_MODE=1
fi
CONF_DIR="$PREFIX/etc/jetmesh"
CRED_DIR="$CONF_DIR/credentials"
TLS_DIR="$CONF_DIR/tls"
CONF_FILE="$CONF_DIR/nats-server.conf"
STORE_DIR="$PREFIX/var/lib/jetmesh/nats"
LOG_DIR="$PREFIX/var/log/jetmesh"
LOG_FILE="$LOG_DIR/nats-server.log"
RUN_DIR="$PREFIX/run/jetmesh"
PID_FILE="$RUN_DIR/nats-server.pid"
UNIT_FILE="/etc/systemd/system/jetmesh-nats.service"

if [[ "$RUN_MODE" == auto ]]; then
  if [[ $ROOT_MODE -eq 1 && -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    RUN_MODE="systemd"
  else
    RUN_MODE="background"
  fi
fi

monitor_url() { echo "http://$MONITOR_HOST:$MONITOR_PORT"; }
pid_alive() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

stop_background() {
  if pid_alive; then
    local pid; pid="$(cat "$PID_FILE")"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { warn "nats-server $pid did not stop in 10 s; sending SIGKILL"; kill -KILL "$pid"; }
    info "stopped nats-server (pid $pid)"
  else
    info "no background nats-server is running (pid file $PID_FILE)"
  fi
  rm -f "$PID_FILE"
}

if [[ "$ACTION" == stop ]]; then stop_background; exit 0; fi
if [[ "$ACTION" == status ]]; then
  if pid_alive; then info "running, pid $(cat "$PID_FILE")"; else info "no background server (pid file $PID_FILE)"; fi
  curl -fsS "$(monitor_url)/healthz" 2>/dev/null && echo || info "/healthz not reachable at $(monitor_url)"
  exit 0
fi

CHANGED=()
# write_if_changed FILE MODE: writes stdin to FILE only if the content differs; always enforces MODE.
write_if_changed() {
  local file="$1" mode="$2" tmp
  mkdir -p "$(dirname "$file")"
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp"
  if [[ -f "$file" ]] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
  else
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$file"
    CHANGED+=("$file")
  fi
  chmod "$mode" "$file"
}

# ---------------------------------------------------------------------------------------------------------------
# nats-server: install if missing, version guard
if ! command -v nats-server >/dev/null; then
  [[ $ROOT_MODE -eq 1 ]] || die "nats-server is not installed; as root: apt-get install -y nats-server"
  command -v apt-get >/dev/null || die "nats-server is missing and this is not a Debian/Ubuntu host (no apt-get)"
  info "installing nats-server (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server >/dev/null || {
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server >/dev/null; } \
    || die "apt-get install nats-server failed"
  CHANGED+=("package nats-server")
fi
NATS_BIN="$(command -v nats-server)"
NATS_VERSION="$("$NATS_BIN" --version | sed -n 's/.*v\([0-9][0-9.]*\).*/\1/p')"
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }
version_ge "$NATS_VERSION" "2.9.0" || die "nats-server $NATS_VERSION is too old; jetmesh needs >= 2.9.0"
if [[ -n "$SYNC" ]] && ! version_ge "$NATS_VERSION" "2.10.0"; then
  warn "nats-server $NATS_VERSION has no 'sync_interval' (2.10+): --sync $SYNC is NOT applied. The file store"
  warn "flushes to the OS without an fsync per message; use --cluster with 3 replicas for durability (OPERATIONS.md)."
  SYNC=""
fi
if ! version_ge "$NATS_VERSION" "2.10.0"; then
  info "nats-server $NATS_VERSION: 2.10+ stream options (compression, metadata, multiple filters, per-message TTL)"
  info "are silently ignored by this server; 'jetmesh provision' reads the configuration back and fails on them."
fi
for cmd in openssl curl; do command -v "$cmd" >/dev/null || die "$cmd is required (apt-get install -y $cmd)"; done

# ---------------------------------------------------------------------------------------------------------------
# Namespaces (streams, consumers, subject prefixes)
if [[ -z "$NAMESPACES_FILE" ]]; then
  for candidate in "$REPO_ROOT/namespaces.yaml" "$CONF_DIR/namespaces.yaml" /etc/jetmesh/namespaces.yaml; do
    [[ -f "$candidate" ]] && { NAMESPACES_FILE="$candidate"; break; }
  done
fi
[[ -n "$NAMESPACES_FILE" && -f "$NAMESPACES_FILE" ]] || die "namespaces.yaml not found; pass --namespaces FILE"
NAMESPACES_FILE="$(cd "$(dirname "$NAMESPACES_FILE")" && pwd)/$(basename "$NAMESPACES_FILE")"

# Prints "namespace stream subject_prefix worker_group" per namespace. namespaces.yaml keeps these four keys as
# plain scalars at fixed indentation (the registry's own format), which is all this reader relies on.
read_namespaces() {
  awk '
    function val(line) { sub(/^[^:]*:[ \t]*/, "", line); sub(/[ \t]+#.*$/, "", line); gsub(/["'\'']/, "", line); return line }
    /^namespaces:/ { inside = 1; next }
    inside && /^[^ \t#]/ { inside = 0 }
    !inside { next }
    /^  [A-Za-z0-9_-]+:[ \t]*(#.*)?$/ { if (ns != "") print ns, st, sp, wg; ns = $1; sub(/:$/, "", ns); st = sp = wg = ""; next }
    /^    stream:/ { st = val($0) }
    /^    subject_prefix:/ { sp = val($0) }
    /^    worker_group:/ { wg = val($0) }
    END { if (ns != "") print ns, st, sp, wg }
  ' "$1"
}
mapfile -t NAMESPACES < <(read_namespaces "$NAMESPACES_FILE")
[[ ${#NAMESPACES[@]} -gt 0 ]] || die "no namespaces found in $NAMESPACES_FILE"
for line in "${NAMESPACES[@]}"; do
  read -r ns st sp wg <<<"$line"
  [[ -n "$st" && -n "$sp" && -n "$wg" ]] || die "namespace '$ns' in $NAMESPACES_FILE lacks stream, subject_prefix or worker_group"
done

# ---------------------------------------------------------------------------------------------------------------
# Cluster settings
ROUTES=()
if [[ $CLUSTER -eq 1 ]]; then
  [[ -n "$CLUSTER_ROUTES" ]] || die "--cluster needs --routes host1:port,host2:port,host3:port (all nodes)"
  IFS=',' read -r -a ROUTES <<<"$CLUSTER_ROUTES"
  [[ ${#ROUTES[@]} -ge 3 ]] || warn "${#ROUTES[@]} routes: a JetStream cluster needs 3 nodes to survive the loss of one"
  [[ "$NODE_INDEX" =~ ^[0-9]+$ && "$NODE_INDEX" -ge 1 && "$NODE_INDEX" -le ${#ROUTES[@]} ]] \
    || die "--node-index must be 1..${#ROUTES[@]}"
  [[ -n "$SERVER_NAME" ]] || SERVER_NAME="$CLUSTER_NAME-n$NODE_INDEX"
  [[ -n "$REPLICAS" ]] || REPLICAS=3
else
  [[ -n "$SERVER_NAME" ]] || SERVER_NAME="$(hostname -s 2>/dev/null || echo jetmesh)"
  [[ -n "$REPLICAS" ]] || REPLICAS=1
fi
[[ "$SERVER_NAME" =~ ^[A-Za-z0-9_.-]+$ ]] || die "server name '$SERVER_NAME' may only contain [A-Za-z0-9_.-]"

if [[ -z "$PUBLIC_HOST" ]]; then
  if [[ -n "$PREFIX" || "$HOST" == 127.* ]]; then PUBLIC_HOST="127.0.0.1"
  elif [[ "$HOST" != 0.0.0.0 ]]; then PUBLIC_HOST="$HOST"
  else PUBLIC_HOST="$(hostname -f 2>/dev/null || hostname)"; fi
fi
SCHEME="nats"; [[ "$TLS_MODE" != off ]] && SCHEME="tls"
NATS_URL="$SCHEME://$PUBLIC_HOST:$PORT"
if [[ $CLUSTER -eq 1 ]]; then
  # Clients list every node; the client port is assumed equal on all nodes unless routes say otherwise.
  urls=()
  for r in "${ROUTES[@]}"; do urls+=("$SCHEME://${r%:*}:$PORT"); done
  if [[ -n "$PREFIX" ]]; then NATS_URL="$SCHEME://$PUBLIC_HOST:$PORT"; else NATS_URL="$(IFS=,; echo "${urls[*]}")"; fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Directories and the service account
mkdir -p "$CONF_DIR" "$CRED_DIR" "$STORE_DIR" "$LOG_DIR" "$RUN_DIR"
chmod 0755 "$CONF_DIR"
chmod 0700 "$CRED_DIR"
SERVICE_USER=""
RUN_AS=()
if [[ $ROOT_MODE -eq 1 ]]; then
  if ! getent passwd nats >/dev/null; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin nats
    CHANGED+=("system user nats")
  fi
  SERVICE_USER="nats"
  # The server runs as 'nats' (systemd User=, or setpriv below): it must reach its store, log and pid directories.
  chmod 0755 "$(dirname "$STORE_DIR")" "$LOG_DIR" "$RUN_DIR"
  chmod 0750 "$STORE_DIR"
  chown -R nats:nats "$STORE_DIR" "$LOG_DIR" "$RUN_DIR"
  RUN_AS=(setpriv --reuid=nats --regid=nats --init-groups --)   # execs: $! is the server itself
fi

# ---------------------------------------------------------------------------------------------------------------
# Credentials
if [[ -n "$CREDENTIALS_FROM" ]]; then
  [[ -d "$CREDENTIALS_FROM" ]] || die "--credentials-from $CREDENTIALS_FROM is not a directory"
  for f in "$CREDENTIALS_FROM"/*.secret "$CREDENTIALS_FROM"/*.bcrypt; do
    [[ -f "$f" ]] || continue
    target="$CRED_DIR/$(basename "$f")"
    if [[ ! -f "$target" ]]; then install -m 0600 "$f" "$target"; CHANGED+=("$target"); fi
  done
fi

random_secret() { openssl rand -base64 48 | tr -d '\n/+=' | cut -c1-40; }

# bcrypt_hash SECRET: nats-server accepts bcrypt hashes ($2a$/$2b$) for passwords and tokens. Fallback tools after
# python3's crypt module (see hash_secrets): htpasswd (apache2-utils), mkpasswd (whois).
bcrypt_hash() {
  local secret="$1" h=""
  if command -v htpasswd >/dev/null; then
    h="$(htpasswd -bnBC 10 "" "$secret" 2>/dev/null | tr -d ':\n' | sed 's/^\$2y\$/$2a$/' || true)"
  fi
  if [[ "$h" != '$2'* ]] && command -v mkpasswd >/dev/null; then
    h="$(printf '%s' "$secret" | mkpasswd -m bcrypt -R 10 -s 2>/dev/null || true)"
  fi
  [[ "$h" == '$2'* ]] && echo "$h" || echo ""
}

PLAINTEXT_SECRETS=0
# ensure_secret NAME: generates CRED_DIR/NAME.secret once. Runs in the current shell (it records changes).
ensure_secret() {
  local secret_file="$CRED_DIR/$1.secret"
  if [[ ! -s "$secret_file" ]]; then
    random_secret | write_if_changed "$secret_file" 0600
  fi
  chmod 0600 "$secret_file"
}
# hash_secrets NAME...: makes CRED_DIR/NAME.bcrypt once per secret, so that the configuration stays byte-identical
# across runs. One python3 process hashes all missing ones (Debian 12, Ubuntu 22.04/24.04 have its crypt module);
# then htpasswd or mkpasswd. Without any of them the secret goes into the configuration in clear text (0600).
hash_secrets() {
  local missing=() n h
  for n in "$@"; do [[ -s "$CRED_DIR/$n.bcrypt" ]] || missing+=("$n"); done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  local python=""
  if [[ -x /usr/bin/python3 ]]; then python=/usr/bin/python3; elif command -v python3 >/dev/null; then python=python3; fi
  if [[ -n "$python" ]]; then
    "$python" -W ignore - "$CRED_DIR" "${missing[@]}" >/dev/null 2>&1 <<'PY' || true
import crypt, os, sys
directory = sys.argv[1]
for name in sys.argv[2:]:
    with open(os.path.join(directory, name + ".secret")) as f:
        secret = f.read().strip()
    hashed = crypt.crypt(secret, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10))
    if hashed and hashed.startswith("$2"):
        fd = os.open(os.path.join(directory, name + ".bcrypt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, (hashed + "\n").encode())
        os.close(fd)
PY
  fi
  for n in "${missing[@]}"; do
    if [[ ! -s "$CRED_DIR/$n.bcrypt" ]]; then
      h="$(bcrypt_hash "$(cat "$CRED_DIR/$n.secret")")"
      if [[ -n "$h" ]]; then echo "$h" | write_if_changed "$CRED_DIR/$n.bcrypt" 0600; fi
    else
      CHANGED+=("$CRED_DIR/$n.bcrypt")
    fi
    [[ -s "$CRED_DIR/$n.bcrypt" ]] || PLAINTEXT_SECRETS=1
  done
}
secret() { cat "$CRED_DIR/$1.secret"; }
# config_secret NAME: the value for the server configuration (the bcrypt hash when one could be made).
config_secret() {
  if [[ -s "$CRED_DIR/$1.bcrypt" ]]; then cat "$CRED_DIR/$1.bcrypt"; else cat "$CRED_DIR/$1.secret"; fi
}

# ---------------------------------------------------------------------------------------------------------------
# TLS
TLS_CA_FILE=""
SERVER_CERT=""
SERVER_KEY=""
if [[ "$TLS_MODE" == self-signed ]]; then
  mkdir -p "$TLS_DIR"; chmod 0755 "$TLS_DIR"
  if [[ ! -s "$TLS_DIR/ca.pem" || ! -s "$TLS_DIR/ca.key" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 3650 -nodes -subj "/CN=jetmesh lab CA" \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" 2>/dev/null || die "openssl could not create the CA"
    rm -f "$TLS_DIR/server.pem"
    CHANGED+=("$TLS_DIR/ca.pem")
  fi
  san="DNS:localhost,IP:127.0.0.1,DNS:$PUBLIC_HOST"
  [[ "$PUBLIC_HOST" =~ ^[0-9.]+$ ]] && san="$san,IP:$PUBLIC_HOST"
  for h in ${TLS_HOSTS//,/ }; do
    if [[ "$h" =~ ^[0-9.]+$ || "$h" == *:* ]]; then san="$san,IP:$h"; else san="$san,DNS:$h"; fi
  done
  echo "$san" | write_if_changed "$TLS_DIR/server.san" 0644
  if [[ ! -s "$TLS_DIR/server.pem" || " ${CHANGED[*]} " == *" $TLS_DIR/server.san "* ]]; then
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -nodes -subj "/CN=$SERVER_NAME" \
      -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" 2>/dev/null || die "openssl could not create a key"
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" >"$TLS_DIR/server.ext"
    openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
      -days 825 -sha256 -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.pem" 2>/dev/null \
      || die "openssl could not sign the server certificate"
    rm -f "$TLS_DIR/server.csr" "$TLS_DIR/server.ext"
    CHANGED+=("$TLS_DIR/server.pem")
  fi
  chmod 0600 "$TLS_DIR/ca.key"; chmod 0644 "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem"
  chmod 0640 "$TLS_DIR/server.key"
  [[ -n "$SERVICE_USER" ]] && chgrp "$SERVICE_USER" "$TLS_DIR/server.key"
  TLS_CA_FILE="$TLS_DIR/ca.pem"; SERVER_CERT="$TLS_DIR/server.pem"; SERVER_KEY="$TLS_DIR/server.key"
elif [[ "$TLS_MODE" == files ]]; then
  SERVER_CERT="$(cd "$(dirname "$TLS_CERT")" && pwd)/$(basename "$TLS_CERT")"
  SERVER_KEY="$(cd "$(dirname "$TLS_KEY")" && pwd)/$(basename "$TLS_KEY")"
fi

# ---------------------------------------------------------------------------------------------------------------
# Permissions per role. Subjects: protocol/src/main/java/io/jetmesh/protocol/Subjects.java and namespaces.yaml.
q() { printf '"%s"' "$1"; }
join_quoted() { local out="" s; for s in "$@"; do out+="${out:+, }$(q "$s")"; done; echo "$out"; }

OBJ_STORE_API=(
  '$O.jetmesh-blobs.>'
  '$JS.API.STREAM.INFO.OBJ_jetmesh-blobs'
  '$JS.API.STREAM.MSG.GET.OBJ_jetmesh-blobs'
  '$JS.API.DIRECT.GET.OBJ_jetmesh-blobs.>'
  '$JS.API.STREAM.PURGE.OBJ_jetmesh-blobs'
  '$JS.API.CONSUMER.CREATE.OBJ_jetmesh-blobs'
  '$JS.API.CONSUMER.CREATE.OBJ_jetmesh-blobs.>'
  '$JS.API.CONSUMER.DELETE.OBJ_jetmesh-blobs.>'
  '$JS.API.CONSUMER.INFO.OBJ_jetmesh-blobs.>'
  '$JS.API.CONSUMER.MSG.NEXT.OBJ_jetmesh-blobs.>'
  # Flow-control replies of the ordered consumer that reads a blob (without them gets of a few MB stall).
  '$JS.FC.OBJ_jetmesh-blobs.>'
)
STATUS_READ_API=(
  '$JS.API.STREAM.INFO.KV_jetmesh-status'
  '$JS.API.STREAM.MSG.GET.KV_jetmesh-status'
  '$JS.API.DIRECT.GET.KV_jetmesh-status.>'
)
CANCEL_READ_API=(
  '$JS.API.STREAM.INFO.KV_jetmesh-cancel'
  '$JS.API.STREAM.MSG.GET.KV_jetmesh-cancel'
  '$JS.API.DIRECT.GET.KV_jetmesh-cancel.>'
)
# Workers watch the cancel bucket (an ordered consumer on KV_jetmesh-cancel).
CANCEL_WATCH_API=(
  '$JS.API.CONSUMER.CREATE.KV_jetmesh-cancel'
  '$JS.API.CONSUMER.CREATE.KV_jetmesh-cancel.>'
  '$JS.API.CONSUMER.DELETE.KV_jetmesh-cancel.>'
  '$JS.API.CONSUMER.INFO.KV_jetmesh-cancel.>'
  '$JS.FC.KV_jetmesh-cancel.>'
)
SERVICES_DISCOVERY=('$SRV.PING' '$SRV.PING.>' '$SRV.INFO' '$SRV.INFO.>' '$SRV.STATS' '$SRV.STATS.>')

# client_permissions USER ROLE: ROLE is client or gateway (--gateways).
client_permissions() {
  local u="$1" role="$2" pub=() sub=() line ns st sp wg
  # Jobs only on <subject_prefix>.<operation>.<user>: workers send the result to the client named by the subject
  # (Subjects.job), so a client cannot submit a job whose result lands with another client.
  for line in "${NAMESPACES[@]}"; do read -r ns st sp wg <<<"$line"; pub+=("$sp.*.$u"); done
  # Cancel requests and "queued" status records only under the user's own keys <user>.<job id> (Subjects.jobKey),
  # read back only by subject (direct get of $KV.<bucket>.<user>.<job id>): no reads by sequence, so no listing of
  # other clients' jobs, and no writes, deletes or purges of their records.
  pub+=("\$KV.jetmesh-cancel.$u.>" "\$KV.jetmesh-status.$u.>" '$JS.API.INFO')
  pub+=('$JS.API.STREAM.INFO.KV_jetmesh-status' "\$JS.API.DIRECT.GET.KV_jetmesh-status.\$KV.jetmesh-status.$u.>"
        '$JS.API.STREAM.INFO.KV_jetmesh-cancel' "\$JS.API.DIRECT.GET.KV_jetmesh-cancel.\$KV.jetmesh-cancel.$u.>")
  for line in "${NAMESPACES[@]}"; do read -r ns st sp wg <<<"$line"; pub+=("\$JS.API.STREAM.INFO.$st"); done
  # Own results only: consumers on JETMESH_RESULTS can be created only with a filter on the user's own subjects
  # (the server puts the filter in the create subject), and direct gets only by the user's own subjects. No
  # consumer info, next or delete by name: those subjects name no owner, so they would reach other clients'
  # consumers (a client's own consumer ends by its inactive_threshold or as an ordered push consumer).
  pub+=('$JS.API.STREAM.INFO.JETMESH_RESULTS'
        "\$JS.API.CONSUMER.CREATE.JETMESH_RESULTS.*.jetmesh.results.$u.>"
        "\$JS.API.DIRECT.GET.JETMESH_RESULTS.jetmesh.results.$u.>"
        '$JS.FC.JETMESH_RESULTS.>')
  pub+=("${OBJ_STORE_API[@]}" "${SERVICES_DISCOVERY[@]}")
  if [[ "$role" == gateway ]]; then
    # The HTTP gateway is a trusted front end: its mesh view reads queue depth and dead letters, its admin users
    # replay them, and it serves results of jobs that other clients (the CLI) submitted.
    for line in "${NAMESPACES[@]}"; do read -r ns st sp wg <<<"$line"; pub+=("\$JS.API.CONSUMER.INFO.$st.$wg"); done
    pub+=('$JS.API.STREAM.INFO.JETMESH_DLQ' '$JS.API.STREAM.MSG.GET.JETMESH_DLQ' '$JS.API.DIRECT.GET.JETMESH_DLQ.>'
          '$JS.API.STREAM.MSG.DELETE.JETMESH_DLQ' '$JS.API.STREAM.MSG.GET.JETMESH_RESULTS' '$JS.API.DIRECT.GET.JETMESH_RESULTS.>'
          '$JS.API.STREAM.PURGE.JETMESH_RESULTS')
    # Its own bucket: which HTTP caller owns which job and upload (docs/gateway.md#who-sees-what). No other user may
    # read or write it.
    pub+=('$KV.jetmesh-gateway-jobs.>' '$JS.API.STREAM.INFO.KV_jetmesh-gateway-jobs'
          '$JS.API.STREAM.MSG.GET.KV_jetmesh-gateway-jobs' '$JS.API.DIRECT.GET.KV_jetmesh-gateway-jobs.>')
  fi
  sub+=("jetmesh.results.$u.>" "jetmesh.progress.$u.>")
  # Replies (JetStream API answers, object store reads) only under the user's own inbox prefix, which the jetmesh
  # client sets from the user name (Subjects.inboxPrefix): no client sees another's replies, uploads or results.
  sub+=("_INBOX.$u.>")
  printf '      permissions: {\n        publish: { allow: [%s] }\n        subscribe: { allow: [%s] }\n      }\n' \
    "$(join_quoted "${pub[@]}")" "$(join_quoted "${sub[@]}")"
}

worker_permissions() {
  local ns="$1" st="$2" wg="$3" pub=() sub=()
  pub+=('$JS.API.INFO' "\$JS.API.STREAM.INFO.$st" "\$JS.API.CONSUMER.INFO.$st.$wg"
        "\$JS.API.CONSUMER.MSG.NEXT.$st.$wg" "\$JS.ACK.$st.$wg.>"
        "\$JS.API.STREAM.MSG.GET.$st" "\$JS.API.DIRECT.GET.$st" "\$JS.API.STREAM.MSG.DELETE.$st")
  pub+=('jetmesh.results.*.>' 'jetmesh.progress.*.>' "jetmesh.dlq.$ns.>"
        '$JS.API.STREAM.INFO.JETMESH_RESULTS' '$JS.API.STREAM.MSG.GET.JETMESH_RESULTS'
        '$JS.API.DIRECT.GET.JETMESH_RESULTS.>' '$JS.API.STREAM.INFO.JETMESH_DLQ'
        '$KV.jetmesh-status.>')
  # Pipelines: a worker publishes the next stage's job to that stage's service.
  local line ons ost osp owg
  for line in "${NAMESPACES[@]}"; do read -r ons ost osp owg <<<"$line"; pub+=("$osp.>"); done
  pub+=("${STATUS_READ_API[@]}" "${CANCEL_READ_API[@]}" "${CANCEL_WATCH_API[@]}" "${OBJ_STORE_API[@]}")
  sub+=("_INBOX.worker-$ns.>" '$SRV.>' 'jetmesh.worker.>'
        "\$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.$st.$wg"
        "\$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.$st.$wg")
  printf '      permissions: {\n        publish: { allow: [%s] }\n        subscribe: { allow: [%s] }\n        # Replies to NATS Services API requests (ping/info/stats) go to the requester'"'"'s inbox.\n        allow_responses: true\n      }\n' \
    "$(join_quoted "${pub[@]}")" "$(join_quoted "${sub[@]}")"
}

# ---------------------------------------------------------------------------------------------------------------
# Credentials files for workers and clients (0600): usable as systemd EnvironmentFile= or as a worker's .env
CREDENTIAL_FILES=()
write_env_file() {
  local name="$1"; shift
  {
    echo "# jetmesh connection for '$name', written by infrastructure/nats-server/setup.sh (keep 0600)"
    echo "NATS_URL=$NATS_URL"
    local kv; for kv in "$@"; do echo "$kv"; done
    [[ -n "$TLS_CA_FILE" ]] && echo "NATS_TLS_CA=$TLS_CA_FILE"
    echo "JETMESH_NAMESPACES=$CONF_DIR/namespaces.yaml"
  } | write_if_changed "$CRED_DIR/$name.env" 0600
  CREDENTIAL_FILES+=("$CRED_DIR/$name.env")
}

# Every secret this configuration needs, generated and hashed up front.
SECRET_NAMES=()
if [[ "$AUTH_MODE" == token ]]; then
  SECRET_NAMES=(token)
else
  SECRET_NAMES=(admin ${CLIENTS//,/ } ${GATEWAYS//,/ })
  for line in "${NAMESPACES[@]}"; do read -r ns _ <<<"$line"; SECRET_NAMES+=("worker-$ns"); done
fi
[[ $CLUSTER -eq 1 ]] && SECRET_NAMES+=(route)
for n in "${SECRET_NAMES[@]}"; do ensure_secret "$n"; done
hash_secrets "${SECRET_NAMES[@]}"

AUTH_BLOCK=""
if [[ "$AUTH_MODE" == token ]]; then
  ensure_secret token
  printf '%s\n' "$(secret token)" | write_if_changed "$CRED_DIR/token" 0600
  # token.env carries the token itself, so that this one file is all another host needs (the seed's hosts only
  # had the printed token). $CRED_DIR/token is the same token for NATS_TOKEN_FILE= users.
  write_env_file token "# The token itself is below: copy this file (0600) to worker and client hosts as their .env (or set" \
    "# NATS_TOKEN_FILE=$CRED_DIR/token where that file exists). Copy namespaces.yaml to the JETMESH_NAMESPACES" \
    "# path below as well, or delete that line to use the registry bundled with jetmesh." "NATS_TOKEN=$(secret token)"
  AUTH_BLOCK="# Shared-token mode (--auth token): every client, worker and the admin CLI use the same token.
# Prefer the default per-role users: a leaked token here gives full control of the mesh.
authorization {
  token: \"$(config_secret token)\"
  timeout: 2
}"
  ADMIN_ENV="$CRED_DIR/token.env"
else
  ensure_secret admin; admin_pw="$(secret admin)"
  write_env_file admin "NATS_USER=admin" "NATS_PASSWORD=$admin_pw"
  ADMIN_ENV="$CRED_DIR/admin.env"
  users="    # admin: everything (provisioning, 'jetmesh dlq', 'jetmesh workers', monitoring through \$JS.API and \$SYS)
    { user: \"admin\", password: \"$(config_secret admin)\" }"
  for c in ${CLIENTS//,/ } ${GATEWAYS//,/ }; do
    role=client; [[ ",$GATEWAYS," == *",$c,"* ]] && role=gateway
    ensure_secret "$c"; pw="$(secret "$c")"
    write_env_file "$c" "NATS_USER=$c" "NATS_PASSWORD=$pw"
    users+="
    # client '$c': submits jobs, cancels, reads its own results/progress (jetmesh.results.$c.>), job status,
    # uses the object store for uploads and large outputs, discovers workers. Cannot consume jobs.
    {
      user: \"$c\", password: \"$(config_secret "$c")\"
$(client_permissions "$c" "$role")
    }"
  done
  for line in "${NAMESPACES[@]}"; do
    read -r ns st sp wg <<<"$line"
    ensure_secret "worker-$ns"; pw="$(secret "worker-$ns")"
    write_env_file "worker-$ns" "NATS_USER=worker-$ns" "NATS_PASSWORD=$pw"
    users+="
    # worker-$ns: pulls and acks only $st/$wg ($sp.>), publishes results, progress, status and
    # dead letters of namespace '$ns', reads inputs from and writes outputs to the object store.
    {
      user: \"worker-$ns\", password: \"$(config_secret "worker-$ns")\"
$(worker_permissions "$ns" "$st" "$wg")
    }"
  done
  AUTH_BLOCK="# Per-role users (--auth users). Passwords are bcrypt hashes; the clear-text secrets are only in
# $CRED_DIR/<user>.env (0600). Re-running setup.sh keeps existing secrets.
authorization {
  timeout: 2
  users: [
$users
  ]
}"
fi

# ---------------------------------------------------------------------------------------------------------------
# Server configuration
TLS_BLOCK=""
if [[ -n "$SERVER_CERT" ]]; then
  TLS_BLOCK="# TLS for client connections (--tls $TLS_MODE). Clients need the CA: NATS_TLS_CA=${TLS_CA_FILE:-<your CA>}.
tls {
  cert_file: \"$SERVER_CERT\"
  key_file: \"$SERVER_KEY\"
  timeout: 2
}"
fi

CLUSTER_BLOCK=""
if [[ $CLUSTER -eq 1 ]]; then
  ensure_secret route; route_pw="$(secret route)"
  route_list=""
  for r in "${ROUTES[@]}"; do route_list+="${route_list:+, }\"nats-route://route:$route_pw@$r\""; done
  CLUSTER_BLOCK="# Cluster node $NODE_INDEX of ${#ROUTES[@]} (--cluster). Every node lists every route (its own is ignored).
# Routes authenticate with the shared 'route' secret (copy etc/jetmesh/credentials to every node, or use
# --credentials-from). A JetStream stream with 3 replicas survives the loss of any one node.
cluster {
  name: \"$CLUSTER_NAME\"
  listen: \"$HOST:$CLUSTER_PORT\"
  authorization { user: \"route\", password: \"$(config_secret route)\", timeout: 2 }
  routes: [ $route_list ]
}"
fi

SYNC_LINE=""
[[ -n "$SYNC" ]] && SYNC_LINE="  # fsync policy (nats-server >= 2.10).
  sync_interval: $SYNC"
DOMAIN_LINE=""
[[ $CLUSTER -eq 1 && -n "$JS_DOMAIN" ]] && DOMAIN_LINE="  # JetStream domain: isolates this cluster's JetStream when leaf nodes connect; clients of the
  # cluster itself use the normal \$JS.API.
  domain: \"$JS_DOMAIN\""

write_config() {
  cat <<EOF
# nats-server configuration for jetmesh, written by infrastructure/nats-server/setup.sh.
# Generated from its flags: re-running setup.sh rewrites this file, so change the flags, not this file.
# nats-server $NATS_VERSION; check with: nats-server -c $CONF_FILE -t

server_name: "$SERVER_NAME"

# Client connections (workers, clients, the jetmesh CLI).
listen: "$HOST:$PORT"

# Monitoring: /healthz /varz /connz /jsz. Bound to $MONITOR_HOST; expose it only behind a firewall or proxy.
http: "$MONITOR_HOST:$MONITOR_PORT"

# Largest message. A job message is at most max_message_size (1MiB) in namespaces.yaml; results above
# max_result_inline go to the object store, which chunks blobs in 128KiB messages.
max_payload: $MAX_PAYLOAD
max_connections: $MAX_CONNECTIONS
# Clients that stop reading for this long are disconnected instead of stalling the server.
write_deadline: "10s"
# Lame duck (SIGUSR2, used by the systemd unit on stop): clients are moved away over this period before exit.
lame_duck_duration: "30s"
lame_duck_grace_period: "5s"

jetstream {
  # Streams, consumers, the status KV bucket and the object store live here.
  store_dir: "$STORE_DIR"
  # Upper bounds for all streams together; a stream's own limits come from namespaces.yaml.
  max_memory_store: $MAX_MEMORY_STORE
  max_file_store: $MAX_FILE_STORE
$SYNC_LINE
$DOMAIN_LINE
}

$TLS_BLOCK

$CLUSTER_BLOCK

$AUTH_BLOCK
EOF
}

CONF_TMP="$(mktemp "$CONF_DIR/.nats-server.conf.XXXXXX")"
write_config | cat -s >"$CONF_TMP"
if ! "$NATS_BIN" -c "$CONF_TMP" -t >"$CONF_TMP.check" 2>&1; then
  cat "$CONF_TMP.check" >&2; rm -f "$CONF_TMP" "$CONF_TMP.check"
  die "nats-server rejected the generated configuration"
fi
rm -f "$CONF_TMP.check"
CONF_MODE=0640; [[ $PLAINTEXT_SECRETS -eq 1 ]] && CONF_MODE=0600
write_if_changed "$CONF_FILE" "$CONF_MODE" <"$CONF_TMP"
rm -f "$CONF_TMP"
[[ -n "$SERVICE_USER" ]] && chgrp "$SERVICE_USER" "$CONF_FILE"
if [[ $PLAINTEXT_SECRETS -eq 1 ]]; then
  [[ -n "$SERVICE_USER" ]] && chown "$SERVICE_USER" "$CONF_FILE"
  warn "no bcrypt tool (python3 crypt, htpasswd, mkpasswd): secrets are in clear text in $CONF_FILE (0600)"
fi
CONFIG_CHANGED=0
[[ " ${CHANGED[*]} " == *" $CONF_FILE "* || " ${CHANGED[*]} " == *" $TLS_DIR/server.pem "* ]] && CONFIG_CHANGED=1

if [[ "$(cd "$(dirname "$NAMESPACES_FILE")" && pwd)/$(basename "$NAMESPACES_FILE")" != "$CONF_DIR/namespaces.yaml" ]]; then
  write_if_changed "$CONF_DIR/namespaces.yaml" 0644 <"$NAMESPACES_FILE"
fi

# ---------------------------------------------------------------------------------------------------------------
# Start / restart
wait_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT)) answer=""
  while ((SECONDS < deadline)); do
    answer="$(curl -s "$(monitor_url)/healthz" 2>/dev/null || true)"
    [[ "$answer" == *'"ok"'* ]] && { info "healthy: $(monitor_url)/healthz -> $answer"; return 0; }
    if [[ "$RUN_MODE" == background || "$RUN_MODE" == foreground ]] && [[ -n "${SERVER_PID:-}" ]] \
       && ! kill -0 "$SERVER_PID" 2>/dev/null; then
      [[ -f "$LOG_FILE" ]] && tail -n 20 "$LOG_FILE" >&2
      die "nats-server exited during start-up (log: $LOG_FILE)"
    fi
    sleep 0.2
  done
  warn "not healthy after ${HEALTH_TIMEOUT}s: $(monitor_url)/healthz -> ${answer:-no answer}"
  return 1
}

start_background() {
  nohup "${RUN_AS[@]}" "$NATS_BIN" -c "$CONF_FILE" -l "$LOG_FILE" -P "$PID_FILE" >/dev/null 2>&1 &
  SERVER_PID=$!
  disown "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  info "started nats-server (pid $SERVER_PID, log $LOG_FILE)"
}

HEALTHY=0
case "$RUN_MODE" in
  config-only)
    info "configuration written (--config-only): $CONF_FILE"
    ;;
  systemd)
    {
      cat <<EOF
# jetmesh NATS server, written by infrastructure/nats-server/setup.sh
[Unit]
Description=NATS server with JetStream for jetmesh
Documentation=https://docs.nats.io/ file://$CONF_FILE
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=nats
Group=nats
ExecStart=$NATS_BIN -c $CONF_FILE
ExecReload=/bin/kill -s HUP \$MAINPID
# SIGUSR2 = lame duck mode: clients are moved to other nodes over lame_duck_duration, then the server exits.
KillSignal=SIGUSR2
TimeoutStopSec=60
Restart=on-failure
RestartSec=2
LimitNOFILE=800000
NoNewPrivileges=true
PrivateTmp=true
ProtectSystem=full
ProtectHome=true
ReadWritePaths=$STORE_DIR $LOG_DIR $RUN_DIR

[Install]
WantedBy=multi-user.target
EOF
    } | write_if_changed "$UNIT_FILE" 0644
    if [[ " ${CHANGED[*]} " == *" $UNIT_FILE "* ]]; then systemctl daemon-reload; fi
    systemctl enable jetmesh-nats.service >/dev/null 2>&1 || true
    if [[ " ${CHANGED[*]} " == *" $UNIT_FILE "* || $CONFIG_CHANGED -eq 1 ]]; then
      if systemctl is-active --quiet jetmesh-nats.service; then
        systemctl restart jetmesh-nats.service; info "restarted jetmesh-nats.service (configuration changed)"
      else
        systemctl start jetmesh-nats.service; info "started jetmesh-nats.service"
      fi
    elif ! systemctl is-active --quiet jetmesh-nats.service; then
      systemctl start jetmesh-nats.service; info "started jetmesh-nats.service"; CHANGED+=("service started")
    else
      info "jetmesh-nats.service already running with this configuration"
    fi
    wait_healthy && HEALTHY=1
    ;;
  background)
    if pid_alive; then
      if [[ $CONFIG_CHANGED -eq 1 ]]; then
        info "configuration changed: restarting nats-server"
        stop_background; start_background
      else
        SERVER_PID="$(cat "$PID_FILE")"
        info "nats-server already running with this configuration (pid $SERVER_PID)"
      fi
    else
      start_background; CHANGED+=("server started")
    fi
    wait_healthy && HEALTHY=1
    ;;
  foreground)
    pid_alive && die "a background nats-server already runs (pid $(cat "$PID_FILE")); stop it with --stop"
    "${RUN_AS[@]}" "$NATS_BIN" -c "$CONF_FILE" -P "$PID_FILE" &
    SERVER_PID=$!
    trap 'kill -TERM "$SERVER_PID" 2>/dev/null' TERM INT
    wait_healthy && HEALTHY=1
    ;;
esac

# ---------------------------------------------------------------------------------------------------------------
# Provisioning
find_jetmesh() {
  if [[ -n "$JETMESH_CMD" ]]; then echo "$JETMESH_CMD"; return 0; fi
  if command -v jetmesh >/dev/null; then command -v jetmesh; return 0; fi
  [[ -x "$REPO_ROOT/jetmesh" ]] && { echo "$REPO_ROOT/jetmesh"; return 0; }
  return 1
}
PROVISIONED="no"
if [[ $PROVISION -eq 0 ]]; then
  PROVISIONED="skipped (--no-provision)"
elif [[ "$RUN_MODE" == config-only ]]; then
  PROVISIONED="skipped (--config-only)"
elif [[ $CLUSTER -eq 1 && "$NODE_INDEX" -ne ${#ROUTES[@]} ]]; then
  PROVISIONED="deferred to the last node (--node-index ${#ROUTES[@]}), once every node runs"
elif [[ $HEALTHY -ne 1 ]]; then
  PROVISIONED="skipped: the server is not healthy"
elif ! JM="$(find_jetmesh)"; then
  PROVISIONED="skipped: no jetmesh command (pass --jetmesh CMD, or put jetmesh on PATH) - run later:
    env \$(cat $ADMIN_ENV | grep -v '^#' | xargs) jetmesh provision --replicas $REPLICAS --namespaces $CONF_DIR/namespaces.yaml"
else
  info "provisioning with: $JM provision --nats-url $NATS_URL --replicas $REPLICAS --namespaces $CONF_DIR/namespaces.yaml"
  # Credentials go through the environment (NATS_USER/NATS_PASSWORD or NATS_TOKEN), never argv (ps shows argv).
  # shellcheck disable=SC2046
  if (set -a; . "$ADMIN_ENV"; set +a; $JM provision --nats-url "$NATS_URL" --replicas "$REPLICAS" \
        --namespaces "$CONF_DIR/namespaces.yaml" ${TLS_CA_FILE:+--tls-ca "$TLS_CA_FILE"}); then
    PROVISIONED="yes"
  else
    die "jetmesh provision failed (see above); the server runs, fix the cause and re-run setup.sh"
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Summary
echo
echo "jetmesh NATS server: $SERVER_NAME (nats-server $NATS_VERSION, $RUN_MODE)"
echo "  clients connect to:  $NATS_URL"
echo "  monitoring:          $(monitor_url)/healthz"
echo "  configuration:       $CONF_FILE"
echo "  JetStream store:     $STORE_DIR"
[[ -n "$TLS_CA_FILE" ]] && echo "  TLS CA for clients:  $TLS_CA_FILE"
echo "  provisioned:         $PROVISIONED"
echo "  credentials (0600; use as EnvironmentFile= or copy to a worker's .env):"
for f in "${CREDENTIAL_FILES[@]}"; do echo "    $f"; done
if [[ "$AUTH_MODE" == users ]]; then
  echo "  roles: admin (jetmesh provision/dlq/workers), clients: ${CLIENTS//,/, }, gateways: ${GATEWAYS//,/, }, workers: worker-<namespace>"
else
  # Token mode: print the token and the lines a worker host and a client need (the seed said "Save the generated
  # token"). The secret is already in the 0600 files; the operator running setup.sh may see it.
  TLS_ENV=""; [[ -n "$TLS_CA_FILE" ]] && TLS_ENV=" NATS_TLS_CA=$TLS_CA_FILE"
  echo
  echo "Save the generated token (also in $CRED_DIR/token.env, 0600):"
  echo "  NATS_TOKEN=$(secret token)"
  echo "On a worker host (or copy token.env there as the worker's .env):"
  echo "  NATS_URL=$NATS_URL NATS_TOKEN=$(secret token)$TLS_ENV jetmesh worker pdf"
  echo "In a client (Java MeshOptions.fromEnvironment(), Python jetmesh.DocumentService(), jetmesh CLI):"
  echo "  export NATS_URL=$NATS_URL NATS_TOKEN=$(secret token)$TLS_ENV"
fi
if [[ ${#CHANGED[@]} -eq 0 ]]; then
  echo "changed: nothing"
else
  echo "changed:"
  for c in "${CHANGED[@]}"; do echo "  $c"; done
fi

if [[ "$RUN_MODE" == foreground ]]; then
  # A trapped SIGTERM interrupts `wait`; keep waiting until the server has finished its JetStream shutdown.
  while kill -0 "$SERVER_PID" 2>/dev/null; do wait "$SERVER_PID" || true; done
  rm -f "$PID_FILE"
fi
