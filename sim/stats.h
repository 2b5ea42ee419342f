/* stats: the accumulators.  A log-linear histogram gives quantiles in fixed memory: one bin for an
 * exact zero, 1-second bins below HIST_LINEAR_S, then bins HIST_GROWTH wide in ratio, so a
 * quantile is exact to 1 s below 100 s and to 1 % above (up to HIST_MAX_S; larger values share
 * the last bin).  Across replications, stat_summarize gives the mean and the Student-t 95 %
 * half-width of the replications where a metric is defined (finite). */
#ifndef CCSIM_STATS_H
#define CCSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#define HIST_LINEAR_S 100.0
#define HIST_GROWTH   1.01
#define HIST_MAX_S    1e8
/* 1 zero bin + 100 linear bins + ceil(ln(HIST_MAX_S / HIST_LINEAR_S) / ln(HIST_GROWTH)) log bins */
#define HIST_BINS 1490

struct hist {
    uint64_t count[HIST_BINS]; /* contacts per bin */
    uint64_t total;            /* contacts recorded */
};

void hist_reset(struct hist *h);
void hist_add(struct hist *h, double x);
void hist_merge(struct hist *into, const struct hist *from);
/* The p-quantile (0 < p < 1) of the recorded values, interpolated inside its bin; NaN when
 * empty. */
double hist_quantile(const struct hist *h, double p);
/* Bin bounds, exposed for the tests. */
int hist_bin(double x);
double hist_bin_lo(int bin);
double hist_bin_hi(int bin);

struct stat_summary {
    double mean; /* over the replications where the value is finite; NaN when none */
    double ci95; /* Student-t 95 % half-width; NaN with fewer than two values */
    int n;       /* replications used */
};

/* Summarizes values[0], values[stride], ... (count of them), in index order. */
struct stat_summary stat_summarize(const double *values, size_t count, size_t stride);

/* Student-t two-sided quantile: half-width multiplier for confidence `level` with n values. */
double stat_t_quantile(double level, int n);

#endif
