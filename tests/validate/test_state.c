/* test_state: starting from the state of the center at a moment.
 *
 * Exact: an empty state at 11:00 gives the results of a day that opens at 11:00 (counts equal,
 * times to rounding); contacts already waiting at 11:00 have waits that include their time
 * waited before.  Statistical (tolerances from the estimates' own standard errors): a long queue
 * at 11:00 drains, the later intervals back at the no-state level; the remaining patience of an
 * exponential has the full mean; the remaining handle time of a lognormal given 300 s in service
 * has the analytic conditional mean; a run restarted from its own 11:00 dump agrees after 11:00
 * with the uninterrupted one. */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "model.h"
#include "state.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

#define T_11 10800.0 /* 11:00 in sim time when the day starts at 08:00 */

static int load_text(const char *text, struct model_spec *m)
{
    return testlib_load(text, "build/test_state.cfg", m);
}

/* Writes a state file and loads it against m. */
static int load_state(const char *text, const struct model_spec *m, struct sim_state *s)
{
    FILE *f = fopen("build/test_state.state", "w");
    SIM_ENSURE(f != NULL);
    fputs(text, f);
    fclose(f);
    struct diag d;
    diag_init(&d);
    int rc = state_load("build/test_state.state", m, s, &d);
    diag_print(&d, stdout);
    diag_fini(&d);
    return rc;
}

static double value(const struct results *r, int rep, int scope, int metric)
{
    return *results_value(r, rep, scope, metric);
}

static const struct stat_summary *summary(const struct results *r, int scope, int metric)
{
    return &r->summary[scope * MET_N + metric];
}

/* ==== 1. An empty state at T is a day that opens at T ==== */

#define SHORT_DAY                                                                                  \
    "mode = \"day\"; seed = 42; replications = 5;\n"                                              \
    "day = { start = \"%s\"; end = \"14:00\"; interval_min = 60; };\n"                            \
    "channels = ( { name = \"voice\"; arrivals_per_hour = [ %s ];\n"                              \
    "  service = { dist = \"lognormal\"; mean_s = 240.0; cv = 0.9; };\n"                          \
    "  patience = { dist = \"exponential\"; mean_s = 150.0; }; } );\n"                            \
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = [ %s ]; } );\n"

static void test_empty_state(void)
{
    char full[2048], late[2048];
    snprintf(full, sizeof full, SHORT_DAY, "08:00", "60.0, 90.0, 120.0, 150.0, 110.0, 80.0",
             "4, 6, 8, 11, 9, 6");
    snprintf(late, sizeof late, SHORT_DAY, "11:00", "150.0, 110.0, 80.0", "11, 9, 6");
    struct model_spec a, b;
    struct sim_state st;
    if (!CHECK(load_text(full, &a) == 0 && load_text(late, &b) == 0, "both days load")) return;
    if (!CHECK(load_state("states = ( { time = \"11:00\"; } );\n", &a, &st) == 0,
               "an empty state at 11:00 loads"))
        return;
    struct sim_hooks hooks = {.state = &st};
    struct results *ra = sim_run(&a, &hooks), *rb = sim_run(&b, NULL);
    const int counts[] = {MET_ARRIVED, MET_OFFERED, MET_HANDLED, MET_ABANDONED};
    const int times[] = {MET_ASA, MET_WAIT_MEAN, MET_SL, MET_OCCUPANCY};
    int count_diff = 0, time_diff = 0, before = 0;
    for (int rep = 0; rep < a.replications; rep++)
        for (int i = 0; i < 3; i++) {
            int sa = results_interval_scope(&a, 3 + i, 0), sb = results_interval_scope(&b, i, 0);
            for (int k = 0; k < 4; k++) {
                count_diff += value(ra, rep, sa, counts[k]) != value(rb, rep, sb, counts[k]);
                double x = value(ra, rep, sa, times[k]), y = value(rb, rep, sb, times[k]);
                time_diff += !(fabs(x - y) <= 1e-9 * fabs(y));
            }
            before += value(ra, rep, results_interval_scope(&a, i, 0), MET_ARRIVED) != 0;
        }
    for (int rep = 0; rep < a.replications; rep++) {
        count_diff += value(ra, rep, 1, MET_HANDLED) != value(rb, rep, 1, MET_HANDLED);
        double x = value(ra, rep, 0, MET_OCCUPANCY), y = value(rb, rep, 0, MET_OCCUPANCY);
        time_diff += !(fabs(x - y) <= 1e-9 * y);
    }
    char desc[200];
    snprintf(desc, sizeof desc, "empty state at 11:00 = a day opening at 11:00: %d counts differ",
             count_diff);
    CHECK(count_diff == 0, desc);
    snprintf(desc, sizeof desc, "... and %d waits, service levels, occupancies differ beyond 1e-9",
             time_diff);
    CHECK(time_diff == 0, desc);
    CHECK(before == 0, "nothing happens before the state's time");
    results_free(ra);
    results_free(rb);
    state_free(&st);
    model_spec_free(&a);
    model_spec_free(&b);
}

