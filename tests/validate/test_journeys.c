/* test_journeys: customer issues over their contacts.
 *
 * Exact, per replication, from the call log against the results: every issue ends at most once
 * (resolved or gave up) or is open at the end; every contact belongs to one issue, its attempts
 * numbered 1..n; the caps on retrials and repeats hold.  Little's law as sample-path identities
 * (queue and issues).  With the journey keys present but inert, every pre-existing metric is
 * byte-identical.  Callbacks never abandon, are served in their place, and their waits are
 * reported apart.  A proactive notice removes exactly the prevented incident issues (common
 * random numbers) and a share f x p of them.
 *
 * Statistical checks (one Bonferroni family, alpha = 1 %): FCR per channel, retrial and repeat
 * probabilities, the churn count against its logistic expectation, the notice's share. */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "model.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

#define FAMILY 7

/* z of a two-sided check at the family's corrected level. */
static double family_z(void)
{
    return gsl_cdf_ugaussian_Qinv(0.01 / FAMILY / 2);
}

static int load_text(const char *text, struct model_spec *m)
{
    return testlib_load(text, "build/test_journeys.cfg", m);
}

struct row {
    int rep;
    long issue;
    int attempt, callback, churned;
    double arrival, queued, answer, wait, end;
    char segment[16], channel[16], outcome[32], kind[16], issue_outcome[16];
};

static void parse_row(void *row, char **f)
{
    struct row *w = row;
    w->rep = atoi(f[0]);
    w->issue = atol(f[2]);
    snprintf(w->segment, sizeof w->segment, "%s", f[3]);
    snprintf(w->channel, sizeof w->channel, "%s", f[4]);
    w->arrival = atof(f[5]);
    w->queued = f[6][0] ? atof(f[6]) : -1;
    w->answer = f[7][0] ? atof(f[7]) : -1;
    w->wait = f[9][0] ? atof(f[9]) : 0;
    w->end = atof(f[12]);
    snprintf(w->outcome, sizeof w->outcome, "%s", f[15]);
    w->attempt = atoi(f[18]);
    snprintf(w->kind, sizeof w->kind, "%s", f[19]);
    w->callback = atoi(f[20]);
    snprintf(w->issue_outcome, sizeof w->issue_outcome, "%s", f[21]);
    w->churned = atoi(f[22]);
}

static struct row *read_log(FILE *log, int *n)
{
    return testlib_read_rows(log, sizeof(struct row), 23, parse_row, n);
}

/* Rows by replication, issue, then attempt. */
static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->rep != y->rep) return x->rep - y->rep;
    if (x->issue != y->issue) return x->issue < y->issue ? -1 : 1;
    return x->attempt - y->attempt;
}

static double value(const struct results *r, int rep, int scope, int metric)
{
    return *results_value(r, rep, scope, metric);
}

/* A binomial share against its expected probability, within the family's corrected bound. */
static void check_share(const char *what, double hits, double n, double p)
{
    double h = family_z() * sqrt(p * (1 - p) / n);
    char desc[200];
    snprintf(desc, sizeof desc, "%s: %.5f within %.5f of %.5f (n = %.0f)", what, hits / n, h, p, n);
    CHECK(n > 200 && fabs(hits / n - p) <= h, desc);
}

/* ==== 1, 2 and the statistical checks: an outage-like day ==== */

