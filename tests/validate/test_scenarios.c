/* test_scenarios: every shipped scenario runs, and the answer in its closing comment is what
 * ccsim gives now.
 *
 * Each .cfg file in scenarios/ names its comparison ("# compare: BASE VARIANT...") and metrics
 * ("# metrics: a,b,..."); its "# check:" lines hold, per variant and metric, the base's mean,
 * the variant's and their paired difference, each with its 95 % half-width.  The test runs the
 * comparison (`ccsim compare ... --csv`) and fails when a number drifts by more than sqrt(2)
 * times its half-width at a Bonferroni-corrected level over all the numbers checked (plus the
 * rounding of the 6 printed digits).  UPDATE=1 rewrites the check lines from the run instead:
 * `make scenarios-update`.
 *
 * Also here: common random numbers shrink the variance of a paired difference at least 3 times
 * against independent seeds (measured and printed), and a config compared with itself differs
 * by exactly 0 everywhere. */
#include "check.h"
#include "cli.h"
#include "conf.h"
#include "model.h"
#include "testlib.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LINES 400
#define LINE 1024

struct file_text {
    char *lines[MAX_LINES];
    int n;
};

static int read_lines(const char *path, struct file_text *t)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    char buf[LINE];
    t->n = 0;
    while (t->n < MAX_LINES && fgets(buf, sizeof buf, f))
        t->lines[t->n++] = xstrdup(buf);
    fclose(f);
    return 0;
}

static void free_lines(struct file_text *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->lines[i]);
    t->n = 0;
}

static const char *after(const char *line, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(line, prefix, n) == 0 ? line + n : NULL;
}

/* Runs `ccsim compare` with args, its table sent to /dev/null; returns its exit status. */
static int run_compare(char **args, int n)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    int rc = cmd_compare(n, args);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(null);
    close(saved);
    return rc;
}

struct cmp_row {
    char metric[128], variant[128];
    double base, base_h, value, value_h, diff, diff_h;
    int n;
};

/* The CSV of a comparison (docs/scenarios.md), rows in file order. */
static int read_csv(const char *path, struct cmp_row *rows, int cap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    char line[LINE];
    int n = 0;
    if (fgets(line, sizeof line, f) == NULL) n = 0;
    while (n < cap && fgets(line, sizeof line, f)) {
        struct cmp_row *w = &rows[n];
        /* metric and variant are quoted and hold no quotes or commas in the shipped files. */
        char *p = line;
        char *q = strchr(p + 1, '"');
        if (q == NULL) continue;
        snprintf(w->metric, sizeof w->metric, "%.*s", (int)(q - p - 1), p + 1);
        p = q + 2;
        q = strchr(p + 1, '"');
        if (q == NULL) continue;
        snprintf(w->variant, sizeof w->variant, "%.*s", (int)(q - p - 1), p + 1);
        p = q + 1;
        char *f2[12];
        int nf = testlib_fields(p + 1, f2, 12);
        if (nf < 9) continue;
        w->base = f2[0][0] ? atof(f2[0]) : (double)NAN;
        w->base_h = f2[1][0] ? atof(f2[1]) : (double)NAN;
        w->value = f2[2][0] ? atof(f2[2]) : (double)NAN;
        w->value_h = f2[3][0] ? atof(f2[3]) : (double)NAN;
        w->diff = f2[4][0] ? atof(f2[4]) : (double)NAN;
        w->diff_h = f2[5][0] ? atof(f2[5]) : (double)NAN;
        w->n = atoi(f2[6]);
        n++;
    }
    fclose(f);
    return n;
}

struct scenario {
    char path[512];
    struct file_text text;
    struct cmp_row rows[64];
    int n_rows;
};

/* Runs the scenario's comparison; 0 when it ran. */
static int run_scenario(struct scenario *s)
{
    const char *compare = NULL, *metrics = NULL;
    for (int i = 0; i < s->text.n; i++) {
        if (after(s->text.lines[i], "# compare: ")) compare = after(s->text.lines[i], "# compare: ");
        if (after(s->text.lines[i], "# metrics: ")) metrics = after(s->text.lines[i], "# metrics: ");
    }
    if (compare == NULL || metrics == NULL) return -1;
    char *args[32], *copy = xstrdup(compare), *save = NULL, mbuf[LINE];
    int n = 0;
    args[n++] = (char *)"compare";
    for (char *t = strtok_r(copy, " \n", &save); t && n < 24; t = strtok_r(NULL, " \n", &save))
        args[n++] = t;
    snprintf(mbuf, sizeof mbuf, "%s", metrics);
    mbuf[strcspn(mbuf, "\n")] = '\0';
    args[n++] = (char *)"--metrics";
    args[n++] = mbuf;
    args[n++] = (char *)"--csv";
    args[n++] = (char *)"build/test_scenarios.csv";
    args[n++] = (char *)"--quiet";
    args[n] = NULL;
    int rc = run_compare(args, n);
    free(copy);
    if (rc != 0) return -1;
    s->n_rows = read_csv("build/test_scenarios.csv", s->rows, 64);
    return s->n_rows > 0 ? 0 : -1;
}

