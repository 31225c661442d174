#!/usr/bin/env bash
# Runs N sample hosts on loopback ports sharing one throwaway PostgreSQL and Redis (scripts/test-env.sh):
# the docker-compose topology without Docker (no reverse proxy: point clients at any node, or at several).
# Prints the URLs; Ctrl-C stops the hosts, then test-env.sh stops PostgreSQL and Redis.
#
# Usage: scripts/run-cluster.sh [-n NODES] [-p FIRST_PORT]      (defaults: 2 nodes from port 5101)
# Env:   REMATE_PG_PORT / REMATE_REDIS_PORT (passed to test-env.sh), REMATE_ADMIN_PASSWORD (default: a random
#        one, printed; the hosts run as Production, which refuses the development password),
#        REMATE_SAMPLE_DLL (skip the build), REMATE_CLUSTER_ARTIFACTS (build output).
set -euo pipefail

nodes=2 first_port=5101
while getopts "n:p:h" opt; do
  case "$opt" in
    n) nodes=$OPTARG ;;
    p) first_port=$OPTARG ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${REMATE_CLUSTER_INSIDE:-}" ]; then
  if [ -z "${REMATE_SAMPLE_DLL:-}" ]; then
    art=${REMATE_CLUSTER_ARTIFACTS:-/tmp/remate-cluster-art}
    echo "run-cluster: building the sample into $art" >&2
    dotnet build "$root/samples/RemateLive.Sample" -c Release --artifacts-path "$art" -nologo -v q >&2
    export REMATE_SAMPLE_DLL="$art/bin/RemateLive.Sample/release/RemateLive.Sample.dll"
  fi
  export REMATE_CLUSTER_INSIDE=1 REMATE_CLUSTER_NODES=$nodes REMATE_CLUSTER_FIRST_PORT=$first_port
  exec "$root/scripts/test-env.sh" -- "$0"
fi

# Inside test-env.sh: PostgreSQL and Redis are up.
nodes=$REMATE_CLUSTER_NODES first_port=$REMATE_CLUSTER_FIRST_PORT
logdir=$(mktemp -d /tmp/remate-cluster.XXXXXX)
pids=()
stop_hosts() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "run-cluster: hosts stopped (logs in $logdir)" >&2
}
trap stop_hosts EXIT
trap 'exit 130' INT TERM HUP

admin_password="${REMATE_ADMIN_PASSWORD:-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"

start_host() { # $1 = index, $2 = port
  ASPNETCORE_ENVIRONMENT=Production \
  RemateLive__Postgres__ConnectionString="$REMATE_TEST_POSTGRES" \
  RemateLive__Redis__Configuration="$REMATE_TEST_REDIS" \
  RemateLive__Admin__Password="$admin_password" \
    dotnet "$REMATE_SAMPLE_DLL" --urls "http://127.0.0.1:$2" --contentRoot "$root/samples/RemateLive.Sample" \
      >"$logdir/node$1.log" 2>&1 &
  pids+=($!)
}

wait_healthy() { # $1 = port
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/health" && return 0
    sleep 0.2
  done
  echo "run-cluster: node on port $1 did not become healthy; see $logdir" >&2
  return 1
}

# The first node seeds the demo auctions (when the store is empty) before the others start.
start_host 1 "$first_port"
wait_healthy "$first_port"
for i in $(seq 2 "$nodes"); do start_host "$i" $((first_port + i - 1)); done
for i in $(seq 2 "$nodes"); do wait_healthy $((first_port + i - 1)); done

echo "run-cluster: $nodes nodes sharing PostgreSQL and Redis:"
for i in $(seq 1 "$nodes"); do echo "  http://127.0.0.1:$((first_port + i - 1))/"; done
[ -n "${REMATE_ADMIN_PASSWORD:-}" ] || echo "run-cluster: admin password (generated): $admin_password"
echo "run-cluster: Ctrl-C stops everything."
wait
