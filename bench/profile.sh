#!/usr/bin/env bash
# Profiles a running JVM (Wharf under the benchmark) for a while with async-profiler, attached through
# jcmd, and prints where its CPU went: by thread group (request threads, JIT compilers, GC, other) and
# the heaviest frames of the request threads.
#
#   bench/profile.sh PID SECONDS [OUT.collapsed]
#
# async-profiler comes from Maven Central (tools.profiler:async-profiler, linux-x64), fetched once with
# the Maven wrapper into the local repository. It samples with the itimer event (works in VMs without
# perf events), every 2 ms of CPU. Start it once the benchmark's warm-up is over, e.g. from a second
# shell while registry-bench.sh runs one operation (BENCH_OPS) for longer phases (BENCH_SECONDS).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
pid=$1 seconds=$2 out=${3:-$(mktemp -t wharf-profile.XXXXXX.collapsed)}
version=4.1

repo=${MAVEN_REPOSITORY:-$HOME/.m2/repository}   # the local Maven repository (not asked of Maven: that would take CPU now)
jar="$repo/tools/profiler/async-profiler/$version/async-profiler-$version-linux-x64.jar"
if [ ! -f "$jar" ]; then
  "$root/mvnw" -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64" >&2
fi
lib_dir=$(mktemp -d)
trap 'rm -rf "$lib_dir"' EXIT
unzip -q -o "$jar" 'linux-x64/*' -d "$lib_dir"
lib="$lib_dir/linux-x64/libasyncProfiler.so"

# The options go in double quotes: jcmd would read an unquoted argument with "=" as one of its own options.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=itimer,interval=2ms\"" >/dev/null
sleep "$seconds"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$out\"" >/dev/null

python3 - "$out" <<'PY'
import collections, sys
MARKERS = {  # framework frames that say where a request's CPU goes, beside Wharf's own
    'org/springframework/security/web/FilterChainProxy.doFilter',
    'org/springframework/web/servlet/DispatcherServlet.doDispatch',
    'org/springframework/orm/jpa/JpaTransactionManager.doBegin',
    'org/springframework/transaction/support/AbstractPlatformTransactionManager.commit',
    'org/hibernate/sql/exec/internal/JdbcSelectExecutorStandardImpl.executeQuery',
    'org/postgresql/jdbc/PgPreparedStatement.executeWithFlags',
    'com/nimbusds/jose/crypto/RSASSAVerifier.verify',
    'com/nimbusds/jose/crypto/RSASSASigner.sign',
    'tools/jackson/databind/ObjectMapper.writeValueAsBytes',
}
groups, frames, total_requests = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n)
    names = [f.split('(')[0] for f in stack.split(';')]
    head = ';'.join(names[:12])
    if 'SocketProcessor' in head:
        group = 'request threads'
    elif 'Compile' in head or 'C2Compiler' in head or 'C1Compiler' in head:
        group = 'JIT compilers'
    elif 'GCTaskThread' in head or 'VMThread' in head or 'GenCollect' in head or 'G1' in head:
        group = 'GC and VM'
    else:
        group = 'other threads'
    groups[group] += n
    if group == 'request threads':
        total_requests += n
        for f in set(names):
            if f.startswith('io/wharf') or f in MARKERS:
                frames[f] += n
all_samples = sum(groups.values()) or 1
print(f"samples: {all_samples} (2 ms of CPU each)")
for group, n in groups.most_common():
    print(f"  {group:16} {100 * n / all_samples:5.1f} %")
print("request threads, frames by inclusive share of the request threads' CPU:")
for f, n in frames.most_common(40):
    print(f"  {100 * n / max(total_requests, 1):5.1f} %  {f}")
PY
echo "stacks: $out" >&2
