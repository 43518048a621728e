#!/usr/bin/env bash
# End-to-end smoke test of our Kratos build and configuration, self-contained:
# a private PostgreSQL cluster in a temporary directory, a capturing SMTP
# server, Kratos started through run.sh on free loopback ports, then the
# flows the app relies on, checked with curl and jq. Everything is stopped
# and removed on exit. Exits non-zero on the first failure.
#
# Needs: go, curl, jq, PostgreSQL server binaries (initdb, pg_ctl, psql). As
# root, PostgreSQL runs as the "postgres" OS user (or "nobody").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { printf 'smoke: %s\n' "$*" >&2; }
fail() {
	printf 'smoke: FAIL: %s\n' "$*" >&2
	exit 1
}
pass() { printf 'smoke: ok   %s\n' "$*" >&2; }

for tool in go curl jq; do
	command -v "$tool" >/dev/null || fail "$tool is required"
done
if ! command -v initdb >/dev/null; then
	pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
	[[ -n "$pgbin" ]] || fail "PostgreSQL server binaries (initdb, pg_ctl) not found"
	PATH="$pgbin:$PATH"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/kratos-smoke.XXXXXX")"
pg_user=""
kratos_pid=""
smtp_pid=""

as_pg() {
	if [[ -n "$pg_user" ]]; then
		runuser -u "$pg_user" -- "$@"
	else
		"$@"
	fi
}

