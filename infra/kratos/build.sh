#!/usr/bin/env bash
# Builds Ory Kratos from this directory's Go module into ${KRATOS_BIN:-<repo>/.bin/kratos}.
# Does nothing when the binary is newer than go.mod, go.sum and main.go, so it
# can run before every start. Prints the binary's path on stdout; progress goes
# to stderr. Works from any directory.
#
# Several callers may run it at once (`go test ./...` starts one test binary per
# package, and each that needs Kratos runs this): an exclusive flock on a lock
# file beside the binary lets exactly one of them build while the others wait,
# then find the binary up to date.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${KRATOS_BIN:-$repo/.bin/kratos}"

# The pinned version, from "require github.com/ory/kratos vX.Y.Z" (one or
# several requirements per require block).
version="$(sed -nE 's#^(require)?[[:space:]]*github\.com/ory/kratos (v[^[:space:]]+).*#\2#p' "$here/go.mod" | head -n 1)"

up_to_date() {
	[[ -x "$bin" ]] || return 1
	local f
	for f in go.mod go.sum main.go; do
		[[ "$bin" -nt "$here/$f" ]] || return 1
	done
}

if up_to_date; then
	echo "$bin"
	exit 0
fi

mkdir -p "$(dirname "$bin")"
exec 9>"$bin.lock"
if ! flock -n 9; then
	echo "waiting for another build of Kratos to finish..." >&2
	flock 9
fi
# Another caller may have built it while we waited for the lock.
if up_to_date; then
	echo "$bin"
	exit 0
fi

echo "building Ory Kratos ${version} from its Go module (first time takes ~5 min)..." >&2
start=$SECONDS
# CGO_ENABLED=0: a static binary without SQLite (built only with the "sqlite"
# tag, which we never set: Kratos runs on PostgreSQL only). Build to a
# temporary name first so an interrupted build never leaves a broken binary
# that looks up to date.
tmp="$bin.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(cd "$here" && CGO_ENABLED=0 go build -o "$tmp" .)
mv -f "$tmp" "$bin"
echo "built $bin in $((SECONDS - start))s" >&2
echo "$bin"
