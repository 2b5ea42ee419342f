/* fitdist: maximum likelihood for the exponential, lognormal, gamma and Weibull families, on
 * complete and right-censored samples, and the Kaplan-Meier estimator.
 *
 * Each fit works in parameters natural to its family (log-scales where a scale enters, so any
 * unit of time gives the same relative numbers), takes the observed information (minus the
 * Hessian of the log-likelihood) at the estimate, and carries its inverse to ccsim's
 * (mean_s, cv | shape) by the delta method.  A fit is ok only when every reported number is
 * finite and the information positive definite, so ok = 1 never comes with a NaN.  Cost: O(n)
 * per likelihood evaluation; closed forms and the shape equations take a few, the censored
 * lognormal and gamma about a hundred.  References: J. F. Lawless (2003), Statistical Models
 * and Methods for Lifetime Data, 2nd ed. (censored likelihoods, the Weibull profile score);
 * T. P. Minka (2002), "Estimating a Gamma distribution" (the shape's starting value);
 * M. V. Menon (1963), Technometrics 5 (the Weibull's); E. L. Kaplan, P. Meier (1958), JASA 53;
 * M. Greenwood (1926), the variance of S. */
#include "fitdist.h"

#include "util.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <string.h>

/* ln(2 pi) and ln 2 (M_ constants are XSI, not C11). */
#define LN_2PI 1.837877066409345483560659472811235279722794947275566825634
#define LN2    0.693147180559945309417232121458176568075500134360255254120

/* The shape equations stop when a Newton step moves ln k by less than this relative amount:
 * 1e-12 in the shape is far below any standard error a sample can have (that would take about
 * 1e24 observations), and above the rounding noise of an O(n) sum of logarithms. */
#define SHAPE_TOL      1e-12
#define SHAPE_MAX_ITER 200

/* The censored lognormal and gamma start with Nelder-Mead, stopped when the simplex (in
 * log-parameters) is below SIMPLEX_TOL (a relative 1e-3): not for precision, only to come
 * within the quadratic region of the maximum, where Newton's method takes over
 * (newton_polish), with a line search for steps of more than 1e-3 standard errors.  Newton stops
 * when the remaining step is at most 1e-6 standard errors (decrement 1e-12): the optimisation error
 * is then negligible beside the sampling error at any sample size. */
#define SIMPLEX_TOL      1e-3
#define SIMPLEX_MAX_ITER 500
#define DECREMENT_TOL    1e-12
#define SHORT_STEP       1e-6
#define POLISH_MAX_ITER  50

/* The largest gamma shape fitted (cv >= 0.0032).  GSL's incomplete gamma function stops
 * converging, and says so through the error handler, for shapes near 1e6 with arguments beyond
 * 1e6; below 1e5 it converges everywhere.  A gamma with a smaller cv is a deterministic
 * duration in all but name (dist.c caps the Weibull shape at 1000 for the same reason). */
#define GAMMA_SHAPE_MAX 1e5

static const char *const family_names[FIT_N_FAMILIES] = {"exponential", "lognormal", "gamma",
                                                         "weibull"};

const char *fit_family_name(enum fit_family f)
{
    if ((int)f < 0 || f >= FIT_N_FAMILIES) return NULL;
    return family_names[f];
}

int fit_family_from_name(const char *name)
{
    for (int i = 0; i < FIT_N_FAMILIES; i++)
        if (strcmp(name, family_names[i]) == 0) return i;
    return -1;
}

/* ================================ Results ================================ */

/* Every number NaN and ok = 0: the state of a fit that does not apply. */
static void clear_numbers(struct fit_result *r)
{
    const double nan = (double)NAN;
    r->ok = 0;
    for (int i = 0; i < 2; i++) {
        r->p[i] = r->se[i] = nan;
    }
    r->loglik = r->aic = r->ks = nan;
}

static void result_init(struct fit_result *r, enum fit_family f, size_t n)
{
    r->family = f;
    r->n_params = f == FIT_EXPONENTIAL ? 1 : 2;
    r->n = n;
    r->n_events = 0;
    clear_numbers(r);
}

/* Checks that the estimates, their standard errors and the log-likelihood are finite (estimates
 * > 0) and sets the AIC and ok; otherwise clears the result.  Returns 0 or -1. */
static int finish(struct fit_result *r)
{
    int good = isfinite(r->loglik);
    for (int i = 0; i < r->n_params; i++)
        good = good && isfinite(r->p[i]) && r->p[i] > 0 && isfinite(r->se[i]);
    if (!good) {
        clear_numbers(r);
        return -1;
    }
    r->aic = 2.0 * r->n_params - 2 * r->loglik;
    r->ok = 1;
    return 0;
}

/* Standard errors of p (already set) from the observed information `info` of the natural
 * parameters theta, its determinant det passed in so a caller with a cancellation-free form can
 * use it, and the relative Jacobian rjac[i][j] = d ln p_i / d theta_j: se_i = p_i sqrt((rjac
 * info^-1 rjac^T)_ii).  Relative, with theta holding log-scales, so a sample in units of 1e-270 s or
 * 1e270 s keeps its standard errors in range.  Returns -1 when info is not positive definite
 * (not a strict maximum, or an estimate at the edge of what doubles hold). */
