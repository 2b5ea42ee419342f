/* test_erlang: sim/erlang.c against published values (/work/shared/data/erlang-published.md, rows
 * cited by number and source) and against an independent exact method written here in long
 * double: the truncated birth-death chain for the steady state, a direct (untelescoped) product for
 * P(served | j ahead), and uniformization of the tagged contact's CTMC for the service level.
 * Expected values are either published numbers or come from that independent method; none is a
 * copy of erlang.c's own output. */
#include "erlang.h"
#include "util.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* Agreement required with the long-double reference. */
#define REF_REL 1e-9

static double max_rel_err; /* largest relative error seen against the reference */

/* ==== The independent reference ==== */

struct ref {
    long double p_wait, p_abandon, asa_s, wait_mean_s, service_level, occupancy;
    long double p_served; /* P(N < n) + sum_j p_{n+j} P(served | j), by direct product */
    long double p_below;  /* P(N < n) */
};

/* Steady state of the birth-death chain with birth rate lam and death rate min(k,n) mu +
 * (k-n)^+ theta (theta = 0: Erlang C), truncated where geometric bounds on the rest of both
 * sum_{k>=n} p_k and sum_{k>=n} (k-n) p_k are below 1e-30 of those sums (relative to the tail,
 * not the whole, so that a P(wait) of 1e-155 is still exact).  Terms are rescaled by 1e-1000
 * when they grow past 1e1000, which long double holds with room to spare.  Returns the number
 * of states; *pp is caller-owned. */
static long ref_chain(long double lam, long double mu, long double theta, int n, long double **pp)
{
    long cap = 1024, k = 0;
    long double *p = xmalloc((size_t)cap * sizeof *p);
    long double sum = 1, tail0 = 0, tail1 = 0;
    p[0] = 1;
    for (;;) {
        long double rate_next = (k + 1 <= n ? (long double)(k + 1) : (long double)n) * mu +
                                (k + 1 > n ? (long double)(k + 1 - n) * theta : 0.0L);
        long double r = lam / rate_next;
        if (k > n && r < 1) {
            long double rem0 = p[k] * r / (1 - r);
            long double rem1 = (long double)(k - n) * rem0 + p[k] * r / ((1 - r) * (1 - r));
            if (rem0 < 1e-30L * tail0 && rem1 < 1e-30L * tail1) break;
        }
        if (k + 1 == cap) {
            cap *= 2;
            p = xrealloc(p, (size_t)cap * sizeof *p);
        }
        p[k + 1] = p[k] * r;
        k++;
        sum += p[k];
        if (k >= n) {
            tail0 += p[k];
            tail1 += (long double)(k - n) * p[k];
        }
        if (p[k] > 1e1000L) {
            for (long i = 0; i <= k; i++)
                p[i] *= 1e-1000L;
            sum *= 1e-1000L;
            tail0 *= 1e-1000L;
            tail1 *= 1e-1000L;
        }
    }
    for (long i = 0; i <= k; i++)
        p[i] /= sum;
    *pp = p;
    return k + 1;
}

/* P(served within T) by uniformization of the tagged contact's chain: state i (i ahead) moves to
 * i - 1 (from 0: served) at rate n mu + i theta and to abandoned at rate theta.  Starts from the
 * arrival-seen distribution; the Poisson weights are computed in log space and summed until
 * their remaining mass is below 1e-30 of the result. */
static long double ref_uniformized_sl(const long double *p, long nstates, int n, long double nmu,
                                      long double theta, long double t_s)
{
    long nj = nstates - n; /* states 0..nj-1 ahead */
    long double below = 0;
    for (int k = 0; k < n; k++)
        below += p[k];
    if (t_s == 0) return below;
    long double *v = xmalloc((size_t)nj * sizeof *v);
    for (long i = 0; i < nj; i++)
        v[i] = p[n + i];
    long double unif = nmu + (long double)nj * theta; /* the largest exit rate */
    long double lt = unif * t_s;
    long double served = below, sl = 0;
    for (long m = 0;; m++) {
        long double w = expl(-lt + (long double)m * logl(lt) - lgammal((long double)m + 1));
        sl += w * served;
        long double rho = lt / (long double)(m + 1);
        if (rho < 1 && w * rho / (1 - rho) < 1e-30L * sl) break;
        served += v[0] * (nmu / unif);
        /* Ascending order reads v[i + 1] before it is overwritten. */
        for (long i = 0; i < nj; i++) {
            long double stay = 1 - (nmu + (long double)(i + 1) * theta) / unif;
            long double from_behind = 0;
            if (i + 1 < nj) from_behind = v[i + 1] * (nmu + (long double)(i + 1) * theta) / unif;
            v[i] = v[i] * stay + from_behind;
        }
    }
    free(v);
    return sl;
}

