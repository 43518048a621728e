#!/usr/bin/env bash
# Runs Ory Kratos in the foreground for development and tests: builds it if
# needed (build.sh), applies its SQL migrations, then replaces this shell with
# `kratos serve`, so a supervisor that stops this process stops Kratos
# (SIGINT/SIGTERM shut it down gracefully).
#
# Environment:
#   KRATOS_DSN          PostgreSQL URL of Kratos' own database (required; DSN is
#                       accepted too), e.g. postgres://kratos:pw@127.0.0.1:5432/kratos?sslmode=disable
#   KRATOS_PUBLIC_PORT  public API port (default 4433)
#   KRATOS_ADMIN_PORT   admin API port (default 4434); never expose it
#   KRATOS_SMTP_URI     courier SMTP URI (default: COURIER_SMTP_CONNECTION_URI, or
#                       the config's smtp://127.0.0.1:1025/?disable_starttls=true)
#   KRATOS_APP_URL      the app's origin in development, e.g. http://localhost:8080:
#                       derives the UI URLs (<app>/auth/login, ...), return URLs and
#                       CORS origins (<app> and its *.<host> tenant hosts). Unset:
#                       keep the values of config/kratos.yml.
#   KRATOS_DEV          1 runs with --dev: cookies without the Secure flag (Kratos sets
#                       Secure on its session, CSRF and continuity cookies exactly when
#                       not in dev mode), courier message bodies visible in the admin API,
#                       bcrypt cost below 12 allowed. Default 1, but 0 when KRATOS_APP_URL
#                       is https, where 1 is refused: an https app always gets Secure cookies.
#                       A DEV variable in the environment would also switch dev mode on
#                       (Kratos reads every key from the environment): it is removed.
#   KRATOS_CONFIG       extra config file(s), comma separated, loaded after config/kratos.yml
#   KRATOS_BIN          binary path (default <repo>/.bin/kratos)
# Any other Kratos config key can be overridden by its environment variable
# (see the top of config/kratos.yml).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

dsn="${KRATOS_DSN:-${DSN:-}}"
if [[ -z "$dsn" ]]; then
	echo "run.sh: set KRATOS_DSN to Kratos' PostgreSQL URL" >&2
	exit 2
fi
public_port="${KRATOS_PUBLIC_PORT:-4433}"
admin_port="${KRATOS_ADMIN_PORT:-4434}"

bin="$("$here/build.sh")"

export DSN="$dsn"
export SERVE_PUBLIC_PORT="$public_port"
export SERVE_ADMIN_PORT="$admin_port"
export SERVE_PUBLIC_BASE_URL="${SERVE_PUBLIC_BASE_URL:-http://127.0.0.1:$public_port/}"
export SERVE_ADMIN_BASE_URL="${SERVE_ADMIN_BASE_URL:-http://127.0.0.1:$admin_port/}"
if [[ -n "${KRATOS_SMTP_URI:-}" ]]; then
	export COURIER_SMTP_CONNECTION_URI="$KRATOS_SMTP_URI"
fi
# No anonymous usage reports to Ory (same as --sqa-opt-out below).
export SQA_OPT_OUT=true
# Never let people change their own email (config/kratos.yml, docs/identity.md),
# whatever an extra KRATOS_CONFIG file says.
export SELFSERVICE_METHODS_PROFILE_ENABLED=false

if [[ -n "${KRATOS_APP_URL:-}" ]]; then
	app="${KRATOS_APP_URL%/}"
	scheme="${app%%://*}"
	hostport="${app#*://}"
	export SELFSERVICE_DEFAULT_BROWSER_RETURN_URL="$app/"
	export SELFSERVICE_ALLOWED_RETURN_URLS="$app/,$scheme://*.$hostport/"
	export SERVE_PUBLIC_CORS_ALLOWED_ORIGINS="$app,$scheme://*.$hostport"
	export SELFSERVICE_FLOWS_ERROR_UI_URL="$app/auth/error"
	export SELFSERVICE_FLOWS_LOGIN_UI_URL="$app/auth/login"
	export SELFSERVICE_FLOWS_LOGOUT_AFTER_DEFAULT_BROWSER_RETURN_URL="$app/auth/login"
	export SELFSERVICE_FLOWS_REGISTRATION_UI_URL="$app/auth/registration"
	export SELFSERVICE_FLOWS_SETTINGS_UI_URL="$app/auth/settings"
	export SELFSERVICE_FLOWS_RECOVERY_UI_URL="$app/auth/recovery"
	export SELFSERVICE_FLOWS_VERIFICATION_UI_URL="$app/auth/verification"
	export SELFSERVICE_FLOWS_VERIFICATION_AFTER_DEFAULT_BROWSER_RETURN_URL="$app/"
fi

configs=(-c config/kratos.yml)
if [[ -n "${KRATOS_CONFIG:-}" ]]; then
	IFS=, read -r -a extra <<<"$KRATOS_CONFIG"
	for c in "${extra[@]}"; do
		# Absolute, since Kratos runs from this directory (below).
		[[ "$c" == /* ]] || c="$PWD/$c"
		configs+=(-c "$c")
	done
fi

# Dev mode drops the Secure flag of Kratos' cookies: never with an https app.
unset DEV
dev_default=1
if [[ "${KRATOS_APP_URL:-}" == https://* ]]; then
	dev_default=0
	if [[ "${KRATOS_DEV:-0}" != 0 ]]; then
		echo "run.sh: KRATOS_DEV=1 would make Kratos drop the Secure flag of its cookies; refused with the https app URL $KRATOS_APP_URL" >&2
		exit 2
	fi
fi
flags=(--watch-courier --sqa-opt-out)
if [[ "${KRATOS_DEV:-$dev_default}" != 0 ]]; then
	flags+=(--dev)
fi

# The identity schema URL in config/kratos.yml is relative to this directory.
cd "$here"

echo "run.sh: migrating Kratos database" >&2
"$bin" migrate sql -e --yes "${configs[@]}"

echo "run.sh: starting Kratos (public :$public_port, admin :$admin_port)" >&2
exec "$bin" serve "${configs[@]}" "${flags[@]}"