static int delta_se(const double info[2][2], double det, const double rjac[2][2],
                     struct fit_result *r)
{
    if (!(info[0][0] > 0 && info[1][1] > 0 && det > 0 && isfinite(det))) return -1;
    const double c[2][2] = {{info[1][1] / det, -info[0][1] / det},
                            {-info[1][0] / det, info[0][0] / det}};
    for (int i = 0; i < 2; i++) {
        double rel = 0; /* relative variance of p_i */
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                rel += rjac[i][a] * c[a][b] * rjac[i][b];
        if (!(rel >= 0) || !isfinite(rel)) return -1;
        r->se[i] = r->p[i] * sqrt(rel);
    }
    return 0;
}

/* ================================ Shape equations ================================ */

/* f(u) and df/du of a monotone equation in u = ln k. */
typedef void root_fn(double u, void *arg, double *f, double *df);

/* A root of fn in [lo, hi], whose ends must have values of opposite signs, from u0: Newton
 * steps, replaced by a bisection whenever one would leave the bracket the signs maintain, so
 * it converges from any start.  (GSL's Newton solver keeps no bracket, and reports a zero
 * derivative or a step where fn is not finite through the error handler, which ccsim makes
 * abort.)  Near the root at the rounding floor the iterates may wander without meeting
 * SHAPE_TOL; the point with the least |f| seen is then the answer.  Returns 0 with *root, or
 * -1 when the ends do not bracket a root. */
static int solve_bracketed(root_fn *fn, void *arg, double lo, double hi, double u0, double *root)
{
    double flo, fhi, f, df;
    fn(lo, arg, &flo, &df);
    fn(hi, arg, &fhi, &df);
    if (!isfinite(flo) || !isfinite(fhi) || (flo < 0) == (fhi < 0)) {
        if (flo == 0 || fhi == 0) {
            *root = flo == 0 ? lo : hi;
            return 0;
        }
        return -1;
    }
    double neg = flo < 0 ? lo : hi, pos = flo < 0 ? hi : lo; /* f(neg) < 0 < f(pos) */
    double u = u0 > lo && u0 < hi ? u0 : lo + (hi - lo) / 2;
    double best = u, best_f = HUGE_VAL;
    for (int it = 0; it < SHAPE_MAX_ITER; it++) {
        fn(u, arg, &f, &df);
        if (!isfinite(f)) return -1;
        if (fabs(f) < best_f) {
            best = u;
            best_f = fabs(f);
        }
        if (f == 0) break;
        if (f < 0)
            neg = u;
        else
            pos = u;
        double a = fmin(neg, pos), b = fmax(neg, pos);
        double next = u - f / df;
        if (!(next > a && next < b)) next = a + (b - a) / 2;
        if (fabs(next - u) <= SHAPE_TOL * (1 + fabs(u))) {
            best = next;
            break;
        }
        u = next;
    }
    *root = best;
    return 0;
}

/* The gamma shape equation ln k - psi(k) = s, s = ln mean - mean ln x > 0: f decreasing in k,
 * df/du = 1 - k psi_1(k). */
static void gamma_shape_eq(double u, void *arg, double *f, double *df)
{
    double s = *(const double *)arg, k = exp(u);
    *f = u - gsl_sf_psi(k) - s;
    *df = 1 - k * gsl_sf_psi_1(k);
}

/* The gamma shape for s = ln mean - mean ln x.  Since 1/(2k) < ln k - psi(k) < 1/k for every
 * k > 0, the root lies in [1/(2s), 1/s]; Minka's approximation starts the iteration within
 * 1.5 % of it.  Returns 0, or -1 (s not > 0, the shape above GAMMA_SHAPE_MAX, or rounding
 * hiding the root). */
static int gamma_shape(double s, double *k)
{
    if (!(s > 0) || !isfinite(s) || 1 / (2 * s) > GAMMA_SHAPE_MAX) return -1;
    double k0 = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s), u;
    if (solve_bracketed(gamma_shape_eq, &s, -log(2 * s), -log(s), log(k0), &u) != 0) return -1;
    *k = exp(u);
    return *k <= GAMMA_SHAPE_MAX ? 0 : -1;
}

/* The Weibull profile score for the shape, with or without censoring.  With l_i = ln t_i
 * minus the mean of ln t over the events (every t_i > 0; a censored zero adds nothing to the
 * likelihood and is left out) and weights w_i = exp(k (l_i - l_max)), the score for k after
 * maximising over the scale is g(k) = sum w l / sum w - 1/k (Lawless's profile equation for
 * the shape, divided by the events).  dg/dk = var_w(l) + 1/k^2 > 0, so the root is unique; g(k) <=
 * l_max - 1/k < 0 below k = 1/l_max, and g tends to l_max > 0.  The shift by l_max keeps every
 * weight in (0, 1]. */
struct weibull_eq {
    const double *l; /* centred logs of the times > 0 */
    size_t n;        /* length of l */
    double l_max;    /* max of l, > 0 */
};

/* Sums of the weights w_i = exp(k (l_i - l_max)): sw = sum w, swd = sum w d, swd2 = sum w d^2,
 * with d_i = l_i - l_max <= 0. */
