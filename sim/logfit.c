/* logfit: the model fitted to a contact log, for `ccsim fit` and `ccsim replay` (docs/logs.md).
 * Per channel: arrival rates per day type (weekday when the log has dates) and interval, tested
 * against Poisson by the index of dispersion, with a gamma busyness factor when days vary more
 * than Poisson allows; handle times by maximum likelihood over four families, chosen by AIC;
 * patience from censored waits (an answered contact's wait is a lower bound on its patience), by
 * Kaplan-Meier and by maximum likelihood under censoring; agents per day and interval from the
 * log's agent column.  It writes the fitted config, whose comments say where each number came
 * from, a fit report (text, JSON, plots), and the log's own service level, ASA and abandonment
 * per interval with day-to-day confidence intervals, to hold a simulation to. */
#include "logfit.h"

#include "cli.h"
#include "json.h"
#include "plot.h"
#include "stats.h"
#include "util.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const enum fit_family patience_families[N_PATIENCE] = {FIT_EXPONENTIAL, FIT_WEIBULL,
                                                              FIT_LOGNORMAL};
const char *const logfit_weekday_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};



int logfit_type_of(const struct fit *f, int day)
{
    return f->n_types == 7 ? (f->log.first_weekday + day) % 7 : 0;
}

int logfit_interval_of(const struct fit *f, double t)
{
    int k = (int)floor(t / f->o.interval_s) - f->k0;
    return k < 0 ? 0 : k >= f->K ? f->K - 1 : k;
}

int logfit_reached_agents(const struct log_contact *c)
{
    return c->outcome != LOG_OTHER || !isnan(c->wait_s);
}

static void window(struct fit *f)
{
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < f->log.n; i++) {
        const struct log_contact *c = &f->log.contacts[i];
        if (!logfit_reached_agents(c)) continue;
        if (c->arrival_s < lo) lo = c->arrival_s;
        if (c->arrival_s > hi) hi = c->arrival_s;
    }
    if (lo > hi) lo = hi = 0;
    /* A dated log's times are clock times; a --log file's start at its day's start (--start). */
    f->k0 = f->log.first_weekday < 0 && f->log.native
                ? 0
                : (int)floor(lo / f->o.interval_s);
    int k1 = (int)floor(hi / f->o.interval_s) + 1;
    f->K = k1 - f->k0 > 0 ? k1 - f->k0 : 1;
}

/* Arrivals, dispersion, busyness and the log's own metrics of channel ch. */
static void fit_arrivals(struct fit *f, int ch, struct channel_fit *cf)
{
    int D = f->log.n_days, K = f->K, T = f->n_types;
    double h = f->o.interval_s / 3600;
    size_t cells = (size_t)D * (size_t)K;
    double *count = xcalloc(cells, sizeof *count);
    double *ab = xcalloc(cells, sizeof *ab), *ans = xcalloc(cells, sizeof *ans),
           *wsum = xcalloc(cells, sizeof *wsum), *insl = xcalloc(cells, sizeof *insl);
    for (size_t i = 0; i < f->log.n; i++) {
        const struct log_contact *c = &f->log.contacts[i];
        if (c->channel != ch || !logfit_reached_agents(c)) continue;
        size_t at = (size_t)c->day * (size_t)K + (size_t)logfit_interval_of(f, c->arrival_s);
        count[at]++;
        cf->offered++;
        if (c->outcome == LOG_ABANDONED) ab[at]++;
        if (c->outcome == LOG_HANDLED) {
            ans[at]++;
            wsum[at] += c->wait_s;
            if (c->wait_s <= f->o.sl_s) insl[at]++;
        }
    }
    cf->rate = xcalloc((size_t)T * (size_t)K, sizeof *cf->rate);
    cf->rate_se = xcalloc((size_t)T * (size_t)K, sizeof *cf->rate_se);
    cf->obs_mean = xcalloc((size_t)N_OBS * T * K, sizeof *cf->obs_mean);
    cf->obs_ci = xcalloc((size_t)N_OBS * T * K, sizeof *cf->obs_ci);
    cf->obs_n = xcalloc((size_t)N_OBS * T * K, sizeof *cf->obs_n);
    double x2 = 0;
    long df = 0;
    for (int t = 0; t < T; t++) {
        int nd = f->days_of_type[t];
        for (int k = 0; k < K; k++) {
            double sum = 0;
            for (int d = 0; d < D; d++)
                if (logfit_type_of(f, d) == t) sum += count[(size_t)d * K + k];
            size_t at = (size_t)t * K + k;
            cf->rate[at] = nd > 0 ? sum / (nd * h) : 0;
            cf->rate_se[at] = nd > 0 ? sqrt(sum) / (nd * h) : 0;
            double mean = nd > 0 ? sum / nd : 0;
            if (mean > 0 && nd > 1) {
                for (int d = 0; d < D; d++)
                    if (logfit_type_of(f, d) == t) {
                        double e = count[(size_t)d * K + k] - mean;
                        x2 += e * e / mean;
                    }
                df += nd - 1;
            }
            /* The log's metrics, one value per day, as ccsim's are one per replication. */
            for (int m = 0; m < N_OBS; m++) {
                double s = 0, ss = 0;
                int n = 0;
                for (int d = 0; d < D; d++) {
                    if (logfit_type_of(f, d) != t) continue;
                    size_t c = (size_t)d * K + k;
                    double off = count[c], v;
                    if (m == OBS_ASA) {
                        if (ans[c] == 0) continue;
                        v = wsum[c] / ans[c];
                    } else {
                        if (off == 0) continue;
                        v = m == OBS_ABANDON ? ab[c] / off : insl[c] / off;
                    }
                    s += v;
                    ss += v * v;
                    n++;
                }
                size_t o = ((size_t)m * T + t) * K + k;
                cf->obs_n[o] = n;
                cf->obs_mean[o] = n > 0 ? s / n : (double)NAN;
                double var = n > 1 ? (ss - s * s / n) / (n - 1) : (double)NAN;
                cf->obs_ci[o] = n > 1 ? stat_t_quantile(0.95, n) * sqrt(var > 0 ? var : 0) / sqrt(n) : (double)NAN;
            }
        }
    }
    cf->dispersion_x2 = x2;
    cf->dispersion_df = df;
    cf->dispersion_p = df > 0 ? gsl_cdf_chisq_Q(x2, (double)df) : (double)NAN;
    /* Busyness from the days' totals: Var(N) = L + L^2 / k for a day with expected count L. */
    cf->busy_shape = 0;
    if (df > 0 && cf->dispersion_p < 0.01) {
        double num = 0, den = 0;
        for (int d = 0; d < D; d++) {
            int t = logfit_type_of(f, d);
            double total = 0, expect = 0;
            for (int k = 0; k < K; k++) {
                total += count[(size_t)d * K + k];
                expect += cf->rate[(size_t)t * K + k] * h;
            }
            if (expect <= 0) continue;
            num += (total - expect) * (total - expect) - expect;
            den += expect * expect;
        }
        if (num > 0 && den > 0) cf->busy_shape = den / num;
    }
    free(count);
    free(ab);
    free(ans);
    free(wsum);
    free(insl);
}

