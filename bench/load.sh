#!/usr/bin/env bash
# Runs the named load scenarios against a running Operator with wrk and prints requests/s and p50/p95/p99 latency.
#
#   bench/load.sh [--url http://localhost:5000] [--duration 10s] [--connections 16] [--threads 2]
#                 [--warmup 1s] [--markdown] [--list] [scenario ...]
#
# A scenario is a file in bench/scenarios/:
#   <name>.paths  GET paths, one per line, rotated through (several paths = several requests in turn);
#                 '# auth: none' in the file sends no token.
#   <name>.lua    a full wrk script (for writes, bodies...); it finds the access token in $BENCH_TOKEN.
# With no scenario named, all of them run (bare first).
# The token comes from POST /api/sessions as $BENCH_EMAIL / $BENCH_PASSWORD
# (default admin@b0001.bench / Operator-demo-1, the generator's first organization).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
url="http://localhost:5000"
duration="10s"
connections=16
threads=2
warmup="1s"
markdown=0
list=0
scenarios=()

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --duration|-d) duration="$2"; shift 2 ;;
    --connections|-c) connections="$2"; shift 2 ;;
    --threads|-t) threads="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --markdown) markdown=1; shift ;;
    --list) list=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "load.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
url="${url%/}"

all_scenarios() {
  local names file
  names="$(for file in "$here"/scenarios/*.paths "$here"/scenarios/*.lua; do
    if [[ -f "$file" ]]; then basename "$file" | sed -E 's/\.(paths|lua)$//'; fi
  done | sort -u)"
  # bare first: it is the baseline every other row is read against.
  if grep -qx bare <<<"$names"; then echo bare; fi
  grep -vx bare <<<"$names" || true
}

if [[ $list -eq 1 ]]; then
  for name in $(all_scenarios); do
    file="$here/scenarios/$name.paths"; [[ -f "$file" ]] || file="$here/scenarios/$name.lua"
    printf '%-22s %s\n' "$name" "$(grep -m1 -E '^(#|--) ' "$file" | sed -E 's/^(#|--) //')"
  done
  exit 0
fi

if ! command -v wrk >/dev/null 2>&1; then
  echo "load.sh: wrk is not installed. Install it with:  apt-get install -y wrk   (Debian/Ubuntu; needs root)" >&2
  exit 1
fi
for tool in curl awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "load.sh: $tool is required" >&2; exit 1; }
done