#define DAY_TEXT                                                                                   \
    "mode = \"day\"; seed = 5; replications = %d;\n"                                              \
    "day = { start = \"08:00\"; end = \"14:00\"; interval_min = 60; };\n"                         \
    "segments = (\n"                                                                              \
    "  { name = \"digital\"; share = 0.4; value = 500.0;\n"                                       \
    "    retrial = { probability = 0.5; delay = { dist = \"exponential\"; mean_s = 300.0; };\n"   \
    "                max_attempts = 3; channel = \"chat\"; };\n"                                  \
    "    churn = { model = \"logistic\"; intercept = -3.0; per_wait_min = 0.2;\n"                 \
    "              per_extra_contact = 0.5; gave_up = 1.0; }; },\n"                               \
    "  { name = \"classic\"; share = 0.6; value = 300.0; } );\n"                                  \
    "journeys = {\n"                                                                              \
    "  retrial = { probability = 0.7; delay = { dist = \"exponential\"; mean_s = 600.0; };\n"     \
    "              max_attempts = 4; };\n"                                                        \
    "  repeat = { probability = 0.8; delay = { dist = \"exponential\"; mean_s = 1800.0; };\n"     \
    "             max_repeats = 2; };\n"                                                          \
    "  churn = { model = \"table\"; table = ( { p = 0.02; }, { min_wait_s = 300.0; p = 0.1; },\n" \
    "            { outcome = \"gave_up\"; p = 0.3; } ); }; };\n"                                  \
    "channels = (\n"                                                                              \
    "  { name = \"voice\"; arrivals_per_hour = [ 50.0, 80.0, 90.0, 80.0, 60.0, 40.0 ];\n"         \
    "    service = { dist = \"exponential\"; mean_s = 240.0; };\n"                                \
    "    patience = { dist = \"exponential\"; mean_s = 120.0; }; fcr = 0.7;\n"                    \
    "    callback = { offer_above_s = 60.0; accept = 0.4; reach = 0.8; attempt_s = 30.0;\n"       \
    "                 max_tries = 2; }; },\n"                                                     \
    "  { name = \"chat\"; kind = \"chat\"; arrivals_per_hour = 30.0;\n"                           \
    "    service = { dist = \"exponential\"; mean_s = 400.0; };\n"                                \
    "    patience = { dist = \"exponential\"; mean_s = 200.0; }; fcr = 0.9;\n"                    \
    "    self_service = { time = { dist = \"exponential\"; mean_s = 60.0; }; success = 0.3; }; } );\n" \
    "incidents = ( { start = \"09:00\"; end = \"11:00\";\n"                                       \
    "  extra_per_hour = { voice = 60.0; chat = 20.0; };\n"                                        \
    "  notice = { at = \"09:30\"; reach = 0.6; prevent = 0.5; }; } );\n"                          \
    "groups = ( { name = \"support\"; skills = [ \"voice\", \"chat\" ]; concurrency = 2;\n"       \
    "             agents = [ 6, 8, 9, 8, 6, 5 ]; } );\n"

/* The same journeys through messaging, a warm transfer, wrap-up and overflow. */
#define MIXED_TEXT                                                                                 \
    "mode = \"day\"; seed = 9; replications = %d;\n"                                              \
    "day = { start = \"08:00\"; end = \"13:00\"; interval_min = 60; };\n"                         \
    "segments = ( { name = \"digital\"; share = 0.5; }, { name = \"classic\"; share = 0.5; } );\n" \
    "journeys = {\n"                                                                              \
    "  retrial = { probability = 0.6; delay = { dist = \"exponential\"; mean_s = 300.0; };\n"     \
    "              max_attempts = 3; channel = \"whatsapp\"; };\n"                                \
    "  repeat = { delay = { dist = \"exponential\"; mean_s = 1200.0; }; max_repeats = 1; };\n"    \
    "  churn = { model = \"logistic\"; intercept = -3.0; per_wait_min = 0.1; }; };\n"             \
    "channels = (\n"                                                                              \
    "  { name = \"voice\"; arrivals_per_hour = 70.0; fcr = 0.8;\n"                                \
    "    service = { dist = \"exponential\"; mean_s = 200.0; };\n"                                \
    "    patience = { dist = \"exponential\"; mean_s = 100.0; };\n"                               \
    "    transfer = { to = \"back\"; probability = 0.2; mode = \"warm\"; consult_s = 30.0; }; },\n" \
    "  { name = \"back\"; arrivals_per_hour = 0.0; fcr = 0.9;\n"                                  \
    "    service = { dist = \"exponential\"; mean_s = 300.0; };\n"                                \
    "    patience = { dist = \"exponential\"; mean_s = 400.0; }; },\n"                            \
    "  { name = \"whatsapp\"; kind = \"messaging\"; arrivals_per_hour = 30.0; fcr = 0.7;\n"     \
    "    service = { dist = \"exponential\"; mean_s = 60.0; };\n"                                 \
    "    patience = { dist = \"exponential\"; mean_s = 600.0; };\n"                               \
    "    exchanges = { dist = \"uniform\"; min_s = 1.0; max_s = 4.0; };\n"                        \
    "    reply_delay = { dist = \"exponential\"; mean_s = 120.0; }; } );\n"                       \
    "groups = ( { name = \"front\"; skills = ( { skill = \"voice\"; wrapup = { dist = \"exponential\"; mean_s = 30.0; }; } );\n" \
    "             agents = 5; },\n"                                                              \
    "           { name = \"experts\"; skills = [ \"back\", \"voice\" ]; agents = 3; },\n"        \
    "           { name = \"web\"; skills = [ \"whatsapp\" ]; concurrency = 3; agents = 2; } );\n"  \
    "routing = ( { channel = \"voice\"; steps = ( { group = \"front\"; }, { group = \"experts\"; after_s = 20.0; } ); } );\n"