static void fit_durations(struct fit *f, int ch, struct channel_fit *cf)
{
    size_t n = f->log.n, nh = 0, nq = 0;
    double *x = xcalloc(n + 1, sizeof *x), *t = xcalloc(n + 1, sizeof *t);
    int *event = xcalloc(n + 1, sizeof *event);
    for (size_t i = 0; i < n; i++) {
        const struct log_contact *c = &f->log.contacts[i];
        if (c->channel != ch) continue;
        if (c->outcome == LOG_HANDLED) cf->handled++;
        if (c->outcome == LOG_ABANDONED) cf->abandoned++;
        if (c->outcome == LOG_OTHER) cf->other++;
        if (c->outcome == LOG_HANDLED && !isnan(c->handle_s)) {
            if (c->handle_s < 5) cf->short_handled++;
            if (c->handle_s > 0 && c->handle_s >= f->o.drop_short_s) x[nh++] = c->handle_s;
        }
        if ((c->outcome == LOG_HANDLED || c->outcome == LOG_ABANDONED) && !isnan(c->wait_s)) {
            /* An abandonment logged at 0 s (a log in whole seconds) has zero or infinite density
             * under every family but the exponential: it is taken at half the resolution. */
            t[nq] = c->outcome == LOG_ABANDONED && c->wait_s == 0 ? 0.5 : c->wait_s;
            event[nq++] = c->outcome == LOG_ABANDONED;
        }
    }
    cf->n_handle_fit = nh;
    cf->handle_best = -1;
    if (nh > 1) {
        fit_all(x, nh, cf->handle);
        /* The least AIC among the fits the simulator accepts (fit_to_dist): an extreme log can
         * fit a Weibull shape or a mean no config may hold. */
        double best = HUGE_VAL;
        for (int k = 0; k < FIT_N_FAMILIES; k++) {
            struct dist dd;
            memset(&dd, 0, sizeof dd);
            if (cf->handle[k].ok && cf->handle[k].aic < best && fit_to_dist(&cf->handle[k], &dd) == 0 &&
                dd.mean_s <= 1e9) {
                best = cf->handle[k].aic;
                cf->handle_best = k;
            }
        }
    }
    cf->n_queued = nq;
    cf->patience_best = -1;
    if (cf->abandoned > 0 && nq > 1) {
        double best = HUGE_VAL;
        for (int p = 0; p < N_PATIENCE; p++) {
            struct dist dd;
            memset(&dd, 0, sizeof dd);
            if (fit_censored(patience_families[p], t, event, nq, &cf->patience[p]) == 0 &&
                cf->patience[p].ok && cf->patience[p].aic < best &&
                fit_to_dist(&cf->patience[p], &dd) == 0 && dd.mean_s <= 1e9) {
                best = cf->patience[p].aic;
                cf->patience_best = p;
            }
        }
        cf->has_km = km_estimate(t, event, nq, &cf->km) == 0;
    }
    free(x);
    free(t);
    free(event);
}

