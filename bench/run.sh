#!/usr/bin/env bash
# WebSocket load suite: N watchers on one auction, 50 bidders, open-loop bids, against the raw Kestrel baseline
# (bench/RawKestrelBroadcast) and the sample host, same generator, same N, fresh server per run.
# Writes bench/results/suite-<stamp>.md (+ per-run JSON) and prints the table.
#
#   bench/run.sh --quick                 # ≈2 min (3 min on a box at load 30): 1 run per cell, 5 s bidding,
#                                        # ramp-up capped at 15 s, 2 s drain
#                                        # (a server that cannot take N sockets in 15 s shows connected < N)
#   bench/run.sh                         # 3 runs per cell (median), 10 s bidding
#   bench/run.sh --modes "baseline inmemory" --sizes "500 5000" --reps 5 --rate 5
#   REMATE_SAMPLE_DLL=… bench/run.sh     # use a prebuilt host
#   bench/run.sh [--quick] --scenario many-auctions|hot-auction|two-nodes [--modes …] [--sizes …]
#                                        # the suite scenarios (see run_scenario below; default behaviour unchanged)
#   bench/run.sh --scenario sale [--sizes 5000] [--modes "baseline inmemory"] [--lot-seconds 5]
#                                        # a live sale against the same run's raw Kestrel baseline (run_sale_scenario)
#
# Modes: baseline (raw Kestrel), inmemory (sample host, no settings), pgredis (sample host on PostgreSQL + Redis;
# run under scripts/test-env.sh, which provides the servers). New modes: add mode_setup_/mode_env_/mode_teardown_.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODES="baseline inmemory"
SIZES="500 5000 10000"
REPS=3
DURATION=10
RATE=5
BIDDERS=50
RAMP_TIMEOUT=120
DRAIN=5
QUICK=0
SCENARIO=""
SIZES_GIVEN=0
RATE_GIVEN=0
BIDDERS_GIVEN=0
MODES_GIVEN=0
LOT_SECONDS=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1; REPS=1; DURATION=5; RAMP_TIMEOUT=15; DRAIN=2; shift ;;
    --drain) DRAIN="$2"; shift 2 ;;
    --ramp-timeout) RAMP_TIMEOUT="$2"; shift 2 ;;
    --modes) MODES="$2"; MODES_GIVEN=1; shift 2 ;;
    --sizes) SIZES="$2"; SIZES_GIVEN=1; shift 2 ;;
    --scenario) SCENARIO="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rate) RATE="$2"; RATE_GIVEN=1; shift 2 ;;
    --bidders) BIDDERS="$2"; BIDDERS_GIVEN=1; shift 2 ;;
    --lot-seconds) LOT_SECONDS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

