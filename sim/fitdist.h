/* fitdist: maximum-likelihood fits of the duration families ccsim simulates, for calibrating a
 * model from contact logs: handle times (complete data) and patience (right-censored: an answered
 * caller's patience is only known to exceed the wait).  Results use ccsim's parametrisation
 * (dist.h), so a fit converts straight into a config's `dist` block, with standard errors from the
 * observed Fisher information.  Kaplan-Meier gives the model-free survival curve to plot a
 * censored fit against.  Nothing here keeps state between calls; times are seconds. */
#ifndef CCSIM_FITDIST_H
#define CCSIM_FITDIST_H

#include "dist.h"

#include <stddef.h>

enum fit_family { FIT_EXPONENTIAL, FIT_LOGNORMAL, FIT_GAMMA, FIT_WEIBULL, FIT_N_FAMILIES };

/* "exponential", "lognormal", "gamma", "weibull" (the config names of dist.h), or NULL for an
 * out-of-range family. */
const char *fit_family_name(enum fit_family f);
/* The family for a config name, or -1 when it is not one of the four. */
int fit_family_from_name(const char *name);

struct fit_result {
    enum fit_family family;
    int ok;           /* 0 when the fit does not apply (n too small, a value <= 0) or did not
                       * converge; every number below is then NaN */
    int n_params;     /* 1 for exponential, 2 otherwise */
    double p[2];      /* exponential {mean_s}; lognormal {mean_s, cv}; gamma {mean_s, cv};
                       * weibull {mean_s, shape} (p[1] NaN for exponential) */
    double se[2];     /* standard errors of p: observed Fisher information at the estimate,
                       * carried to this parametrisation by the delta method */
    double loglik;    /* maximised log-likelihood (densities in 1/s) */
    double aic;       /* 2 n_params - 2 loglik */
    double ks;        /* Kolmogorov-Smirnov sup |F_n - F| (complete data; NaN when censored) */
    size_t n;         /* observations */
    size_t n_events;  /* uncensored observations (n for complete data) */
};

/* Maximum likelihood on complete data x[0..n), each finite and > 0.  Exponential and lognormal
 * in closed form; gamma by a bracketed Newton iteration on the shape (log k - psi(k) =
 * log mean - mean log); Weibull by the same on the profile score of its shape.  n >= 1 for the
 * exponential and n >= 2 with two distinct values for the others; a fit whose numbers leave the
 * doubles (a mean beyond 1e308) or a gamma with cv below 0.0032 (shape above 1e5, where GSL's
 * incomplete gamma function no longer converges: a deterministic duration in all but name) is
 * not ok.  Returns 0, or -1 with out->ok = 0.  x is borrowed; O(n log n) for the KS sort. */
int fit_complete(enum fit_family f, const double *x, size_t n, struct fit_result *out);

/* Fits all four families (out[f] for family f, each as fit_complete would, sorting x once).
 * Returns the family with the least AIC among those ok (the lower one on a tie), -1 if none. */
int fit_all(const double *x, size_t n, struct fit_result out[FIT_N_FAMILIES]);

/* Right-censored data (patience): t[i] >= 0 and finite; event[i] = 1 when observed (the caller
 * abandoned after waiting t[i]), 0 when censored (answered after t[i], so patience > t[i]);
 * event NULL means every time is observed.  Exponential in closed form (events / total time,
 * the classic abandoned / total waiting estimator, with SE mean / sqrt(events)); Weibull by the
 * bracketed Newton iteration on its profile score (exact, as for complete data); lognormal and
 * gamma by Nelder-Mead (gsl_multimin) on log-parameters, then Newton's method until the
 * remaining step is below 1e-6 standard errors, with the analytic score and information for the
 * lognormal and central differences for the gamma (whose survival has no derivative in the
 * shape in GSL).  The exponential needs an event and a positive total time; the others two
 * events, all at t > 0 (a zero abandonment time has zero or infinite density: add half the
 * clock's resolution before fitting).  ks is NaN.  Returns 0, or -1 with out->ok = 0.  With
 * every event observed the fit is the complete one (exactly for exponential and Weibull).
 * O(n) per likelihood evaluation; a gamma fit evaluates an incomplete gamma function for each
 * censored time about eighty times (a few tenths of a second for 10,000 of them). */
int fit_censored(enum fit_family f, const double *t, const int *event, size_t n,
                 struct fit_result *out);

/* CDF and density (1/s) of a fitted distribution at x >= 0 (0 below 0); NaN when !r->ok (and
 * the CDF of a hand-made gamma result with cv below 0.0032, which no fit returns). */
double fit_cdf(const struct fit_result *r, double x);
double fit_density(const struct fit_result *r, double x);

/* Fills d (overwritten, nothing freed) with the fitted distribution (kind, mean_s and cv or
 * shape) and prepares it.  Returns 0, or -1 when !r->ok or dist_prepare rejects the parameters
 * (a Weibull shape outside [0.05, 1000]). */
int fit_to_dist(const struct fit_result *r, struct dist *d);

/* Kaplan-Meier estimate from the same (t, event) data: S(t) just after each distinct event time,
 * in increasing time, with Greenwood standard errors (NaN where S = 0, where Greenwood's sum is
 * infinite).  Censored times tied with an event time count as at risk at it.  Arrays are owned
 * by the curve (free with km_free).  Returns 0, or -1 (and an empty curve) when a t is negative
 * or not finite or an event is not 0 or 1.  O(n log n). */
struct km_curve {
    size_t n;     /* distinct event times */
    double *time; /* event times, s, increasing */
    double *surv; /* S just after time[i] */
    double *se;   /* Greenwood standard error of surv[i] */
};
int km_estimate(const double *t, const int *event, size_t n, struct km_curve *out);
/* Frees the arrays and empties the curve; km_free(NULL) does nothing. */
void km_free(struct km_curve *k);
/* S(t) from the curve, a right-continuous step function: 1 before the first event time,
 * surv[i] from time[i] until the next.  NaN for a NaN t. */
double km_at(const struct km_curve *k, double t);

#endif
