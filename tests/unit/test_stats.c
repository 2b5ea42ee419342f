/* test_stats: the histogram and the across-replication summary.  Bins are checked for consistency
 * with their bounds (including at the bounds themselves), contiguity and widths; quantiles of
 * known samples against exact order statistics; merging against adding everything to one
 * histogram; stat_summarize against hand-computed samples with tabulated Student-t quantiles. */
#include "stats.h"

#include "check.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAST_BIN (HIST_BINS - 1)

/* ================================ Bins ================================ */

/* Returns 1 when hist_bin(x) is the bin whose [lo, hi) holds x; the zero bin holds x <= 0, bin 1
 * holds (0, 1), and the last bin also holds everything from its upper bound on. */
static int bin_holds(double x)
{
    int b = hist_bin(x);
    if (b < 0 || b > LAST_BIN) return 0;
    if (x <= 0) return b == 0;
    if (b == 0) return 0;
    if (b == LAST_BIN && x >= hist_bin_hi(LAST_BIN)) return 1;
    return hist_bin_lo(b) <= x && x < hist_bin_hi(b);
}

static void test_bins(void)
{
    CHECK_INT(hist_bin(0), 0, "exact zero goes to bin 0");
    CHECK_INT(hist_bin(-0.0), 0, "negative zero goes to bin 0");
    CHECK_INT(hist_bin(4.9406564584124654e-324), 1, "smallest positive double goes to bin 1");
    CHECK_INT(hist_bin(0.5), 1, "0.5 s goes to bin 1 [0, 1)");
    CHECK_INT(hist_bin(1), 2, "1 s goes to bin 2 [1, 2)");
    CHECK_INT(hist_bin(2.385), 3, "2.385 s goes to bin 3 [2, 3)");
    CHECK_INT(hist_bin(nextafter(HIST_LINEAR_S, 0)), 100,
              "just below 100 s is the last linear bin");
    CHECK_INT(hist_bin(HIST_LINEAR_S), 101, "100 s is the first log bin");
    CHECK_INT(hist_bin(1e12), LAST_BIN, "1e12 s shares the last bin");
    CHECK_INT(hist_bin(HUGE_VAL), LAST_BIN, "+inf shares the last bin");
    CHECK(hist_bin_lo(LAST_BIN) < HIST_MAX_S && hist_bin_hi(LAST_BIN) >= HIST_MAX_S,
          "the last bin straddles HIST_MAX_S (HIST_BINS is just enough)");

    /* Contiguous, increasing, 1 s wide below HIST_LINEAR_S and HIST_GROWTH in ratio above. */
    int contiguous = 1, increasing = 1, linear = 1, ratio = 1;
    for (int b = 1; b <= LAST_BIN; b++) {
        double lo = hist_bin_lo(b), hi = hist_bin_hi(b);
        if (!(hi > lo)) increasing = 0;
        if (b > 1 && lo != hist_bin_hi(b - 1)) contiguous = 0;
        if (hi <= HIST_LINEAR_S) {
            if (hi - lo != 1 || lo != b - 1) linear = 0;
        } else if (fabs(hi / lo - HIST_GROWTH) > 1e-13) {
            ratio = 0;
        }
    }
    CHECK(hist_bin_lo(0) == 0 && hist_bin_hi(0) == 0, "the zero bin is [0, 0]");
    CHECK(hist_bin_lo(1) == 0, "bin 1 starts at 0");
    CHECK(contiguous, "bins are contiguous: lo(b) = hi(b - 1)");
    CHECK(increasing, "bins have positive width");
    CHECK(linear, "bins below 100 s are [b - 1, b)");
    CHECK(ratio, "bins above 100 s have hi / lo = 1.01");
    CHECK_INT(hist_bin_hi(100) == HIST_LINEAR_S && hist_bin_lo(101) == HIST_LINEAR_S, 1,
              "the linear and log ranges meet at 100 s");

    /* Many x, log-uniform from 1e-3 to 1e9, plus every integer and half-integer up to 300. */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 31337);
    long wrong = 0;
    for (int i = 0; i < 200000; i++) {
        double x = exp(log(1e-3) + (log(1e9) - log(1e-3)) * gsl_rng_uniform(g));
        if (!bin_holds(x)) wrong++;
    }
    for (int i = 0; i <= 600; i++)
        if (!bin_holds(0.5 * i)) wrong++;
    gsl_rng_free(g);
    CHECK_INT(wrong, 0, "x lies in [lo, hi) of its bin for 200k x from 1e-3 to 1e9");

    /* At the bounds: lo itself, the double below lo, and the double below hi, for every bin.  This
     * is where computing the bin with log and the bounds with pow can disagree. */
    long bad_lo = 0, bad_below_hi = 0;
    for (int b = 2; b <= LAST_BIN; b++) {
        double lo = hist_bin_lo(b), hi = hist_bin_hi(b);
        if (hist_bin(lo) != b) bad_lo++;
        if (hist_bin(nextafter(hi, 0)) != b) bad_below_hi++;
    }
    CHECK_INT(bad_lo, 0, "every bin's lower bound maps to that bin");
    CHECK_INT(bad_below_hi, 0, "the double just below every bin's upper bound maps to that bin");
}