# --- mode hooks --------------------------------------------------------------------------------------------------
# mode_server_kind <mode>: which server binary (baseline | host).
# mode_env_<mode>: env assignments for the host (printed one per line); mode_setup_/mode_teardown_<mode>: start/stop
# dependencies. PostgreSQL/Redis modes are to be added here (e.g. with scripts/test-env.sh): set
# RemateLive__Postgres__ConnectionString / RemateLive__Redis__Configuration in mode_env_postgres / mode_env_redis,
# and state the durability settings in the report (fsync on, synchronous_commit on for the headline figure).
mode_server_kind() { [[ "$1" == baseline ]] && echo baseline || echo host; }
mode_env_baseline() { :; }
mode_env_inmemory() { printf '%s\n' "${HOST_LOAD_ENV[@]}"; }
mode_setup_baseline() { :; }
mode_setup_inmemory() { :; }
mode_teardown_baseline() { :; }
mode_teardown_inmemory() { :; }
# pgredis: the sample host on PostgreSQL (store of record) + Redis (bus, rate limits, presence), using the throwaway
# servers of scripts/test-env.sh, durable (fsync and synchronous_commit on) unless REMATE_BENCH_ALLOW_FAST_PG=1:
#   REMATE_PG_DURABLE=1 scripts/test-env.sh -- bench/run.sh --modes "baseline inmemory pgredis"
PG_DURABILITY=""
mode_setup_pgredis() {
  [[ -n "${REMATE_TEST_POSTGRES:-}" && -n "${REMATE_TEST_REDIS:-}" ]] \
    || { echo "pgredis mode needs PostgreSQL and Redis: run under REMATE_PG_DURABLE=1 scripts/test-env.sh" >&2; return 1; }
  local port fsync sync
  port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$REMATE_TEST_POSTGRES")
  fsync=$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SHOW fsync")
  sync=$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SHOW synchronous_commit")
  PG_DURABILITY="PostgreSQL fsync=$fsync, synchronous_commit=$sync"
  log "$PG_DURABILITY"
  if [[ "$fsync" != on || "$sync" != on ]] && [[ "${REMATE_BENCH_ALLOW_FAST_PG:-0}" != 1 ]]; then
    echo "pgredis figures must be durable: start the servers with REMATE_PG_DURABLE=1 scripts/test-env.sh (or set REMATE_BENCH_ALLOW_FAST_PG=1)" >&2
    return 1
  fi
}
mode_env_pgredis() {
  printf '%s\n' "${HOST_LOAD_ENV[@]}" \
    "RemateLive__Postgres__ConnectionString=$REMATE_TEST_POSTGRES" \
    "RemateLive__Redis__Configuration=$REMATE_TEST_REDIS" \
    "RemateLive__Redis__KeyPrefix=bench-$stamp"
}
mode_teardown_pgredis() { :; }
# ------------------------------------------------------------------------------------------------------------------

mkdir -p "$RESULTS"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out_md="$RESULTS/suite-$stamp.md"
trap 'stop_server' EXIT INT TERM
build_tools

host_available=1
if [[ " $MODES " != " baseline " ]]; then
  if [[ -z "${REMATE_SAMPLE_DLL:-}" ]] && ! sample_dll >/dev/null 2>"$RESULTS/suite-$stamp-sample-build.log"; then
    log "sample host does not build (see $RESULTS/suite-$stamp-sample-build.log): host modes skipped"
    host_available=0
  fi
fi
# After the first sample_dll call the build is done; reuse its path.
if [[ $host_available -eq 1 && -z "${REMATE_SAMPLE_DLL:-}" ]]; then
  export REMATE_SAMPLE_DLL="$ART/bin/RemateLive.Sample/release/RemateLive.Sample.dll"
fi

median() { # median of numeric args ("na" ignored); "na" if none
  printf '%s\n' "$@" | { grep -v '^na$' || true; } | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "na"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="na"||b=="na"||b==0) print "na"; else printf "%.2f×\n", a/b }'; }
# A ratio only means something when both sides carried all N sockets.
ratio_cell() { # mode size
  local c="${R[$1,$2,connected]}" bc="${R[baseline,$2,connected]:-na}"
  if [[ "$c" != "$2" || "$bc" != "$2" ]]; then echo "n/a (connected $c / baseline $bc of $2)"; else ratio "${R[$1,$2,last_p99]}" "${R[baseline,$2,last_p99]:-na}"; fi
}

