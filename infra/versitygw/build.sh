#!/usr/bin/env bash
# Builds the Versity S3 Gateway (versitygw) from this directory's Go module into
# ${VERSITYGW_BIN:-<repo>/.bin/versitygw}. Does nothing when the binary is newer
# than go.mod and go.sum, so it can run before every start. Prints the binary's
# path on stdout; progress goes to stderr. Works from any directory.
#
# Several callers may run it at once (`go test ./...` starts one test binary per
# package, each of which may need the server): an exclusive flock on a lock file
# beside the binary lets exactly one of them build while the others wait, then
# find the binary up to date.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${VERSITYGW_BIN:-$repo/.bin/versitygw}"
module=github.com/versity/versitygw

# The pinned version, from the "github.com/versity/versitygw vX.Y.Z" requirement.
version="$(sed -nE "s#^(require)?[[:space:]]*${module//./\\.} (v[^[:space:]]+).*#\\2#p" "$here/go.mod" | head -n 1)"

up_to_date() {
	[[ -x "$bin" ]] || return 1
	local f
	for f in go.mod go.sum; do
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
	echo "waiting for another build of versitygw to finish..." >&2
	flock 9
fi
# Another caller may have built it while we waited for the lock.
if up_to_date; then
	echo "$bin"
	exit 0
fi

echo "building versitygw ${version} from its Go module (first time takes ~5 min)..." >&2
start=$SECONDS
# Static binary, version stamped like the gateway's own Makefile does. Build to
# a temporary name first so an interrupted build never leaves a broken binary
# that looks up to date.
tmp="$bin.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$tmp" \
	-ldflags "-s -w -X main.Version=${version} -X main.Build=module -X main.BuildTime=none" \
	"$module/cmd/versitygw")
mv -f "$tmp" "$bin"
echo "built $bin in $((SECONDS - start))s" >&2
echo "$bin"
