/* test_dist: the duration distributions.  Validation accepts every valid parameter set (boundaries
 * included) and rejects each invalid parameter with a message naming it; dist_mean and dist_scv
 * are exact against moments computed here from the planner's parameters by independent formulas;
 * 200k draws agree with them within a tolerance derived from the estimators' standard errors;
 * and the special cases: deterministic, uniform bounds, empirical frequencies, the lognormal and
 * Weibull parametrisations on known values, and the kind names. */
#include "dist.h"

#include "check.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PI 3.14159265358979323846

/* Copies n values into a freshly allocated array, which the struct dist then owns. */
static double *dup_values(const double *v, size_t n)
{
    double *p = xmalloc(n * sizeof *p);
    memcpy(p, v, n * sizeof *p);
    return p;
}

/* ================================ Validation ================================ */

struct bad_case {
    struct dist d;
    const char *param; /* the name the message must contain */
    const char *what;
};

static void test_rejects(void)
{
    const double inf = HUGE_VAL, nan = (double)NAN;
    struct bad_case bad[] = {
        {{.kind = DIST_EXPONENTIAL, .mean_s = 0}, "mean_s", "exponential mean 0"},
        {{.kind = DIST_EXPONENTIAL, .mean_s = -2.385}, "mean_s", "exponential mean < 0"},
        {{.kind = DIST_EXPONENTIAL, .mean_s = nan}, "mean_s", "exponential mean NaN"},
        {{.kind = DIST_EXPONENTIAL, .mean_s = inf}, "mean_s", "exponential mean inf"},
        {{.kind = DIST_DETERMINISTIC, .mean_s = -0.5}, "mean_s", "deterministic mean < 0"},
        {{.kind = DIST_DETERMINISTIC, .mean_s = nan}, "mean_s", "deterministic mean NaN"},
        {{.kind = DIST_DETERMINISTIC, .mean_s = inf}, "mean_s", "deterministic mean inf"},
        {{.kind = DIST_UNIFORM, .min_s = -1e-9, .max_s = 3.5}, "min_s", "uniform min < 0"},
        {{.kind = DIST_UNIFORM, .min_s = nan, .max_s = 3.5}, "min_s", "uniform min NaN"},
        {{.kind = DIST_UNIFORM, .min_s = inf, .max_s = inf}, "min_s", "uniform min inf"},
        {{.kind = DIST_UNIFORM, .min_s = 12.5, .max_s = 12.499}, "max_s", "uniform max < min"},
        {{.kind = DIST_UNIFORM, .min_s = 12.5, .max_s = nan}, "max_s", "uniform max NaN"},
        {{.kind = DIST_UNIFORM, .min_s = 12.5, .max_s = inf}, "max_s", "uniform max inf"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 0, .cv = 0.85}, "mean_s", "lognormal mean 0"},
        {{.kind = DIST_LOGNORMAL, .mean_s = nan, .cv = 0.85}, "mean_s", "lognormal mean NaN"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = 0}, "cv", "lognormal cv 0"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = -0.3}, "cv", "lognormal cv < 0"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = nan}, "cv", "lognormal cv NaN"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = inf}, "cv", "lognormal cv inf"},
        {{.kind = DIST_GAMMA, .mean_s = -95.25, .cv = 0.62}, "mean_s", "gamma mean < 0"},
        {{.kind = DIST_GAMMA, .mean_s = inf, .cv = 0.62}, "mean_s", "gamma mean inf"},
        {{.kind = DIST_GAMMA, .mean_s = 95.25, .cv = 0}, "cv", "gamma cv 0"},
        {{.kind = DIST_GAMMA, .mean_s = 95.25, .cv = -1.7}, "cv", "gamma cv < 0"},
        {{.kind = DIST_GAMMA, .mean_s = 95.25, .cv = nan}, "cv", "gamma cv NaN"},
        {{.kind = DIST_WEIBULL, .mean_s = 0, .shape = 1.7}, "mean_s", "Weibull mean 0"},
        {{.kind = DIST_WEIBULL, .mean_s = -inf, .shape = 1.7}, "mean_s", "Weibull mean -inf"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = 0.0499}, "shape", "Weibull shape < 0.05"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = 0}, "shape", "Weibull shape 0"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = -1.7}, "shape", "Weibull shape < 0"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = nan}, "shape", "Weibull shape NaN"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = inf}, "shape", "Weibull shape inf"},
        {{.kind = DIST_ERLANG, .mean_s = 0, .k = 3}, "mean_s", "Erlang mean 0"},
        {{.kind = DIST_ERLANG, .mean_s = nan, .k = 3}, "mean_s", "Erlang mean NaN"},
        {{.kind = DIST_ERLANG, .mean_s = 180.6, .k = 0}, "k", "Erlang k 0"},
        {{.kind = DIST_ERLANG, .mean_s = 180.6, .k = -3}, "k", "Erlang k < 0"},
        {{.kind = DIST_EMPIRICAL, .n_values = 0}, "values", "empirical with no values"},
        {{.kind = DIST_N_KINDS, .mean_s = 1}, "unknown", "kind DIST_N_KINDS"},
    };
    char desc[200];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = dist_prepare(&bad[i].d);
        snprintf(desc, sizeof desc, "rejects %s, naming %s (got \"%s\")", bad[i].what, bad[i].param,
                 msg ? msg : "(accepted)");
        CHECK(msg != NULL && strstr(msg, bad[i].param) != NULL, desc);
    }

    /* Empirical lists with one bad value among good ones, at the first and the last position. */
    static const double good[] = {12.0, 47.5, 88.25};
    const double bad_values[] = {-0.001, nan, inf, -inf};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        for (int last = 0; last < 2; last++) {
            double v[4];
            memcpy(v + (last ? 0 : 1), good, sizeof good);
            v[last ? 3 : 0] = bad_values[i];
            struct dist d = {.kind = DIST_EMPIRICAL, .values = dup_values(v, 4), .n_values = 4};
            const char *msg = dist_prepare(&d);
            snprintf(desc, sizeof desc, "rejects empirical value %g at the %s, naming values",
                     v[last ? 3 : 0], last ? "end" : "start");
            CHECK(msg != NULL && strstr(msg, "values") != NULL, desc);
            dist_fini(&d);
        }
    }
}