cleanup() {
	local rc=$?
	set +e
	if [[ -n "$kratos_pid" ]] && kill -0 "$kratos_pid" 2>/dev/null; then
		kill "$kratos_pid"
		wait "$kratos_pid" 2>/dev/null
	fi
	if [[ -n "$smtp_pid" ]]; then
		kill "$smtp_pid" 2>/dev/null
		wait "$smtp_pid" 2>/dev/null
	fi
	if [[ -f "$work/pg/data/postmaster.pid" ]]; then
		as_pg pg_ctl -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1
	fi
	if [[ $rc -ne 0 && -f "$work/kratos.log" ]]; then
		echo "---- last lines of the Kratos log ----" >&2
		tail -n 30 "$work/kratos.log" >&2
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Helpers: build the binaries first, so the waits below are only start-up.
say "building Kratos (build.sh) and the smoke helper"
kratos_bin="$("$here/build.sh")"
(cd "$here" && CGO_ENABLED=0 go build -o "$work/smoketool" ./internal/smoketool)
mapfile -t port < <("$work/smoketool" ports 4)
pg_port="${port[0]}" public_port="${port[1]}" admin_port="${port[2]}" smtp_port="${port[3]}"

# PostgreSQL: unix socket reachable only by its OS user (trust), TCP with a
# password (scram) as in a real install.
mkdir -p "$work/pg" "$work/mail"
if [[ $EUID -eq 0 ]]; then
	if id postgres >/dev/null 2>&1; then pg_user=postgres; else pg_user=nobody; fi
	chown "$pg_user" "$work/pg"
	chmod 755 "$work"
fi
chmod 700 "$work/pg"
say "starting PostgreSQL on 127.0.0.1:$pg_port (OS user ${pg_user:-$(id -un)})"
as_pg initdb -D "$work/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
	--no-sync -E UTF8 --locale=C >"$work/pg/initdb.log" 2>&1 || {
	cat "$work/pg/initdb.log" >&2
	fail "initdb"
}
as_pg pg_ctl -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
	-o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
	fail "PostgreSQL did not start: $(cat "$work/pg/server.log")"
kratos_pw="smoke-$RANDOM$RANDOM"
as_pg psql -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$pg_port" -U postgres -d postgres \
	-c "CREATE ROLE kratos LOGIN PASSWORD '$kratos_pw'" \
	-c "CREATE DATABASE kratos OWNER kratos" || fail "creating the kratos role and database"
pass "PostgreSQL with database kratos"

"$work/smoketool" smtp "127.0.0.1:$smtp_port" "$work/mail" 2>"$work/smtp.log" &
smtp_pid=$!

say "starting Kratos through run.sh (public :$public_port, admin :$admin_port)"
KRATOS_BIN="$kratos_bin" \
	KRATOS_DSN="postgres://kratos:$kratos_pw@127.0.0.1:$pg_port/kratos?sslmode=disable" \
	KRATOS_PUBLIC_PORT="$public_port" KRATOS_ADMIN_PORT="$admin_port" \
	KRATOS_SMTP_URI="smtp://127.0.0.1:$smtp_port/?disable_starttls=true" \
	"$here/run.sh" >"$work/kratos.log" 2>&1 &
kratos_pid=$!

P="http://127.0.0.1:$public_port"
A="http://127.0.0.1:$admin_port"

# waitfor SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.2 s.
waitfor() {
	local deadline=$((SECONDS + $1)) what=$2
	shift 2
	until "$@"; do
		((SECONDS < deadline)) || fail "timed out waiting for $what"
		kill -0 "$kratos_pid" 2>/dev/null || fail "Kratos exited while waiting for $what"
		sleep 0.2
	done
}
ready() { [[ "$(curl -fsS "$A/admin/health/ready" 2>/dev/null | jq -r .status 2>/dev/null)" == ok ]]; }
waitfor 120 "Kratos /admin/health/ready" ready
pass "GET /admin/health/ready on admin: ok (migrations applied)"

version="$(curl -fsS "$A/admin/version" | jq -r .version)"
[[ "$version" == v1.3.1 ]] || fail "GET /admin/version: want v1.3.1, got $version"
pass "GET /admin/version: $version"

# http METHOD URL [curl args...]: response body on stdout, status in $status.
http() {
	local method=$1 url=$2
	shift 2
	local out
	out="$(curl -sS -X "$method" -w '\n%{http_code}' -H 'Accept: application/json' "$@" "$url")" ||
		fail "curl $method $url"
	status="${out##*$'\n'}"
	body="${out%$'\n'*}"
}
expect() {
	[[ "$status" == "$1" ]] || fail "$2: want HTTP $1, got $status: $(printf '%s' "$body" | head -c 600)"
}
# jsonreq METHOD URL JSON [curl args...]
jsonreq() { http "$1" "$2" -H 'Content-Type: application/json' -d "$3" "${@:4}"; }
jsonpost() { jsonreq POST "$@"; }

# login EMAIL PASSWORD: an API (native) login flow; session token in $token.
login() {
	http GET "$P/self-service/login/api"
	expect 200 "GET /self-service/login/api"
	local flow
	flow="$(jq -r .id <<<"$body")"
	jsonpost "$P/self-service/login?flow=$flow" "$(jq -nc --arg i "$1" --arg p "$2" \
		'{method: "password", identifier: $i, password: $p}')"
	expect 200 "POST /self-service/login (password)"
	token="$(jq -r .session_token <<<"$body")"
	[[ "$token" == ory_st_* ]] || fail "login returned no session_token: $body"
}

# 1. Identity created through the admin API (how invited users are made).
email="smoke.user@example.org"
password="smoke passphrase $RANDOM$RANDOM"
jsonpost "$A/admin/identities" "$(jq -nc --arg e "$email" --arg p "$password" '{
	schema_id: "person",
	traits: {email: $e, name: {first: "Smoke", last: "User"}, preferred_locale: "fr"},
	credentials: {password: {config: {password: $p}}}}')"
expect 201 "POST /admin/identities"
identity_id="$(jq -r .id <<<"$body")"
[[ "$(jq -r .state <<<"$body")" == active ]] || fail "new identity is not active: $body"
[[ "$(jq -r '.recovery_addresses[0].value' <<<"$body")" == "$email" ]] || fail "email is not a recovery address: $body"
[[ "$(jq -r '.verifiable_addresses[0].value' <<<"$body")" == "$email" ]] || fail "email is not a verifiable address: $body"
pass "POST /admin/identities: $identity_id (recovery and verification address: email)"

