/* dist: tagged duration distributions, all drawn with GSL.  A distribution is described by the
 * parameters a planner knows (mean and coefficient of variation, or min and max, or a list of
 * observed values) and converted once, in dist_prepare, into the parameters GSL's samplers take.
 * Durations are seconds. */
#ifndef CCSIM_DIST_H
#define CCSIM_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

enum dist_kind {
    DIST_NONE = 0,      /* no draw: e.g. no abandonment */
    DIST_EXPONENTIAL,   /* mean_s */
    DIST_DETERMINISTIC, /* mean_s */
    DIST_UNIFORM,       /* min_s, max_s */
    DIST_LOGNORMAL,     /* mean_s, cv */
    DIST_GAMMA,         /* mean_s, cv */
    DIST_WEIBULL,       /* mean_s, shape */
    DIST_ERLANG,        /* mean_s, k phases */
    DIST_EMPIRICAL,     /* values: each drawn with equal probability */
    DIST_N_KINDS
};

struct dist {
    enum dist_kind kind;
    double mean_s;   /* mean, s (input for most kinds; computed for uniform and empirical) */
    double cv;       /* coefficient of variation (input for lognormal, gamma; computed otherwise) */
    double min_s;    /* uniform lower bound, s */
    double max_s;    /* uniform upper bound, s */
    double shape;    /* Weibull shape k > 0 */
    int k;           /* Erlang phases >= 1 */
    double *values;  /* empirical values, s; owned */
    size_t n_values; /* length of values */
    double p1, p2;   /* sampler parameters derived by dist_prepare */
};

/* Name used in configs ("exponential", ...), or NULL for an out-of-range kind. */
const char *dist_kind_name(enum dist_kind kind);
/* Kind for a config name, or -1 when unknown. */
int dist_kind_from_name(const char *name);

/* Checks the parameters and derives the sampler's.  Returns NULL when valid, or a static message
 * naming the offending parameter (e.g. "mean_s must be > 0"). */
const char *dist_prepare(struct dist *d);

/* One draw, >= 0.  d must have been prepared; DIST_NONE returns +infinity (never happens). */
double dist_draw(const struct dist *d, gsl_rng *r);

/* The u-quantile (0 < u < 1) of a prepared distribution: the draw made by inversion, for
 * randomness tied to a contact rather than to a stream's order (see rng_contact_uniform). */
double dist_quantile(const struct dist *d, double u);

/* The remaining time given elapsed_s already spent, by inversion of u (0 < u < 1): the
 * u-quantile of X - e given X > e.  Computed on the upper tail (Q^-1(u Q(e)) - e), which stays
 * accurate far into it; exponential is memoryless.  0 when X cannot exceed e (a deterministic
 * or bounded distribution already past its end). */
double dist_residual(const struct dist *d, double elapsed_s, double u);

/* Exact mean and squared coefficient of variation of a prepared distribution. */
double dist_mean(const struct dist *d);
double dist_scv(const struct dist *d);

/* Frees the empirical values; the struct may be prepared again after setting new ones. */
void dist_fini(struct dist *d);

#endif
