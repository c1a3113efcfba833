# Shell functions shared by registry-bench.sh and startup.sh (sourced, not run).

# Stops the server whose PID is in $server_pid: SIGTERM, then SIGKILL after $STOP_TIMEOUT seconds.
stop_server() {
  local pid=$server_pid i
  server_pid=""
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# A loopback port nothing listens on (checked by connecting; bounded number of tries).
free_port() {
  local i p
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# Percentage of the machine's CPU busy over $1 seconds (from /proc/stat).
busy_pct() {
  local a b
  read -ra a < /proc/stat
  sleep "$1"
  read -ra b < /proc/stat
  local busy=$(((b[1] + b[2] + b[3] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[6] + a[7] + a[8])))
  local all=$((busy + (b[4] + b[5]) - (a[4] + a[5])))
  echo $((all > 0 ? busy * 100 / all : 0))
}

# Waits up to $1 seconds (0: does not wait) for the machine to be under $2 % busy over 3 s; says so on stderr.
wait_quiet() {
  local max=$1 limit=$2 t0=$SECONDS p
  [ "$max" -gt 0 ] && [ -r /proc/stat ] || return 0
  while :; do
    p=$(busy_pct 3)
    [ "$p" -lt "$limit" ] && { echo "machine ${p}% busy: going on" >&2; return 0; }
    if [ $((SECONDS - t0)) -ge "$max" ]; then
      echo "machine still ${p}% busy after ${max} s: measuring anyway" >&2
      return 0
    fi
  done
}