static void weibull_sums(const struct weibull_eq *w, double k, double *sw, double *swd,
                         double *swd2)
{
    double s0 = 0, s1 = 0, s2 = 0;
    for (size_t i = 0; i < w->n; i++) {
        double d = w->l[i] - w->l_max, e = exp(k * d);
        s0 += e;
        s1 += e * d;
        s2 += e * d * d;
    }
    *sw = s0;
    *swd = s1;
    *swd2 = s2;
}

static void weibull_shape_eq(double u, void *arg, double *f, double *df)
{
    const struct weibull_eq *w = arg;
    double k = exp(u), sw, swd, swd2;
    weibull_sums(w, k, &sw, &swd, &swd2);
    double md = swd / sw, var = fmax(swd2 / sw - md * md, 0);
    *f = w->l_max + md - 1 / k;
    *df = k * var + 1 / k;
}

/* ================================ Complete data ================================ */

static int fit_exponential(double d, double total, struct fit_result *r)
{
    if (!(d >= 1) || !(total > 0)) return -1;
    double m = total / d;
    r->p[0] = m;
    r->se[0] = m / sqrt(d); /* information d / m^2 */
    r->loglik = -d * log(m) - d; /* -d ln m - total / m */
    return finish(r);
}

/* The lognormal's (mean_s, cv) from (mu, sigma), and the relative Jacobian of the conversion:
 * ln m = mu + sigma^2 / 2, ln cv = ln(e^(sigma^2) - 1) / 2. */
static void lognormal_params(double mu, double sigma, struct fit_result *r, double rjac[2][2])
{
    double s2 = sigma * sigma, cv = sqrt(expm1(s2));
    r->p[0] = exp(mu + s2 / 2);
    r->p[1] = cv;
    rjac[0][0] = 1;
    rjac[0][1] = sigma;
    rjac[1][0] = 0;
    rjac[1][1] = sigma * (1 + cv * cv) / (cv * cv);
}

/* Closed form on sorted x: mu and sigma^2 are the mean and (1/n) variance of ln x; the
 * information in (mu, sigma) is diag(n / sigma^2, 2 n / sigma^2). */
static int fit_lognormal_complete(const double *x, size_t n, struct fit_result *r)
{
    if (n < 2 || x[0] == x[n - 1]) return -1;
    double dn = (double)n, sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        sum += log(x[i]);
    double mu = sum / dn;
    for (size_t i = 0; i < n; i++)
        ss += (log(x[i]) - mu) * (log(x[i]) - mu);
    double sigma = sqrt(ss / dn);
    if (!(sigma > 0)) return -1;
    double rjac[2][2];
    lognormal_params(mu, sigma, r, rjac);
    const double info[2][2] = {{dn / (sigma * sigma), 0}, {0, 2 * dn / (sigma * sigma)}};
    if (delta_se(info, info[0][0] * info[1][1], rjac, r) != 0) return -1;
    r->loglik = -sum - dn * (log(sigma) + LN_2PI / 2 + 0.5);
    return finish(r);
}

/* The gamma's (mean_s, cv) from (k, mean), with the information in (k, ln m), which is diagonal
 * at the estimate (the mean's score vanishes at m = sample mean for every k):
 * n (psi_1(k) - 1/k) for k and n k for ln m. */
static int gamma_result(double k, double m, double dn, struct fit_result *r)
{
    r->p[0] = m;
    r->p[1] = 1 / sqrt(k);
    const double info[2][2] = {{dn * (gsl_sf_psi_1(k) - 1 / k), 0}, {0, dn * k}};
    const double rjac[2][2] = {{0, 1}, {-0.5 / k, 0}};
    return delta_se(info, info[0][0] * info[1][1], rjac, r);
}

/* Shape from ln k - psi(k) = s with s = -mean ln(x / mean), each term log1p of the relative
 * deviation when that is small, so a sample of nearly equal values keeps its precision, and a
 * difference of logarithms otherwise, which cannot underflow. */
static int fit_gamma_complete(const double *x, size_t n, struct fit_result *r)
{
    if (n < 2 || x[0] == x[n - 1]) return -1;
    double dn = (double)n, sum = 0, sl = 0, slx = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    double m = sum / dn;
    for (size_t i = 0; i < n; i++) {
        double d = (x[i] - m) / m;
        sl -= fabs(d) < 0.5 ? log1p(d) : log(x[i]) - log(m);
        slx += log(x[i]);
    }
    double k;
    if (gamma_shape(sl / dn, &k) != 0) return -1;
    if (gamma_result(k, m, dn, r) != 0) return -1;
    double theta = m / k;
    r->loglik = (k - 1) * slx - dn * k - dn * k * log(theta) - dn * gsl_sf_lngamma(k);
    return finish(r);
}

/* ================================ Censored data ================================ */

/* A sample of times with events; event NULL means every time is observed. */
struct cens {
    const double *t;  /* times, s, >= 0 */
    const int *event; /* 1 observed, 0 censored; NULL: all observed */
    double *lt;       /* ln t (-inf for 0); owned */
    size_t n;         /* observations */
    size_t d;         /* events */
    double sum_log_e; /* sum of ln t over the events */
    double sum_t;     /* sum of t over all */
    double sum_t_e;   /* sum of t over the events */
};

static int observed(const struct cens *c, size_t i)
{
    return c->event == NULL || c->event[i] != 0;
}