/* Distinct agents serving channel ch in each interval of each day, averaged per day type. */
static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static void fit_agents(struct fit *f, int ch, struct channel_fit *cf)
{
    int K = f->K, T = f->n_types, D = f->log.n_days;
    cf->agents = xcalloc((size_t)T * K, sizeof *cf->agents);
    cf->agents_day = xcalloc((size_t)D * K + 1, sizeof *cf->agents_day);
    if (f->o.agents >= 0 || f->log.n_agents == 0) {
        for (int i = 0; i < T * K; i++)
            cf->agents[i] = (int)(f->o.agents > 0 ? f->o.agents : 0);
        for (int i = 0; i < D * K; i++)
            cf->agents_day[i] = (int)(f->o.agents > 0 ? f->o.agents : 0);
        return;
    }
    size_t cap = 1024, n = 0;
    long *keys = xmalloc(cap * sizeof *keys);
    for (size_t i = 0; i < f->log.n; i++) {
        const struct log_contact *c = &f->log.contacts[i];
        if (c->channel != ch || c->outcome != LOG_HANDLED || c->agent < 0) continue;
        /* By the start of service: an agent finishing a call after going off duty would
         * otherwise count in an interval they no longer staff. */
        int k = logfit_interval_of(f, c->arrival_s + c->wait_s);
        if (n == cap) keys = xrealloc(keys, (cap *= 2) * sizeof *keys);
        keys[n++] = ((long)c->day * K + k) * (long)f->log.n_agents + c->agent;
    }
    qsort(keys, n, sizeof *keys, cmp_long);
    double *per = xcalloc((size_t)D * K + 1, sizeof *per);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || keys[i] != keys[i - 1]) per[keys[i] / f->log.n_agents]++;
    double scale = f->o.agents_scale > 0 ? f->o.agents_scale : 1;
    for (int i = 0; i < D * K; i++)
        cf->agents_day[i] = (int)lround(scale * per[i]);
    for (int t = 0; t < T; t++)
        for (int k = 0; k < K; k++) {
            double s = 0;
            for (int d = 0; d < D; d++)
                if (logfit_type_of(f, d) == t) s += per[(size_t)d * K + k];
            int nd = f->days_of_type[t];
            cf->agents[(size_t)t * K + k] = nd > 0 ? (int)lround(scale * s / nd) : 0;
        }
    free(per);
    free(keys);
}

/* ==== Output ==== */

void logfit_hhmm(double s, char *buf, size_t cap)
{
    int m = (int)lround(fmin(fmax(s, 0), 86400) / 60);
    snprintf(buf, cap, "%02d:%02d", m / 60 % 100, m % 60);
}

void logfit_config_string(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', o);
        if ((unsigned char)*s >= 0x20) fputc(*s, o);
    }
    fputc('"', o);
}

void logfit_dist_line(FILE *o, const struct fit_result *r)
{
    fprintf(o, "{ dist = \"%s\"; mean_s = %.6g; ", fit_family_name(r->family), r->p[0]);
    if (r->family == FIT_LOGNORMAL || r->family == FIT_GAMMA) fprintf(o, "cv = %.6g; ", r->p[1]);
    if (r->family == FIT_WEIBULL) fprintf(o, "shape = %.6g; ", r->p[1]);
    fprintf(o, "}");
}

static void list_by_type(FILE *o, const struct fit *f, const double *v, const int *iv)
{
    int T = f->n_types, K = f->K;
    if (T > 1) fprintf(o, "(\n"); /* a list of arrays: libconfig arrays hold scalars only */
    for (int t = 0; t < T; t++) {
        fprintf(o, "%s[", T > 1 ? "      " : "");
        for (int k = 0; k < K; k++) {
            if (v != NULL)
                fprintf(o, "%s%.4f", k ? ", " : " ", v[(size_t)t * K + k]);
            else if (iv != NULL)
                fprintf(o, "%s%d", k ? ", " : " ", iv[(size_t)t * K + k]);
        }
        fprintf(o, " ]%s%s", T > 1 && t + 1 < T ? "," : "", T > 1 ? "  # " : "");
        if (T > 1) fprintf(o, "%s\n", logfit_weekday_names[t]);
    }
    if (T > 1) fprintf(o, "    )");
}

void logfit_group_head(FILE *o, const struct fit *f, int c, const char *sep)
{
    char name[600];
    snprintf(name, sizeof name, "%s agents", f->log.channels[c]);
    fprintf(o, "  {%sname = ", sep);
    logfit_config_string(o, name);
    fprintf(o, ";%sskills = [ ", sep);
    logfit_config_string(o, f->log.channels[c]);
    fprintf(o, " ];");
}

