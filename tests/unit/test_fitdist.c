/* test_fitdist: distribution fitting.  Large samples from known parameters are recovered within
 * 4 of the fit's own standard errors, the true family wins on AIC against clearly different
 * shapes, and its KS distance is below the 1 % critical value; over repeated moderate samples
 * the 95 % intervals (estimate +- 1.96 SE) cover the truth as often as a binomial(reps, 0.95)
 * count allows; censored fits recover patience from data censored by an independent answer
 * time, and the exponential one is events / total time exactly; Kaplan-Meier matches a worked
 * example; and degenerate inputs give ok = 0 (or a sensible fit), never ok = 1 with a NaN.
 *
 * Tolerances are statistical: N_SE = 4 standard errors is a two-sided normal tail of 6.3e-5 per
 * check, so the file's 21 such checks have a family-wise false-alarm rate near 0.13 %, and the
 * 13 coverage checks share a Bonferroni-split 0.1 %.  Seeds are fixed, so a pass is
 * reproducible, but the tolerances must not be widened to make one pass.  QUICK=1 shrinks the
 * large samples to 5000 and the repetitions to 100 (the tolerances follow). */
#include "fitdist.h"

#include "check.h"
#include "util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_SE 4.0
/* The 1 % critical value of the Kolmogorov distribution, times 1/sqrt(n).  With parameters
 * estimated from the same sample the KS distance is stochastically smaller (Lilliefors), so
 * this is conservative. */
#define KS_CRIT_1PCT 1.63
/* Family-wise level of the coverage checks, split over them by Bonferroni. */
#define COVERAGE_ALPHA 0.001

static double nan_value(void)
{
    return (double)NAN;
}

/* ================================ Sampling in ccsim's parametrisation
 * ================================ */

/* The truth: family and ccsim parameters {mean_s, cv | shape} (p1 unused for exponential). */
struct truth {
    enum fit_family f;
    double mean, p1;
};

/* One draw, converting the planner's parameters to GSL's by the definitions in dist.h:
 * lognormal sigma^2 = ln(1 + c^2), mu = ln m - sigma^2 / 2; gamma shape 1/c^2, scale m c^2;
 * Weibull scale m / Gamma(1 + 1/k). */
static double draw(gsl_rng *r, const struct truth *t)
{
    double m = t->mean, c = t->p1;
    switch (t->f) {
    case FIT_EXPONENTIAL:
        return gsl_ran_exponential(r, m);
    case FIT_LOGNORMAL: {
        double s2 = log(1 + c * c);
        return gsl_ran_lognormal(r, log(m) - s2 / 2, sqrt(s2));
    }
    case FIT_GAMMA:
        return gsl_ran_gamma(r, 1 / (c * c), m * c * c);
    case FIT_WEIBULL:
        return gsl_ran_weibull(r, m / gsl_sf_gamma(1 + 1 / c), c);
    case FIT_N_FAMILIES:
        break;
    }
    return nan_value();
}

static const char *param_name(enum fit_family f, int i)
{
    if (i == 0) return "mean_s";
    return f == FIT_WEIBULL ? "shape" : "cv";
}

/* Checks an estimate against the truth within N_SE of its standard error, printing z. */
static void check_z(const char *what, double got, double truth, double se)
{
    char desc[256];
    double z = (got - truth) / se;
    snprintf(desc, sizeof desc, "%s: %.6g vs truth %.6g (SE %.3g), within %.0f SE (z = %+.2f)",
             what, got, truth, se, N_SE, z);
    CHECK(se > 0 && fabs(z) <= N_SE, desc);
}

/* ok = 0 with every number NaN, or ok = 1 with every number finite (estimates > 0). */
static int consistent(const struct fit_result *r)
{
    if (!r->ok)
        return isnan(r->p[0]) && isnan(r->se[0]) && isnan(r->loglik) && isnan(r->aic) &&
               isnan(r->ks);
    int good = isfinite(r->loglik) && isfinite(r->aic);
    for (int i = 0; i < r->n_params; i++)
        good = good && isfinite(r->p[i]) && r->p[i] > 0 && isfinite(r->se[i]) && r->se[i] >= 0;
    return good;
}

static size_t big_n(void)
{
    return check_quick() ? 5000 : 20000;
}

/* ================================ Names ================================ */

static void test_names(void)
{
    static const char *const names[] = {"exponential", "lognormal", "gamma", "weibull"};
    int all = 1;
    for (int f = 0; f < FIT_N_FAMILIES; f++) {
        const char *s = fit_family_name((enum fit_family)f);
        all = all && s != NULL && strcmp(s, names[f]) == 0 && fit_family_from_name(s) == f;
        /* ccsim configs use the same words for `dist` */
        all = all && dist_kind_from_name(names[f]) >= 0;
    }
    CHECK(all, "family names are the config names, and round-trip");
    CHECK(fit_family_name(FIT_N_FAMILIES) == NULL, "fit_family_name(FIT_N_FAMILIES) is NULL");
    CHECK(fit_family_from_name("erlang") == -1 && fit_family_from_name("") == -1,
          "fit_family_from_name rejects other names");
}

/* ================================ Complete data ================================ */

/* Clearly different shapes: the pairs (true, other) for which the true family must win on AIC.
 * Exponential data are not tested against gamma and Weibull, which contain it (shape 1): their
 * extra parameter buys chi^2_1 / 2 of log-likelihood, so the exponential wins only 84 % of the
 * time; instead their shape estimate must be within N_SE of 1. */
static int clearly_different(enum fit_family truth, enum fit_family other)
{
    if (truth == other) return 0;
    if (truth == FIT_EXPONENTIAL) return other == FIT_LOGNORMAL;
    return 1;
}

