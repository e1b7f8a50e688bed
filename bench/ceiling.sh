#!/usr/bin/env bash
# The ceiling: a minimal ASP.NET Core app (bench/Operator.Ceiling, one trivial endpoint) against the app's own trivial
# endpoint (bare: GET /api/bench/ping) and public verification (verify), measured in turn in the same run, several rounds.
#
#   bench/ceiling.sh [--rounds 3] [--duration 10s] [--connections 16] [--warmup 20]
#
# Each round runs wrk on the minimal app, then on the app's bare and verify scenarios, and prints each figure as a share
# of the minimal app's in that round (the machine is shared, so ratios of one round are what compare), with each
# server's CPU time per request (from /proc/<pid>/stat; wrk shares the cores, so this is the figure that does not move
# with the machine's load). Before the rounds, each is warmed up (--warmup seconds for verify). The app runs as
# it ships: Production, its own request logging (one Information line per request, to bench/out/app-ceiling.log),
# and the shared rate limit counting every verification (its limit lifted so wrk, one address, is not refused).
# Data: a small SQLite database (bench/out/ceiling-sqlite.db, one organization, 10,000 public codes), or
# PostgreSQL when BENCH_PG is set (its database is DROPPED and recreated, as in run.sh).
# Environment: BENCH_PORT (5055) for the app, BENCH_CEILING_PORT (5057) for the minimal app, BENCH_SKIP_BUILD=1,
# BENCH_LOG_LEVEL as in run.sh, BENCH_VERIFY_LIMIT (0: no rate limit at all, to measure what counting costs). The app's
# other settings pass through the environment, e.g. Verification__CacheEntries=0 for verify without its cache.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
rounds=3
duration=10s
connections=16
warmup_verify=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --warmup) warmup_verify="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ceiling.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

warmup_bare=$(( (warmup_verify + 1) / 2 ))
warmup_minimal=$(( (warmup_verify + 3) / 4 ))
port="${BENCH_PORT:-5055}"
ceiling_port="${BENCH_CEILING_PORT:-5057}"
out="$here/out"
mkdir -p "$out"
cd "$root"

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "== Building App, the generator and the minimal app (Release)..."
  for project in App/App.csproj bench/Operator.Bench/Operator.Bench.csproj bench/Operator.Ceiling/Operator.Ceiling.csproj; do
    dotnet build -c Release -nologo -clp:ErrorsOnly "$project" >"$out/build.log" 2>&1 || { tail -30 "$out/build.log" >&2; exit 1; }
  done
fi

verify_secret="${BENCH_VERIFY_SECRET:-bench-only-verification-secret-B001}"
if [[ -n "${BENCH_PG:-}" ]]; then
  provider=postgres; app_provider=Postgres; connection="$BENCH_PG"
else
  provider=sqlite; app_provider=Sqlite; connection="Data Source=$out/ceiling-sqlite.db"
  rm -f "$out/ceiling-sqlite.db" "$out/ceiling-sqlite.db-wal" "$out/ceiling-sqlite.db-shm"
fi
echo "== Generating a small $provider database..."
dotnet bench/Operator.Bench/bin/Release/net10.0/Operator.Bench.dll generate --provider "$provider" --connection "$connection" --reset \
  --orgs 1 --parts-per-org 20 --plates-per-org 50 --work-orders-per-org 20 --batches-per-org 20 \
  --public-codes 10000 --public-codes-secret "$verify_secret" --skip holds,serials,genealogy,"serialization workflows" >"$out/generate-ceiling.log" 2>&1 \
  || { tail -30 "$out/generate-ceiling.log" >&2; exit 1; }

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { echo "ceiling.sh: $url exited during start:" >&2; tail -20 "$log" >&2; exit 1; }
    curl -sf "$url" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "ceiling.sh: $url did not answer within 60 s" >&2; exit 1
}