void logfit_write_config(FILE *o, const struct fit *f)
{
    char a[16], b[16];
    double start = f->o.start_s + f->k0 * f->o.interval_s, end = start + f->K * f->o.interval_s;
    logfit_hhmm(start, a, sizeof a);
    logfit_hhmm(end, b, sizeof b);
    fprintf(o, "# Fitted by `ccsim fit` from %s (%s): %zu contacts over %d days, %zu rows dropped\n"
               "# by the mapping (docs/logs.md).  Every number below says where it came from.\n",
            f->o.log, f->log.format, f->log.n, f->log.n_days, f->log.dropped);
    fprintf(o, "mode = \"day\";\nseed = 1;\nreplications = 20;\n\n");
    fprintf(o, "day = {\n  start = \"%s\";\n  end = \"%s\";\n  interval_min = %.6g;\n", a, b,
            f->o.interval_s / 60);
    if (f->n_types > 1)
        fprintf(o, "  days = 7;  # day 1 is a Monday; lists below hold one list per weekday\n");
    fprintf(o, "};\n\nchannels = (\n");
    int any_busy = 0;
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_fit *cf = &f->ch[c];
        any_busy |= cf->busy_shape > 0;
        fprintf(o, "  {\n    name = ");
        logfit_config_string(o, f->log.channels[c]);
        fprintf(o, ";\n    sl_seconds = %.6g;\n", f->o.sl_s);
        logfit_write_priority(o, f);
        fprintf(o, "    # Arrivals: contacts reaching the agents per interval, over the %s days of each\n"
                   "    # type, per hour.  Index of dispersion against Poisson: X2 = %.1f on %ld df,\n"
                   "    # p = %.3g%s.\n",
                f->n_types > 1 ? "weekday's" : "log's", cf->dispersion_x2, cf->dispersion_df,
                cf->dispersion_p,
                cf->busy_shape > 0 ? " (over-dispersed: a gamma busyness factor below)" : "");
        fprintf(o, "    arrivals_per_hour = ");
        list_by_type(o, f, cf->rate, NULL);
        fprintf(o, ";\n");
        if (cf->handle_best >= 0) {
            const struct fit_result *r = &cf->handle[cf->handle_best];
            fprintf(o, "    # Handle time: %s by maximum likelihood over %zu handled contacts, the least\n"
                       "    # AIC of four families (AIC %.1f; Kolmogorov-Smirnov D = %.4f).\n    service = ",
                    fit_family_name(r->family), cf->n_handle_fit, r->aic, r->ks);
            logfit_dist_line(o, r);
            fprintf(o, ";\n");
        } else {
            fprintf(o, "    # Handle time: the log has too few handled contacts to fit; a placeholder.\n"
                       "    service = { dist = \"exponential\"; mean_s = 300.0; };\n");
        }
        if (cf->patience_best >= 0) {
            const struct fit_result *r = &cf->patience[cf->patience_best];
            fprintf(o, "    # Patience: %s by maximum likelihood under censoring (answered waits are\n"
                       "    # lower bounds) over %zu queued contacts, %zu abandoned; least AIC of three.\n"
                       "    patience = ",
                    fit_family_name(r->family), cf->n_queued, cf->abandoned);
            logfit_dist_line(o, r);
            fprintf(o, ";\n");
        } else {
            fprintf(o, "    # Patience: no contact abandoned in the log: none modelled.\n");
        }
        fprintf(o, "  }%s\n", c + 1 < f->log.n_channels ? "," : "");
    }
    fprintf(o, ");\n\n");
    logfit_write_segments(o, f);
    if (any_busy) {
        fprintf(o, "busyness = (\n");
        int first = 1;
        for (int c = 0; c < f->log.n_channels; c++) {
            if (f->ch[c].busy_shape <= 0) continue;
            fprintf(o, "%s  # moments of the days' totals: Var = L + L^2 / shape\n"
                       "  { name = \"days %d\"; shape = %.6g; channels = [ ",
                    first ? "" : ",\n", c, f->ch[c].busy_shape);
            logfit_config_string(o, f->log.channels[c]);
            fprintf(o, " ]; }");
            first = 0;
        }
        fprintf(o, "\n);\n\n");
    }
    fprintf(o, "groups = (\n");
    for (int c = 0; c < f->log.n_channels; c++) {
        logfit_group_head(o, f, c, "\n    ");
        fprintf(o, "\n    # %s\n    agents = ",
                f->o.agents >= 0 || f->log.n_agents == 0 ? "Agents: given by --agents."
                : f->o.agents_scale > 0 && f->o.agents_scale != 1
                    ? "Agents: distinct agents starting a service in the interval, mean over days, times --agents-scale."
                    : "Agents: distinct agents starting a service in the interval, mean over days.");
        list_by_type(o, f, NULL, f->ch[c].agents);
        fprintf(o, ";\n  }%s\n", c + 1 < f->log.n_channels ? "," : "");
    }
    fprintf(o, ");\n");
}

static void fit_text(FILE *o, const char *label, const struct fit_result *r, int best)
{
    fprintf(o, "    %-12s%s ", fit_family_name(r->family), best ? "*" : " ");
    if (!r->ok) {
        fprintf(o, "(does not fit)\n");
        return;
    }
    fprintf(o, "mean %.2f ± %.2f s", r->p[0], 1.96 * r->se[0]);
    if (r->n_params > 1)
        fprintf(o, ", %s %.4f ± %.4f", r->family == FIT_WEIBULL ? "shape" : "cv", r->p[1],
                1.96 * r->se[1]);
    fprintf(o, "   log-likelihood %.1f, AIC %.1f", r->loglik, r->aic);
    if (!isnan(r->ks)) fprintf(o, ", KS %.4f", r->ks);
    fprintf(o, "%s\n", label);
}