static void test_complete_recovery(void)
{
    /* Lognormal cv 1 against gamma is the brief's case of clearly different shapes; the gamma
     * (cv 0.62) and Weibull (shape 1.7, cv about 0.61) have nearly the same cv, so AIC must tell
     * them apart by shape alone: at n = 20000 the observed margin is about 440, at n = 5000
     * about 110, against a standard deviation near 2 sqrt(n var(log ratio)), about 20 at 5000. */
    const struct truth cases[] = {
        {FIT_EXPONENTIAL, 187.3, 0},
        {FIT_LOGNORMAL, 240.5, 1.0},
        {FIT_GAMMA, 95.25, 0.62},
        {FIT_WEIBULL, 310.4, 1.7},
    };
    size_t n = big_n();
    double *x = xmalloc(n * sizeof *x);
    int *ev = xmalloc(n * sizeof *ev);
    char what[160], desc[256];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct truth *t = &cases[c];
        const char *name = fit_family_name(t->f);
        gsl_rng_set(r, 20240 + 31 * c);
        for (size_t i = 0; i < n; i++) {
            x[i] = draw(r, t);
            ev[i] = 1;
        }
        struct fit_result all[FIT_N_FAMILIES];
        int best = fit_all(x, n, all);
        const struct fit_result *fr = &all[t->f];
        snprintf(desc, sizeof desc, "%s n=%zu: fit ok", name, n);
        CHECK(fr->ok && fr->n == n && fr->n_events == n, desc);
        if (!fr->ok) continue;
        snprintf(what, sizeof what, "%s n=%zu: mean_s", name, n);
        check_z(what, fr->p[0], t->mean, fr->se[0]);
        if (t->f != FIT_EXPONENTIAL) {
            snprintf(what, sizeof what, "%s n=%zu: %s", name, n, param_name(t->f, 1));
            check_z(what, fr->p[1], t->p1, fr->se[1]);
        } else {
            check_z("exponential data: gamma cv (nested: 1)", all[FIT_GAMMA].p[1], 1,
                    all[FIT_GAMMA].se[1]);
            check_z("exponential data: Weibull shape (nested: 1)", all[FIT_WEIBULL].p[1], 1,
                    all[FIT_WEIBULL].se[1]);
        }
        for (int o = 0; o < FIT_N_FAMILIES; o++) {
            if (!clearly_different(t->f, (enum fit_family)o)) continue;
            snprintf(desc, sizeof desc, "%s data: AIC %.1f below %s's %.1f (margin %.1f)", name,
                     fr->aic, fit_family_name((enum fit_family)o), all[o].aic,
                     all[o].aic - fr->aic);
            CHECK(all[o].ok && fr->aic < all[o].aic, desc);
        }
        if (t->f != FIT_EXPONENTIAL) {
            snprintf(desc, sizeof desc, "%s data: fit_all picks %s (got %d)", name, name, best);
            CHECK(best == (int)t->f, desc);
        }
        double crit = KS_CRIT_1PCT / sqrt((double)n);
        snprintf(desc, sizeof desc, "%s data: KS %.4f below the 1 %% critical value %.4f", name,
                 fr->ks, crit);
        CHECK(fr->ks < crit, desc);

        /* The reported log-likelihood (closed forms) against GSL's densities, for every family */
        int same = 1;
        for (int f = 0; f < FIT_N_FAMILIES; f++) {
            double ll = 0;
            for (size_t i = 0; i < n; i++)
                ll += log(fit_density(&all[f], x[i]));
            same = same && all[f].ok && fabs(ll - all[f].loglik) <= 1e-9 * fabs(ll) &&
                   all[f].aic == 2.0 * all[f].n_params - 2 * all[f].loglik;
        }
        snprintf(desc, sizeof desc, "%s data: every family's loglik is sum ln fit_density", name);
        CHECK(same, desc);

        /* fit_complete gives exactly what fit_all did */
        struct fit_result one;
        fit_complete(t->f, x, n, &one);
        snprintf(desc, sizeof desc, "%s data: fit_complete equals fit_all's entry exactly", name);
        CHECK(one.ok && one.p[0] == fr->p[0] && one.se[0] == fr->se[0] &&
                  one.loglik == fr->loglik && one.ks == fr->ks &&
                  (t->f == FIT_EXPONENTIAL || (one.p[1] == fr->p[1] && one.se[1] == fr->se[1])),
              desc);

        /* Censored fitting with every event observed is the complete fit: the exponential and
         * the Weibull share its code, so to rounding (1e-12); the lognormal and gamma are
         * optimised, Newton's certificate putting them within 1e-6 SE of the maximum, with
         * standard errors from the analytic (lognormal) or differenced (gamma, good to about
         * 1e-7) information, checked to 1e-6. */
        struct fit_result cf;
        fit_censored(t->f, x, ev, n, &cf);
        int optimised = t->f == FIT_LOGNORMAL || t->f == FIT_GAMMA;
        snprintf(desc, sizeof desc, "%s data: censored fit with no censoring is the complete one",
                 name);
        int agree = cf.ok && isnan(cf.ks) && cf.n_events == n &&
                    fabs(cf.loglik - fr->loglik) <= 1e-12 * fabs(fr->loglik);
        for (int i = 0; i < fr->n_params; i++)
            agree = agree &&
                    fabs(cf.p[i] - fr->p[i]) <= (optimised ? 1e-6 * fr->se[i] : 1e-12 * fr->p[i]) &&
                    fabs(cf.se[i] / fr->se[i] - 1) <= (optimised ? 1e-6 : 1e-12);
        CHECK(agree, desc);
        if (!agree)
            printf("    censored %.12g %.12g se %.12g %.12g; complete %.12g %.12g se %.12g %.12g\n",
                   cf.p[0], cf.p[1], cf.se[0], cf.se[1], fr->p[0], fr->p[1], fr->se[0], fr->se[1]);
    }
    gsl_rng_free(r);
    free(x);
    free(ev);
}