/* The reference for one input; patience_mean_s = HUGE_VAL gives Erlang C. */
static void ref_metrics(const struct erlang_input *in, struct ref *r)
{
    long double lam = (long double)in->arrivals_per_s, mu = 1.0L / (long double)in->aht_s;
    long double theta = isinf(in->patience_mean_s) ? 0.0L : 1.0L / (long double)in->patience_mean_s;
    int n = in->agents;
    long double *p;
    long ns = ref_chain(lam, mu, theta, n, &p);
    long double nmu = n * mu;
    long double below = 0, pw = 0, eq = 0, busy = 0;
    for (long k = 0; k < ns; k++) {
        if (k < n)
            below += p[k];
        else
            pw += p[k];
        eq += (k > n ? (long double)(k - n) : 0.0L) * p[k];
        busy += (k < n ? (long double)k : (long double)n) * p[k];
    }
    /* P(served | j ahead) as the product over stages of P(not abandoning in the stage). */
    long double served = below, wait_served = 0, prod = 1, hsum = 0;
    for (long j = 0; j + n < ns; j++) {
        prod *= (nmu + (long double)j * theta) / (nmu + (long double)(j + 1) * theta);
        hsum += 1 / (nmu + (long double)(j + 1) * theta);
        served += p[n + j] * prod;
        wait_served += p[n + j] * prod * hsum;
    }
    r->p_below = below;
    r->p_wait = pw;
    r->p_abandon = theta * eq / lam;
    r->wait_mean_s = eq / lam;
    r->occupancy = busy / n;
    r->p_served = served;
    r->asa_s = wait_served / served;
    r->service_level = ref_uniformized_sl(p, ns, n, nmu, theta, (long double)in->sl_seconds);
    free(p);
}

/* Blocking by the direct sum B = (A^n / n!) / sum_{k<=n} A^k / k!, in long double. */
static long double ref_erlang_b(int n, long double a)
{
    long double term = 1, sum = 1;
    for (int k = 1; k <= n; k++) {
        term *= a / k;
        sum += term;
    }
    return term / sum;
}

/* ==== Helpers ==== */

static void near_ref(double got, long double exp, const char *what, const char *label)
{
    char desc[200];
    snprintf(desc, sizeof desc, "%s: %s matches the long-double reference", label, what);
    double e = (double)exp;
    double rel = e == 0 ? fabs(got) : fabs(got - e) / fabs(e);
    if (rel > max_rel_err) max_rel_err = rel;
    CHECK_NEAR(got, e, REF_REL, desc);
}

static int in_unit(double v)
{
    return isfinite(v) && v >= 0 && v <= 1;
}

static struct erlang_input input(double load, double aht_s, int n, double patience_s, double t_s)
{
    struct erlang_input in = {load / aht_s, aht_s, n, patience_s, t_s};
    return in;
}

/* ==== Published values ==== */