jsonpost "$A/admin/identities" '{"schema_id":"person","traits":{"email":"bad.locale@example.org","preferred_locale":"english"}}'
expect 400 "POST /admin/identities with an invalid preferred_locale"
pass "identity schema rejects preferred_locale \"english\""

# 2. API login, then whoami with the session token.
login "$email" "$password"
first_token=$token
pass "API login flow (password): session token issued"

http GET "$P/sessions/whoami" -H "X-Session-Token: $token"
expect 200 "GET /sessions/whoami"
[[ "$(jq -r .identity.id <<<"$body")" == "$identity_id" ]] || fail "whoami: wrong identity: $body"
[[ "$(jq -r .authenticator_assurance_level <<<"$body")" == aal1 ]] || fail "whoami: want aal1: $body"
lifetime=$(($(date -d "$(jq -r .expires_at <<<"$body")" +%s) - $(date -d "$(jq -r .authenticated_at <<<"$body")" +%s)))
((lifetime == 12 * 3600)) || fail "session lifespan: want 12h, got ${lifetime}s"
pass "GET /sessions/whoami: active, aal1, expires 12h after sign-in"

# 3. Recovery code created by an administrator (invitations use this).
jsonpost "$A/admin/recovery/code" "$(jq -nc --arg id "$identity_id" '{identity_id: $id, expires_in: "1h"}')"
expect 201 "POST /admin/recovery/code"
[[ "$(jq -r .recovery_code <<<"$body")" =~ ^[0-9]{6}$ ]] || fail "no recovery_code: $body"
[[ "$(jq -r .recovery_link <<<"$body")" == *"/auth/recovery?flow="* ]] || fail "no recovery_link: $body"
pass "POST /admin/recovery/code: code and link issued"

# 4. TOTP enrolment through an API settings flow; then a password-only session
#    is refused by whoami (required_aal: highest_available) until the second
#    factor is given.
http GET "$P/self-service/settings/api" -H "X-Session-Token: $token"
expect 200 "GET /self-service/settings/api"
flow="$(jq -r .id <<<"$body")"
secret="$(jq -r '.ui.nodes[] | select(.attributes.id == "totp_secret_key") | .attributes.text.text' <<<"$body")"
[[ -n "$secret" ]] || fail "settings flow has no TOTP secret: $body"
jsonpost "$P/self-service/settings?flow=$flow" "$(jq -nc --arg c "$("$work/smoketool" totp "$secret")" \
	'{method: "totp", totp_code: $c}')" -H "X-Session-Token: $token"
expect 200 "POST /self-service/settings (totp)"
[[ "$(jq -r .state <<<"$body")" == success ]] || fail "TOTP enrolment: $body"
pass "TOTP enrolled through an API settings flow"

login "$email" "$password"
http GET "$P/sessions/whoami" -H "X-Session-Token: $token"
expect 403 "GET /sessions/whoami for a password-only session of a TOTP user"
[[ "$(jq -r .error.id <<<"$body")" == session_aal2_required ]] || fail "whoami: want session_aal2_required: $body"
pass "password-only session of a TOTP user refused: session_aal2_required"

http GET "$P/self-service/login/api?aal=aal2" -H "X-Session-Token: $token"
expect 200 "GET /self-service/login/api?aal=aal2"
flow="$(jq -r .id <<<"$body")"
jsonpost "$P/self-service/login?flow=$flow" "$(jq -nc --arg c "$("$work/smoketool" totp "$secret")" \
	'{method: "totp", totp_code: $c}')" -H "X-Session-Token: $token"
expect 200 "POST /self-service/login (totp)"
http GET "$P/sessions/whoami" -H "X-Session-Token: $token"
expect 200 "GET /sessions/whoami after TOTP"
[[ "$(jq -r .authenticator_assurance_level <<<"$body")" == aal2 ]] || fail "whoami: want aal2: $body"
pass "second factor (TOTP) raised the session to aal2"

