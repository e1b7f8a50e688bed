#!/usr/bin/env bash
# Times "10,000 serials through one batch trigger" (issue 5: under 2 s) against a running app, end to end over HTTP:
# POST /api/v1/serialization/system-generated/trigger for P-BATCH of B001, whose MANUAL trigger generates 10,000 serials
# per firing (BT-00000001...; the serialization workflows generator creates part, format and trigger and writes their
# facts to bench/out/workflows.txt). Each firing is one transaction: one counter draw, the uniqueness check, 10,000
# inserts and one audit entry.
#
#   bench/batch-trigger.sh [--url http://localhost:5055] [--runs 3]
#
# Prints the HTTP time of each firing and checks that each answered 200 with 10,000 numbers. Start the app as run.sh
# does (serialization rate limit lifted is not needed: a few requests only). Sign-in: $BENCH_EMAIL / $BENCH_PASSWORD
# (default admin@b0001.bench / Operator-demo-1).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
url="${BENCH_URL:-http://localhost:5055}"
runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "batch-trigger.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
facts="${BENCH_WORKFLOWS:-$here/out/workflows.txt}"
[[ -f "$facts" ]] || { echo "batch-trigger.sh: no $facts: generate with the serialization workflows generator" >&2; exit 1; }
part="$(sed -n 's/^batchPartId=//p' "$facts")"
size="$(sed -n 's/^batchSize=//p' "$facts")"

email="${BENCH_EMAIL:-admin@b0001.bench}"
password="${BENCH_PASSWORD:-Operator-demo-1}"
token="$(curl -sf -X POST "$url/api/sessions" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
[[ -n "$token" ]] || { echo "batch-trigger.sh: sign-in as $email failed at $url" >&2; exit 1; }

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
printf '%-6s %8s %10s %s\n' run status seconds "first .. last"
for i in $(seq 1 "$runs"); do
  read -r status seconds < <(curl -s -o "$out" -w '%{http_code} %{time_total}\n' -X POST "$url/api/v1/serialization/system-generated/trigger" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"partId\":\"$part\",\"triggerType\":\"MANUAL\"}")
  count="$(grep -o '"BT-[0-9]*"' "$out" | sort -u | wc -l)"
  first="$(grep -o '"BT-[0-9]*"' "$out" | sed -n 1p)"
  last="$(grep -o '"BT-[0-9]*"' "$out" | tail -1)"
  printf '%-6s %8s %10s %s .. %s (%s distinct)\n' "$i" "$status" "$seconds" "$first" "$last" "$count"
  if [[ "$status" != 200 || "$count" != "$size" ]]; then
    echo "batch-trigger.sh: firing $i did not generate $size serials:" >&2
    head -c 600 "$out" >&2; echo >&2
    exit 1
  fi
done