/* Closed-form standard errors, by formulas written here independently: exponential m / sqrt(n);
 * lognormal (mu, sigma^2 MLE with information n / sigma^2 and n / (2 sigma^4)) gives
 * SE(mean) = m sigma sqrt((1 + sigma^2 / 2) / n) and SE(cv) = sigma^2 e^(sigma^2) / (cv sqrt(2n));
 * gamma SE(mean) = m cv / sqrt(n) (the sample mean's), SE(cv) from Var(k) = k / (n (k psi_1(k) -
 * 1)) and d cv / dk = -k^(-3/2) / 2. */
static void test_closed_forms(void)
{
    static const double x[] = {12.5, 47.25, 301.0, 88.125, 5.5, 160.75, 33.0, 71.5};
    const size_t n = sizeof x / sizeof x[0];
    double dn = (double)n, sum = 0, sl = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
        sl += log(x[i]);
    }
    double m = sum / dn, mu = sl / dn;
    for (size_t i = 0; i < n; i++)
        ss += (log(x[i]) - mu) * (log(x[i]) - mu);
    double s2 = ss / dn;

    struct fit_result r;
    fit_complete(FIT_EXPONENTIAL, x, n, &r);
    CHECK(r.ok && r.n_params == 1 && isnan(r.p[1]), "exponential: one parameter");
    CHECK_NEAR(r.p[0], m, 1e-15, "exponential: mean_s is the sample mean");
    CHECK_NEAR(r.se[0], m / sqrt(dn), 1e-15, "exponential: SE mean / sqrt(n)");
    CHECK_NEAR(r.loglik, -dn * log(m) - dn, 1e-14, "exponential: loglik -n ln m - n");
    CHECK_NEAR(r.aic, 2 + 2 * (dn * log(m) + dn), 1e-14, "exponential: AIC 2 - 2 loglik");

    fit_complete(FIT_LOGNORMAL, x, n, &r);
    double cv = sqrt(exp(s2) - 1), ml = exp(mu + s2 / 2);
    CHECK_NEAR(r.p[0], ml, 1e-14, "lognormal: mean_s exp(mu + sigma^2/2) from the log moments");
    CHECK_NEAR(r.p[1], cv, 1e-13, "lognormal: cv sqrt(e^(sigma^2) - 1)");
    CHECK_NEAR(r.se[0], ml * sqrt(s2 * (1 + s2 / 2) / dn), 1e-13, "lognormal: SE of mean_s");
    CHECK_NEAR(r.se[1], s2 * exp(s2) / (cv * sqrt(2 * dn)), 1e-13, "lognormal: SE of cv");
    CHECK_NEAR(r.loglik, -sl - dn / 2 * log(2 * 3.14159265358979323846 * s2) - dn / 2, 1e-14,
               "lognormal: loglik");

    fit_complete(FIT_GAMMA, x, n, &r);
    double k = 1 / (r.p[1] * r.p[1]);
    CHECK_NEAR(log(k) - gsl_sf_psi(k), log(m) - mu, 1e-12,
               "gamma: the shape solves ln k - psi(k) = ln mean - mean ln x");
    CHECK_NEAR(r.p[0], m, 1e-15, "gamma: mean_s is the sample mean");
    CHECK_NEAR(r.se[0], m * r.p[1] / sqrt(dn), 1e-13, "gamma: SE of mean_s is m cv / sqrt(n)");
    CHECK_NEAR(r.se[1], 0.5 * pow(k, -1.5) * sqrt(k / (dn * (k * gsl_sf_psi_1(k) - 1))), 1e-9,
               "gamma: SE of cv");

    fit_complete(FIT_WEIBULL, x, n, &r);
    double kw = r.p[1], lk = 0, sk = 0;
    for (size_t i = 0; i < n; i++) {
        lk += pow(x[i], kw) * log(x[i]);
        sk += pow(x[i], kw);
    }
    CHECK_ABS(lk / sk - 1 / kw - mu, 0, 1e-13,
              "Weibull: the shape solves sum x^k ln x / sum x^k - 1/k = mean ln x");
    CHECK_NEAR(r.p[0], pow(sk / dn, 1 / kw) * gsl_sf_gamma(1 + 1 / kw), 1e-12,
               "Weibull: mean_s is lambda Gamma(1 + 1/k), lambda^k = mean x^k");
}

/* ================================ Coverage ================================ */

/* Under honest standard errors the number of the reps intervals estimate +- 1.96 SE that cover
 * the truth is binomial(reps, 0.95).  Accepts unless hits falls in a tail of probability below
 * COVERAGE_ALPHA / (2 n_checks) (exact binomial tails, Bonferroni over the checks). */
static void check_coverage(const char *what, int hits, int reps, int n_checks)
{
    double a = COVERAGE_ALPHA / (2.0 * n_checks);
    double lower = gsl_cdf_binomial_P((unsigned)hits, 0.95, (unsigned)reps);
    double upper = hits > 0 ? gsl_cdf_binomial_Q((unsigned)hits - 1, 0.95, (unsigned)reps) : 1;
    char desc[256];
    snprintf(desc, sizeof desc,
             "%s: 95 %% intervals cover the truth in %d of %d (%.3f; binomial tails %.2g, %.2g "
             "above %.2g)",
             what, hits, reps, (double)hits / reps, lower, upper, a);
    CHECK(lower > a && upper > a, desc);
}

/* The number of coverage checks, for the Bonferroni split: 7 complete, 6 censored. */
#define N_COVERAGE_CHECKS 13