static void write_checks(struct scenario *s)
{
    FILE *f = fopen(s->path, "w");
    SIM_ENSURE(f != NULL);
    for (int i = 0; i < s->text.n; i++) {
        if (after(s->text.lines[i], "# check: ")) continue;
        fputs(s->text.lines[i], f);
        if (!after(s->text.lines[i], "# Answer")) continue;
        for (int k = 0; k < s->n_rows; k++) {
            const struct cmp_row *w = &s->rows[k];
            fprintf(f, "# check: %s | %s: %.6g ± %.6g -> %.6g ± %.6g, difference %+.6g ± %.6g\n",
                    w->variant, w->metric, w->base, w->base_h, w->value, w->value_h, w->diff,
                    w->diff_h);
        }
    }
    fclose(f);
}

/* One number against its documented value: within sqrt(2) times its half-width at the corrected
 * level, or the printed rounding. */
static int close_enough(double now, double doc, double h95, int n, double z)
{
    if (isnan(now) && isnan(doc)) return 1;
    double tol = sqrt(2.0) * h95 / gsl_cdf_tdist_Pinv(0.975, n > 1 ? n - 1 : 1) * z;
    return fabs(now - doc) <= fmax(tol, 5e-6 * fabs(doc) + 1e-300);
}

static int scenario_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_shipped(int update)
{
    DIR *dir = opendir("scenarios");
    if (!CHECK(dir != NULL, "scenarios/ exists")) return;
    char *names[64];
    int n = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL && n < 64;) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0) names[n++] = xstrdup(e->d_name);
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof *names, scenario_cmp);
    struct scenario *sc = xcalloc((size_t)n + 1, sizeof *sc);
    int total_checks = 0;
    for (int i = 0; i < n; i++) {
        snprintf(sc[i].path, sizeof sc[i].path, "scenarios/%s", names[i]);
        read_lines(sc[i].path, &sc[i].text);
        int question = 0, answer = 0;
        for (int k = 0; k < sc[i].text.n; k++) {
            question |= after(sc[i].text.lines[k], "# Question: ") != NULL;
            answer |= after(sc[i].text.lines[k], "# check: ") != NULL;
            total_checks += 3 * (after(sc[i].text.lines[k], "# check: ") != NULL);
        }
        char desc[600];
        snprintf(desc, sizeof desc, "%s opens with its question and closes with its answer", sc[i].path);
        CHECK(question && (answer || update), desc);
        struct file_text doc;
        char heading[300];
        snprintf(heading, sizeof heading, "### %s\n", names[i]);
        int listed = 0;
        if (read_lines("docs/scenarios.md", &doc) == 0) {
            for (int k = 0; k + 2 < doc.n; k++)
                listed |= strcmp(doc.lines[k], heading) == 0 &&
                          after(doc.lines[k + 2], "**Question.** ") != NULL &&
                          after(doc.lines[k + 4], "**Answer** ") != NULL;
            free_lines(&doc);
        }
        snprintf(desc, sizeof desc, "docs/scenarios.md lists %s with its question and answer", names[i]);
        CHECK(listed, desc);
        /* Its plot is committed under plots/ and shown in docs/scenarios.md. */
        char png[300], ref[400];
        snprintf(png, sizeof png, "plots/%.*s.png", (int)(strlen(names[i]) - 4), names[i]);
        snprintf(ref, sizeof ref, "(../%s)", png);
        unsigned char sig[8] = {0};
        FILE *pf = fopen(png, "rb");
        int is_png = pf != NULL && fread(sig, 1, 8, pf) == 8 && memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0;
        if (pf != NULL) fclose(pf);
        int shown = 0;
        if (read_lines("docs/scenarios.md", &doc) == 0) {
            for (int k = 0; k < doc.n; k++)
                shown |= strstr(doc.lines[k], ref) != NULL;
            free_lines(&doc);
        }
        snprintf(desc, sizeof desc, "%s is a PNG shown in docs/scenarios.md", png);
        CHECK(is_png && shown, desc);
    }
    double z = gsl_cdf_ugaussian_Qinv(0.05 / (2.0 * (total_checks > 0 ? total_checks : 1)));
    for (int i = 0; i < n; i++) {
        char desc[700];
        snprintf(desc, sizeof desc, "%s: its comparison runs", sc[i].path);
        if (!CHECK(run_scenario(&sc[i]) == 0, desc)) continue;
        if (update) {
            write_checks(&sc[i]);
            continue;
        }
        int checked = 0, drifted = 0;
        for (int k = 0; k < sc[i].text.n; k++) {
            const char *c = after(sc[i].text.lines[k], "# check: ");
            if (c == NULL) continue;
            char variant[128], metric[128];
            double b, bh, v, vh, d, dh;
            const char *bar = strstr(c, " | "), *colon = bar ? strstr(bar, ": ") : NULL;
            if (bar == NULL || colon == NULL ||
                sscanf(colon + 2, "%lf ± %lf -> %lf ± %lf, difference %lf ± %lf", &b, &bh, &v,
                       &vh, &d, &dh) != 6) {
                snprintf(desc, sizeof desc, "%s: unreadable check line: %s", sc[i].path, c);
                CHECK(0, desc);
                continue;
            }
            snprintf(variant, sizeof variant, "%.*s", (int)(bar - c), c);
            snprintf(metric, sizeof metric, "%.*s", (int)(colon - bar - 3), bar + 3);
            const struct cmp_row *w = NULL;
            for (int r = 0; r < sc[i].n_rows; r++)
                if (strcmp(sc[i].rows[r].metric, metric) == 0 &&
                    strcmp(sc[i].rows[r].variant, variant) == 0)
                    w = &sc[i].rows[r];
            checked++;
            if (w == NULL || !close_enough(w->base, b, bh, w->n, z) ||
                !close_enough(w->value, v, vh, w->n, z) || !close_enough(w->diff, d, dh, w->n, z)) {
                drifted++;
                printf("    %s %s: documented %g -> %g (%+g), now %g -> %g (%+g)\n", variant,
                       metric, b, v, d, w ? w->base : (double)NAN, w ? w->value : (double)NAN,
                       w ? w->diff : (double)NAN);
            }
        }
        snprintf(desc, sizeof desc, "%s: %d documented numbers, %d drifted", sc[i].path,
                 3 * checked, 3 * drifted);
        CHECK(checked > 0 && drifted == 0, desc);
    }
    for (int i = 0; i < n; i++) {
        free_lines(&sc[i].text);
        free(names[i]);
    }
    free(sc);
}