/* Weibull by the profile score (complete data is the case with every event observed).  The
 * scale follows from the shape, lambda^k = sum t^k / d; the information in (k, ln lambda) with
 * a_i = ln(t_i / lambda), z_i = e^(k a_i), A = sum z a, B = sum z a^2 and sum z = d is
 *   I_kk = d / k^2 + B,  I_k,ln lambda = -k A,  I_ln lambda,ln lambda = d k^2,
 * whose determinant d^2 + d k^2 sum z (a - A/d)^2 has no cancellation. */
static int fit_weibull(const struct cens *c, struct fit_result *r)
{
    if (c->d < 2) return -1;
    double dd = (double)c->d, centre = c->sum_log_e / dd;
    double *l = xmalloc(c->n * sizeof *l);
    size_t m = 0;
    double l_max = -HUGE_VAL, s = 0, ss = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->t[i] == 0) continue; /* censored at zero (events at zero were rejected) */
        l[m] = c->lt[i] - centre;
        l_max = fmax(l_max, l[m]);
        s += l[m];
        m++;
    }
    for (size_t i = 0; i < m; i++)
        ss += (l[i] - s / (double)m) * (l[i] - s / (double)m);
    int status = -1;
    double u = 0;
    struct weibull_eq w = {l, m, l_max};
    if (l_max > 0) {
        /* Menon's start, pi / (sqrt 6 sd(ln t)); lo is below 1 / l_max, hi found by steps of e */
        double sd = sqrt(ss / (double)m), lo = log(0.5 / l_max), hi = lo + 1, f, df;
        double u0 = sd > 0 ? log(3.14159265358979323846 / (sqrt(6.0) * sd)) : lo;
        weibull_shape_eq(hi, &w, &f, &df);
        while (f <= 0 && hi < log(DBL_MAX) / 2) {
            hi += 1;
            weibull_shape_eq(hi, &w, &f, &df);
        }
        status = f > 0 ? solve_bracketed(weibull_shape_eq, &w, lo, hi, u0, &u) : -1;
    }
    if (status == 0) {
        double k = exp(u), sw, swd, swd2;
        weibull_sums(&w, k, &sw, &swd, &swd2);
        double log_lambda = centre + l_max + (log(sw) - log(dd)) / k;
        double sz = 0, a_sum = 0, b_sum = 0, v = 0;
        for (size_t i = 0; i < m; i++) {
            double a = l[i] + centre - log_lambda, z = exp(k * a);
            sz += z;
            a_sum += z * a;
            b_sum += z * a * a;
        }
        for (size_t i = 0; i < m; i++) {
            double a = l[i] + centre - log_lambda;
            v += exp(k * a) * (a - a_sum / dd) * (a - a_sum / dd);
        }
        const double info[2][2] = {{dd / (k * k) + b_sum, -k * a_sum}, {-k * a_sum, dd * k * k}};
        double det = dd * dd + dd * k * k * v;
        r->p[0] = exp(log_lambda + gsl_sf_lngamma(1 + 1 / k));
        r->p[1] = k;
        /* ln mean = ln lambda + ln Gamma(1 + 1/k) */
        const double rjac[2][2] = {{-gsl_sf_psi(1 + 1 / k) / (k * k), 1}, {1 / k, 0}};
        status = delta_se(info, det, rjac, r);
        r->loglik = dd * log(k) - dd * k * log_lambda + (k - 1) * c->sum_log_e - sz;
    }
    free(l);
    return status == 0 ? finish(r) : -1;
}

/* ln Q(z) for the standard normal, accurate far into both tails. */
static double log_normal_q(double z)
{
    return gsl_sf_log_erfc(z / sqrt(2.0)) - LN2;
}

static double lognormal_loglik(const struct cens *c, double mu, double sigma)
{
    double ll = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->t[i] == 0) continue; /* censored at zero: S(0) = 1 */
        double z = (c->lt[i] - mu) / sigma;
        ll += observed(c, i) ? -z * z / 2 : log_normal_q(z);
    }
    return ll - c->sum_log_e - (double)c->d * (log(sigma) + LN_2PI / 2);
}

/* ln Q(k, x), the gamma(k, 1) survival.  Where Q underflows (x beyond about 700 + k, so this
 * one observation already costs over 700 nats) the leading term of its asymptotic expansion,
 * x^(k-1) e^-x / Gamma(k), stands in: the value is then only needed finite and decreasing, so
 * the simplex can walk back from a hopeless trial point. */
static double log_gamma_q(double k, double x)
{
    double q = gsl_sf_gamma_inc_Q(k, x);
    return q > 0 ? log(q) : (k - 1) * log(x) - x - gsl_sf_lngamma(k);
}

static double gamma_loglik(const struct cens *c, double k, double theta)
{
    double dd = (double)c->d, ll = (k - 1) * c->sum_log_e - c->sum_t_e / theta;
    ll -= dd * (k * log(theta) + gsl_sf_lngamma(k));
    for (size_t i = 0; i < c->n; i++)
        if (!observed(c, i) && c->t[i] > 0) ll += log_gamma_q(k, c->t[i] / theta);
    return ll;
}

/* The log-likelihood at v, a family's optimisation coordinates: (mu, ln sigma) for the
 * lognormal, (ln k, ln mean) for the gamma; -inf where exp leaves the doubles. */
