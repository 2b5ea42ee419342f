/* test_queue_theory: the simulated single queue against exact results.
 *
 * Erlang C (M/M/n), Erlang A (M/M/n+M) and Pollaczek-Khinchine (M/G/1) cases, each run as the
 * general model with one channel and one group.  For every metric the check is: the exact value
 * lies inside the simulation's confidence interval at level 1 - alpha / m, where m is the number
 * of checks in the family (Bonferroni), so a correct engine fails the whole family with
 * probability below alpha = 1 %.  The interval is Student-t over independent replications.  Each
 * interval must also be tight: half-width at most 2 % of the value where the value is >= 0.01,
 * so a check cannot pass merely by being vague.  Seeds are fixed, so the outcome is reproducible.
 *
 * QUICK=1 (make check, under sanitizers) runs every case briefly and checks only conservation
 * and ranges: the precision needs runs too long for an instrumented build. */
#include "check.h"
#include "erlang.h"
#include "model.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <string.h>

#define FAMILY_ALPHA 0.01
#define TIGHT_REL    0.02
#define REPS         40

struct qcase {
    const char *label;
    int agents;
    double load;       /* offered load per agent, lambda * aht / n */
    double aht_s;
    double patience_s; /* 0: no abandonment (Erlang C) */
    enum dist_kind service;
    double service_cv; /* lognormal only */
    long long contacts;
};

/* Erlang C: loads 0.5-0.9, 1-100 agents.  Erlang A: loads 0.5-1.3, 1-500 agents.  Contact
 * counts were sized from a first run so that the worst half-width of each case is about 1-1.5 %
 * at the corrected level, under the 2 % bound with room for the half-width's own noise.  Erlang C
 * near saturation is the expensive part: the relative variance of the mean wait grows like
 * n / (beta^2 C) with beta = sqrt(n) (1 - rho), smallest near beta = 1.1, hence the loads of the
 * 50- and 100-agent cases. */