struct good_case {
    struct dist d;
    const char *what;
};

static void test_accepts(void)
{
    struct good_case good[] = {
        {{.kind = DIST_NONE}, "none"},
        {{.kind = DIST_EXPONENTIAL, .mean_s = 187.3}, "exponential"},
        {{.kind = DIST_EXPONENTIAL, .mean_s = 4.9406564584124654e-324},
         "exponential, tiniest mean"},
        {{.kind = DIST_DETERMINISTIC, .mean_s = 0}, "deterministic 0"},
        {{.kind = DIST_DETERMINISTIC, .mean_s = 187.3}, "deterministic 187.3"},
        {{.kind = DIST_UNIFORM, .min_s = 0, .max_s = 0}, "uniform [0, 0]"},
        {{.kind = DIST_UNIFORM, .min_s = 47.3, .max_s = 47.3}, "uniform, min = max"},
        {{.kind = DIST_UNIFORM, .min_s = 0, .max_s = 5.5}, "uniform from 0"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = 1e-3}, "lognormal, small cv"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = 50}, "lognormal, large cv"},
        {{.kind = DIST_GAMMA, .mean_s = 95.25, .cv = 1e-3}, "gamma, small cv"},
        {{.kind = DIST_GAMMA, .mean_s = 95.25, .cv = 12.5}, "gamma, large cv"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = 0.05}, "Weibull, shape 0.05 exactly"},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = 47.0}, "Weibull, shape 47"},
        {{.kind = DIST_ERLANG, .mean_s = 180.6, .k = 1}, "Erlang k = 1"},
        {{.kind = DIST_ERLANG, .mean_s = 180.6, .k = 250}, "Erlang k = 250"},
    };
    char desc[200];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct dist *d = &good[i].d;
        const char *msg = dist_prepare(d);
        snprintf(desc, sizeof desc, "accepts %s (got \"%s\")", good[i].what, msg ? msg : "");
        CHECK(msg == NULL, desc);
        if (d->kind == DIST_NONE) continue;
        snprintf(desc, sizeof desc, "%s: finite mean and scv", good[i].what);
        CHECK(isfinite(dist_mean(d)) && isfinite(dist_scv(d)) && dist_scv(d) >= 0, desc);
    }
    static const double one[] = {0.0};
    struct dist d = {.kind = DIST_EMPIRICAL, .values = dup_values(one, 1), .n_values = 1};
    CHECK(dist_prepare(&d) == NULL, "accepts empirical with a single value 0");
    CHECK(dist_mean(&d) == 0 && dist_scv(&d) == 0, "empirical {0}: mean 0, scv 0");
    dist_fini(&d);
    CHECK(d.values == NULL && d.n_values == 0, "dist_fini releases the values");
    CHECK(dist_prepare(&d) != NULL, "after dist_fini an empirical dist has no values to accept");
    struct dist e = {.kind = DIST_EXPONENTIAL, .mean_s = 3};
    dist_fini(&e); /* values NULL: nothing to free */
    CHECK(e.values == NULL, "dist_fini on a non-empirical dist does nothing");
}

