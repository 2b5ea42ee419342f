/* cmd_validate: `ccsim validate LOG`: how close the model comes to the center that wrote the log
 * (docs/logs.md).  Per interval of the selected weekdays, the log's own abandon rate and ASA are
 * set against three predictions from the same inputs: the fitted model simulated with the logged
 * staffing, the replay of the logged contacts, and stationary Erlang A per interval (the fitted
 * rate, mean handle time and agents, and the exponential patience estimate, which is the one
 * Erlang A assumes).  Each prediction gets its mean absolute error over the intervals with
 * enough contacts to judge by.
 *
 * Every figure pools the selected days: the log's abandon rate of an interval is its abandoned
 * over its offered on those days, with a delta-method interval over days; a model's is the same
 * ratio within each replication, with a t interval over replications. */
#include "cli.h"
#include "erlang.h"
#include "json.h"
#include "logfit.h"
#include "plot.h"
#include "replay.h"
#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum source { SRC_LOG, SRC_FITTED, SRC_REPLAY, SRC_ERLANG_A, N_SRC };
enum quantity { Q_ABANDON, Q_ASA, N_Q };

static const char *const source_keys[N_SRC] = {"log", "fitted", "replay", "erlang_a"};
static const char *const source_labels[N_SRC] = {"log", "fitted model", "replay", "Erlang A"};
static const char *const quantity_keys[N_Q] = {"abandon_rate", "asa_s"};
static const char *const day_keys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct estimate {
    double mean, ci95; /* NaN when undefined; ci95 NaN when there is no interval (Erlang A) */
};

struct channel_cmp {
    double *offered, *answered; /* [k]: the log's, over the selected days */
    double *agents;             /* [k]: agents counted from the log, mean over the selected days */
    double *occupancy;          /* [k]: handled contacts' handle time over the counted agents' time */
    int *included;              /* [k]: offered >= min_offered */
    struct estimate *e;         /* [(k * N_SRC + source) * N_Q + quantity] */
    double mae[N_SRC][N_Q];
    int n_mae[N_SRC][N_Q], within[N_SRC][N_Q];
};

struct validation {
    struct fit f;
    int selected[7]; /* weekday (or type 0 of an undated log) is compared */
    int *day_selected; /* [log day]: its weekday is selected */
    int n_days;      /* log days selected */
    double min_offered;
    long reps, seed;
    long fitted_reps; /* reps times the log's most days of one day type */
    struct channel_cmp *ch;
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim validate LOG [options]\n\n"
            "Compares a contact log with what the model predicts for it (docs/logs.md): per\n"
            "interval of the selected weekdays, the log's abandon rate and ASA against the fitted\n"
            "model simulated with the logged staffing, the replay of the logged contacts, and\n"
            "per-interval Erlang A, with the mean absolute error of each.\n\n"
            "Options:\n"
            "  --map FILE          the mapping of LOG's columns and formats, as for ccsim fit\n"
            "  --days LIST         weekdays compared: names or ranges, e.g. sun-thu or mon,wed\n"
            "                      (default: every day of the log)\n"
            "  --min-offered N     intervals with fewer logged contacts over the selected days are\n"
            "                      shown but left out of the errors (default 30)\n"
            "  --agents-scale F    multiply the agents counted from the log by F (rounded): the\n"
            "                      staffing the log's waits imply, if not the counted one\n"
            "  --start HH:MM, --interval-min M, --sl-seconds S, --drop-short S, --agents N\n"
            "                      as for ccsim fit\n"
            "  --reps N, --seed S  replications of the replay (default 10; the fitted model runs N\n"
            "                      times the log's days of a weekday) and master seed\n"
            "  --csv FILE          one row per channel and interval ('-': stdout)\n"
            "  --json FILE         the comparison and its errors as JSON ('-': stdout)\n"
            "  --plots DIR         validate_abandon_C and validate_asa_C: the four per interval\n"
            "  --quiet             no report on stdout\n"
            "  -h, --help          this help\n\n"
            "Example:\n"
            "  ccsim validate tests/data/fit-day-log.csv.gz --start 08:00\n");
}

