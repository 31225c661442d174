# Shared helpers for bench/smoke.sh and bench/run.sh (sourced, not executed).
# Everything is loopback-only; every wait is bounded; servers are stopped by PID.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ART="${RL_LOAD_ARTIFACTS:-/tmp/rl-load-art}"          # build output, never inside the repo
RESULTS="${RL_BENCH_RESULTS:-$ROOT/bench/results}"   # git-ignored
LOADTEST_DLL="$ART/bin/RemateLive.LoadTest/release/RemateLive.LoadTest.dll"
BASELINE_DLL="$ART/bin/RawKestrelBroadcast/release/RawKestrelBroadcast.dll"
# The sample host rate-limits WebSocket upgrades per client IP (RemateLive:RateLimits:Connection*, default burst 50,
# 10/s → HTTP 429) and caps open sockets per IP (RemateLive:Realtime:MaxConnectionsPerIp, default 1,000). Every load
# socket comes from 127.0.0.1, so load runs lift both; bid limits and the per-user cap (one user per socket) stay.
HOST_LOAD_ENV=(RemateLive__Admin__Password=bench-admin
               RemateLive__RateLimits__ConnectionBurst=1000000
               RemateLive__RateLimits__ConnectionsPerSecond=1000000
               RemateLive__Realtime__MaxConnectionsPerIp=10000000)
SERVER_PID=""
SERVER_PORT=""

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# build_tools [--no-baseline]
build_tools() {
  log "building samples/RemateLive.LoadTest (Release, artifacts $ART)"
  dotnet build "$ROOT/samples/RemateLive.LoadTest" -c Release --artifacts-path "$ART" -v q -nologo >&2
  if [[ "${1:-}" != --no-baseline ]]; then
    log "building bench/RawKestrelBroadcast (Release, artifacts $ART)"
    dotnet build "$ROOT/bench/RawKestrelBroadcast" -c Release --artifacts-path "$ART" -v q -nologo >&2
  fi
}

# Path of the sample host dll: $REMATE_SAMPLE_DLL, else build samples/RemateLive.Sample.
sample_dll() {
  if [[ -n "${REMATE_SAMPLE_DLL:-}" ]]; then
    echo "$REMATE_SAMPLE_DLL"
    return
  fi
  log "building samples/RemateLive.Sample (Release, artifacts $ART)"
  # The load smoke needs no UI bundle: skip ClientApp.targets (npm ci / vite build).
  dotnet build "$ROOT/samples/RemateLive.Sample" -c Release --artifacts-path "$ART" -v q -nologo -p:SkipClientBuild=true >&2
  echo "$ART/bin/RemateLive.Sample/release/RemateLive.Sample.dll"
}

free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))   # below the ephemeral range (32768+) used by client sockets
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

# start_server <baseline|host> <logfile> [extra env assignments...]
# Sets SERVER_PID and SERVER_PORT; waits (bounded) until the port answers HTTP.
start_server() {
  local kind="$1" logfile="$2"; shift 2
  SERVER_PORT="$(free_port)"
  local dll
  case "$kind" in
    baseline) dll="$BASELINE_DLL" ;;
    host) dll="$(sample_dll)" ;;
    *) echo "unknown server kind $kind" >&2; return 1 ;;
  esac
  [[ -f "$dll" ]] || { echo "server dll not found: $dll" >&2; return 1; }
  log "starting $kind on 127.0.0.1:$SERVER_PORT ($dll)"
  # The host runs from its own folder (content root); env extras like RemateLive__Admin__Password=... apply to it only.
  ( cd "$(dirname "$dll")" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 "$@" \
      dotnet "$dll" --urls "http://127.0.0.1:$SERVER_PORT" ) >"$logfile" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited during start-up; log:" >&2; tail -n 40 "$logfile" >&2; SERVER_PID=""; return 1
    fi
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$SERVER_PORT/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "server did not answer within 60 s; log:" >&2; tail -n 40 "$logfile" >&2
  return 1
}

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 20); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

# summary_get <SUMMARY line> <key>
summary_get() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1==k {print $2}'; }