/* ================================ Exact moments ================================ */

/* E[X^r] for r = 1..4, from the planner's parameters by formulas written independently of
 * dist.c: lognormal m^r (1 + c^2)^(r(r-1)/2); gamma and Erlang m^r prod_{j<r} (1 + j c^2) (the
 * rising factorial of the shape, scaled); Weibull m^r Gamma(1 + r/k) / Gamma(1 + 1/k)^r; uniform
 * (b^(r+1) - a^(r+1)) / ((r + 1)(b - a)); empirical the average of v^r. */
static double raw_moment(const struct dist *d, int r)
{
    double m = d->mean_s, c2 = d->cv * d->cv, x = 1;
    switch (d->kind) {
    case DIST_EXPONENTIAL:
        for (int j = 1; j <= r; j++)
            x *= j * m;
        return x;
    case DIST_DETERMINISTIC:
        return pow(m, r);
    case DIST_UNIFORM:
        if (d->max_s == d->min_s) return pow(d->min_s, r);
        return (pow(d->max_s, r + 1) - pow(d->min_s, r + 1)) / ((r + 1) * (d->max_s - d->min_s));
    case DIST_LOGNORMAL:
        return pow(m, r) * pow(1 + c2, r * (r - 1) / 2.0);
    case DIST_GAMMA:
        for (int j = 0; j < r; j++)
            x *= m * (1 + j * c2);
        return x;
    case DIST_ERLANG:
        for (int j = 0; j < r; j++)
            x *= m * (1 + (double)j / d->k);
        return x;
    case DIST_WEIBULL:
        return pow(m, r) * gsl_sf_gamma(1 + r / d->shape) / pow(gsl_sf_gamma(1 + 1 / d->shape), r);
    case DIST_EMPIRICAL:
        x = 0;
        for (size_t i = 0; i < d->n_values; i++)
            x += pow(d->values[i], r);
        return x / (double)d->n_values;
    case DIST_NONE:
    case DIST_N_KINDS:
        break;
    }
    return (double)NAN;
}

struct moments {
    double mean, var, mu4; /* mean, variance and fourth central moment */
};

static struct moments exact_moments(const struct dist *d)
{
    double m1 = raw_moment(d, 1), m2 = raw_moment(d, 2), m3 = raw_moment(d, 3);
    double m4 = raw_moment(d, 4);
    struct moments mo = {m1, m2 - m1 * m1,
                         m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1};
    return mo;
}

/* ================================ Sampling ================================ */

#define N_DRAWS 200000
/* Tolerance in standard errors: a two-sided normal tail of 6.8e-6 per check. */
#define N_SE 4.5

struct sample_case {
    struct dist d;
    const char *what;
    /* Exact scv for kinds with a closed form, checked to rounding; 0 when not given. */
    double scv_known;
};

/* Draws N_DRAWS values and compares their mean and variance with dist_mean and dist_scv.
 *
 * Tolerances: the sample mean has standard error sqrt(var / n).  The unbiased sample variance
 * s^2 has Var(s^2) = (mu4 - sigma^4 (n - 3) / (n - 1)) / n exactly (any distribution with a finite
 * fourth moment), so its standard error comes from the exact fourth central moment computed by
 * exact_moments.  Both estimators are close to normal at n = 200k for the moderate tails used
 * here (excess kurtosis at most about 25), so N_SE = 4.5 standard errors is a 6.8e-6 false-alarm
 * rate per check.  The seeds are fixed, so a pass is reproducible, but the tolerance is the
 * statistical one and must not be widened to make a check pass. */
