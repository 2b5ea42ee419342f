/* test_groups: agent groups, skills, schedules, absence, shrinkage and wrap-up.
 *
 * Statistical checks (one Bonferroni family, alpha = 1 %, fixed seeds):
 *   - two groups of generalists on one channel are one Erlang A queue with all their agents;
 *   - pooling: two dedicated groups each match their own Erlang A, the pooled group matches the
 *     pooled Erlang A, and the pooled waits are shorter;
 *   - shrinkage s and absenteeism a: staffed agent-time = scheduled x (1 - s)(1 - a).
 * Exact checks: no shrinkage and no absence staff exactly the schedule; shifts with staggered
 * breaks give the hand-computed net staffing; wrap-up is part of the busy time, and a zero
 * wrap-up changes nothing. */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "erlang.h"
#include "model.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <string.h>

/* Checks in the family: generalists 5, pooling 3 x 4, shrinkage and absence 3. */
#define FAMILY 20

static double level(void)
{
    return 1 - 0.01 / FAMILY;
}

static int load_text(const char *text, struct model_spec *m)
{
    return testlib_load(text, "build/test_groups.cfg", m);
}

static double half_width(const struct stat_summary *s)
{
    return s->ci95 / stat_t_quantile(0.95, s->n) * stat_t_quantile(level(), s->n);
}

/* Compares a scope's p_wait, abandonment, ASA, mean wait and SL with Erlang A. */
static void against_erlang_a(const char *label, const struct results *r, int scope,
                             double per_hour, double aht, int agents, double patience, int n)
{
    struct erlang_input in = {per_hour / 3600, aht, agents, patience, 20};
    struct erlang_metrics e;
    erlang_a(&in, &e);
    const int met[] = {MET_P_WAIT, MET_ABANDON_RATE, MET_ASA, MET_WAIT_MEAN, MET_SL};
    const double exact[] = {e.p_wait, e.p_abandon, e.asa_s, e.wait_mean_s, e.service_level};
    for (int k = 0; k < n; k++) {
        const struct stat_summary *s = &r->summary[scope * MET_N + met[k]];
        double h = half_width(s);
        char desc[200];
        snprintf(desc, sizeof desc, "%s: %s %.6g within %.3g of Erlang A %.6g", label,
                 metric_names[met[k]], s->mean, h, exact[k]);
        CHECK(fabs(s->mean - exact[k]) <= h, desc);
        if (exact[k] >= 0.01) {
            snprintf(desc, sizeof desc, "%s: %s half-width %.3g%% (<= 2%%)", label,
                     metric_names[met[k]], 100 * h / exact[k]);
            CHECK(h <= 0.02 * exact[k], desc);
        }
    }
}

/* ==== 1. Generalists in two groups are one queue ==== */

static void test_generalists(int quick)
{
    char text[2048];
    snprintf(text, sizeof text,
             "mode = \"steady\"; seed = 3; replications = %d;\n"
             "steady = { contacts = %d; warmup_contacts = %d; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = 1000.0;\n"
             "  service = { dist = \"exponential\"; mean_s = 180.0; };\n"
             "  patience = { dist = \"exponential\"; mean_s = 200.0; }; } );\n"
             "groups = ( { name = \"a\"; skills = ( { skill = \"voice\"; proficiency = 1.0; } );\n"
             "             agents = 30; },\n"
             "           { name = \"b\"; skills = [ \"voice\" ]; agents = 20; } );\n",
             quick ? 3 : 40, quick ? 20000 : 1000000, quick ? 2000 : 100000);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "generalists model loads")) return;
    struct results *r = sim_run(&m, NULL);
    if (!quick) against_erlang_a("two generalist groups = M/M/50+M", r, 1, 1000, 180, 50, 200, 5);
    CHECK(r->summary[MET_N + MET_HANDLED].mean > 0, "generalists handle contacts");
    results_free(r);
    model_spec_free(&m);
}

/* ==== 2. Pooling ==== */

