#!/usr/bin/env bash
# Through the proxy only (REMATE_CLUSTER_URL, from scripts/run-cluster.sh): one token used on every node
# (round robin) must work — the shared key ring —, bids get 201 whichever node takes them, the
# proxy answers /health/ready, and every node served some of the requests.
# Usage: scripts/run-cluster.sh -n 3 -- scripts/cluster-smoke.sh
set -euo pipefail
url=${REMATE_CLUSTER_URL:?run through scripts/run-cluster.sh}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -s -o /tmp/cluster-smoke.$$ -w '%{http_code}' -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2" "$url$1"; }

curl -fs -o /dev/null "$url/health/ready" || { echo "cluster-smoke: /health/ready failed through the proxy"; exit 1; }
[ "$(post /api/auth/login "{\"username\":\"admin\",\"password\":\"${REMATE_ADMIN_PASSWORD:-remate-admin-dev}\"}")" = 200 ] || { echo "admin login failed"; cat /tmp/cluster-smoke.$$; exit 1; }
admin=$(json "['token']" </tmp/cluster-smoke.$$)
ends=$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%S.000Z)
[ "$(post /api/auctions "{\"title\":\"Cluster smoke\",\"description\":\"smoke\",\"currency\":\"USD\",\"starting_price_cents\":1000,\"increment\":{\"kind\":\"fixed\",\"amount_cents\":100},\"ends_at\":\"$ends\"}" "$admin")" = 201 ] \
  || { echo "create auction failed"; cat /tmp/cluster-smoke.$$; exit 1; }
auction=$(json "['id']" </tmp/cluster-smoke.$$)
user="smoke$RANDOM"
[ "$(post /api/auth/login "{\"username\":\"$user\",\"display_name\":\"Smoke\"}")" = 200 ] || { echo "user login failed"; exit 1; }
token=$(json "['token']" </tmp/cluster-smoke.$$)
fails=0
for i in $(seq 0 8); do
  code=$(post "/api/auctions/$auction/bids" "{\"amount_cents\":$((1000 + i * 100))}" "$token")
  [ "$code" = 201 ] || { echo "bid $i through the proxy: HTTP $code $(cat /tmp/cluster-smoke.$$)"; fails=$((fails + 1)); }
done
rm -f /tmp/cluster-smoke.$$
[ "$fails" = 0 ] || { echo "cluster-smoke: $fails of 9 bids failed"; exit 1; }
if [ -n "${REMATE_CLUSTER_DIR:-}" ]; then
  for n in "$REMATE_CLUSTER_DIR"/node*/; do [ -f "$n/pid" ] && kill -0 "$(cat "$n/pid")" || { echo "cluster-smoke: $n is not running"; exit 1; }; done
fi
echo "cluster-smoke: passed (9 bids with one token over round robin, /health/ready through the proxy)"
