#!/usr/bin/env bash
# Starts a private `cpims dev` stack on spare loopback ports, runs loadgen
# against it and stops everything. Used by `go tool task load`.
# Usage: load.sh <cpims binary> <duration> <concurrency>
set -euo pipefail
bin=$1 duration=$2 concurrency=$3
dir=$(mktemp -d /tmp/cpims-load.XXXXXX)
chmod 755 "$dir" # PostgreSQL may run as another user when we are root
"$bin" dev --addr 127.0.0.1:18089 --ops-addr 127.0.0.1:0 --data-dir "$dir" --pg-port 54391 \
  --kratos-public-port 44331 --kratos-admin-port 44341 --smtp-addr 127.0.0.1:0 \
  --log-level warn >"$dir/dev.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
echo "starting cpims dev (log: $dir/dev.log) ..."
for _ in $(seq 1 600); do
  grep -q "CPIMS+ is running" "$dir/dev.log" && break
  kill -0 $pid 2>/dev/null || { cat "$dir/dev.log"; echo "cpims dev stopped early; see above" >&2; exit 1; }
  sleep 0.5
done
grep -q "CPIMS+ is running" "$dir/dev.log" || { echo "cpims dev did not start in 5 minutes" >&2; exit 1; }
go run ./cmd/loadgen -base http://127.0.0.1:18089 -kratos http://127.0.0.1:44331 \
  -duration "$duration" -concurrency "$concurrency"