static void check_sample(struct sample_case *sc, unsigned long seed, double *x)
{
    char desc[200];
    struct dist *d = &sc->d;
    const char *msg = dist_prepare(d);
    snprintf(desc, sizeof desc, "%s: accepted", sc->what);
    CHECK(msg == NULL, desc);
    if (msg != NULL) return;

    struct moments mo = exact_moments(d);
    snprintf(desc, sizeof desc, "%s: dist_mean is exact", sc->what);
    CHECK_NEAR(dist_mean(d), mo.mean, 1e-13, desc);
    snprintf(desc, sizeof desc, "%s: dist_scv is exact", sc->what);
    CHECK_NEAR(dist_scv(d), mo.var / (mo.mean * mo.mean), 1e-11, desc);
    if (sc->scv_known > 0) {
        snprintf(desc, sizeof desc, "%s: dist_scv equals the closed form", sc->what);
        CHECK_NEAR(dist_scv(d), sc->scv_known, 1e-13, desc);
    }

    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    int bad = 0;
    double sum = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        x[i] = dist_draw(d, r);
        if (!(x[i] >= 0) || !isfinite(x[i])) bad++;
        sum += x[i];
    }
    gsl_rng_free(r);
    double n = N_DRAWS, mean = sum / n, ss = 0;
    for (int i = 0; i < N_DRAWS; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double var = ss / (n - 1);

    double m = dist_mean(d), v = dist_scv(d) * m * m;
    double se_mean = sqrt(mo.var / n);
    double se_var = sqrt((mo.mu4 - mo.var * mo.var * (n - 3) / (n - 1)) / n);
    snprintf(desc, sizeof desc, "%s: every draw finite and >= 0", sc->what);
    CHECK_INT(bad, 0, desc);
    snprintf(desc, sizeof desc, "%s: sample mean within %.1f SE (z = %+.2f)", sc->what, N_SE,
             (mean - m) / se_mean);
    CHECK_ABS(mean, m, N_SE * se_mean, desc);
    snprintf(desc, sizeof desc, "%s: sample variance within %.1f SE (z = %+.2f)", sc->what, N_SE,
             (var - v) / se_var);
    CHECK_ABS(var, v, N_SE * se_var, desc);
}

static void test_sampling(void)
{
    static const double emp[] = {12.0, 47.5, 88.25, 301.0, 5.5, 160.125};
    struct sample_case cases[] = {
        {{.kind = DIST_EXPONENTIAL, .mean_s = 187.3}, "exponential 187.3", 1},
        {{.kind = DIST_UNIFORM, .min_s = 12.5, .max_s = 301.75},
         "uniform [12.5, 301.75]",
         /* ((b - a) / sqrt 12)^2 / ((a + b) / 2)^2 = (b - a)^2 / (3 (a + b)^2) */
         289.25 * 289.25 / (3 * 314.25 * 314.25)},
        {{.kind = DIST_UNIFORM, .min_s = 0, .max_s = 5.5}, "uniform [0, 5.5]", 1.0 / 3},
        {{.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = 0.85},
         "lognormal 240.5 cv 0.85",
         0.85 * 0.85},
        {{.kind = DIST_LOGNORMAL, .mean_s = 33.7, .cv = 0.25},
         "lognormal 33.7 cv 0.25",
         0.25 * 0.25},
        {{.kind = DIST_GAMMA, .mean_s = 95.25, .cv = 0.62}, "gamma 95.25 cv 0.62", 0.62 * 0.62},
        {{.kind = DIST_GAMMA, .mean_s = 410.0, .cv = 1.7},
         "gamma 410 cv 1.7 (shape < 1)",
         1.7 * 1.7},
        {{.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = 1.7}, "Weibull 310.4 shape 1.7", 0},
        {{.kind = DIST_WEIBULL, .mean_s = 58.9, .shape = 0.72}, "Weibull 58.9 shape 0.72", 0},
        {{.kind = DIST_WEIBULL, .mean_s = 121.0, .shape = 2}, "Weibull 121 shape 2", 4 / PI - 1},
        {{.kind = DIST_ERLANG, .mean_s = 180.6, .k = 3}, "Erlang-3 180.6", 1.0 / 3},
        {{.kind = DIST_ERLANG, .mean_s = 44.4, .k = 1}, "Erlang-1 44.4", 1},
        {{.kind = DIST_EMPIRICAL, .values = dup_values(emp, 6), .n_values = 6},
         "empirical (6 values)",
         0},
    };
    double *x = xmalloc(N_DRAWS * sizeof *x);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_sample(&cases[i], 7001 + 17 * i, x);
        dist_fini(&cases[i].d);
    }
    free(x);
}

/* ================================ Special cases ================================ */

