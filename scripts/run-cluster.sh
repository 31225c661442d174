#!/usr/bin/env bash
# The docker-compose topology as processes on 127.0.0.1 (no Docker engine needed): a throwaway PostgreSQL
# and Redis (scripts/test-env.sh), N sample hosts — each with its OWN HOME and TMPDIR, like containers, so
# nothing (a Data Protection key ring…) is shared by accident — and nginx in front as a round-robin
# proxy without sticky sessions (deploy/nginx/remate-proxy.conf, the compose proxy's settings). Every
# port is a free one unless given. Clients (and tests) use the proxy URL only.
#
# Usage: scripts/run-cluster.sh [-n NODES] [-p PROXY_PORT] [-- command args...]
#   without a command: prints the proxy URL and runs until Ctrl-C;
#   with a command: runs it with REMATE_CLUSTER_URL (the proxy) and REMATE_CLUSTER_DIR exported, stops
#   everything, and exits with the command's status. REMATE_CLUSTER_DIR holds nodeN/{pid,port,home,
#   log,start.sh} (a fault-injection harness may kill a node by its pid and restart it with start.sh).
# Env:   REMATE_PG_PORT / REMATE_REDIS_PORT (test-env.sh), REMATE_ADMIN_PASSWORD (default: a random one,
#        printed and exported to the command; the nodes run as Production, which refuses the development
#        password), REMATE_SAMPLE_DLL (skip the build), REMATE_CLUSTER_ARTIFACTS (build output);
#        any RemateLive__* variable reaches every node. nginx is installed (apt-get) when missing.
set -euo pipefail

nodes=3 proxy_port=
while getopts "n:p:h" opt; do
  case "$opt" in
    n) nodes=$OPTARG ;;
    p) proxy_port=$OPTARG ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift

