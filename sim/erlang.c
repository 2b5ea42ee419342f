/* erlang: exact steady-state formulas for Erlang B (M/M/n/n), Erlang C (M/M/n) and Erlang A
 * (M/M/n+M).  Large quantities are held as a mantissa times a power of two and rescaled only by
 * exact powers of two, so n! / A^n or a queue tail near e^15000 never overflows and no rounding
 * beyond the arithmetic itself enters.  Every infinite series is cut where a proven bound on its
 * remainder drops below DBL_EPSILON / 4 of the running sum.  Cost: Erlang B and C are O(n);
 * Erlang A is O(n + J) where J ~ (A - n)^+ patience / aht + 9 sqrt(lambda patience) terms.
 * References: A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
 * significance in automatic telephone exchanges"; O. Garnett, A. Mandelbaum, M. Reiman (2002),
 * "Designing a call center with impatient customers", MSOM 4(3) (M/M/n+M steady state);
 * A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of performance measures". */
#include "erlang.h"

#include <assert.h>
#include <float.h>
#include <limits.h>
#include <math.h>

/* The series cut-off: what is left out is below a quarter of one ulp of the sum. */
#define TAIL_TOL (DBL_EPSILON / 4)

/* ln 2; M_LN2 is POSIX/XSI, not C11. */
#define LN2 0.693147180559945309417232121458176568

/* A positive number held as m * 2^e.  The exponent is a long because n! / A^n and the Erlang A
 * tail leave the double range by thousands of binary orders. */
struct scaled {
    double m;
    long e;
};

/* Folds m's binary exponent into e, so m stays in [0.5, 1) (or is 0). */
static void normalize(struct scaled *x)
{
    int ex;
    x->m = frexp(x->m, &ex);
    x->e += ex;
}

/* m * 2^e as a double: underflows to 0 and overflows to inf like ordinary arithmetic.  The clamp
 * only keeps the int argument of ldexp in range; any |e| beyond it is out of range anyway. */
static double to_double(double m, long e)
{
    long lim = (long)(DBL_MAX_EXP - DBL_MIN_EXP + DBL_MANT_DIG) * 2;
    if (e > lim) e = lim;
    if (e < -lim) e = -lim;
    return ldexp(m, (int)e);
}

/* r_k = 1 / B(k, A) through r_k = 1 + (k / A) r_{k-1}, r_0 = 1: all terms positive, so the
 * relative error grows at most linearly in n (Erlang 1917; this is the standard stable form).
 * Sets *rn = r_n and *rprev = r_{n-1}. */
static void inv_erlang_b(int n, double load, struct scaled *rn, struct scaled *rprev)
{
    struct scaled r = {1.0, 0};
    struct scaled prev = r;
    for (int k = 1; k <= n; k++) {
        prev = r;
        r.m = to_double(1.0, -r.e) + ((double)k / load) * r.m;
        normalize(&r);
    }
    *rn = r;
    *rprev = prev;
}

double erlang_b(int agents, double load_erlangs)
{
    assert(agents >= 0 && load_erlangs > 0);
    struct scaled rn, rprev;
    inv_erlang_b(agents, load_erlangs, &rn, &rprev);
    return to_double(1.0 / rn.m, -rn.e);
}

/* Erlang C from r_n = 1 / B: C = B / (1 - rho (1 - B)) = 1 / (r_n (1 - rho) + rho), written with
 * 2^-e so that a huge r_n gives an underflowing C rather than inf. */
int erlang_c(const struct erlang_input *in, struct erlang_metrics *out)
{
    assert(in->arrivals_per_s > 0 && in->aht_s > 0 && in->agents >= 1 && in->sl_seconds >= 0);
    double n = in->agents;
    double load = in->arrivals_per_s * in->aht_s;
    if (load >= n) return -1;
    struct scaled rn, rprev;
    inv_erlang_b(in->agents, load, &rn, &rprev);
    double rho = load / n;
    double one_minus_rho = (n - load) / n; /* n - load is exact-ish; 1 - rho would cancel */
    double inv = to_double(1.0, -rn.e);
    double c = inv / (rn.m * one_minus_rho + rho * inv);
    double drain_per_s = (n - load) / in->aht_s; /* n mu - lambda */
    out->p_wait = c;
    out->p_abandon = 0;
    out->asa_s = c / drain_per_s;
    out->wait_mean_s = out->asa_s;
    out->service_level = 1 - c * exp(-drain_per_s * in->sl_seconds);
    out->occupancy = rho;
    return 0;
}

/* Infinite patience with load >= agents: the queue grows without bound.  These are the limits of
 * M/M/n+M as theta -> 0: every arrival waits, the excess lambda - n mu abandons (after an ever
 * longer wait), agents are always busy. */
static void overloaded_limit(double load, double n, struct erlang_metrics *out)
{
    out->p_wait = 1;
    out->p_abandon = (load - n) / load;
    out->asa_s = HUGE_VAL; /* +inf: C11 Annex F */
    out->wait_mean_s = HUGE_VAL;
    out->service_level = 0;
    out->occupancy = 1;
}

