#!/usr/bin/env bash
# Benchmark 2, multi-skill: AGENTS agents in 40 groups over 20 skills, 10 voice and 10 chat (the
# chat groups hold 3 chats an agent), each group holding two skills of one kind, each skill routed
# to its two home groups at once and to a third group after 20 s (overflow); load 0.9 of the
# agents (of the slots, for chat), exponential handle and patience; CONTACTS counted contacts.
# Usage: bench/multiskill.sh BINARY AGENTS CONTACTS.  Prints one JSON line and one readable line.
set -eu
bin=$1 agents=$2 contacts=$3
cd "$(dirname "$0")/.."
. bench/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
per_group=$((agents / 40))
awk -v per_group="$per_group" -v contacts="$contacts" 'BEGIN {
    # Ten voice skills on groups 0-19 and ten chat skills on groups 20-39 (concurrency 3); within
    # each kind, group g holds skills g/2 and g/2 + 1 (mod 10), and skill c goes to its two home
    # groups at once and after 20 s also to a group of the previous pair, which holds it too.
    aht = 240; load = 0.9
    rate = load * per_group * 20 / 10 / aht * 3600   # contacts per hour per voice skill
    printf "mode = \"steady\";\nseed = 1;\nreplications = 1;\n"
    printf "steady = { contacts = %d; warmup_contacts = %d; };\n", contacts, contacts / 20
    printf "channels = (\n"
    for (c = 0; c < 20; c++) {
        chat = c >= 10
        printf "  { name = \"s%d\"; kind = \"%s\"; arrivals_per_hour = %.6f; service = { dist = \"exponential\"; mean_s = %d.0; }; patience = { dist = \"exponential\"; mean_s = 300.0; }; }%s\n", c, chat ? "chat" : "voice", chat ? 3 * rate : rate, aht, c < 19 ? "," : ""
    }
    printf ");\ngroups = (\n"
    for (g = 0; g < 40; g++) {
        base = g < 20 ? 0 : 10; h = g % 20
        a = base + int(h / 2); b = base + (int(h / 2) + 1) % 10
        printf "  { name = \"g%d\"; skills = [ \"s%d\", \"s%d\" ]; agents = %d;%s }%s\n", g, a, b, per_group, g < 20 ? "" : " concurrency = 3;", g < 39 ? "," : ""
    }
    printf ");\nrouting = (\n"
    for (c = 0; c < 20; c++) {
        gbase = c < 10 ? 0 : 20; k = c % 10
        o = gbase + (2 * k + 18) % 20
        printf "  { channel = \"s%d\"; steps = ( { group = \"g%d\"; }, { group = \"g%d\"; }, { group = \"g%d\"; after_s = 20.0; } ); }%s\n", c, gbase + 2 * k, gbase + 2 * k + 1, o, c < 19 ? "," : ""
    }
    printf ");\n"
}' > "$tmp/ms.cfg"
"$bin" run "$tmp/ms.cfg" --quiet --json "$tmp/out.json" >/dev/null
field() { perf_field "$tmp/out.json" "$1"; }
events=$(field events); stale=$(field stale_events); n=$(field contacts)
wall=$(field wall_s); eps=$(field events_per_s); cps=$(field contacts_per_s); rss=$(field peak_rss_kib)
printf '{"bench":"multiskill_%d_agents","agents":%d,"groups":40,"skills":20,"chat_skills":10,"chat_concurrency":3,"contacts":%s,"events":%s,"stale_events":%s,"wall_s":%s,"contacts_per_s":%s,"events_per_s":%s,"ns_per_event":%s,"peak_rss_kib":%s}\n' \
    "$agents" "$agents" "$n" "$events" "$stale" "$wall" "$cps" "$eps" "$(awk -v e="$eps" 'BEGIN { printf "%.1f", 1e9 / e }')" "$rss"
awk -v a="$agents" -v c="$cps" -v e="$eps" -v r="$rss" 'BEGIN {
    printf "multi-skill, %d agents in 40 groups, 20 skills (10 chat at concurrency 3), overflow: %.2f M contacts/s, %.2f M events/s (%.0f ns/event), peak RSS %.1f MiB\n", a, c / 1e6, e / 1e6, 1e9 / e, r / 1024 }'