static int unserved(const char *outcome)
{
    return strcmp(outcome, "abandoned") == 0 || strcmp(outcome, "blocked") == 0 ||
           strcmp(outcome, "balked") == 0 || strcmp(outcome, "unreached") == 0;
}

/* Per replication: issues from the log against the results, each ending at most once and on its
 * last contact; attempts 1..n; caps. */
static void check_conservation(const struct model_spec *m, const struct results *r,
                               struct row *rows, int n)
{
    int bad_end = 0, bad_numbering = 0, bad_cap = 0, bad_count = 0, reps_checked = 0;
    int i = 0;
    for (int rep = 0; rep < m->replications; rep++) {
        long issues = 0, resolved = 0, gave_up = 0, open = 0, churned = 0, contacts = 0;
        long ended_contacts = 0;
        for (; i < n && rows[i].rep == rep;) {
            int j = i, ends = 0, repeats = 0;
            for (; j < n && rows[j].rep == rep && rows[j].issue == rows[i].issue; j++) {
                const struct row *w = &rows[j];
                if (w->attempt != j - i + 1) bad_numbering++;
                if (strcmp(w->kind, "repeat") == 0) repeats++;
                if (w->issue_outcome[0] != '\0') {
                    ends++;
                    if (j + 1 < n && rows[j + 1].rep == rep && rows[j + 1].issue == w->issue)
                        bad_end++; /* a contact after the issue ended */
                    resolved += strcmp(w->issue_outcome, "resolved") == 0;
                    gave_up += strcmp(w->issue_outcome, "gave_up") == 0;
                    churned += w->churned;
                }
                /* Caps: an unserved contact at the attempt cap, or an unresolved one at the
                 * repeat cap, ends its issue. */
                int cap = strcmp(w->segment, "digital") == 0 ? 3 : 4;
                int unresolved = strcmp(w->outcome, "handled") == 0 &&
                                 strcmp(w->issue_outcome, "resolved") != 0;
                if ((unserved(w->outcome) && w->attempt >= cap) || (unresolved && repeats >= 2))
                    bad_cap += strcmp(w->issue_outcome, "gave_up") != 0;
            }
            if (ends > 1) bad_end++;
            issues++;
            contacts += j - i;
            if (ends == 0) open++;
            else ended_contacts += j - i;
            i = j;
        }
        double ended = value(r, rep, 0, MET_ISSUES_RESOLVED) + value(r, rep, 0, MET_ISSUES_GAVE_UP);
        int before = bad_count;
        bad_count += issues != (long)value(r, rep, 0, MET_ISSUES) ||
                     resolved != (long)value(r, rep, 0, MET_ISSUES_RESOLVED) ||
                     gave_up != (long)value(r, rep, 0, MET_ISSUES_GAVE_UP) ||
                     open != (long)value(r, rep, 0, MET_ISSUES_OPEN) ||
                     churned != (long)value(r, rep, 0, MET_CHURNED) ||
                     contacts != (long)value(r, rep, 0, MET_ARRIVED) ||
                     value(r, rep, 0, MET_ISSUES) !=
                         ended + value(r, rep, 0, MET_ISSUES_OPEN) ||
                     fabs(value(r, rep, 0, MET_CONTACTS_PER_ISSUE) * ended - (double)ended_contacts) >
                         1e-9 * (double)ended_contacts;
        if (bad_count > before && before == 0)
            printf("    replication %d: log issues %ld resolved %ld gave up %ld open %ld churned %ld "
                   "contacts %ld; results %g %g %g %g %g %g\n",
                   rep, issues, resolved, gave_up, open, churned, contacts,
                   value(r, rep, 0, MET_ISSUES), value(r, rep, 0, MET_ISSUES_RESOLVED),
                   value(r, rep, 0, MET_ISSUES_GAVE_UP), value(r, rep, 0, MET_ISSUES_OPEN),
                   value(r, rep, 0, MET_CHURNED), value(r, rep, 0, MET_ARRIVED));
        reps_checked += open > 0; /* the day leaves some issues open: the case is exercised */
    }
    char desc[200];
    snprintf(desc, sizeof desc, "issues: log and results agree in every replication (%d mismatches)",
             bad_count);
    CHECK(bad_count == 0, desc);
    CHECK(bad_end == 0, "every issue ends at most once, on its last contact");
    CHECK(bad_numbering == 0, "every contact belongs to one issue, attempts numbered 1..n");
    CHECK(bad_cap == 0, "an unserved contact at max_attempts, or unresolved at max_repeats, gives up");
    CHECK(reps_checked > 0, "some issues are open at the end (retrials or repeats after the close)");
}

