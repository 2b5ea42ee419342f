/* test_channels: chat, messaging and email against exact results and properties.
 *
 * 1. Chat with concurrency K and no slowdown is M/M/(K n)+M: every slot is a server, and a chat
 *    takes any free slot.  Checked against Erlang A and C like the single queue (Bonferroni family,
 *    fixed seeds, half-widths at most 2 % of the value).
 * 2. Messaging with deterministic work, exchanges and away times: the agent-time used is exactly
 *    handled x exchanges x work, both as busy time (one slot) and as slot time (two slots).
 * 3. Email with a voice-first group: no email is ever started while a voice contact waits for the
 *    group (checked on every assignment, from the call log); email never abandons; due times.
 * 4. Two days of email: the backlog at the close of day 1 is the backlog at the opening of day 2.
 * Conservation per channel is checked by the engine at the end of every replication. */
#include "check.h"
#include "testlib.h"
#include "erlang.h"
#include "model.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <string.h>

/* ==== Building models ==== */

static void spec_init(struct model_spec *m, enum model_mode mode, int n_intervals, int n_days,
                      double interval_s, int reps, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->mode = mode;
    m->n_intervals = n_intervals;
    m->n_days = n_days;
    m->interval_s = interval_s;
    m->day_start_s = 8 * 3600;
    m->replications = reps;
    m->seed = seed;
}

static struct dist make_dist(enum dist_kind kind, double mean)
{
    struct dist d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.mean_s = mean;
    SIM_ENSURE(dist_prepare(&d) == NULL);
    return d;
}

static struct channel_spec *add_channel(struct model_spec *m, const char *name,
                                        enum channel_kind kind, double per_hour,
                                        struct dist service)
{
    int n = model_total_intervals(m);
    m->channels = xrealloc(m->channels, (size_t)(m->n_channels + 1) * sizeof *m->channels);
    struct channel_spec *ch = &m->channels[m->n_channels++];
    memset(ch, 0, sizeof *ch);
    ch->name = xstrdup(name);
    ch->kind = kind;
    ch->rate_per_s = xcalloc((size_t)n, sizeof(double));
    for (int i = 0; i < n; i++)
        ch->rate_per_s[i] = per_hour / 3600;
    ch->service = service;
    ch->sl_seconds = 20;
    ch->due_s = 86400;
    return ch;
}

static struct group_spec *add_group(struct model_spec *m, const char *name, int agents,
                                    int concurrency, int n_skills, const int *skills)
{
    int n = model_total_intervals(m);
    m->groups = xrealloc(m->groups, (size_t)(m->n_groups + 1) * sizeof *m->groups);
    struct group_spec *g = &m->groups[m->n_groups++];
    memset(g, 0, sizeof *g);
    g->name = xstrdup(name);
    g->agents = xcalloc((size_t)n, sizeof(int));
    for (int i = 0; i < n; i++)
        g->agents[i] = agents;
    g->n_skills = n_skills;
    g->skills = xcalloc((size_t)n_skills, sizeof(int));
    memcpy(g->skills, skills, (size_t)n_skills * sizeof(int));
    g->concurrency = concurrency;
    g->slowdown = xcalloc((size_t)concurrency, sizeof(double));
    for (int k = 0; k < concurrency; k++)
        g->slowdown[k] = 1;
    return g;
}

/* ==== 1. Chat as K n servers ==== */

struct chat_case {
    const char *label;
    int agents, concurrency;
    double load; /* per slot */
    double aht_s, patience_s; /* patience 0: Erlang C */
    long long contacts;
};

static const struct chat_case chat_cases[] = {
    {"chat n=10 K=3 rho=0.95 +M", 10, 3, 0.95, 300, 240, 1200000},
    {"chat n=5 K=4 rho=0.8", 5, 4, 0.8, 240, 0, 1200000},
    {"chat n=40 K=2 rho=1.1 +M", 40, 2, 1.1, 200, 120, 1000000},
};
#define N_CHAT ((int)(sizeof chat_cases / sizeof chat_cases[0]))

