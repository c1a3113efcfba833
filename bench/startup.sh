#!/usr/bin/env bash
# Start-up benchmark: starts the Wharf jar N times on the embedded default (H2 + filesystem store in a
# fresh temporary data directory, a free loopback port), records the milliseconds from launch to the
# first answer of GET /v2/ (200 or 401) and the resident memory (VmRSS) at that moment and after an
# idle pause, stops each process by its PID, and prints median, min and max. Builds nothing.
#
#   bench/startup.sh [-n N] [--modes jar,extracted,cds,aot] [--java PATH] [--java-opts "OPTS"] [--idle S]
#                    [--restart] [--wait-quiet S] [JAR]
#
#   JAR              the executable jar [platform-web/target/wharf.jar]
#   -n N             starts per mode [5] (STARTUP_RUNS)
#   --modes LIST     comma-separated; the modes take turns, run by run [jar] (STARTUP_MODES):
#                      jar        java -jar JAR
#                      extracted  the jar extracted with Spring Boot's tools jar mode, started from there
#                      cds        extracted, plus a CDS archive from one training run (both in a temp dir)
#                      aot        extracted, plus an AOT cache from one training run (-XX:AOTCacheOutput,
#                                 Java 25 and later: classes loaded and linked, and method profiles)
#   --java PATH      the java launcher [java] (STARTUP_JAVA), e.g. a Java 25 runtime for the aot mode
#   --java-opts OPTS JVM options for every start, e.g. "-Xmx256m -XX:+UseSerialGC" (STARTUP_JAVA_OPTS)
#   --idle S         seconds to wait after the first answer before reading the idle VmRSS [10]
#                    (STARTUP_IDLE_SECONDS; 0 skips it)
#   --restart        measure restarts: each mode's data directory is created by one unmeasured start
#                    and reused by the measured ones (Flyway then has nothing to migrate)
#   --wait-quiet S   before each start, wait up to S seconds for the machine to be under 25 % busy
#                    (STARTUP_WAIT_QUIET [0]: does not wait)
#
# Besides the wall-clock time, each start reports the CPU time the process had used by its first
# answer (user + system, all threads, from /proc/PID/stat): on a busy machine the wall-clock time
# grows with the other load, the CPU time much less, so compare configurations by both.
#
# Every wait is bounded (STARTUP_TIMEOUT [300] s for an answer, 30 s for an exit after SIGTERM, then
# SIGKILL); only the processes this script started are signalled; its temporary directories are
# removed on exit. Other load on the machine slows starts down: the load average is printed per start.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/common.sh
. "$here/common.sh"

RUNS=${STARTUP_RUNS:-5}
MODES=${STARTUP_MODES:-jar}
JAVA_OPTS=${STARTUP_JAVA_OPTS:-}
JAVA_BIN=${STARTUP_JAVA:-java}
IDLE=${STARTUP_IDLE_SECONDS:-10}
WAIT_QUIET=${STARTUP_WAIT_QUIET:-0}
START_TIMEOUT=${STARTUP_TIMEOUT:-300}
STOP_TIMEOUT=30
RESTART=0
JAR=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --java-opts) JAVA_OPTS=$2; shift 2 ;;
    --java) JAVA_BIN=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --restart) RESTART=1; shift ;;
    --wait-quiet) WAIT_QUIET=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) JAR=$1; shift ;;
  esac
done
JAR=${JAR:-$root/platform-web/target/wharf.jar}
[ -f "$JAR" ] || { echo "no jar at $JAR (build it: ./mvnw -B -q -DskipTests package -pl platform-web -am)" >&2; exit 1; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "-n needs a positive number" >&2; exit 2; }
[[ $IDLE =~ ^[0-9]+$ ]] || { echo "--idle needs a number of seconds" >&2; exit 2; }
[[ $WAIT_QUIET =~ ^[0-9]+$ ]] || { echo "--wait-quiet needs a number of seconds" >&2; exit 2; }
read -ra java_opts <<< "$JAVA_OPTS"

