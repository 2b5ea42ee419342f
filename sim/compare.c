/* compare: metric names to results, paired differences and the Holm correction. */
#include "compare.h"

#include "util.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int metric_index(const char *name, int from, int to)
{
    for (int k = from; k < to; k++)
        if (strcmp(metric_names[k], name) == 0) return k;
    return -1;
}

/* The last dot-separated part of name, and the middle part (a channel, segment or group name,
 * which may itself hold dots) between the first dot and the last. */
static const char *last_part(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

int compare_resolve(const char *name, const struct model_spec *m, struct metric_ref *out,
                    const char **why)
{
    out->scope = out->metric = -1;
    const char *dot = strchr(name, '.'), *leaf = last_part(name);
    if (dot == NULL) {
        *why = "expected SCOPE.METRIC, e.g. total.asa_s or channels.voice.service_level";
        return -1;
    }
    size_t head = (size_t)(dot - name);
    char middle[256] = "";
    if (leaf - 1 > dot) snprintf(middle, sizeof middle, "%.*s", (int)(leaf - 1 - dot - 1), dot + 1);
    int has_middle = middle[0] != '\0';
    if (strncmp(name, "total", head) == 0 && head == 5 && !has_middle) {
        out->metric = metric_index(leaf, 0, MET_ISSUES);
        out->scope = 0;
        *why = "not a metric of total (see docs/output.md)";
        return out->metric >= 0 && metric_applies(out->metric, CH_N_KINDS, 0) ? 0 : -1;
    }
    if (strncmp(name, "cost", head) == 0 && head == 4 && !has_middle) {
        out->scope = 0;
        out->metric = strcmp(leaf, "agents") == 0     ? MET_COST_AGENTS
                      : strcmp(leaf, "contacts") == 0 ? MET_COST
                      : strcmp(leaf, "total") == 0    ? MET_COST_TOTAL
                                                      : -1;
        *why = "cost.agents, cost.contacts or cost.total expected";
        return out->metric >= 0 ? 0 : -1;
    }
    if (strncmp(name, "journeys", head) == 0 && head == 8) {
        out->metric = metric_index(leaf, MET_ISSUES, MET_QUEUE_AREA);
        *why = "not a journeys metric (see docs/output.md)";
        if (out->metric < 0) return -1;
        out->scope = has_middle ? -1 : 0;
        for (int s = 0; has_middle && s < m->n_segments; s++)
            if (strcmp(m->segments[s].name, middle) == 0) out->scope = results_segment_scope(m, s);
        *why = "no such segment";
        return out->scope >= 0 ? 0 : -2;
    }
    if (!has_middle) {
        *why = "expected total.METRIC, cost.X, journeys.METRIC or channels|segments|groups.NAME.METRIC";
        return -1;
    }
    if (strncmp(name, "channels", head) == 0 && head == 8) {
        out->metric = metric_index(leaf, 0, MET_ISSUES);
        *why = "not a channel metric (see docs/output.md)";
        if (out->metric < 0) return -1;
        int found = 0;
        for (int c = 0; c < m->n_channels; c++)
            if (strcmp(m->channels[c].name, middle) == 0) {
                found = 1;
                if (metric_applies(out->metric, m->channels[c].kind, 0)) out->scope = 1 + c;
            }
        *why = "no such channel";
        return found ? 0 : -2;
    }
    if (strncmp(name, "segments", head) == 0 && head == 8) {
        out->metric = metric_index(leaf, 0, MET_ISSUES);
        *why = "not a segment metric (see docs/output.md)";
        if (out->metric < 0) return -1;
        for (int s = 0; s < m->n_segments; s++)
            if (strcmp(m->segments[s].name, middle) == 0) out->scope = results_segment_scope(m, s);
        *why = "no such segment";
        return out->scope >= 0 ? 0 : -2;
    }
    if (strncmp(name, "groups", head) == 0 && head == 6) {
        out->metric = strcmp(leaf, "cost") == 0 ? MET_COST_AGENTS : metric_index(leaf, 0, MET_ISSUES);
        *why = "a group's scheduled_agents, staffed_agents, occupancy, overrun_agent_s or cost expected";
        if (out->metric != MET_SCHEDULED_AGENTS && out->metric != MET_STAFFED_AGENTS &&
            out->metric != MET_OCCUPANCY && out->metric != MET_OVERRUN &&
            out->metric != MET_COST_AGENTS)
            return -1;
        for (int g = 0; g < m->n_groups; g++)
            if (strcmp(m->groups[g].name, middle) == 0) out->scope = results_group_scope(m, g, 0);
        *why = "no such group";
        return out->scope >= 0 ? 0 : -2;
    }
    *why = "expected total, cost, journeys, channels, segments or groups before the first '.'";
    return -1;
}

struct paired compare_paired(const struct results *base, struct metric_ref b,
                             const struct results *variant, struct metric_ref v)
{
    struct paired p = {(double)NAN, (double)NAN, (double)NAN, 0, 0};
    if (b.scope < 0 || v.scope < 0) return p;
    int reps = base->replications < variant->replications ? base->replications
                                                           : variant->replications;
    double sum = 0, first = (double)NAN;
    int same = 1;
    for (int r = 0; r < reps; r++) {
        double x = *results_value(base, r, b.scope, b.metric);
        double y = *results_value(variant, r, v.scope, v.metric);
        if (!isfinite(x) || !isfinite(y)) continue;
        double d = y - x;
        if (p.n == 0) first = d;
        same &= d == first;
        sum += d;
        p.n++;
    }
    if (p.n == 0) return p;
    p.mean = same ? first : sum / p.n;
    if (p.n < 2) return p; /* one pair: no interval, no test */
    if (same) {
        /* Every pair differs by the same amount (0 for a config against itself). */
        p.ci95 = 0;
        p.p = first == 0 ? 1 : 0;
        return p;
    }
    double ss = 0;
    for (int r = 0; r < reps; r++) {
        double x = *results_value(base, r, b.scope, b.metric);
        double y = *results_value(variant, r, v.scope, v.metric);
        if (isfinite(x) && isfinite(y)) ss += (y - x - p.mean) * (y - x - p.mean);
    }
    if (p.n < 2) return p;
    double se = sqrt(ss / (p.n - 1) / p.n);
    p.ci95 = gsl_cdf_tdist_Pinv(0.975, p.n - 1) * se;
    p.p = 2 * gsl_cdf_tdist_Q(fabs(p.mean) / se, p.n - 1);
    return p;
}

/* A p-value and the index of its comparison.  Ties sort by index so that the order does not
 * depend on the qsort implementation (Holm's step-down marks tied p-values alike anyway). */
struct ranked {
    double p;
    int i;
};

static int by_p(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

void compare_holm(struct paired *p, int n, double alpha)
{
    struct ranked *order = xcalloc((size_t)n + 1, sizeof *order);
    int m = 0;
    for (int i = 0; i < n; i++) {
        p[i].significant = 0;
        if (isfinite(p[i].p)) order[m++] = (struct ranked){p[i].p, i};
    }
    qsort(order, (size_t)m, sizeof *order, by_p);
    for (int i = 0; i < m && order[i].p <= alpha / (m - i); i++)
        p[order[i].i].significant = 1;
    free(order);
}

char **compare_default_metrics(const struct model_spec *m)
{
    static const char *const total[] = {"abandon_rate", "asa_s", "wait_mean_s", "service_level",
                                        "occupancy"};
    static const char *const per_channel[] = {"abandon_rate", "asa_s", "service_level"};
    static const char *const journeys[] = {"contacts_per_issue", "first_contact_resolution",
                                           "resolution_rate", "churn_rate", "churn_cost"};
    size_t cap = 5 + 3 * (size_t)m->n_channels + 1 + 5 + 1, n = 0;
    char **out = xcalloc(cap, sizeof *out);
    char buf[512];
    for (size_t i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "total.%s", total[i]);
        out[n++] = xstrdup(buf);
    }
    for (int c = 0; m->n_channels > 1 && c < m->n_channels; c++)
        for (size_t i = 0; i < 3; i++) {
            snprintf(buf, sizeof buf, "channels.%s.%s", m->channels[c].name, per_channel[i]);
            out[n++] = xstrdup(buf);
        }
    out[n++] = xstrdup("cost.total");
    for (size_t i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "journeys.%s", journeys[i]);
        out[n++] = xstrdup(buf);
    }
    return out;
}
