#!/usr/bin/env bash
# The API docs pages render the OpenAPI documents with Swagger UI, served from
# the binary (on-premises and offline installs reach no CDN). The files here are
# swagger-ui-dist's built bundle, stylesheet and licence files (Apache-2.0),
# unchanged, at the version pinned below; init.js is ours.
#
#   fetch.sh           fetch the pinned version from the npm registry, copy it here
#                      and check it against SHA256SUMS
#   fetch.sh --check   only check that the files here are the registry's
# To move to another version: change `version`, run `fetch.sh --update` (rewrites
# SHA256SUMS), read the diff, and test the docs pages (api: TestDocsPages*).
set -euo pipefail

version=5.31.1
files=(swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "swagger-ui-dist@$version" >/dev/null && tar xzf "swagger-ui-dist-$version.tgz")

case "${1:-}" in
--check)
	(cd "$tmp/package" && sha256sum --quiet -c "$here/SHA256SUMS")
	(cd "$here" && sha256sum --quiet -c SHA256SUMS)
	echo "api/docsui matches swagger-ui-dist@$version from the registry"
	;;
--update)
	for f in "${files[@]}"; do cp "$tmp/package/$f" "$here/$f"; done
	(cd "$here" && sha256sum "${files[@]}" >SHA256SUMS)
	echo "api/docsui updated to swagger-ui-dist@$version; review SHA256SUMS"
	;;
"")
	(cd "$tmp/package" && sha256sum --quiet -c "$here/SHA256SUMS")
	for f in "${files[@]}"; do cp "$tmp/package/$f" "$here/$f"; done
	echo "api/docsui restored from swagger-ui-dist@$version"
	;;
*)
	echo "usage: fetch.sh [--check|--update]" >&2
	exit 2
	;;
esac