/* FCR per channel, retrial and repeat probabilities, churn against its logistic expectation. */
static void check_decisions(struct row *rows, int n)
{
    double handled[2] = {0, 0}, resolved[2] = {0, 0};
    double tries[2] = {0, 0}, retried[2] = {0, 0}, rep_n = 0, rep_back = 0;
    double churn_expected = 0, churn_var = 0, churn_seen = 0;
    int i = 0;
    while (i < n) {
        int j = i, repeats = 0;
        double wait = 0;
        for (; j < n && rows[j].rep == rows[i].rep && rows[j].issue == rows[i].issue; j++) {
            const struct row *w = &rows[j];
            int digital = strcmp(w->segment, "digital") == 0;
            wait += w->wait;
            if (strcmp(w->kind, "repeat") == 0) repeats++;
            /* (A last row that does not end its issue had its next contact due after the close:
             * the customer did come back, too late for the run.) */
            int goes_on = w->issue_outcome[0] == '\0';
            if (strcmp(w->outcome, "handled") == 0) {
                int c = strcmp(w->channel, "chat") == 0;
                handled[c]++;
                int res = strcmp(w->issue_outcome, "resolved") == 0;
                resolved[c] += res;
                if (!res && repeats < 2) {
                    rep_n++;
                    rep_back += goes_on;
                }
            } else if (unserved(w->outcome) && w->attempt < (digital ? 3 : 4)) {
                tries[digital]++;
                retried[digital] += goes_on;
            }
            if (!goes_on && digital) {
                double x = -3.0 + 0.2 * wait / 60 + 0.5 * (w->attempt - 1) +
                           (strcmp(w->issue_outcome, "gave_up") == 0);
                double p = 1 / (1 + exp(-x));
                churn_expected += p;
                churn_var += p * (1 - p);
                churn_seen += w->churned;
            }
        }
        i = j;
    }
    check_share("FCR on voice", resolved[0], handled[0], 0.7);
    check_share("FCR on chat", resolved[1], handled[1], 0.9);
    check_share("retrial probability, classic", retried[0], tries[0], 0.7);
    check_share("retrial probability, digital", retried[1], tries[1], 0.5);
    check_share("repeat probability", rep_back, rep_n, 0.8);
    double h = family_z() * sqrt(churn_var);
    char desc[200];
    snprintf(desc, sizeof desc, "digital churn: %.0f churned within %.1f of the logistic's %.1f",
             churn_seen, h, churn_expected);
    CHECK(churn_expected > 50 && fabs(churn_seen - churn_expected) <= h, desc);
}

