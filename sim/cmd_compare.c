/* cmd_compare: `ccsim compare BASE VARIANT...`: every config or scenario run on the same
 * replications with the same seed (common random numbers), and each metric's paired difference
 * from the base with its 95 % interval and a Holm-corrected significance mark. */
#include "cli.h"
#include "compare.h"
#include "conf.h"
#include "json.h"
#include "plot.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim compare BASE VARIANT... [options]\n\n"
            "Runs BASE and every VARIANT (configs or scenarios, docs/scenarios.md) on the same\n"
            "replications with the same seed (common random numbers) and prints, per metric,\n"
            "each variant's value and its difference from BASE with the 95 %% confidence\n"
            "interval of the paired difference; '*' marks a difference significant at 5 %%\n"
            "after a Holm correction over the metrics and variants shown.\n\n"
            "Options:\n"
            "  --reps N          replications for every run (default: BASE's)\n"
            "  --seed S          master seed for every run (default: BASE's)\n"
            "  --set KEY=VALUE   an override applied to every run; repeatable\n"
            "  --metrics LIST    comma-separated metrics, e.g. total.asa_s,cost.total,\n"
            "                    channels.voice.service_level, journeys.churn_rate\n"
            "  --rank METRIC     order the variants by METRIC, lowest first (METRIC:desc for\n"
            "                    highest first)\n"
            "  --json FILE       also write the comparison as JSON ('-': stdout, no table)\n"
            "  --csv FILE        also write it as CSV, one row per metric and variant\n"
            "  --plots DIR       one bar chart per metric (base and variants, 95 %% error\n"
            "                    bars) into DIR, drawn by gnuplot\n"
            "  -j, --jobs N      threads running replications (default: all cores); the\n"
            "                    results are the same for every N\n"
            "  --precision REL   replications until every headline metric's 95 %% half-width\n"
            "                    is at most REL of its mean (docs/batch.md)\n"
            "  --precision-abs A ... or at most A, for means near 0 (default 0)\n"
            "  --min-reps N, --max-reps N\n"
            "                    bounds of --precision (default 10 and 10000)\n"
            "  --quiet           no progress messages\n"
            "  -h, --help        this help\n\n"
            "Examples:\n"
            "  ccsim compare configs/outage-day.cfg scenarios/04-outage-notice.cfg\n"
            "  ccsim compare configs/default.cfg configs/default.cfg --reps 5\n");
}

struct run {
    const char *path;
    char *name;
    struct model_spec m;
    struct results *r;
    struct metric_ref *refs;
};

static int load_run(struct run *run, const struct conf_override *sets, int n_sets)
{
    struct diag d;
    diag_init(&d);
    int rc = conf_load_scenarios(run->path, NULL, 0, sets, n_sets, &run->m, &d);
    if (rc != 0) diag_print(&d, stderr);
    diag_fini(&d);
    run->name = conf_display_name(run->path);
    return rc;
}

/* Variants in the order of the ranking metric (NaN last), or as given. */
static int *variant_order(struct run *runs, int n, int rank, int desc)
{
    int *order = xcalloc((size_t)n + 1, sizeof *order);
    for (int i = 0; i < n; i++)
        order[i] = i + 1;
    if (rank < 0) return order;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            const struct run *a = &runs[order[j - 1]], *b = &runs[order[j]];
            double x = a->refs[rank].scope >= 0
                           ? a->r->summary[a->refs[rank].scope * MET_N + a->refs[rank].metric].mean
                           : (double)NAN;
            double y = b->refs[rank].scope >= 0
                           ? b->r->summary[b->refs[rank].scope * MET_N + b->refs[rank].metric].mean
                           : (double)NAN;
            int swap = isnan(x) ? !isnan(y) : !isnan(y) && (desc ? y > x : y < x);
            if (!swap) break;
            int t = order[j - 1];
            order[j - 1] = order[j];
            order[j] = t;
        }
    return order;
}

