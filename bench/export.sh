#!/usr/bin/env bash
# Times the export of a whole serials list (issue 15: 1,000,000 serials, memory flat) against a running app:
# GET /api/serials/export?<filter>[&format=xlsx] streamed by curl to a file, while the app's resident memory (VmRSS) is sampled from
# /proc/<pid>/status every 100 ms. Prints the time, rows and bytes, the app's memory when idle just before the export,
# its highest sampled VmRSS during it and the difference, and VmHWM (the kernel's peak since the app started).
#
#   bench/export.sh --pid <app pid> [--url http://localhost:5055] [--filter 'status=in_progress'] [--format csv|xlsx] [--runs 2]
# With --format xlsx the rows are counted from the workbook's sheet (unzip -p | grep -c '<row').
#
# The 1,000,000 serials of B001 come from the public-codes generator; then start the app on that database:
#   dotnet bench/Operator.Bench/bin/Release/net10.0/Operator.Bench.dll generate --provider sqlite \
#     --connection "Data Source=/tmp/export-bench.db" --reset --orgs 1 --public-codes 1000000 --public-codes-secret bench-only-verification-secret-B001
#   (cd App && Database__Provider=Sqlite ConnectionStrings__Operator="Data Source=/tmp/export-bench.db" Demo__Seed=false \
#     ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet bin/Release/net10.0/Operator.dll --urls http://localhost:5077 &)
#   bench/export.sh --pid <that dotnet's pid> --url http://localhost:5077 --runs 1
# Sign-in: $BENCH_EMAIL / $BENCH_PASSWORD (default admin@b0001.bench / Operator-demo-1).
set -euo pipefail
url="${BENCH_URL:-http://localhost:5055}"
pid=""
filter=""
runs=2
format=csv
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --pid) pid="$2"; shift 2 ;;
    --filter) filter="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --format) format="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "export.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$pid" && -r "/proc/$pid/status" ]] || { echo "export.sh: give the app's process id with --pid" >&2; exit 2; }

email="${BENCH_EMAIL:-admin@b0001.bench}"
password="${BENCH_PASSWORD:-Operator-demo-1}"
token="$(curl -sf -X POST "$url/api/sessions" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
[[ -n "$token" ]] || { echo "export.sh: sign-in as $email failed at $url" >&2; exit 1; }

kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$pid/status"; }
out="$(mktemp)"; samples="$(mktemp)"
trap 'rm -f "$out" "$samples"' EXIT
echo "format: $format"
printf '%-4s %6s %9s %10s %12s %10s %10s %10s %10s\n' run status seconds rows bytes idle_MB peak_MB above_MB hwm_MB
for i in $(seq 1 "$runs"); do
  idle="$(kb VmRSS)"
  : > "$samples"
  ( while kill -0 "$pid" 2>/dev/null; do kb VmRSS >> "$samples"; sleep 0.1; done ) &
  sampler=$!
  read -r status seconds < <(curl -s -o "$out" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "$url/api/serials/export?${filter:+$filter&}format=$format")
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  peak="$(sort -n "$samples" | tail -1)"
  if [[ "$format" == xlsx && "$status" == 200 ]]; then rows=$(( $(unzip -p "$out" xl/worksheets/sheet1.xml | grep -o '<row' | wc -l) - 1 ))
  else rows=$(( $(wc -l < "$out") - 1 )); fi
  bytes="$(stat -c %s "$out")"
  printf '%-4s %6s %9s %10s %12s %10s %10s %10s %10s\n' "$i" "$status" "$seconds" "$rows" "$bytes" \
    "$((idle / 1024))" "$((peak / 1024))" "$(((peak - idle) / 1024))" "$(( $(kb VmHWM) / 1024 ))"
  [[ "$status" == 200 ]] || { echo "export.sh: run $i answered $status:" >&2; head -c 600 "$out" >&2; echo >&2; exit 1; }
done
