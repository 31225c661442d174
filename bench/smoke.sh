#!/usr/bin/env bash
# CI smoke for the WebSocket path: start the sample host (in-memory) on a free loopback port, drive it with
# samples/RemateLive.LoadTest (500 connections, 50 bidders, 10 s, --fail-on-loss --verify-store), stop the host.
# Exit code: the generator's (0 ok, 2 loss/store mismatch, 1 setup error).
#   REMATE_SAMPLE_DLL=/path/RemateLive.Sample.dll bench/smoke.sh   # use a prebuilt host
#   bench/smoke.sh                                                   # builds samples/RemateLive.Sample (Release)
#   bench/smoke.sh --baseline                                        # same scenario against bench/RawKestrelBroadcast
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODE=host
[[ "${1:-}" == "--baseline" ]] && MODE=baseline
CONNECTIONS="${SMOKE_CONNECTIONS:-500}"
BIDDERS="${SMOKE_BIDDERS:-50}"
DURATION="${SMOKE_DURATION:-10}"
RATE="${SMOKE_RATE:-10}"

mkdir -p "$RESULTS"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
trap 'stop_server' EXIT INT TERM

if [[ "$MODE" == host ]]; then build_tools --no-baseline; else build_tools; fi
if [[ "$MODE" == host ]]; then
  start_server host "$RESULTS/smoke-$stamp-host.log" "${HOST_LOAD_ENV[@]}"
  target=(--create-auction --admin-password bench-admin --verify-store)
else
  start_server baseline "$RESULTS/smoke-$stamp-baseline.log"
  target=(--auction-id smoke)   # the baseline has no REST store to create or verify against
fi

set +e
timeout 300 dotnet "$LOADTEST_DLL" --url "http://127.0.0.1:$SERVER_PORT" \
  --connections "$CONNECTIONS" --bidders "$BIDDERS" --rate "$RATE" --duration "$DURATION" \
  "${target[@]}" --fail-on-loss --server-pid "$SERVER_PID" \
  --label "smoke-$MODE" --out "$RESULTS/smoke-$stamp-$MODE.json" --html "$RESULTS/smoke-$stamp-$MODE.html"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  echo "smoke ($MODE): FAILED (exit $rc); server log: $RESULTS/smoke-$stamp-$MODE.log" >&2
else
  echo "smoke ($MODE): passed"
fi
exit $rc