void logfit_report_text(FILE *o, const struct fit *f)
{
    fprintf(o, "ccsim fit: %s (%s): %zu contacts over %d days, %d channel%s, %d agents named; %zu "
               "rows dropped\n",
            f->o.log, f->log.format, f->log.n, f->log.n_days, f->log.n_channels,
            f->log.n_channels == 1 ? "" : "s", f->log.n_agents, f->log.dropped);
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_fit *cf = &f->ch[c];
        fprintf(o, "\nchannel %s: %zu reached the agents: %zu handled, %zu abandoned; %zu other\n",
                f->log.channels[c], cf->offered, cf->handled, cf->abandoned, cf->other);
        fprintf(o, "  arrivals: %d intervals of %.0f min; dispersion X2 = %.1f on %ld df, p = %.3g: %s\n",
                f->K, f->o.interval_s / 60, cf->dispersion_x2, cf->dispersion_df, cf->dispersion_p,
                cf->busy_shape > 0                ? "over-dispersed"
                : isnan(cf->dispersion_p)         ? "no two days of a type to test"
                : cf->dispersion_p < 0.01         ? "over-dispersed, but the days' totals give no factor"
                                                  : "Poisson not rejected at 1 %");
        if (cf->busy_shape > 0)
            fprintf(o, "  busyness: gamma day factor with shape %.3g (cv %.3f)\n", cf->busy_shape,
                    1 / sqrt(cf->busy_shape));
        fprintf(o, "  handle time (%zu fitted; %zu handled under 5 s%s):\n", cf->n_handle_fit,
                cf->short_handled, f->o.drop_short_s > 0 ? ", short ones left out" : "");
        for (int k = 0; k < FIT_N_FAMILIES && cf->handle_best >= 0; k++)
            fit_text(o, "", &cf->handle[k], k == cf->handle_best);
        if (cf->patience_best < 0) {
            fprintf(o, "  patience: no abandonment in the log\n");
            continue;
        }
        fprintf(o, "  patience (%zu waits of contacts that reached the agents, %zu abandoned; the "
                   "answered are censored):\n",
                cf->n_queued, cf->abandoned);
        for (int p = 0; p < N_PATIENCE; p++)
            fit_text(o, p == 0 ? "  (abandoned / total waiting time)" : "", &cf->patience[p],
                     p == cf->patience_best);
        if (cf->has_km) {
            const struct fit_result *r = &cf->patience[cf->patience_best];
            fprintf(o, "    Kaplan-Meier S(t) against the fit:");
            static const double at[] = {30, 60, 120, 300};
            for (int i = 0; i < 4; i++)
                fprintf(o, "  %.0f s %.3f/%.3f", at[i], km_at(&cf->km, at[i]), 1 - fit_cdf(r, at[i]));
            fprintf(o, "\n");
        }
    }
    if (f->n_seg_config > 0) {
        fprintf(o, "\nsegments (reaching the agents; abandoned of them):\n");
        size_t total = 0;
        for (int s = 0; s < f->log.n_segments; s++)
            total += f->seg_offered[s];
        for (int s = 0; s < f->log.n_segments; s++) {
            if (f->seg_config[s] < 0) continue;
            fprintf(o, "  %-16s %7zu  %5.1f %%  abandoned %5.1f %%\n", f->log.segments[s],
                    f->seg_offered[s], 100.0 * (double)f->seg_offered[s] / (double)total,
                    100.0 * (double)f->seg_abandoned[s] / (double)f->seg_offered[s]);
        }
    }
    fprintf(o, "\nwrote %s\n", f->o.out);
}

static void json_fit(struct json *j, const char *key, const struct fit_result *r)
{
    json_begin_object(j, key);
    json_string(j, "family", fit_family_name(r->family));
    json_bool(j, "ok", r->ok);
    json_number(j, "mean_s", r->p[0]);
    json_number(j, "mean_s_se", r->se[0]);
    if (r->n_params > 1) {
        const char *name = r->family == FIT_WEIBULL ? "shape" : "cv";
        char se[16];
        snprintf(se, sizeof se, "%s_se", name);
        json_number(j, name, r->p[1]);
        json_number(j, se, r->se[1]);
    }
    json_number(j, "loglik", r->loglik);
    json_number(j, "aic", r->aic);
    json_number(j, "ks", r->ks);
    json_end_object(j);
}