static const struct stat_summary *summary_of(const struct run *run, int k)
{
    static const struct stat_summary none = {(double)NAN, (double)NAN, 0};
    if (run->refs[k].scope < 0) return &none;
    return &run->r->summary[run->refs[k].scope * MET_N + run->refs[k].metric];
}

/* A number in a table cell: 4 significant digits, fixed notation where it fits. */
static void fmt(char *buf, size_t cap, double v)
{
    if (!isfinite(v))
        snprintf(buf, cap, "-");
    else if (v != 0 && (fabs(v) >= 1e6 || fabs(v) < 1e-3))
        snprintf(buf, cap, "%.3e", v);
    else
        snprintf(buf, cap, "%.4g", v);
}

static void print_table(FILE *out, struct run *runs, int n_runs, char **metrics, int n_metrics,
                        const struct paired *diff, const int *order)
{
    fprintf(out, "ccsim compare: base %s and %d variant%s, %d replications each, seed %llu "
                 "(common random numbers)\n",
            runs[0].name, n_runs - 1, n_runs == 2 ? "" : "s", runs[0].m.replications,
            (unsigned long long)runs[0].m.seed);
    fprintf(out, "each cell: mean, and for a variant its difference from the base ± 95 %% CI of "
                 "the paired difference; * significant (Holm, 5 %%)\n\n");
    fprintf(out, "%-40s %12s", "metric", runs[0].name);
    for (int v = 1; v < n_runs; v++)
        fprintf(out, " %12.12s %-26s", runs[order[v - 1]].name, "difference");
    fputc('\n', out);
    for (int k = 0; k < n_metrics; k++) {
        char a[64], b[64], c[64];
        fmt(a, sizeof a, summary_of(&runs[0], k)->mean);
        fprintf(out, "%-40s %12s", metrics[k], a);
        for (int i = 0; i < n_runs - 1; i++) {
            int v = order[i];
            const struct paired *p = &diff[k * (n_runs - 1) + (v - 1)];
            fmt(a, sizeof a, summary_of(&runs[v], k)->mean);
            fmt(b, sizeof b, p->mean);
            fmt(c, sizeof c, p->ci95);
            char cell[256];
            if (isfinite(p->mean))
                snprintf(cell, sizeof cell, "%s%s ± %s%s", p->mean > 0 ? "+" : "", b, c,
                         p->significant ? " *" : "");
            else
                snprintf(cell, sizeof cell, "-");
            fprintf(out, " %12s %-27s", a, cell);
        }
        fputc('\n', out);
    }
}

static void json_stat(struct json *j, const char *key, const struct stat_summary *s)
{
    json_begin_object(j, key);
    json_number(j, "mean", s->mean);
    json_number(j, "ci95", s->ci95);
    json_int(j, "n", s->n);
    json_end_object(j);
}

static void write_json(FILE *f, struct run *runs, int n_runs, char **metrics, int n_metrics,
                       const struct paired *diff, const int *order)
{
    struct json j;
    json_init(&j, f, 1);
    json_begin_object(&j, NULL);
    json_string(&j, "ccsim", CCSIM_VERSION);
    json_int(&j, "replications", runs[0].m.replications);
    json_int(&j, "seed", (long long)runs[0].m.seed);
    json_begin_object(&j, "base");
    json_string(&j, "name", runs[0].name);
    json_string(&j, "config", runs[0].path);
    json_end_object(&j);
    json_begin_array(&j, "variants");
    for (int i = 0; i < n_runs - 1; i++) {
        json_begin_object(&j, NULL);
        json_string(&j, "name", runs[order[i]].name);
        json_string(&j, "config", runs[order[i]].path);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_begin_array(&j, "metrics");
    for (int k = 0; k < n_metrics; k++) {
        json_begin_object(&j, NULL);
        json_string(&j, "metric", metrics[k]);
        json_stat(&j, "base", summary_of(&runs[0], k));
        json_begin_array(&j, "variants");
        for (int i = 0; i < n_runs - 1; i++) {
            int v = order[i];
            const struct paired *p = &diff[k * (n_runs - 1) + (v - 1)];
            json_begin_object(&j, NULL);
            json_string(&j, "name", runs[v].name);
            json_stat(&j, "value", summary_of(&runs[v], k));
            json_begin_object(&j, "difference");
            json_number(&j, "mean", p->mean);
            json_number(&j, "ci95", p->ci95);
            json_int(&j, "n", p->n);
            json_number(&j, "p", p->p);
            json_bool(&j, "significant", p->significant);
            json_end_object(&j);
            json_end_object(&j);
        }
        json_end_array(&j);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    json_finish(&j);
}

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, ",%.17g", v);
    else fputc(',', f);
}