#define POOL_TEXT \
    "mode = \"steady\"; seed = %d; replications = %d;\n" \
    "steady = { contacts = %d; warmup_contacts = %d; };\n" \
    "segments = ( { name = \"north\"; share = 0.5; }, { name = \"south\"; share = 0.5; } );\n" \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 1300.0;\n" \
    "  service = { dist = \"exponential\"; mean_s = 200.0; };\n" \
    "  patience = { dist = \"exponential\"; mean_s = 300.0; }; } );\n" \
    "%s"

static void test_pooling(int quick)
{
    const char *dedicated =
        "groups = ( { name = \"n\"; skills = [ \"voice:north\" ]; agents = 36; },\n"
        "           { name = \"s\"; skills = [ \"voice:south\" ]; agents = 36; } );\n";
    const char *pooled = "groups = ( { name = \"all\"; skills = [ \"voice\" ]; agents = 72; } );\n";
    int reps = quick ? 3 : 40, n = quick ? 20000 : 1200000;
    char text[2048];
    struct model_spec md, mp;
    snprintf(text, sizeof text, POOL_TEXT, 41, reps, n, n / 10, dedicated);
    if (!CHECK(load_text(text, &md) == 0, "dedicated model loads")) return;
    snprintf(text, sizeof text, POOL_TEXT, 41, reps, n, n / 10, pooled);
    if (!CHECK(load_text(text, &mp) == 0, "pooled model loads")) return;
    struct results *rd = sim_run(&md, NULL), *rp = sim_run(&mp, NULL);
    if (!quick) {
        /* Each dedicated group serves one segment: its own M/M/36+M at half the traffic. */
        against_erlang_a("dedicated north", rd, results_segment_scope(&md, 0), 650, 200, 36, 300,
                         4);
        against_erlang_a("dedicated south", rd, results_segment_scope(&md, 1), 650, 200, 36, 300,
                         4);
        against_erlang_a("pooled", rp, 1, 1300, 200, 72, 300, 4);
    }
    const struct stat_summary *wd = &rd->summary[MET_N + MET_WAIT_MEAN];
    const struct stat_summary *wp = &rp->summary[MET_N + MET_WAIT_MEAN];
    char desc[160];
    snprintf(desc, sizeof desc, "pooling waits less: %.3g s against %.3g s dedicated", wp->mean,
             wd->mean);
    if (!quick) CHECK(wp->mean + wp->ci95 < wd->mean - wd->ci95, desc);
    /* Dedicated groups never cross: from the call log of a short run, every handled north
     * contact was answered by group n and every south one by group s. */
    md.replications = 2;
    md.contacts = 20000;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *rl = sim_run(&md, &hooks);
    rewind(log);
    char line[1024];
    int handled = 0, crossed = 0;
    if (fgets(line, sizeof line, log) == NULL) line[0] = '\0';
    while (fgets(line, sizeof line, log)) {
        char *f[20];
        int nf = testlib_fields(line, f, 20);
        if (nf < 16 || strcmp(f[15], "handled") != 0) continue;
        handled++;
        if ((strcmp(f[3], "north") == 0) != (strcmp(f[13], "n") == 0)) crossed++;
    }
    fclose(log);
    results_free(rl);
    snprintf(desc, sizeof desc, "dedicated groups never cross (%d handled, %d crossed)", handled,
             crossed);
    CHECK(handled > 10000 && crossed == 0, desc);
    results_free(rd);
    results_free(rp);
    model_spec_free(&md);
    model_spec_free(&mp);
}

/* ==== 3. Shrinkage and absenteeism ====
 * At low occupancy, so that shrinkage periods rarely wait for a busy agent: a period that falls
 * due while the agent is busy starts when it frees (as specified), and what is still owed at the
 * close is never taken, which leaves staffed time about 0.1 % above (1 - s)(1 - a) at 70 %
 * occupancy with 15-minute periods (measured; see the closing note of the groups work). */

#define PEOPLE_TEXT \
    "mode = \"day\"; seed = %d; replications = %d;\n" \
    "day = { start = \"08:00\"; end = \"20:00\"; interval_min = 60; };\n" \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 10.0;\n" \
    "  service = { dist = \"exponential\"; mean_s = 300.0; };\n" \
    "  patience = { dist = \"exponential\"; mean_s = 200.0; }; } );\n" \
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 20;\n" \
    "  shrinkage = %g; shrinkage_period_min = 15; absenteeism = %g; } );\n"

