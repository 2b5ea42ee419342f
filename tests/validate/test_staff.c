/* test_staff: the sim staffing method on a small day.  With its answer every interval meets
 * its targets at the unfavourable end of the 95 % interval; with one agent fewer in any one
 * interval, some target fails (checked by simulating each such day, on the same replications). */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "model.h"
#include "staffing.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DAY_TEXT                                                                                   \
    "mode = \"day\"; seed = 12; replications = %d;\n"                                             \
    "day = { start = \"08:00\"; end = \"13:00\"; interval_min = 60; };\n"                         \
    "channels = ( { name = \"voice\"; arrivals_per_hour = [ 80.0, 160.0, 220.0, 150.0, 90.0 ];\n" \
    "  service = { dist = \"lognormal\"; mean_s = 240.0; cv = 0.9; };\n"                          \
    "  patience = { dist = \"exponential\"; mean_s = 200.0; }; } );\n"                            \
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 10; cost_per_hour = 30.0; } );\n"

/* Every (interval, target) met at the unfavourable end; returns the failures. */
static int count_failures(struct model_spec *m, const struct staff_target *t, int n_targets)
{
    struct results *r = sim_run(m, NULL);
    int bad = 0;
    for (int i = 0; i < m->n_intervals; i++)
        for (int k = 0; k < n_targets; k++) {
            int metric = t[k].kind == TARGET_SL ? MET_SL : MET_ABANDON_RATE;
            const struct stat_summary *s =
                &r->summary[results_interval_scope(m, i, 0) * MET_N + metric];
            if (!isfinite(s->mean)) continue;
            bad += t[k].kind == TARGET_SL ? s->mean - s->ci95 < t[k].value
                                          : s->mean + s->ci95 > t[k].value;
        }
    results_free(r);
    return bad;
}

int main(void)
{
    int reps = check_quick() ? 6 : 20;
    char text[2048];
    snprintf(text, sizeof text, DAY_TEXT, reps);
    struct model_spec m;
    if (!CHECK(testlib_load(text, "build/test_staff.cfg", &m) == 0, "the small day loads"))
        return check_summary();
    struct staff_target t[2];
    char why[300];
    CHECK(staff_parse_target("voice:sl=0.8@20s", &m, &t[0], why, sizeof why) == 0 &&
              staff_parse_target("voice:abandon=0.05", &m, &t[1], why, sizeof why) == 0,
          "the targets parse");
    int agents[5] = {0}, erlang[5] = {0}, simulations = 0;
    CHECK(staff_erlang(&m, t, 2, erlang, why, sizeof why) == 0, "the erlang answer exists");
    int rc = staff_sim(&m, t, 2, agents, NULL, &simulations, why, sizeof why);
    char desc[300];
    snprintf(desc, sizeof desc, "the sim method finds a requirement (%d simulations): %d %d %d %d %d "
                                "(erlang %d %d %d %d %d)",
             simulations, agents[0], agents[1], agents[2], agents[3], agents[4], erlang[0],
             erlang[1], erlang[2], erlang[3], erlang[4]);
    if (!CHECK(rc == 0, desc)) return check_summary();
    for (int i = 0; i < 5; i++)
        m.groups[0].agents[i] = agents[i];
    CHECK_INT(count_failures(&m, t, 2), 0,
              "with the requirement every interval meets both targets at its CI's unfavourable end");
    int all_fail = 1;
    for (int i = 0; i < 5; i++) {
        if (agents[i] == 0) continue;
        m.groups[0].agents[i] = agents[i] - 1;
        int bad = count_failures(&m, t, 2);
        m.groups[0].agents[i] = agents[i];
        snprintf(desc, sizeof desc, "one agent fewer at interval %d: %d targets fail", i, bad);
        all_fail &= CHECK(bad > 0, desc);
    }
    CHECK(all_fail, "removing one agent from any interval fails at least one target");
    model_spec_free(&m);
    return check_summary();
}