# --- suite scenarios (--scenario) ---------------------------------------------------------------------------------
# many-auctions: N sockets spread over 100 auctions created by the generator (--create-auction --auctions 100);
#   connection i joins auction i mod 100, connections 0..99 bid (one bidder per auction). Host modes only: the raw
#   Kestrel baseline has a single global room, so it is no ceiling for K auctions.
# hot-auction: one auction, 50 bidders + 50 watchers, 500 bids/s open loop (per-user bid rate limit lifted so the
#   figure is the bid path's, not the limiter's); reports accepted bids/s and ack p99. Baseline allowed.
# two-nodes (pgredis only): two hosts on two loopback ports, same PostgreSQL, same Redis key prefix; one auction
#   created on node 1; one generator process per node (the generator takes a single --url), N/2 sockets and half the
#   bidders/rate each, started together; each node's figures reported on its own row.
SC_PIDS=()
stop_scenario_servers() {
  local p
  for p in "${SC_PIDS[@]}"; do SERVER_PID="$p"; stop_server; done
  SC_PIDS=(); stop_server
}
# create_auction_rest <port>: admin login + POST /api/auctions (same body as the generator's --create-auction); prints the id.
create_auction_rest() {
  local base="http://127.0.0.1:$1" token ends
  token="$(curl -s --max-time 10 -H 'Content-Type: application/json' \
    -d '{"username":"admin","display_name":"Admin","password":"bench-admin"}' "$base/api/auth/login" \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
  [[ -n "$token" ]] || { echo "admin login failed on $base" >&2; return 1; }
  ends="$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%S.000Z)"
  curl -s --max-time 10 -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d "{\"title\":\"Bench two-nodes $stamp\",\"description\":\"bench/run.sh\",\"image_url\":\"https://example.invalid/b.png\",\"currency\":\"USD\",\"starting_price_cents\":1000,\"increment\":{\"kind\":\"fixed\",\"amount_cents\":100},\"ends_at\":\"$ends\"}" \
    "$base/api/auctions" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p; t; s/.*"id":"\([^"]*\)".*/\1/p' | head -n1
}
SC_ROWS=()
# sc_row <scenario> <mode> <node> <size> <auctions> <bidders> <rate> <summary line> <command>
sc_row() {
  local l="$8" g; g() { local v; v="$(summary_get "$l" "$1")"; echo "${v:-na}"; }
  local acc; acc="$(g accepted)"
  local aps; aps="$(awk -v a="$acc" -v d="$DURATION" 'BEGIN { if (a=="na") print "na"; else printf "%.1f", a/d }')"
  SC_ROWS+=("| $1 | $2 | $3 | $4 ($(g connected) / $(g dropped)) | $5 | $6 | $7 | $aps | $acc/$(g rejected) (unanswered $(g unanswered)) | $(g ack_p50) / $(g ack_p99) | $(g last_p50) / $(g last_p99) | $(g all_p99) | $(g lost) | $machine | $date_utc | \`$9\` |")
}
run_scenario() {
  local sc="$1" mode kind size envs args line auctions bidders rate extra_env=() target
  machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  date_utc="$(date -u +%Y-%m-%dT%H:%MZ)"
  case "$sc" in
    many-auctions)
      [[ $MODES_GIVEN -eq 1 ]] || MODES="inmemory"
      [[ $SIZES_GIVEN -eq 1 ]] || { [[ $QUICK -eq 1 ]] && SIZES="1000" || SIZES="10000"; }
      auctions=100; bidders=100; rate=50 ;;
    hot-auction)
      [[ $MODES_GIVEN -eq 1 ]] || MODES="baseline inmemory"
      [[ $SIZES_GIVEN -eq 1 ]] || SIZES="100"
      auctions=1; bidders=50; rate=500
      extra_env=(RemateLive__RateLimits__BidBurst=1000000 RemateLive__RateLimits__BidsPerSecond=1000000) ;;
    two-nodes)
      MODES="pgredis"
      [[ $SIZES_GIVEN -eq 1 ]] || { [[ $QUICK -eq 1 ]] && SIZES="500" || SIZES="500 5000"; }
      auctions=1; bidders=50; rate=$RATE ;;
    *) echo "unknown scenario $sc (many-auctions | hot-auction | two-nodes)" >&2; exit 1 ;;
  esac
  [[ $BIDDERS_GIVEN -eq 1 ]] && bidders=$BIDDERS
  [[ $RATE_GIVEN -eq 1 ]] && rate=$RATE
  trap 'stop_scenario_servers' EXIT INT TERM
  local load_start; load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
  for mode in $MODES; do
    kind="$(mode_server_kind "$mode")"
    if [[ "$kind" == baseline && "$sc" != hot-auction ]]; then log "scenario $sc: baseline has one global room, skipped"; continue; fi
    if [[ "$kind" == host && $host_available -eq 0 ]]; then log "scenario $sc: no sample host, $mode skipped"; continue; fi
    if ! "mode_setup_$mode"; then log "scenario $sc: mode $mode setup failed, skipped"; continue; fi
    for size in $SIZES; do
      for rep in $(seq 1 "$REPS"); do
        mapfile -t envs < <("mode_env_$mode")
        envs+=("${extra_env[@]}")
        local base="$RESULTS/suite-$stamp-$sc-$mode-$size-$rep"
        if [[ "$sc" != two-nodes ]]; then
          start_server "$kind" "$base.log" "${envs[@]}" || { log "$sc $mode N=$size: server did not start"; stop_server; continue; }
          if [[ "$kind" == host ]]; then target=(--create-auction --admin-password bench-admin --auctions "$auctions"); else target=(--auction-id bench); fi
          args=(--url "http://127.0.0.1:$SERVER_PORT" --connections "$size" --bidders "$bidders" --rate "$rate"
                --duration "$DURATION" --ramp-timeout "$RAMP_TIMEOUT" --drain "$DRAIN" "${target[@]}" --server-pid "$SERVER_PID"
                --quiet --summary-line --label "$sc-$mode-$size-$rep" --out "$base.json")
          log "scenario $sc: $mode N=$size rep $rep/$REPS (load $(cut -d' ' -f1 /proc/loadavg))"
          line="$(timeout 600 dotnet "$LOADTEST_DLL" "${args[@]}" | tee -a /dev/stderr | grep '^SUMMARY ' || true)"
          stop_server
          sc_row "$sc" "$mode" 1 "$size" "$auctions" "$bidders" "$rate" "$line" "dotnet run --project samples/RemateLive.LoadTest -c Release -- ${args[*]}"
        else
          local p1 port1 p2 port2 id half=$(( size / 2 )) hb=$(( bidders / 2 )) hr
          hr="$(awk -v r="$rate" 'BEGIN { printf "%g", r/2 }')"
          start_server host "$base-node1.log" "${envs[@]}" || { log "two-nodes: node 1 did not start"; stop_scenario_servers; continue; }
          p1=$SERVER_PID; port1=$SERVER_PORT; SC_PIDS+=("$p1")
          start_server host "$base-node2.log" "${envs[@]}" || { log "two-nodes: node 2 did not start"; stop_scenario_servers; continue; }
          p2=$SERVER_PID; port2=$SERVER_PORT; SC_PIDS+=("$p2"); SERVER_PID=""
          id="$(create_auction_rest "$port1")" || true
          [[ -n "$id" ]] || { log "two-nodes: could not create the auction"; stop_scenario_servers; continue; }
          log "two-nodes: nodes on :$port1 (pid $p1) and :$port2 (pid $p2), auction $id, N=$size (load $(cut -d' ' -f1 /proc/loadavg))"
          local n pids=() ports=("$port1" "$port2") spids=("$p1" "$p2") a1 a2
          for n in 1 2; do
            local -a a=(--url "http://127.0.0.1:${ports[$((n-1))]}" --connections "$half" --bidders "$hb" --rate "$hr"
                  --duration "$DURATION" --ramp-timeout "$RAMP_TIMEOUT" --drain "$DRAIN" --auction-id "$id" --user-prefix "n$n"
                  --server-pid "${spids[$((n-1))]}" --quiet --summary-line --label "$sc-node$n-$size-$rep" --out "$base-node$n.json")
            [[ $n -eq 1 ]] && a1="${a[*]}" || a2="${a[*]}"
            ( timeout 600 dotnet "$LOADTEST_DLL" "${a[@]}" >"$base-gen$n.out" 2>"$base-gen$n.err" ) &
            pids+=($!)
          done
          wait "${pids[@]}" || true
          stop_scenario_servers
          sc_row "$sc" "$mode" "1 of 2" "$half" "$auctions" "$hb" "$hr" "$(grep '^SUMMARY ' "$base-gen1.out" || true)" "dotnet run --project samples/RemateLive.LoadTest -c Release -- $a1"
          sc_row "$sc" "$mode" "2 of 2" "$half" "$auctions" "$hb" "$hr" "$(grep '^SUMMARY ' "$base-gen2.out" || true)" "dotnet run --project samples/RemateLive.LoadTest -c Release -- $a2"
        fi
      done
    done
    "mode_teardown_$mode" || true
  done
  local load_end; load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
  local out="$RESULTS/suite-$stamp-$sc.md"
  {
    echo "### Scenario $sc $stamp ($([[ $QUICK -eq 1 ]] && echo quick || echo full): $REPS run(s) per row, ${DURATION}s bidding, each row one run)"
    echo
    echo "Load average (1/5/15 min) at start: $load_start; at end: $load_end ($(nproc) cores)."
    echo
    [[ -n "$PG_DURABILITY" ]] && { echo "pgredis: $PG_DURABILITY."; echo; }
    echo "Latencies in ms from the scheduled send time. accepted/s = accepted bids / bidding seconds. N = sockets of this generator process (per node in two-nodes)."
    echo
    echo "| scenario | mode | node | N (connected / dropped) | auctions | bidders | rate (bids/s) | accepted/s | accepted/rejected | ack p50 / p99 | last p50 / p99 | all p99 | lost | machine | date | command |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    printf '%s\n' "${SC_ROWS[@]}"
  } >"$out"
  echo; cat "$out"; log "written $out"
}
# --- cluster scenario (--scenario cluster) ------------------------------------------------------------------------
# bench/run.sh [--quick] --scenario cluster [--sizes "500 5000"]   — NOT under scripts/test-env.sh: run-cluster.sh
# brings its own PostgreSQL, Redis and nginx (free ports). Per size: one auction, N sockets through the nginx proxy
# (round robin, no sticky sessions) with 3 nodes, then with 1 node behind the same proxy (the issue's target:
# 3-node last p99 ≤ 1.5× 1-node), then N sockets on the 3 nodes' own URLs (--url a,b,c: connection i on node i mod 3)
# splitting bid sent → watcher latency into same node / cross node (through the Redis bus).
run_cluster_scenario() {
  local size nodes rows=() base line out inner
  [[ $SIZES_GIVEN -eq 1 ]] || { [[ $QUICK -eq 1 ]] && SIZES="500" || SIZES="500 5000"; }
  local bidders=$BIDDERS rate=$RATE
  for size in $SIZES; do
    for nodes in 3 1; do
      base="$RESULTS/suite-$stamp-cluster-$nodes-$size"
      inner="set -e; a=(--connections $size --bidders $bidders --rate $rate --duration $DURATION --ramp-timeout $RAMP_TIMEOUT --drain $DRAIN --create-auction --admin-password bench-admin --quiet --summary-line)
        dotnet '$LOADTEST_DLL' --url \"\$REMATE_CLUSTER_URL\" \"\${a[@]}\" --label cluster-proxy-$nodes-$size --out '$base-proxy.json' | grep '^SUMMARY ' >'$base-proxy.summary' || true
        if [ $nodes -gt 1 ]; then urls=\$(for p in \"\$REMATE_CLUSTER_DIR\"/node*/port; do printf 'http://127.0.0.1:%s,' \$(cat \"\$p\"); done)
          dotnet '$LOADTEST_DLL' --url \"\${urls%,}\" \"\${a[@]}\" --label cluster-direct-$size --out '$base-direct.json' | grep '^SUMMARY ' >'$base-direct.summary' || true; fi"
      log "scenario cluster: $nodes node(s), N=$size (load $(cut -d' ' -f1 /proc/loadavg))"
      env "${HOST_LOAD_ENV[@]}" RemateLive__RateLimits__ConnectionBurst=1000000 RemateLive__RateLimits__ConnectionsPerSecond=1000000 \
        REMATE_ADMIN_PASSWORD=bench-admin "$ROOT/scripts/run-cluster.sh" -n "$nodes" -- bash -c "$inner" >"$base.log" 2>&1 \
        || log "scenario cluster: $nodes node(s) N=$size failed (see $base.log)"
      line="$(cat "$base-proxy.summary" 2>/dev/null || true)"
      rows+=("| proxy → $nodes node(s) | $size | $(summary_get "$line" connected) | $(summary_get "$line" last_p50) / $(summary_get "$line" last_p99) | $(summary_get "$line" all_p99) | – | $(summary_get "$line" lost) |")
      if [[ $nodes -gt 1 ]]; then
        line="$(cat "$base-direct.summary" 2>/dev/null || true)"
        rows+=("| 3 node URLs (direct) | $size | $(summary_get "$line" connected) | $(summary_get "$line" last_p50) / $(summary_get "$line" last_p99) | $(summary_get "$line" same_node_p99) | $(summary_get "$line" cross_node_p50) / $(summary_get "$line" cross_node_p99) | $(summary_get "$line" lost) |")
      fi
    done
  done
  out="$RESULTS/suite-$stamp-cluster.md"
  {
    echo "### Scenario cluster $stamp ($(nproc) cores; load at end $(cut -d' ' -f1-3 /proc/loadavg)): ${DURATION}s bidding, $bidders bidders, $rate bids/s"
    echo
    echo "| target | N | connected | last p50 / p99 (ms) | all p99 / same-node p99 (ms) | cross-node p50 / p99 (ms) | lost |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
  } >"$out"
  echo; cat "$out"; log "written $out"
}
# --- live-sale scenario (--scenario sale) -------------------------------------------------------------------------
# N watchers (default 5,000) follow one live sale on /ws/sales/{id}; B bidders (default 50) bid online at the asking
# price, open loop at --rate; an auctioneer (REST) opens a lot, gives fair warning and jumps the asking price at
# --lot-seconds/2, sells or passes it and opens the next at --lot-seconds (generator --sale). The baseline row is the
# same run's raw Kestrel broadcast (bench/RawKestrelBroadcast, the timed-auction generator, same N/bidders/rate),
# runs interleaved per repetition; ratio = sale last p99 / baseline last p99 (median of the runs), exactly as the
# default suite does for a timed auction. Modes: baseline plus any host mode (inmemory default; pgredis under
# REMATE_PG_DURABLE=1 scripts/test-env.sh).
run_sale_scenario() {
  [[ $SIZES_GIVEN -eq 1 ]] || SIZES="5000"
  [[ $MODES_GIVEN -eq 1 ]] || MODES="baseline inmemory"
  local size rep mode kind envs args line m v active=() load_start load_end
  declare -A SV=() SR=() SC=()
  machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  date_utc="$(date -u +%Y-%m-%dT%H:%MZ)"
  load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
  for mode in $MODES; do
    kind="$(mode_server_kind "$mode")"
    if [[ "$kind" == host && $host_available -eq 0 ]]; then log "scenario sale: no sample host, $mode skipped"; continue; fi
    if ! "mode_setup_$mode"; then log "scenario sale: mode $mode setup failed, skipped"; continue; fi
    active+=("$mode")
  done
  local metrics="connected dropped last_p50 last_p99 all_p99 ack_p99 lost accepted rejected auctioneer_actions"
  for size in $SIZES; do
    for rep in $(seq 1 "$REPS"); do
      for mode in "${active[@]}"; do
        kind="$(mode_server_kind "$mode")"
        mapfile -t envs < <("mode_env_$mode")
        local base="$RESULTS/suite-$stamp-sale-$mode-$size-$rep"
        start_server "$kind" "$base.log" "${envs[@]}" || { log "sale $mode N=$size: server did not start"; stop_server; continue; }
        args=(--url "http://127.0.0.1:$SERVER_PORT" --connections "$size" --bidders "$BIDDERS" --rate "$RATE"
              --duration "$DURATION" --ramp-timeout "$RAMP_TIMEOUT" --drain "$DRAIN" --quiet --summary-line)
        if [[ "$kind" == host ]]; then
          args+=(--sale --admin-password bench-admin --lot-seconds "$LOT_SECONDS" --label "sale-$mode-$size-$rep")
        else
          args+=(--auction-id bench --server-pid "$SERVER_PID" --label "sale-baseline-$size-$rep" --out "$base.json")
        fi
        SC[$mode,$size]="dotnet run --project samples/RemateLive.LoadTest -c Release -- ${args[*]}"
        log "scenario sale: $mode N=$size rep $rep/$REPS (load $(cut -d' ' -f1 /proc/loadavg))"
        line="$(timeout 900 dotnet "$LOADTEST_DLL" "${args[@]}" | tee -a /dev/stderr | grep '^SUMMARY ' || true)"
        stop_server
        for m in $metrics; do
          v="$(summary_get "$line" "$m")"
          SV[$mode,$size,$m]="${SV[$mode,$size,$m]:-} ${v:-na}"
        done
      done
    done
    for mode in "${active[@]}"; do
      for m in $metrics; do
        # shellcheck disable=SC2086
        SR[$mode,$size,$m]="$(median ${SV[$mode,$size,$m]:-na})"
      done
    done
  done
  for mode in "${active[@]}"; do "mode_teardown_$mode" || true; done
  load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
  local out="$RESULTS/suite-$stamp-sale.md" b99 c bc r
  {
    echo "### Scenario sale $stamp ($REPS run(s) per cell, median; ${DURATION}s bidding, $BIDDERS bidders, $RATE bids/s open loop, a lot every ${LOT_SECONDS}s)"
    echo
    echo "Load average (1/5/15 min) at start: $load_start; at end: $load_end ($(nproc) cores)."
    echo
    [[ -n "$PG_DURABILITY" ]] && { echo "pgredis: $PG_DURABILITY."; echo; }
    echo "Latencies in ms from the scheduled send time: *last* = bid → last socket, *all p99* = over every socket, *ack* = bid → bidder's answer. Baseline = raw Kestrel broadcasting a timed-auction bid (same generator settings). Ratio = sale last p99 / baseline last p99 (1.00× = as fast as raw Kestrel); n/a unless both sides carried all N sockets."
    echo
    echo "| mode | N (connected / dropped) | last p50 | last p99 | baseline last p99 | ratio p99 | all p99 | ack p99 | lost | accepted/rejected | auctioneer actions | machine | date | command |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    for size in $SIZES; do
      for mode in "${active[@]}"; do
        b99="${SR[baseline,$size,last_p99]:-na}"; c="${SR[$mode,$size,connected]}"; bc="${SR[baseline,$size,connected]:-na}"
        if [[ "$mode" == baseline ]]; then r="1.00×"
        elif [[ "$c" != "$size" || "$bc" != "$size" ]]; then r="n/a (connected $c / baseline $bc of $size)"
        else r="$(ratio "${SR[$mode,$size,last_p99]}" "$b99")"; fi
        echo "| $mode | $size ($c / ${SR[$mode,$size,dropped]}) | ${SR[$mode,$size,last_p50]} | ${SR[$mode,$size,last_p99]} | $b99 | $r | ${SR[$mode,$size,all_p99]} | ${SR[$mode,$size,ack_p99]} | ${SR[$mode,$size,lost]} | ${SR[$mode,$size,accepted]}/${SR[$mode,$size,rejected]} | ${SR[$mode,$size,auctioneer_actions]} | $machine | $date_utc | \`${SC[$mode,$size]}\` |"
      done
    done
  } >"$out"
  echo; cat "$out"; log "written $out"
}
if [[ "$SCENARIO" == cluster ]]; then run_cluster_scenario; exit 0; fi
if [[ "$SCENARIO" == sale ]]; then run_sale_scenario; exit 0; fi
if [[ -n "$SCENARIO" ]]; then run_scenario "$SCENARIO"; exit 0; fi
# ------------------------------------------------------------------------------------------------------------------

declare -A R   # R[mode,size,metric] = median
declare -A CMD
METRICS="connected dropped last_p50 last_p99 all_p99 ack_p50 ack_p99 connect_p99 rss_kb_per_conn lost accepted rejected"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
# Modes are interleaved inside each repetition (baseline, host, baseline, host, …) so that drifting machine load
# (other builds on this shared box) hits both sides of a ratio alike.
active_modes=()
for mode in $MODES; do
  kind="$(mode_server_kind "$mode")"
  if [[ "$kind" == host && $host_available -eq 0 ]]; then continue; fi
  if ! "mode_setup_$mode"; then log "mode $mode: setup hook failed/not implemented, skipped"; continue; fi
  active_modes+=("$mode")
done
declare -A VALS=()
for size in $SIZES; do
  for rep in $(seq 1 "$REPS"); do
    for mode in "${active_modes[@]}"; do
      kind="$(mode_server_kind "$mode")"
      mapfile -t envs < <("mode_env_$mode")
      if ! start_server "$kind" "$RESULTS/suite-$stamp-$mode-$size-$rep.log" "${envs[@]}"; then
        log "mode $mode N=$size: server did not start, run skipped"; stop_server; continue
      fi
      if [[ "$kind" == host ]]; then target=(--create-auction --admin-password bench-admin); else target=(--auction-id bench); fi
      args=(--url "http://127.0.0.1:$SERVER_PORT" --connections "$size" --bidders "$BIDDERS" --rate "$RATE"
            --duration "$DURATION" --ramp-timeout "$RAMP_TIMEOUT" --drain "$DRAIN" "${target[@]}" --server-pid "$SERVER_PID" --quiet --summary-line
            --label "$mode-$size-$rep" --out "$RESULTS/suite-$stamp-$mode-$size-$rep.json")
      CMD[$mode,$size]="dotnet run --project samples/RemateLive.LoadTest -c Release -- ${args[*]}"
      log "run $mode N=$size rep $rep/$REPS (load $(cut -d' ' -f1 /proc/loadavg))"
      line="$(timeout 600 dotnet "$LOADTEST_DLL" "${args[@]}" | tee -a /dev/stderr | grep '^SUMMARY ' || true)"
      stop_server
      for m in $METRICS; do
        v="$(summary_get "$line" "$m")"
        VALS[$mode,$size,$m]="${VALS[$mode,$size,$m]:-} ${v:-na}"
      done
    done
  done
  for mode in "${active_modes[@]}"; do
    for m in $METRICS; do
      # shellcheck disable=SC2086
      R[$mode,$size,$m]="$(median ${VALS[$mode,$size,$m]:-na})"
    done
  done
done
for mode in "${active_modes[@]}"; do "mode_teardown_$mode" || true; done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
date_utc="$(date -u +%Y-%m-%dT%H:%MZ)"
{
  echo "### WebSocket suite $stamp ($([[ $QUICK -eq 1 ]] && echo quick || echo full): $REPS run(s) per cell, median; ${DURATION}s bidding, $BIDDERS bidders, $RATE bids/s open loop, one auction)"
  echo
  echo "Load average (1/5/15 min) at start: $load_start; at end: $load_end ($(nproc) cores; other work on the box shows up here)."
  echo
  [[ -n "$PG_DURABILITY" ]] && { echo "pgredis: $PG_DURABILITY."; echo; }
  echo "Latencies in ms from the scheduled send time: *last* = bid → last receiver, *all p99* = over every receiver, *ack* = bid → bidder's bid_placed/bid_error. RSS = server VmRSS growth per connection (KiB). Ratio = mode / baseline (lower is better, 1.00× = as fast as raw Kestrel)."
  echo
  echo "| mode | N (connected / dropped) | last p50 | last p99 | baseline last p50 / p99 | ratio p99 | all p99 | ack p99 (baseline) | RSS KiB/conn (baseline) | lost | accepted/rejected | machine | date | command |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
  for size in $SIZES; do
    for mode in $MODES; do
      [[ -n "${R[$mode,$size,last_p99]:-}" ]] || continue
      b50="${R[baseline,$size,last_p50]:-na}"; b99="${R[baseline,$size,last_p99]:-na}"
      echo "| $mode | $size (${R[$mode,$size,connected]} / ${R[$mode,$size,dropped]}) | ${R[$mode,$size,last_p50]} | ${R[$mode,$size,last_p99]} | $b50 / $b99 | $(ratio_cell "$mode" "$size") | ${R[$mode,$size,all_p99]} | ${R[$mode,$size,ack_p99]} (${R[baseline,$size,ack_p99]:-na}) | ${R[$mode,$size,rss_kb_per_conn]} (${R[baseline,$size,rss_kb_per_conn]:-na}) | ${R[$mode,$size,lost]} | ${R[$mode,$size,accepted]}/${R[$mode,$size,rejected]} | $machine | $date_utc | \`${CMD[$mode,$size]}\` |"
    done
  done
  if [[ $host_available -eq 0 ]]; then echo; echo "_Sample host not available in this run: host modes skipped._"; fi
} >"$out_md"
echo
cat "$out_md"
log "written $out_md"