static void test_coverage(void)
{
    const int reps = check_quick() ? 100 : 200;
    const size_t n = 500;
    const struct truth cases[] = {
        {FIT_EXPONENTIAL, 187.3, 0},
        {FIT_LOGNORMAL, 240.5, 0.85},
        {FIT_GAMMA, 95.25, 0.62},
        {FIT_WEIBULL, 58.9, 0.72},
    };
    double *x = xmalloc(n * sizeof *x);
    int *ev = xmalloc(n * sizeof *ev);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    char what[160];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct truth *t = &cases[c];
        gsl_rng_set(r, 5150 + 7 * c);
        int hits[2] = {0, 0}, bad = 0;
        for (int rep = 0; rep < reps; rep++) {
            for (size_t i = 0; i < n; i++)
                x[i] = draw(r, t);
            struct fit_result fr;
            if (fit_complete(t->f, x, n, &fr) != 0) {
                bad++;
                continue;
            }
            hits[0] += fabs(fr.p[0] - t->mean) <= 1.96 * fr.se[0];
            if (fr.n_params == 2) hits[1] += fabs(fr.p[1] - t->p1) <= 1.96 * fr.se[1];
        }
        snprintf(what, sizeof what, "coverage %s n=%zu: every fit ok", fit_family_name(t->f), n);
        CHECK_INT(bad, 0, what);
        for (int i = 0; i < (t->f == FIT_EXPONENTIAL ? 1 : 2); i++) {
            snprintf(what, sizeof what, "coverage %s n=%zu %s", fit_family_name(t->f), n,
                     param_name(t->f, i));
            check_coverage(what, hits[i], reps, N_COVERAGE_CHECKS);
        }
    }

    /* Censored: patience censored by an exponential answer time of mean 150 s (about half). */
    const struct truth cens[] = {
        {FIT_WEIBULL, 300, 0.7}, {FIT_LOGNORMAL, 200, 1.2}, {FIT_GAMMA, 250, 0.8}};
    for (size_t c = 0; c < sizeof cens / sizeof cens[0]; c++) {
        const struct truth *t = &cens[c];
        gsl_rng_set(r, 6260 + 7 * c);
        int hits[2] = {0, 0}, bad = 0;
        for (int rep = 0; rep < reps; rep++) {
            for (size_t i = 0; i < n; i++) {
                double p = draw(r, t), a = gsl_ran_exponential(r, 150);
                ev[i] = p <= a;
                x[i] = ev[i] ? p : a;
            }
            struct fit_result fr;
            if (fit_censored(t->f, x, ev, n, &fr) != 0) {
                bad++;
                continue;
            }
            hits[0] += fabs(fr.p[0] - t->mean) <= 1.96 * fr.se[0];
            hits[1] += fabs(fr.p[1] - t->p1) <= 1.96 * fr.se[1];
        }
        snprintf(what, sizeof what, "coverage censored %s n=%zu: every fit ok",
                 fit_family_name(t->f), n);
        CHECK_INT(bad, 0, what);
        for (int i = 0; i < 2; i++) {
            snprintf(what, sizeof what, "coverage censored %s n=%zu %s", fit_family_name(t->f), n,
                     param_name(t->f, i));
            check_coverage(what, hits[i], reps, N_COVERAGE_CHECKS);
        }
    }
    gsl_rng_free(r);
    free(x);
    free(ev);
}

/* ================================ Censored data ================================ */

static void test_censored_exponential_hand(void)
{
    /* Events at 12.5, 47.25, 8 and 60; censored at 30 and 101.75.  Total time 259.5 over 4
     * events: mean 64.875 exactly, SE 64.875 / sqrt(4) = 32.4375, loglik -4 ln 64.875 - 4. */
    static const double t[] = {12.5, 30, 47.25, 8, 101.75, 60};
    static const int ev[] = {1, 0, 1, 1, 0, 1};
    struct fit_result r;
    CHECK(fit_censored(FIT_EXPONENTIAL, t, ev, 6, &r) == 0 && r.ok, "censored exponential: ok");
    CHECK(r.p[0] == 64.875, "censored exponential: mean = total time / events = 259.5 / 4 exactly");
    CHECK(r.se[0] == 32.4375, "censored exponential: SE = mean / sqrt(events) = 32.4375 exactly");
    CHECK_NEAR(r.loglik, -4 * log(64.875) - 4, 1e-15, "censored exponential: loglik");
    CHECK(r.n == 6 && r.n_events == 4 && isnan(r.ks),
          "censored exponential: n 6, events 4, ks NaN");
    /* An event at zero is an abandonment at once: the exponential density there is 1 / mean. */
    static const double t0[] = {0, 20, 40};
    static const int ev0[] = {1, 0, 1};
    CHECK(fit_censored(FIT_EXPONENTIAL, t0, ev0, 3, &r) == 0 && r.p[0] == 30,
          "censored exponential: an event at t = 0 counts (60 / 2 = 30)");
}

/* P(patience > answer time) for Weibull patience and exponential answer times: the censored
 * fraction, integral of f_A(a) S_P(a) da over a > 0. */
struct cens_frac {
    double lambda, k, answer_mean;
};

static double cens_integrand(double a, void *arg)
{
    const struct cens_frac *c = arg;
    return exp(-a / c->answer_mean - pow(a / c->lambda, c->k)) / c->answer_mean;
}