/* Little's law: both sides of each pair agree in every replication. */
static void check_little(const char *label, const struct model_spec *m, const struct results *r)
{
    double worst_q = 0, worst_i = 0, min_i = HUGE_VAL;
    for (int rep = 0; rep < m->replications; rep++) {
        double qa = value(r, rep, 0, MET_QUEUE_AREA), qw = value(r, rep, 0, MET_QUEUE_WAITS);
        double ia = value(r, rep, 0, MET_ISSUE_AREA), it = value(r, rep, 0, MET_ISSUE_TIME);
        worst_q = fmax(worst_q, fabs(qa - qw) / qw);
        worst_i = fmax(worst_i, fabs(ia - it) / it);
        min_i = fmin(min_i, fmin(qw, it));
    }
    char desc[200];
    snprintf(desc, sizeof desc,
             "%s: time integral of the queue = sum of waits (worst rel. diff %.2g <= 1e-9)", label,
             worst_q);
    CHECK(min_i > 0 && worst_q <= 1e-9, desc);
    snprintf(desc, sizeof desc,
             "%s: time integral of open issues = sum of issue times (worst rel. diff %.2g <= 1e-9)",
             label, worst_i);
    CHECK(min_i > 0 && worst_i <= 1e-9, desc);
}

static void test_day(int quick)
{
    char text[6144];
    snprintf(text, sizeof text, DAY_TEXT, quick ? 3 : 60);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "outage-like day loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    int n = 0;
    struct row *rows = read_log(log, &n);
    qsort(rows, (size_t)n, sizeof *rows, row_cmp);
    check_conservation(&m, r, rows, n);
    check_little("outage-like day", &m, r);
    if (!quick) check_decisions(rows, n);
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
    snprintf(text, sizeof text, MIXED_TEXT, quick ? 3 : 30);
    if (!CHECK(load_text(text, &m) == 0, "messaging, transfer, wrap-up and overflow day loads")) return;
    log = tmpfile();
    hooks.log = log;
    r = sim_run(&m, &hooks);
    rows = read_log(log, &n);
    qsort(rows, (size_t)n, sizeof *rows, row_cmp);
    check_conservation(&m, r, rows, n);
    check_little("messaging, transfer, wrap-up and overflow", &m, r);
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
}