work=$(mktemp -d "${TMPDIR:-/tmp}/wharf-startup.XXXXXX")
server_pid=""
result=""

cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
rss_mib() { awk '$1 == "VmRSS:" {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }
clk_tck=$(getconf CLK_TCK)
# CPU time (user + system, all threads) the process used so far, ms: fields 14 and 15 of /proc/PID/stat
# (counted after the command name, which ends with the last ')').
cpu_ms() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk -v t="$clk_tck" '{printf "%d", ($12 + $13) * 1000 / t}'; }

# Extracts the jar (Spring Boot's tools jar mode: the application jar plus lib/) into $1.
extract() {
  "$JAVA_BIN" -Djarmode=tools -jar "$JAR" extract --destination "$1" > "$work/extract.log" 2>&1 \
    || { echo "extraction failed:" >&2; cat "$work/extract.log" >&2; exit 1; }
}

# The training run that writes the archive $2 for the extracted jar $1 with the JVM option $3 (the
# option's name up to and including its "="): the context starts and the JVM exits once it is refreshed
# (spring.context.exit=onRefresh), on a data directory of its own.
train() {
  local jar=$1 archive=$2 option=$3 data
  data=$(mktemp -d "$work/train.XXXXXX")
  echo "training run (writes $(basename "$archive"))" >&2
  "$JAVA_BIN" "${java_opts[@]}" "$option$archive" -Dspring.context.exit=onRefresh -jar "$jar" \
    --wharf.data-dir="$data" --server.port=0 --server.address=127.0.0.1 > "$work/train.log" 2>&1 &
  server_pid=$!
  local pid=$server_pid i
  for ((i = 0; i < START_TIMEOUT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  stop_server
  [ -s "$archive" ] || { echo "no archive was written:" >&2; tail -20 "$work/train.log" >&2; exit 1; }
}

# start LOG DATA_DIR CMD... : launches, waits for /v2/, stops;
# sets result="ms code rss_start rss_idle load cpu_ms".
# (Not called in a command substitution: the PID must stay known to this shell's cleanup.)
start() {
  local logfile=$1 data=$2
  shift 2
  local port t0 code="" elapsed rss idle load cpu
  port=$(free_port) || { echo "no free port" >&2; return 1; }
  wait_quiet "$WAIT_QUIET" 25
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(now_ms)
  "$@" --wharf.data-dir="$data" --server.port="$port" --server.address=127.0.0.1 > "$logfile" 2>&1 &
  server_pid=$!
  while :; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the process ended before answering (log: $logfile):" >&2
      tail -20 "$logfile" >&2
      return 1
    fi
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    [ "$code" = 200 ] || [ "$code" = 401 ] && break
    if [ $(($(now_ms) - t0)) -gt $((START_TIMEOUT * 1000)) ]; then
      echo "no answer on /v2/ within $START_TIMEOUT s (log: $logfile)" >&2
      return 1
    fi
    sleep 0.05
  done
  elapsed=$(($(now_ms) - t0))
  rss=$(rss_mib "$server_pid")
  cpu=$(cpu_ms "$server_pid")
  idle=-
  if [ "$IDLE" -gt 0 ]; then
    sleep "$IDLE"
    idle=$(rss_mib "$server_pid")
  fi
  stop_server
  result="$elapsed $code $rss $idle $load $cpu"
}

# Prints "median min max" of the numbers on stdin (the median of an even count is the lower middle).
stats() {
  sort -n | awk '{v[NR] = $1} END {if (NR == 0) {print "- - -"; exit} printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR]}'
}

# Prepares each mode's command (extraction and the CDS training run happen here, before any start).
IFS=, read -ra modes <<< "$MODES"
declare -A commands data_dirs
for mode in "${modes[@]}"; do
  case $mode in
    jar) cmd=("$JAVA_BIN" "${java_opts[@]}" -jar "$JAR") ;;
    extracted)
      extract "$work/extracted"
      cmd=("$JAVA_BIN" "${java_opts[@]}" -jar "$work/extracted/$(basename "$JAR")") ;;
    cds)
      extract "$work/cds"
      train "$work/cds/$(basename "$JAR")" "$work/cds/app.jsa" -XX:ArchiveClassesAtExit=
      cmd=("$JAVA_BIN" "${java_opts[@]}" -XX:SharedArchiveFile="$work/cds/app.jsa" -jar "$work/cds/$(basename "$JAR")") ;;
    aot)
      extract "$work/aot"
      train "$work/aot/$(basename "$JAR")" "$work/aot/app.aot" -XX:AOTCacheOutput=
      cmd=("$JAVA_BIN" "${java_opts[@]}" -XX:AOTCache="$work/aot/app.aot" -jar "$work/aot/$(basename "$JAR")") ;;
    *) echo "unknown mode $mode (jar, extracted, cds, aot)" >&2; exit 2 ;;
  esac
  commands[$mode]=$(printf '%q ' "${cmd[@]}")
  : > "$work/$mode.txt"
  if [ "$RESTART" = 1 ]; then
    data_dirs[$mode]=$(mktemp -d "$work/data-$mode.XXXXXX")
    eval "cmd=(${commands[$mode]})"
    start "$work/$mode-0.log" "${data_dirs[$mode]}" "${cmd[@]}"
  fi