static void test_published_c(void)
{
    struct erlang_metrics m;
    /* Row 1, CRAN package ErlangC 0.1.0: erlang_c(100 per 30 min, 180 s, 20 s, 14). */
    struct erlang_input in = {100.0 / 1800, 180, 14, HUGE_VAL, 20};
    CHECK(erlang_c(&in, &m) == 0, "row 1: Erlang C has a steady state");
    CHECK_ABS(m.p_wait, 0.1741319, 5e-8, "row 1 (ErlangC 0.1.0): P(wait) 0.1741319");
    CHECK_ABS(m.service_level, 0.88835, 5e-6, "row 1 (ErlangC 0.1.0): SL 0.88835");
    CHECK_ABS(m.asa_s, 7.83593701177724, 5e-15, "row 1 (ErlangC 0.1.0): ASA 7.83593701177724 s");
    CHECK_ABS(m.occupancy, 0.7142857, 5e-8, "row 1 (ErlangC 0.1.0): occupancy 0.7142857");
    /* Row 3, pyworkforce README ErlangC, same inputs. */
    CHECK_ABS(m.service_level, 0.8884, 5e-5, "row 3 (pyworkforce README): SL 0.8884");
    CHECK_ABS(m.occupancy, 0.7143, 5e-5, "row 3 (pyworkforce README): occupancy 0.7143");
    CHECK_ABS(m.p_wait, 0.1741, 5e-5, "row 3 (pyworkforce README): P(wait) 0.1741");

    /* Row 2, ErlangC 0.1.0 calculate_agents (SL 0.8), and row 3, pyworkforce raw positions 14. */
    int n = erlang_agents_for_sl('c', &in, 0.8, 1000, &m);
    CHECK_INT(n, 14, "rows 2-3 (ErlangC, pyworkforce): 14 agents for 80% in 20 s at A = 10");
    CHECK_ABS(m.service_level, 0.88835, 5e-6, "rows 2-3: metrics are those at 14 agents");
    in.agents = 11;
    CHECK(erlang_c(&in, &m) == 0, "row 2: 11 agents is stable");
    CHECK_ABS(m.p_wait, 0.6821182, 5e-8, "row 2 (ErlangC 0.1.0): n = 11 P(wait) 0.6821182");
    CHECK_ABS(m.service_level, 0.3896138, 5e-8, "row 2 (ErlangC 0.1.0): n = 11 SL 0.3896138");

    /* Row 7, R package phubers/erlang vignette: 200 per 30 min, AHT 180 s, 80% in 60 s. */
    struct erlang_input r7 = {200.0 / 1800, 180, 1, HUGE_VAL, 60};
    n = erlang_agents_for_sl('c', &r7, 0.8, 1000, &m);
    CHECK_INT(n, 23, "row 7 (phubers/erlang vignette): 23 agents at A = 20, 80% in 60 s");
    CHECK_NEAR(m.occupancy, 20.0 / 23, 1e-15, "row 7 (phubers/erlang vignette): occupancy 20/23");

    /* Row 8, turbotab README: 25 per 600 s, AHT 180 s (A = 7.5), 80% in 20 s. */
    struct erlang_input r8 = {25.0 / 600, 180, 1, HUGE_VAL, 20};
    n = erlang_agents_for_sl('c', &r8, 0.8, 1000, &m);
    CHECK_INT(n, 11, "row 8 (turbotab README): 11 productive agents at A = 7.5");

    /* Row 11, Westbay "The Erlang-C formula": 360 per half hour, AHT 4 min, n = 55, t = 15 s. */
    struct erlang_input r11 = {360.0 / 1800, 240, 55, HUGE_VAL, 15};
    CHECK(erlang_c(&r11, &m) == 0, "row 11: 55 agents is stable");
    CHECK_ABS(m.occupancy, 0.873, 5e-4, "row 11 (Westbay): occupancy 87.3%");
    CHECK_ABS(m.p_wait, 0.23870, 5e-6, "row 11 (secondary sources): P(wait) 0.23870");
    CHECK_ABS(m.asa_s, 8.184, 5e-4, "row 11 (secondary sources): ASA 8.184 s");
    r11.sl_seconds = 20;
    erlang_c(&r11, &m);
    CHECK_ABS(m.service_level, 0.8668, 5e-5, "row 11 (secondary sources): SL at 20 s 0.8668");
    n = erlang_agents_for_sl('c', &r11, 0.8, 1000, &m);
    CHECK_INT(n, 54, "row 11 (secondary sources): 54 agents for 80% in 20 s");
    CHECK_ABS(m.service_level, 0.817, 5e-4, "row 11 (secondary sources): SL 81.7% at 54 agents");
}

