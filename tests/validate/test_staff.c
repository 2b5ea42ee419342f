/* test_staff: the sim staffing method on a small day.  With its answer every interval meets
 * its targets at the unfavourable end of the 95 % interval; with one agent fewer in any one
 * interval, some target fails (checked by simulating each such day, on the same replications). */
#include "check.h"
#include "erlang.h"
#include "stats.h"
#include "testlib.h"
#include "conf.h"
#include "model.h"
#include "staffing.h"
#include "util.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
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

/* Steady single queues: where the exact service level at the erlang answer N clears the
 * target, and at N - 1 misses it, by more than two of the simulation's half-widths (Bonferroni
 * over the cases), --method sim gives N too. */
static void test_steady(int quick)
{
    static const double cases[][4] = {{200, 180, 300, 0.8},  {1900, 180, 300, 0.8}, {50, 300, 120, 0.9},
                                      {600, 240, 600, 0.7},  {200, 180, 0, 0.8},    {900, 180, 0, 0.8},
                                      {50, 300, 0, 0.9},     {1200, 420, 0, 0.95}};
    int n_cases = 8, decisive = 0, equal = 0;
    double z = gsl_cdf_ugaussian_Qinv(0.05 / (2.0 * n_cases));
    for (int c = 0; c < n_cases; c++) {
        char text[1024];
        double rate = cases[c][0], aht = cases[c][1], patience = cases[c][2], target = cases[c][3];
        snprintf(text, sizeof text,
                 "arrivals_per_hour = %g; aht_s = %g; agents = 1; abandonment = %s; %s%g; "
                 "contacts = %d; warmup_contacts = %d; replications = %d; seed = %d;\n",
                 rate, aht, patience > 0 ? "true" : "false", patience > 0 ? "patience_s = " : "sl_seconds = ",
                 patience > 0 ? patience : 20.0, quick ? 20000 : 100000, quick ? 2000 : 10000,
                 quick ? 4 : 10, 40 + c);
        struct model_spec m;
        if (!CHECK(testlib_load(text, "build/test_staff_steady.cfg", &m) == 0, "a steady case loads"))
            continue;
        struct staff_target t;
        char why[300];
        staff_parse_target("voice:sl=0.8@20s", &m, &t, why, sizeof why);
        t.value = target;
        int erlang = 0, sim = 0, simulations = 0;
        staff_erlang(&m, &t, 1, &erlang, why, sizeof why);
        /* The simulation's half-width at N, and the exact service levels at N and N - 1. */
        m.groups[0].agents[0] = erlang;
        struct results *r = sim_run(&m, NULL);
        const struct stat_summary *s = &r->summary[1 * MET_N + MET_SL];
        double h = s->ci95 / stat_t_quantile(0.95, s->n) * z;
        results_free(r);
        struct erlang_input in = {rate / 3600, aht, erlang, patience, 20};
        struct erlang_metrics at, below;
        int ok = patience > 0 ? erlang_a(&in, &at) : erlang_c(&in, &at);
        in.agents = erlang - 1;
        int stable = patience > 0 ? erlang_a(&in, &below) == 0 : erlang_c(&in, &below) == 0;
        double miss = stable ? target - below.service_level : 1;
        staff_sim(&m, &t, 1, &sim, NULL, &simulations, why, sizeof why);
        char desc[300];
        if (ok == 0 && at.service_level - target > 2 * h && miss > 2 * h) {
            decisive++;
            equal += sim == erlang;
            snprintf(desc, sizeof desc,
                     "%g/h, AHT %g s, %s, SL %g: sim %d = erlang %d (exact SL %.4f at N, %.4f at N - 1, "
                     "2h = %.4f)",
                     rate, aht, patience > 0 ? "Erlang A" : "Erlang C", target, sim, erlang,
                     at.service_level, stable ? below.service_level : 0.0, 2 * h);
            CHECK(sim == erlang, desc);
        } else {
            printf("    %g/h, AHT %g s: not decisive (exact SL %.4f at N = %d, 2h = %.4f); sim %d\n",
                   rate, aht, at.service_level, erlang, 2 * h, sim);
        }
        model_spec_free(&m);
    }
    char desc[200];
    snprintf(desc, sizeof desc, "steady: %d of %d cases decisive, sim equal to erlang in %d", decisive,
             n_cases, equal);
    CHECK(decisive >= 3 && equal == decisive, desc);
}

/* Two skills on one day: dedicated teams against one cross-skilled team, each staffed by the
 * sim method for the same targets; the pooled requirement is below the dedicated sum. */
#define TWO_SKILLS                                                                                 \
    "mode = \"day\"; seed = 19; replications = %d;\n"                                            \
    "day = { start = \"08:00\"; end = \"12:00\"; interval_min = 60; };\n"                       \
    "channels = ( { name = \"sales\"; arrivals_per_hour = [ 40.0, 80.0, 90.0, 50.0 ];\n"         \
    "  service = { dist = \"exponential\"; mean_s = 240.0; };\n"                                 \
    "  patience = { dist = \"exponential\"; mean_s = 180.0; }; },\n"                             \
    "  { name = \"support\"; arrivals_per_hour = [ 60.0, 70.0, 100.0, 80.0 ];\n"                \
    "  service = { dist = \"exponential\"; mean_s = 300.0; };\n"                                 \
    "  patience = { dist = \"exponential\"; mean_s = 180.0; }; } );\n%s"

