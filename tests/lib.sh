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
# The shell tests' readers of ccsim's outputs, without jq:
#   csv_col FILE NAME        the column NAME of every row; nothing (and status 1) without one
#   total_metric FILE NAME   "mean ci95" of the total's metric NAME in a run's JSON
#   validate_mae FILE SOURCE QUANTITY   the mean absolute error of ccsim validate's JSON
csv_col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; if (!c) exit 1; next } { print $c }' "$1"
}
total_metric() {
    sed -n "/^  \"total\": {/,/^  }/p" "$1" | grep -A2 "\"$2\": {" | sed -n 's/.*"\(mean\|ci95\)": \([^,]*\).*/\2/p' | tr '\n' ' '
}
validate_mae() {
    awk -v s="\"$2\": {" -v q="\"$3\": {" 'index($0, "\"errors\": {") { e = 1 } e && index($0, s) { x = 1 } x && index($0, q) { y = 1 }
        y && /"mae"/ { gsub(/[ ,]/, ""); split($0, a, ":"); print a[2]; exit }' "$1"
}
export -f csv_col total_metric validate_mae
