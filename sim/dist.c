/* dist: duration distributions.  Parametrisations (all standard):
 *   lognormal by mean m and cv c: sigma^2 = ln(1 + c^2), mu = ln m - sigma^2 / 2;
 *   gamma by mean and cv: shape 1/c^2, scale m c^2;
 *   Weibull by mean and shape k: scale m / Gamma(1 + 1/k);
 *   Erlang-k by mean: gamma with integer shape k and scale m / k.
 * Empirical resamples the listed values with equal weights (a bootstrap of observed durations). */
#include "dist.h"

#include "ziggurat.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[DIST_N_KINDS] = {
    "none",      "exponential", "deterministic", "uniform", "lognormal",
    "gamma",     "weibull",     "erlang",        "empirical",
};

const char *dist_kind_name(enum dist_kind kind)
{
    if ((int)kind < 0 || kind >= DIST_N_KINDS) return NULL;
    return kind_names[kind];
}

int dist_kind_from_name(const char *name)
{
    for (int i = 0; i < DIST_N_KINDS; i++)
        if (strcmp(name, kind_names[i]) == 0) return i;
    return -1;
}

static int positive(double x)
{
    return isfinite(x) && x > 0;
}

const char *dist_prepare(struct dist *d)
{
    switch (d->kind) {
    case DIST_NONE:
        return NULL;
    case DIST_EXPONENTIAL:
        if (!positive(d->mean_s)) return "mean_s must be > 0";
        d->cv = 1;
        zig_init();
        return NULL;
    case DIST_DETERMINISTIC:
        if (!isfinite(d->mean_s) || d->mean_s < 0) return "mean_s must be >= 0";
        d->cv = 0;
        return NULL;
    case DIST_UNIFORM:
        if (!isfinite(d->min_s) || d->min_s < 0) return "min_s must be >= 0";
        if (!isfinite(d->max_s) || d->max_s < d->min_s) return "max_s must be >= min_s";
        d->mean_s = (d->min_s + d->max_s) / 2;
        d->cv = d->mean_s > 0 ? (d->max_s - d->min_s) / sqrt(12.0) / d->mean_s : 0;
        return NULL;
    case DIST_LOGNORMAL: {
        if (!positive(d->mean_s)) return "mean_s must be > 0";
        if (!positive(d->cv)) return "cv must be > 0";
        double s2 = log1p(d->cv * d->cv);
        d->p1 = log(d->mean_s) - s2 / 2;
        d->p2 = sqrt(s2);
        return NULL;
    }
    case DIST_GAMMA:
        if (!positive(d->mean_s)) return "mean_s must be > 0";
        if (!positive(d->cv)) return "cv must be > 0";
        d->p1 = 1 / (d->cv * d->cv);
        d->p2 = d->mean_s * d->cv * d->cv;
        return NULL;
    case DIST_WEIBULL:
        if (!positive(d->mean_s)) return "mean_s must be > 0";
        /* Below 0.05 Gamma(1 + 1/k) overflows long before any real duration needs it; above
         * 1000 the cv formula loses precision to cancellation, and such a Weibull is a
         * deterministic duration in all but name. */
        if (!isfinite(d->shape) || d->shape < 0.05 || d->shape > 1000)
            return "shape must be in [0.05, 1000]";
        d->p1 = d->mean_s / gsl_sf_gamma(1 + 1 / d->shape);
        d->p2 = d->shape;
        d->cv = sqrt(gsl_sf_gamma(1 + 2 / d->shape) / pow(gsl_sf_gamma(1 + 1 / d->shape), 2) - 1);
        return NULL;
    case DIST_ERLANG:
        if (!positive(d->mean_s)) return "mean_s must be > 0";
        if (d->k < 1) return "k must be >= 1";
        d->p1 = d->k;
        d->p2 = d->mean_s / d->k;
        d->cv = 1 / sqrt((double)d->k);
        return NULL;
    case DIST_EMPIRICAL: {
        if (d->n_values == 0) return "values must list at least one duration";
        double sum = 0, sum2 = 0;
        for (size_t i = 0; i < d->n_values; i++) {
            if (!isfinite(d->values[i]) || d->values[i] < 0) return "values must all be >= 0";
            sum += d->values[i];
        }
        d->mean_s = sum / (double)d->n_values;
        for (size_t i = 0; i < d->n_values; i++)
            sum2 += (d->values[i] - d->mean_s) * (d->values[i] - d->mean_s);
        d->cv = d->mean_s > 0 ? sqrt(sum2 / (double)d->n_values) / d->mean_s : 0;
        return NULL;
    }
    case DIST_N_KINDS:
        break;
    }
    return "unknown distribution";
}