/* ================================ Quantiles ================================ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Exact order-statistic quantile of the sorted sample: the value of rank floor(p n), counting
 * from 0 (the convention of hist_quantile; either neighbouring order statistic is within the
 * tolerance anyway). */
static double exact_quantile(const double *sorted, size_t n, double p)
{
    size_t i = (size_t)floor(p * (double)n);
    if (i >= n) i = n - 1;
    return sorted[i];
}

static const double probs[] = {0.001, 0.01, 0.1, 0.25, 0.3781, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999};

/* Compares hist_quantile with the exact quantile for every p in probs, within 1 s or 1 %. */
static void check_quantiles(const struct hist *h, double *sorted, size_t n, const char *what)
{
    char desc[200];
    qsort(sorted, n, sizeof *sorted, cmp_double);
    double prev = -1;
    int monotone = 1;
    for (size_t i = 0; i < sizeof probs / sizeof probs[0]; i++) {
        double q = hist_quantile(h, probs[i]), e = exact_quantile(sorted, n, probs[i]);
        snprintf(desc, sizeof desc, "%s: quantile %g within 1 s or 1 %% of the exact %.6g", what,
                 probs[i], e);
        CHECK_ABS(q, e, fmax(1.0, 0.01 * e), desc);
        if (q < prev) monotone = 0;
        prev = q;
    }
    snprintf(desc, sizeof desc, "%s: quantiles increase with p", what);
    CHECK(monotone, desc);
}

static void test_quantiles(void)
{
    enum { N = 100000 };
    struct hist *h = xcalloc(1, sizeof *h);
    double *v = xmalloc(2 * N * sizeof *v);

    CHECK(isnan(hist_quantile(h, 0.5)), "empty histogram: quantile is NaN");
    hist_reset(h);
    CHECK(isnan(hist_quantile(h, 0.9)), "after hist_reset: quantile is NaN");

    /* 1, 2, ..., 100000 s: both the linear and the log ranges. */
    for (int i = 0; i < N; i++) {
        v[i] = i + 1;
        hist_add(h, v[i]);
    }
    CHECK_INT(h->total, N, "total counts every value");
    check_quantiles(h, v, N, "1..100000");

    /* 200k exponential draws, mean 180 s: about 43 % below 100 s. */
    hist_reset(h);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 24601);
    for (int i = 0; i < 2 * N; i++) {
        v[i] = gsl_ran_exponential(g, 180.0);
        hist_add(h, v[i]);
    }
    check_quantiles(h, v, 2 * N, "200k exponential(180)");

    /* Fractional values spread inside 1-second bins: 10000 uniform on [37, 38). */
    hist_reset(h);
    for (int i = 0; i < 10000; i++) {
        v[i] = 37 + gsl_rng_uniform(g);
        hist_add(h, v[i]);
    }
    check_quantiles(h, v, 10000, "uniform [37, 38)");
    gsl_rng_free(g);

    /* Exact zeros. */
    hist_reset(h);
    for (int i = 0; i < 1000; i++)
        hist_add(h, 0.0);
    CHECK(hist_quantile(h, 0.01) == 0 && hist_quantile(h, 0.5) == 0 && hist_quantile(h, 0.999) == 0,
          "all zeros: every quantile is exactly 0");
    /* 300 zeros and 700 values of 45.5 s. */
    hist_reset(h);
    for (int i = 0; i < 300; i++)
        hist_add(h, 0.0);
    for (int i = 0; i < 700; i++)
        hist_add(h, 45.5);
    CHECK(hist_quantile(h, 0.2) == 0, "30 % zeros: quantile 0.2 is exactly 0");
    CHECK(hist_quantile(h, 0.299) == 0, "30 % zeros: quantile 0.299 is exactly 0");
    CHECK_ABS(hist_quantile(h, 0.5), 45.5, 1.0, "30 % zeros: median within 1 s of 45.5");
    CHECK_ABS(hist_quantile(h, 0.3), 45.5, 1.0, "30 % zeros: quantile 0.3 is the first non-zero");

    /* A single value: every quantile lies in its bin. */
    hist_reset(h);
    hist_add(h, 2.385);
    double q = hist_quantile(h, 0.5);
    CHECK(q >= 2 && q <= 3, "single value 2.385: median in its bin [2, 3]");
    hist_reset(h);
    hist_add(h, 5e8);
    q = hist_quantile(h, 0.5);
    CHECK(q >= hist_bin_lo(LAST_BIN) && q <= hist_bin_hi(LAST_BIN),
          "a value beyond HIST_MAX_S reports within the last bin");

    free(v);
    free(h);
}