static void staffed_against(int quick, double s, double a, int seed)
{
    char text[2048];
    int reps = quick ? 3 : 400;
    snprintf(text, sizeof text, PEOPLE_TEXT, seed, reps, s, a);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "shrinkage model loads")) return;
    struct results *r = sim_run(&m, NULL);
    int scope = results_group_scope(&m, 0, 0);
    const struct stat_summary *st = &r->summary[scope * MET_N + MET_STAFFED_AGENTS];
    const struct stat_summary *sc = &r->summary[scope * MET_N + MET_SCHEDULED_AGENTS];
    double want = 20 * (1 - s) * (1 - a);
    char desc[200];
    if (s == 0 && a == 0) {
        snprintf(desc, sizeof desc, "no shrinkage, no absence: staffed %.15g = scheduled %.15g",
                 st->mean, sc->mean);
        CHECK_NEAR(st->mean, 20.0, 1e-12, desc);
        for (int k = 0; k < reps; k++) {
            double v = *results_value(r, k, scope, MET_STAFFED_AGENTS);
            if (fabs(v - 20) > 1e-12 * 20) {
                CHECK(0, "every replication staffs exactly the schedule");
                break;
            }
        }
    } else if (!quick) {
        snprintf(desc, sizeof desc,
                 "shrinkage %.2f, absence %.2f: staffed %.4g within %.3g of 20 (1-s)(1-a) = %.4g",
                 s, a, st->mean, half_width(st), want);
        CHECK(fabs(st->mean - want) <= half_width(st), desc);
    }
    snprintf(desc, sizeof desc, "shrinkage %.2f, absence %.2f: scheduled agents stay 20", s, a);
    CHECK_NEAR(sc->mean, 20.0, 1e-12, desc);
    results_free(r);
    model_spec_free(&m);
}

static void test_shrinkage(int quick)
{
    staffed_against(quick, 0, 0, 1);
    staffed_against(quick, 0.15, 0, 2);
    staffed_against(quick, 0, 0.1, 3);
    staffed_against(quick, 0.2, 0.08, 4);
}

/* ==== 4. Shifts and breaks ==== */

static void test_shifts(void)
{
    /* Shift A: 3 agents 08:00-12:00, a 30-min break starting 09:00, 09:30, 10:00 (evenly from
     * earliest to latest).  Shift B: 2 agents 10:00-12:00.  Net agents per hour by hand:
     * 08-09: 3; 09-10: 3 - 0.5 - 0.5 = 2; ... = 2 (two half-hour breaks); 10-11: 3 - 0.5 + 2 =
     * 4.5; 11-12: 5. */
    const char *text =
        "mode = \"day\"; seed = 9; replications = 2;\n"
        "day = { start = \"08:00\"; end = \"12:00\"; interval_min = 60; };\n"
        "channels = ( { name = \"voice\"; arrivals_per_hour = 20.0;\n"
        "  service = { dist = \"exponential\"; mean_s = 120.0; }; } );\n"
        "groups = ( { name = \"team\"; skills = [ \"voice\" ];\n"
        "  shifts = ( { start = \"08:00\"; length_h = 4.0; agents = 3;\n"
        "               breaks = ( { earliest = \"09:00\"; latest = \"10:00\"; length_min = 30; } ); },\n"
        "             { start = \"10:00\"; length_h = 2.0; agents = 2; } ); } );\n";
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "shifts model loads")) return;
    struct results *r = sim_run(&m, NULL);
    const double want[] = {3, 2, 4.5, 5};
    for (int i = 0; i < 4; i++) {
        int scope = results_group_scope(&m, 0, 1 + i);
        char desc[160];
        snprintf(desc, sizeof desc, "shifts: interval %d scheduled %g agents (by hand)", i, want[i]);
        CHECK_NEAR(r->summary[scope * MET_N + MET_SCHEDULED_AGENTS].mean, want[i], 1e-12, desc);
        snprintf(desc, sizeof desc, "shifts: interval %d staffed %g agents", i, want[i]);
        CHECK_NEAR(r->summary[scope * MET_N + MET_STAFFED_AGENTS].mean, want[i], 1e-12, desc);
    }
    results_free(r);
    model_spec_free(&m);
}