static int day_index(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        if (n == 3 && strncmp(s, day_keys[d], 3) == 0) return d;
    return -1;
}

/* "sun-thu,sat": names and ranges, which may wrap past Sunday. */
static int parse_days(const char *v, int selected[7])
{
    memset(selected, 0, 7 * sizeof *selected);
    const char *p = v;
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *dash = memchr(p, '-', len);
        int a = day_index(p, dash ? (size_t)(dash - p) : len);
        int b = dash ? day_index(dash + 1, len - (size_t)(dash - p) - 1) : a;
        if (a < 0 || b < 0) return -1;
        for (int d = a;; d = (d + 1) % 7) {
            selected[d] = 1;
            if (d == b) break;
        }
        if (p[len] == '\0') return 0;
        p += len + 1;
    }
}

/* Mean and t interval of the defined values among n. */
static struct estimate over_replications(const double *v, int n)
{
    double s = 0, ss = 0;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(v[i])) {
            s += v[i];
            ss += v[i] * v[i];
            m++;
        }
    if (m == 0) return (struct estimate){(double)NAN, (double)NAN};
    double mean = s / m, var = m > 1 ? (ss - m * mean * mean) / (m - 1) : (double)NAN;
    return (struct estimate){mean, m > 1 ? stat_t_quantile(0.95, m) * sqrt(var > 0 ? var / m : 0) : (double)NAN};
}

/* The log: per interval, pooled ratios over the selected days, each with the delta-method
 * standard error of a ratio of day totals, sum (x_d - R y_d)^2 / (n (n - 1) ybar^2). */
static void observe(struct validation *v, int c)
{
    const struct fit *f = &v->f;
    int K = f->K, D = f->log.n_days;
    double *ab = xcalloc((size_t)D * K, sizeof *ab), *off = xcalloc((size_t)D * K, sizeof *off),
           *wait = xcalloc((size_t)D * K, sizeof *wait), *ans = xcalloc((size_t)D * K, sizeof *ans),
           *busy = xcalloc((size_t)K, sizeof *busy);
    for (size_t i = 0; i < f->log.n; i++) {
        const struct log_contact *k = &f->log.contacts[i];
        if (k->channel != c || !logfit_reached_agents(k)) continue;
        size_t at = (size_t)k->day * K + logfit_interval_of(f, k->arrival_s);
        off[at]++;
        ab[at] += k->outcome == LOG_ABANDONED;
        if (k->outcome == LOG_HANDLED) {
            ans[at]++;
            wait[at] += k->wait_s;
            if (v->day_selected[k->day] && !isnan(k->handle_s))
                busy[at % K] += k->handle_s;
        }
    }
    struct channel_cmp *cc = &v->ch[c];
    for (int k = 0; k < K; k++) {
        double agent_s = 0;
        for (int d = 0; d < D; d++)
            if (v->day_selected[d])
                agent_s += f->ch[c].agents_day[(size_t)d * K + k] * f->o.interval_s;
        cc->agents[k] = agent_s / f->o.interval_s / v->n_days;
        cc->occupancy[k] = agent_s > 0 ? busy[k] / agent_s : (double)NAN;
    }
    for (int k = 0; k < K; k++) {
        const double *num[N_Q] = {ab, wait}, *den[N_Q] = {off, ans};
        for (int q = 0; q < N_Q; q++) {
            double x = 0, y = 0;
            for (int d = 0; d < D; d++)
                if (v->day_selected[d]) {
                    x += num[q][(size_t)d * K + k];
                    y += den[q][(size_t)d * K + k];
                }
            struct estimate *e = &cc->e[((size_t)k * N_SRC + SRC_LOG) * N_Q + q];
            if (y <= 0) {
                *e = (struct estimate){(double)NAN, (double)NAN};
                continue;
            }
            double r = x / y, ss = 0;
            for (int d = 0; d < D; d++)
                if (v->day_selected[d]) {
                    double dev = num[q][(size_t)d * K + k] - r * den[q][(size_t)d * K + k];
                    ss += dev * dev;
                }
            int n = v->n_days;
            double ybar = y / n;
            *e = (struct estimate){r, n > 1 ? stat_t_quantile(0.95, n) * sqrt(ss / ((double)n * (n - 1))) / ybar : (double)NAN};
            if (q == Q_ABANDON) cc->offered[k] = y;
            else cc->answered[k] = y;
        }
        cc->included[k] = cc->offered[k] >= v->min_offered;
    }
    free(ab);
    free(off);
    free(wait);
    free(ans);
    free(busy);
}