static void test_deterministic_and_uniform(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4242);
    struct dist d = {.kind = DIST_DETERMINISTIC, .mean_s = 187.3};
    CHECK(dist_prepare(&d) == NULL, "deterministic 187.3 accepted");
    int exact = 1;
    for (int i = 0; i < 1000; i++)
        exact &= dist_draw(&d, r) == 187.3;
    CHECK(exact, "deterministic draws return the value exactly");
    CHECK(dist_mean(&d) == 187.3 && dist_scv(&d) == 0, "deterministic: mean exact, scv 0");
    d.mean_s = 0;
    CHECK(dist_prepare(&d) == NULL && dist_draw(&d, r) == 0, "deterministic 0 draws 0");

    struct {
        double lo, hi;
    } u[] = {{12.5, 301.75},           {0, 5.5}, {47.3, 47.3},
             {0.1, nextafter(0.1, 1)}, {0, 0},   {1e6, 1e6 + 0.25}};
    char desc[160];
    for (size_t k = 0; k < sizeof u / sizeof u[0]; k++) {
        struct dist du = {.kind = DIST_UNIFORM, .min_s = u[k].lo, .max_s = u[k].hi};
        CHECK(dist_prepare(&du) == NULL, "uniform accepted");
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (int i = 0; i < 50000; i++) {
            double v = dist_draw(&du, r);
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
        snprintf(desc, sizeof desc,
                 "uniform [%.17g, %.17g]: every draw inside (saw [%.17g, %.17g])", u[k].lo, u[k].hi,
                 lo, hi);
        CHECK(lo >= u[k].lo && hi <= u[k].hi, desc);
        snprintf(desc, sizeof desc, "uniform [%.17g, %.17g]: mean is the midpoint", u[k].lo,
                 u[k].hi);
        CHECK_NEAR(dist_mean(&du), (u[k].lo + u[k].hi) / 2, 1e-15, desc);
    }
    struct dist z = {.kind = DIST_UNIFORM, .min_s = 0, .max_s = 0};
    dist_prepare(&z);
    CHECK(dist_mean(&z) == 0 && dist_scv(&z) == 0, "uniform [0, 0]: mean 0, scv 0 (not NaN)");

    struct dist none = {.kind = DIST_NONE};
    CHECK(dist_prepare(&none) == NULL, "none accepted");
    CHECK(dist_draw(&none, r) == HUGE_VAL, "none draws +infinity");
    CHECK(dist_mean(&none) == HUGE_VAL, "none has mean +infinity");
    gsl_rng_free(r);
}

static void test_empirical(void)
{
    enum { N = 6, DRAWS = 240000 };
    static const double v[N] = {12.0, 47.5, 88.25, 301.0, 5.5, 160.125};
    struct dist d = {.kind = DIST_EMPIRICAL, .values = dup_values(v, N), .n_values = N};
    CHECK(dist_prepare(&d) == NULL, "empirical accepted");
    /* Hand-computed: sum 614.375, so mean 102.3958333... */
    CHECK_NEAR(dist_mean(&d), 614.375 / 6, 1e-15, "empirical mean is the average of the values");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 90125);
    long count[N] = {0}, unlisted = 0;
    for (int i = 0; i < DRAWS; i++) {
        double x = dist_draw(&d, r);
        int k = 0;
        while (k < N && v[k] != x)
            k++;
        if (k == N)
            unlisted++;
        else
            count[k]++;
    }
    CHECK_INT(unlisted, 0, "empirical draws only listed values");
    /* Each count is binomial(DRAWS, 1/N): standard error sqrt(DRAWS p (1 - p)). */
    double p = 1.0 / N, se = sqrt(DRAWS * p * (1 - p));
    char desc[160];
    for (int k = 0; k < N; k++) {
        snprintf(desc, sizeof desc, "empirical value %g drawn with frequency 1/6 within %.1f SE",
                 v[k], N_SE);
        CHECK_ABS((double)count[k], DRAWS * p, N_SE * se, desc);
    }
    dist_fini(&d);

    /* A repeated value is one entry per listing: {10, 20, 60, 20} draws 20 half the time, and the
     * moments are those of the list (hand-computed: mean 27.5, population variance 368.75). */
    static const double w[] = {10, 20, 60, 20};
    struct dist e = {.kind = DIST_EMPIRICAL, .values = dup_values(w, 4), .n_values = 4};
    CHECK(dist_prepare(&e) == NULL, "empirical with a repeated value accepted");
    CHECK_NEAR(dist_mean(&e), 27.5, 1e-15, "empirical {10,20,60,20}: mean 27.5");
    CHECK_NEAR(dist_scv(&e), 368.75 / (27.5 * 27.5), 1e-14,
               "empirical {10,20,60,20}: scv uses the population variance");
    long twenty = 0;
    for (int i = 0; i < DRAWS; i++)
        twenty += dist_draw(&e, r) == 20;
    CHECK_ABS((double)twenty, DRAWS * 0.5, N_SE * sqrt(DRAWS * 0.25),
              "empirical: a value listed twice is drawn with frequency 2/4");
    dist_fini(&e);
    gsl_rng_free(r);
}

