/* test_fit: `ccsim fit` against known models.
 * 1. Round trip: tests/data/fit-day.cfg (16 half-hour arrival rates, lognormal handle times mean
 *    240 cv 0.9, Weibull patience mean 200 shape 0.8) is simulated with --log, the log is fitted,
 *    and each of its 20 parameters must lie within its own standard error times the normal
 *    quantile of a Bonferroni level 0.01 / 20 (two-sided); the right families must win on AIC;
 *    the days must pass the Poisson dispersion test at 0.1 %; and the agents counted from the log
 *    must be the plan's, give or take the one an interval may not see serve (an agent on duty who
 *    takes no contact in it is invisible to a log).
 * 2. Reproduction: the shipped synthetic log (tests/data/fit-day-log.csv.gz) is fitted, the fitted
 *    config simulated, and per interval its abandon rate, ASA and service level must agree with the
 *    log's own, the difference within the Bonferroni normal quantile (0.01 over all comparisons) of
 *    the combined standard errors of the log's day-to-day interval and the simulation's.
 * The ccsim under test is $CCSIM (tests/run.sh sets it). */
#include "check.h"

#include <gsl/gsl_cdf.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static const char *ccsim;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    if (rc != 0) printf("    command failed (%d): %s\n", rc, cmd);
    return rc;
}

static json_object *load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    json_object *j = json_object_from_file(path);
    if (j == NULL) printf("    cannot read %s\n", path);
    return j;
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static double number(json_object *o, const char *key)
{
    json_object *v = member(o, key);
    return v != NULL && !json_object_is_type(v, json_type_null) ? json_object_get_double(v)
                                                                : (double)NAN;
}

/* The fit of the named family in an array of fits. */
static json_object *family(json_object *fits, const char *name)
{
    for (size_t i = 0; fits != NULL && i < json_object_array_length(fits); i++) {
        json_object *f = json_object_array_get_idx(fits, i);
        if (strcmp(json_object_get_string(member(f, "family")), name) == 0) return f;
    }
    return NULL;
}

static void within(const char *what, double got, double se, double truth, double z, int *bad)
{
    double dev = fabs(got - truth) / se;
    if (!(dev <= z)) {
        (*bad)++;
        printf("    %s: %.6g, truth %.6g, %.2f SE off (limit %.2f)\n", what, got, truth, dev, z);
    }
}

static void test_round_trip(void)
{
    static const double rates[16] = {40, 60, 80, 100, 110, 110, 100, 90,
                                     70, 80, 90, 90, 80, 70, 50, 40};
    static const int plan[16] = {4, 5, 6, 7, 8, 8, 7, 7, 5, 6, 7, 7, 6, 5, 4, 3};
    const char *reps = check_quick() ? "30" : "60";
    if (!CHECK(sh("%s run tests/data/fit-day.cfg --quiet --seed 7 --reps %s --log %s/log.csv >/dev/null",
                  ccsim, reps, dir) == 0,
               "the known model is simulated with --log"))
        return;
    int rc = sh("%s fit %s/log.csv --start 08:00 --out %s/fitted.cfg --json %s/fit.json --quiet",
                ccsim, dir, dir, dir);
    CHECK(rc == 0, "ccsim fit reads the log and writes the config and the report");
    json_object *fit = load("fit.json");
    json_object *ch = fit ? json_object_array_get_idx(member(fit, "channels"), 0) : NULL;
    if (!CHECK(ch != NULL, "the report has the channel")) {
        json_object_put(fit);
        return;
    }
    double z = gsl_cdf_ugaussian_Qinv(0.01 / (2 * 20));
    int bad = 0;
    json_object *r = member(ch, "arrivals_per_hour"), *rse = member(ch, "arrivals_per_hour_se");
    CHECK_INT(json_object_array_length(r), 16, "16 intervals of 30 minutes from 08:00");
    for (size_t k = 0; k < 16 && k < json_object_array_length(r); k++) {
        char what[64];
        snprintf(what, sizeof what, "rate of interval %zu", k);
        within(what, json_object_get_double(json_object_array_get_idx(r, k)),
               json_object_get_double(json_object_array_get_idx(rse, k)), rates[k], z, &bad);
    }
    json_object *h = family(member(ch, "handle_fits"), "lognormal");
    json_object *p = family(member(ch, "patience_fits"), "weibull");
    if (h != NULL) {
        within("handle mean", number(h, "mean_s"), number(h, "mean_s_se"), 240, z, &bad);
        within("handle cv", number(h, "cv"), number(h, "cv_se"), 0.9, z, &bad);
    }
    if (p != NULL) {
        within("patience mean", number(p, "mean_s"), number(p, "mean_s_se"), 200, z, &bad);
        within("patience shape", number(p, "shape"), number(p, "shape_se"), 0.8, z, &bad);
    }
    CHECK(h != NULL && p != NULL, "the report has the lognormal handle and Weibull patience fits");
    CHECK_INT(bad, 0, "all 20 parameters within their Bonferroni-corrected intervals (0.01 / 20)");
    CHECK(strcmp(json_object_get_string(member(ch, "handle_chosen")), "lognormal") == 0,
          "lognormal handle times win on AIC");
    CHECK(strcmp(json_object_get_string(member(ch, "patience_chosen")), "weibull") == 0,
          "Weibull patience wins on AIC among the censored fits");
    double pdisp = number(member(ch, "dispersion"), "p");
    CHECK(pdisp > 0.001, "Poisson days are not rejected by the dispersion test at 0.1 %");
    json_object *ag = member(ch, "agents");
    CHECK(ag != NULL && json_object_array_length(ag) == 16, "the report counts agents in all 16 intervals");
    int off = 0;
    for (size_t k = 0; k < 16 && ag != NULL && k < json_object_array_length(ag); k++)
        off += abs(json_object_get_int(json_object_array_get_idx(ag, k)) - plan[k]) > 1;
    CHECK_INT(off, 0, "agents counted from the log are the plan's within one in every interval");
    json_object_put(fit);
}

