# Shared by the bench scripts: reading the flat perf block of a run's --json output without jq.
perf_field() { # json-file field
    sed -n "/\"perf\"/,/}/s/.*\"$2\": \([^,]*\).*/\1/p" "$1"
}