/* ==== 2. A long queue at 11:00 drains ==== */

#define QUEUE_DAY                                                                                  \
    "mode = \"day\"; seed = 7; replications = %d;\n"                                              \
    "day = { start = \"08:00\"; end = \"15:00\"; interval_min = 60; };\n"                         \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 100.0;\n"                               \
    "  service = { dist = \"exponential\"; mean_s = 180.0; };\n"                                  \
    "  patience = { dist = \"exponential\"; mean_s = 900.0; }; } );\n"                            \
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 8; } );\n"

static void test_draining(int quick)
{
    int reps = quick ? 4 : 40;
    char text[2048];
    snprintf(text, sizeof text, QUEUE_DAY, reps);
    struct model_spec m;
    struct sim_state st;
    if (!CHECK(load_text(text, &m) == 0, "queue day loads")) return;
    if (!CHECK(load_state("states = ( { time = \"11:00\"; contacts = (\n"
                          "  { kind = \"waiting\"; channel = \"voice\"; waited_s = 300.0; count = 60; } ); } );\n",
                          &m, &st) == 0,
               "a state with 60 waiting loads"))
        return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.state = &st, .log = log};
    struct results *r = sim_run(&m, &hooks), *plain = sim_run(&m, NULL);
    /* The state's contacts joined at 10:55: their waits run from then. */
    int n = 0, short_wait = 0, ended = 0;
    char line[2048];
    char *f[40];
    rewind(log);
    while (fgets(line, sizeof line, log))
        if (testlib_fields(line, f, 40) >= 23 && atof(f[6]) == T_11 - 300) {
            n++;
            double w = atof(f[9]);
            if (w < 300) short_wait++;
            ended += strcmp(f[15], "handled") == 0 || strcmp(f[15], "abandoned") == 0;
        }
    char desc[200];
    snprintf(desc, sizeof desc, "%d contacts waiting at 11:00, each wait >= its 300 s before", n);
    CHECK(n == 60 * reps && ended == n && short_wait == 0, desc);
    const struct stat_summary *at11 = summary(r, results_interval_scope(&m, 3, 0), MET_ASA);
    const struct stat_summary *at12 = summary(r, results_interval_scope(&m, 4, 0), MET_ASA);
    const struct stat_summary *base = summary(plain, results_interval_scope(&m, 3, 0), MET_ASA);
    double h11 = hypot(at11->ci95, base->ci95), h12 = hypot(at11->ci95, at12->ci95);
    snprintf(desc, sizeof desc,
             "the queue drains: ASA %.0f s at 11:00 (%.0f without the queue), %.0f s at 12:00",
             at11->mean, base->mean, at12->mean);
    CHECK(at11->mean - base->mean > h11 && at11->mean - at12->mean > h12, desc);
    if (!quick) {
        /* Two hours later the center is back where it would have been. */
        const struct stat_summary *x = summary(r, results_interval_scope(&m, 6, 0), MET_ASA);
        const struct stat_summary *y = summary(plain, results_interval_scope(&m, 6, 0), MET_ASA);
        double se = hypot(x->ci95, y->ci95) / stat_t_quantile(0.95, x->n);
        double h = gsl_cdf_ugaussian_Qinv(0.005) * se;
        snprintf(desc, sizeof desc, "14:00 ASA %.2f s within %.2f of the run without the queue (%.2f)",
                 x->mean, h, y->mean);
        CHECK(fabs(x->mean - y->mean) <= h, desc);
    }
    fclose(log);
    results_free(r);
    results_free(plain);
    state_free(&st);
    model_spec_free(&m);
}