static void write_csv(FILE *f, struct run *runs, int n_runs, char **metrics, int n_metrics,
                      const struct paired *diff, const int *order)
{
    fputs("metric,variant,base_mean,base_ci95,mean,ci95,difference,difference_ci95,n,p,"
          "significant\n",
          f);
    for (int k = 0; k < n_metrics; k++)
        for (int i = 0; i < n_runs - 1; i++) {
            int v = order[i];
            const struct paired *p = &diff[k * (n_runs - 1) + (v - 1)];
            csv_field(f, metrics[k]);
            fputc(',', f);
            csv_field(f, runs[v].name);
            csv_num(f, summary_of(&runs[0], k)->mean);
            csv_num(f, summary_of(&runs[0], k)->ci95);
            csv_num(f, summary_of(&runs[v], k)->mean);
            csv_num(f, summary_of(&runs[v], k)->ci95);
            csv_num(f, p->mean);
            csv_num(f, p->ci95);
            fprintf(f, ",%d", p->n);
            csv_num(f, p->p);
            fprintf(f, ",%d\n", p->significant);
        }
}

/* One bar chart per metric: the base, then the variants in table order. */
static int draw_plots(const char *dir, struct run *runs, int n_runs, char **metrics, int n_metrics,
                      const int *order)
{
    struct plotter p;
    if (plot_begin(&p, dir) != 0) return -1;
    char **labels = xcalloc((size_t)n_runs, sizeof *labels);
    double *mean = xcalloc((size_t)n_runs, sizeof *mean), *ci = xcalloc((size_t)n_runs, sizeof *ci);
    for (int k = 0; k < n_metrics; k++) {
        for (int i = 0; i < n_runs; i++) {
            const struct run *run = &runs[i == 0 ? 0 : order[i - 1]];
            labels[i] = run->name;
            mean[i] = summary_of(run, k)->mean;
            ci[i] = summary_of(run, k)->ci95;
        }
        char name[160], title[300];
        snprintf(name, sizeof name, "compare_%s", metrics[k]);
        for (char *q = name; *q; q++)
            if (!(*q == '_' || *q == '-' || (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') ||
                  (*q >= 'A' && *q <= 'Z')))
                *q = '_';
        snprintf(title, sizeof title, "%s: base and variants (95 %% confidence intervals)", metrics[k]);
        plot_bars(&p, name, title, metrics[k], n_runs, labels, mean, ci);
    }
    free(labels);
    free(mean);
    free(ci);
    plot_finish(&p);
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    const char *json_path = NULL, *csv_path = NULL, *metric_list = NULL, *rank = NULL;
    const char *plots_dir = NULL;
    long reps = -1, seed = -1;
    int quiet = 0, status = EXIT_OK, n_runs = 0, n_sets = 0, n_metrics = 0;
    struct run *runs = xcalloc((size_t)argc + 1, sizeof *runs);
    struct conf_override *sets = xcalloc((size_t)argc + 3, sizeof *sets);
    char **metrics = NULL;
    struct paired *diff = NULL;
    int *order = NULL;
    struct batch_opts batch = CLI_BATCH_INIT;
    batch.sets = sets;
    batch.reps_floor = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if ((bad = cli_batch_flag(argc, argv, &i, &batch, "compare")) != 0) {
            if (bad < 0) {
                status = EXIT_USAGE;
                goto done;
            }
            bad = 0;
        } else if ((v = cli_flag_value(argc, argv, &i, "--metrics", &bad)) != NULL) {
            metric_list = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--rank", &bad)) != NULL) {
            rank = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--json", &bad)) != NULL) {
            json_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--csv", &bad)) != NULL) {
            csv_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--plots", &bad)) != NULL) {
            plots_dir = v;
        } else if (bad) {
            status = cli_usage_error("compare", "%s needs a value", a);
            goto done;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = cli_usage_error("compare", "unknown option '%s'", a);
            goto done;
        } else {
            runs[n_runs++].path = a;
        }
    }
    reps = batch.reps;
    seed = batch.seed;
    n_sets = batch.n_sets;
    if (n_runs < 2) {
        status = cli_usage_error("compare", "BASE and at least one VARIANT expected");
        goto done;
    }
    /* The base decides the seed and replications of every run, unless the flags do. */
    char reps_text[32], seed_text[32];
    if (load_run(&runs[0], sets, n_sets) != 0) {
        status = EXIT_USAGE;
        goto done;
    }
    snprintf(reps_text, sizeof reps_text, "%ld", reps > 0 ? reps : (long)runs[0].m.replications);
    snprintf(seed_text, sizeof seed_text, "%llu",
             seed >= 0 ? (unsigned long long)seed : (unsigned long long)runs[0].m.seed);
    sets[n_sets] = (struct conf_override){xstrdup("replications"), reps_text, NULL, 0};
    sets[n_sets + 1] = (struct conf_override){xstrdup("seed"), seed_text, NULL, 0};
    n_sets += 2;
    model_spec_free(&runs[0].m);
    free(runs[0].name);
    for (int i = 0; i < n_runs; i++)
        if (load_run(&runs[i], sets, n_sets) != 0) status = EXIT_USAGE;
    if (status != EXIT_OK) goto done;
    if (runs[0].m.replications < 2) {
        status = cli_usage_error("compare", "at least 2 replications are needed for intervals");
        goto done;
    }
    /* Metrics: given, or the base's defaults. */
    if (metric_list != NULL) {
        metrics = xcalloc(strlen(metric_list) + 2, sizeof *metrics);
        char *copy = xstrdup(metric_list), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
            metrics[n_metrics++] = xstrdup(t);
        free(copy);
    } else {
        metrics = compare_default_metrics(&runs[0].m);
        while (metrics[n_metrics] != NULL)
            n_metrics++;
    }
    int rank_k = -1, desc = 0;
    char *rank_name = NULL;
    if (rank != NULL) {
        rank_name = xstrdup(rank);
        char *colon = strrchr(rank_name, ':');
        if (colon && strcmp(colon, ":desc") == 0) {
            desc = 1;
            *colon = '\0';
        }
        for (int k = 0; k < n_metrics; k++)
            if (strcmp(metrics[k], rank_name) == 0) rank_k = k;
        if (rank_k < 0) {
            metrics = xrealloc(metrics, ((size_t)n_metrics + 2) * sizeof *metrics);
            metrics[n_metrics] = xstrdup(rank_name);
            rank_k = n_metrics++;
        }
        free(rank_name);
    }
    for (int i = 0; i < n_runs; i++) {
        runs[i].refs = xcalloc((size_t)n_metrics, sizeof *runs[i].refs);
        for (int k = 0; k < n_metrics; k++) {
            const char *why = NULL;
            int rc = compare_resolve(metrics[k], &runs[i].m, &runs[i].refs[k], &why);
            /* A name no run knows is a typo; one that only some variants lack shows as '-'. */
            if (rc == -1 || (rc == -2 && i == 0 && n_runs == 1)) {
                status = cli_usage_error("compare", "--metrics: '%s': %s", metrics[k], why);
                goto done;
            }
        }
    }
    for (int k = 0; k < n_metrics; k++) {
        int known = 0;
        for (int i = 0; i < n_runs; i++)
            known |= runs[i].refs[k].scope >= 0;
        const char *why = NULL;
        struct metric_ref ignore;
        if (!known && compare_resolve(metrics[k], &runs[0].m, &ignore, &why) == -2) {
            status = cli_usage_error("compare", "--metrics: '%s': %s in any run", metrics[k], why);
            goto done;
        }
    }
    /* Outputs open before the runs, so a bad path fails at once. */
    struct outfile jf = {NULL, NULL, NULL}, cf = {NULL, NULL, NULL};
    if (outfile_open_pair(&jf, json_path, &cf, csv_path) != 0) {
        status = EXIT_RUNTIME;
        goto done;
    }
    /* With --precision the base decides the replications, and every variant runs as many. */
    for (int i = 0; i < n_runs; i++) {
        if (!quiet) fprintf(stderr, "running %s (%d/%d)\n", runs[i].path, i + 1, n_runs);
        struct sim_hooks hooks = {0};
        cli_batch_hooks(&batch, &hooks);
        if (i > 0) {
            hooks.precision_rel = 0;
            runs[i].m.replications = runs[0].r->replications;
        }
        runs[i].r = sim_run(&runs[i].m, &hooks);
        if (i == 0) {
            runs[0].m.replications = runs[0].r->replications;
            if (hooks.precision_rel > 0 && !runs[0].r->precision_met)
                fprintf(stderr, "ccsim compare: the precision asked was not reached within "
                                "--max-reps %d replications of the base\n",
                        hooks.max_reps);
        }
    }
    diff = xcalloc((size_t)n_metrics * (n_runs - 1) + 1, sizeof *diff);
    for (int k = 0; k < n_metrics; k++)
        for (int v = 1; v < n_runs; v++)
            diff[k * (n_runs - 1) + v - 1] =
                compare_paired(runs[0].r, runs[0].refs[k], runs[v].r, runs[v].refs[k]);
    compare_holm(diff, n_metrics * (n_runs - 1), 0.05);
    order = variant_order(runs, n_runs - 1, rank_k, desc);
    if (json_path != NULL) {
        write_json(jf.f, runs, n_runs, metrics, n_metrics, diff, order);
        if (outfile_commit(&jf) != 0) {
            warn("cannot write '%s':", json_path);
            status = EXIT_RUNTIME;
        }
    }
    if (csv_path != NULL) {
        write_csv(cf.f, runs, n_runs, metrics, n_metrics, diff, order);
        if (outfile_commit(&cf) != 0) {
            warn("cannot write '%s':", csv_path);
            status = EXIT_RUNTIME;
        }
    }
    if (plots_dir != NULL && draw_plots(plots_dir, runs, n_runs, metrics, n_metrics, order) != 0)
        status = EXIT_RUNTIME;
    if (json_path == NULL || strcmp(json_path, "-") != 0) {
        print_table(stdout, runs, n_runs, metrics, n_metrics, diff, order);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            warn("cannot write the table:");
            status = EXIT_RUNTIME;
        }
    }
done:
    for (int i = 0; i < n_runs; i++) {
        if (runs[i].name) model_spec_free(&runs[i].m);
        results_free(runs[i].r);
        free(runs[i].name);
        free(runs[i].refs);
    }
    free(runs);
    for (int k = 0; k < n_sets || k < batch.n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    for (int k = 0; k < n_metrics; k++)
        free(metrics[k]);
    free(metrics);
    free(diff);
    free(order);
    return status;
}