static void test_published_a(void)
{
    struct erlang_metrics m;
    /* Row 4, pyworkforce tests test_erlanga_regression_metrics: A = 10, n = 14, patience 5 min. */
    struct erlang_input in = {10.0 / 180, 180, 14, 300, 20};
    CHECK(erlang_a(&in, &m) == 0, "row 4: Erlang A returns 0");
    CHECK_ABS(m.p_wait, 0.14526, 5e-6, "row 4 (pyworkforce tests): P(wait) 0.14526");
    CHECK_ABS(m.p_abandon, 0.013984, 5e-7, "row 4 (pyworkforce tests): P(abandon) 0.013984");
    CHECK_ABS(m.occupancy, 0.704297, 5e-7, "row 4 (pyworkforce tests): occupancy 0.704297");
    CHECK_ABS(m.wait_mean_s / 60, 0.069919, 5e-7,
              "row 4 (pyworkforce tests): mean wait of all arrivals 0.069919 min");
    CHECK_ABS(m.service_level, 0.916792, 5e-7, "row 4 (pyworkforce tests): SL 0.916792");

    /* Row 5, pyworkforce README ErlangA example (80% in 20 s), with the package's current-code
     * values at n = 13 as quoted in the data file. */
    int n = erlang_agents_for_sl('a', &in, 0.8, 1000, &m);
    CHECK_INT(n, 13, "row 5 (pyworkforce README): 13 raw positions for 80% in 20 s");
    CHECK_ABS(m.occupancy, 0.7500, 5e-5, "row 5 (pyworkforce README): occupancy 0.7500");
    CHECK_ABS(m.service_level, 0.8581777, 5e-8, "row 5 (pyworkforce current code): SL 0.8581777");
    CHECK_ABS(m.p_abandon, 0.0249633, 5e-8, "row 5 (pyworkforce current code): P(abandon)");
    CHECK_ABS(m.p_wait, 0.2257971, 5e-8, "row 5 (pyworkforce current code): P(wait) 0.2257971");
    CHECK_ABS(m.wait_mean_s / 60, 0.1248165, 5e-8,
              "row 5 (pyworkforce current code): mean wait 0.1248165 min");
}

static void test_published_b(void)
{
    /* Row 6, pyworkforce README ErlangB: A = 10, blocking at most 2% needs 17 positions; the
     * data file gives B(17, 10) = 0.0129489 and, from the table note, B(16, 10) = 2.23%. */
    int n = 1;
    while (erlang_b(n, 10) > 0.02)
        n++;
    CHECK_INT(n, 17, "row 6 (pyworkforce README): 17 positions for 2% blocking at A = 10");
    CHECK_ABS(erlang_b(17, 10), 0.0129489, 5e-8, "row 6 (data-file note): B(17, 10) = 0.0129489");
    CHECK_ABS(erlang_b(16, 10), 0.0223, 5e-5, "row 6 (data-file note): B(16, 10) = 2.23%");

    /* Row 9, erlang.com (Westbay) calculator manual: 15 lines at 1% blocking carry 8.108 E.
     * B rises with the load, so bisect. */
    double lo = 1, hi = 15;
    for (int i = 0; i < 200 && hi - lo > 0; i++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (erlang_b(15, mid) < 0.01)
            lo = mid;
        else
            hi = mid;
    }
    CHECK_ABS(lo, 8.108, 5e-4, "row 9 (Westbay manual): 15 lines at 1% carry 8.108 Erlangs");

    /* Row 10, Erlang B checkpoints quoted in public test files. */
    CHECK_ABS(erlang_b(5, 2), 0.0367, 5e-5, "row 10 (public test files): B(5, 2) = 3.67%");
    CHECK_ABS(erlang_b(10, 5), 0.0184, 5e-5, "row 10 (public test files): B(10, 5) = 1.84%");
    CHECK_ABS(erlang_b(14, 10), 0.0568, 5e-5, "row 10 (public test files): B(14, 10) = 5.68%");
}

/* ==== Against the independent method ==== */

