#!/usr/bin/env bash
# Fault injection against a load-balanced cluster, with a Jepsen-style check after each fault.
#   scripts/run-cluster.sh -n 3 -- scripts/chaos.sh            (CI: scripts/test.sh runs it)
# For each fault: the load generator bids through the proxy on 2 fresh auctions (24 sockets, 6 bidders,
# 12 bids/s, 20 s, every bid with an idempotency key) in --reconnect mode: every socket is a RemateLive.Client
# that reconnects through the proxy (back-off + jitter) and resumes by seq, and a bid scheduled while its client
# is down is sent on the resume with the same key. 6 s after bidding starts, the fault is injected, then healed. The checker then
# uses only the public protocol (the clients' acks and histories) and SQL reads of the tables: every acknowledged
# accepted bid is in the store exactly once (REST --verify-store, and by (auction, seq) in SQL); per auction events
# are gap-free from seq 1 and bid amounts strictly rise with seq; at most one winner; every client's history equals
# the store's after its join (no gap, no duplicate, in order); every dropped client resumed; every bid got an
# outcome. Recovery per client = from its disconnect to its first event or bid outcome after the resume (max
# printed; kill9 must stay within 10 s); max ack gap = the longest stretch without an accepted ack, cluster-wide.
# Clients drop duplicates and fill gaps themselves (their job), so the history check proves what a client ends
# with, not that the server never sent a duplicate; the store checks (SQL seq, amounts, closes) judge the server.
# Prints: fault | acked | lost | duplicates | gaps | clients dropped | max client recovery | max ack gap | verdict.
# Faults (REMATE_CHAOS_FAULTS, default all): kill9 sigstop redis-restart redis-pause pg-restart reconnect-storm.
set -uo pipefail
: "${REMATE_CLUSTER_URL:?run through scripts/run-cluster.sh}" "${REMATE_CLUSTER_DIR:?}" "${REMATE_TEST_PGDATA:?}"
root=$(cd "$(dirname "$0")/.." && pwd)
faults=${REMATE_CHAOS_FAULTS:-kill9 sigstop redis-restart redis-pause pg-restart reconnect-storm}
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
    # Every proxied socket drops at once: SIGKILL nginx's worker (it holds them all); the master keeps the
    # listening socket and forks a new worker at once, so every client comes back together.
    reconnect-storm) for w in $(pgrep -P "$(cat "$REMATE_CLUSTER_DIR/nginx/nginx.pid")"); do kill -KILL "$w"; done ;;
    *) echo "unknown fault $1" >&2; return 1 ;;
  esac
}

rows=() failed=0
for fault in $faults; do
  json="$out/$fault.json"
  rm -f "$json" "$out/$fault.ready" "$out/$fault.notready" # never judge a previous run's result
  echo "chaos: $fault" >&2
  REMATE_ADMIN_PW=${REMATE_ADMIN_PASSWORD:-remate-admin-dev}
  dotnet "$loadtest" --reconnect --url "$REMATE_CLUSTER_URL" --connections 24 --bidders 6 --rate 12 --duration 20 --drain 15 \
    --create-auction --auctions 2 --admin-password "$REMATE_ADMIN_PW" --user-prefix "c${fault//-/}" \
    --verify-store --quiet --summary-line --ready-file "$out/$fault.ready" --out "$json" >"$out/$fault.log" 2>&1 &
  gen=$!
  # The fault comes 6 s after bidding starts (the generator creates the ready file once every client is in).
  for _ in $(seq 1 600); do [ -f "$out/$fault.ready" ] || ! kill -0 "$gen" 2>/dev/null && break; sleep 0.1; done
  [ -f "$out/$fault.ready" ] || touch "$out/$fault.notready" # the fault would hit the ramp-up: a failed run
  sleep 6
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
    print(f"| {fault} | – | – | – | – | – | – | – | FAIL (no result: {e}) |"); sys.exit(0)
def q(sql):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", os.environ.get("REMATE_PG_PORT", "25432"), "-U", "postgres",
                           "-d", "postgres", "-At", "-c", sql], capture_output=True, text=True).stdout.strip()
acked = r.get("bids_accepted", 0)
store = r.get("store") or {}
lost = store.get("missing_in_bids", 0) + store.get("missing_in_events", 0)
dups = r.get("history_duplicates", 0)
gaps = r.get("history_missing", 0)
problems = list(r.get("failures", []))
if not store.get("checked"): problems.append("store not verified")
if acked == 0: problems.append("no bid accepted")
if os.path.exists(path[:-len(".json")] + ".notready"): problems.append("generator not ready before the fault")
for a in r.get("auction_ids", []):
    n, mx = q(f"SELECT count(*), coalesce(max(seq),0) FROM remate.events WHERE auction_id='{a}'").split("|")
    if int(n) != int(mx): gaps += int(mx) - int(n); problems.append(f"event seq gap in {a[:8]}")
    bad = q(f"SELECT count(*) FROM (SELECT amount_cents <= lag(amount_cents) OVER (ORDER BY seq) AS bad FROM remate.bids WHERE auction_id='{a}') x WHERE bad")
    if int(bad or 0) > 0: problems.append(f"{bad} non-rising amounts in {a[:8]}")
    # Every generator bid carries an idempotency key: a bid row without its own accepted outcome is a duplicate.
    dup = q(f"SELECT (SELECT count(*) FROM remate.bids WHERE auction_id='{a}') - (SELECT count(*) FROM remate.bid_outcomes WHERE auction_id='{a}' AND seq IS NOT NULL)")
    if dup and int(dup) > 0: dups += int(dup); problems.append("duplicate bids in the store")
    # One close at most: a second auction_closed event would be a second hammer (and perhaps another winner).
    closes = q(f"SELECT count(*) FROM remate.events WHERE auction_id='{a}' AND type='auction_closed'")
    if int(closes or 0) > 1: problems.append("more than one close (winner)")
if lost: problems.append(f"{lost} acked bids missing")
dropped = r.get("clients_disconnected", 0)
client_recovery = r.get("recovery_max_seconds", 0.0)
if fault == "kill9" and client_recovery > 10: problems.append(f"a client of the killed node waited {client_recovery:.1f} s (> 10 s)")
if fault in ("kill9", "reconnect-storm") and dropped == 0: problems.append("the fault dropped no client")
# Max ack gap: longest stretch without an accepted ack, from 6 s (fault) to the end of bidding.
acks = sorted(t[0] + t[1] / 1000 for t in r.get("ack_timeline", []) if t[2] == 1)
fault_at, end = 6.0, r.get("duration_seconds", 20)
points = [fault_at] + [t for t in acks if t >= fault_at] + [end]
recovery = max(b - a for a, b in zip(points, points[1:])) if acks else float("nan")
verdict = "ok" if not problems else "FAIL: " + "; ".join(dict.fromkeys(problems))
print(f"| {fault} | {acked} | {lost} | {dups} | {gaps} | {dropped}/{r.get('connected', 0)} | {client_recovery:.1f} | {recovery:.1f} | {verdict} |")
PY
)
  echo "$row"
  rows+=("$row")
  case "$row" in *FAIL*) failed=$((failed + 1)) ;; esac
done
echo
echo "| fault | acked (accepted) | lost | duplicates | seq gaps | clients dropped | max client recovery (s) | max ack gap (s) | verdict |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo "chaos: $(( ${#rows[@]} - failed )) faults passed, $failed failed"
[ "$failed" -eq 0 ]