/* A simulated model: per interval, the ratios pooled over its days within each replication, a
 * day of the model weighing weight[day] (the log days it stands for). */
static void pool_model(struct validation *v, int c, enum source src, const struct model_spec *m,
                       const struct results *r, const double *weight)
{
    struct channel_cmp *cc = &v->ch[c];
    double *per_rep[N_Q];
    for (int q = 0; q < N_Q; q++)
        per_rep[q] = xcalloc((size_t)r->replications, sizeof *per_rep[q]);
    for (int k = 0; k < v->f.K; k++) {
        for (int rep = 0; rep < r->replications; rep++) {
            double ab = 0, off = 0, wait = 0, ans = 0;
            for (int d = 0; d < m->n_days; d++) {
                if (weight[d] <= 0) continue;
                int scope = results_interval_scope(m, d * m->n_intervals + k, c);
                double o = *results_value(r, rep, scope, MET_OFFERED);
                double h = *results_value(r, rep, scope, MET_HANDLED);
                double asa = *results_value(r, rep, scope, MET_ASA);
                off += weight[d] * o;
                ab += weight[d] * *results_value(r, rep, scope, MET_ABANDONED);
                if (h > 0 && !isnan(asa)) {
                    ans += weight[d] * h;
                    wait += weight[d] * h * asa;
                }
            }
            per_rep[Q_ABANDON][rep] = off > 0 ? ab / off : (double)NAN;
            per_rep[Q_ASA][rep] = ans > 0 ? wait / ans : (double)NAN;
        }
        for (int q = 0; q < N_Q; q++)
            cc->e[((size_t)k * N_SRC + src) * N_Q + q] = over_replications(per_rep[q], r->replications);
    }
    for (int q = 0; q < N_Q; q++)
        free(per_rep[q]);
}

/* Stationary Erlang A per day type and interval, pooled by the arrivals (abandonment) and the
 * answered (ASA) of the selected days. */
static void erlang_a_intervals(struct validation *v, int c)
{
    const struct fit *f = &v->f;
    const struct channel_fit *cf = &f->ch[c];
    struct channel_cmp *cc = &v->ch[c];
    int patience = cf->patience_best >= 0 && cf->patience[0].ok;
    for (int k = 0; k < f->K; k++) {
        double arr = 0, ab = 0, ans = 0, wait = 0;
        int defined = cf->handle_best >= 0;
        for (int t = 0; t < f->n_types && defined; t++) {
            double w = v->selected[t] ? f->days_of_type[t] : 0;
            double lambda = cf->rate[(size_t)t * f->K + k] / 3600;
            if (w <= 0 || lambda <= 0) continue;
            struct erlang_input in = {lambda, cf->handle[cf->handle_best].p[0],
                                      cf->agents[(size_t)t * f->K + k],
                                      patience ? cf->patience[0].p[0] : 0, f->o.sl_s};
            struct erlang_metrics out;
            if (in.agents < 1) { /* nobody to answer: all abandon, given patience */
                if (!patience) defined = 0;
                arr += w * lambda;
                ab += w * lambda;
                continue;
            }
            if (patience ? erlang_a(&in, &out) != 0 : erlang_c(&in, &out) != 0) {
                defined = 0;
                continue;
            }
            arr += w * lambda;
            ab += w * lambda * out.p_abandon;
            ans += w * lambda * (1 - out.p_abandon);
            wait += w * lambda * (1 - out.p_abandon) * out.asa_s;
        }
        struct estimate *e = &cc->e[((size_t)k * N_SRC + SRC_ERLANG_A) * N_Q];
        e[Q_ABANDON] = (struct estimate){defined && arr > 0 ? ab / arr : (double)NAN, (double)NAN};
        e[Q_ASA] = (struct estimate){defined && ans > 0 ? wait / ans : (double)NAN, (double)NAN};
    }
}