/* A run that starts and ends empty: arrivals stop two hours before the close. */
static void test_little_empty(void)
{
    const char *text =
        "mode = \"day\"; seed = 8; replications = 4;\n"
        "day = { start = \"08:00\"; end = \"12:00\"; interval_min = 60; };\n"
        "journeys = { retrial = { probability = 0.8; delay = { dist = \"exponential\"; mean_s = 120.0; };\n"
        "             max_attempts = 5; }; };\n"
        "channels = ( { name = \"voice\"; arrivals_per_hour = [ 200.0, 200.0, 0.0, 0.0 ];\n"
        "  service = { dist = \"lognormal\"; mean_s = 180.0; cv = 1.2; };\n"
        "  patience = { dist = \"exponential\"; mean_s = 60.0; }; } );\n"
        "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 9; } );\n";
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "empty-to-empty model loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    double open = 0;
    for (int rep = 0; rep < m.replications; rep++)
        open += value(r, rep, 0, MET_ISSUES_OPEN) + value(r, rep, 0, MET_IN_SYSTEM_END);
    CHECK(open == 0, "the run ends empty: no issue or contact left");
    check_little("a run from empty to empty", &m, r);
    /* The sums are the reported figures: the log's waits, and each issue from its first
     * arrival to its last contact's end. */
    int n = 0, bad = 0;
    struct row *rows = read_log(log, &n);
    qsort(rows, (size_t)n, sizeof *rows, row_cmp);
    for (int rep = 0, i = 0; rep < m.replications; rep++) {
        double waits = 0, times = 0;
        for (; i < n && rows[i].rep == rep;) {
            int j = i;
            for (; j < n && rows[j].rep == rep && rows[j].issue == rows[i].issue; j++)
                waits += rows[j].wait;
            times += rows[j - 1].end - rows[i].arrival;
            i = j;
        }
        bad += fabs(waits - value(r, rep, 0, MET_QUEUE_WAITS)) > 1e-9 * waits ||
               fabs(times - value(r, rep, 0, MET_ISSUE_TIME)) > 1e-9 * times;
    }
    char desc[160];
    snprintf(desc, sizeof desc, "the sums are the log's: waits, and issues from first arrival to "
                                "last end (%d replications differ)", bad);
    CHECK(n > 1000 && bad == 0, desc);
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
}

/* ==== 3. Inert journey keys change nothing that existed before ==== */

#define INERT_BASE                                                                                 \
    "mode = \"day\"; seed = 21; replications = 4;\n"                                              \
    "day = { start = \"08:00\"; end = \"12:00\"; interval_min = 60; };\n"                         \
    "segments = ( { name = \"a\"; share = 0.5; %s }, { name = \"b\"; share = 0.5; } );\n"         \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 120.0; %s\n"                            \
    "  service = { dist = \"lognormal\"; mean_s = 200.0; cv = 1.0; };\n"                          \
    "  patience = { dist = \"exponential\"; mean_s = 90.0; }; },\n"                               \
    "  { name = \"chat\"; kind = \"chat\"; arrivals_per_hour = 40.0;\n"                           \
    "    service = { dist = \"exponential\"; mean_s = 300.0; };\n"                                \
    "    patience = { dist = \"exponential\"; mean_s = 200.0; }; } );\n"                          \
    "groups = ( { name = \"team\"; skills = ( { skill = \"voice\"; %s wrapup = { dist = \"exponential\"; mean_s = 20.0; }; }, \"chat\" );\n" \
    "             concurrency = 2; agents = [ 4, 6, 6, 4 ]; } );\n%s"

static void test_inert(void)
{
    char plain[4096], inert[4096];
    snprintf(plain, sizeof plain, INERT_BASE, "", "", "", "");
    snprintf(inert, sizeof inert, INERT_BASE,
             "retrial = { probability = 0.0; delay = { dist = \"exponential\"; mean_s = 60.0; }; };",
             "fcr = 1.0; callback = { offer_above_s = 30.0; accept = 0.0; };", "fcr = 1.0;",
             "journeys = { retrial = { probability = 0.0; delay = { dist = \"exponential\"; mean_s = 60.0; }; };\n"
             "  repeat = { delay = { dist = \"exponential\"; mean_s = 600.0; }; };\n"
             "  churn = { model = \"logistic\"; intercept = -2.0; per_wait_min = 0.5; }; };\n");
    struct model_spec a, b;
    if (!CHECK(load_text(plain, &a) == 0, "plain model loads")) return;
    if (!CHECK(load_text(inert, &b) == 0, "model with inert journey keys loads")) return;
    struct results *ra = sim_run(&a, NULL), *rb = sim_run(&b, NULL);
    int differ = 0, compared = 0;
    for (int rep = 0; rep < a.replications; rep++)
        for (int s = 0; s < ra->n_scopes; s++)
            for (int k = 0; k < MET_RETRIALS; k++) {
                compared++;
                differ += memcmp(results_value(ra, rep, s, k), results_value(rb, rep, s, k),
                                 sizeof(double)) != 0;
            }
    char desc[200];
    snprintf(desc, sizeof desc,
             "retrial 0, FCR 1, callbacks declined, churn only: %d pre-existing values, %d differ",
             compared, differ);
    CHECK(ra->n_scopes == rb->n_scopes && differ == 0, desc);
    CHECK(value(rb, 0, 1, MET_CB_OFFERED) > 0, "the inert callback was offered (the path ran)");
    CHECK_INT(ra->events, rb->events, "the same number of events");
    results_free(ra);
    results_free(rb);
    model_spec_free(&a);
    model_spec_free(&b);
}

/* ==== 4. Callbacks ==== */

#define CALLBACK_TEXT                                                                              \
    "mode = \"steady\"; seed = 17; replications = 2;\n"                                           \
    "steady = { contacts = 20000; warmup_contacts = 1000; };\n"                                   \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 330.0;\n"                               \
    "  service = { dist = \"exponential\"; mean_s = 180.0; };\n"                                  \
    "  patience = { dist = \"exponential\"; mean_s = 150.0; };\n"                                 \
    "  callback = { offer_above_s = 40.0; accept = 0.5; reach = %g; attempt_s = 20.0;\n"          \
    "               retry_after_s = 120.0; max_tries = 2; }; } );\n"                              \
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 17; } );\n"