static void test_b_reference(void)
{
    static const struct {
        int n;
        double a;
    } cases[] = {{1, 0.37},    {3, 2.9},      {12, 7.25},     {40, 51.3},    {150, 118.6},
                 {600, 655.5}, {1000, 300.2}, {2000, 1500.5}, {2000, 2400.0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char label[64];
        snprintf(label, sizeof label, "B(%d, %g)", cases[i].n, cases[i].a);
        near_ref(erlang_b(cases[i].n, cases[i].a),
                 ref_erlang_b(cases[i].n, (long double)cases[i].a), "blocking", label);
    }
    /* B(2000, 200) is about 1e-1200: far below double range, so it must come out as 0, not NaN. */
    double tiny = erlang_b(2000, 200);
    CHECK(tiny == 0, "B(2000, 200) underflows cleanly to 0");
    CHECK(erlang_b(0, 3.1) == 1, "B(0, A) = 1: no trunks, everything blocked");
}

static void compare_all(const struct erlang_input *in, const struct erlang_metrics *m,
                        const struct ref *r, const char *label)
{
    near_ref(m->p_wait, r->p_wait, "P(wait)", label);
    near_ref(m->p_abandon, r->p_abandon, "P(abandon)", label);
    near_ref(m->asa_s, r->asa_s, "ASA", label);
    near_ref(m->wait_mean_s, r->wait_mean_s, "mean wait", label);
    near_ref(m->service_level, r->service_level, "service level", label);
    near_ref(m->occupancy, r->occupancy, "occupancy", label);
    UNUSED(in);
}

static void test_c_reference(void)
{
    static const struct {
        int n;
        double load, aht_s, t_s;
    } cases[] = {{1, 0.3, 200, 10},        {2, 0.75, 60, 30},     {5, 0.9, 240, 20},
                 {14, 10.0 / 14, 180, 20}, {40, 0.98, 300, 60},   {120, 0.6, 150, 5},
                 {333, 0.95, 420, 45},     {1000, 0.97, 180, 20}, {700, 0.3, 100, 0},
                 {9, 0.5, 30, 60},         {60, 0.85, 270, 15},   {250, 0.98, 180, 30}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct erlang_input in =
            input(cases[i].load * cases[i].n, cases[i].aht_s, cases[i].n, HUGE_VAL, cases[i].t_s);
        char label[96];
        snprintf(label, sizeof label, "C n=%d load=%g aht=%g T=%g", cases[i].n, cases[i].load,
                 cases[i].aht_s, cases[i].t_s);
        struct erlang_metrics m;
        struct ref r;
        CHECK(erlang_c(&in, &m) == 0, label);
        ref_metrics(&in, &r);
        compare_all(&in, &m, &r, label);
        /* The closed form 1 - C exp(-(n mu - lambda) T), from the chain's P(wait), checks the
         * uniformization itself. */
        long double drain =
            (long double)in.agents / (long double)in.aht_s - (long double)in.arrivals_per_s;
        long double closed = 1 - r.p_wait * expl(-drain * (long double)in.sl_seconds);
        char desc[160];
        snprintf(desc, sizeof desc, "%s: uniformized SL equals the closed form", label);
        CHECK_NEAR((double)r.service_level, (double)closed, 1e-12, desc);
    }
}

static void test_a_reference(void)
{
    static const struct {
        int n;
        double load, aht_s, patience_s, t_s;
    } cases[] = {
        {1, 0.7, 240, 90, 20},     {2, 0.5, 60, 3000, 5},         {3, 1.3, 300, 45, 30},
        {7, 0.95, 120, 600, 15},   {14, 10.0 / 14, 180, 300, 20}, {25, 1.1, 200, 3600, 60},
        {50, 0.3, 90, 30, 10},     {100, 1.5, 180, 120, 20},      {250, 0.98, 300, 240, 0},
        {400, 0.6, 150, 60, 30},   {500, 1.2, 360, 1800, 45},     {1000, 0.85, 180, 600, 20},
        {1000, 1.5, 180, 600, 60}, {1, 1.5, 100, 3600, 40},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct erlang_input in = input(cases[i].load * cases[i].n, cases[i].aht_s, cases[i].n,
                                       cases[i].patience_s, cases[i].t_s);
        char label[112];
        snprintf(label, sizeof label, "A n=%d load=%g aht=%g patience=%g T=%g", cases[i].n,
                 cases[i].load, cases[i].aht_s, cases[i].patience_s, cases[i].t_s);
        struct erlang_metrics m;
        struct ref r;
        CHECK(erlang_a(&in, &m) == 0, label);
        ref_metrics(&in, &r);
        compare_all(&in, &m, &r, label);
        /* Two derivations of P(served): the product over stages, and 1 - theta E[Q] / lambda. */
        char desc[160];
        snprintf(desc, sizeof desc, "%s: reference P(served) = 1 - P(abandon)", label);
        CHECK_NEAR((double)r.p_served, (double)(1 - r.p_abandon), 1e-15, desc);
    }
}

/* ==== Stability, limits and boundaries ==== */

static void test_stability(void)
{
    static const double loads[] = {0.1, 1.0, 2.0};
    static const double patience[] = {60, 3600};
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = 0; k < 2; k++) {
            struct erlang_input in = input(loads[i] * 2000, 180, 2000, patience[k], 20);
            struct erlang_metrics m;
            char desc[128];
            erlang_a(&in, &m);
            snprintf(desc, sizeof desc, "A n=2000 load %g patience %g: probabilities in [0,1]",
                     loads[i], patience[k]);
            CHECK(in_unit(m.p_wait) && in_unit(m.p_abandon) && in_unit(m.service_level) &&
                      in_unit(m.occupancy),
                  desc);
            snprintf(desc, sizeof desc, "A n=2000 load %g patience %g: waits finite, >= 0",
                     loads[i], patience[k]);
            CHECK(isfinite(m.asa_s) && m.asa_s >= 0 && isfinite(m.wait_mean_s) &&
                      m.wait_mean_s >= 0,
                  desc);
            /* With T far beyond any wait, SL is P(served), summed from w_j, not from E[Q]. */
            struct erlang_metrics forever;
            in.sl_seconds = 1e9;
            erlang_a(&in, &forever);
            snprintf(desc, sizeof desc, "A n=2000 load %g patience %g: P(served) = 1 - P(abandon)",
                     loads[i], patience[k]);
            CHECK_NEAR(forever.service_level, 1 - m.p_abandon, 1e-12, desc);
        }
    }
    /* At load 2 half the arrivals must abandon, whatever the patience (flow balance). */
    struct erlang_input over = input(4000, 180, 2000, 3600, 20);
    struct erlang_metrics m;
    erlang_a(&over, &m);
    CHECK_NEAR(m.p_abandon, 0.5, 1e-3, "A n=2000 load 2 patience 3600: P(abandon) near 1/2");
    CHECK_NEAR(m.wait_mean_s, 0.5 * 3600, 1e-3, "A load 2: mean wait = P(abandon) x patience");

    /* Very long patience approaches Erlang C at load 0.9. */
    static const int ns[] = {20, 2000};
    for (size_t i = 0; i < 2; i++) {
        struct erlang_input in = input(0.9 * ns[i], 180, ns[i], 1e7, 20);
        struct erlang_metrics a, c;
        erlang_a(&in, &a);
        erlang_c(&in, &c);
        char desc[128];
        snprintf(desc, sizeof desc, "A n=%d patience 1e7 s: close to Erlang C", ns[i]);
        CHECK(fabs(a.p_wait - c.p_wait) <= 1e-3 * c.p_wait &&
                  fabs(a.service_level - c.service_level) <= 1e-3 &&
                  fabs(a.asa_s - c.asa_s) <= 1e-3 * c.asa_s && a.p_abandon < 1e-4,
              desc);
    }
}