void logfit_report_json(FILE *o, const struct fit *f)
{
    struct json j;
    json_init(&j, o, 1);
    json_begin_object(&j, NULL);
    json_string(&j, "log", f->o.log);
    json_string(&j, "format", f->log.format);
    json_int(&j, "contacts", (long long)f->log.n);
    json_int(&j, "days", f->log.n_days);
    json_int(&j, "dropped", (long long)f->log.dropped);
    json_number(&j, "interval_min", f->o.interval_s / 60);
    json_int(&j, "day_types", f->n_types);
    json_int(&j, "intervals", f->K);
    json_begin_array(&j, "channels");
    static const char *const obs_names[N_OBS] = {"abandon_rate", "asa_s", "service_level"};
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_fit *cf = &f->ch[c];
        int TK = f->n_types * f->K;
        json_begin_object(&j, NULL);
        json_string(&j, "name", f->log.channels[c]);
        json_int(&j, "offered", (long long)cf->offered);
        json_int(&j, "handled", (long long)cf->handled);
        json_int(&j, "abandoned", (long long)cf->abandoned);
        json_int(&j, "other", (long long)cf->other);
        json_int(&j, "handled_under_5_s", (long long)cf->short_handled);
        json_begin_array(&j, "arrivals_per_hour");
        for (int i = 0; i < TK; i++) json_number(&j, NULL, cf->rate[i]);
        json_end_array(&j);
        json_begin_array(&j, "arrivals_per_hour_se");
        for (int i = 0; i < TK; i++) json_number(&j, NULL, cf->rate_se[i]);
        json_end_array(&j);
        json_begin_array(&j, "agents");
        for (int i = 0; i < TK; i++) json_int(&j, NULL, cf->agents[i]);
        json_end_array(&j);
        json_begin_object(&j, "dispersion");
        json_number(&j, "x2", cf->dispersion_x2);
        json_int(&j, "df", cf->dispersion_df);
        json_number(&j, "p", cf->dispersion_p);
        json_number(&j, "busyness_shape", cf->busy_shape > 0 ? cf->busy_shape : (double)NAN);
        json_end_object(&j);
        json_begin_array(&j, "handle_fits");
        for (int k = 0; k < FIT_N_FAMILIES && cf->handle_best >= 0; k++) json_fit(&j, NULL, &cf->handle[k]);
        json_end_array(&j);
        json_string(&j, "handle_chosen",
                    cf->handle_best >= 0 ? fit_family_name(cf->handle[cf->handle_best].family) : "");
        json_begin_array(&j, "patience_fits");
        for (int p = 0; p < N_PATIENCE && cf->patience_best >= 0; p++) json_fit(&j, NULL, &cf->patience[p]);
        json_end_array(&j);
        json_string(&j, "patience_chosen",
                    cf->patience_best >= 0 ? fit_family_name(cf->patience[cf->patience_best].family) : "");
        json_begin_object(&j, "observed");
        for (int m = 0; m < N_OBS; m++) {
            json_begin_array(&j, obs_names[m]);
            for (int i = 0; i < TK; i++) {
                size_t at = (size_t)m * TK + i;
                json_begin_object(&j, NULL);
                json_number(&j, "mean", cf->obs_mean[at]);
                json_number(&j, "ci95", cf->obs_ci[at]);
                json_int(&j, "n", cf->obs_n[at]);
                json_end_object(&j);
            }
            json_end_array(&j);
        }
        json_end_object(&j);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_begin_array(&j, "segments");
    for (int s = 0; s < f->log.n_segments; s++) {
        json_begin_object(&j, NULL);
        json_string(&j, "name", f->log.segments[s]);
        json_number(&j, "credit_s", f->log.segment_credit_s[s]);
        json_int(&j, "offered", (long long)f->seg_offered[s]);
        json_int(&j, "handled", (long long)f->seg_handled[s]);
        json_int(&j, "abandoned", (long long)f->seg_abandoned[s]);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    json_finish(&j);
}

int logfit_draw(struct fit *f)
{
    struct plotter p;
    if (plot_begin(&p, f->o.plots) != 0) return -1;
    for (int c = 0; c < f->log.n_channels; c++) {
        struct channel_fit *cf = &f->ch[c];
        char name[64], title[600];
        if (cf->handle_best >= 0) {
            /* The histogram of handle times against each fitted density, both per second. */
            enum { BINS = 40 };
            double top = 0;
            for (size_t i = 0; i < f->log.n; i++) {
                const struct log_contact *k = &f->log.contacts[i];
                if (k->channel == c && k->outcome == LOG_HANDLED && k->handle_s > top) top = k->handle_s;
            }
            const struct fit_result *best = &cf->handle[cf->handle_best];
            double q99 = best->p[0] * 4;
            double hi = top < q99 ? top : q99, w = hi / BINS;
            double x[5 * BINS], mean[5 * BINS], ci[5 * BINS];
            int n_points[5];
            char *series[5];
            char labels[5][40];
            double hist[BINS] = {0};
            for (size_t i = 0; i < f->log.n; i++) {
                const struct log_contact *k = &f->log.contacts[i];
                if (k->channel != c || k->outcome != LOG_HANDLED || !(k->handle_s > 0)) continue;
                int b = (int)(k->handle_s / w);
                if (b < BINS) hist[b]++;
            }
            int n = 0;
            snprintf(labels[0], sizeof labels[0], "log");
            series[0] = labels[0];
            n_points[0] = BINS;
            for (int b = 0; b < BINS; b++, n++) {
                x[n] = (b + 0.5) * w;
                mean[n] = hist[b] / ((double)cf->n_handle_fit * w);
                ci[n] = 1.96 * sqrt(hist[b]) / ((double)cf->n_handle_fit * w);
            }
            for (int k = 0; k < FIT_N_FAMILIES; k++) {
                snprintf(labels[k + 1], sizeof labels[k + 1], "%s%s", fit_family_name(cf->handle[k].family),
                         k == cf->handle_best ? " (chosen)" : "");
                series[k + 1] = labels[k + 1];
                n_points[k + 1] = cf->handle[k].ok ? BINS : 0;
                for (int b = 0; b < BINS && cf->handle[k].ok; b++, n++) {
                    x[n] = (b + 0.5) * w;
                    mean[n] = fit_density(&cf->handle[k], x[n]);
                    ci[n] = 0;
                }
            }
            snprintf(name, sizeof name, "fit_handle_%d", c);
            snprintf(title, sizeof title, "handle time, %s: the log against the fitted densities", f->log.channels[c]);
            plot_curves(&p, name, title, "handle time (s)", "density (1/s)", 5, series, n_points, x, mean, ci);
        }
        if (cf->has_km && cf->km.n > 0) {
            size_t n = cf->km.n < 200 ? cf->km.n : 200;
            double *x = xcalloc(2 * n, sizeof *x), *mean = xcalloc(2 * n, sizeof *mean),
                   *ci = xcalloc(2 * n, sizeof *ci);
            for (size_t i = 0; i < n; i++) {
                size_t at = i * cf->km.n / n;
                x[i] = cf->km.time[at];
                mean[i] = cf->km.surv[at];
                ci[i] = 1.96 * cf->km.se[at];
                x[n + i] = x[i];
                mean[n + i] = 1 - fit_cdf(&cf->patience[cf->patience_best], x[i]);
            }
            char km_label[] = "Kaplan-Meier", fit_label[64];
            snprintf(fit_label, sizeof fit_label, "%s (fitted)",
                     fit_family_name(cf->patience[cf->patience_best].family));
            char *series[2] = {km_label, fit_label};
            int n_points[2] = {(int)n, (int)n};
            snprintf(name, sizeof name, "fit_patience_%d", c);
            snprintf(title, sizeof title, "patience, %s: P(patience > t), Kaplan-Meier against the fit",
                     f->log.channels[c]);
            plot_curves(&p, name, title, "time waited (s)", "P(still waiting)", 2, series, n_points, x, mean, ci);
            free(x);
            free(mean);
            free(ci);
        }
    }
    plot_finish(&p);
    return 0;
}

void logfit_free(struct fit *f)
{
    for (int c = 0; f->ch != NULL && c < f->log.n_channels; c++) {
        struct channel_fit *cf = &f->ch[c];
        free(cf->rate);
        free(cf->rate_se);
        free(cf->agents);
        free(cf->agents_day);
        free(cf->obs_mean);
        free(cf->obs_ci);
        free(cf->obs_n);
        if (cf->has_km) km_free(&cf->km);
    }
    free(f->ch);
    free(f->days_of_type);
    free(f->seg_offered);
    free(f->seg_handled);
    free(f->seg_abandoned);
    free(f->seg_config);
    log_free(&f->log);
    struct logfit_opts o = f->o; /* freed twice is freed once: the callers' exits share it */
    memset(f, 0, sizeof *f);
    f->o = o;
}

void logfit_opts_init(struct logfit_opts *o)
{
    memset(o, 0, sizeof *o);
    o->interval_s = 1800;
    o->sl_s = 20;
    o->agents = -1;
}

int logfit_open(struct fit *f, const char *cmd, const char *no_agents)
{
    struct diag d;
    diag_init(&d);
    int rc = log_read(f->o.log, f->o.map, &f->log, &d);
    if (rc != 0) diag_print(&d, stderr);
    diag_fini(&d);
    if (rc != 0) return EXIT_USAGE;
    if (no_agents != NULL && f->log.n_agents == 0 && f->o.agents < 0) {
        fprintf(stderr, "ccsim %s: %s names no agents%s\n", cmd, f->o.log, no_agents);
        logfit_free(f);
        return EXIT_USAGE;
    }
    logfit_build(f);
    int status = logfit_check_window(f, cmd);
    if (status != 0) logfit_free(f);
    return status;
}


/* A credit of S seconds is a head start in the FCFS queue: with a score of waited seconds
 * (priority_per_s = 1), a segment priority of S puts the credited customer where one who had
 * waited S seconds more would be. */
static void fit_segments(struct fit *f)
{
    int n = f->log.n_segments;
    f->seg_offered = xcalloc((size_t)n + 1, sizeof *f->seg_offered);
    f->seg_handled = xcalloc((size_t)n + 1, sizeof *f->seg_handled);
    f->seg_abandoned = xcalloc((size_t)n + 1, sizeof *f->seg_abandoned);
    f->seg_config = xcalloc((size_t)n + 1, sizeof *f->seg_config);
    for (size_t i = 0; i < f->log.n; i++) {
        const struct log_contact *c = &f->log.contacts[i];
        if (!logfit_reached_agents(c)) continue;
        f->seg_offered[c->segment]++;
        f->seg_handled[c->segment] += c->outcome == LOG_HANDLED;
        f->seg_abandoned[c->segment] += c->outcome == LOG_ABANDONED;
    }
    int used = 0, credited = 0;
    for (int s = 0; s < n; s++) {
        f->seg_config[s] = f->seg_offered[s] > 0 ? used++ : -1;
        credited |= f->seg_offered[s] > 0 && f->log.segment_credit_s[s] > 0;
    }
    f->n_seg_config = used > 1 || credited ? used : 0;
    f->credited = credited;
}

void logfit_write_segments(FILE *o, const struct fit *f)
{
    if (f->n_seg_config == 0) return;
    size_t total = 0;
    for (int s = 0; s < f->log.n_segments; s++)
        total += f->seg_offered[s];
    fprintf(o, "# Segments: the log's segments (and credit rules), each with its share of the contacts\n"
               "# reaching the agents, the same in every channel and interval.\nsegments = (\n");
    int left = f->n_seg_config;
    for (int s = 0; s < f->log.n_segments; s++) {
        if (f->seg_config[s] < 0) continue;
        fprintf(o, "  { name = ");
        logfit_config_string(o, f->log.segments[s]);
        fprintf(o, "; share = %.17g;", (double)f->seg_offered[s] / (double)total);
        double credit = f->log.segment_credit_s[s];
        if (credit > 0) fprintf(o, " priority = %.17g;", credit);
        fprintf(o, " }%s", --left > 0 ? "," : "");
        if (credit > 0) fprintf(o, "  # credited %g s of waiting", credit);
        fprintf(o, "\n");
    }
    fprintf(o, ");\n\n");
}

void logfit_write_priority(FILE *o, const struct fit *f)
{
    if (f->credited)
        fprintf(o, "    # Waited seconds are the score, so a credited segment's priority is a head start.\n"
                   "    priority_per_s = 1.0;\n");
}

void logfit_build(struct fit *f)
{
    f->n_types = f->log.first_weekday >= 0 ? 7 : 1;
    f->days_of_type = xcalloc(7, sizeof *f->days_of_type);
    for (int day = 0; day < f->log.n_days; day++)
        f->days_of_type[logfit_type_of(f, day)]++;
    window(f);
    f->ch = xcalloc((size_t)f->log.n_channels, sizeof *f->ch);
    for (int c = 0; c < f->log.n_channels; c++) {
        fit_arrivals(f, c, &f->ch[c]);
        fit_durations(f, c, &f->ch[c]);
        fit_agents(f, c, &f->ch[c]);
    }
    fit_segments(f);
}

int logfit_flag(int argc, char **argv, int *i, const char *cmd, struct logfit_opts *o)
{
    const char *a = argv[*i], *v;
    int missing = 0;
    double x;
    if (strcmp(a, "--quiet") == 0) {
        o->quiet = 1;
    } else if ((v = cli_flag_value(argc, argv, i, "--map", &missing)) != NULL) {
        o->map = v;
    } else if (!missing && (v = cli_flag_value(argc, argv, i, "--interval-min", &missing)) != NULL) {
        if (cli_parse_double(v, &x) != 0 || !(x >= 1.0 / 60) || x > 1440 || fmod(1440, x) != 0)
            return cli_usage_error(cmd, "--interval-min: minutes dividing a day expected, got '%s'", v);
        o->interval_s = x * 60;
    } else if (!missing && (v = cli_flag_value(argc, argv, i, "--start", &missing)) != NULL) {
        int h, m;
        if (scan_clock(v, &h, &m) != 0 || h < 0 || h > 23 || m < 0 || m > 59)
            return cli_usage_error(cmd, "--start: HH:MM expected, got '%s'", v);
        o->start_s = 3600.0 * h + 60.0 * m;
    } else if (!missing && (v = cli_flag_value(argc, argv, i, "--sl-seconds", &missing)) != NULL) {
        if (cli_parse_double(v, &o->sl_s) != 0 || !(o->sl_s >= 0))
            return cli_usage_error(cmd, "--sl-seconds: seconds >= 0 expected, got '%s'", v);
    } else if (!missing && (v = cli_flag_value(argc, argv, i, "--drop-short", &missing)) != NULL) {
        if (cli_parse_double(v, &o->drop_short_s) != 0 || !(o->drop_short_s >= 0))
            return cli_usage_error(cmd, "--drop-short: seconds >= 0 expected, got '%s'", v);
    } else if (!missing && (v = cli_flag_value(argc, argv, i, "--agents-scale", &missing)) != NULL) {
        if (cli_parse_double(v, &o->agents_scale) != 0 || !(o->agents_scale > 0) || o->agents_scale > 100)
            return cli_usage_error(cmd, "--agents-scale: a factor above 0 and at most 100 expected, got '%s'", v);
    } else if (!missing && (v = cli_flag_value(argc, argv, i, "--agents", &missing)) != NULL) {
        if (cli_parse_long(v, &o->agents) != 0 || o->agents < 0 || o->agents > 10000000)
            return cli_usage_error(cmd, "--agents: a whole number of agents expected, got '%s'", v);
    } else if (missing) {
        return cli_usage_error(cmd, "%s needs a value", a);
    } else if (a[0] == '-' && a[1] != '\0') {
        return cli_usage_error(cmd, "unknown option '%s'", a);
    } else if (o->log == NULL) {
        o->log = a;
    } else {
        return cli_usage_error(cmd, "unexpected argument '%s' (one LOG only)", a);
    }
    return 0;
}

int logfit_check_window(const struct fit *f, const char *cmd)
{
    if (f->o.start_s != 0 && !f->log.native) {
        fprintf(stderr, "ccsim %s: --start is for --log files; %s has clock times\n", cmd, f->o.log);
        return EXIT_USAGE;
    }
    double end = f->o.start_s + (f->k0 + f->K) * f->o.interval_s;
    if (end > 86400 + 1e-9) {
        char from[16];
        logfit_hhmm(f->o.start_s, from, sizeof from);
        fprintf(stderr, "ccsim %s: %s: the day runs past midnight (from %s, %d intervals of %g min)\n",
                cmd, f->o.log, from, f->K, f->o.interval_s / 60);
        return EXIT_USAGE;
    }
    return 0;
}
