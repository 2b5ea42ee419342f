/* test_segments: arrivals, segments, self-service, balking and blocking.
 *
 * Statistical checks (one Bonferroni family, alpha = 1 %, fixed seeds):
 *   - self-service with success p, every failure escalating, no time in front and factors 1: the
 *     assisted queue is Erlang A at arrival rate (1 - p) lambda;
 *   - busyness with shape k: the daily count has variance L + L^2 / k (and L without busyness),
 *     checked with the asymptotic variance of a sample variance (fourth moment), since the
 *     counts are not normal;
 *   - no waiting places: the blocked fraction is Erlang B;
 *   - segment shares and channel choices reproduce their configured fractions.
 * Exact checks: every arrival is counted once (deflected, gave up, handled, abandoned, balked,
 * blocked, or still in the system) in every replication of a model using all of it. */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "erlang.h"
#include "model.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <string.h>

/* Checks in the family: deflection 6, busyness 4, blocking 1, shares 5, choices 2. */
#define FAMILY 18
static double level(void)
{
    return 1 - 0.01 / FAMILY;
}

/* Loads a config written to a temporary file, as users write them. */
static int load_text(const char *text, struct model_spec *m)
{
    return testlib_load(text, "build/test_segments.cfg", m);
}

/* Mean and Student-t half-width at the family level of per-replication values v[0..n). */
static void interval(const double *v, int n, double *mean, double *half)
{
    struct stat_summary s = stat_summarize(v, (size_t)n, 1);
    *mean = s.mean;
    *half = s.ci95 / stat_t_quantile(0.95, s.n) * stat_t_quantile(level(), s.n);
}

static void check_in(const char *what, double got_mean, double half, double exact)
{
    char desc[240];
    snprintf(desc, sizeof desc, "%s: %.6g within %.3g of %.6g", what, got_mean, half, exact);
    CHECK(fabs(got_mean - exact) <= half, desc);
}

/* ==== 1. Self-service in front of Erlang A ==== */

static void test_deflection(int quick)
{
    const double p = 0.35, lambda_h = 2400, aht = 180, patience = 240;
    const int agents = 80;
    char text[2048];
    snprintf(text, sizeof text,
             "mode = \"steady\"; seed = 31; replications = %d;\n"
             "steady = { contacts = %d; warmup_contacts = %d; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = %g;\n"
             "  service = { dist = \"exponential\"; mean_s = %g; };\n"
             "  patience = { dist = \"exponential\"; mean_s = %g; };\n"
             "  self_service = { label = \"ivr\"; policy = \"forced\"; success = %g;\n"
             "    time = { dist = \"deterministic\"; mean_s = 0.0; }; }; } );\n"
             "groups = ( { name = \"agents\"; skills = [ \"voice\" ]; agents = %d; } );\n",
             quick ? 3 : 40, quick ? 20000 : 1500000, quick ? 2000 : 150000, lambda_h, aht,
             patience, p, agents);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "self-service model loads")) return;
    struct results *r = sim_run(&m, NULL);
    struct erlang_input in = {(1 - p) * lambda_h / 3600, aht, agents, patience, 20};
    struct erlang_metrics e;
    erlang_a(&in, &e);
    const struct stat_summary *s = &r->summary[MET_N]; /* the channel */
    CHECK(s[MET_ESCALATED].mean + s[MET_DEFLECTED].mean == s[MET_ARRIVED].mean,
          "every arrival is deflected or escalated (no time in front, escalate 1)");
    if (!quick) {
        struct {
            int metric;
            double exact;
        } want[] = {{MET_P_WAIT, e.p_wait}, {MET_ABANDON_RATE, e.p_abandon},
                    {MET_ASA, e.asa_s}, {MET_WAIT_MEAN, e.wait_mean_s},
                    {MET_SL, e.service_level}};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            double half = s[want[i].metric].ci95 / stat_t_quantile(0.95, s[want[i].metric].n) *
                          stat_t_quantile(level(), s[want[i].metric].n);
            char what[160];
            snprintf(what, sizeof what, "deflection p=%.2f: %s against Erlang A at (1-p) lambda", p,
                     metric_names[want[i].metric]);
            check_in(what, s[want[i].metric].mean, half, want[i].exact);
            snprintf(what, sizeof what, "deflection: %s half-width %.3g%% (<= 2%%)",
                     metric_names[want[i].metric], 100 * half / want[i].exact);
            CHECK(half <= 0.02 * want[i].exact, what);
        }
        double frac[40], mean, half;
        for (int k = 0; k < m.replications; k++)
            frac[k] = *results_value(r, k, 1, MET_DEFLECTED) / *results_value(r, k, 1, MET_ARRIVED);
        interval(frac, m.replications, &mean, &half);
        check_in("deflected fraction against the success probability", mean, half, p);
    }
    results_free(r);
    model_spec_free(&m);
}