static void test_censored_recovery(void)
{
    size_t n = big_n();
    double *t = xmalloc(n * sizeof *t);
    int *ev = xmalloc(n * sizeof *ev);
    char what[200], desc[256];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

    /* The brief's case: patience Weibull mean 300 shape 0.7, answered after an exponential time
     * of mean 150 if still waiting. */
    const struct truth wt = {FIT_WEIBULL, 300, 0.7};
    const double answer_mean = 150;
    gsl_rng_set(r, 777);
    size_t censored = 0;
    for (size_t i = 0; i < n; i++) {
        double p = draw(r, &wt), a = gsl_ran_exponential(r, answer_mean);
        ev[i] = p <= a;
        t[i] = ev[i] ? p : a;
        censored += (size_t)!ev[i];
    }
    struct cens_frac cfr = {300 / gsl_sf_gamma(1 + 1 / 0.7), 0.7, answer_mean};
    gsl_function fn = {cens_integrand, &cfr};
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    double pc, pc_err;
    gsl_integration_qagiu(&fn, 0, 0, 1e-10, 200, ws, &pc, &pc_err);
    gsl_integration_workspace_free(ws);
    double frac = (double)censored / (double)n, frac_se = sqrt(pc * (1 - pc) / (double)n);
    snprintf(what, sizeof what, "Weibull patience n=%zu: censored fraction (expected %.4f)", n, pc);
    check_z(what, frac, pc, frac_se);

    struct fit_result all[FIT_N_FAMILIES];
    for (int f = 0; f < FIT_N_FAMILIES; f++) {
        fit_censored((enum fit_family)f, t, ev, n, &all[f]);
        snprintf(desc, sizeof desc, "Weibull patience: censored %s fit ok, events %zu, ks NaN",
                 fit_family_name((enum fit_family)f), n - censored);
        CHECK(all[f].ok && all[f].n_events == n - censored && isnan(all[f].ks), desc);
    }
    const struct fit_result *w = &all[FIT_WEIBULL];
    snprintf(what, sizeof what, "censored Weibull n=%zu (%.0f %% censored): mean_s", n, 100 * frac);
    check_z(what, w->p[0], wt.mean, w->se[0]);
    snprintf(what, sizeof what, "censored Weibull n=%zu: shape", n);
    check_z(what, w->p[1], wt.p1, w->se[1]);
    /* Shape 0.7 against the exponential's 1 and the lognormal's shape: clearly different.  Not
     * against the gamma, whose decreasing hazard (cv about 1.5) is close: over five seeds its
     * AIC margin was 31-53 at n = 20000 and 5-14 at n = 5000, too near chance to require. */
    for (int f = 0; f < FIT_N_FAMILIES; f++) {
        if (f == FIT_WEIBULL || f == FIT_GAMMA) continue;
        snprintf(desc, sizeof desc, "Weibull patience: AIC %.1f below the %s's %.1f", w->aic,
                 fit_family_name((enum fit_family)f), all[f].aic);
        CHECK(w->aic < all[f].aic, desc);
    }
    /* The exponential fit is the classic total waiting / abandoned estimator of mean patience. */
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += t[i];
    CHECK_NEAR(all[FIT_EXPONENTIAL].p[0], total / (double)(n - censored), 1e-14,
               "censored exponential on the same data: total waiting / abandoned");

    /* Kaplan-Meier against the true survival, within N_SE Greenwood errors, at a few times. */
    struct km_curve km;
    CHECK(km_estimate(t, ev, n, &km) == 0 && km.n > 0, "Kaplan-Meier of the patience data");
    static const double at[] = {15, 60, 150, 400};
    for (size_t j = 0; j < sizeof at / sizeof at[0]; j++) {
        double s_true = exp(-pow(at[j] / cfr.lambda, cfr.k)), s = km_at(&km, at[j]);
        /* The Greenwood SE of the step that holds at[j]. */
        size_t i = 0;
        while (i + 1 < km.n && km.time[i + 1] <= at[j])
            i++;
        snprintf(what, sizeof what, "Kaplan-Meier S(%g)", at[j]);
        check_z(what, s, s_true, km.se[i]);
    }
    km_free(&km);

    /* The other families as patience, censored the same way. */
    const struct truth others[] = {
        {FIT_EXPONENTIAL, 400, 0},
        {FIT_LOGNORMAL, 200, 1.2},
        {FIT_GAMMA, 250, 0.8},
    };
    for (size_t c = 0; c < sizeof others / sizeof others[0]; c++) {
        const struct truth *tr = &others[c];
        gsl_rng_set(r, 880 + 13 * c);
        censored = 0;
        for (size_t i = 0; i < n; i++) {
            double p = draw(r, tr), a = gsl_ran_exponential(r, answer_mean);
            ev[i] = p <= a;
            t[i] = ev[i] ? p : a;
            censored += (size_t)!ev[i];
        }
        struct fit_result fr;
        fit_censored(tr->f, t, ev, n, &fr);
        snprintf(desc, sizeof desc, "%s patience: censored fit ok", fit_family_name(tr->f));
        CHECK(fr.ok, desc);
        snprintf(what, sizeof what, "censored %s n=%zu (%.0f %% censored): mean_s",
                 fit_family_name(tr->f), n, 100.0 * (double)censored / (double)n);
        check_z(what, fr.p[0], tr->mean, fr.se[0]);
        if (tr->f != FIT_EXPONENTIAL) {
            snprintf(what, sizeof what, "censored %s n=%zu: %s", fit_family_name(tr->f), n,
                     param_name(tr->f, 1));
            check_z(what, fr.p[1], tr->p1, fr.se[1]);
        }
    }
    gsl_rng_free(r);
    free(t);
    free(ev);
}

/* ================================ Kaplan-Meier ================================ */