static int by_queue_entry(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->rep != y->rep) return x->rep - y->rep;
    return x->queued < y->queued ? -1 : x->queued > y->queued;
}

static void test_callbacks(double reach)
{
    char text[2048], desc[200];
    snprintf(text, sizeof text, CALLBACK_TEXT, reach);
    struct model_spec m;
    if (!CHECK(load_text(text, &m) == 0, "callback model loads")) return;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    int n = 0;
    struct row *rows = read_log(log, &n);
    int cb_rows = 0, cb_abandoned = 0, unreached = 0;
    for (int i = 0; i < n; i++) {
        cb_rows += rows[i].callback;
        cb_abandoned += rows[i].callback && strcmp(rows[i].outcome, "abandoned") == 0;
        unreached += strcmp(rows[i].outcome, "unreached") == 0;
    }
    snprintf(desc, sizeof desc, "reach %g: %d callback customers, none abandons", reach, cb_rows);
    CHECK(cb_rows > 500 && cb_abandoned == 0, desc);
    double unreached_json = value(r, 0, 1, MET_CB_UNREACHED) + value(r, 1, 1, MET_CB_UNREACHED);
    snprintf(desc, sizeof desc, "reach %g: %d unreached rows, as the results", reach, unreached);
    CHECK(unreached == (int)unreached_json && (reach < 1) == (unreached > 0), desc);
    if (reach == 1) {
        /* One FIFO queue, one group: whoever joined first is answered first, callback or not. */
        qsort(rows, (size_t)n, sizeof *rows, by_queue_entry);
        int out_of_order = 0, answered = 0;
        double last = -1;
        for (int i = 0; i < n; i++) {
            if (i > 0 && rows[i].rep != rows[i - 1].rep) last = -1;
            if (rows[i].answer < 0) continue;
            answered++;
            if (rows[i].answer < last) out_of_order++;
            last = rows[i].answer;
        }
        snprintf(desc, sizeof desc, "callbacks keep their place: %d answered in queue order, %d not",
                 answered, out_of_order);
        CHECK(answered > 1000 && out_of_order == 0, desc);
    }
    for (int rep = 0; rep < 2; rep++) {
        double cb_sum = 0, line_sum = 0, cb_n = 0, line_n = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i].rep != rep || rows[i].answer < 0) continue;
            double w = rows[i].answer - rows[i].queued;
            if (rows[i].callback) {
                cb_sum += w;
                cb_n++;
            } else {
                line_sum += w;
                line_n++;
            }
        }
        snprintf(desc, sizeof desc, "reach %g, replication %d: callback_wait_s is the callbacks' mean wait", reach, rep);
        CHECK_NEAR(value(r, rep, 1, MET_CB_WAIT), cb_sum / cb_n, 1e-9, desc);
        snprintf(desc, sizeof desc, "reach %g, replication %d: asa_s is the mean of the others", reach, rep);
        CHECK_NEAR(value(r, rep, 1, MET_ASA), line_sum / line_n, 1e-9, desc);
    }
    free(rows);
    fclose(log);
    results_free(r);
    model_spec_free(&m);
}

