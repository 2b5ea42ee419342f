/* stats: histogram and across-replication summaries.  The bin of x >= HIST_LINEAR_S is
 * 1 + 100 + floor(ln(x / 100) / ln(1.01)); one log per recorded value above 100 s is cheap beside
 * the event that produced it.  Summaries use two passes (mean, then squared deviations) in index
 * order, so they are exact to rounding and independent of who computed the replications. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#define LINEAR_BINS 100

void hist_reset(struct hist *h)
{
    memset(h, 0, sizeof *h);
}

int hist_bin(double x)
{
    if (!(x > 0)) return 0;
    if (x < HIST_LINEAR_S) return 1 + (int)x;
    double k = floor(log(x / HIST_LINEAR_S) / log(HIST_GROWTH));
    int bin = 1 + LINEAR_BINS + (int)fmin(k, HIST_BINS - LINEAR_BINS - 2);
    /* log and pow round differently at the edges; the edges hist_bin_lo/hi report decide. */
    if (bin > 1 + LINEAR_BINS && x < hist_bin_lo(bin))
        bin--;
    else if (bin < HIST_BINS - 1 && x >= hist_bin_hi(bin))
        bin++;
    return bin;
}

double hist_bin_lo(int bin)
{
    if (bin == 0) return 0;
    if (bin <= LINEAR_BINS) return bin - 1;
    return HIST_LINEAR_S * pow(HIST_GROWTH, bin - 1 - LINEAR_BINS);
}

double hist_bin_hi(int bin)
{
    if (bin == 0) return 0;
    if (bin <= LINEAR_BINS) return bin;
    return HIST_LINEAR_S * pow(HIST_GROWTH, bin - LINEAR_BINS);
}

void hist_add(struct hist *h, double x)
{
    h->count[hist_bin(x)]++;
    h->total++;
}

void hist_merge(struct hist *into, const struct hist *from)
{
    for (int i = 0; i < HIST_BINS; i++)
        into->count[i] += from->count[i];
    into->total += from->total;
}

double hist_quantile(const struct hist *h, double p)
{
    if (h->total == 0) return (double)NAN;
    /* The value of rank p * total, counting from 0, with values spread evenly inside a bin. */
    double rank = p * (double)h->total;
    uint64_t below = 0;
    for (int i = 0; i < HIST_BINS; i++) {
        uint64_t c = h->count[i];
        if (c == 0) continue;
        if ((double)(below + c) > rank || i == HIST_BINS - 1) {
            if (i == 0) return 0;
            double frac = (rank - (double)below) / (double)c;
            double lo = hist_bin_lo(i), hi = hist_bin_hi(i);
            return lo + (hi - lo) * fmin(frac, 1.0);
        }
        below += c;
    }
    return (double)NAN;
}

double stat_t_quantile(double level, int n)
{
    return gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(n - 1));
}

struct stat_summary stat_summarize(const double *values, size_t count, size_t stride)
{
    struct stat_summary s = {(double)NAN, (double)NAN, 0};
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        double v = values[i * stride];
        if (!isfinite(v)) continue;
        sum += v;
        s.n++;
    }
    if (s.n == 0) return s;
    s.mean = sum / s.n;
    if (s.n < 2) return s;
    double ss = 0;
    for (size_t i = 0; i < count; i++) {
        double v = values[i * stride];
        if (isfinite(v)) ss += (v - s.mean) * (v - s.mean);
    }
    double sd = sqrt(ss / (s.n - 1));
    s.ci95 = stat_t_quantile(0.95, s.n) * sd / sqrt((double)s.n);
    return s;
}