/* Running sums of the Erlang A queue tail, all in units of 2^e (the scale of the current term).
 * With x = n mu / theta, g = lambda / theta and j contacts waiting ahead of an arrival:
 *   t_j = prod_{i=1}^{j} g / (x + i)     p_{n+j} / p_n (Garnett et al. 2002)
 *   w_j = x / (x + j + 1)                P(served | j ahead): the product over the j + 1 stages
 *                                        of (x + i - 1) / (x + i) telescopes
 *   H_j = sum_{i=1}^{j+1} 1 / (x + i)    theta E[wait | j ahead]: stage i lasts Exp(theta (x + i))
 *   F_j = P(K <= j), K ~ NegBin(x + 1, q), q = 1 - exp(-theta T): the stage times satisfy
 *         exp(-theta V) ~ Beta(x + 1, j + 1), so P(V <= T) = I_q(j + 1, x + 1) = 1 - F_j, and
 *         the incomplete beta with integer first argument is a negative-binomial tail.
 * Summing d_k = P(K = k) instead of calling gsl_sf_beta_inc keeps every term positive, costs
 * O(1) per j, and never meets GSL's underflow errors (which abort under ccsim_gsl_handler). */
struct tail {
    long e;       /* binary exponent shared by every sum below */
    double s0;    /* sum t_j */
    double s1;    /* sum j t_j */
    double sw;    /* sum t_j w_j (served) */
    double sh;    /* sum t_j w_j H_j (wait of the served, over theta) */
    double late;  /* sum t_j w_j F_j (served after T) */
    double early; /* sum_{k>=1} d_k sum_{j<k} t_j w_j (served within T), partial */
};

static void tail_rescale(struct tail *s, int ex)
{
    s->e += ex;
    s->s0 = ldexp(s->s0, -ex);
    s->s1 = ldexp(s->s1, -ex);
    s->sw = ldexp(s->sw, -ex);
    s->sh = ldexp(s->sh, -ex);
    s->late = ldexp(s->late, -ex);
    s->early = ldexp(s->early, -ex);
}

/* The negative-binomial pmf d_k for K ~ NegBin(b, q), walked upward by d_k / d_{k-1} =
 * (b + k - 1) q / k; held scaled because d_0 = exp(-b theta T) can underflow. */
struct negbin {
    double b, q;
    long k;
    struct scaled d;
};

static void negbin_init(struct negbin *nb, double b, double theta_t)
{
    nb->b = b;
    nb->q = -expm1(-theta_t);
    nb->k = 0;
    double log_d0 = -b * theta_t; /* b log(1 - q), exact in terms of the inputs */
    double e2 = floor(log_d0 / LN2);
    if (!(e2 > (double)(LONG_MIN / 2))) {
        /* T so long (or infinite) that d_0 is beyond even the scaled range: every d_k the
         * walk reaches is 0 and all served contacts count as answered in time. */
        nb->d.m = 0;
        nb->d.e = 0;
        return;
    }
    nb->d.e = (long)e2;
    nb->d.m = exp(log_d0 - e2 * LN2);
    normalize(&nb->d);
}

/* Ratio d_{k+1} / d_k; decreasing in k because b > 1. */
static double negbin_ratio(const struct negbin *nb)
{
    return (nb->b + (double)nb->k) * nb->q / (double)(nb->k + 1);
}

/* Advances to d_{k+1} and returns it as a double (0 where it underflows: such a term is below
 * DBL_MIN of a quantity that is at most 1). */
static double negbin_next(struct negbin *nb)
{
    nb->d.m *= negbin_ratio(nb);
    nb->k++;
    normalize(&nb->d);
    return to_double(nb->d.m, nb->d.e);
}