/* ==== 3. Remaining times given the time spent ==== */

/* Mean and standard error of (end - T) over the rows the filter picks. */
struct sample {
    double sum, sum2;
    int n, bad;
};

static void sample_add(struct sample *s, double x)
{
    s->sum += x;
    s->sum2 += x * x;
    s->n++;
}

static void check_mean(const char *what, const struct sample *s, double exact)
{
    double mean = s->sum / s->n, sd = sqrt((s->sum2 - s->n * mean * mean) / (s->n - 1));
    double h = gsl_cdf_ugaussian_Qinv(0.005 / 2) * sd / sqrt(s->n);
    char desc[200];
    snprintf(desc, sizeof desc, "%s: mean %.2f s within %.2f of %.2f (n = %d)", what, mean, h, exact,
             s->n);
    CHECK(s->n > 500 && s->bad == 0 && fabs(mean - exact) <= h, desc);
}

static void test_remaining(int quick)
{
    int reps = quick ? 20 : 200;
    char text[2048];
    /* The 40 agents are all busy with the state's contacts, and no one else arrives. */
    snprintf(text, sizeof text,
             "mode = \"day\"; seed = 3; replications = %d;\n"
             "day = { start = \"08:00\"; end = \"14:00\"; interval_min = 60; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = [ 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 ];\n"
             "  service = { dist = \"lognormal\"; mean_s = 200.0; cv = 1.0; };\n"
             "  patience = { dist = \"exponential\"; mean_s = 100.0; }; } );\n"
             "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = [ 0, 0, 0, 40, 0, 0 ]; } );\n",
             reps);
    struct model_spec m;
    struct sim_state st;
    if (!CHECK(load_text(text, &m) == 0, "remaining-time day loads")) return;
    if (!CHECK(load_state("states = ( { time = \"11:00\"; contacts = (\n"
                          "  { kind = \"in_service\"; group = \"team\"; channel = \"voice\"; elapsed_s = 300.0; count = 40; } ); } );\n",
                          &m, &st) == 0,
               "a state with contacts in service loads"))
        return;
    FILE *trace = tmpfile();
    struct sim_hooks hooks = {.state = &st, .log = trace};
    struct results *r = sim_run(&m, &hooks);
    struct sample service = {0, 0, 0, 0};
    char line[2048];
    char *f[40];
    rewind(trace);
    while (fgets(line, sizeof line, trace)) {
        if (testlib_fields(line, f, 40) < 23) continue;
        double queued = atof(f[6]), end = atof(f[12]);
        if (queued == T_11 && strcmp(f[15], "handled") == 0) {
            sample_add(&service, end - T_11);
            /* Its handle time is the remainder (to the rounding of T + remainder - T). */
            service.bad += fabs(atof(f[10]) - (end - T_11)) > 1e-9 * T_11;
        }
    }
    /* E[X - 300 | X > 300] for a lognormal of mean 200 and cv 1. */
    double s2 = log(2.0), mu = log(200.0) - s2 / 2, s = sqrt(s2), e = 300;
    double exact = exp(mu + s2 / 2) * gsl_cdf_ugaussian_P((mu + s2 - log(e)) / s) /
                       gsl_cdf_ugaussian_P((mu - log(e)) / s) - e;
    check_mean("lognormal handle time after 300 s in service: remaining", &service, exact);
    /* Remaining patience on a day without agents, where every waiting contact abandons. */
    results_free(r);
    fclose(trace);
    state_free(&st);
    model_spec_free(&m);
    snprintf(text, sizeof text,
             "mode = \"day\"; seed = 4; replications = %d;\n"
             "day = { start = \"08:00\"; end = \"14:00\"; interval_min = 60; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = 0.0;\n"
             "  service = { dist = \"exponential\"; mean_s = 200.0; };\n"
             "  patience = { dist = \"exponential\"; mean_s = 100.0; }; } );\n"
             "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 0; } );\n",
             reps);
    if (!CHECK(load_text(text, &m) == 0, "a day without agents loads")) return;
    if (!CHECK(load_state("states = ( { time = \"11:00\"; contacts = (\n"
                          "  { kind = \"waiting\"; channel = \"voice\"; waited_s = 200.0; count = 30; } ); } );\n",
                          &m, &st) == 0,
               "a state with waiting contacts loads"))
        return;
    trace = tmpfile();
    hooks.state = &st;
    hooks.log = trace;
    r = sim_run(&m, &hooks);
    struct sample patience = {0, 0, 0, 0};
    rewind(trace);
    while (fgets(line, sizeof line, trace)) {
        if (testlib_fields(line, f, 40) < 23 || strcmp(f[15], "abandoned") != 0) continue;
        double end = atof(f[12]);
        sample_add(&patience, end - T_11);
        patience.bad += atof(f[9]) != end - (T_11 - 200); /* the wait includes the 200 s */
    }
    check_mean("exponential patience after 200 s waited: remaining", &patience, 100);
    results_free(r);
    fclose(trace);
    state_free(&st);
    model_spec_free(&m);
}