static const int chat_metrics[] = {MET_P_WAIT, MET_ABANDON_RATE, MET_ASA, MET_WAIT_MEAN, MET_SL,
                                   MET_SLOT_UTIL};
#define N_CHAT_METRICS ((int)(sizeof chat_metrics / sizeof chat_metrics[0]))

static void chat_exact(const struct chat_case *c, double *v)
{
    int servers = c->agents * c->concurrency;
    struct erlang_input in = {c->load * servers / c->aht_s, c->aht_s, servers, c->patience_s, 20};
    struct erlang_metrics e;
    SIM_ENSURE((c->patience_s > 0 ? erlang_a(&in, &e) : erlang_c(&in, &e)) == 0);
    v[MET_P_WAIT] = e.p_wait;
    v[MET_ABANDON_RATE] = e.p_abandon;
    v[MET_ASA] = e.asa_s;
    v[MET_WAIT_MEAN] = e.wait_mean_s;
    v[MET_SL] = e.service_level;
    v[MET_SLOT_UTIL] = e.occupancy;
}

static void test_chat(int quick)
{
    int family = 0;
    for (int i = 0; i < N_CHAT; i++)
        family += N_CHAT_METRICS - (chat_cases[i].patience_s > 0 ? 0 : 1);
    double level = 1 - 0.01 / family;
    for (int i = 0; i < N_CHAT; i++) {
        const struct chat_case *c = &chat_cases[i];
        struct model_spec m;
        spec_init(&m, MODE_STEADY, 1, 1, 0, quick ? 3 : 40, 777 + (uint64_t)i);
        m.contacts = quick ? 20000 : c->contacts;
        m.warmup_contacts = m.contacts / 10;
        int servers = c->agents * c->concurrency;
        struct channel_spec *ch = add_channel(&m, "chat", CH_CHAT, c->load * servers / c->aht_s * 3600,
                                              make_dist(DIST_EXPONENTIAL, c->aht_s));
        if (c->patience_s > 0) ch->patience = make_dist(DIST_EXPONENTIAL, c->patience_s);
        int skill = 0;
        add_group(&m, "team", c->agents, c->concurrency, 1, &skill);
        struct results *r = sim_run(&m, NULL);
        double v[MET_N];
        chat_exact(c, v);
        char desc[200];
        if (quick) {
            const struct stat_summary *s = &r->summary[MET_N]; /* channel scope */
            snprintf(desc, sizeof desc, "%s (quick): offered = handled + abandoned", c->label);
            CHECK(s[MET_OFFERED].mean == s[MET_HANDLED].mean + s[MET_ABANDONED].mean, desc);
            snprintf(desc, sizeof desc, "%s (quick): slot utilisation in (0, 1]", c->label);
            CHECK(s[MET_SLOT_UTIL].mean > 0 && s[MET_SLOT_UTIL].mean <= 1, desc);
        }
        for (int k = 0; k < N_CHAT_METRICS && !quick; k++) {
            int met = chat_metrics[k];
            const struct stat_summary *s = &r->summary[MET_N + met]; /* the channel's scope */
            if (met == MET_ABANDON_RATE && c->patience_s == 0) continue;
            double half = s->ci95 / stat_t_quantile(0.95, s->n) * stat_t_quantile(level, s->n);
            snprintf(desc, sizeof desc, "%s: %s %.6g within %.3g of Erlang %.6g (%d servers)",
                     c->label, metric_names[met], s->mean, half, v[met], servers);
            CHECK(fabs(s->mean - v[met]) <= half, desc);
            if (v[met] >= 0.01) {
                snprintf(desc, sizeof desc, "%s: %s half-width %.3g%% of the value (<= 2%%)",
                         c->label, metric_names[met], 100 * half / v[met]);
                CHECK(half <= 0.02 * v[met], desc);
            }
        }
        results_free(r);
        model_spec_free(&m);
    }
}

/* ==== 2. Messaging: busy time excludes customer-away periods exactly ==== */