/* Fills *out for M/M/n+M with finite patience; see struct tail for the notation. */
static void erlang_a_finite(const struct erlang_input *in, struct erlang_metrics *out)
{
    double n = in->agents;
    double load = in->arrivals_per_s * in->aht_s;
    double x = n * in->patience_mean_s / in->aht_s;      /* n mu / theta */
    double g = in->arrivals_per_s * in->patience_mean_s; /* lambda / theta */
    double theta_t = in->sl_seconds / in->patience_mean_s;

    struct tail s = {0, 0, 0, 0, 0, 0, 0};
    struct negbin nb;
    negbin_init(&nb, x + 1, theta_t);
    double cdf = to_double(nb.d.m, nb.d.e); /* F_j */
    double t = 1;                           /* t_j in units of 2^s.e */
    double h = 1 / (x + 1);                 /* H_j */
    double j = 0;
    for (;;) {
        double w = x / (x + j + 1);
        s.s0 += t;
        s.s1 += j * t;
        s.sw += t * w;
        s.sh += t * w * h;
        s.late += t * w * cdf;
        /* d_{j+1} pairs with the served mass of everyone at most j ahead, now complete. */
        double d = negbin_next(&nb);
        s.early += d * s.sw;
        cdf += d;
        /* Ratios g / (x + i) fall with i, so past the first ratio r < 1 the rest is below a
         * geometric series: sum_{k>j} t_k <= t r / (1 - r), sum_{m>=1} m t_{j+m} <= t r / (1-r)^2;
         * H and w are bounded on the remainder by H_j + m / (x + j + 2) and w_{j+1}. */
        double r = g / (x + j + 1);
        if (r < 1) {
            double rem0 = t * r / (1 - r);
            double rem1 = t * r / ((1 - r) * (1 - r));
            double w1 = x / (x + j + 2);
            if (rem0 <= TAIL_TOL * s.s0 && j * rem0 + rem1 <= TAIL_TOL * s.s1 &&
                w1 * (h * rem0 + rem1 / (x + j + 2)) <= TAIL_TOL * s.sh)
                break;
        }
        t *= r;
        j += 1;
        h += 1 / (x + j + 1);
        if (t > 1) {
            int ex;
            t = frexp(t, &ex);
            tail_rescale(&s, ex);
        }
    }

    /* Served within T = sw - late.  When F_J <= 1/2, late <= sw / 2 and the difference loses at
     * most one bit.  Otherwise most of K's mass lies below J, so finish the early sum directly:
     * every later d_k pairs with the complete sw. */
    double early;
    if (cdf <= 0.5) {
        early = s.sw - s.late;
    } else {
        double rest = 0;
        for (;;) {
            double rho = negbin_ratio(&nb);
            double d = to_double(nb.d.m, nb.d.e);
            if (rho < 1 && d * rho / (1 - rho) <= TAIL_TOL * rest) break;
            rest += negbin_next(&nb);
        }
        early = s.early + s.sw * rest;
    }

    /* Bring the states below n onto the tail's scale.  Relative to p_n, sum_{k<=n} p_k = r_n =
     * 1 / B(n, A), so sum_{k<n} p_k = r_n - 1 = (n / A) r_{n-1}, which avoids cancelling the 1
     * (p_n itself is t_0, counted in the tail). */
    struct scaled rn, rprev;
    inv_erlang_b(in->agents, load, &rn, &rprev);
    struct scaled below = {rprev.m * (n / load), rprev.e};
    normalize(&below);
    long e = s.e > below.e ? s.e : below.e;
    double up = to_double(s.s0, s.e - e);
    double low = to_double(below.m, below.e - e);
    double z = low + up;
    double sw = to_double(s.sw, s.e - e);
    double eq = to_double(s.s1, s.e - e) / z; /* E[number waiting] */

    out->p_wait = up / z;
    out->p_abandon = eq / g; /* theta E[Q] / lambda */
    out->wait_mean_s = eq / in->arrivals_per_s;
    out->asa_s = in->patience_mean_s * to_double(s.sh, s.e - e) / (low + sw);
    out->service_level = (low + to_double(early, s.e - e)) / z;
    /* Near saturation the true value is 1 - (tiny), and rounding in p_abandon can push the
     * product an ulp past 1; the bound is exact, so clamping only removes error. */
    out->occupancy = fmin(1.0, load * (1 - out->p_abandon) / n);
}

int erlang_a(const struct erlang_input *in, struct erlang_metrics *out)
{
    assert(in->arrivals_per_s > 0 && in->aht_s > 0 && in->agents >= 1 && in->sl_seconds >= 0);
    assert(in->patience_mean_s > 0);
    if (isinf(in->patience_mean_s)) {
        if (erlang_c(in, out) == 0) return 0;
        overloaded_limit(in->arrivals_per_s * in->aht_s, in->agents, out);
        return 0;
    }
    erlang_a_finite(in, out);
    return 0;
}

/* Service level at n agents, or -1 (below any target) when model c has no steady state. */
static double sl_at(char model, const struct erlang_input *in, int n, struct erlang_metrics *m)
{
    struct erlang_input at = *in;
    at.agents = n;
    if (model == 'c') return erlang_c(&at, m) == 0 ? m->service_level : -1;
    erlang_a(&at, m);
    return m->service_level;
}

/* Service level rises with the number of agents (a coupling argument: an extra agent never
 * delays anyone), so search by doubling steps, then bisect: O(log n) evaluations, none at more
 * than twice the answer. */
int erlang_agents_for_sl(char model, const struct erlang_input *in, double target_sl,
                         int max_agents, struct erlang_metrics *out)
{
    assert(model == 'c' || model == 'a');
    struct erlang_metrics m;
    int lo = 0; /* largest count known to miss the target (0: none tried) */
    if (model == 'c') {
        double load = in->arrivals_per_s * in->aht_s;
        lo = load >= INT_MAX ? INT_MAX : (int)floor(load);
    }
    if (lo >= max_agents) return -1;
    int hi = -1;
    long step = 1;
    while (hi < 0) {
        long probe = lo + step;
        if (probe > max_agents) probe = max_agents;
        if (sl_at(model, in, (int)probe, &m) >= target_sl) {
            hi = (int)probe;
        } else {
            if (probe == max_agents) return -1;
            lo = (int)probe;
            step *= 2;
        }
    }
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (sl_at(model, in, mid, &m) >= target_sl)
            hi = mid;
        else
            lo = mid;
    }
    sl_at(model, in, hi, out);
    return hi;
}