(
  cd bench/Operator.Ceiling
  exec env ASPNETCORE_ENVIRONMENT=Production dotnet bin/Release/net10.0/Operator.Ceiling.dll --urls "http://localhost:$ceiling_port"
) >"$out/ceiling-minimal.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$ceiling_port/api/bench/ping" "${pids[-1]}" "$out/ceiling-minimal.log"

(
  cd App
  levels=()
  if [[ -n "${BENCH_LOG_LEVEL:-}" ]]; then
    levels=("Logging__LogLevel__Default=$BENCH_LOG_LEVEL" "Logging__LogLevel__Operator.Infrastructure.RequestLog=$BENCH_LOG_LEVEL")
  fi
  exec env "${levels[@]}" Database__Provider="$app_provider" ConnectionStrings__Operator="$connection" Demo__Seed=false \
    ASPNETCORE_ENVIRONMENT=Production Verification__Keys__B001__0="$verify_secret" Verification__RateLimitPerHour="${BENCH_VERIFY_LIMIT:-100000000}" \
    dotnet bin/Release/net10.0/Operator.dll --urls "http://localhost:$port"
) >"$out/app-ceiling.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$port/health/ready" "${pids[-1]}" "$out/app-ceiling.log"

# CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# One scenario: requests/s, and the server's CPU per request in microseconds (its CPU time over the run, over the
# requests wrk counted).
measure() {
  local url="$1" pid="$2" scenario="$3" before after raw
  before="$(cpu_seconds "$pid")"
  BENCH_OUT="$out/ceiling/$4" "$here/load.sh" --url "$url" --duration "$duration" --connections "$connections" --warmup 0 "$scenario" >/dev/null 2>&1
  after="$(cpu_seconds "$pid")"
  raw="$out/ceiling/$4/wrk/$scenario.txt"
  awk -v b="$before" -v a="$after" '/requests in/ { n = $1 } /^Requests\/sec:/ { r = $2 } END { printf "%.0f %.1f", r, (n > 0 ? (a - b) * 1e6 / n : 0) }' "$raw"
}

# The app's code is compiled again, optimized, while it runs: on this machine verify's path took 15-20 s of load to
# settle, the minimal app a few. Figures are of processes that have settled, as in production.
echo "== Warming up (minimal app ${warmup_minimal}s, the app's bare ${warmup_bare}s and verify ${warmup_verify}s)"
"$here/load.sh" --url "http://localhost:$ceiling_port" --duration "${warmup_minimal}s" --connections "$connections" bare >/dev/null 2>&1
"$here/load.sh" --url "http://localhost:$port" --duration "${warmup_bare}s" --connections "$connections" bare >/dev/null 2>&1
"$here/load.sh" --url "http://localhost:$port" --duration "${warmup_verify}s" --connections "$connections" verify >/dev/null 2>&1

echo "== $rounds rounds of $duration at $connections connections (minimal app, then the app's bare and verify); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %10s %10s %10s %7s %8s %10s %10s %10s\n' round minimal bare verify bare% verify% "min µs/r" "bare µs/r" "ver µs/r"
for round in $(seq 1 "$rounds"); do
  read -r minimal minimal_cpu <<<"$(measure "http://localhost:$ceiling_port" "${pids[0]}" bare minimal)"
  read -r bare bare_cpu <<<"$(measure "http://localhost:$port" "${pids[1]}" bare app)"
  read -r verify verify_cpu <<<"$(measure "http://localhost:$port" "${pids[1]}" verify app)"
  printf '%-6s %10s %10s %10s %6.0f%% %7.0f%% %10s %10s %10s\n' "$round" "$minimal" "$bare" "$verify" \
    "$(awk -v a="$bare" -v m="$minimal" 'BEGIN { print 100 * a / m }')" "$(awk -v a="$verify" -v m="$minimal" 'BEGIN { print 100 * a / m }')" \
    "$minimal_cpu" "$bare_cpu" "$verify_cpu"
done
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