static void test_boundaries(void)
{
    struct erlang_metrics m;
    /* M/M/1: P(wait) = rho and SL = 1 - rho exp(-(mu - lambda) T), the textbook closed form. */
    struct erlang_input mm1 = {0.004, 150, 1, HUGE_VAL, 25};
    erlang_c(&mm1, &m);
    CHECK_NEAR(m.p_wait, 0.6, 1e-14, "C n=1: P(wait) = rho");
    CHECK_NEAR(m.service_level, 1 - 0.6 * exp(-(1.0 / 150 - 0.004) * 25), 1e-14,
               "C n=1: SL = 1 - rho exp(-(mu - lambda) T)");
    CHECK_NEAR(m.asa_s, 0.6 / (1.0 / 150 - 0.004), 1e-14, "C n=1: ASA = rho / (mu - lambda)");

    /* T = 0: only those who find an idle agent are answered in time. */
    struct erlang_input c0 = input(17.3, 210, 21, HUGE_VAL, 0);
    erlang_c(&c0, &m);
    CHECK_NEAR(m.service_level, 1 - m.p_wait, 1e-15, "C T=0: SL = P(N < n)");
    struct erlang_input a0 = input(17.3, 210, 21, 95, 0);
    erlang_a(&a0, &m);
    CHECK_NEAR(m.service_level, 1 - m.p_wait, 1e-14, "A T=0: SL = P(N < n)");

    /* No steady state: load >= agents returns -1 and leaves *out untouched. */
    struct erlang_input sat = {0.5, 4, 2, HUGE_VAL, 20}; /* A = 2 exactly */
    struct erlang_metrics untouched;
    memset(&untouched, 0x5a, sizeof untouched);
    m = untouched;
    CHECK(erlang_c(&sat, &m) == -1, "C load = agents: -1");
    CHECK(memcmp(&m, &untouched, sizeof m) == 0, "C load = agents: *out untouched");
    sat.agents = 1;
    CHECK(erlang_c(&sat, &m) == -1, "C load > agents: -1");

    /* Infinite patience: Erlang C when stable, the theta -> 0 limits when not. */
    struct erlang_input inf = input(8.2, 180, 10, HUGE_VAL, 20);
    struct erlang_metrics c;
    erlang_c(&inf, &c);
    erlang_a(&inf, &m);
    CHECK(memcmp(&m, &c, sizeof m) == 0, "A with infinite patience is Erlang C when stable");
    inf = input(12.5, 180, 10, HUGE_VAL, 20);
    CHECK(erlang_a(&inf, &m) == 0, "A infinite patience, overloaded: returns 0");
    CHECK(m.p_wait == 1 && m.service_level == 0 && m.occupancy == 1 && isinf(m.asa_s),
          "A infinite patience, overloaded: limits");
    CHECK_NEAR(m.p_abandon, 0.2, 1e-15, "A infinite patience, overloaded: excess abandons");

    /* Tiny load: nobody waits. */
    struct erlang_input idle = input(1e-6, 180, 3, 120, 20);
    erlang_a(&idle, &m);
    CHECK(m.p_wait < 1e-12 && m.service_level > 1 - 1e-12, "A at load 1e-6: almost never waits");

    /* The agent search reports failure when max_agents is too small, and finds n = 1. */
    struct erlang_input r1 = {100.0 / 1800, 180, 1, 300, 20};
    CHECK_INT(erlang_agents_for_sl('c', &r1, 0.8, 13, &m), -1, "C search: 13 agents not enough");
    CHECK_INT(erlang_agents_for_sl('c', &r1, 0.8, 14, &m), 14, "C search: max_agents reached");
    CHECK_INT(erlang_agents_for_sl('a', &r1, 0.8, 12, &m), -1, "A search: 12 agents not enough");
    CHECK_INT(erlang_agents_for_sl('c', &r1, 0.8, 10, &m), -1, "C search: max below the load");
    struct erlang_input light = input(0.05, 180, 1, 300, 20);
    CHECK_INT(erlang_agents_for_sl('a', &light, 0.8, 5, &m), 1, "A search: one agent suffices");
    CHECK_INT(erlang_agents_for_sl('c', &light, 0.8, 5, &m), 1, "C search: one agent suffices");
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_published_c();
    test_published_a();
    test_published_b();
    test_b_reference();
    test_c_reference();
    test_a_reference();
    test_stability();
    test_boundaries();
    printf("# max relative error against the long-double reference: %.3g\n", max_rel_err);
    return check_summary();
}