/* Mean absolute error against the log, and how often the prediction lies within the combined
 * 95 % intervals (the log's, and the simulation's where it has one). */
static void errors(struct validation *v, int c)
{
    struct channel_cmp *cc = &v->ch[c];
    for (int src = SRC_FITTED; src < N_SRC; src++)
        for (int q = 0; q < N_Q; q++) {
            double sum = 0;
            int n = 0, within = 0;
            for (int k = 0; k < v->f.K; k++) {
                const struct estimate *o = &cc->e[((size_t)k * N_SRC + SRC_LOG) * N_Q + q],
                                      *p = &cc->e[((size_t)k * N_SRC + src) * N_Q + q];
                if (!cc->included[k] || isnan(o->mean) || isnan(p->mean)) continue;
                double dev = fabs(p->mean - o->mean);
                sum += dev;
                n++;
                double ho = isnan(o->ci95) ? 0 : o->ci95, hp = isnan(p->ci95) ? 0 : p->ci95;
                within += dev <= sqrt(ho * ho + hp * hp);
            }
            cc->mae[src][q] = n > 0 ? sum / n : (double)NAN;
            cc->n_mae[src][q] = n;
            cc->within[src][q] = within;
        }
}

static void hhmm_of(const struct fit *f, int k, char *buf, size_t cap)
{
    logfit_hhmm(f->o.start_s + (f->k0 + k) * f->o.interval_s, buf, cap);
}

/* The selected weekdays as runs in week order, wrapping past Sunday: "Sunday to Thursday". */
static void selection_text(const struct validation *v, char *buf, size_t cap)
{
    int all = 1, start = -1;
    for (int d = 0; d < 7; d++) {
        all &= v->selected[d];
        if (v->selected[d] && !v->selected[(d + 6) % 7] && start < 0) start = d;
    }
    if (v->f.n_types == 1 || all) {
        snprintf(buf, cap, "every day");
        return;
    }
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < 7 && at < cap; i++) {
        int d = (start + i) % 7;
        if (!v->selected[d] || (i > 0 && v->selected[(d + 6) % 7])) continue;
        int end = d;
        while (v->selected[(end + 1) % 7] && (end + 1) % 7 != start)
            end = (end + 1) % 7;
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", at ? ", " : "", logfit_weekday_names[d]);
        if (end != d && at < cap)
            at += (size_t)snprintf(buf + at, cap - at, " %s %s", (end + 6) % 7 == d ? "and" : "to",
                                   logfit_weekday_names[end]);
    }
}

static void percent_text(FILE *o, double fraction)
{
    if (isnan(fraction)) fprintf(o, " %6s", "-");
    else fprintf(o, " %6.1f", 100 * fraction);
}

static void cell_text(FILE *o, const struct estimate *e, double scale, int ci)
{
    if (isnan(e->mean)) fprintf(o, ci ? " %15s" : " %8s", "-");
    else if (ci && !isnan(e->ci95)) fprintf(o, " %7.2f ± %5.2f", scale * e->mean, scale * e->ci95);
    else fprintf(o, ci ? " %15.2f" : " %8.2f", scale * e->mean);
}

