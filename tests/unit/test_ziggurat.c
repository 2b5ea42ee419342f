/* test_ziggurat: the exponential ziggurat.  Its tables, solved at start-up, reproduce the base edge
 * r and layer area v that Marsaglia and Tsang publish for 256 layers; its draws pass a
 * Kolmogorov-Smirnov test and a 200-bin chi-square test against the unit exponential at the 0.1 %
 * level; the tail beyond r, sampled by a separate branch, has the mass e^-r within its binomial
 * standard error; the mean matches 1 within its standard error; a reseeded stream repeats itself. */
#include "ziggurat.h"

#include "check.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_tables(void)
{
    /* Marsaglia and Tsang (2000), section 4: r = 7.69711747013104972,
     * v = .0039496598225815571993 for the exponential with 256 layers. */
    CHECK_NEAR(zig_base_edge(), 7.69711747013104972, 1e-13, "base edge r is the published value");
    CHECK_NEAR(zig_layer_area(), 0.0039496598225815571993, 1e-12,
               "layer area v is the published value");
}

static void test_draws(void)
{
    const size_t n = check_quick() ? 500000 : 4000000;
    double *x = malloc(n * sizeof *x);
    if (x == NULL) {
        CHECK(0, "allocating the sample");
        return;
    }
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 90210);
    double sum = 0;
    size_t bad = 0, tail = 0, bins[200] = {0};
    const double r = zig_base_edge();
    for (size_t i = 0; i < n; i++) {
        x[i] = zig_exponential(g);
        if (!(x[i] >= 0) || !isfinite(x[i])) bad++;
        sum += x[i];
        if (x[i] >= r) tail++;
        /* Equiprobable bins: F(x) = 1 - e^-x falls in bin floor(200 F). */
        size_t b = (size_t)(200 * -expm1(-x[i]));
        bins[b < 200 ? b : 199]++;
    }
    CHECK_INT(bad, 0, "every draw finite and >= 0");

    double mean = sum / (double)n, se = 1 / sqrt((double)n);
    char desc[160];
    snprintf(desc, sizeof desc, "sample mean within 4 SE of 1 (z = %+.2f)", (mean - 1) / se);
    CHECK_ABS(mean, 1.0, 4 * se, desc);

    double p_tail = exp(-r), se_tail = sqrt(p_tail * (1 - p_tail) / (double)n);
    snprintf(desc, sizeof desc, "mass beyond r within 4 SE of e^-r (z = %+.2f)",
             ((double)tail / (double)n - p_tail) / se_tail);
    CHECK_ABS((double)tail / (double)n, p_tail, 4 * se_tail, desc);

    double chi2 = 0, expect = (double)n / 200;
    for (int b = 0; b < 200; b++) chi2 += (bins[b] - expect) * (bins[b] - expect) / expect;
    double chi2_crit = gsl_cdf_chisq_Qinv(1e-3, 199);
    snprintf(desc, sizeof desc, "200-bin chi-square %.1f below its 0.1 %% critical value %.1f", chi2,
             chi2_crit);
    CHECK(chi2 < chi2_crit, desc);

    qsort(x, n, sizeof *x, by_value);
    double d_max = 0;
    for (size_t i = 0; i < n; i++) {
        double f = -expm1(-x[i]);
        double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
        if (lo > d_max) d_max = lo;
        if (hi > d_max) d_max = hi;
    }
    /* The asymptotic 0.1 % critical value of sqrt(n) D is 1.9495. */
    double ks = sqrt((double)n) * d_max;
    snprintf(desc, sizeof desc, "Kolmogorov-Smirnov sqrt(n) D = %.3f below 1.9495 (0.1 %%)", ks);
    CHECK(ks < 1.9495, desc);

    /* A stream's draws are a function of its seed alone. */
    double first[1000];
    gsl_rng_set(g, 4242);
    for (int i = 0; i < 1000; i++) first[i] = zig_exponential(g);
    gsl_rng_set(g, 4242);
    int same = 1;
    for (int i = 0; i < 1000; i++) same &= zig_exponential(g) == first[i];
    CHECK(same, "reseeding a stream repeats its draws");
    gsl_rng_free(g);
    free(x);
}

int main(void)
{
    test_tables();
    test_draws();
    return check_summary();
}