/* ==== Common random numbers, and a config against itself ==== */

static double paired_variance(const struct results *a, const struct results *b, int metric)
{
    double sum = 0, sum2 = 0;
    int n = a->replications;
    for (int r = 0; r < n; r++) {
        double d = *results_value(b, r, 0, metric) - *results_value(a, r, 0, metric);
        sum += d;
        sum2 += d * d;
    }
    return (sum2 - sum * sum / n) / (n - 1);
}

static void test_crn(void)
{
    struct model_spec base, more, other;
    struct diag d;
    diag_init(&d);
    const struct conf_override one[] = {{.path = "replications", .value = "40"}};
    const struct conf_override add[] = {{.path = "replications", .value = "40"},
                                        {.path = "groups.[0].agents.[2]", .value = "19"},
                                        {.path = "groups.[0].agents.[3]", .value = "18"}};
    const struct conf_override seed[] = {{.path = "replications", .value = "40"},
                                         {.path = "groups.[0].agents.[2]", .value = "19"},
                                         {.path = "groups.[0].agents.[3]", .value = "18"},
                                         {.path = "seed", .value = "999"}};
    int ok = conf_load("configs/omnichannel.cfg", one, 1, &base, &d) == 0 &&
             conf_load("configs/omnichannel.cfg", add, 3, &more, &d) == 0 &&
             conf_load("configs/omnichannel.cfg", seed, 4, &other, &d) == 0;
    diag_print(&d, stdout);
    diag_fini(&d);
    if (!CHECK(ok, "the CRN case loads")) return;
    struct results *ra = sim_run(&base, NULL), *rb = sim_run(&more, NULL), *rc = sim_run(&other, NULL);
    const int metrics[] = {MET_ASA, MET_ABANDON_RATE, MET_SL};
    for (int k = 0; k < 3; k++) {
        double crn = paired_variance(ra, rb, metrics[k]), indep = paired_variance(ra, rc, metrics[k]);
        char desc[200];
        snprintf(desc, sizeof desc,
                 "+1 agent at 09:00 and 10:00, %s: variance of the difference %.3g with common "
                 "random numbers, %.3g with independent seeds (%.1f times smaller)",
                 metric_names[metrics[k]], crn, indep, indep / crn);
        CHECK(indep >= 3 * crn, desc);
    }
    results_free(ra);
    results_free(rb);
    results_free(rc);
    model_spec_free(&base);
    model_spec_free(&more);
    model_spec_free(&other);
    /* A config against itself: every difference exactly 0, none significant. */
    char *args[] = {(char *)"compare", (char *)"configs/omnichannel.cfg",
                    (char *)"configs/omnichannel.cfg", (char *)"--reps", (char *)"5",
                    (char *)"--csv", (char *)"build/test_scenarios_self.csv", (char *)"--quiet", NULL};
    CHECK(run_compare(args, 8) == 0, "compare of a config with itself runs");
    struct cmp_row rows[64];
    int n = read_csv("build/test_scenarios_self.csv", rows, 64), nonzero = 0;
    for (int i = 0; i < n; i++)
        nonzero += !(rows[i].diff == 0 && rows[i].diff_h == 0) && !isnan(rows[i].base);
    char desc[200];
    snprintf(desc, sizeof desc, "compare of a config with itself: %d metrics, %d differences not "
                                "exactly 0 ± 0", n, nonzero);
    CHECK(n > 10 && nonzero == 0, desc);
}

int main(void)
{
    const char *u = getenv("UPDATE");
    int update = u != NULL && u[0] == '1';
    test_shipped(update);
    if (!update) test_crn();
    return check_summary();
}
