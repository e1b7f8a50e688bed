#!/usr/bin/env bash
# The test command (README.md): installs what the tests need from Debian's packages when it is missing
# (Chromium for the browser tests, PostgreSQL, poppler-utils for reading PDFs, nginx for the two-instance test), starts a private PostgreSQL
# for this run only, and runs every test project of Operator.sln.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# The two-instance test starts its own nginx (own config, port and folders); the package's service is not used.
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian's packages"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A throw-away PostgreSQL cluster on its own port and socket folder; removed when the run ends.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=$(mktemp -d /tmp/operator-pg.XXXXXX)
PGPORT=${OPERATOR_PG_PORT:-55432}
if [ "$(id -u)" = 0 ]; then
  chown postgres "$PGDATA"
  pg() { su postgres -s /bin/bash -c "$*"; }
else
  pg() { bash -c "$*"; }
fi
pg "$PGBIN/initdb -D $PGDATA -A trust -U postgres >/dev/null"
pg "$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w -o \"-p $PGPORT -k $PGDATA -c listen_addresses=localhost -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start >/dev/null"
cleanup() { pg "$PGBIN/pg_ctl -D $PGDATA -m immediate stop >/dev/null 2>&1" || true; rm -rf "$PGDATA"; }
trap cleanup EXIT
# Idle connections close after 10 s (Npgsql keeps them 5 minutes): each test app has its own database and pools, and
# idle ones left by finished apps would otherwise use up the server's connections late in the run.
export OPERATOR_TEST_PG="Host=localhost;Port=$PGPORT;Username=postgres;Database=postgres;Maximum Pool Size=200;Connection Idle Lifetime=10;Connection Pruning Interval=2"

export OPERATOR_E2E_ARTIFACTS="${OPERATOR_E2E_ARTIFACTS:-$PWD/TestResults/e2e}"
mkdir -p "$OPERATOR_E2E_ARTIFACTS"
echo "Browser test screenshots of failures go to $OPERATOR_E2E_ARTIFACTS; every main screen per role goes to $(dirname "$OPERATOR_E2E_ARTIFACTS")/screens"

dotnet build Operator.sln -c Release -nologo -clp:ErrorsOnly
set +e
dotnet test Operator.sln -c Release --no-build -nologo 2>&1 | tee TestResults/test-output.txt
status=${PIPESTATUS[0]}
set -e
# One plain closing line for whoever reads the log: totals over every test project.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' TestResults/test-output.txt
exit "$status"