static const struct qcase cases[] = {
    {"C n=1 rho=0.5", 1, 0.5, 180, 0, DIST_EXPONENTIAL, 0, 300000},
    {"C n=5 rho=0.7", 5, 0.7, 240, 0, DIST_EXPONENTIAL, 0, 800000},
    {"C n=20 rho=0.8", 20, 0.8, 300, 0, DIST_EXPONENTIAL, 0, 2000000},
    {"C n=50 rho=0.85", 50, 0.85, 180, 0, DIST_EXPONENTIAL, 0, 4000000},
    {"C n=100 rho=0.9", 100, 0.9, 180, 0, DIST_EXPONENTIAL, 0, 8500000},
    {"A n=1 rho=1.3", 1, 1.3, 180, 180, DIST_EXPONENTIAL, 0, 200000},
    {"A n=10 rho=0.5", 10, 0.5, 300, 120, DIST_EXPONENTIAL, 0, 1200000},
    {"A n=50 rho=1.0", 50, 1.0, 180, 300, DIST_EXPONENTIAL, 0, 1200000},
    {"A n=100 rho=1.0", 100, 1.0, 180, 600, DIST_EXPONENTIAL, 0, 1200000},
    {"A n=200 rho=1.0", 200, 1.0, 240, 300, DIST_EXPONENTIAL, 0, 2000000},
    {"A n=300 rho=1.2", 300, 1.2, 150, 120, DIST_EXPONENTIAL, 0, 2500000},
    {"A n=500 rho=1.05", 500, 1.05, 180, 180, DIST_EXPONENTIAL, 0, 2000000},
    {"PK M/D/1 rho=0.7", 1, 0.7, 120, 0, DIST_DETERMINISTIC, 0, 300000},
    {"PK M/LN/1 rho=0.6 cv=1.5", 1, 0.6, 120, 0, DIST_LOGNORMAL, 1.5, 1000000},
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

static const int checked[] = {MET_P_WAIT, MET_ABANDON_RATE, MET_ASA, MET_WAIT_MEAN, MET_SL,
                              MET_OCCUPANCY};
#define N_CHECKED ((int)(sizeof checked / sizeof checked[0]))

/* Builds the single-queue model as the general model: one channel, one group. */
static void build(struct model_spec *m, const struct qcase *c, long long contacts, int reps,
                  uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->mode = MODE_STEADY;
    m->n_intervals = 1;
    m->n_days = 1;
    m->contacts = contacts;
    m->warmup_contacts = contacts / 10;
    m->seed = seed;
    m->replications = reps;
    m->n_channels = m->n_groups = 1;
    m->channels = xcalloc(1, sizeof *m->channels);
    m->groups = xcalloc(1, sizeof *m->groups);
    struct channel_spec *ch = &m->channels[0];
    ch->name = xstrdup("voice");
    ch->rate_per_s = xcalloc(1, sizeof(double));
    ch->rate_per_s[0] = c->load * c->agents / c->aht_s;
    ch->sl_seconds = 20;
    ch->service.kind = c->service;
    ch->service.mean_s = c->aht_s;
    ch->service.cv = c->service_cv;
    SIM_ENSURE(dist_prepare(&ch->service) == NULL);
    if (c->patience_s > 0) {
        ch->patience.kind = DIST_EXPONENTIAL;
        ch->patience.mean_s = c->patience_s;
        SIM_ENSURE(dist_prepare(&ch->patience) == NULL);
    }
    struct group_spec *g = &m->groups[0];
    g->name = xstrdup("agents");
    g->agents = xcalloc(1, sizeof(int));
    g->agents[0] = c->agents;
    g->skills = xcalloc(1, sizeof(int));
    g->n_skills = 1;
    g->concurrency = 1;
    g->slowdown = xcalloc(1, sizeof(double));
    g->slowdown[0] = 1;
}

/* Exact values in metric order; NaN for a metric the theory here does not give. */
static void exact(const struct qcase *c, double *v)
{
    for (int k = 0; k < MET_N; k++)
        v[k] = (double)NAN;
    struct erlang_input in = {c->load * c->agents / c->aht_s, c->aht_s, c->agents,
                              c->patience_s, 20};
    struct erlang_metrics e;
    if (c->service != DIST_EXPONENTIAL) {
        /* Pollaczek-Khinchine: Wq = rho E[S] (1 + cs^2) / (2 (1 - rho)); P(wait) = rho. */
        double scv = c->service == DIST_DETERMINISTIC ? 0 : c->service_cv * c->service_cv;
        v[MET_WAIT_MEAN] = c->load * c->aht_s * (1 + scv) / (2 * (1 - c->load));
        v[MET_ASA] = v[MET_WAIT_MEAN];
        v[MET_P_WAIT] = c->load;
        v[MET_ABANDON_RATE] = 0;
        v[MET_OCCUPANCY] = c->load;
        return;
    }
    if (c->patience_s > 0)
        SIM_ENSURE(erlang_a(&in, &e) == 0);
    else
        SIM_ENSURE(erlang_c(&in, &e) == 0);
    v[MET_P_WAIT] = e.p_wait;
    v[MET_ABANDON_RATE] = e.p_abandon;
    v[MET_ASA] = e.asa_s;
    v[MET_WAIT_MEAN] = e.wait_mean_s;
    v[MET_SL] = e.service_level;
    v[MET_OCCUPANCY] = e.occupancy;
}

static int family_size(void)
{
    int m = 0;
    for (int i = 0; i < N_CASES; i++) {
        double v[MET_N];
        exact(&cases[i], v);
        for (int k = 0; k < N_CHECKED; k++)
            if (isfinite(v[checked[k]]) && !(checked[k] == MET_ABANDON_RATE && v[checked[k]] == 0))
                m++;
    }
    return m;
}

static void precise(void)
{
    int m = family_size();
    double level = 1 - FAMILY_ALPHA / m;
    printf("# family of %d checks, each at level %.6f\n", m, level);
    for (int i = 0; i < N_CASES; i++) {
        const struct qcase *c = &cases[i];
        struct model_spec spec;
        build(&spec, c, c->contacts, REPS, 20261201 + (uint64_t)i);
        struct results *r = sim_run(&spec, NULL);
        double v[MET_N];
        exact(c, v);
        for (int k = 0; k < N_CHECKED; k++) {
            int met = checked[k];
            if (!isfinite(v[met])) continue;
            const struct stat_summary *s = &r->summary[met];
            char desc[200];
            if (met == MET_ABANDON_RATE && v[met] == 0) {
                snprintf(desc, sizeof desc, "%s: no abandonment without patience", c->label);
                CHECK_INT(s->mean == 0, 1, desc);
                continue;
            }
            double half = s->ci95 / stat_t_quantile(0.95, s->n) * stat_t_quantile(level, s->n);
            snprintf(desc, sizeof desc, "%s: %s %.6g within %.3g of exact %.6g", c->label,
                     metric_names[met], s->mean, half, v[met]);
            if (!CHECK(fabs(s->mean - v[met]) <= half, desc))
                printf("    off by %.2f half-widths\n", fabs(s->mean - v[met]) / half);
            if (v[met] >= 0.01) {
                snprintf(desc, sizeof desc, "%s: %s half-width %.3g%% of the value (<= 2%%)",
                         c->label, metric_names[met], 100 * half / v[met]);
                CHECK(half <= TIGHT_REL * v[met], desc);
            }
        }
        results_free(r);
        model_spec_free(&spec);
    }
}

/* Short runs: conservation and ranges only. */
static void quick(void)
{
    for (int i = 0; i < N_CASES; i++) {
        const struct qcase *c = &cases[i];
        struct model_spec spec;
        build(&spec, c, 20000, 3, 7 + (uint64_t)i);
        struct results *r = sim_run(&spec, NULL);
        char desc[200];
        const struct stat_summary *s = r->summary;
        snprintf(desc, sizeof desc, "%s (quick): offered = handled + abandoned", c->label);
        CHECK(s[MET_OFFERED].mean == s[MET_HANDLED].mean + s[MET_ABANDONED].mean, desc);
        snprintf(desc, sizeof desc, "%s (quick): every counted contact offered", c->label);
        CHECK(s[MET_OFFERED].mean == 20000, desc);
        snprintf(desc, sizeof desc, "%s (quick): probabilities in [0, 1]", c->label);
        CHECK(s[MET_P_WAIT].mean >= 0 && s[MET_P_WAIT].mean <= 1 && s[MET_SL].mean >= 0 &&
                  s[MET_SL].mean <= 1 && s[MET_OCCUPANCY].mean > 0 && s[MET_OCCUPANCY].mean <= 1,
              desc);
        results_free(r);
        model_spec_free(&spec);
    }
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    if (check_quick())
        quick();
    else
        precise();
    return check_summary();
}
