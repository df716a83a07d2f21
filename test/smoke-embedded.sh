#!/usr/bin/env bash
# Starts Laget as a newcomer would (`pnpm start`, embedded PGlite, no DATABASE_URL),
# waits for /health, logs in over HTTP as the demo coordinator, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-3917}
data=$(mktemp -d)
log=$(mktemp)
cleanup() {
  if [ -n "${pid:-}" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data" "$log"
}
trap cleanup EXIT

env -u DATABASE_URL -u REDIS_URL PORT="$port" DATA_DIR="$data" setsid pnpm start >"$log" 2>&1 &
pid=$!
for _ in $(seq 120); do
  if curl -fsS "http://localhost:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "smoke: server exited early"; exit 1; fi
  sleep 1
done
curl -fsS "http://localhost:$port/health" | grep -q '"database":"up"' || { cat "$log"; echo "smoke: /health not ok"; exit 1; }
grep -q "embedded PGlite" "$log" || { cat "$log"; echo "smoke: not on the embedded database"; exit 1; }

jar=$(mktemp)
curl -fsS -c "$jar" -X POST "http://localhost:$port/trpc/auth.login" \
  -H 'content-type: application/json' -H "origin: http://localhost:$port" \
  -d '{"json":{"email":"koordinator@demo.laget.no","password":"laget-demo-2026"}}' >/dev/null
curl -fsS -b "$jar" "http://localhost:$port/trpc/auth.me" | grep -q '"email":"koordinator@demo.laget.no"' \
  || { cat "$log"; echo "smoke: demo login failed"; exit 1; }
curl -fsS "http://localhost:$port/" | grep -qi '<div id="root"' || { echo "smoke: login page not served"; exit 1; }
rm -f "$jar"
echo "smoke: embedded default OK (health, demo login, web client)"
