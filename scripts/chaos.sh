#!/usr/bin/env bash
# Fault injection against a load-balanced cluster, with a Jepsen-style check after each fault.
#   scripts/run-cluster.sh -n 3 -- scripts/chaos.sh            (CI: scripts/test.sh runs the CI subset)
# For each fault: the load generator bids through the proxy on 2 fresh auctions (24 sockets, 6 bidders,
# 12 bids/s, 20 s, every bid with an idempotency key); 6 s in, the fault is injected, then healed. The
# checker then uses only the public protocol (the generator's acks and deliveries) and SQL reads of the
# tables: every acknowledged accepted bid is in the store exactly once (bids + events via REST
# --verify-store, and by (auction, seq) in SQL); per auction events are gap-free from seq 1 and bid amounts
# strictly rise with seq; at most one winner; no client saw a gap or a duplicate (the generator's
# lost-on-open-sockets and duplicate counts); recovery = the longest stretch without an accepted ack after
# the fault began. Prints: fault | acked | lost | duplicates | gaps | max recovery (s) | verdict.
# Faults (REMATE_CHAOS_FAULTS, default all): kill9 sigstop redis-restart redis-pause pg-restart.
# Generator clients do not reconnect: clients of a killed/stopped node drop (their acked bids are checked).
set -uo pipefail
: "${REMATE_CLUSTER_URL:?run through scripts/run-cluster.sh}" "${REMATE_CLUSTER_DIR:?}" "${REMATE_TEST_PGDATA:?}"
root=$(cd "$(dirname "$0")/.." && pwd)
faults=${REMATE_CHAOS_FAULTS:-kill9 sigstop redis-restart redis-pause pg-restart}
stop_seconds=${REMATE_CHAOS_STOP_SECONDS:-20}
loadtest=${REMATE_LOADTEST_DLL:-$root/samples/RemateLive.LoadTest/bin/Release/net10.0/RemateLive.LoadTest.dll}
[ -f "$loadtest" ] || dotnet build "$root/samples/RemateLive.LoadTest" -c Release -nologo -v q >&2
out=$REMATE_CLUSTER_DIR/chaos; mkdir -p "$out"
pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
envdir=$(dirname "$REMATE_TEST_PGDATA")
redis_port=$REMATE_TEST_REDIS_PORT
node_pid() { cat "$REMATE_CLUSTER_DIR/node$1/pid"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_q() { psql -h 127.0.0.1 -p "${REMATE_PG_PORT:-25432}" -U postgres -d postgres -At -c "$1"; }

inject() { # $1 = fault; runs in the background while the load runs
  case "$1" in
    kill9) kill -KILL "$(node_pid 2)"; sleep 5; "$REMATE_CLUSTER_DIR/node2/start.sh" ;;
    sigstop) kill -STOP "$(node_pid 2)"; sleep "$stop_seconds"; kill -CONT "$(node_pid 2)" ;;
    redis-restart)
      redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1; sleep 2
      redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --pidfile "$envdir/redis.pid" --dir "$envdir" --logfile "$envdir/redis.log" ;;
    redis-pause) kill -STOP "$(cat "$envdir/redis.pid")"; sleep 10; kill -CONT "$(cat "$envdir/redis.pid")" ;;
    pg-restart) as_pg "$pgbin/pg_ctl" -D "$REMATE_TEST_PGDATA" -m immediate -w -t 60 restart >/dev/null ;;
    *) echo "unknown fault $1" >&2; return 1 ;;
  esac
}