static void test_km_hand(void)
{
    /* Nine times: events at 2, 3, 5, 5, 7, 9; censored at 3, 6, 10.  A censored time tied with
     * an event (3) is still at risk there.  With n_j at risk and d_j events,
     *   t  n_j d_j  S                        Greenwood sum d / (n (n - d))
     *   2   9   1   8/9                      1/72
     *   3   8   1   8/9 * 7/8 = 7/9          1/72 + 1/56 = 2/63
     *   5   6   2   7/9 * 4/6 = 14/27        2/63 + 2/24 = 29/252
     *   7   3   1   14/27 * 2/3 = 28/81      29/252 + 1/6 = 71/252
     *   9   2   1   28/81 * 1/2 = 14/81      71/252 + 1/2 = 197/252
     * (at 5: at risk 5, 5, 6, 7, 9, 10; at 7: 7, 9, 10), and SE = S sqrt(sum). */
    static const double t[] = {5, 2, 10, 3, 7, 3, 9, 6, 5};
    static const int ev[] = {1, 1, 0, 1, 1, 0, 1, 0, 1};
    const double time[] = {2, 3, 5, 7, 9};
    const double surv[] = {8.0 / 9, 7.0 / 9, 14.0 / 27, 28.0 / 81, 14.0 / 81};
    const double gw[] = {1.0 / 72, 2.0 / 63, 29.0 / 252, 71.0 / 252, 197.0 / 252};
    struct km_curve k;
    CHECK(km_estimate(t, ev, 9, &k) == 0, "Kaplan-Meier: accepted");
    CHECK_INT(k.n, 5, "Kaplan-Meier: five distinct event times");
    char desc[160];
    for (size_t i = 0; i < 5 && i < k.n; i++) {
        snprintf(desc, sizeof desc, "Kaplan-Meier: time %zu is %g", i, time[i]);
        CHECK(k.time[i] == time[i], desc);
        snprintf(desc, sizeof desc, "Kaplan-Meier: S(%g) = %.6f", time[i], surv[i]);
        CHECK_NEAR(k.surv[i], surv[i], 1e-15, desc);
        snprintf(desc, sizeof desc, "Kaplan-Meier: Greenwood SE at %g = %.6f", time[i],
                 surv[i] * sqrt(gw[i]));
        CHECK_NEAR(k.se[i], surv[i] * sqrt(gw[i]), 1e-14, desc);
    }
    CHECK(km_at(&k, 0) == 1 && km_at(&k, 1.999) == 1, "km_at: 1 before the first event");
    CHECK(km_at(&k, 2) == k.surv[0], "km_at: right-continuous, S(2) = 8/9 at the event time");
    CHECK(km_at(&k, 4.5) == k.surv[1] && km_at(&k, 5) == k.surv[2] &&
              km_at(&k, nextafter(7, 0)) == k.surv[2],
          "km_at: steps at 3, 5 and 7");
    CHECK(km_at(&k, 9) == k.surv[4] && km_at(&k, 1e9) == k.surv[4],
          "km_at: after the last event (censored at 10) S stays 14/81");
    CHECK(isnan(km_at(&k, nan_value())), "km_at(NaN) is NaN");
    km_free(&k);
    CHECK(k.n == 0 && k.time == NULL && k.surv == NULL && k.se == NULL, "km_free empties");
    km_free(&k);
    km_free(NULL);

    /* No censoring: S is one minus the empirical CDF; the last event empties the risk set, so
     * S = 0 there and Greenwood's sum is infinite (SE NaN). */
    static const double u[] = {3, 1, 2, 2};
    static const int all[] = {1, 1, 1, 1};
    CHECK(km_estimate(u, all, 4, &k) == 0 && k.n == 3, "Kaplan-Meier, no censoring: 3 times");
    CHECK(k.n == 3 && k.surv[0] == 0.75 && k.surv[1] == 0.25 && k.surv[2] == 0,
          "no censoring: S = 3/4, 1/4, 0 (one minus the empirical CDF)");
    CHECK(k.n == 3 && isnan(k.se[2]) && isfinite(k.se[1]), "S = 0: Greenwood SE NaN");
    CHECK(k.n == 3 && km_at(&k, 100) == 0, "km_at after the last event with S = 0");
    km_free(&k);

    static const int none[] = {0, 0, 0, 0};
    CHECK(km_estimate(u, none, 4, &k) == 0 && k.n == 0 && km_at(&k, 5) == 1,
          "Kaplan-Meier with no event: empty curve, S = 1");
    km_free(&k);
    CHECK(km_estimate(NULL, NULL, 0, &k) == 0 && k.n == 0 && km_at(&k, 5) == 1,
          "Kaplan-Meier of nothing: empty curve");
    static const double neg[] = {3, -1};
    static const int two[] = {1, 2};
    CHECK(km_estimate(neg, all, 2, &k) == -1 && k.n == 0, "Kaplan-Meier rejects a negative time");
    CHECK(km_estimate(u, two, 2, &k) == -1 && k.n == 0, "Kaplan-Meier rejects event 2");
    const double nan_t[] = {1, nan_value()};
    CHECK(km_estimate(nan_t, all, 2, &k) == -1, "Kaplan-Meier rejects a NaN time");
}

/* ================================ Edge cases ================================ */

static void check_all_families(const char *what, const double *x, size_t n, int expect_ok_exp,
                               int expect_ok_others)
{
    char desc[200];
    for (int f = 0; f < FIT_N_FAMILIES; f++) {
        struct fit_result r;
        int rc = fit_complete((enum fit_family)f, x, n, &r);
        int expect = f == FIT_EXPONENTIAL ? expect_ok_exp : expect_ok_others;
        snprintf(desc, sizeof desc, "%s, %s: %s", what, fit_family_name((enum fit_family)f),
                 expect < 0 ? "ok = 0 or finite"
                 : expect   ? "ok with finite numbers"
                            : "ok = 0");
        if (expect < 0)
            CHECK(consistent(&r) && (rc == 0) == r.ok, desc);
        else
            CHECK(consistent(&r) && r.ok == expect && (rc == 0) == expect, desc);
    }
}

