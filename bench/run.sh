#!/usr/bin/env bash
# End to end: build, generate scale data into a fresh database, start the app, run the load scenarios, stop the app.
#
#   bench/run.sh sqlite|postgres [generator options] [-- load.sh options and scenarios]
#
#   bench/run.sh sqlite --orgs 20 --plates-per-org 200 -- --duration 5s
#   BENCH_PG="Host=localhost;Port=5432;Username=postgres;Password=...;Database=operator_bench" \
#     bench/run.sh postgres --orgs 20 -- --duration 5s bare plates-search
#
# sqlite:   the database is bench/out/bench-sqlite.db (deleted and recreated).
# postgres: $BENCH_PG is the connection string; its database (operator_bench in the example) is DROPPED and
#           recreated, so never point it at a database you care about.
# Environment: BENCH_PORT (5055); BENCH_SKIP_BUILD=1; BENCH_SKIP_GENERATE=1 keeps the database of an earlier run
# (no generator options then); BENCH_LOG_LEVEL: unset runs the app with its own logging
# (appsettings.json: one Information line per request from Operator.Infrastructure.RequestLog), Warning silences the
# default and the request log, to see what that logging costs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

provider="${1:-}"
case "$provider" in
  sqlite|postgres) shift ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

gen_args=()
load_args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--" ]]; then shift; load_args=("$@"); break; fi
  gen_args+=("$1"); shift
done

port="${BENCH_PORT:-5055}"
url="http://localhost:$port"
out="$here/out"
mkdir -p "$out"

if ! command -v wrk >/dev/null 2>&1; then
  echo "run.sh: wrk is not installed. Install it with:  apt-get install -y wrk" >&2
  exit 1
fi
if curl -s -o /dev/null "$url/health"; then
  echo "run.sh: something already answers on $url; stop it or set BENCH_PORT." >&2
  exit 1
fi

# Another build of the same projects (an IDE, a colleague's watch) can hold a file lock; wait and retry.
build() {
  local attempt log="$out/build.log"
  for attempt in 1 2 3 4 5 6; do
    if dotnet build -c Release "$@" >"$log" 2>&1; then return 0; fi
    if grep -qiE 'being used by another process|cannot access the file|MSB3021|MSB3026|MSB3027|lock' "$log"; then
      echo "run.sh: build hit a file lock (attempt $attempt); retrying in 20 s..." >&2
      sleep 20
    else
      grep -E ' error ' "$log" | sort -u >&2 || tail -30 "$log" >&2
      echo "run.sh: build failed; full log in $log" >&2
      return 1
    fi
  done
  echo "run.sh: build kept failing on a file lock; see $log" >&2
  return 1
}

cd "$root"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "== Building App and the generator (Release)..."
  build App/App.csproj
  build bench/Operator.Bench/Operator.Bench.csproj
fi

skip_generate="${BENCH_SKIP_GENERATE:-0}"
if [[ "$skip_generate" == 1 && ${#gen_args[@]} -gt 0 ]]; then
  echo "run.sh: BENCH_SKIP_GENERATE=1 reuses the database; generator options (${gen_args[*]}) would be ignored" >&2
  exit 2
fi

if [[ "$provider" == sqlite ]]; then
  db_file="$out/bench-sqlite.db"
  if [[ "$skip_generate" == 1 ]]; then
    [[ -f "$db_file" ]] || { echo "run.sh: BENCH_SKIP_GENERATE=1 but there is no $db_file" >&2; exit 1; }
  else
    rm -f "$db_file" "$db_file-wal" "$db_file-shm"
  fi
  connection="Data Source=$db_file"
  app_provider=Sqlite
else
  connection="${BENCH_PG:?run.sh: set BENCH_PG to a PostgreSQL connection string, e.g. Host=localhost;Port=5432;Username=postgres;Database=operator_bench}"
  app_provider=Postgres
fi

# The verify scenario's codes are signed with this secret by the generator and checked with it by the app.
verify_secret="${BENCH_VERIFY_SECRET:-bench-only-verification-secret-B001}"

if [[ "$skip_generate" == 1 ]]; then
  echo "== Reusing the $provider database of an earlier run (BENCH_SKIP_GENERATE=1)"
else
  echo "== Generating data ($provider)..."
  dotnet bench/Operator.Bench/bin/Release/net10.0/Operator.Bench.dll generate \
    --provider "$provider" --connection "$connection" --reset --public-codes-secret "$verify_secret" "${gen_args[@]}"
fi

app_log="$out/app-$provider.log"
echo "== Starting the app on $url (log: $app_log)..."
(
  cd "$root/App"
  # The public verification limit (60 an hour per address) is lifted: wrk is one address. So is the serialization
  # group's per-user limit (1000 a minute): every wrk connection is the one bench admin.
  export Database__Provider="$app_provider" ConnectionStrings__Operator="$connection" Demo__Seed=false \
    ASPNETCORE_ENVIRONMENT=Production Verification__Keys__B001__0="$verify_secret" Verification__RateLimitPerHour=100000000 \
    Serialization__RateLimitPerMinute=100000000
  levels=()
  if [[ -n "${BENCH_LOG_LEVEL:-}" ]]; then
    # Category names hold dots, which bash cannot export; env passes them through.
    levels=("Logging__LogLevel__Default=$BENCH_LOG_LEVEL"
      "Logging__LogLevel__Operator.Infrastructure.RequestLog=$BENCH_LOG_LEVEL")
  fi
  exec env "${levels[@]}" dotnet bin/Release/net10.0/Operator.dll --urls "$url"
) >"$app_log" 2>&1 &
app_pid=$!

stop_app() {
  if kill -0 "$app_pid" 2>/dev/null; then
    echo "== Stopping the app (pid $app_pid)..."
    kill "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$app_pid" 2>/dev/null || true
  fi
}
trap stop_app EXIT
trap 'exit 130' INT TERM

for i in $(seq 1 120); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "run.sh: the app exited during start; last lines of $app_log:" >&2
    tail -30 "$app_log" >&2
    exit 1
  fi
  if curl -sf "$url/health" 2>/dev/null | grep -q Healthy; then break; fi
  if [[ $i -eq 120 ]]; then echo "run.sh: /health did not answer Healthy within 60 s" >&2; tail -30 "$app_log" >&2; exit 1; fi
  sleep 0.5
done
echo "== App is healthy."

echo "== Load ($provider)..."
export BENCH_OUT="$out/$provider"
"$here/load.sh" --url "$url" "${load_args[@]}" | tee "$out/results-$provider.txt"