static void report_text(FILE *o, const struct validation *v)
{
    const struct fit *f = &v->f;
    char days[200];
    selection_text(v, days, sizeof days);
    fprintf(o, "ccsim validate: %s (%s): %d days compared (%s), %.0f-minute intervals; %ld "
               "replications of the replay, %ld of the fitted model\n",
            f->o.log, f->log.format, v->n_days, days, f->o.interval_s / 60, v->reps, v->fitted_reps);
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_cmp *cc = &v->ch[c];
        for (int q = 0; q < N_Q; q++) {
            fprintf(o, "\nchannel %s, %s (means ± 95 %% half-width)\n", f->log.channels[c],
                    q == Q_ABANDON ? "abandon rate, %" : "ASA of the answered, s");
            fprintf(o, "start   offered   agents  occ %%              log     fitted model           replay  Erlang A\n");
            for (int k = 0; k < f->K; k++) {
                char hhmm[16];
                hhmm_of(f, k, hhmm, sizeof hhmm);
                fprintf(o, "%-5s%s %7.0f %8.2f", hhmm, cc->included[k] ? " " : "*", cc->offered[k],
                        cc->agents[k]);
                percent_text(o, cc->occupancy[k]);
                for (int src = 0; src < N_SRC; src++)
                    cell_text(o, &cc->e[((size_t)k * N_SRC + src) * N_Q + q], q == Q_ABANDON ? 100 : 1,
                              src != SRC_ERLANG_A);
                fprintf(o, "\n");
            }
        }
        fprintf(o, "\nchannel %s: mean absolute error against the log over the intervals with at least "
                   "%.0f contacts\n(* above: fewer), and intervals within the combined 95 %% intervals\n",
                f->log.channels[c], v->min_offered);
        for (int src = SRC_FITTED; src < N_SRC; src++)
            fprintf(o, "  %-13s abandon rate %6.2f points (%d of %d within)   ASA %7.2f s (%d of %d within)\n",
                    source_labels[src], 100 * cc->mae[src][Q_ABANDON], cc->within[src][Q_ABANDON],
                    cc->n_mae[src][Q_ABANDON], cc->mae[src][Q_ASA], cc->within[src][Q_ASA],
                    cc->n_mae[src][Q_ASA]);
    }
}

static void report_csv(FILE *o, const struct validation *v)
{
    fprintf(o, "channel,interval,start_s,offered,answered,agents,log_occupancy,in_errors");
    for (int src = 0; src < N_SRC; src++)
        for (int q = 0; q < N_Q; q++)
            fprintf(o, ",%s_%s,%s_%s_ci95", source_keys[src], quantity_keys[q], source_keys[src],
                    quantity_keys[q]);
    fprintf(o, "\n");
    const struct fit *f = &v->f;
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_cmp *cc = &v->ch[c];
        for (int k = 0; k < f->K; k++) {
            char hhmm[16];
            hhmm_of(f, k, hhmm, sizeof hhmm);
            csv_quoted(o, f->log.channels[c]);
            fprintf(o, ",%s,%.17g,%.17g,%.17g,%.17g,", hhmm, f->o.start_s + (f->k0 + k) * f->o.interval_s,
                    cc->offered[k], cc->answered[k], cc->agents[k]);
            if (!isnan(cc->occupancy[k])) fprintf(o, "%.17g", cc->occupancy[k]);
            fprintf(o, ",%d", cc->included[k]);
            for (int src = 0; src < N_SRC; src++)
                for (int q = 0; q < N_Q; q++) {
                    const struct estimate *e = &cc->e[((size_t)k * N_SRC + src) * N_Q + q];
                    fprintf(o, ",");
                    if (!isnan(e->mean)) fprintf(o, "%.17g", e->mean);
                    fprintf(o, ",");
                    if (!isnan(e->ci95)) fprintf(o, "%.17g", e->ci95);
                }
            fprintf(o, "\n");
        }
    }
}