/* ==== 5. Proactive notice ==== */

#define NOTICE_TEXT                                                                                \
    "mode = \"day\"; seed = 33; replications = %d;\n"                                             \
    "day = { start = \"08:00\"; end = \"14:00\"; interval_min = 60; };\n"                         \
    "channels = ( { name = \"voice\"; arrivals_per_hour = 60.0;\n"                                \
    "  service = { dist = \"exponential\"; mean_s = 200.0; };\n"                                  \
    "  patience = { dist = \"exponential\"; mean_s = 120.0; }; } );\n"                            \
    "incidents = ( { start = \"09:00\"; end = \"12:00\"; extra_per_hour = { voice = 120.0; }; %s } );\n" \
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 8; } );\n"

static void test_notice(int quick)
{
    int reps = quick ? 3 : 60;
    char with[2048], without[2048];
    snprintf(with, sizeof with, NOTICE_TEXT, reps,
             "notice = { at = \"08:30\"; reach = 0.6; prevent = 0.5; };");
    snprintf(without, sizeof without, NOTICE_TEXT, reps, "");
    struct model_spec a, b;
    if (!CHECK(load_text(with, &a) == 0, "incident with notice loads")) return;
    if (!CHECK(load_text(without, &b) == 0, "incident without notice loads")) return;
    struct results *ra = sim_run(&a, NULL), *rb = sim_run(&b, NULL);
    int bad = 0;
    double prevented = 0, incident = 0;
    for (int rep = 0; rep < reps; rep++) {
        double p = value(ra, rep, 1, MET_PREVENTED);
        bad += value(rb, rep, 0, MET_ISSUES) - value(ra, rep, 0, MET_ISSUES) != p ||
               value(rb, rep, 1, MET_INCIDENT_ISSUES) != value(ra, rep, 1, MET_INCIDENT_ISSUES) + p ||
               value(rb, rep, 1, MET_PREVENTED) != 0;
        prevented += p;
        incident += value(rb, rep, 1, MET_INCIDENT_ISSUES);
    }
    char desc[200];
    snprintf(desc, sizeof desc,
             "notice: issues drop by exactly the prevented ones in every replication (%d not)", bad);
    CHECK(bad == 0, desc);
    if (!quick) check_share("notice prevents f x p of the incident issues", prevented, incident, 0.3);
    /* A notice at 10:00, an hour into the incident: nobody arriving before it is prevented. */
    struct model_spec c;
    snprintf(with, sizeof with, NOTICE_TEXT, reps,
             "notice = { at = \"10:00\"; reach = 0.6; prevent = 0.5; };");
    if (CHECK(load_text(with, &c) == 0, "incident with a notice at 10:00 loads")) {
        struct results *rc = sim_run(&c, NULL);
        double before = 0, after = 0;
        for (int rep = 0; rep < reps; rep++)
            for (int i = 0; i < c.n_intervals; i++)
                *(i < 2 ? &before : &after) +=
                    value(rc, rep, results_interval_scope(&c, i, 0), MET_PREVENTED);
        snprintf(desc, sizeof desc, "notice at 10:00: %.0f prevented before it, %.0f after", before,
                 after);
        CHECK(before == 0 && after > 0, desc);
        results_free(rc);
        model_spec_free(&c);
    }
    results_free(ra);
    results_free(rb);
    model_spec_free(&a);
    model_spec_free(&b);
}

int main(void)
{
    int quick = check_quick();
    test_day(quick);
    test_little_empty();
    test_inert();
    test_callbacks(1.0);
    test_callbacks(0.7);
    test_notice(quick);
    return check_summary();
}
