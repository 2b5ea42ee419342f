/* compare: paired comparison of runs made on the same replications (common random numbers).
 * Metrics are named by the JSON paths people read (docs/scenarios.md): "total.asa_s",
 * "channels.voice.service_level", "segments.young.abandon_rate", "journeys.churn_rate",
 * "journeys.young.churn_rate", "cost.total", "groups.agents.occupancy". */
#ifndef CCSIM_COMPARE_H
#define CCSIM_COMPARE_H

#include "model.h"

/* Where a metric lives in a model's results: scope and metric index; -1 when the model has no
 * such metric (a channel it does not have). */
struct metric_ref {
    int scope, metric;
};

/* Resolves name against m.  Returns 0, -1 when the name is not a metric of any model (a typo),
 * or -2 when the model has no channel, segment or group of that name (a variant may lack one:
 * the caller decides); *why says which.  A channel metric that does not apply to the channel's
 * kind gives scope -1. */
int compare_resolve(const char *name, const struct model_spec *m, struct metric_ref *out,
                    const char **why);

/* The paired difference variant - base over the replications where both are defined. */
struct paired {
    double mean;  /* mean difference */
    double ci95;  /* half-width of its 95 % interval (Student t); 0 when every difference is equal */
    double p;     /* two-sided p-value of "no difference" (1 when all differences are 0, 0 when
                   * they are all the same non-zero value) */
    int n;        /* pairs */
    int significant; /* after the Holm correction (compare_holm) */
};

struct paired compare_paired(const struct results *base, struct metric_ref b,
                             const struct results *variant, struct metric_ref v);

/* Marks p[i].significant by Holm's step-down procedure at family level alpha over the n tests
 * (those with n < 2 are left out). */
void compare_holm(struct paired *p, int n, double alpha);

/* The default metrics of a comparison for model m (NULL-terminated array of names; caller frees
 * the array and its strings). */
char **compare_default_metrics(const struct model_spec *m);

#endif
