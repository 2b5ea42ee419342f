# lib.sh: what the shell tests share.  Sourced first: it moves to the repository root, sets
# CCSIM (the binary under test), makes $tmp (removed at exit) and defines
#   check DESCRIPTION COMMAND...
# which runs COMMAND and prints "ok: DESCRIPTION", or "FAIL tests/NAME: DESCRIPTION" and the
# start of its output.
set -u
cd "$(dirname "${BASH_SOURCE[1]}")/.."
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
test_name=$(basename "${BASH_SOURCE[1]}")
check() {
    local what=$1; shift
    if "$@" >"$tmp/out" 2>&1; then
        echo "ok: $what"
    else
        echo "FAIL tests/$test_name: $what"
        head -5 "$tmp/out" | sed 's/^/    /'
    fi
}