static void report_json(FILE *o, const struct validation *v)
{
    const struct fit *f = &v->f;
    struct json j;
    json_init(&j, o, 1);
    json_begin_object(&j, NULL);
    json_string(&j, "log", f->o.log);
    json_string(&j, "format", f->log.format);
    json_begin_array(&j, "weekdays");
    for (int d = 0; d < 7 && f->n_types > 1; d++)
        if (v->selected[d]) json_string(&j, NULL, day_keys[d]);
    json_end_array(&j);
    json_int(&j, "days", v->n_days);
    json_number(&j, "interval_min", f->o.interval_s / 60);
    json_number(&j, "min_offered", v->min_offered);
    json_int(&j, "replications", v->reps);
    json_int(&j, "fitted_replications", v->fitted_reps);
    json_begin_array(&j, "channels");
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_cmp *cc = &v->ch[c];
        json_begin_object(&j, NULL);
        json_string(&j, "name", f->log.channels[c]);
        json_begin_array(&j, "intervals");
        for (int k = 0; k < f->K; k++) {
            json_begin_object(&j, NULL);
            json_number(&j, "start_s", f->o.start_s + (f->k0 + k) * f->o.interval_s);
            json_number(&j, "offered", cc->offered[k]);
            json_number(&j, "answered", cc->answered[k]);
            json_number(&j, "agents", cc->agents[k]);
            json_number(&j, "log_occupancy", cc->occupancy[k]);
            json_bool(&j, "in_errors", cc->included[k]);
            for (int src = 0; src < N_SRC; src++) {
                json_begin_object(&j, source_keys[src]);
                for (int q = 0; q < N_Q; q++) {
                    const struct estimate *e = &cc->e[((size_t)k * N_SRC + src) * N_Q + q];
                    json_begin_object(&j, quantity_keys[q]);
                    json_number(&j, "mean", e->mean);
                    json_number(&j, "ci95", e->ci95);
                    json_end_object(&j);
                }
                json_end_object(&j);
            }
            json_end_object(&j);
        }
        json_end_array(&j);
        json_begin_object(&j, "errors");
        for (int src = SRC_FITTED; src < N_SRC; src++) {
            json_begin_object(&j, source_keys[src]);
            for (int q = 0; q < N_Q; q++) {
                json_begin_object(&j, quantity_keys[q]);
                json_number(&j, "mae", cc->mae[src][q]);
                json_int(&j, "intervals", cc->n_mae[src][q]);
                json_int(&j, "within_ci", cc->within[src][q]);
                json_end_object(&j);
            }
            json_end_object(&j);
        }
        json_end_object(&j);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    json_finish(&j);
}

/* Draws into p, which was begun before the simulations so that an unusable folder is found
 * before any work is done, and finishes it. */
static void draw(const struct validation *v, struct plotter *pl)
{
    const struct fit *f = &v->f;
    size_t cap = (size_t)N_SRC * f->K;
    double *x = xcalloc(cap, sizeof *x), *mean = xcalloc(cap, sizeof *mean), *ci = xcalloc(cap, sizeof *ci);
    char *series[N_SRC], days[200];
    for (int src = 0; src < N_SRC; src++)
        series[src] = (char *)source_labels[src];
    selection_text(v, days, sizeof days);
    for (int c = 0; c < f->log.n_channels; c++)
        for (int q = 0; q < N_Q; q++) {
            const struct channel_cmp *cc = &v->ch[c];
            int n_points[N_SRC], n = 0;
            for (int src = 0; src < N_SRC; src++) {
                n_points[src] = 0;
                for (int k = 0; k < f->K; k++) {
                    const struct estimate *e = &cc->e[((size_t)k * N_SRC + src) * N_Q + q];
                    if (!cc->included[k] || isnan(e->mean)) continue;
                    double scale = q == Q_ABANDON ? 100 : 1;
                    x[n] = (f->o.start_s + (f->k0 + k + 0.5) * f->o.interval_s) / 3600;
                    mean[n] = scale * e->mean;
                    ci[n] = isnan(e->ci95) ? 0 : scale * e->ci95;
                    n++;
                    n_points[src]++;
                }
            }
            char name[64], title[600];
            snprintf(name, sizeof name, "validate_%s_%d", q == Q_ABANDON ? "abandon" : "asa", c);
            snprintf(title, sizeof title, "%s, %s (%s): the log against the predictions",
                     q == Q_ABANDON ? "abandon rate" : "ASA", f->log.channels[c], days);
            plot_curves(pl, name, title, "hour of the day (interval midpoint)",
                        q == Q_ABANDON ? "abandoned / offered (%)" : "mean wait of the answered (s)",
                        N_SRC, series, n_points, x, mean, ci);
        }
    free(x);
    free(mean);
    free(ci);
    plot_finish(pl);
}

/* Runs the model m (the fitted one, or the replay with its trace) and pools it for every
 * channel; weight has one entry per model day. */