static int staffed_sum(const char *groups, int reps, int *per_interval)
{
    char text[2048];
    snprintf(text, sizeof text, TWO_SKILLS, reps, groups);
    struct model_spec m;
    if (testlib_load(text, "build/test_staff_two.cfg", &m) != 0) return -1;
    struct staff_target t[2];
    char why[300];
    staff_parse_target("sales:sl=0.8@20s", &m, &t[0], why, sizeof why);
    staff_parse_target("support:sl=0.8@20s", &m, &t[1], why, sizeof why);
    int agents[8] = {0}, simulations = 0, total = 0;
    if (staff_sim(&m, t, 2, agents, NULL, &simulations, why, sizeof why) != 0) {
        model_spec_free(&m);
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        per_interval[i] = 0;
        for (int g = 0; g < m.n_groups; g++)
            per_interval[i] += agents[i * m.n_groups + g];
        total += per_interval[i];
    }
    model_spec_free(&m);
    return total;
}

static void test_pooling(int quick)
{
    int reps = quick ? 6 : 20, dedicated[4], pooled[4];
    int d = staffed_sum("groups = ( { name = \"sales team\"; skills = [ \"sales\" ]; agents = 8; },\n"
                        "  { name = \"support team\"; skills = [ \"support\" ]; agents = 8; } );\n",
                        reps, dedicated);
    int p = staffed_sum("groups = ( { name = \"everyone\"; skills = [ \"sales\", \"support\" ];\n"
                        "  agents = 16; } );\n",
                        reps, pooled);
    char desc[300];
    snprintf(desc, sizeof desc,
             "pooling gain: one cross-skilled team needs %d agent-hours (%d %d %d %d), two dedicated "
             "teams %d (%d %d %d %d)",
             p, pooled[0], pooled[1], pooled[2], pooled[3], d, dedicated[0], dedicated[1],
             dedicated[2], dedicated[3]);
    CHECK(d > 0 && p > 0 && p < d, desc);
}

/* A morning whose load rises fast, on a 5-minute grid: the delay probability across the
 * intervals, with the SIPP (erlang) staffing and with the iterative staffing algorithm, both for
 * P(wait) <= 0.2; ISA keeps it flatter.  Spread: the standard deviation over the intervals of
 * their simulated P(wait). */
static double pwait_spread(struct model_spec *m, const int *agents, double *lo, double *hi)
{
    for (int i = 0; i < m->n_intervals; i++)
        m->groups[0].agents[i] = agents[i];
    struct results *r = sim_run(m, NULL);
    double sum = 0, sum2 = 0;
    int n = 0;
    *lo = 1;
    *hi = 0;
    for (int i = 0; i < m->n_intervals; i++) {
        double p = r->summary[results_interval_scope(m, i, 0) * MET_N + MET_P_WAIT].mean;
        if (!isfinite(p)) continue;
        sum += p;
        sum2 += p * p;
        n++;
        if (p < *lo) *lo = p;
        if (p > *hi) *hi = p;
    }
    results_free(r);
    double mean = sum / n;
    return sqrt(fmax(sum2 / n - mean * mean, 0));
}

static void test_isa(int quick)
{
    char text[2048], rates[1024] = "";
    /* 24 five-minute intervals: 120/h rising to 1,500/h within the first hour, then flat. */
    for (int i = 0; i < 24; i++) {
        char one[32];
        double rate = i < 12 ? 120 + (1500 - 120) * i / 11.0 : 1500;
        snprintf(one, sizeof one, "%s%.1f", i ? ", " : "", rate);
        strncat(rates, one, sizeof rates - strlen(rates) - 1);
    }
    snprintf(text, sizeof text,
             "mode = \"day\"; seed = 23; replications = %d;\n"
             "day = { start = \"08:00\"; end = \"10:00\"; interval_min = 5; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = [ %s ];\n"
             "  service = { dist = \"exponential\"; mean_s = 300.0; };\n"
             "  patience = { dist = \"exponential\"; mean_s = 600.0; }; } );\n"
             "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 10; } );\n",
             quick ? 100 : 400, rates);
    struct model_spec m;
    if (!CHECK(testlib_load(text, "build/test_staff_isa.cfg", &m) == 0, "the rising morning loads")) return;
    struct staff_target t;
    char why[300];
    staff_parse_target("voice:wait=0.2", &m, &t, why, sizeof why);
    int sipp[24], isa[24], iterations = 0;
    staff_erlang(&m, &t, 1, sipp, why, sizeof why);
    int rc = staff_isa(&m, &t, 1, isa, NULL, &iterations, why, sizeof why);
    if (!CHECK(rc == 0, "the iterative staffing algorithm runs")) return;
    double slo, shi, ilo, ihi;
    double s_spread = pwait_spread(&m, sipp, &slo, &shi);
    double i_spread = pwait_spread(&m, isa, &ilo, &ihi);
    char desc[400];
    snprintf(desc, sizeof desc,
             "rising load, 5-minute grid: P(wait) spread across the intervals %.4f with ISA "
             "(%.3f to %.3f, %d iterations) against %.4f with SIPP (%.3f to %.3f)",
             i_spread, ilo, ihi, iterations, s_spread, slo, shi);
    CHECK(i_spread < s_spread, desc);
    printf("    SIPP:");
    for (int i = 0; i < 24; i++)
        printf(" %d", sipp[i]);
    printf("\n    ISA: ");
    for (int i = 0; i < 24; i++)
        printf(" %d", isa[i]);
    printf("\n");
    model_spec_free(&m);
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
    test_steady(check_quick());
    test_pooling(check_quick());
    test_isa(check_quick());
    return check_summary();
}