static void test_messaging(void)
{
    for (int K = 1; K <= 2; K++) {
        struct model_spec m;
        spec_init(&m, MODE_DAY, 2, 1, 1800, 4, 4242);
        struct channel_spec *ch =
            add_channel(&m, "whatsapp", CH_MESSAGING, 9.5, make_dist(DIST_DETERMINISTIC, 60));
        ch->exchanges = make_dist(DIST_DETERMINISTIC, 3);
        ch->reply_delay = make_dist(DIST_DETERMINISTIC, 120);
        int skill = 0;
        add_group(&m, "digital", 1, K, 1, &skill);
        struct results *r = sim_run(&m, NULL);
        for (int rep = 0; rep < m.replications; rep++) {
            double handled = *results_value(r, rep, 1, MET_HANDLED);
            double overtime = *results_value(r, rep, 0, MET_OVERTIME);
            double staffed = 3600 + overtime; /* one agent for two 30-min intervals, then overtime */
            double occupancy = *results_value(r, rep, 1, MET_OCCUPANCY);
            double slots = *results_value(r, rep, 1, MET_SLOT_UTIL);
            char desc[200];
            snprintf(desc, sizeof desc,
                     "messaging K=%d rep %d: slot time = %g conversations x 3 x 60 s exactly", K,
                     rep, handled);
            CHECK_NEAR(slots * K * staffed, handled * 180, 1e-12, desc);
            if (K == 1) {
                snprintf(desc, sizeof desc,
                         "messaging K=1 rep %d: busy time excludes away periods (= handled x 180 s)",
                         rep);
                CHECK_NEAR(occupancy * staffed, handled * 180, 1e-12, desc);
            } else {
                snprintf(desc, sizeof desc,
                         "messaging K=2 rep %d: busy time at most slot time (overlap counted once)",
                         rep);
                CHECK(occupancy * staffed <= handled * 180 * (1 + 1e-12), desc);
            }
            snprintf(desc, sizeof desc, "messaging K=%d rep %d: every conversation finished", K,
                     rep);
            CHECK(handled == *results_value(r, rep, 1, MET_OFFERED) && handled > 0, desc);
        }
        const struct stat_summary *fr = &r->summary[MET_N + MET_FIRST_RESPONSE_SL];
        CHECK(fr->n == m.replications && fr->mean >= 0 && fr->mean <= 1,
              "messaging reports first_response_service_level");
        CHECK(r->summary[MET_N + MET_FIRST_RESPONSE].n == m.replications,
              "messaging reports first_response_s");
        results_free(r);
        model_spec_free(&m);
    }
}

/* ==== 3. Email behind voice ==== */

struct row {
    double t;
    int what; /* 0 voice stops waiting, 1 email starts, 2 voice starts waiting */
};

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->what - y->what;
}

/* In time order, counts the email starts that found a voice contact waiting. */
static int sweep(struct row *rows, size_t n)
{
    qsort(rows, n, sizeof *rows, row_cmp);
    int waiting = 0, violations = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].what == 2) waiting++;
        if (rows[i].what == 0) waiting--;
        if (rows[i].what == 1 && waiting > 0) violations++;
    }
    return violations;
}

/* Reads the call log: at every email assignment, no voice contact may be waiting. */
static void check_email_never_jumps_voice(FILE *log, int *n_emails, int *violations)
{
    char line[1024];
    size_t cap = 1024, n = 0;
    struct row *rows = xmalloc(cap * sizeof *rows);
    rewind(log);
    if (fgets(line, sizeof line, log) == NULL) return; /* header */
    *n_emails = *violations = 0;
    int rep_seen = -1;
    while (fgets(line, sizeof line, log)) {
        char *f[17];
        int nf = testlib_fields(line, f, 17);
        if (nf < 16) continue;
        int rep = atoi(f[0]);
        if (rep != rep_seen) {
            /* One replication at a time: sweep what was gathered. */
            *violations += sweep(rows, n);
            n = 0;
            rep_seen = rep;
        }
        double arrival = atof(f[5]);
        double stop = f[7][0] ? atof(f[7]) : atof(f[8]);
        if (n + 2 > cap) rows = xrealloc(rows, (cap *= 2) * sizeof *rows);
        if (strcmp(f[4], "voice") == 0 && stop > arrival) {
            rows[n++] = (struct row){arrival, 2};
            rows[n++] = (struct row){stop, 0};
        } else if (strcmp(f[4], "email") == 0 && f[7][0]) {
            rows[n++] = (struct row){stop, 1};
            (*n_emails)++;
        }
    }
    *violations += sweep(rows, n);
    free(rows);
}

