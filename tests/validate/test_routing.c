/* test_routing: overflow, static priority and reservation.
 *
 * Statistical checks (one Bonferroni family, alpha = 1 %): overflow after 0 s is the pooled
 * Erlang A queue, after "never" two dedicated Erlang A queues.
 * Checked on every assignment, from the call log: no contact is served by an overflow group
 * before waiting X s; no standard contact starts while a premium one waits; no agent of a group
 * reserving agents for voice takes an email unless enough of the group stay idle. */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "erlang.h"
#include "model.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <string.h>

/* Checks in the family: pooled 4, dedicated 2 x 4, transfers 1. */
#define FAMILY 13

static int load_text(const char *text, struct model_spec *m)
{
    return testlib_load(text, "build/test_routing.cfg", m);
}

static void against_erlang_a(const char *label, const struct results *r, int scope,
                             double per_hour, int agents)
{
    struct erlang_input in = {per_hour / 3600, 200, agents, 300, 20};
    struct erlang_metrics e;
    erlang_a(&in, &e);
    const int met[] = {MET_P_WAIT, MET_ABANDON_RATE, MET_ASA, MET_WAIT_MEAN};
    const double exact[] = {e.p_wait, e.p_abandon, e.asa_s, e.wait_mean_s};
    for (int k = 0; k < 4; k++) {
        const struct stat_summary *s = &r->summary[scope * MET_N + met[k]];
        double h = s->ci95 / stat_t_quantile(0.95, s->n) * stat_t_quantile(1 - 0.01 / FAMILY, s->n);
        char desc[200];
        snprintf(desc, sizeof desc, "%s: %s %.6g within %.3g of Erlang A %.6g", label,
                 metric_names[met[k]], s->mean, h, exact[k]);
        CHECK(fabs(s->mean - exact[k]) <= h, desc);
    }
}

/* One parsed row of the call log. */
struct row {
    int rep;
    long id;
    double handle;
    char segment[32], channel[32], group[32], outcome[32];
    double arrival, queued, answer, abandon, end;
};

static void parse_row(void *row, char **f)
{
    struct row *w = row;
    w->rep = atoi(f[0]);
    w->id = atol(f[1]);
    w->handle = f[10][0] ? atof(f[10]) : 0;
    snprintf(w->segment, sizeof w->segment, "%s", f[3]);
    snprintf(w->channel, sizeof w->channel, "%s", f[4]);
    snprintf(w->group, sizeof w->group, "%s", f[13]);
    snprintf(w->outcome, sizeof w->outcome, "%s", f[15]);
    w->arrival = atof(f[5]);
    w->queued = f[6][0] ? atof(f[6]) : w->arrival;
    w->answer = f[7][0] ? atof(f[7]) : -1;
    w->abandon = f[8][0] ? atof(f[8]) : -1;
    w->end = atof(f[12]);
}

/* Reads the call log into rows (caller frees). */
static struct row *read_log(FILE *log, int *n)
{
    return testlib_read_rows(log, sizeof(struct row), 16, parse_row, n);
}

/* ==== 1. Overflow ==== */