/* ==== 2. Every arrival counted exactly once ==== */

static const char *everything =
    "mode = \"day\"; seed = 8; replications = 6;\n"
    "day = { start = \"08:00\"; end = \"12:00\"; interval_min = 30; days = 2; };\n"
    "demand = { arrivals_per_hour = 400.0; };\n"
    "busyness = ( { name = \"all\"; shape = 15.0; } );\n"
    "segments = (\n"
    "  { name = \"young\"; share = 0.4; self_service = true; value = 80.0;\n"
    "    channel_choice = { voice = 0.2; chat = 0.5; email = 0.3; };\n"
    "    patience = { chat = { dist = \"exponential\"; mean_s = 40.0; }; }; },\n"
    "  { name = \"classic\"; share = 0.6; self_service = false; value = 200.0;\n"
    "    channel_choice = { voice = 0.8; chat = 0.05; email = 0.15; }; } );\n"
    "channels = (\n"
    "  { name = \"voice\"; sl_seconds = 20; cost_per_contact = 1.5; cost_per_minute = 0.8;\n"
    "    service = { dist = \"lognormal\"; mean_s = 240.0; cv = 0.8; };\n"
    "    patience = { dist = \"exponential\"; mean_s = 120.0; };\n"
    "    balking = { model = \"exponential\"; scale_s = 300.0; }; max_lines = 16;\n"
    "    self_service = { label = \"ivr\"; policy = \"forced\"; success = 0.2; escalate = 0.7;\n"
    "      frustration = 0.8; uplift = 1.2;\n"
    "      time = { dist = \"uniform\"; min_s = 20.0; max_s = 90.0; }; }; },\n"
    "  { name = \"chat\"; kind = \"chat\"; max_waiting = 5;\n"
    "    service = { dist = \"exponential\"; mean_s = 400.0; };\n"
    "    patience = { dist = \"exponential\"; mean_s = 200.0; };\n"
    "    self_service = { label = \"bot\"; policy = \"optional\"; success = 0.4;\n"
    "      success_by_segment = { young = 0.5; }; escalate = 0.9; escalate_to = \"voice\";\n"
    "      time = { dist = \"exponential\"; mean_s = 60.0; }; }; },\n"
    "  { name = \"email\"; kind = \"email\"; due_s = 7200.0;\n"
    "    service = { dist = \"exponential\"; mean_s = 300.0; }; } );\n"
    "groups = (\n"
    "  { name = \"phones\"; skills = [ \"voice\" ]; agents = 12; },\n"
    "  { name = \"digital\"; skills = [ \"chat\", \"email\" ]; agents = 4; concurrency = 2; } );\n";