root=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${REMATE_CLUSTER_INSIDE:-}" ]; then
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "run-cluster: installing nginx (apt-get)" >&2
    [ "$(id -u)" = 0 ] || { echo "run-cluster: nginx is missing and we are not root: install it first" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  fi
  if [ -z "${REMATE_SAMPLE_DLL:-}" ]; then
    art=${REMATE_CLUSTER_ARTIFACTS:-$root/artifacts/cluster}
    echo "run-cluster: building the sample into $art" >&2
    dotnet build "$root/samples/RemateLive.Sample" -c Release --artifacts-path "$art" -nologo -v q >&2
    export REMATE_SAMPLE_DLL="$art/bin/RemateLive.Sample/release/RemateLive.Sample.dll"
  fi
  export REMATE_CLUSTER_INSIDE=1 REMATE_CLUSTER_NODES=$nodes REMATE_CLUSTER_PROXY_PORT=$proxy_port
  exec "$root/scripts/test-env.sh" -- "$0" -- "$@"
fi

# Inside test-env.sh: PostgreSQL and Redis are up.
nodes=$REMATE_CLUSTER_NODES
if [ -z "${REMATE_ADMIN_PASSWORD:-}" ]; then
  REMATE_ADMIN_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  echo "run-cluster: admin password (generated): $REMATE_ADMIN_PASSWORD" >&2
fi
export REMATE_ADMIN_PASSWORD
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
proxy_port=${REMATE_CLUSTER_PROXY_PORT:-$(free_port)}
dir=$(mktemp -d /tmp/remate-cluster.XXXXXX)
chmod 755 "$dir"
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
nginx_pid=

stop_all() {
  for i in $(seq 1 "$nodes"); do
    [ -f "$dir/node$i/pid" ] && kill -TERM "$(cat "$dir/node$i/pid")" 2>/dev/null || true
  done
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null || true
  for i in $(seq 1 "$nodes"); do
    if [ -f "$dir/node$i/pid" ]; then
      pid=$(cat "$dir/node$i/pid")
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  [ -n "$nginx_pid" ] && wait "$nginx_pid" 2>/dev/null || true
  echo "run-cluster: stopped (logs in $dir)" >&2
}
trap stop_all EXIT
trap 'exit 130' INT TERM HUP

# One start script per node, so a harness can restart a killed node exactly as it first ran.
write_node() { # $1 = index
  local n="$dir/node$1" port
  port=$(free_port)
  mkdir -p "$n/home/tmp"
  echo "$port" >"$n/port"
  cat >"$n/start.sh" <<NODE
#!/usr/bin/env bash
# Starts node $1 in the background; its pid goes to $n/pid.
cd "$root/samples/RemateLive.Sample"
HOME="$n/home" TMPDIR="$n/home/tmp" ASPNETCORE_ENVIRONMENT=Production \\
RemateLive__Postgres__ConnectionString="$REMATE_TEST_POSTGRES" \\
RemateLive__Redis__Configuration="$REMATE_TEST_REDIS" \\
RemateLive__Admin__Password="$REMATE_ADMIN_PASSWORD" \\
RemateLive__ForwardedHeaders__KnownProxies__0=127.0.0.1 \\
  setsid dotnet "$REMATE_SAMPLE_DLL" --urls "http://127.0.0.1:$port" --contentRoot "$root/samples/RemateLive.Sample" \\
    >>"$n/log" 2>&1 </dev/null &
echo \$! >"$n/pid"
NODE
  chmod +x "$n/start.sh"
}

wait_ready() { # $1 = url
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$1/health/ready" && return 0
    sleep 0.2
  done
  echo "run-cluster: $1 did not become ready; see $dir" >&2
  return 1
}

for i in $(seq 1 "$nodes"); do write_node "$i"; done
# The first node applies the schema and seeds the demo auctions before the others start.
"$dir/node1/start.sh"
wait_ready "http://127.0.0.1:$(cat "$dir/node1/port")"
for i in $(seq 2 "$nodes"); do "$dir/node$i/start.sh"; done
for i in $(seq 2 "$nodes"); do wait_ready "http://127.0.0.1:$(cat "$dir/node$i/port")"; done

mkdir -p "$dir/nginx/tmp"
{
  echo "worker_processes 1;"
  echo "worker_rlimit_nofile 19000;"
  [ "$(id -u)" = 0 ] && echo "user root;"
  echo "daemon off;"
  echo "pid $dir/nginx/nginx.pid;"
  echo "error_log $dir/nginx/error.log warn;"
  echo "events { worker_connections 16384; }"
  echo "http {"
  echo "  access_log off;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $dir/nginx/tmp/$t;"; done
  echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }"
  echo "  upstream remate_nodes {"
  for i in $(seq 1 "$nodes"); do echo "    server 127.0.0.1:$(cat "$dir/node$i/port") max_fails=1 fail_timeout=2s;"; done
  echo "  }"
  echo "  server {"
  echo "    listen 127.0.0.1:$proxy_port;"
  echo "    location / {"
  echo "      proxy_pass http://remate_nodes;"
  echo "      include $root/deploy/nginx/remate-proxy.conf;"
  echo "    }"
  echo "  }"
  echo "}"
} >"$dir/nginx/nginx.conf"
"$nginx_bin" -c "$dir/nginx/nginx.conf" -p "$dir/nginx" &
nginx_pid=$!
echo "$proxy_port" >"$dir/proxy.port"
wait_ready "http://127.0.0.1:$proxy_port"

export REMATE_CLUSTER_URL="http://127.0.0.1:$proxy_port" REMATE_CLUSTER_DIR="$dir"
echo "run-cluster: $nodes nodes behind nginx (round robin, no sticky sessions): $REMATE_CLUSTER_URL/"
if [ $# -gt 0 ]; then
  set +e
  "$@"
  status=$?
  set -e
  exit "$status"
fi
echo "run-cluster: Ctrl-C stops everything."
wait "$nginx_pid"