static void test_email(void)
{
    struct model_spec m;
    spec_init(&m, MODE_DAY, 16, 1, 1800, 3, 99);
    struct channel_spec *voice =
        add_channel(&m, "voice", CH_VOICE, 100, make_dist(DIST_EXPONENTIAL, 240));
    voice->patience = make_dist(DIST_EXPONENTIAL, 120);
    struct channel_spec *email =
        add_channel(&m, "email", CH_EMAIL, 40, make_dist(DIST_EXPONENTIAL, 300));
    email->due_s = 4 * 3600;
    int skills[] = {0, 1};
    add_group(&m, "blended", 9, 1, 2, skills);
    FILE *log = tmpfile();
    SIM_ENSURE(log != NULL);
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    fflush(log);
    int n_emails = 0, violations = 0;
    check_email_never_jumps_voice(log, &n_emails, &violations);
    fclose(log);
    CHECK(n_emails > 500, "email test assigns many emails");
    CHECK_INT(violations, 0, "no email started while a voice contact waited for the group");
    const struct stat_summary *e = &r->summary[(1 + 1) * MET_N];
    CHECK(e[MET_ABANDONED].mean == 0, "email never abandons");
    CHECK(e[MET_DUE_MET].n == 3 && e[MET_DUE_MET].mean > 0 && e[MET_DUE_MET].mean <= 1,
          "email reports due_met");
    CHECK(e[MET_BACKLOG_END].n == 3 && e[MET_BACKLOG_END].mean >= 0, "email reports backlog_end");
    CHECK(e[MET_OFFERED].mean == e[MET_HANDLED].mean + e[MET_BACKLOG_END].mean,
          "email offered = handled + backlog left at the end (nothing abandons)");
    results_free(r);

    /* A due time no email can meet, and one every email meets. */
    m.channels[1].due_s = 0;
    r = sim_run(&m, NULL);
    CHECK(r->summary[2 * MET_N + MET_DUE_MET].mean == 0, "due_s = 0: no email is on time");
    results_free(r);
    m.channels[1].due_s = 1e9;
    r = sim_run(&m, NULL);
    CHECK(r->summary[2 * MET_N + MET_DUE_MET].mean == 1, "due_s = 1e9 s: every email is on time");
    results_free(r);
    model_spec_free(&m);
}

/* ==== 4. Email backlog over night ==== */

static void test_backlog_carries_over(void)
{
    struct model_spec m;
    int n = 8;
    spec_init(&m, MODE_DAY, n, 2, 3600, 5, 2024);
    add_channel(&m, "email", CH_EMAIL, 30, make_dist(DIST_EXPONENTIAL, 600));
    int skill = 0;
    add_group(&m, "backoffice", 3, 1, 1, &skill);
    struct results *r = sim_run(&m, NULL);
    for (int rep = 0; rep < m.replications; rep++) {
        double close1 = *results_value(r, rep, results_interval_scope(&m, n - 1, 0), MET_BACKLOG_END);
        double open2 = *results_value(r, rep, results_interval_scope(&m, n, 0), MET_BACKLOG_START);
        char desc[200];
        snprintf(desc, sizeof desc, "rep %d: backlog at day 1's close (%g) = at day 2's opening (%g)",
                 rep, close1, open2);
        CHECK(close1 == open2 && close1 > 0, desc);
        double start1 = *results_value(r, rep, results_interval_scope(&m, 0, 0), MET_BACKLOG_START);
        snprintf(desc, sizeof desc, "rep %d: the first day opens with no backlog", rep);
        CHECK(start1 == 0, desc);
    }
    results_free(r);
    model_spec_free(&m);
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    int quick = check_quick();
    test_chat(quick);
    test_messaging();
    test_email();
    test_backlog_carries_over();
    return check_summary();
}
