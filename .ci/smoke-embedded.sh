#!/usr/bin/env bash
# Starts Joinery exactly as the README's first command does (pnpm start), with no DATABASE_URL,
# so the embedded PostgreSQL is created; signs in through the API; stops it with SIGTERM and
# checks that it exits cleanly and leaves no PostgreSQL behind.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
data=$(mktemp -d)
port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
password="Smoke-test-$(date +%s)"
log="$data/server.log"

JOINERY_DATA_DIR="$data" PORT="$port" JOINERY_ADMIN_PASSWORD="$password" LOG_LEVEL=info \
  setsid npx -y "pnpm@${PNPM_VERSION}" start >"$log" 2>&1 &
leader=$!
cleanup() { kill -TERM -- "-$leader" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz"; echo
curl -fsS "http://127.0.0.1:$port/" | grep -q '<div id="root">' || { echo "no web app"; cat "$log"; exit 1; }
# pnpm start runs in demo mode: the lending CRM is installed and the demo accounts are listed.
curl -fsS "http://127.0.0.1:$port/api/meta" | grep -q '"username":"sales1"' || { echo "no demo accounts"; cat "$log"; exit 1; }
jar="$data/cookies"
curl -fsS -c "$jar" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/auth/login" >/dev/null
curl -fsS -b "$jar" "http://127.0.0.1:$port/api/auth/session" | grep -q '"username":"admin"'
echo "signed in as admin on the embedded PostgreSQL"
test -f "$data/pg/PG_VERSION" || { echo "no embedded cluster in $data/pg"; exit 1; }

# Stop the server the way a terminal does (SIGTERM to the process group) and wait for it.
stop_started=$SECONDS
kill -TERM -- "-$leader"
# pnpm may exit before the server has stopped its PostgreSQL, so wait for both (a loaded machine
# can take a while to checkpoint).
for _ in $(seq 1 120); do
  kill -0 "$leader" 2>/dev/null || pgrep -f "postgres -D $data/pg" >/dev/null || break
  sleep 0.5
done
trap - EXIT
if pgrep -f "postgres -D $data/pg" >/dev/null; then
  echo "embedded PostgreSQL still running 60 s after SIGTERM"; cat "$log"; exit 1
fi
grep -q '"shutting down"' "$log" || { echo "no clean shutdown"; cat "$log"; exit 1; }
echo "stopped cleanly in $((SECONDS - stop_started)) s"
rm -rf "$data"