#define OVERFLOW_TEXT                                                                              \
    "mode = \"steady\"; seed = 61; replications = %d;\n"                                          \
    "steady = { contacts = %d; warmup_contacts = %d; };\n"                                        \
    "segments = ( { name = \"north\"; share = 0.5; }, { name = \"south\"; share = 0.5; } );\n"    \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 1300.0;\n"                              \
    "  service = { dist = \"exponential\"; mean_s = 200.0; };\n"                                  \
    "  patience = { dist = \"exponential\"; mean_s = 300.0; }; } );\n"                            \
    "groups = ( { name = \"n\"; skills = [ \"voice\" ]; agents = 36; },\n"                        \
    "           { name = \"s\"; skills = [ \"voice\" ]; agents = 36; } );\n"                      \
    "routing = (\n"                                                                               \
    "  { channel = \"voice\"; segment = \"north\";\n"                                             \
    "    steps = ( { group = \"n\"; }, { group = \"s\"; after_s = %g; } ); },\n"                  \
    "  { channel = \"voice\"; segment = \"south\";\n"                                             \
    "    steps = ( { group = \"s\"; }, { group = \"n\"; after_s = %g; } ); } );\n"

static void test_overflow(int quick)
{
    int reps = quick ? 3 : 40, n = quick ? 20000 : 1200000;
    char text[2048];
    struct model_spec m;
    /* X = 0: one pooled queue of 72 agents. */
    snprintf(text, sizeof text, OVERFLOW_TEXT, reps, n, n / 10, 0.0, 0.0);
    if (!CHECK(load_text(text, &m) == 0, "overflow X=0 loads")) return;
    struct results *r = sim_run(&m, NULL);
    if (!quick) against_erlang_a("overflow after 0 s = pooled M/M/72+M", r, 1, 1300, 72);
    results_free(r);
    model_spec_free(&m);
    /* X = never: two dedicated queues of 36. */
    snprintf(text, sizeof text, OVERFLOW_TEXT, reps, n, n / 10, 1e12, 1e12);
    if (!CHECK(load_text(text, &m) == 0, "overflow X=never loads")) return;
    r = sim_run(&m, NULL);
    if (!quick) {
        against_erlang_a("overflow never: north = M/M/36+M", r, results_segment_scope(&m, 0), 650,
                         36);
        against_erlang_a("overflow never: south = M/M/36+M", r, results_segment_scope(&m, 1), 650,
                         36);
    }
    results_free(r);
    model_spec_free(&m);
    /* X = 20 s: every overflow assignment waited at least 20 s. */
    snprintf(text, sizeof text, OVERFLOW_TEXT, 2, 30000, 3000, 20.0, 20.0);
    if (!CHECK(load_text(text, &m) == 0, "overflow X=20 loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    r = sim_run(&m, &hooks);
    int rows_n = 0, overflowed = 0, early = 0;
    struct row *rows = read_log(log, &rows_n);
    for (int i = 0; i < rows_n; i++) {
        const struct row *w = &rows[i];
        if (strcmp(w->outcome, "handled") != 0) continue;
        int home = (strcmp(w->segment, "north") == 0) == (strcmp(w->group, "n") == 0);
        if (home) continue;
        overflowed++;
        if (w->answer - w->queued < 20) early++;
    }
    char desc[160];
    snprintf(desc, sizeof desc, "overflow after 20 s: %d overflow assignments, none earlier", overflowed);
    CHECK(overflowed > 100 && early == 0, desc);
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
}

/* ==== 2. Static priority ==== */

struct event {
    double t;
    int what; /* 0 premium stops waiting, 1 standard starts service, 2 premium starts waiting */
};

static int event_cmp(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->what - y->what;
}

static void test_priority(void)
{
    const char *text =
        "mode = \"day\"; seed = 13; replications = 3;\n"
        "day = { start = \"08:00\"; end = \"16:00\"; interval_min = 60; };\n"
        "segments = ( { name = \"premium\"; share = 0.3; priority = 10.0; },\n"
        "             { name = \"standard\"; share = 0.7; } );\n"
        "channels = ( { name = \"voice\"; arrivals_per_hour = 160.0;\n"
        "  service = { dist = \"exponential\"; mean_s = 220.0; };\n"
        "  patience = { dist = \"exponential\"; mean_s = 300.0; }; } );\n"
        "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 9; } );\n";
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "priority model loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    int n = 0, starts = 0, violations = 0;
    struct row *rows = read_log(log, &n);
    for (int rep = 0; rep < m.replications; rep++) {
        struct event *ev = xmalloc((size_t)(2 * n + 1) * sizeof *ev);
        int k = 0;
        for (int i = 0; i < n; i++) {
            const struct row *w = &rows[i];
            if (w->rep != rep) continue;
            double stop = w->answer >= 0 ? w->answer : w->abandon;
            if (strcmp(w->segment, "premium") == 0 && stop > w->queued) {
                ev[k++] = (struct event){w->queued, 2};
                ev[k++] = (struct event){stop, 0};
            } else if (strcmp(w->segment, "standard") == 0 && w->answer >= 0) {
                ev[k++] = (struct event){w->answer, 1};
                starts++;
            }
        }
        qsort(ev, (size_t)k, sizeof *ev, event_cmp);
        int waiting = 0;
        for (int i = 0; i < k; i++) {
            if (ev[i].what == 2) waiting++;
            if (ev[i].what == 0) waiting--;
            if (ev[i].what == 1 && waiting > 0) violations++;
        }
        free(ev);
    }
    CHECK(starts > 1000, "priority test starts many standard contacts");
    CHECK_INT(violations, 0, "no standard contact starts while a premium one waits");
    double wp = r->summary[results_segment_scope(&m, 0) * MET_N + MET_WAIT_MEAN].mean;
    double ws = r->summary[results_segment_scope(&m, 1) * MET_N + MET_WAIT_MEAN].mean;
    CHECK(wp < ws, "premium waits less than standard");
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
}

/* ==== 3. Reservation ==== */

static void test_reservation(void)
{
    const char *text =
        "mode = \"day\"; seed = 23; replications = 3;\n"
        "day = { start = \"08:00\"; end = \"16:00\"; interval_min = 60; };\n"
        "channels = (\n"
        "  { name = \"voice\"; arrivals_per_hour = 60.0;\n"
        "    service = { dist = \"exponential\"; mean_s = 240.0; };\n"
        "    patience = { dist = \"exponential\"; mean_s = 120.0; }; },\n"
        "  { name = \"email\"; kind = \"email\"; arrivals_per_hour = 40.0;\n"
        "    service = { dist = \"exponential\"; mean_s = 300.0; }; } );\n"
        "groups = ( { name = \"team\"; skills = [ \"voice\", \"email\" ]; agents = 8;\n"
        "             reserve = { channel = \"voice\"; agents = 2; }; } );\n";
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "reservation model loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    int n = 0, emails = 0, violations = 0;
    struct row *rows = read_log(log, &n);
    const double close = 8 * 3600;
    for (int i = 0; i < n; i++) {
        const struct row *e = &rows[i];
        if (strcmp(e->channel, "email") != 0 || e->answer < 0 || e->answer >= close) continue;
        /* Agents busy just after this email starts (itself included), from every handled row;
         * 8 agents are on the floor all day. */
        int busy = 0;
        for (int j = 0; j < n; j++) {
            const struct row *w = &rows[j];
            if (w->rep == e->rep && w->answer >= 0 && w->answer <= e->answer && w->end > e->answer)
                busy++;
        }
        emails++;
        if (8 - busy < 2) violations++;
    }
    CHECK(emails > 200, "reservation test starts many emails");
    CHECK_INT(violations, 0, "no email taken unless 2 agents stay idle for voice");
    results_free(r);
    free(rows);
    fclose(log);
    model_spec_free(&m);
}

/* ==== 4. Interruption ==== */

#define INTERRUPT_TEXT                                                                             \
    "mode = \"day\"; seed = 31; replications = 4;\n"                                               \
    "day = { start = \"08:00\"; end = \"16:00\"; interval_min = 60; };\n"                          \
    "channels = (\n"                                                                               \
    "  { name = \"voice\"; arrivals_per_hour = 50.0; %s\n"                                         \
    "    service = { dist = \"exponential\"; mean_s = 240.0; };\n"                                 \
    "    patience = { dist = \"exponential\"; mean_s = 90.0; }; },\n"                              \
    "  { name = \"email\"; kind = \"email\"; arrivals_per_hour = 30.0;\n"                          \
    "    service = { dist = \"lognormal\"; mean_s = 600.0; cv = 0.8; }; } );\n"                    \
    "groups = ( { name = \"team\"; skills = ( { skill = \"voice\"; }, { skill = \"email\"; proficiency = 1.3; } );\n" \
    "             agents = 6; } );\n"

static struct row *interrupt_run(int interrupts, int *n, double *voice_wait, double *count)
{
    char text[4096];
    snprintf(text, sizeof text, INTERRUPT_TEXT,
             interrupts ? "interrupts = [ \"email\" ];" : "");
    struct model_spec m;
    if (load_text(text, &m) != 0) return NULL;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    *voice_wait = r->summary[MET_N + MET_WAIT_MEAN].mean;
    *count = r->summary[2 * MET_N + MET_INTERRUPTED].mean;
    struct row *rows = read_log(log, n);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
    return rows;
}

/* The handle time of every email, interrupted or not, is its work content: with common random
 * numbers an email has the same work in both runs, so the runs' handle times must agree. */
static void test_interruption(void)
{
    int na = 0, nb = 0;
    double wa, wb, ca, cb;
    struct row *a = interrupt_run(0, &na, &wa, &ca), *b = interrupt_run(1, &nb, &wb, &cb);
    if (!CHECK(a != NULL && b != NULL, "interruption models load")) return;
    /* Handle times by (replication, contact id) from the plain run. */
    enum { CAP = 20000 };
    static double plain[4][CAP];
    for (int i = 0; i < na; i++)
        if (strcmp(a[i].channel, "email") == 0 && strcmp(a[i].outcome, "handled") == 0 &&
            a[i].id < CAP)
            plain[a[i].rep][a[i].id] = a[i].handle;
    int compared = 0, off = 0;
    for (int i = 0; i < nb; i++) {
        if (strcmp(b[i].channel, "email") != 0 || strcmp(b[i].outcome, "handled") != 0) continue;
        double want = b[i].id < CAP ? plain[b[i].rep][b[i].id] : 0;
        if (want == 0) continue;
        compared++;
        if (fabs(b[i].handle - want) > 1e-12 * want) off++;
    }
    char desc[200];
    snprintf(desc, sizeof desc, "%d emails: handle time equals work content to 1e-12 (%g interruptions a day)",
             compared, cb);
    CHECK(compared > 300 && cb > 10 && off == 0, desc);
    snprintf(desc, sizeof desc, "voice waits drop with interruption: %.3g s against %.3g s", wb, wa);
    CHECK(wb < wa, desc);
    CHECK(ca == 0, "no interruption without the key");
    free(a);
    free(b);
}

/* ==== 5. Occupancy cap ==== */

static void test_occupancy_cap(int quick)
{
    char text[2048];
    snprintf(text, sizeof text,
             "mode = \"steady\"; seed = 3; replications = %d;\n"
             "steady = { contacts = %d; warmup_contacts = 20000; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = 1300.0;\n"
             "  service = { dist = \"exponential\"; mean_s = 180.0; };\n"
             "  patience = { dist = \"exponential\"; mean_s = 120.0; }; } );\n"
             "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 50; %s } );\n",
             quick ? 3 : 20, quick ? 20000 : 200000, "occupancy_cap = 0.8;");
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "occupancy cap model loads")) return;
    struct results *r = sim_run(&m, NULL);
    const struct stat_summary *o = &r->summary[results_group_scope(&m, 0, 0) * MET_N + MET_OCCUPANCY];
    char desc[160];
    snprintf(desc, sizeof desc, "load 1.3 with an occupancy cap of 0.8: occupancy %.5f +- %.2g <= 0.8",
             o->mean, o->ci95);
    CHECK(o->mean <= 0.8 + o->ci95 && o->mean > 0.7, desc);
    results_free(r);
    model_spec_free(&m);
}

/* ==== 6. Transfers ==== */

static void test_transfers(int quick)
{
    const char *text =
        "mode = \"day\"; seed = 3; replications = 40;\n"
        "day = { start = \"08:00\"; end = \"16:00\"; interval_min = 60; };\n"
        "channels = (\n"
        "  { name = \"sales\"; arrivals_per_hour = 80.0; service = { dist = \"exponential\"; mean_s = 200.0; };\n"
        "    patience = { dist = \"exponential\"; mean_s = 300.0; };\n"
        "    transfer = { to = \"support\"; probability = 0.25; mode = \"warm\"; consult_s = 30.0; }; },\n"
        "  { name = \"support\"; arrivals_per_hour = 40.0; service = { dist = \"exponential\"; mean_s = 300.0; }; } );\n"
        "groups = ( { name = \"s\"; skills = [ \"sales\" ]; agents = 6; },\n"
        "           { name = \"t\"; skills = [ \"support\" ]; agents = 7; } );\n";
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "transfer model loads")) return;
    if (quick) m.replications = 3;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    /* Support's offered load rises by the transfers: (offered - own arrivals) / sales handled. */
    double frac[40];
    for (int k = 0; k < m.replications; k++)
        frac[k] = (*results_value(r, k, 2, MET_OFFERED) - *results_value(r, k, 2, MET_ARRIVED)) /
                  *results_value(r, k, 1, MET_HANDLED);
    struct stat_summary s = stat_summarize(frac, (size_t)m.replications, 1);
    double h = s.ci95 / stat_t_quantile(0.95, s.n) * stat_t_quantile(1 - 0.01 / FAMILY, s.n);
    char desc[200];
    snprintf(desc, sizeof desc, "transfers: support's extra offered load %.4f within %.3g of 0.25 x sales handled",
             s.mean, h);
    if (!quick) CHECK(fabs(s.mean - 0.25) <= h, desc);
    /* Warm consults: every agent-second busy is a handled contact's work (the second agent's
     * includes the consult) or a first agent's consult, exactly. */
    int n = 0;
    struct row *rows = read_log(log, &n);
    double work[40] = {0};
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].outcome, "handled") == 0) work[rows[i].rep] += rows[i].handle;
    for (int k = 0; k < m.replications; k++) {
        double busy = 0;
        for (int g = 0; g < 2; g++) {
            int sc = results_group_scope(&m, g, 0);
            busy += *results_value(r, k, sc, MET_OCCUPANCY) *
                    (*results_value(r, k, sc, MET_STAFFED_AGENTS) * 8 * 3600 +
                     *results_value(r, k, sc, MET_OVERTIME) + *results_value(r, k, sc, MET_OVERRUN));
        }
        double consults = 30.0 * *results_value(r, k, 1, MET_TRANSFERRED);
        snprintf(desc, sizeof desc, "rep %d: busy time = work of handled contacts + first agents' consults", k);
        CHECK_NEAR(busy, work[k] + consults, 1e-9, desc);
        if (k >= 2) break;
    }
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    int quick = check_quick();
    test_overflow(quick);
    test_priority();
    test_reservation();
    test_interruption();
    test_occupancy_cap(quick);
    test_transfers(quick);
    return check_summary();
}