/* ==== 4. Dump at 11:00, restart from it ==== */

#define RESTART_DAY                                                                                \
    "mode = \"day\"; seed = 11; replications = %d;\n"                                             \
    "day = { start = \"08:00\"; end = \"16:00\"; interval_min = 60; };\n"                         \
    "journeys = { retrial = { probability = 0.6; delay = { dist = \"exponential\"; mean_s = 600.0; };\n" \
    "               max_attempts = 3; };\n"                                                       \
    "  repeat = { delay = { dist = \"exponential\"; mean_s = 3600.0; }; max_repeats = 1; }; };\n" \
    "channels = ( { name = \"voice\"; arrivals_per_hour = [ 60.0, 100.0, 140.0, 150.0, 120.0, 100.0, 80.0, 60.0 ];\n" \
    "    service = { dist = \"lognormal\"; mean_s = 240.0; cv = 0.8; }; fcr = 0.8;\n"              \
    "    patience = { dist = \"weibull\"; mean_s = 180.0; shape = 1.5; };\n"                      \
    "    callback = { offer_above_s = 120.0; accept = 0.4; reach = 0.8; }; },\n"                  \
    "  { name = \"email\"; kind = \"email\"; arrivals_per_hour = 30.0;\n"                         \
    "    service = { dist = \"gamma\"; mean_s = 400.0; cv = 0.7; }; },\n"                         \
    "  { name = \"chat\"; kind = \"chat\"; arrivals_per_hour = 40.0;\n"                           \
    "    service = { dist = \"exponential\"; mean_s = 300.0; };\n"                                \
    "    patience = { dist = \"exponential\"; mean_s = 200.0; };\n"                               \
    "    self_service = { time = { dist = \"exponential\"; mean_s = 60.0; }; success = 0.3; }; },\n" \
    "  { name = \"whatsapp\"; kind = \"messaging\"; arrivals_per_hour = 20.0;\n"                 \
    "    service = { dist = \"exponential\"; mean_s = 60.0; };\n"                                 \
    "    exchanges = { dist = \"uniform\"; min_s = 1.0; max_s = 4.0; };\n"                        \
    "    reply_delay = { dist = \"exponential\"; mean_s = 180.0; }; } );\n"                       \
    "groups = ( { name = \"phone team\"; skills = [ \"voice\", \"email\" ]; agents = [ 5, 8, 10, 10, 9, 8, 7, 5 ];\n" \
    "             absenteeism = 0.1; shrinkage = 0.1; shrinkage_period_min = 15; },\n"          \
    "           { name = \"web\"; skills = ( { skill = \"chat\"; proficiency = 1.3; }, \"whatsapp\" );\n" \
    "             concurrency = 2; slowdown = [ 1.0, 1.2 ]; agents = 4; } );\n"