static void test_lognormal_params(void)
{
    /* mean e^3.5 and cv sqrt(e - 1): sigma^2 = ln(1 + cv^2) = 1, mu = 3.5 - 1/2 = 3. */
    struct dist d = {.kind = DIST_LOGNORMAL, .mean_s = exp(3.5), .cv = sqrt(exp(1.0) - 1)};
    CHECK(dist_prepare(&d) == NULL, "lognormal e^3.5, cv sqrt(e-1) accepted");
    CHECK_NEAR(d.p1, 3.0, 1e-15, "lognormal: mu = 3");
    CHECK_NEAR(d.p2, 1.0, 1e-15, "lognormal: sigma = 1");
    /* mean 240.5, cv 0.75: 1 + cv^2 = 1.5625 = 1.25^2, so sigma^2 = 2 ln 1.25 and
     * mu = ln 240.5 - ln 1.25 = ln 192.4. */
    struct dist e = {.kind = DIST_LOGNORMAL, .mean_s = 240.5, .cv = 0.75};
    CHECK(dist_prepare(&e) == NULL, "lognormal 240.5, cv 0.75 accepted");
    CHECK_NEAR(e.p1, log(192.4), 1e-15, "lognormal: mu = ln 192.4");
    CHECK_NEAR(e.p2, sqrt(2 * log(1.25)), 1e-15, "lognormal: sigma = sqrt(2 ln 1.25)");
    CHECK_NEAR(dist_scv(&e), 0.5625, 1e-15, "lognormal: scv is cv^2");
    /* A tiny cv keeps full precision (ln(1 + cv^2) without cancellation). */
    struct dist f = {.kind = DIST_LOGNORMAL, .mean_s = 2.385, .cv = 1e-9};
    CHECK(dist_prepare(&f) == NULL, "lognormal cv 1e-9 accepted");
    CHECK_NEAR(f.p2, 1e-9, 1e-12, "lognormal cv 1e-9: sigma = cv to first order");
}

static void test_weibull_params(void)
{
    /* Scale = mean / Gamma(1 + 1/k) on exact values of the gamma function: Gamma(2) = 1,
     * Gamma(3) = 2, Gamma(4) = 6, Gamma(3/2) = sqrt(pi)/2; scv = Gamma(1 + 2/k) / Gamma(1 + 1/k)^2
     * - 1, so 1, 24/4 - 1 = 5, 720/36 - 1 = 19 and 4/pi - 1. */
    struct {
        double shape, scale, scv;
    } w[] = {
        {1, 310.4, 1},
        {0.5, 310.4 / 2, 5},
        {1.0 / 3, 310.4 / 6, 19},
        {2, 310.4 / (sqrt(PI) / 2), 4 / PI - 1},
    };
    char desc[160];
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        struct dist d = {.kind = DIST_WEIBULL, .mean_s = 310.4, .shape = w[i].shape};
        CHECK(dist_prepare(&d) == NULL, "Weibull accepted");
        snprintf(desc, sizeof desc, "Weibull shape %.6g: scale = mean / Gamma(1 + 1/k)",
                 w[i].shape);
        CHECK_NEAR(d.p1, w[i].scale, 1e-14, desc);
        snprintf(desc, sizeof desc, "Weibull shape %.6g: sampler shape is k", w[i].shape);
        CHECK(d.p2 == w[i].shape, desc);
        snprintf(desc, sizeof desc, "Weibull shape %.6g: scv exact", w[i].shape);
        CHECK_NEAR(dist_scv(&d), w[i].scv, 1e-13, desc);
    }

    /* cv against values computed with mpmath at 40 digits (sqrt(gamma(1+2/k)/gamma(1+1/k)^2-1)),
     * over the accepted range of shapes, both ends included. */
    struct {
        double shape, cv;
    } ref[] = {
        {0.05, 371276.88969150773147},   {0.72, 1.416224599076369849},
        {1.7, 0.60547966181216575484},   {3.7, 0.30100679982585493064},
        {20, 0.061976300201996340248},   {1000, 0.0012816142492659118946},
        {1e7, 1.2825497364378884838e-7},
    };
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        struct dist d = {.kind = DIST_WEIBULL, .mean_s = 58.9, .shape = ref[i].shape};
        const char *msg = dist_prepare(&d);
        if (msg != NULL && ref[i].shape > 1000) {
            /* Rejecting an extreme shape is a valid way to keep dist_scv exact. */
            snprintf(desc, sizeof desc, "Weibull shape %g rejected (%s)", ref[i].shape, msg);
            CHECK(strstr(msg, "shape") != NULL, desc);
            continue;
        }
        snprintf(desc, sizeof desc, "Weibull shape %g: cv matches the 40-digit reference to 1e-9",
                 ref[i].shape);
        CHECK(msg == NULL, "Weibull accepted");
        CHECK_NEAR(d.cv, ref[i].cv, 1e-9, desc);
    }

    /* No accepted shape may give a NaN or negative scv (Gamma(1 + 2/k) / Gamma(1 + 1/k)^2 - 1
     * can round below 0 when k is large). */
    long broken = 0;
    for (double k = 1e6; k < 1e15; k *= 1.01) {
        struct dist d = {.kind = DIST_WEIBULL, .mean_s = 58.9, .shape = k};
        if (dist_prepare(&d) == NULL && !(dist_scv(&d) >= 0)) broken++;
    }
    CHECK_INT(broken, 0, "Weibull shapes 1e6..1e15: rejected or scv >= 0 (never NaN)");
}