if [[ ${#scenarios[@]} -eq 0 ]]; then
  mapfile -t scenarios < <(all_scenarios)
  [[ ${#scenarios[@]} -gt 0 ]] || { echo "load.sh: no scenarios in $here/scenarios" >&2; exit 2; }
fi
for name in "${scenarios[@]}"; do
  if [[ ! -f "$here/scenarios/$name.paths" && ! -f "$here/scenarios/$name.lua" ]]; then
    echo "load.sh: no scenario '$name' (bench/scenarios/$name.paths or .lua). Known: $(all_scenarios | tr '\n' ' ')" >&2
    exit 2
  fi
done

needs_auth() {
  local name="$1"
  [[ -f "$here/scenarios/$name.lua" ]] && return 0
  ! grep -qiE '^#[[:space:]]*auth:[[:space:]]*none' "$here/scenarios/$name.paths"
}

token=""
for name in "${scenarios[@]}"; do
  if needs_auth "$name"; then
    email="${BENCH_EMAIL:-admin@b0001.bench}"
    password="${BENCH_PASSWORD:-Operator-demo-1}"
    body="$(printf '{"email":"%s","password":"%s"}' "$email" "$password")"
    response="$(curl -sS -X POST "$url/api/sessions" -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}')" || {
      echo "load.sh: cannot reach $url/api/sessions" >&2; exit 1; }
    status="${response##*$'\n'}"
    response="${response%$'\n'*}"
    token="$(sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$response")"
    if [[ "$status" != 200 || -z "$token" ]]; then
      echo "load.sh: sign-in as $email failed (HTTP $status): $response" >&2
      echo "load.sh: generate data first (bench/run.sh or Operator.Bench generate) or set BENCH_EMAIL/BENCH_PASSWORD." >&2
      exit 1
    fi
    echo "Signed in as $email." >&2
    break
  fi
done

out_dir="${BENCH_OUT:-$here/out}/wrk"
mkdir -p "$out_dir"

# wrk prints times as 812.00us, 1.23ms, 1.02s or 2.00m; the table shows milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v == "") { print "-"; exit }
    n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
    if (unit == "us") n = n / 1000; else if (unit == "s") n = n * 1000; else if (unit == "m") n = n * 60000; else if (unit == "h") n = n * 3600000
    printf "%.2f", n }'
}

rows=()
for name in "${scenarios[@]}"; do
  if [[ -f "$here/scenarios/$name.lua" ]]; then
    script="$here/scenarios/$name.lua"
    first_path=""
  else
    script="$here/lib/paths.lua"
    first_path="$(sed -e 's/#.*$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$here/scenarios/$name.paths" | grep -m1 -v '^$')"
  fi
  scenario_token=""
  if needs_auth "$name"; then scenario_token="$token"; fi

  if [[ -n "$first_path" ]]; then
    auth_args=()
    [[ -n "$scenario_token" ]] && auth_args=(-H "Authorization: Bearer $scenario_token")
    code="$(curl -s -o /dev/null -w '%{http_code}' "${auth_args[@]}" "$url$first_path" || true)"
    if [[ "$code" != 2* ]]; then
      echo "load.sh: warning: $name: GET $first_path answered HTTP $code" >&2
    fi
  fi

  export BENCH_TOKEN="$scenario_token" BENCH_PATHS_FILE="$here/scenarios/$name.paths" BENCH_URL="$url"
  if [[ -n "$warmup" && "$warmup" != 0 && "$warmup" != 0s ]]; then
    wrk -t "$threads" -c "$connections" -d "$warmup" -s "$script" "$url" >/dev/null 2>&1 || true
  fi
  echo "Running $name for $duration ($threads threads, $connections connections)..." >&2
  raw="$out_dir/$name.txt"
  # The scenario plus a done() that prints p95 (wrk --latency shows 50/75/90/99 only; the issues' targets are p95).
  measured="$(mktemp --suffix=.lua)"
  printf 'dofile("%s")\nfunction done(summary, latency, requests)\n  io.write(string.format("p95 %%.3fms\\n", latency:percentile(95) / 1000))\nend\n' "$script" >"$measured"
  wrk --latency -t "$threads" -c "$connections" -d "$duration" -s "$measured" "$url" >"$raw" 2>&1 || {
    rm -f "$measured"
    echo "load.sh: wrk failed for $name:" >&2; cat "$raw" >&2; exit 1; }

  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$raw")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$raw")")"
  rm -f "$measured"
  p95="$(to_ms "$(awk '$1 == "p95" { print $2; exit }' "$raw")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$raw")")"
  non2xx="$(awk -F': ' '/Non-2xx or 3xx responses/ { print $2 }' "$raw")"
  errors="$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$raw")"
  rows+=("$name|${rps:--}|$p50|$p95|$p99|${non2xx:-0}|${errors:-0}")
done

echo
if [[ $markdown -eq 1 ]]; then
  echo "| scenario | requests/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do
    IFS='|' read -r n r a c b x e <<<"$row"
    echo "| $n | $r | $a | $c | $b | $x | $e |"
  done
else
  printf '%-22s %12s %10s %10s %10s %9s %9s\n' scenario requests/s "p50 ms" "p95 ms" "p99 ms" non-2xx errors
  for row in "${rows[@]}"; do
    IFS='|' read -r n r a c b x e <<<"$row"
    printf '%-22s %12s %10s %10s %10s %9s %9s\n' "$n" "$r" "$a" "$c" "$b" "$x" "$e"
  done
fi
echo "(wrk output per scenario in $out_dir; $threads threads, $connections connections, $duration each)" >&2