typedef double loglik_fn(const double v[2], const struct cens *c);
/* The log-likelihood, its gradient g and the information (minus its Hessian) at v; returns -1
 * when one of them is not finite. */
typedef int local_fn(const double v[2], const struct cens *c, double *ll, double g[2],
                     double info[2][2]);

static double lognormal_loglik_v(const double v[2], const struct cens *c)
{
    double sigma = exp(v[1]);
    if (!(sigma > 0) || !isfinite(sigma)) return -HUGE_VAL;
    return lognormal_loglik(c, v[0], sigma);
}

/* Analytic, from the terms in (mu, sigma) with z = (ln t - mu) / sigma and the normal hazard
 * h(z) = phi(z) / Q(z):
 *   an event adds      (z, z^2 - 1) / sigma to the score and (1, 2z, 3z^2 - 1) / sigma^2
 *                      to (I_mumu, I_musigma, I_sigmasigma);
 *   a censored time    (h, z h) / sigma and (h (h - z), h + z h (h - z), 2 z h + z^2 h (h - z))
 *                      / sigma^2;
 * then carried to ln sigma: g_ln sigma = sigma g_sigma, I_mu,ln sigma = sigma I_musigma and
 * I_ln sigma,ln sigma = sigma^2 I_sigmasigma - sigma g_sigma. */
static int lognormal_local(const double v[2], const struct cens *c, double *ll, double g[2],
                           double info[2][2])
{
    double mu = v[0], sigma = exp(v[1]), g0 = 0, g1 = 0, i00 = 0, i01 = 0, i11 = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->t[i] == 0) continue;
        double z = (c->lt[i] - mu) / sigma;
        if (observed(c, i)) {
            g0 += z;
            g1 += z * z - 1;
            i00 += 1;
            i01 += 2 * z;
            i11 += 3 * z * z - 1;
        } else {
            double h = exp(-z * z / 2 - LN_2PI / 2 - log_normal_q(z)), hh = h * (h - z);
            g0 += h;
            g1 += z * h;
            i00 += hh;
            i01 += h + z * hh;
            i11 += 2 * z * h + z * z * hh;
        }
    }
    *ll = lognormal_loglik(c, mu, sigma);
    g[0] = g0 / sigma;
    g[1] = g1; /* sigma * (g1 / sigma) */
    info[0][0] = i00 / (sigma * sigma);
    info[0][1] = info[1][0] = i01 / sigma;
    info[1][1] = i11 - g1;
    return isfinite(*ll) && isfinite(g[0]) && isfinite(g[1]) && isfinite(info[0][0]) &&
                   isfinite(info[0][1]) && isfinite(info[1][1])
               ? 0
               : -1;
}

static double gamma_loglik_v(const double v[2], const struct cens *c)
{
    double k = exp(v[0]), theta = exp(v[1] - v[0]);
    if (!(k > 0) || !(k <= GAMMA_SHAPE_MAX) || !(theta > 0) || !isfinite(theta)) return -HUGE_VAL;
    return gamma_loglik(c, k, theta);
}

/* The survival's derivative in k has no closed form in GSL, so the gradient and Hessian are
 * central differences on a 3 x 3 stencil with step h = eps^(1/4): truncation error h^2 / 12
 * (about 1e-9) and rounding error about eps |loglik| / h^2 (1e-7 of the information, whose size
 * is that of the sample).  In (ln k, ln mean), which the information nearly separates (exactly,
 * without censoring), inverting it does not amplify these errors. */
static int gamma_local(const double v[2], const struct cens *c, double *ll, double g[2],
                       double info[2][2])
{
    const double h = pow(DBL_EPSILON, 0.25);
    double f[3][3]; /* f[i][j]: log-likelihood at v + ((i - 1) h, (j - 1) h) */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            const double w[2] = {v[0] + (i - 1) * h, v[1] + (j - 1) * h};
            f[i][j] = gamma_loglik_v(w, c);
            if (!isfinite(f[i][j])) return -1;
        }
    *ll = f[1][1];
    g[0] = (f[2][1] - f[0][1]) / (2 * h);
    g[1] = (f[1][2] - f[1][0]) / (2 * h);
    info[0][0] = -(f[2][1] - 2 * f[1][1] + f[0][1]) / (h * h);
    info[1][1] = -(f[1][2] - 2 * f[1][1] + f[1][0]) / (h * h);
    info[0][1] = info[1][0] = -(f[2][2] - f[2][0] - f[0][2] + f[0][0]) / (4 * h * h);
    return 0;
}

struct simplex_arg {
    loglik_fn *ll;
    const struct cens *c;
};

/* Minus the log-likelihood, +inf where it is not finite (the simplex treats that as worse). */
static double simplex_objective(const gsl_vector *x, void *arg)
{
    const struct simplex_arg *a = arg;
    const double v[2] = {gsl_vector_get(x, 0), gsl_vector_get(x, 1)};
    double ll = a->ll(v, a->c);
    return isfinite(ll) ? -ll : HUGE_VAL;
}

/* Nelder-Mead (nmsimplex2) on minus the log-likelihood from v (overwritten by the best point),
 * with initial steps step[], to bring Newton's method within reach of the maximum.  GSL's
 * simplex reports a non-finite value at its starting corners through the error handler, so
 * those are checked here first.  Returns 0, or -1 when a corner is not finite. */