static void test_restart(int quick)
{
    int reps = quick ? 4 : 60;
    char text[4096];
    snprintf(text, sizeof text, RESTART_DAY, reps);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "restart day loads")) return;
    FILE *dump = fopen("build/test_state.dump", "w");
    SIM_ENSURE(dump != NULL);
    struct sim_hooks hooks = {.dump = dump, .dump_at_s = T_11};
    state_write_begin(dump, "restart day", T_11, &m);
    struct results *whole = sim_run(&m, &hooks);
    state_write_end(dump);
    fclose(dump);
    struct sim_state st;
    struct diag d;
    diag_init(&d);
    int rc = state_load("build/test_state.dump", &m, &st, &d);
    diag_print(&d, stdout);
    diag_fini(&d);
    if (!CHECK(rc == 0 && st.n == reps, "the dump holds one state per replication and reads back"))
        return;
    int waiting = 0, others = 0;
    for (int i = 0; i < st.n; i++)
        for (int k = 0; k < st.snaps[i].n; k++) {
            waiting += st.snaps[i].contacts[k].kind == ST_WAITING;
            others += st.snaps[i].contacts[k].kind != ST_WAITING;
        }
    CHECK(waiting > 0 && others > 0, "the dumped states hold waiting and other contacts");
    struct sim_hooks from = {.state = &st};
    struct results *again = sim_run(&m, &from);
    /* The intervals after 11:00's (12:00 on): each metric's two means within their combined
     * interval, Bonferroni over the comparisons. */
    const int met[] = {MET_OFFERED, MET_HANDLED, MET_ABANDONED, MET_ASA};
    const int gmet[] = {MET_OCCUPANCY, MET_STAFFED_AGENTS};
    int n_cmp = 0, bad = 0;
    /* Groups: time-based, so comparable from the state's own interval (11:00) on: the agents
     * busy with the state's contacts, their remaining handle times, absence and shrinkage. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 3; i < m.n_intervals; i++)
            for (int g = 0; g < m.n_groups; g++)
                for (int k = 0; k < 2; k++) {
                    const struct stat_summary *x = summary(whole, results_group_scope(&m, g, 1 + i), gmet[k]);
                    const struct stat_summary *y = summary(again, results_group_scope(&m, g, 1 + i), gmet[k]);
                    if (!isfinite(x->mean) || !isfinite(y->mean) || x->n < 2) continue;
                    if (pass == 0) {
                        n_cmp++;
                        continue;
                    }
                    double se = hypot(x->ci95, y->ci95) / stat_t_quantile(0.95, x->n);
                    double h = gsl_cdf_ugaussian_Qinv(0.01 / n_cmp / 2) * se;
                    if (fabs(x->mean - y->mean) > h && (se > 0 || x->mean != y->mean)) {
                        bad++;
                        printf("    interval %d group %s %s: %.4g vs %.4g (h %.3g)\n", i,
                               m.groups[g].name, metric_names[gmet[k]], x->mean, y->mean, h);
                    }
                }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 4; i < m.n_intervals; i++)
            for (int c = 0; c <= m.n_channels; c++)
                for (int k = 0; k < 4; k++) {
                    if (c < m.n_channels && !metric_applies(met[k], m.channels[c].kind, 1)) continue;
                    const struct stat_summary *x = summary(whole, results_interval_scope(&m, i, c), met[k]);
                    const struct stat_summary *y = summary(again, results_interval_scope(&m, i, c), met[k]);
                    if (!isfinite(x->mean) || !isfinite(y->mean) || x->n < 2) continue;
                    if (pass == 0) {
                        n_cmp++;
                        continue;
                    }
                    double se = hypot(x->ci95, y->ci95) / stat_t_quantile(0.95, x->n);
                    double h = gsl_cdf_ugaussian_Qinv(0.01 / n_cmp / 2) * se;
                    if (fabs(x->mean - y->mean) > h) {
                        bad++;
                        printf("    interval %d %s %s: %.4g vs %.4g (h %.3g)\n", i,
                               c < m.n_channels ? m.channels[c].name : "total",
                               metric_names[met[k]], x->mean, y->mean, h);
                    }
                }
    char desc[200];
    snprintf(desc, sizeof desc,
             "restarted from its own 11:00 dump: %d of %d interval metrics (groups from 11:00, "
             "channels from 12:00) outside their combined CI",
             bad, n_cmp);
    CHECK(quick || (n_cmp > 20 && bad == 0), desc);
    results_free(whole);
    results_free(again);
    state_free(&st);
    model_spec_free(&m);
}

int main(void)
{
    int quick = check_quick();
    test_empty_state();
    test_draining(quick);
    test_remaining(quick);
    test_restart(quick);
    return check_summary();
}