static void simulate(struct validation *v, enum source src, struct model_spec *m,
                     const struct sim_trace *trace, const double *weight)
{
    struct sim_hooks hooks;
    memset(&hooks, 0, sizeof hooks);
    hooks.trace = trace;
    struct results *r = sim_run(m, &hooks);
    for (int c = 0; c < v->f.log.n_channels; c++)
        pool_model(v, c, src, m, r, weight);
    results_free(r);
    model_spec_free(m);
}

static int run_models(struct validation *v, struct diag *d)
{
    struct fit *f = &v->f;
    /* The fitted model simulates one day per day type: reps times the log's days of a type
     * keeps its noise below the log's own. */
    int most = 1;
    for (int t = 0; t < f->n_types; t++)
        if (f->days_of_type[t] > most) most = f->days_of_type[t];
    v->fitted_reps = v->reps * most;
    struct model_spec m;
    if (replay_load_fitted(f, v->fitted_reps, v->seed, &m, d) != 0) return -1;
    /* The fitted week's day d is weekday d; it stands for the log's days of that weekday. */
    if (m.n_days != f->n_types) die("the fitted model has %d days for %d day types", m.n_days, f->n_types);
    double *weight = xcalloc((size_t)(m.n_days > f->log.n_days ? m.n_days : f->log.n_days), sizeof *weight);
    for (int day = 0; day < m.n_days; day++)
        weight[day] = v->selected[day] ? f->days_of_type[day] : 0;
    simulate(v, SRC_FITTED, &m, NULL, weight);
    if (replay_load(f, NULL, v->reps, v->seed, &m, d) != 0) {
        free(weight);
        return -1;
    }
    for (int day = 0; day < f->log.n_days; day++)
        weight[day] = v->day_selected[day];
    struct sim_trace trace;
    struct sim_trace_call *calls = replay_trace(f, &trace.n);
    trace.calls = calls;
    simulate(v, SRC_REPLAY, &m, &trace, weight);
    free(calls);
    free(weight);
    return 0;
}