/* ==== 5. Wrap-up ==== */

#define WRAP_TEXT \
    "mode = \"day\"; seed = 17; replications = 4;\n" \
    "day = { start = \"08:00\"; end = \"10:00\"; interval_min = 30; };\n" \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 120.0;\n" \
    "  service = { dist = \"exponential\"; mean_s = 150.0; };\n" \
    "  patience = { dist = \"exponential\"; mean_s = 100.0; }; } );\n" \
    "groups = ( { name = \"team\"; skills = ( %s ); agents = 6; } );\n"

static void test_wrapup(void)
{
    char text[2048];
    struct model_spec plain, zero, wrap;
    snprintf(text, sizeof text, WRAP_TEXT, "\"voice\"");
    if (!CHECK(load_text(text, &plain) == 0, "plain model loads")) return;
    snprintf(text, sizeof text, WRAP_TEXT,
             "{ skill = \"voice\"; wrapup = { dist = \"deterministic\"; mean_s = 0.0; }; }");
    if (!CHECK(load_text(text, &zero) == 0, "zero wrap-up model loads")) return;
    snprintf(text, sizeof text, WRAP_TEXT,
             "{ skill = \"voice\"; wrapup = { dist = \"deterministic\"; mean_s = 45.0; }; }");
    if (!CHECK(load_text(text, &wrap) == 0, "wrap-up model loads")) return;
    struct results *rp = sim_run(&plain, NULL), *rz = sim_run(&zero, NULL);
    size_t n = (size_t)rp->replications * rp->n_scopes * MET_N;
    int same = rp->n_scopes == rz->n_scopes;
    for (size_t i = 0; same && i < n; i++)
        same = (isnan(rp->values[i]) && isnan(rz->values[i])) || rp->values[i] == rz->values[i];
    CHECK(same, "a zero wrap-up gives exactly the results of no wrap-up key");
    /* With 45 s of wrap-up, the busy time is handle plus wrap-up, contact by contact (from the
     * log), and occupancy counts it. */
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *rw = sim_run(&wrap, &hooks);
    rewind(log);
    char line[1024];
    double work[4] = {0}, wraps = 0;
    int rows = 0;
    if (fgets(line, sizeof line, log) == NULL) line[0] = '\0';
    while (fgets(line, sizeof line, log)) {
        char *f[20];
        int nf = testlib_fields(line, f, 20);
        if (nf < 16 || strcmp(f[15], "handled") != 0) continue;
        work[atoi(f[0])] += atof(f[10]) + atof(f[11]);
        wraps += atof(f[11]);
        rows++;
    }
    fclose(log);
    CHECK_NEAR(wraps, rows * 45.0, 1e-12, "every handled contact has 45 s of wrap-up in the log");
    int g = results_group_scope(&wrap, 0, 0);
    for (int k = 0; k < wrap.replications; k++) {
        double occ = *results_value(rw, k, g, MET_OCCUPANCY);
        double staffed = *results_value(rw, k, g, MET_STAFFED_AGENTS) * 7200 +
                         *results_value(rw, k, g, MET_OVERTIME) +
                         *results_value(rw, k, g, MET_OVERRUN);
        char desc[160];
        snprintf(desc, sizeof desc, "rep %d: busy time = handle + wrap-up of every contact", k);
        CHECK_NEAR(occ * staffed, work[k], 1e-9, desc);
    }
    CHECK(rw->summary[g * MET_N + MET_OCCUPANCY].mean > rp->summary[MET_N + MET_OCCUPANCY].mean,
          "wrap-up raises occupancy");
    results_free(rp);
    results_free(rz);
    results_free(rw);
    model_spec_free(&plain);
    model_spec_free(&zero);
    model_spec_free(&wrap);
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    int quick = check_quick();
    test_generalists(quick);
    test_pooling(quick);
    test_shrinkage(quick);
    test_shifts();
    test_wrapup();
    return check_summary();
}