static void test_edges(void)
{
    const double nan = nan_value();
    check_all_families("n = 0", NULL, 0, 0, 0);
    static const double one[] = {42.5};
    check_all_families("n = 1", one, 1, 1, 0);
    struct fit_result r;
    fit_complete(FIT_EXPONENTIAL, one, 1, &r);
    CHECK(r.p[0] == 42.5 && r.se[0] == 42.5, "n = 1: exponential mean 42.5, SE 42.5");
    static const double zero[] = {12.5, 0, 30};
    check_all_families("a zero value", zero, 3, 0, 0);
    static const double negative[] = {12.5, -3, 30};
    check_all_families("a negative value", negative, 3, 0, 0);
    const double nan_x[] = {12.5, nan, 30};
    check_all_families("a NaN value", nan_x, 3, 0, 0);
    const double inf_x[] = {12.5, HUGE_VAL, 30};
    check_all_families("an infinite value", inf_x, 3, 0, 0);
    double equal[50];
    for (int i = 0; i < 50; i++)
        equal[i] = 123.4;
    check_all_families("50 equal values", equal, 50, 1, 0);
    fit_complete(FIT_EXPONENTIAL, equal, 50, &r);
    CHECK_NEAR(r.p[0], 123.4, 1e-15, "equal values: exponential mean is the value");
    equal[17] = nextafter(123.4, 200);
    check_all_families("50 values, one an ulp above the rest", equal, 50, 1, -1);
    static const double two[] = {30, 90};
    check_all_families("two values", two, 2, 1, 1);
    struct fit_result all[FIT_N_FAMILIES];
    CHECK(fit_all(NULL, 0, all) == -1 && !all[0].ok && !all[3].ok, "fit_all of nothing: -1");
    CHECK(fit_all(zero, 3, all) == -1, "fit_all with a zero value: -1");
    CHECK(fit_all(one, 1, all) == FIT_EXPONENTIAL, "fit_all of one value: the exponential");
    CHECK(fit_complete(FIT_N_FAMILIES, two, 2, &r) == -1 && !r.ok, "an unknown family: -1");

    /* Scale: times in other units give the same shapes and proportional means, far into the
     * double range (x 2^-900 and 2^900, exact scalings). */
    static const double base[] = {12.5, 47.25, 301.0, 88.125, 5.5, 160.75, 33.0, 71.5, 19.0};
    double scaled[9];
    for (int e = -900; e <= 900; e += 1800) {
        for (int i = 0; i < 9; i++)
            scaled[i] = ldexp(base[i], e);
        for (int f = 0; f < FIT_N_FAMILIES; f++) {
            struct fit_result a, b;
            fit_complete((enum fit_family)f, base, 9, &a);
            fit_complete((enum fit_family)f, scaled, 9, &b);
            char desc[200];
            snprintf(desc, sizeof desc, "%s scaled by 2^%d: mean scales, shape and KS unchanged",
                     fit_family_name((enum fit_family)f), e);
            int same = a.ok && b.ok && fabs(ldexp(b.p[0], -e) / a.p[0] - 1) <= 1e-9 &&
                       fabs(b.ks - a.ks) <= 1e-9;
            if (f != FIT_EXPONENTIAL) same = same && fabs(b.p[1] / a.p[1] - 1) <= 1e-9;
            CHECK(same, desc);
        }
    }

    /* Censored edge cases. */
    static const double t[] = {10, 20, 30, 40};
    static const int none[] = {0, 0, 0, 0}, one_ev[] = {0, 1, 0, 0}, bad_ev[] = {1, 2, 0, 1};
    static const int ev0[] = {1, 1, 0, 1};
    static const double t0[] = {0, 20, 30, 40};
    static const double tneg[] = {10, -20, 30, 40};
    char desc[200];
    for (int f = 0; f < FIT_N_FAMILIES; f++) {
        const char *name = fit_family_name((enum fit_family)f);
        enum fit_family ff = (enum fit_family)f;
        snprintf(desc, sizeof desc, "censored %s: no events, ok = 0", name);
        CHECK(fit_censored(ff, t, none, 4, &r) == -1 && consistent(&r) && !r.ok, desc);
        snprintf(desc, sizeof desc, "censored %s: n = 0, ok = 0", name);
        CHECK(fit_censored(ff, NULL, NULL, 0, &r) == -1 && consistent(&r), desc);
        snprintf(desc, sizeof desc, "censored %s: one event, %s", name,
                 f == FIT_EXPONENTIAL ? "ok (100 / 1)" : "ok = 0");
        int rc = fit_censored(ff, t, one_ev, 4, &r);
        CHECK(consistent(&r) && (f == FIT_EXPONENTIAL ? rc == 0 && r.p[0] == 100 : rc == -1), desc);
        snprintf(desc, sizeof desc, "censored %s: event 2 rejected", name);
        CHECK(fit_censored(ff, t, bad_ev, 4, &r) == -1 && consistent(&r), desc);
        snprintf(desc, sizeof desc, "censored %s: a negative time rejected", name);
        CHECK(fit_censored(ff, tneg, ev0, 4, &r) == -1 && consistent(&r), desc);
        snprintf(desc, sizeof desc, "censored %s: an event at 0 %s", name,
                 f == FIT_EXPONENTIAL ? "counts" : "rejected (zero or infinite density)");
        rc = fit_censored(ff, t0, ev0, 4, &r);
        CHECK(consistent(&r) && (f == FIT_EXPONENTIAL ? rc == 0 : rc == -1), desc);
        snprintf(desc, sizeof desc, "censored %s: a censored 0 is allowed", name);
        static const int cens0[] = {0, 1, 1, 1};
        CHECK(fit_censored(ff, t0, cens0, 4, &r) == 0 && consistent(&r) && r.ok, desc);
        snprintf(desc, sizeof desc, "censored %s: event NULL means all observed", name);
        CHECK(fit_censored(ff, t, NULL, 4, &r) == 0 && r.n_events == 4, desc);
    }

    /* Extreme samples, complete and censored: a fit may not apply, but nothing aborts (GSL
     * errors abort in ccsim) and no fit is ok with a number out of range. */
    struct extreme {
        const char *what;
        double x[7];
        size_t n;
    } ext[] = {
        {"values from 1e-300 to 1e300", {1e-300, 1e-200, 1e-100, 1, 1e100, 1e200, 1e300}, 7},
        {"values from 1e-300 to 1", {1e-300, 1e-250, 1e-3, 0.5, 1}, 5},
        {"values near DBL_MAX", {1e300, 1.5e308, 1e308, 1.7e308}, 4},
        {"subnormal values", {4.9e-324, 1e-323, 2e-323, 1e-322}, 4},
        {"values within 6e-5 of each other (gamma cv 2e-5)",
         {123.4, 123.4 * (1 + 1e-5), 123.4 * (1 + 2e-5), 123.4 * (1 + 3e-5), 123.4 * (1 + 4e-5),
          123.4 * (1 + 5e-5), 123.4 * (1 + 6e-5)},
         7},
    };
    static const int alternate[] = {1, 0, 1, 0, 1, 0, 1};
    for (size_t e = 0; e < sizeof ext / sizeof ext[0]; e++) {
        check_all_families(ext[e].what, ext[e].x, ext[e].n, -1, -1);
        int good = 1;
        for (int f = 0; f < FIT_N_FAMILIES; f++) {
            int rc = fit_censored((enum fit_family)f, ext[e].x, alternate, ext[e].n, &r);
            good = good && consistent(&r) && (rc == 0) == r.ok;
        }
        snprintf(desc, sizeof desc, "%s, every other censored: each fit ok = 0 or finite",
                 ext[e].what);
        CHECK(good, desc);
    }
    fit_complete(FIT_GAMMA, ext[4].x, ext[4].n, &r);
    CHECK(!r.ok, "gamma with cv 2e-5 (shape above 1e5): not ok");
    fit_complete(FIT_LOGNORMAL, ext[4].x, ext[4].n, &r);
    CHECK(r.ok && r.p[1] < 3e-5, "lognormal with cv 2e-5: ok");
    CHECK(isnan(fit_cdf(&(struct fit_result){.ok = 0}, 3)), "fit_cdf of a failed fit: NaN");

    /* Heavy censoring on small samples, many seeds: never ok with a NaN. */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 31337);
    double tt[40];
    int ee[40], inconsistent = 0, fits = 0;
    const struct truth pat = {FIT_WEIBULL, 300, 0.7};
    for (int rep = 0; rep < 50; rep++) {
        for (int i = 0; i < 40; i++) {
            double p = draw(g, &pat), a = gsl_ran_exponential(g, 10);
            ee[i] = p <= a;
            tt[i] = ee[i] ? p : a;
        }
        for (int f = 0; f < FIT_N_FAMILIES; f++) {
            fit_censored((enum fit_family)f, tt, ee, 40, &r);
            inconsistent += !consistent(&r);
            fits += r.ok;
        }
    }
    gsl_rng_free(g);
    snprintf(desc, sizeof desc,
             "50 samples of 40, about 95 %% censored: every fit ok with finite numbers or ok = 0 "
             "(%d of 200 ok)",
             fits);
    CHECK(inconsistent == 0, desc);
}