double dist_draw(const struct dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case DIST_EXPONENTIAL:
        return d->mean_s * zig_exponential(r);
    case DIST_DETERMINISTIC:
        return d->mean_s;
    case DIST_UNIFORM:
        return gsl_ran_flat(r, d->min_s, d->max_s);
    case DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->p1, d->p2);
    case DIST_GAMMA:
    case DIST_ERLANG:
        return gsl_ran_gamma(r, d->p1, d->p2);
    case DIST_WEIBULL:
        return gsl_ran_weibull(r, d->p1, d->p2);
    case DIST_EMPIRICAL:
        return d->values[gsl_rng_uniform_int(r, d->n_values)];
    case DIST_NONE:
    case DIST_N_KINDS:
        break;
    }
    return HUGE_VAL;
}

double dist_quantile(const struct dist *d, double u)
{
    switch (d->kind) {
    case DIST_EXPONENTIAL:
        return gsl_cdf_exponential_Pinv(u, d->mean_s);
    case DIST_DETERMINISTIC:
        return d->mean_s;
    case DIST_UNIFORM:
        return gsl_cdf_flat_Pinv(u, d->min_s, d->max_s);
    case DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, d->p1, d->p2);
    case DIST_GAMMA:
    case DIST_ERLANG:
        return gsl_cdf_gamma_Pinv(u, d->p1, d->p2);
    case DIST_WEIBULL:
        return gsl_cdf_weibull_Pinv(u, d->p1, d->p2);
    case DIST_EMPIRICAL: {
        size_t i = (size_t)(u * (double)d->n_values);
        return d->values[i < d->n_values ? i : d->n_values - 1];
    }
    case DIST_NONE:
    case DIST_N_KINDS:
        break;
    }
    return HUGE_VAL;
}

double dist_residual(const struct dist *d, double e, double u)
{
    if (e <= 0) return dist_quantile(d, u);
    double x;
    switch (d->kind) {
    case DIST_EXPONENTIAL:
        return dist_quantile(d, u);
    case DIST_DETERMINISTIC:
        return fmax(d->mean_s - e, 0);
    case DIST_UNIFORM:
        if (e >= d->max_s) return 0;
        return gsl_cdf_flat_Pinv(u, fmax(e, d->min_s), d->max_s) - e;
    case DIST_LOGNORMAL: {
        double q = gsl_cdf_lognormal_Q(e, d->p1, d->p2);
        x = q > 1e-290 ? gsl_cdf_lognormal_Qinv((1 - u) * q, d->p1, d->p2) : e;
        if (x > e) break;
        /* Past where the tail underflows: its hazard is about (ln e - mu) / (sigma^2 e), so
         * the remainder is close to exponential with that rate's inverse as mean. */
        return -log1p(-u) * d->p2 * d->p2 * e / fmax(log(e) - d->p1, d->p2 * d->p2);
    }
    case DIST_GAMMA:
    case DIST_ERLANG: {
        double q = gsl_cdf_gamma_Q(e, d->p1, d->p2);
        x = q > 1e-290 ? gsl_cdf_gamma_Qinv((1 - u) * q, d->p1, d->p2) : e;
        if (x > e) break;
        /* Far in the tail (where the inverse loses its accuracy) the remainder is close to
         * exponential at the hazard there, (1 - (k - 1) theta / e) / theta, which tends to
         * 1 / theta. */
        double rate = (1 - (d->p1 - 1) * d->p2 / e) / d->p2;
        return -log1p(-u) / (rate > 0 ? rate : 1 / d->p2);
    }
    case DIST_WEIBULL:
        /* Closed form, no tail to underflow: Q(e + x) = (1 - u) Q(e). */
        return d->p1 * pow(pow(e / d->p1, d->p2) - log1p(-u), 1 / d->p2) - e;
    case DIST_EMPIRICAL: {
        /* The values above e, equally likely (values are kept as given: count them). */
        size_t above = 0;
        for (size_t i = 0; i < d->n_values; i++)
            above += d->values[i] > e;
        if (above == 0) return 0;
        size_t pick = (size_t)(u * (double)above);
        if (pick >= above) pick = above - 1;
        for (size_t i = 0; i < d->n_values; i++)
            if (d->values[i] > e && pick-- == 0) return d->values[i] - e;
        return 0;
    }
    default:
        return HUGE_VAL;
    }
    return fmax(x - e, 0);
}

double dist_mean(const struct dist *d)
{
    return d->kind == DIST_NONE ? HUGE_VAL : d->mean_s;
}

double dist_scv(const struct dist *d)
{
    return d->cv * d->cv;
}

void dist_fini(struct dist *d)
{
    free(d->values);
    d->values = NULL;
    d->n_values = 0;
}
