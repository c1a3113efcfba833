#!/usr/bin/env bash
# Registry benchmark: starts the registries it is asked for on free loopback ports (or uses URLs it
# is given), runs bench/RegistryBench.java against each, records the server's start-up time and
# memory, stops what it started (by PID), and prints a markdown table with one column per target,
# then the ratios of Wharf against docker-registry and nginx with issue 13's targets.
#
#   bench/registry-bench.sh [TARGET ...]
#
# TARGET is one of
#   wharf            platform-web/target/wharf.jar on its embedded H2 database + filesystem store
#   wharf-pg         the same jar on the local PostgreSQL (a fresh schema, dropped afterwards)
#   docker-registry  /usr/bin/docker-registry (Debian package, CNCF distribution 2.8), filesystem store
#   nginx            /usr/sbin/nginx serving the client's blobs as files (blob reads only: the ceiling)
#   NAME=URL or URL  any running registry without authentication, e.g. local=http://127.0.0.1:5000
# Default: wharf-pg docker-registry nginx (each one skipped with a note when it cannot run here).
#
# Environment (defaults in brackets):
#   BENCH_SECONDS [4]          seconds per measured phase (each operation x each concurrency level)
#   BENCH_WARMUP [4]           seconds of unrecorded warm-up per operation (at up to 8 clients)
#   BENCH_CONCURRENCY [1,8,32] client counts
#   BENCH_OPS [all]            comma-separated subset of push_small_blob,push_chunked_blob,put_manifest,
#                              get_small_blob,head_blob,get_manifest_by_tag,docker_pull,large_blob
#   BENCH_AUTH [token]         how the client logs in to Wharf: token (the Bearer token flow of docker
#                              and containerd) or basic (Basic credentials on every request)
#   BENCH_SMALL_SIZE [4096]    small blob size, bytes
#   BENCH_LARGE_MIB [512]      large blob size, MiB (0 skips the large blob)
#   BENCH_OUT [bench/results/<UTC timestamp>]  where results.tsv, results.md and server logs go
#   WHARF_JAR [platform-web/target/wharf.jar]   WHARF_JAVA_OPTS []   extra JVM options for Wharf
#   BENCH_PG_HOST [127.0.0.1] BENCH_PG_PORT [5432] BENCH_PG_DB [wharf_test]
#   BENCH_PG_USER [wharf] BENCH_PG_PASSWORD [wharf]
#   DOCKER_REGISTRY_BIN [/usr/bin/docker-registry]   NGINX_BIN [/usr/sbin/nginx]
#   BENCH_KEEP_DATA [0]        1 keeps the temporary data directories
#   BENCH_WAIT_QUIET [0]       before each target, wait up to this many seconds for the machine to be
#                              mostly idle (under BENCH_QUIET_PCT [25] % CPU busy over 3 s); 0 does not wait
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/common.sh
. "$here/common.sh"

SECONDS_PER_PHASE=${BENCH_SECONDS:-4}
WARMUP=${BENCH_WARMUP:-4}
OPS=${BENCH_OPS:-push_small_blob,push_chunked_blob,put_manifest,get_small_blob,head_blob,get_manifest_by_tag,docker_pull,large_blob}
AUTH=${BENCH_AUTH:-token}
CONCURRENCY=${BENCH_CONCURRENCY:-1,8,32}
SMALL_SIZE=${BENCH_SMALL_SIZE:-4096}
LARGE_MIB=${BENCH_LARGE_MIB:-512}
OUT=${BENCH_OUT:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
WHARF_JAR=${WHARF_JAR:-$root/platform-web/target/wharf.jar}
WHARF_BENCH_PASSWORD=${WHARF_BENCH_PASSWORD:-Bench12345}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_DB=${BENCH_PG_DB:-wharf_test}
PG_USER=${BENCH_PG_USER:-wharf}
PG_PASSWORD=${BENCH_PG_PASSWORD:-wharf}
REGISTRY_BIN=${DOCKER_REGISTRY_BIN:-/usr/bin/docker-registry}
NGINX=${NGINX_BIN:-/usr/sbin/nginx}
START_TIMEOUT=120   # seconds to wait for a server to answer /v2/
STOP_TIMEOUT=30     # seconds to wait for a server to exit after SIGTERM

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(wharf-pg docker-registry nginx)
case "$AUTH" in token | basic) ;; *) echo "BENCH_AUTH must be token or basic" >&2; exit 2 ;; esac

mkdir -p "$OUT"
results="$OUT/results.tsv"
: > "$results"
tmp_dirs=()
server_pid=""
client_pid=""
client_args=()   # extra client options for the target being measured
pg_schema=""

log() { printf '%s\n' "$*" >&2; }

drop_pg_schema() {
  [ -n "$pg_schema" ] || return 0
  PGPASSWORD=$PG_PASSWORD psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -c "DROP SCHEMA IF EXISTS $pg_schema CASCADE" >/dev/null 2>&1 || log "could not drop schema $pg_schema"
  pg_schema=""
}