static int write_outputs(const struct validation *v, const char *csv_path, const char *json_path)
{
    struct outfile js = {NULL, NULL, NULL}, csv = {NULL, NULL, NULL};
    if (outfile_open_pair(&js, json_path, &csv, csv_path) != 0) return EXIT_RUNTIME;
    if (json_path != NULL) report_json(js.f, v);
    if (csv_path != NULL) report_csv(csv.f, v);
    int rc = EXIT_OK;
    if (json_path != NULL && outfile_commit(&js) != 0) {
        warn("cannot write %s:", json_path);
        rc = EXIT_RUNTIME;
    }
    if (csv_path != NULL && outfile_commit(&csv) != 0) {
        warn("cannot write %s:", csv_path);
        rc = EXIT_RUNTIME;
    }
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    struct validation v;
    memset(&v, 0, sizeof v);
    struct logfit_opts *o = &v.f.o;
    logfit_opts_init(o);
    v.min_offered = 30;
    v.reps = 10;
    v.seed = 1;
    const char *csv_path = NULL, *json_path = NULL, *plots = NULL, *days = NULL;
    for (int i = 1; i < argc; i++) {
        const char *val;
        int missing = 0, status;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if ((val = cli_flag_value(argc, argv, &i, "--csv", &missing)) != NULL) {
            csv_path = val;
        } else if (!missing && (val = cli_flag_value(argc, argv, &i, "--json", &missing)) != NULL) {
            json_path = val;
        } else if (!missing && (val = cli_flag_value(argc, argv, &i, "--plots", &missing)) != NULL) {
            plots = val;
        } else if (!missing && (val = cli_flag_value(argc, argv, &i, "--days", &missing)) != NULL) {
            days = val;
            if (parse_days(val, v.selected) != 0)
                return cli_usage_error("validate", "--days: weekdays (mon to sun) or ranges (sun-thu) "
                                                   "separated by commas expected, got '%s'", val);
        } else if (!missing && (val = cli_flag_value(argc, argv, &i, "--min-offered", &missing)) != NULL) {
            if (cli_parse_double(val, &v.min_offered) != 0 || !(v.min_offered >= 0))
                return cli_usage_error("validate", "--min-offered: contacts >= 0 expected, got '%s'", val);
        } else if (!missing && (val = cli_flag_value(argc, argv, &i, "--reps", &missing)) != NULL) {
            if (cli_parse_long(val, &v.reps) != 0 || v.reps < 2 || v.reps > 100000)
                return cli_usage_error("validate", "--reps: 2 to 100000 expected, got '%s'", val);
        } else if (!missing && (val = cli_flag_value(argc, argv, &i, "--seed", &missing)) != NULL) {
            if (cli_parse_long(val, &v.seed) != 0 || v.seed < 0)
                return cli_usage_error("validate", "--seed: a whole number >= 0 expected, got '%s'", val);
        } else if (missing) {
            return cli_usage_error("validate", "%s needs a value", argv[i]);
        } else if ((status = logfit_flag(argc, argv, &i, "validate", o)) != 0) {
            return status;
        }
    }
    if (o->log == NULL) return cli_usage_error("validate", "missing LOG");
    if (csv_path != NULL && json_path != NULL && strcmp(csv_path, "-") == 0 && strcmp(json_path, "-") == 0)
        return cli_usage_error("validate", "--csv and --json cannot both be stdout");
    int status = logfit_open(&v.f, "validate", ": give --agents N");
    if (status != 0) return status;
    struct diag d;
    diag_init(&d);
    if (days != NULL && v.f.n_types == 1) {
        status = cli_usage_error("validate", "--days: %s has no dates, so no weekdays", o->log);
        goto done;
    }
    if (days == NULL)
        for (int t = 0; t < 7; t++)
            v.selected[t] = 1;
    v.day_selected = xcalloc((size_t)v.f.log.n_days, sizeof *v.day_selected);
    for (int day = 0; day < v.f.log.n_days; day++) {
        v.day_selected[day] = v.selected[logfit_type_of(&v.f, day)];
        v.n_days += v.day_selected[day];
    }
    if (v.n_days == 0) {
        status = cli_usage_error("validate", "--days: the log has no such day");
        goto done;
    }
    struct plotter plotter;
    if (plots != NULL && plot_begin(&plotter, plots) != 0) {
        status = EXIT_RUNTIME;
        goto done;
    }
    int K = v.f.K;
    v.ch = xcalloc((size_t)v.f.log.n_channels, sizeof *v.ch);
    for (int c = 0; c < v.f.log.n_channels; c++) {
        struct channel_cmp *cc = &v.ch[c];
        cc->offered = xcalloc((size_t)K, sizeof *cc->offered);
        cc->answered = xcalloc((size_t)K, sizeof *cc->answered);
        cc->included = xcalloc((size_t)K, sizeof *cc->included);
        cc->agents = xcalloc((size_t)K, sizeof *cc->agents);
        cc->occupancy = xcalloc((size_t)K, sizeof *cc->occupancy);
        cc->e = xcalloc((size_t)K * N_SRC * N_Q, sizeof *cc->e);
        observe(&v, c);
        erlang_a_intervals(&v, c);
    }
    if (run_models(&v, &d) != 0) {
        diag_print(&d, stderr);
        if (plots != NULL) plot_finish(&plotter);
        status = EXIT_USAGE;
        goto done;
    }
    for (int c = 0; c < v.f.log.n_channels; c++)
        errors(&v, c);
    status = write_outputs(&v, csv_path, json_path);
    int to_stdout = (csv_path != NULL && strcmp(csv_path, "-") == 0) ||
                    (json_path != NULL && strcmp(json_path, "-") == 0);
    if (status == EXIT_OK && !o->quiet && !to_stdout) report_text(stdout, &v);
    if (plots != NULL) {
        if (status == EXIT_OK) draw(&v, &plotter);
        else plot_finish(&plotter);
    }
done:
    for (int c = 0; v.ch != NULL && c < v.f.log.n_channels; c++) {
        free(v.ch[c].offered);
        free(v.ch[c].answered);
        free(v.ch[c].included);
        free(v.ch[c].agents);
        free(v.ch[c].occupancy);
        free(v.ch[c].e);
    }
    free(v.ch);
    free(v.day_selected);
    diag_fini(&d);
    logfit_free(&v.f);
    return status;
}