static int simplex(loglik_fn *ll, const struct cens *c, double v[2], const double step[2])
{
    if (!isfinite(ll(v, c))) return -1;
    for (int i = 0; i < 2; i++) {
        double w[2] = {v[0], v[1]};
        w[i] += step[i];
        if (!isfinite(ll(w, c))) return -1;
    }
    struct simplex_arg arg = {ll, c};
    gsl_multimin_function fn = {simplex_objective, 2, &arg};
    gsl_vector *x = gsl_vector_alloc(2), *ss = gsl_vector_alloc(2);
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
    if (x == NULL || ss == NULL || s == NULL) die("out of memory");
    for (size_t i = 0; i < 2; i++) {
        gsl_vector_set(x, i, v[i]);
        gsl_vector_set(ss, i, step[i]);
    }
    gsl_multimin_fminimizer_set(s, &fn, x, ss);
    for (int it = 0; it < SIMPLEX_MAX_ITER; it++)
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS ||
            gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), SIMPLEX_TOL) == GSL_SUCCESS)
            break;
    for (size_t i = 0; i < 2; i++)
        v[i] = gsl_vector_get(gsl_multimin_fminimizer_x(s), i);
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(x);
    gsl_vector_free(ss);
    return 0;
}

/* Newton's method on the log-likelihood from v (overwritten), which certifies the maximum: it
 * stops when the Newton decrement g' I^-1 g, the squared length of the remaining step measured
 * in standard errors, is at most DECREMENT_TOL, and leaves the log-likelihood there in *f and
 * the information in info.  A
 * step longer than SHORT_STEP (in the same measure) is halved until the log-likelihood does
 * not drop; a shorter one gains under 1e-6 nats, which the comparison's rounding could hide,
 * and is taken as it is: the quadratic model is exact enough that close.  Returns 0, or -1 when
 * the information is not positive definite (no strict maximum) or no step gains. */
static int newton_polish(local_fn *local, loglik_fn *ll, const struct cens *c, double v[2],
                         double *f, double info[2][2])
{
    for (int it = 0; it < POLISH_MAX_ITER; it++) {
        double g[2];
        if (local(v, c, f, g, info) != 0) return -1;
        double det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
        if (!(info[0][0] > 0 && info[1][1] > 0 && det > 0)) return -1;
        const double step[2] = {(info[1][1] * g[0] - info[0][1] * g[1]) / det,
                                (info[0][0] * g[1] - info[1][0] * g[0]) / det};
        double dec = g[0] * step[0] + g[1] * step[1];
        if (dec <= DECREMENT_TOL) return 0;
        int moved = 0;
        for (int half = 0; half < 60 && !moved; half++) {
            double t = ldexp(1.0, -half);
            const double w[2] = {v[0] + t * step[0], v[1] + t * step[1]};
            double fw = ll(w, c);
            if (dec <= SHORT_STEP || (isfinite(fw) && fw >= *f)) {
                v[0] = w[0];
                v[1] = w[1];
                moved = 1;
            }
        }
        if (!moved) return -1;
    }
    return -1;
}

/* Mean and (1/n) standard deviation of ln t over the times > 0: the starting point of the
 * censored lognormal and gamma (biased towards short times by the censoring, which the
 * optimisation corrects).  Also the log-mean minus mean-log s of the same times, for the
 * gamma. */
static void start_moments(const struct cens *c, double *mu, double *sd, double *s)
{
    double m = 0, sum = 0, sl = 0, ss = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->t[i] > 0) {
            m += 1;
            sum += c->t[i];
            sl += c->lt[i];
        }
    *mu = sl / m;
    for (size_t i = 0; i < c->n; i++)
        if (c->t[i] > 0) ss += (c->lt[i] - *mu) * (c->lt[i] - *mu);
    *sd = sqrt(ss / m);
    *s = log(sum / m) - *mu;
}

/* Censored lognormal in v = (mu, ln sigma): the simplex, then Newton on the analytic score and
 * information. */
static int fit_lognormal_censored(const struct cens *c, struct fit_result *r)
{
    double mu, sd, s, info[2][2], rjac[2][2];
    start_moments(c, &mu, &sd, &s);
    double v[2] = {mu, log(sd > 0 ? sd : 1)};
    const double step[2] = {sd > 0 ? sd : 1, 0.5};
    if (simplex(lognormal_loglik_v, c, v, step) != 0 ||
        newton_polish(lognormal_local, lognormal_loglik_v, c, v, &r->loglik, info) != 0)
        return -1;
    double sigma = exp(v[1]);
    lognormal_params(v[0], sigma, r, rjac);
    rjac[0][1] *= sigma; /* d / d ln sigma = sigma d / d sigma */
    rjac[1][1] *= sigma;
    if (delta_se(info, info[0][0] * info[1][1] - info[0][1] * info[1][0], rjac, r) != 0) return -1;
    return finish(r);
}

/* Censored gamma in v = (ln k, ln mean): the simplex, then Newton on the differenced score
 * and information; ln cv = -ln k / 2. */