rows=() failed=0
for fault in $faults; do
  json="$out/$fault.json"
  echo "chaos: $fault" >&2
  REMATE_ADMIN_PW=${REMATE_ADMIN_PASSWORD:-remate-admin-dev}
  dotnet "$loadtest" --url "$REMATE_CLUSTER_URL" --connections 24 --bidders 6 --rate 12 --duration 20 --drain 15 \
    --create-auction --auctions 2 --admin-password "$REMATE_ADMIN_PW" --user-prefix "c${fault//-/}" \
    --verify-store --quiet --summary-line --out "$json" >"$out/$fault.log" 2>&1 &
  gen=$!
  sleep 6
  t_fault=$(date +%s.%N)
  inject "$fault" >>"$out/$fault.log" 2>&1
  wait "$gen"
  # The node restarted after kill9 must be ready again before the next fault.
  for _ in $(seq 1 150); do curl -fs -o /dev/null "$REMATE_CLUSTER_URL/health/ready" && break; sleep 0.2; done
  row=$(python3 - "$json" "$fault" <<'PY'
import json, subprocess, sys, os
path, fault = sys.argv[1], sys.argv[2]
try:
    r = json.load(open(path))
except Exception as e:
    print(f"| {fault} | – | – | – | – | – | FAIL (no result: {e}) |"); sys.exit(0)
def q(sql):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", os.environ.get("REMATE_PG_PORT", "25432"), "-U", "postgres",
                           "-d", "postgres", "-At", "-c", sql], capture_output=True, text=True).stdout.strip()
acked = r.get("bids_accepted", 0)
store = r.get("store") or {}
lost = store.get("missing_in_bids", 0) + store.get("missing_in_events", 0)
dups = r.get("duplicates", 0)
problems = []
if not store.get("checked"): problems.append("store not verified")
gaps = 0
for a in r.get("auction_ids", []):
    n, mx = q(f"SELECT count(*), coalesce(max(seq),0) FROM remate.events WHERE auction_id='{a}'").split("|")
    if int(n) != int(mx): gaps += int(mx) - int(n); problems.append(f"event seq gap in {a[:8]}")
    bad = q(f"SELECT count(*) FROM (SELECT amount_cents <= lag(amount_cents) OVER (ORDER BY seq) AS bad FROM remate.bids WHERE auction_id='{a}') x WHERE bad")
    if int(bad or 0) > 0: problems.append(f"{bad} non-rising amounts in {a[:8]}")
    # Every generator bid carries an idempotency key: a bid row without its own accepted outcome is a duplicate.
    dup = q(f"SELECT (SELECT count(*) FROM remate.bids WHERE auction_id='{a}') - (SELECT count(*) FROM remate.bid_outcomes WHERE auction_id='{a}' AND seq IS NOT NULL)")
    if dup and int(dup) > 0: dups += int(dup); problems.append("duplicate bids in the store")
    winners = q(f"SELECT count(*) FROM remate.auctions WHERE id='{a}' AND winner_id IS NOT NULL")
    if int(winners or 0) > 1: problems.append("more than one winner")
lost_open = r.get("lost_on_open_connections", 0)
if lost_open: problems.append(f"{lost_open} events missing on open sockets")
if lost: problems.append(f"{lost} acked bids missing")
# Recovery: longest stretch without an accepted ack, from 6 s (fault) to the end of bidding.
acks = sorted(t[0] + t[1] / 1000 for t in r.get("ack_timeline", []) if t[2] == 1)
fault_at, end = 6.0, r.get("duration_seconds", 20)
points = [fault_at] + [t for t in acks if t >= fault_at] + [end]
recovery = max(b - a for a, b in zip(points, points[1:])) if acks else float("nan")
verdict = "ok" if not problems else "FAIL: " + "; ".join(problems)
print(f"| {fault} | {acked} | {lost} | {dups} | {gaps} | {recovery:.1f} | {verdict} |")
PY
)
  echo "$row"
  rows+=("$row")
  case "$row" in *FAIL*) failed=$((failed + 1)) ;; esac
done
echo
echo "| fault | acked (accepted) | lost | duplicates | seq gaps | max recovery (s) | verdict |"
echo "|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo "chaos: $(( ${#rows[@]} - failed )) faults passed, $failed failed"
[ "$failed" -eq 0 ]