static void test_names(void)
{
    static const char *const expect[DIST_N_KINDS] = {
        "none",  "exponential", "deterministic", "uniform",   "lognormal",
        "gamma", "weibull",     "erlang",        "empirical",
    };
    char desc[160];
    for (int k = 0; k < DIST_N_KINDS; k++) {
        const char *name = dist_kind_name((enum dist_kind)k);
        snprintf(desc, sizeof desc, "kind %d is named \"%s\"", k, expect[k]);
        CHECK(name != NULL && strcmp(name, expect[k]) == 0, desc);
        snprintf(desc, sizeof desc, "\"%s\" maps back to kind %d", expect[k], k);
        CHECK_INT(dist_kind_from_name(expect[k]), k, desc);
    }
    CHECK(dist_kind_name(DIST_N_KINDS) == NULL, "DIST_N_KINDS has no name");
    CHECK(dist_kind_name((enum dist_kind) - 1) == NULL, "kind -1 has no name");
    CHECK(dist_kind_name((enum dist_kind)1000) == NULL, "kind 1000 has no name");
    static const char *const unknown[] = {"",        "Exponential", "exp",       "exponential ",
                                          "lognorm", "erlang-2",    "EMPIRICAL", "norm"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        snprintf(desc, sizeof desc, "unknown name \"%s\" gives -1", unknown[i]);
        CHECK_INT(dist_kind_from_name(unknown[i]), -1, desc);
    }
}

/* ================================ Remaining times ================================ */

/* E[X - e | X > e] by the closed forms of each law (partial expectations over the tail). */
static double residual_mean(const struct dist *d, double e)
{
    switch (d->kind) {
    case DIST_EXPONENTIAL:
        return d->mean_s;
    case DIST_LOGNORMAL: {
        double mu = d->p1, s = d->p2;
        return exp(mu + s * s / 2) * gsl_cdf_ugaussian_P((mu + s * s - log(e)) / s) /
                   gsl_cdf_ugaussian_P((mu - log(e)) / s) -
               e;
    }
    case DIST_GAMMA: {
        double a = d->p1, theta = d->p2;
        return a * theta * gsl_sf_gamma_inc_Q(a + 1, e / theta) / gsl_sf_gamma_inc_Q(a, e / theta) - e;
    }
    case DIST_WEIBULL: {
        double lambda = d->p1, k = d->p2, x = pow(e / lambda, k);
        return lambda * gsl_sf_gamma(1 + 1 / k) * gsl_sf_gamma_inc_Q(1 + 1 / k, x) / exp(-x) - e;
    }
    case DIST_UNIFORM:
        return (d->max_s - fmax(e, d->min_s)) / 2 + fmax(e, d->min_s) - e;
    default:
        return NAN;
    }
}