static int fit_gamma_censored(const struct cens *c, struct fit_result *r)
{
    double mu, sd, s, info[2][2];
    start_moments(c, &mu, &sd, &s);
    double k0 = s > 0 ? (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s) : 1;
    double v[2] = {log(k0), mu + s}; /* the mean of the times > 0 is e^(mu + s) */
    const double step[2] = {0.5, 0.5};
    if (simplex(gamma_loglik_v, c, v, step) != 0 ||
        newton_polish(gamma_local, gamma_loglik_v, c, v, &r->loglik, info) != 0)
        return -1;
    r->p[0] = exp(v[1]);
    r->p[1] = exp(-v[0] / 2);
    const double rjac[2][2] = {{0, 1}, {-0.5, 0}};
    if (delta_se(info, info[0][0] * info[1][1] - info[0][1] * info[1][0], rjac, r) != 0) return -1;
    return finish(r);
}

int fit_censored(enum fit_family f, const double *t, const int *event, size_t n,
                 struct fit_result *out)
{
    result_init(out, f, n);
    if ((int)f < 0 || f >= FIT_N_FAMILIES) return -1;
    struct cens c = {t, event, NULL, n, 0, 0, 0, 0};
    int zero_event = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t[i]) || t[i] < 0) return -1;
        if (event != NULL && event[i] != 0 && event[i] != 1) return -1;
        c.sum_t += t[i];
        if (observed(&c, i)) {
            c.d++;
            c.sum_t_e += t[i];
            zero_event |= t[i] == 0;
        }
    }
    out->n_events = c.d;
    if (f == FIT_EXPONENTIAL) return fit_exponential((double)c.d, c.sum_t, out);
    if (zero_event || c.d < 2) return -1;
    c.lt = xmalloc(n * sizeof *c.lt); /* n >= d >= 2 */
    for (size_t i = 0; i < n; i++) {
        c.lt[i] = log(t[i]);
        if (observed(&c, i)) c.sum_log_e += c.lt[i];
    }
    int status = -1;
    switch (f) {
    case FIT_LOGNORMAL:
        status = fit_lognormal_censored(&c, out);
        break;
    case FIT_GAMMA:
        status = fit_gamma_censored(&c, out);
        break;
    case FIT_WEIBULL:
        status = fit_weibull(&c, out);
        break;
    case FIT_EXPONENTIAL:
    case FIT_N_FAMILIES:
        break;
    }
    free(c.lt);
    if (status != 0) clear_numbers(out);
    return status;
}

/* ================================ Complete data: driver ================================ */

/* 1 when every x is finite and > 0. */
static int all_positive(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !(x[i] > 0)) return 0;
    return 1;
}

/* Kolmogorov-Smirnov distance between the empirical CDF of sorted x and the fit. */
static double ks_distance(const struct fit_result *r, const double *x, size_t n)
{
    double dn = (double)n, d = 0;
    for (size_t i = 0; i < n; i++) {
        double F = fit_cdf(r, x[i]);
        d = fmax(d, fmax((double)(i + 1) / dn - F, F - (double)i / dn));
    }
    return d;
}

/* One family on sorted, validated x. */
static int fit_sorted(enum fit_family f, const double *x, size_t n, struct fit_result *r)
{
    result_init(r, f, n);
    r->n_events = n;
    int status = -1;
    switch (f) {
    case FIT_EXPONENTIAL: {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += x[i];
        status = fit_exponential((double)n, sum, r);
        break;
    }
    case FIT_LOGNORMAL:
        status = fit_lognormal_complete(x, n, r);
        break;
    case FIT_GAMMA:
        status = fit_gamma_complete(x, n, r);
        break;
    case FIT_WEIBULL: {
        if (n < 2 || x[0] == x[n - 1]) break;
        struct cens c = {x, NULL, xmalloc(n * sizeof(double)), n, n, 0, 0, 0};
        for (size_t i = 0; i < n; i++) {
            c.lt[i] = log(x[i]);
            c.sum_log_e += c.lt[i];
        }
        status = fit_weibull(&c, r);
        free(c.lt);
        break;
    }
    case FIT_N_FAMILIES:
        break;
    }
    if (status != 0) {
        clear_numbers(r);
        return -1;
    }
    r->ks = ks_distance(r, x, n);
    return 0;
}

/* A sorted copy of x (caller owns), or NULL when n is 0. */
static double *sorted_copy(const double *x, size_t n)
{
    if (n == 0) return NULL;
    double *s = xmalloc(n * sizeof *s);
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    return s;
}

int fit_complete(enum fit_family f, const double *x, size_t n, struct fit_result *out)
{
    result_init(out, f, n);
    if ((int)f < 0 || f >= FIT_N_FAMILIES || n == 0 || !all_positive(x, n)) return -1;
    double *s = sorted_copy(x, n);
    int status = fit_sorted(f, s, n, out);
    free(s);
    return status;
}

int fit_all(const double *x, size_t n, struct fit_result out[FIT_N_FAMILIES])
{
    for (int f = 0; f < FIT_N_FAMILIES; f++)
        result_init(&out[f], (enum fit_family)f, n);
    if (n == 0 || !all_positive(x, n)) return -1;
    double *s = sorted_copy(x, n);
    int best = -1;
    for (int f = 0; f < FIT_N_FAMILIES; f++)
        if (fit_sorted((enum fit_family)f, s, n, &out[f]) == 0 &&
            (best < 0 || out[f].aic < out[best].aic))
            best = f;
    free(s);
    return best;
}