/* ================================ Using a fit ================================ */

static double density_of(double x, void *arg)
{
    return fit_density(arg, x);
}

static void test_using_fit(void)
{
    /* fit_cdf against formulas from the ccsim parameters, and the density integrating to it. */
    struct fit_result r[4] = {
        {.family = FIT_EXPONENTIAL, .ok = 1, .n_params = 1, .p = {187.3, 0}},
        {.family = FIT_LOGNORMAL, .ok = 1, .n_params = 2, .p = {240.5, 0.85}},
        {.family = FIT_GAMMA, .ok = 1, .n_params = 2, .p = {95.25, 0.62}},
        {.family = FIT_WEIBULL, .ok = 1, .n_params = 2, .p = {58.9, 0.72}},
    };
    const double x = 123.4;
    double s2 = log(1 + 0.85 * 0.85);
    double expect[4] = {
        1 - exp(-x / 187.3),
        gsl_cdf_ugaussian_P((log(x) - log(240.5) + s2 / 2) / sqrt(s2)),
        gsl_sf_gamma_inc_P(1 / (0.62 * 0.62), x / (95.25 * 0.62 * 0.62)),
        1 - exp(-pow(x * gsl_sf_gamma(1 + 1 / 0.72) / 58.9, 0.72)),
    };
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    char desc[160];
    for (int f = 0; f < 4; f++) {
        const char *name = fit_family_name((enum fit_family)f);
        snprintf(desc, sizeof desc, "%s: fit_cdf(123.4) = %.10f", name, expect[f]);
        CHECK_NEAR(fit_cdf(&r[f], x), expect[f], 1e-12, desc);
        gsl_function fn = {density_of, &r[f]};
        double v, err;
        gsl_integration_qags(&fn, 0, x, 0, 1e-11, 200, ws, &v, &err);
        snprintf(desc, sizeof desc, "%s: the density integrates to the CDF", name);
        CHECK_NEAR(v, expect[f], 1e-9, desc);
        CHECK(fit_cdf(&r[f], 0) == 0 && fit_cdf(&r[f], -5) == 0 && fit_density(&r[f], -5) == 0,
              "CDF and density 0 below 0");

        struct dist d;
        snprintf(desc, sizeof desc, "%s: fit_to_dist gives a prepared dist with the fit's mean",
                 name);
        CHECK(fit_to_dist(&r[f], &d) == 0 && (int)d.kind == dist_kind_from_name(name) &&
                  fabs(dist_mean(&d) / r[f].p[0] - 1) <= 1e-12,
              desc);
        if (f == FIT_LOGNORMAL || f == FIT_GAMMA) {
            snprintf(desc, sizeof desc, "%s: fit_to_dist keeps the cv", name);
            CHECK_NEAR(dist_scv(&d), r[f].p[1] * r[f].p[1], 1e-12, desc);
        }
        if (f == FIT_WEIBULL) CHECK(d.shape == 0.72, "Weibull: fit_to_dist keeps the shape");
        if (f == FIT_EXPONENTIAL)
            CHECK(dist_quantile(&d, 0.5) > 0, "exponential: fit_to_dist result can be sampled");
        dist_fini(&d);
    }
    gsl_integration_workspace_free(ws);
    struct fit_result bad = r[3];
    bad.p[1] = 0.04;
    struct dist d;
    CHECK(fit_to_dist(&bad, &d) == -1, "fit_to_dist: a Weibull shape below 0.05 is refused");
    bad.ok = 0;
    CHECK(fit_to_dist(&bad, &d) == -1 && isnan(fit_cdf(&bad, 1)) && isnan(fit_density(&bad, 1)),
          "a fit that is not ok: fit_to_dist -1, CDF and density NaN");
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_names();
    test_closed_forms();
    test_complete_recovery();
    test_coverage();
    test_censored_exponential_hand();
    test_censored_recovery();
    test_km_hand();
    test_edges();
    test_using_fit();
    return check_summary();
}
