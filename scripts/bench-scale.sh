#!/bin/bash
# bench-scale.sh MODE [livedesk bench flags…] — the scale-out benchmarks of docs/benchmarks.md.
#
#   sqlite  livedesk bench's own child server (SQLite, synchronous=FULL)
#   pg      one node on PostgreSQL (a fresh database on 127.0.0.1:5432, dropped after)
#   pg3     three nodes on PostgreSQL and NATS (127.0.0.1:4222) behind nginx with
#           deploy/nginx/livedesk.conf
#   cross   three nodes; visitors send to node 1, operators hold their sockets on node 2
#
# Example: scripts/bench-scale.sh pg --duration 15s --rate 0 --concurrency 64
# LIVEDESK_BIN names the binary (default bin/livedesk, built by `make build`). After the run
# it prints each node's writer counters and the conversations by state.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LIVEDESK_BIN:-$PWD/bin/livedesk}
mode=${1:?mode: sqlite, pg, pg3 or cross}
shift
limits=(--visitor-sessions-per-minute 100000000 --visitor-messages-per-minute 100000000 --login-failures-per-address 100000)
if [ "$mode" = sqlite ]; then
  exec "$BIN" bench --echo=false "$@"
fi
name=ldbench_$$
work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $name" >/dev/null
db="postgres://postgres@127.0.0.1:5432/$name?sslmode=disable"
"$BIN" migrate --db "$db" >/dev/null
"$BIN" account create --db "$db" --bcrypt-cost 4 --name Bench --admin-email admin@bench.test --admin-password password1 >/dev/null
nodes=1 bus=()
case $mode in
  pg) ;;
  pg3|cross) nodes=3 bus=(--bus nats://127.0.0.1:4222) ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
ports=()
for i in $(seq "$nodes"); do
  p=$((18100 + i))
  "$BIN" serve --db "$db" "${bus[@]}" --files "$work/files" --data "$work/d$i" --listen 127.0.0.1:$p \
    --debug-listen 127.0.0.1:$((p + 100)) --bcrypt-cost 4 --log-level warn --trusted-proxies 127.0.0.1 "${limits[@]}" \
    >"$work/serve$i.log" 2>&1 &
  ports+=("$p")
done
for p in "${ports[@]}"; do
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.2; done
done
url=http://127.0.0.1:${ports[0]}
extra=()
if [ "$mode" = pg3 ]; then
  mkdir -p "$work/nginx/logs"
  sed -e '/server 10.0.0.1[23]/d' \
    -e "s/server 10.0.0.11:8080/server 127.0.0.1:${ports[0]}; server 127.0.0.1:${ports[1]}; server 127.0.0.1:${ports[2]}/" \
    -e 's/listen 80;/listen 127.0.0.1:18180;/' deploy/nginx/livedesk.conf >"$work/nginx/site.conf"
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 8192; }
http { access_log off; client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; include $work/nginx/site.conf; }
NGINX
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  sleep 0.5
  url=http://127.0.0.1:18180
fi
[ "$mode" = cross ] && extra=(--operator-url "http://127.0.0.1:${ports[1]}")
"$BIN" bench --url "$url" "${extra[@]}" --admin-email admin@bench.test --admin-password password1 --echo=false "$@"
psql -At -h 127.0.0.1 -U postgres -d "$name" -c "SELECT state, count(*) FROM conversations GROUP BY state" | sed 's/^/conversations /'
for p in "${ports[@]}"; do
  curl -s "http://127.0.0.1:$((p + 100))/metrics" | grep -E '^livedesk_store_(write|commit)' | sed "s/^/node :$p /"
done