cleanup() {
  if [ -n "$client_pid" ]; then
    kill "$client_pid" 2>/dev/null || true
    wait "$client_pid" 2>/dev/null || true
  fi
  stop_server
  drop_pg_schema
  if [ "${BENCH_KEEP_DATA:-0}" != 1 ]; then
    local d
    for d in "${tmp_dirs[@]}"; do rm -rf "$d"; done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waiting for a server without starting a process per try (a process per try would take CPU from the
# starting server on a small machine): pause reads with a timeout from a FIFO nobody writes to, and
# probe_v2 speaks HTTP through bash's /dev/tcp.
pause_fifo=$(mktemp -u -t bench-pause.XXXXXX)
mkfifo "$pause_fifo"
exec {pause_fd}<>"$pause_fifo"
rm -f "$pause_fifo"
pause() { read -r -t "$1" -u "$pause_fd" _ || true; }

# Sets probe_code to the status of GET /v2/ on HOST:PORT, or to "" when nothing answers (within 2 s).
probe_v2() {
  local host=$1 port=$2 fd line
  probe_code=""
  exec {fd}<>"/dev/tcp/$host/$port" || return 0
  printf 'GET /v2/ HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$host" "$port" >&"$fd" || true
  if read -r -t 2 -u "$fd" line; then
    line=${line%$'\r'}
    line=${line#HTTP/* }
    probe_code=${line%% *}
  fi
  exec {fd}>&-
  return 0
}

# Microseconds since the epoch, in now_us (bash's EPOCHREALTIME; date where that is missing).
clock_us() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    now_us=${EPOCHREALTIME//[!0-9]/}
  else
    now_us=$(($(date +%s%N) / 1000))
  fi
}

# Waits until GET URL/v2/ answers (200, or 401 from a registry that asks for a login) while PID lives;
# tries every 20 ms, for at most START_TIMEOUT seconds.
wait_ready() {
  local url=$1 pid=$2 i hostport deadline=$((SECONDS + START_TIMEOUT))
  hostport=${url#*://}
  hostport=${hostport%%/*}
  for ((i = 0; i < START_TIMEOUT * 50 && SECONDS < deadline; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    probe_v2 "${hostport%:*}" "${hostport##*:}" 2>/dev/null
    [ "$probe_code" = 200 ] || [ "$probe_code" = 401 ] && return 0
    pause 0.02
  done
  return 1
}

kib_field() { awk -v f="$1:" '$1 == f {print $2}' "/proc/$2/status" 2>/dev/null; }

record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$results"; }

# run_client LABEL URL [SERVER_PID]
# (in the background, so that a signal stops the script at once; cleanup ends it by PID)
run_client() {
  local label=$1 url=$2 pid=${3:-0} rc=0
  java "$here/RegistryBench.java" --url "$url" --label "$label" --concurrency "$CONCURRENCY" \
    --seconds "$SECONDS_PER_PHASE" --small-size "$SMALL_SIZE" --large-mib "$LARGE_MIB" --out "$results" --pid "$pid" \
    --warmup "$WARMUP" --ops "$OPS" "${client_args[@]}" &
  client_pid=$!
  wait "$client_pid" || rc=$?
  client_pid=""
  return "$rc"
}

# Starts a server in the background (its own PID is the one recorded), waits for /v2/, records the
# time from launch to that first answer, runs the client, records VmHWM / VmRSS, stops the server.
bench_started() {
  local label=$1 url=$2 logfile=$3
  shift 3
  local t0 ms started
  clock_us
  t0=$now_us
  "$@" > "$logfile" 2>&1 {pause_fd}>&- &
  server_pid=$!
  if ! wait_ready "$url" "$server_pid"; then
    log "$label: did not come up (log: $logfile)"
    tail -20 "$logfile" >&2 || true
    stop_server
    return 1
  fi
  clock_us
  ms=$(((now_us - t0) / 1000))
  started=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
  record "$label" start_to_first_answer_s 0 s "$started"
  log "$label: up at $url, first answer on /v2/ $started s after launch (pid $server_pid)"
  local idle
  idle=$(kib_field VmRSS "$server_pid")
  run_client "$label" "$url" "$server_pid" || log "$label: client failed"
  local hwm rss
  hwm=$(kib_field VmHWM "$server_pid")
  rss=$(kib_field VmRSS "$server_pid")
  [ -n "$idle" ] && record "$label" server_rss_after_start 0 MiB "$((idle / 1024))"
  [ -n "$hwm" ] && record "$label" server_peak_rss_VmHWM 0 MiB "$((hwm / 1024))"
  [ -n "$rss" ] && record "$label" server_rss_at_end 0 MiB "$((rss / 1024))"
  printf '%-22s        peak RSS (VmHWM) %s MiB, RSS after start %s MiB, at end %s MiB\n' \
    server "$((${hwm:-0} / 1024))" "$((${idle:-0} / 1024))" "$((${rss:-0} / 1024))"
  stop_server
}

bench_wharf() {
  local label=$1 pg=$2
  if [ ! -f "$WHARF_JAR" ]; then
    log "$label: skipped, $WHARF_JAR missing (./mvnw -B -DskipTests package)"
    return 0
  fi
  local port data
  port=$(free_port) || { log "$label: no free port"; return 0; }
  data=$(mktemp -d -t wharf-bench.XXXXXX)
  tmp_dirs+=("$data")
  # Wharf requires a login and an existing project: the client logs in as admin and creates "bench"
  local args=(--server.port="$port" --server.address=127.0.0.1 --wharf.data-dir="$data" --wharf.admin-password="$WHARF_BENCH_PASSWORD")
  if [ "$pg" = 1 ]; then
    if ! command -v pg_isready >/dev/null || ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
      log "$label: skipped, no PostgreSQL answering at $PG_HOST:$PG_PORT"
      return 0
    fi
    pg_schema="bench_$(date +%s)_$$"
    args+=(--spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$pg_schema"
      --spring.datasource.username="$PG_USER" --spring.datasource.password="$PG_PASSWORD"
      --spring.flyway.schemas="$pg_schema" --spring.flyway.default-schema="$pg_schema"
      --spring.flyway.create-schemas=true)
  fi
  local cmd=(java) opts=()
  read -ra opts <<< "${WHARF_JAVA_OPTS:-}"
  cmd+=("${opts[@]}" -jar "$WHARF_JAR")
  client_args=(--auth "$AUTH")
  BENCH_BASIC="admin:$WHARF_BENCH_PASSWORD" bench_started "$label" "http://127.0.0.1:$port" "$OUT/$label.log" "${cmd[@]}" "${args[@]}" || true
  client_args=()
  drop_pg_schema
}

bench_docker_registry() {
  local label=$1
  if [ ! -x "$REGISTRY_BIN" ]; then
    log "$label: skipped, $REGISTRY_BIN not installed (apt-get install -y docker-registry)"
    return 0
  fi
  local port dir
  port=$(free_port) || { log "$label: no free port"; return 0; }
  dir=$(mktemp -d -t registry-bench.XXXXXX)
  tmp_dirs+=("$dir")
  mkdir -p "$dir/storage"
  # Debian's default config (filesystem store, in-memory blob descriptor cache, delete enabled)
  # minus auth and the access log, bound to loopback.
  cat > "$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  bench_started "$label" "http://127.0.0.1:$port" "$OUT/$label.log" "$REGISTRY_BIN" serve "$dir/config.yml" || true
}

# nginx serving the very files the client writes (--nginx-fixtures): the blob reads of a plain static
# file server, the ceiling for a registry's blob GETs. One process (master_process off), so that its
# CPU and memory are measured like the registries' and it is stopped by its PID.
bench_nginx() {
  local label=$1
  if [ ! -x "$NGINX" ]; then
    log "$label: skipped, $NGINX not installed (apt-get install -y nginx; do not enable its service)"
    return 0
  fi
  local port dir
  port=$(free_port) || { log "$label: no free port"; return 0; }
  dir=$(mktemp -d -t nginx-bench.XXXXXX)
  tmp_dirs+=("$dir")
  mkdir -p "$dir/blobs"
  cat > "$dir/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
  worker_connections 1024;
}
http {
  access_log $dir/access.log combined buffer=256k flush=5s;
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port;
    location = /v2/ {
      default_type application/json;
      return 200 '{}';
    }
    # /v2/<repository>/blobs/<digest> -> blobs/<digest>, the file the client wrote
    location ~ "^/v2/.+/blobs/(sha256:[0-9a-f]{64})\$" {
      root $dir/blobs;
      try_files /\$1 =404;
    }
    location / {
      return 404;
    }
  }
}
EOF
  client_args=(--nginx-fixtures "$dir/blobs")
  bench_started "$label" "http://127.0.0.1:$port" "$OUT/$label.log" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" || true
  client_args=()
  if [ -s "$dir/error.log" ]; then cat "$dir/error.log" >> "$OUT/$label.log"; fi
}

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores  $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)  $(java -version 2>&1 | head -1)"
} | tee "$OUT/machine.txt" >&2

for t in "${targets[@]}"; do
  wait_quiet "${BENCH_WAIT_QUIET:-0}" "${BENCH_QUIET_PCT:-25}"
  case "$t" in
    wharf) bench_wharf wharf 0 ;;
    wharf-pg) bench_wharf wharf-pg 1 ;;
    docker-registry) bench_docker_registry docker-registry ;;
    nginx) bench_nginx nginx ;;
    *=http://* | *=https://*) run_client "${t%%=*}" "${t#*=}" || log "$t: client failed" ;;
    http://* | https://*) run_client "$(echo "$t" | sed -E 's#^https?://##; s#/.*##')" "$t" || log "$t: client failed" ;;
    *) log "unknown target: $t"; exit 2 ;;
  esac
done

java "$here/RegistryBench.java" --table "$results" | tee "$OUT/results.md"
log "results: $OUT"