static void test_merge(void)
{
    struct hist *a = xcalloc(1, sizeof *a), *b = xcalloc(1, sizeof *b);
    struct hist *all = xcalloc(1, sizeof *all), *e = xcalloc(1, sizeof *e);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 8086);
    for (int i = 0; i < 50000; i++) {
        double x = gsl_ran_exponential(g, 95.25), y = gsl_ran_lognormal(g, 6.1, 1.3);
        if (i % 17 == 0) x = 0;
        hist_add(a, x);
        hist_add(b, y);
        hist_add(all, x);
        hist_add(all, y);
    }
    struct hist *m = xcalloc(1, sizeof *m);
    hist_merge(m, a); /* into an empty histogram */
    CHECK(memcmp(m, a, sizeof *m) == 0, "merging into an empty histogram copies it");
    hist_merge(m, b);
    CHECK(memcmp(m->count, all->count, sizeof m->count) == 0,
          "merged counts equal adding everything to one histogram");
    CHECK_INT(m->total, all->total, "merged total equals the total of one histogram");
    CHECK(hist_quantile(m, 0.9) == hist_quantile(all, 0.9), "merged and single give the same p90");
    hist_merge(m, e);
    CHECK(memcmp(m, all, sizeof *m) == 0, "merging an empty histogram changes nothing");
    gsl_rng_free(g);
    free(a);
    free(b);
    free(all);
    free(e);
    free(m);
}

/* ================================ Summaries ================================ */

static void test_t_quantile(void)
{
    /* Student-t 0.975 quantiles from tables (checked independently to 15 digits). */
    CHECK_NEAR(stat_t_quantile(0.95, 2), 12.70620474, 1e-9, "t_{0.975,1} = 12.70620474");
    CHECK_NEAR(stat_t_quantile(0.95, 5), 2.776445105, 1e-9, "t_{0.975,4} = 2.776445105");
    CHECK_NEAR(stat_t_quantile(0.95, 10), 2.262157163, 1e-9, "t_{0.975,9} = 2.262157163");
    CHECK_NEAR(stat_t_quantile(0.95, 31), 2.042272456, 1e-9, "t_{0.975,30} = 2.042272456");
}

