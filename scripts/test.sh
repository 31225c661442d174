#!/usr/bin/env bash
# The whole test suite, from a fresh machine with the .NET 10 SDK and Node 20:
#   installs what is missing (Debian: redis-server, chromium, nginx; PostgreSQL 15 is expected in the image,
#   installed if absent), starts a throwaway PostgreSQL and Redis on 127.0.0.1, runs
#   1. every .NET test project (dotnet test RemateLive.sln),
#   2. the UI's unit tests (Vitest) and browser tests (headless Chromium); the TypeScript client's unit and
#      integration tests, its OpenAPI drift check and npm pack,
#   3. the packaging check (a consumer app built from the packed NuGet packages),
#   4. the load smoke (500 WebSocket connections, 10 s, no message lost),
#   5. a load-balanced cluster (scripts/run-cluster.sh: nginx + 3 nodes) checked through the proxy, then
#      the fault-injection suite (scripts/chaos.sh) against it,
# and prints one closing line "N passed, N failed". Exit code 0 only when everything passed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs="$root/artifacts/test-logs"
rm -rf "$logs"; mkdir -p "$logs"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0 failed=0
stage() { echo; echo "=== $* ==="; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# --- 0. Prerequisites -------------------------------------------------------------------------
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  stage "Installing ${need[*]} (apt-get)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { echo "apt-get install ${need[*]} failed"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "Missing ${need[*]} and not root: install them first."; echo "0 passed, 1 failed"; exit 1
  fi
fi
command -v node >/dev/null 2>&1 || { echo "Node.js is required (node 20)."; echo "0 passed, 1 failed"; exit 1; }

# --- 1. Build ---------------------------------------------------------------------------------
stage "Build (Release)"
if ! dotnet build RemateLive.sln -c Release -p:SkipClientBuild=true 2>&1 | tee "$logs/build.log" | grep -E "error|warn|Build succeeded|Time Elapsed"; then :; fi
if ! grep -q "Build succeeded" "$logs/build.log" || grep -qE " error [A-Z]+[0-9]+" "$logs/build.log"; then
  echo "Build failed (see artifacts/test-logs/build.log)."; echo "0 passed, 1 failed"; exit 1
fi
export REMATE_SAMPLE_DLL="$root/samples/RemateLive.Sample/bin/Release/net10.0/RemateLive.Sample.dll"

# --- 2. .NET tests with real PostgreSQL and Redis -------------------------------------------
stage ".NET tests (PostgreSQL + Redis on 127.0.0.1)"
scripts/test-env.sh -- dotnet test RemateLive.sln -c Release --no-build \
  --logger "console;verbosity=normal" --results-directory "$logs/dotnet" 2>&1 | tee "$logs/dotnet-test.log" \
  | grep -E "^Total tests|^\s+(Passed|Failed|Skipped): [0-9]+\s*$|^\s*Failed [A-Za-z]|^Test Run|test-env:" || true
# Each test project ends with "Total tests: N" followed by "     Passed: N" / "     Failed: N" lines.
p=$(grep -E "^\s+Passed: [0-9]+\s*$" "$logs/dotnet-test.log" | awk '{s+=$2} END {print s+0}')
f=$(grep -E "^\s+Failed: [0-9]+\s*$" "$logs/dotnet-test.log" | awk '{s+=$2} END {print s+0}')
projects=$(grep -cE "^Total tests: [0-9]+" "$logs/dotnet-test.log" || true)
expected=$(ls tests/*/*.Tests.csproj | wc -l)
if [ "$projects" -lt "$expected" ]; then
  echo "Only $projects of $expected test projects reported results (a test host crashed?)."; f=$((f + 1))
fi
if [ "$f" -gt 0 ]; then grep -A8 -E "^\s*Failed [A-Za-z]" "$logs/dotnet-test.log" | head -120; fi
echo ".NET: $p passed, $f failed"
count "$p" "$f"

# --- 3. UI: unit tests and browser tests ------------------------------------------------------
ui=samples/RemateLive.Sample/ClientApp
if [ -f "$ui/package.json" ]; then
  stage "UI unit tests (Vitest)"
  (cd "$ui" && npm ci --no-audit --no-fund >/dev/null 2>&1 && npx vitest run 2>&1 && npm run build >/dev/null 2>&1) | sed -r 's/\x1b\[[0-9;]*m//g' | tee "$logs/vitest.log" | tail -15
  vp=$(grep -E "^\s*Tests\s" "$logs/vitest.log" | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+" | head -1)
  vf=$(grep -E "^\s*Tests\s" "$logs/vitest.log" | grep -oE "[0-9]+ failed" | grep -oE "[0-9]+" | head -1)
  [ -n "$vp$vf" ] || vf=1
  count "${vp:-0}" "${vf:-0}"
  # ESLint (typescript-eslint, react-hooks, jsx-a11y recommended sets): one check, passed or failed.
  if (cd "$ui" && npm run lint) >"$logs/lint.log" 2>&1; then count 1 0; echo "lint: passed"; else count 0 1; echo "lint: failed"; tail -30 "$logs/lint.log"; fi
  if grep -q '"e2e"' "$ui/package.json"; then
    stage "UI browser tests (headless Chromium)"
    (cd "$ui" && npm run e2e 2>&1) | tee "$logs/e2e.log" | grep -E "^# (pass|fail)|^not ok|^ok|Error" | head -40
    ep=$(grep -E "^# pass" "$logs/e2e.log" | tail -1 | grep -oE "[0-9]+")
    ef=$(grep -E "^# fail" "$logs/e2e.log" | tail -1 | grep -oE "[0-9]+")
    [ -n "$ep$ef" ] || ef=1
    count "${ep:-0}" "${ef:-0}"
  fi
fi

# --- 3b. TypeScript client (@remate-live/client) --------------------------------------------------
ts=clients/typescript
if [ -f "$ts/package.json" ]; then
  stage "TypeScript client: unit tests, integration tests (real host on PostgreSQL), API drift check, npm pack"
  (cd "$ts" && npm ci --no-audit --no-fund >/dev/null 2>&1 && npm test 2>&1; \
    cd "$root/$ts" && "$root/scripts/test-env.sh" --no-redis -- npm run test:integration 2>&1) \
    | sed -r 's/\x1b\[[0-9;]*m//g' | tee "$logs/ts-client.log" | grep -E "^\s*(Tests|FAIL)\s|×" | head -20
  tp=$(grep -E "^\s*Tests\s" "$logs/ts-client.log" | grep -oE "[0-9]+ passed" | awk '{s+=$1} END {print s+0}')
  tf=$(grep -E "^\s*Tests\s" "$logs/ts-client.log" | grep -oE "[0-9]+ failed" | awk '{s+=$1} END {print s+0}')
  [ "$(grep -cE "^\s*Tests\s" "$logs/ts-client.log")" -ge 2 ] || tf=$((tf + 1)) # both runs must report
  count "$tp" "$tf"
  if (cd "$ts" && npm run check:api) >"$logs/ts-client-api.log" 2>&1; then count 1 0; echo "api drift check: passed"; else count 0 1; tail -5 "$logs/ts-client-api.log"; fi
  # The tarball must hold the bundle, its types and the README.
  if (cd "$ts" && npm pack --pack-destination "$logs") >"$logs/ts-client-pack.log" 2>&1 \
    && tar -tzf "$logs"/remate-live-client-*.tgz >"$logs/ts-client-pack.files" \
    && [ "$(grep -cxE "package/(dist/index\.js|dist/index\.d\.ts|README\.md)" "$logs/ts-client-pack.files")" = 3 ]; then
    count 1 0; echo "npm pack: $(grep -m1 'gzipped' "$logs/ts-client-pack.log")"
  else count 0 1; echo "npm pack failed or incomplete"; tail -5 "$logs/ts-client-pack.log"; fi
fi

# --- 4. Packaging check -------------------------------------------------------------------------
if [ -x scripts/pack-check.sh ]; then
  stage "Packaging check (consumer app from the packed packages)"
  if scripts/test-env.sh -- scripts/pack-check.sh >"$logs/pack-check.log" 2>&1; then count 1 0; echo "pack-check: passed"; else count 0 1; tail -30 "$logs/pack-check.log"; fi
fi

# --- 5. Load smoke ------------------------------------------------------------------------------
if [ -x bench/smoke.sh ]; then
  stage "Load smoke (500 WebSocket connections, 10 s)"
  if bench/smoke.sh >"$logs/smoke.log" 2>&1; then count 1 0; tail -25 "$logs/smoke.log"; else count 0 1; tail -40 "$logs/smoke.log"; fi
fi

# --- 5b. Load-balanced cluster ------------------------------------------------------------------
if [ -x scripts/run-cluster.sh ]; then
  stage "Cluster (PostgreSQL, Redis, nginx round robin, 3 nodes each with its own HOME; through the proxy only)"
  if timeout 600 scripts/run-cluster.sh -n 3 -- scripts/cluster-smoke.sh >"$logs/cluster.log" 2>&1; then count 1 0; tail -3 "$logs/cluster.log"; else count 0 1; tail -40 "$logs/cluster.log"; fi
  # Fault injection (6 faults, ≈4 min here; bounded at 7 min): one row per fault, each a pass or a fail.
  stage "Chaos (kill -9, SIGSTOP, Redis restart/pause, PostgreSQL immediate restart, reconnect storm; Jepsen-style checks)"
  timeout 420 scripts/run-cluster.sh -n 3 -- scripts/chaos.sh >"$logs/chaos.log" 2>&1
  sed -n '/^| fault/,$p' "$logs/chaos.log"
  cp="$(sed -n 's/^chaos: \([0-9]*\) faults passed, \([0-9]*\) failed$/\1/p' "$logs/chaos.log")"
  cf="$(sed -n 's/^chaos: \([0-9]*\) faults passed, \([0-9]*\) failed$/\2/p' "$logs/chaos.log")"
  if [ -z "$cp$cf" ]; then echo "chaos: no result (timeout or crash)"; tail -30 "$logs/chaos.log"; cf=1; fi
  count "${cp:-0}" "${cf:-0}"
fi

# --- 6. Snapshots must be committed -------------------------------------------------------------
if [ -d .git ] && git status --porcelain 2>/dev/null | grep -E "__snapshots__|__mismatch__" >/dev/null; then
  echo "Snapshot files were created or changed by this run (commit reviewed snapshots):"
  git status --porcelain | grep -E "__snapshots__|__mismatch__" | head
  count 0 1
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
