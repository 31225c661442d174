#!/usr/bin/env bash
# PostgreSQL write-path benchmark: bids/s on ONE hot auction with N closed-loop bidders, through the real
# write path (StoreBench: PlaceBid → the auction's writer → one append_batch() per batch) and through
# append_batch() with one bid per transaction driven by pgbench (the single-statement baseline), on the
# same throwaway server in the same run. Durable (fsync + synchronous_commit on) unless told otherwise.
# Usage: bench/postgres/run.sh [seconds-per-point=10] [bidder counts...=1 8 32 128]
# Env: REMATE_BENCH_PG_PORT (default 55520), REMATE_ARTIFACTS (dotnet --artifacts-path, default /tmp/rl-pg-art),
#      REMATE_BENCH_PG_MODES ("durable" by default; "durable fast" adds fsync/synchronous_commit off).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-10}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(1 8 32 128)
port=${REMATE_BENCH_PG_PORT:-55520}
artifacts=${REMATE_ARTIFACTS:-/tmp/rl-pg-art}
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/remate-pgbench.XXXXXX); chmod 755 "$dir"
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
  if [ -f "$dir/pg/postmaster.pid" ]; then run_pg "$pgbin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null || true; fi
  rm -rf "$dir"
}
trap stop EXIT

dotnet build "$here/StoreBench" -c Release --artifacts-path "$artifacts" -v q -nologo >/dev/null
storebench=(dotnet "$artifacts/bin/StoreBench/release/StoreBench.dll")

[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
run_pg "$pgbin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 >/dev/null
cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
# Accepted bids/s of a pgbench script on a fresh hot auction (counted in the database).
pgbench_rate() {
  local id accepted
  id=$("${storebench[@]}" setup "$cs" bench)
  sed -e "s/:AUCTION_ID/$id/g" -e "s/:SCHEMA/bench/g" "$here/$3" > "$dir/script.sql"
  "$pgbin/pgbench" -n -f "$dir/script.sql" -c "$1" -j "$2" -T "$secs" -h 127.0.0.1 -p "$port" -U postgres postgres > "$dir/pgbench.log" 2>&1 \
    || { cat "$dir/pgbench.log" >&2; exit 1; }
  accepted=$(psql_ "SELECT count(*) FROM bench.bids WHERE auction_id = '$id'")
  awk -v a="$accepted" -v s="$secs" 'BEGIN { printf "%.1f", a / s }'
}
psql_() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "$1"; }

echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| settings | bidders | write path, decided/s | write path, accepted/s | commits/s (batches) | pgbench one bid per call, read + call (accepted/s) | decided / pgbench | pgbench, version read in-statement (accepted/s) | write path p50 / p99 (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in ${REMATE_BENCH_PG_MODES:-durable}; do
  if [ "$mode" = durable ]; then opts="-c fsync=on -c synchronous_commit=on"; else opts="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  run_pg "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300 -c shared_buffers=256MB $opts" start >/dev/null
  "${storebench[@]}" setup "$cs" bench >/dev/null # migrate once
  for n in "${counts[@]}"; do
    jobs=$(( n < 2 ? n : 2 ))
    pg_rate=$(pgbench_rate "$n" "$jobs" single_bid.pgbench.sql)
    pg_limit=$(pgbench_rate "$n" "$jobs" single_bid_in_statement.pgbench.sql)
    # the write path on another fresh hot auction; commits counted by the server
    id=$("${storebench[@]}" setup "$cs" bench)
    before=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
    line=$("${storebench[@]}" run "$cs" bench "$id" "$n" "$secs")
    after=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
    field() { sed -E "s/(^|.* )$1=([0-9.]+).*/\2/" <<<"$line"; }
    decided=$(field per_second); accepted_rate=$(field accepted_per_second); acked=$(field accepted)
    stored=$(psql_ "SELECT count(*) FROM bench.bids WHERE auction_id = '$id'")
    [ "$stored" -ge "$acked" ] || { echo "the write path acknowledged $acked bids but $stored are stored" >&2; exit 1; }
    # every transaction of the run (batches plus a few reads), over the whole run incl. warm-up (≈ secs + 4 s)
    commits=$(awk -v a="$before" -v b="$after" -v s="$secs" 'BEGIN { printf "%.0f", (b - a) / (s + 4) }')
    ratio=$(awk -v a="$decided" -v b="$pg_rate" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    echo "| $mode | $n | $decided | $accepted_rate | $commits | $pg_rate | $ratio | $pg_limit | $(field p50_ms) / $(field p99_ms) |"
  done
  run_pg "$pgbin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