static void test_summarize(void)
{
    /* n = 5: sum 74.625, mean 14.925, squared deviations sum to 75.6125 (hand-computed). */
    const double a[] = {12.5, 17.25, 9.75, 21.0, 14.125};
    struct stat_summary s = stat_summarize(a, 5, 1);
    CHECK_INT(s.n, 5, "n = 5");
    CHECK_NEAR(s.mean, 14.925, 1e-15, "mean of 5 values is 14.925");
    CHECK_NEAR(s.ci95, 2.776445105 * sqrt(75.6125 / 4) / sqrt(5.0), 1e-9,
               "ci95 of 5 values is t_{0.975,4} s / sqrt 5");

    /* n = 10: sum 60, mean 6, squared deviations sum to 91.28125 (hand-computed). */
    const double b[] = {3.5, 7.25, 1.125, 9.0, 4.75, 6.5, 2.875, 8.25, 5.0, 11.75};
    s = stat_summarize(b, 10, 1);
    CHECK_INT(s.n, 10, "n = 10");
    CHECK_NEAR(s.mean, 6.0, 1e-15, "mean of 10 values is 6");
    CHECK_NEAR(s.ci95, 2.262157163 * sqrt(91.28125 / 9) / sqrt(10.0), 1e-9,
               "ci95 of 10 values is t_{0.975,9} s / sqrt 10");

    /* The 5 values with non-finite ones interleaved (undefined metrics) give the same result. */
    const double c[] = {(double)NAN, 12.5, HUGE_VAL,    17.25,  9.75,
                        -HUGE_VAL,   21.0, (double)NAN, 14.125, (double)NAN};
    s = stat_summarize(c, 10, 1);
    CHECK_INT(s.n, 5, "NaN and +-inf are skipped: n = 5");
    CHECK_NEAR(s.mean, 14.925, 1e-15, "mean skips non-finite values");
    CHECK_NEAR(s.ci95, 2.776445105 * sqrt(75.6125 / 4) / sqrt(5.0), 1e-9,
               "ci95 skips non-finite values");

    /* Stride: the 5 values as the second field of {other, value} records. */
    const double d[] = {-1e300, 12.5, 1e300, 17.25, 3, 9.75, -7, 21.0, 0, 14.125};
    s = stat_summarize(d + 1, 5, 2);
    CHECK_INT(s.n, 5, "stride 2: n = 5");
    CHECK_NEAR(s.mean, 14.925, 1e-15, "stride 2: mean reads every other value");
    CHECK_NEAR(s.ci95, 2.776445105 * sqrt(75.6125 / 4) / sqrt(5.0), 1e-9, "stride 2: ci95");

    /* Boundaries. */
    const double one[] = {(double)NAN, 2.385};
    s = stat_summarize(one, 2, 1);
    CHECK(s.n == 1 && s.mean == 2.385 && isnan(s.ci95), "one finite value: mean, ci95 NaN");
    const double none[] = {(double)NAN, HUGE_VAL};
    s = stat_summarize(none, 2, 1);
    CHECK(s.n == 0 && isnan(s.mean) && isnan(s.ci95), "no finite value: n 0, mean and ci95 NaN");
    s = stat_summarize(NULL, 0, 1);
    CHECK(s.n == 0 && isnan(s.mean) && isnan(s.ci95), "count 0: n 0, mean and ci95 NaN");
    /* Equal values: 187.25 sums exactly, so the spread is exactly 0; 187.3 does not (the sum
     * rounds), so the result is exact only to rounding. */
    const double same[] = {187.25, 187.25, 187.25};
    s = stat_summarize(same, 3, 1);
    CHECK(s.n == 3 && s.mean == 187.25 && s.ci95 == 0, "equal values 187.25: exact mean, ci95 0");
    const double same3[] = {187.3, 187.3, 187.3};
    s = stat_summarize(same3, 3, 1);
    CHECK_NEAR(s.mean, 187.3, 1e-15, "equal values 187.3: mean to rounding");
    CHECK(s.ci95 >= 0 && s.ci95 < 1e-12, "equal values 187.3: ci95 0 to rounding");
    /* Two passes keep a large offset from swamping the spread: values 1e9 + {1, 2, 3}. */
    const double off[] = {1e9 + 1, 1e9 + 2, 1e9 + 3};
    s = stat_summarize(off, 3, 1);
    CHECK_NEAR(s.ci95, stat_t_quantile(0.95, 3) * 1.0 / sqrt(3.0), 1e-9,
               "offset 1e9: ci95 from sd 1 exactly");
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_bins();
    test_quantiles();
    test_merge();
    test_t_quantile();
    test_summarize();
    return check_summary();
}