/* 200k remaining times given e elapsed, by inversion of uniforms, against the closed form. */
static void test_residual(void)
{
    struct {
        struct dist d;
        double e;
        const char *what;
    } cases[] = {
        {{.kind = DIST_EXPONENTIAL, .mean_s = 100}, 250, "exponential mean 100, 250 s elapsed (memoryless)"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 200, .cv = 1.0}, 300, "lognormal mean 200 cv 1, 300 s elapsed"},
        {{.kind = DIST_LOGNORMAL, .mean_s = 200, .cv = 0.5}, 50, "lognormal mean 200 cv 0.5, 50 s elapsed"},
        {{.kind = DIST_GAMMA, .mean_s = 200, .cv = 0.8}, 300, "gamma mean 200 cv 0.8, 300 s elapsed"},
        {{.kind = DIST_WEIBULL, .mean_s = 200, .shape = 1.5}, 300, "Weibull mean 200 shape 1.5, 300 s elapsed"},
        {{.kind = DIST_WEIBULL, .mean_s = 200, .shape = 0.7}, 300, "Weibull mean 200 shape 0.7 (decreasing hazard), 300 s elapsed"},
        {{.kind = DIST_GAMMA, .mean_s = 200, .cv = 1.5}, 300, "gamma mean 200 cv 1.5, 300 s elapsed"},
        {{.kind = DIST_UNIFORM, .min_s = 100, .max_s = 400}, 250, "uniform 100-400, 250 s elapsed"},
    };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 99);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct dist *d = &cases[c].d;
        CHECK(dist_prepare(d) == NULL, cases[c].what);
        int n = 200000;
        double sum = 0, sum2 = 0, least = HUGE_VAL;
        for (int i = 0; i < n; i++) {
            double x = dist_residual(d, cases[c].e, gsl_rng_uniform_pos(g));
            sum += x;
            sum2 += x * x;
            least = fmin(least, x);
        }
        double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
        double exact = residual_mean(d, cases[c].e), h = 4 * sd / sqrt(n);
        char desc[200];
        snprintf(desc, sizeof desc, "%s: mean remaining %.3f within %.3f of %.3f", cases[c].what,
                 mean, h, exact);
        CHECK(fabs(mean - exact) <= h && least >= 0, desc);
    }
    gsl_rng_free(g);
    struct dist det = {.kind = DIST_DETERMINISTIC, .mean_s = 200};
    dist_prepare(&det);
    CHECK(dist_residual(&det, 150, 0.3) == 50 && dist_residual(&det, 250, 0.3) == 0,
          "deterministic: the rest of its length, 0 once past it");
    const double v[] = {50, 100, 300, 500};
    struct dist emp = {.kind = DIST_EMPIRICAL, .values = dup_values(v, 4), .n_values = 4};
    dist_prepare(&emp);
    CHECK(dist_residual(&emp, 200, 0.25) == 100 && dist_residual(&emp, 200, 0.75) == 300 &&
              dist_residual(&emp, 600, 0.5) == 0,
          "empirical: the values above the elapsed time, equally likely; 0 past the largest");
    dist_fini(&emp);
    struct dist far = {.kind = DIST_LOGNORMAL, .mean_s = 100, .cv = 0.5};
    dist_prepare(&far);
    double x = dist_residual(&far, 2000, 0.5);
    CHECK(isfinite(x) && x > 0 && x < 2000, "lognormal far in the tail (20 means): finite and positive");
    /* Far in a light tail (where the inverse CDF gives out) the median remainder keeps
     * shrinking as the hazard grows, and stays above the limit theta ln 2. */
    struct dist light = {.kind = DIST_GAMMA, .mean_s = 100, .cv = 0.05};
    dist_prepare(&light);
    double prev = HUGE_VAL;
    int monotone = 1;
    for (double e = 150; e <= 1000; e += 25) {
        double y = dist_residual(&light, e, 0.5);
        monotone &= y > 0 && y <= prev && y >= light.p2 * log(2.0) * (1 - 1e-12);
        prev = y;
    }
    CHECK(monotone, "gamma cv 0.05, 1.5 to 10 means elapsed: median remainder positive, "
                    "decreasing, above theta ln 2");
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_rejects();
    test_accepts();
    test_sampling();
    test_deterministic_and_uniform();
    test_empirical();
    test_lognormal_params();
    test_weibull_params();
    test_names();
    test_residual();
    return check_summary();
}