static void test_reproduces_log(void)
{
    int rc = sh("%s fit tests/data/fit-day-log.csv.gz --start 08:00 --out %s/shipped.cfg --json "
                "%s/shipped-fit.json --quiet",
                ccsim, dir, dir);
    CHECK(rc == 0, "the shipped synthetic log (gzip) is fitted");
    const char *reps = check_quick() ? "20" : "40";
    rc = sh("%s run %s/shipped.cfg --quiet --seed 3 --reps %s --json %s/sim.json >/dev/null", ccsim, dir, reps,
            dir);
    CHECK(rc == 0, "the fitted config runs");
    json_object *fit = load("shipped-fit.json"), *sim = load("sim.json");
    json_object *obs = member(json_object_array_get_idx(member(fit, "channels"), 0), "observed");
    json_object *ivs = member(sim, "intervals");
    if (!CHECK(obs != NULL && ivs != NULL, "the log's metrics and the simulation's per interval")) {
        json_object_put(fit);
        json_object_put(sim);
        return;
    }
    static const char *const names[3] = {"abandon_rate", "asa_s", "service_level"};
    size_t K = json_object_array_length(ivs);
    double z = gsl_cdf_ugaussian_Qinv(0.01 / (2.0 * 3 * (double)K));
    int bad = 0, compared = 0;
    for (int m = 0; m < 3; m++) {
        json_object *o = member(obs, names[m]);
        for (size_t k = 0; k < K && k < json_object_array_length(o); k++) {
            json_object *a = json_object_array_get_idx(o, k);
            json_object *b = member(member(member(json_object_array_get_idx(ivs, k), "channels"), "voice"),
                                    names[m]);
            double ma = number(a, "mean"), ha = number(a, "ci95"), mb = number(b, "mean"),
                   hb = number(b, "ci95");
            double na = number(a, "n"), nb = number(b, "n");
            if (isnan(ma) || isnan(ha) || isnan(mb) || isnan(hb) || na < 2 || nb < 2) continue;
            double se = hypot(ha / gsl_cdf_tdist_Pinv(0.975, na - 1), hb / gsl_cdf_tdist_Pinv(0.975, nb - 1));
            compared++;
            if (se > 0 ? fabs(ma - mb) / se > z : ma != mb) {
                bad++;
                printf("    %s, interval %zu: log %.4g ± %.3g, simulated %.4g ± %.3g (%.2f SE, limit %.2f)\n",
                       names[m], k, ma, ha, mb, hb, fabs(ma - mb) / se, z);
            }
        }
    }
    CHECK(compared >= 40, "most interval metrics are comparable (both defined on two days or more)");
    CHECK_INT(bad, 0, "abandon rate, ASA and service level per interval agree with the log's");
    json_object_put(fit);
    json_object_put(sim);
}

int main(void)
{
    ccsim = getenv("CCSIM");
    if (ccsim == NULL) ccsim = "build/ccsim";
    snprintf(dir, sizeof dir, "/tmp/ccsim-test-fit-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        CHECK(0, "a temporary folder");
        return check_summary();
    }
    test_round_trip();
    test_reproduces_log();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) printf("    could not remove %s\n", dir);
    return check_summary();
}