static void test_identity(void)
{
    struct model_spec m;
    if (!CHECK(load_text(everything, &m) == 0, "the everything model loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    double seen[MET_N] = {0};
    for (int k = 0; k < m.replications; k++) {
        double sum[MET_N] = {0};
        for (int c = 0; c < m.n_channels; c++)
            for (int met = 0; met < MET_N; met++) {
                double v = *results_value(r, k, 1 + c, met);
                if (isfinite(v)) sum[met] += v;
            }
        double placed = sum[MET_DEFLECTED] + sum[MET_GAVE_UP_SS] + sum[MET_HANDLED] +
                        sum[MET_ABANDONED] + sum[MET_BALKED] + sum[MET_BLOCKED] +
                        sum[MET_BACKLOG_END];
        char desc[200];
        snprintf(desc, sizeof desc, "rep %d: %g arrivals = %g placed exactly once", k,
                 sum[MET_ARRIVED], placed);
        CHECK(sum[MET_ARRIVED] == placed, desc);
        for (int met = 0; met < MET_N; met++)
            seen[met] += sum[met];
        double seg_arrived = 0;
        for (int s = 0; s < m.n_segments; s++)
            seg_arrived += *results_value(r, k, results_segment_scope(&m, s), MET_ARRIVED);
        snprintf(desc, sizeof desc, "rep %d: the segments' arrivals add up to the channels'", k);
        CHECK(seg_arrived == sum[MET_ARRIVED], desc);
    }
    /* Voice cost = 1.5 per handled call + 0.8 per minute of agent work (handle and wrap-up), from
     * the call log, replication by replication. */
    double minutes[8] = {0};
    rewind(log);
    char row[1024];
    if (fgets(row, sizeof row, log) == NULL) row[0] = '\0';
    while (fgets(row, sizeof row, log)) {
        char *f[20];
        int nf = testlib_fields(row, f, 20);
        if (nf < 16 || strcmp(f[4], "voice") != 0 || strcmp(f[15], "handled") != 0) continue;
        minutes[atoi(f[0])] += (atof(f[10]) + atof(f[11])) / 60;
    }
    for (int k = 0; k < m.replications; k++) {
        char desc[200];
        double want = 1.5 * *results_value(r, k, 1, MET_HANDLED) + 0.8 * minutes[k];
        snprintf(desc, sizeof desc, "rep %d: voice cost = 1.5 x handled + 0.8 x agent minutes", k);
        CHECK_NEAR(*results_value(r, k, 1, MET_COST), want, 1e-9, desc);
    }
    CHECK(seen[MET_DEFLECTED] > 0 && seen[MET_GAVE_UP_SS] > 0 && seen[MET_BALKED] > 0 &&
              seen[MET_BLOCKED] > 0 && seen[MET_ABANDONED] > 0 && seen[MET_ESCALATED] > 0 &&
              seen[MET_BACKLOG_END] > 0,
          "the identity test meets every kind of ending");
    /* The log has one row per counted arrival, whatever its ending. */
    rewind(log);
    char line[1024];
    long rows = -1;
    while (fgets(line, sizeof line, log))
        rows++;
    fclose(log);
    double arrived = 0, backlog = 0;
    for (int k = 0; k < m.replications; k++) {
        arrived += *results_value(r, k, 0, MET_ARRIVED);
        backlog += *results_value(r, k, 0, MET_IN_SYSTEM_END);
    }
    CHECK_INT(rows, (long)(arrived - backlog), "call log: one row per finished arrival");
    results_free(r);
    model_spec_free(&m);
}

/* ==== 3. Busyness: Poisson-gamma daily counts ==== */

static void test_busyness(int quick)
{
    for (int with = 0; with <= 1; with++) {
        const double per_hour = 250, k = 8;
        int reps = quick ? 40 : 6000;
        char text[1024];
        snprintf(text, sizeof text,
                 "mode = \"day\"; seed = %d; replications = %d;\n"
                 "day = { start = \"09:00\"; end = \"10:00\"; interval_min = 60; };\n"
                 "%s"
                 "channels = ( { name = \"voice\"; arrivals_per_hour = %g;\n"
                 "  service = { dist = \"exponential\"; mean_s = 1.0; }; } );\n"
                 "groups = ( { name = \"agents\"; skills = [ \"voice\" ]; agents = 10; } );\n",
                 5 + with, reps, with ? "busyness = ( { shape = 8.0; } );\n" : "", per_hour);
        struct model_spec m;
        if (!CHECK(load_text(text, &m) == 0, "busyness model loads")) return;
        struct results *r = sim_run(&m, NULL);
        double *n = xcalloc((size_t)reps, sizeof *n);
        for (int i = 0; i < reps; i++)
            n[i] = *results_value(r, i, 0, MET_ARRIVED);
        double mean = 0, m2 = 0, m4 = 0;
        for (int i = 0; i < reps; i++)
            mean += n[i] / reps;
        for (int i = 0; i < reps; i++) {
            double d = n[i] - mean;
            m2 += d * d / reps;
            m4 += d * d * d * d / reps;
        }
        double s2 = m2 * reps / (reps - 1);
        double want = per_hour + (with ? per_hour * per_hour / k : 0);
        /* Var(S^2) ~ (mu4 - sigma^4 (n - 3) / (n - 1)) / n, moments estimated from the sample. */
        double var_s2 = (m4 - s2 * s2 * (reps - 3.0) / (reps - 1.0)) / reps;
        double z = gsl_cdf_ugaussian_Pinv(1 - (1 - level()) / 2);
        char what[160];
        if (!quick) {
            snprintf(what, sizeof what, "%s: variance of the daily count, L %s",
                     with ? "busyness k=8" : "no busyness", with ? "+ L^2/k" : "(Poisson)");
            check_in(what, s2, z * sqrt(var_s2), want);
            snprintf(what, sizeof what, "%s: mean daily count", with ? "busyness k=8" : "no busyness");
            check_in(what, mean, z * sqrt(s2 / reps), per_hour);
        } else {
            CHECK(s2 > 0, "busyness (quick): counts vary");
        }
        free(n);
        results_free(r);
        model_spec_free(&m);
    }
}

/* ==== 4. Blocking: Erlang B ==== */

static void test_blocking(int quick)
{
    const int agents = 12;
    const double load = 10;
    char text[1024];
    snprintf(text, sizeof text,
             "mode = \"steady\"; seed = 77; replications = %d;\n"
             "steady = { contacts = %d; warmup_contacts = 1000; };\n"
             "channels = ( { name = \"lines\"; arrivals_per_hour = %g; max_waiting = 0;\n"
             "  service = { dist = \"exponential\"; mean_s = 200.0; }; } );\n"
             "groups = ( { name = \"agents\"; skills = [ \"lines\" ]; agents = %d; } );\n",
             quick ? 3 : 30, quick ? 20000 : 400000, load / 200 * 3600, agents);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "blocking model loads")) return;
    struct results *r = sim_run(&m, NULL);
    double frac[30];
    for (int k = 0; k < m.replications; k++)
        frac[k] = *results_value(r, k, 1, MET_BLOCKED) / *results_value(r, k, 1, MET_OFFERED);
    double mean, half;
    interval(frac, m.replications, &mean, &half);
    if (!quick) {
        check_in("no waiting places: blocked fraction against Erlang B(12, 10)", mean, half,
                 erlang_b(agents, load));
    }
    CHECK(r->summary[MET_N + MET_P_WAIT].mean == 0, "no waiting places: no one queues");
    CHECK(r->summary[MET_N + MET_ABANDONED].mean == 0, "no one waits, so no one abandons");
    results_free(r);
    model_spec_free(&m);
}

