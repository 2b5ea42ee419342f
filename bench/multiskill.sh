#!/usr/bin/env bash
# Multi-skill benchmark: AGENTS agents in 40 groups over 20 voice skills, each group holding two
# skills, each skill routed to its two home groups at once and to a third group after 20 s
# (overflow); load 0.9, exponential handle and patience; CONTACTS counted contacts.
# Usage: bench/multiskill.sh BINARY AGENTS CONTACTS.  Prints one JSON line and one readable line.
set -eu
bin=$1 agents=$2 contacts=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
per_group=$((agents / 40))
awk -v per_group="$per_group" -v contacts="$contacts" 'BEGIN {
    aht = 240; load = 0.9
    rate = load * per_group * 40 / 20 / aht * 3600   # calls per hour per skill
    printf "mode = \"steady\";\nseed = 1;\nreplications = 1;\n"
    printf "steady = { contacts = %d; warmup_contacts = %d; };\n", contacts, contacts / 20
    printf "channels = (\n"
    for (c = 0; c < 20; c++)
        printf "  { name = \"s%d\"; arrivals_per_hour = %.6f; service = { dist = \"exponential\"; mean_s = %d.0; }; patience = { dist = \"exponential\"; mean_s = 300.0; }; }%s\n", c, rate, aht, c < 19 ? "," : ""
    printf ");\ngroups = (\n"
    for (g = 0; g < 40; g++) {
        a = int(g / 2); b = (a + 1) % 20
        printf "  { name = \"g%d\"; skills = [ \"s%d\", \"s%d\" ]; agents = %d; }%s\n", g, a, b, per_group, g < 39 ? "," : ""
    }
    printf ");\nrouting = (\n"
    for (c = 0; c < 20; c++) {
        o = (2 * c + 38) % 40      # a group of the previous skill pair, which also holds s<c>
        printf "  { channel = \"s%d\"; steps = ( { group = \"g%d\"; }, { group = \"g%d\"; }, { group = \"g%d\"; after_s = 20.0; } ); }%s\n", c, 2 * c, 2 * c + 1, o, c < 19 ? "," : ""
    }
    printf ");\n"
}' > "$tmp/ms.cfg"
"$bin" run "$tmp/ms.cfg" --quiet --json "$tmp/out.json" >/dev/null
field() { sed -n "/\"perf\"/,/}/s/.*\"$1\": \([^,]*\).*/\1/p" "$tmp/out.json"; }
events=$(field events); stale=$(field stale_events); n=$(field contacts)
wall=$(field wall_s); eps=$(field events_per_s); cps=$(field contacts_per_s); rss=$(field peak_rss_kib)
printf '{"bench":"multiskill_%d_agents","agents":%d,"groups":40,"skills":20,"contacts":%s,"events":%s,"stale_events":%s,"wall_s":%s,"contacts_per_s":%s,"events_per_s":%s,"ns_per_event":%s,"peak_rss_kib":%s}\n' \
    "$agents" "$agents" "$n" "$events" "$stale" "$wall" "$cps" "$eps" "$(awk -v e="$eps" 'BEGIN { printf "%.1f", 1e9 / e }')" "$rss"
awk -v a="$agents" -v c="$cps" -v e="$eps" -v r="$rss" 'BEGIN {
    printf "multi-skill, %d agents in 40 groups, 20 skills, overflow: %.2f M contacts/s, %.2f M events/s (%.0f ns/event), peak RSS %.1f MiB\n", a, c / 1e6, e / 1e6, 1e9 / e, r / 1024 }'
