#!/usr/bin/env bash
# Offline checks of infra/terraform: `terraform fmt -check`, then for every module and
# example environment `terraform init -backend=false` and `terraform validate`, and
# `terraform test` (mocked providers, no cloud access) where a module has tests.
#
# Runs from any directory and writes nothing into the source tree: init, lock files and
# test state live in a temporary copy that is removed on exit. Uses the provider mirror
# /opt/tf-plugins when it exists (CI), the public registry otherwise.
#
# The last line reads "N passed, M failed": N counts terraform test runs that passed, M
# the runs that failed plus any fmt/init/validate step that failed. Exit status 0 only
# when M is 0.
set -euo pipefail

if ! command -v terraform >/dev/null 2>&1; then
  echo "SKIP: terraform not installed (infra/terraform checks not run)"
  exit 0
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=$SECONDS

# A TF_CLI_CONFIG_FILE pointing at a missing file only produces warnings: ignore it.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "$TF_CLI_CONFIG_FILE" ]]; then
  unset TF_CLI_CONFIG_FILE
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0
unset TF_DATA_DIR TF_WORKSPACE

work=$(mktemp -d "${TMPDIR:-/tmp}/cpims-tf-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$root" \
  --exclude=.terraform --exclude='*.tfstate*' --exclude=.terraform.lock.hcl \
  --exclude=terraform.tfvars --exclude='*.auto.tfvars' -cf - . | tar -C "$work" -xf -

init_args=(-backend=false -input=false -no-color)
if [[ -d /opt/tf-plugins ]]; then
  init_args+=(-plugin-dir=/opt/tf-plugins)
fi

passed=0
failed=0

# run_step <label> <log file> <command...>: prints ok or the command's output.
run_step() {
  local label=$1 log=$2
  shift 2
  if "$@" >"$log" 2>&1; then
    printf '  %-9s ok\n' "$label"
  else
    printf '  %-9s FAILED\n' "$label"
    sed 's/^/    /' "$log"
    failed=$((failed + 1))
    return 1
  fi
}

echo "== terraform fmt -check -recursive"
if terraform fmt -check -recursive -diff -no-color "$root"; then
  echo "  ok"
else
  echo "  FAILED: run terraform fmt -recursive infra/terraform"
  failed=$((failed + 1))
fi

for dir in "$work"/modules/*/ "$work"/envs/*/; do
  dir=${dir%/}
  rel=${dir#"$work"/}
  echo "== $rel"
  export TF_DATA_DIR="$work/.data/${rel//\//_}"
  log="$work/.data/${rel//\//_}.log"
  mkdir -p "$TF_DATA_DIR"
  run_step init "$log" terraform -chdir="$dir" init "${init_args[@]}" || continue
  run_step validate "$log" terraform -chdir="$dir" validate -no-color || continue

  if compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
    echo "  test"
    set +e
    terraform -chdir="$dir" test -no-color >"$log" 2>&1
    status=$?
    set -e
    # Keep terraform's own per-run lines and the error details of failures.
    grep -v -E '^\s*$' "$log" | sed 's/^/    /'
    summary=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
    if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      passed=$((passed + BASH_REMATCH[1]))
      failed=$((failed + BASH_REMATCH[2]))
    fi
    if [[ $status -ne 0 && ! $summary =~ [1-9][0-9]*\ failed ]]; then
      failed=$((failed + 1)) # terraform test itself broke (e.g. a syntax error)
    fi
  fi
done

echo "== done in $((SECONDS - started))s"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