done

# The modes take turns (run 1 of each, then run 2, ...), so that changing load on the machine
# touches them alike.
for ((run = 1; run <= RUNS; run++)); do
  for mode in "${modes[@]}"; do
    eval "cmd=(${commands[$mode]})"
    if [ "$RESTART" = 1 ]; then
      data=${data_dirs[$mode]}
    else
      data=$(mktemp -d "$work/data-$mode-$run.XXXXXX")
    fi
    start "$work/$mode-$run.log" "$data" "${cmd[@]}"
    read -r ms code rss idle load cpu <<< "$result"
    printf '%-9s start %d: %6d ms to %s on /v2/ (%s ms CPU), VmRSS %s MiB then %s MiB after %s s idle (load %s)\n' \
      "$mode" "$run" "$ms" "$code" "$cpu" "$rss" "$idle" "$IDLE" "$load"
    echo "$result" >> "$work/$mode.txt"
    [ "$RESTART" = 1 ] || rm -rf "$data"
  done
done

summary=()
for mode in "${modes[@]}"; do
  results="$work/$mode.txt"
  read -r m1 n1 x1 <<< "$(awk '{print $1}' "$results" | stats)"
  read -r m2 n2 x2 <<< "$(awk '{print $3}' "$results" | stats)"
  read -r m3 n3 x3 <<< "$(awk '$4 != "-" {print $4}' "$results" | stats)"
  read -r m4 n4 x4 <<< "$(awk '{print $6}' "$results" | stats)"
  read -r m5 n5 x5 <<< "$(awk '{print $5}' "$results" | stats)"
  summary+=("$(printf '| %s | %s | %s ms (%s-%s) | %s ms (%s-%s) | %s MiB (%s-%s) | %s MiB (%s-%s) | %s (%s-%s) |' \
    "$mode" "$RUNS" "$m1" "$n1" "$x1" "$m4" "$n4" "$x4" "$m2" "$n2" "$x2" "$m3" "$n3" "$x3" "$m5" "$n5" "$x5")")
done

echo
echo "java: $("$JAVA_BIN" -version 2>&1 | head -1); options: ${JAVA_OPTS:-(none)}; $(nproc) cores;" \
  "$(awk '$1 == "MemTotal:" {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $([ "$RESTART" = 1 ] && echo restarts || echo first starts)"
echo
echo "| mode | starts | to first /v2/ answer: median (min-max) | CPU used by then | VmRSS at that answer | VmRSS after ${IDLE} s idle | load average |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