/* ================================ Using a fit ================================ */

/* GSL's parameters for the fitted family: (mu, sigma), (shape, scale) or (scale, shape). */
static void gsl_params(const struct fit_result *r, double *a, double *b)
{
    double m = r->p[0], c = r->p[1];
    switch (r->family) {
    case FIT_LOGNORMAL:
        *b = sqrt(log1p(c * c));
        *a = log(m) - *b * *b / 2;
        return;
    case FIT_GAMMA:
        *a = 1 / (c * c);
        *b = m * c * c;
        return;
    case FIT_WEIBULL:
        *a = exp(log(m) - gsl_sf_lngamma(1 + 1 / c));
        *b = c;
        return;
    case FIT_EXPONENTIAL:
    case FIT_N_FAMILIES:
        break;
    }
    *a = m;
    *b = (double)NAN;
}

double fit_cdf(const struct fit_result *r, double x)
{
    if (!r->ok || isnan(x)) return (double)NAN;
    if (x <= 0) return 0;
    double a, b;
    gsl_params(r, &a, &b);
    switch (r->family) {
    case FIT_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, a);
    case FIT_LOGNORMAL:
        return gsl_cdf_lognormal_P(x, a, b);
    case FIT_GAMMA:
        return a <= GAMMA_SHAPE_MAX ? gsl_cdf_gamma_P(x, a, b) : (double)NAN;
    case FIT_WEIBULL:
        return gsl_cdf_weibull_P(x, a, b);
    case FIT_N_FAMILIES:
        break;
    }
    return (double)NAN;
}

double fit_density(const struct fit_result *r, double x)
{
    if (!r->ok || isnan(x)) return (double)NAN;
    if (x < 0) return 0;
    double a, b;
    gsl_params(r, &a, &b);
    switch (r->family) {
    case FIT_EXPONENTIAL:
        return gsl_ran_exponential_pdf(x, a);
    case FIT_LOGNORMAL:
        return x > 0 ? gsl_ran_lognormal_pdf(x, a, b) : 0;
    case FIT_GAMMA:
        return gsl_ran_gamma_pdf(x, a, b);
    case FIT_WEIBULL:
        return gsl_ran_weibull_pdf(x, a, b);
    case FIT_N_FAMILIES:
        break;
    }
    return (double)NAN;
}

int fit_to_dist(const struct fit_result *r, struct dist *d)
{
    memset(d, 0, sizeof *d);
    if (!r->ok) return -1;
    d->mean_s = r->p[0];
    switch (r->family) {
    case FIT_EXPONENTIAL:
        d->kind = DIST_EXPONENTIAL;
        break;
    case FIT_LOGNORMAL:
        d->kind = DIST_LOGNORMAL;
        d->cv = r->p[1];
        break;
    case FIT_GAMMA:
        d->kind = DIST_GAMMA;
        d->cv = r->p[1];
        break;
    case FIT_WEIBULL:
        d->kind = DIST_WEIBULL;
        d->shape = r->p[1];
        break;
    case FIT_N_FAMILIES:
        return -1;
    }
    return dist_prepare(d) == NULL ? 0 : -1;
}

/* ================================ Kaplan-Meier ================================ */

int km_estimate(const double *t, const int *event, size_t n, struct km_curve *out)
{
    memset(out, 0, sizeof *out);
    size_t events = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t[i]) || t[i] < 0 || (event[i] != 0 && event[i] != 1)) return -1;
        events += (size_t)event[i];
    }
    if (events == 0) return 0;
    size_t *idx = xmalloc(n * sizeof *idx);
    gsl_sort_index(idx, t, 1, n);
    out->time = xmalloc(events * sizeof *out->time);
    out->surv = xmalloc(events * sizeof *out->surv);
    out->se = xmalloc(events * sizeof *out->se);
    double s = 1, greenwood = 0;
    for (size_t i = 0; i < n;) {
        /* The block of times equal to t[idx[i]]: all n - i observations from here are at risk. */
        double ti = t[idx[i]];
        size_t j = i, d = 0;
        while (j < n && t[idx[j]] == ti)
            d += (size_t)event[idx[j++]];
        if (d > 0) {
            double at_risk = (double)(n - i), dd = (double)d;
            s *= (at_risk - dd) / at_risk;
            greenwood += at_risk > dd ? dd / (at_risk * (at_risk - dd)) : HUGE_VAL;
            out->time[out->n] = ti;
            out->surv[out->n] = s;
            out->se[out->n] = s > 0 ? s * sqrt(greenwood) : (double)NAN;
            out->n++;
        }
        i = j;
    }
    free(idx);
    return 0;
}

void km_free(struct km_curve *k)
{
    if (k == NULL) return;
    free(k->time);
    free(k->surv);
    free(k->se);
    memset(k, 0, sizeof *k);
}

double km_at(const struct km_curve *k, double t)
{
    if (isnan(t)) return (double)NAN;
    if (k->n == 0 || t < k->time[0]) return 1;
    size_t lo = 0, hi = k->n; /* time[lo] <= t < time[hi], time[n] read as +inf */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->time[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return k->surv[lo];
}