/* ==== 5. Segment shares and channel choices ==== */

static void test_shares(int quick)
{
    const char *text =
        "mode = \"steady\"; seed = 12; replications = 30;\n"
        "steady = { contacts = 60000; };\n"
        "demand = { arrivals_per_hour = 600.0; };\n"
        "segments = (\n"
        "  { name = \"a\"; share = 0.5; channel_choice = { voice = 0.7; chat = 0.3; }; },\n"
        "  { name = \"b\"; share = 0.3; channel_choice = { voice = 0.1; chat = 0.9; }; },\n"
        "  { name = \"c\"; share = 0.2; channel_choice = { voice = 1.0; chat = 0.0; }; } );\n"
        "channels = (\n"
        "  { name = \"voice\"; service = { dist = \"exponential\"; mean_s = 100.0; }; },\n"
        "  { name = \"chat\"; kind = \"chat\"; service = { dist = \"exponential\"; mean_s = 100.0; }; } );\n"
        "groups = ( { name = \"all\"; skills = [ \"voice\", \"chat\" ]; agents = 30; concurrency = 2; } );\n";
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "shares model loads")) return;
    if (quick) m.replications = 3;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    /* Channel choice within each segment, from the log's segment and arrival channel. */
    double on_voice[3][30] = {{0}}, arrived[3][30] = {{0}};
    rewind(log);
    char row[1024];
    if (fgets(row, sizeof row, log) == NULL) row[0] = '\0';
    while (fgets(row, sizeof row, log)) {
        char *f[20];
        int nf = testlib_fields(row, f, 20);
        if (nf < 18) continue;
        int rep = atoi(f[0]), sg = f[3][0] - 'a';
        if (rep >= 30 || sg < 0 || sg > 2) continue;
        arrived[sg][rep]++;
        if (strcmp(f[16], "voice") == 0) on_voice[sg][rep]++;
    }
    fclose(log);
    const double choice[] = {0.7, 0.1, 1.0};
    for (int sg = 0; sg < 3 && !quick; sg++) {
        double v[30], mv, hv;
        for (int k = 0; k < m.replications; k++)
            v[k] = on_voice[sg][k] / arrived[sg][k];
        char what[120];
        snprintf(what, sizeof what, "segment %c chooses voice with probability %.1f", 'a' + sg,
                 choice[sg]);
        if (sg == 2) {
            interval(v, m.replications, &mv, &hv);
            CHECK(mv == 1, what); /* a choice of 1 is exact */
        } else {
            interval(v, m.replications, &mv, &hv);
            check_in(what, mv, hv, choice[sg]);
        }
    }
    const double share[] = {0.5, 0.3, 0.2};
    const double voice = 0.5 * 0.7 + 0.3 * 0.1 + 0.2 * 1.0;
    double frac[30], mean, half;
    for (int s = 0; s < 3 && !quick; s++) {
        for (int k = 0; k < m.replications; k++)
            frac[k] = *results_value(r, k, results_segment_scope(&m, s), MET_ARRIVED) /
                      *results_value(r, k, 0, MET_ARRIVED);
        interval(frac, m.replications, &mean, &half);
        char what[100];
        snprintf(what, sizeof what, "segment %s's share of arrivals", m.segments[s].name);
        check_in(what, mean, half, share[s]);
    }
    for (int c = 0; c < 2 && !quick; c++) {
        for (int k = 0; k < m.replications; k++)
            frac[k] = *results_value(r, k, 1 + c, MET_ARRIVED) / *results_value(r, k, 0, MET_ARRIVED);
        interval(frac, m.replications, &mean, &half);
        char what[100];
        snprintf(what, sizeof what, "channel %s's share of arrivals (choices x shares)",
                 m.channels[c].name);
        check_in(what, mean, half, c == 0 ? voice : 1 - voice);
    }
    CHECK(r->summary[results_segment_scope(&m, 2) * MET_N + MET_ARRIVED].mean > 0,
          "every segment arrives");
    results_free(r);
    model_spec_free(&m);
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    int quick = check_quick();
    test_deflection(quick);
    test_identity();
    test_busyness(quick);
    test_blocking(quick);
    test_shares(quick);
    return check_summary();
}