# 4b. No self-service change of one's own email (profile method off): an
#     address someone set without proving they receive its mail would capture
#     invitations sent to it later.
http GET "$P/self-service/settings/api" -H "X-Session-Token: $token"
expect 200 "GET /self-service/settings/api"
flow="$(jq -r .id <<<"$body")"
[[ "$(jq '[.ui.nodes[] | select(.attributes.name == "traits.email")] | length' <<<"$body")" == 0 ]] ||
	fail "the settings flow offers to change the email: $body"
jsonpost "$P/self-service/settings?flow=$flow" '{"method":"profile","traits":{"email":"someone.else@example.org"}}' \
	-H "X-Session-Token: $token"
[[ "$status" == 4* ]] || fail "POST /self-service/settings (profile): want 4xx, got $status: $body"
http GET "$P/sessions/whoami" -H "X-Session-Token: $token"
[[ "$(jq -r .identity.traits.email <<<"$body")" == "$email" ]] || fail "the email changed: $body"
pass "self-service email change refused (profile method off)"

# 5. Self-service recovery by email code, delivered over SMTP by the courier
#    (COURIER_SMTP_CONNECTION_URI from run.sh); recovery signs out the other
#    sessions of the identity.
http GET "$P/self-service/recovery/api"
expect 200 "GET /self-service/recovery/api"
flow="$(jq -r .id <<<"$body")"
jsonpost "$P/self-service/recovery?flow=$flow" "$(jq -nc --arg e "$email" '{method: "code", email: $e}')"
expect 200 "POST /self-service/recovery (send code)"
[[ "$(jq -r .state <<<"$body")" == sent_email ]] || fail "recovery: want state sent_email: $body"
mail_arrived() { grep -qls "^Subject: Recover access" "$work"/mail/*.eml 2>/dev/null; }
waitfor 30 "the recovery email over SMTP" mail_arrived
code="$(grep -hEo '^[0-9]{6}' "$(grep -ls "^Subject: Recover access" "$work"/mail/*.eml | head -n 1)" | head -n 1)"
[[ -n "$code" ]] || fail "no code in the recovery email"
pass "recovery email delivered over SMTP with a code"
jsonpost "$P/self-service/recovery?flow=$flow" "$(jq -nc --arg c "$code" '{method: "code", code: $c}')"
# Kratos v1.3 ends a successful API recovery with 422 and a redirect to the
# settings flow (unless feature_flags.use_continue_with_transitions is set).
expect 422 "POST /self-service/recovery (code)"
[[ "$(jq -r .error.id <<<"$body")" == browser_location_change_required ]] || fail "recovery by code: $body"
http GET "$P/sessions/whoami" -H "X-Session-Token: $first_token"
expect 401 "GET /sessions/whoami with a session from before recovery"
pass "recovery by email code accepted; earlier sessions revoked"

# 6. Disabling an identity ends its sessions at once.
login "$email" "$password"
jsonreq PATCH "$A/admin/identities/$identity_id" '[{"op":"replace","path":"/state","value":"inactive"}]'
expect 200 "PATCH /admin/identities/{id} state inactive"
http GET "$P/sessions/whoami" -H "X-Session-Token: $token"
expect 401 "GET /sessions/whoami of a disabled identity"
pass "disabled identity: whoami refused"

# 7. Self-registration through an API flow (tests create users this way).
http GET "$P/self-service/registration/api"
expect 200 "GET /self-service/registration/api"
flow="$(jq -r .id <<<"$body")"
jsonpost "$P/self-service/registration?flow=$flow" '{"method":"password","password":"another smoke passphrase",
	"traits":{"email":"registered@example.org","name":{"first":"Reg","last":"Istered"}}}'
expect 200 "POST /self-service/registration (password)"
[[ "$(jq -r .session_token <<<"$body")" == ory_st_* ]] || fail "registration returned no session_token: $body"
pass "API registration flow: identity created and signed in"

say "all checks passed"
