/* cmd_sweep: `ccsim sweep CONFIG --grid KEY=SPEC...`: the cartesian product of the grid's
 * values, each point a run of CONFIG with those --set overrides (same seed: the points meet the
 * same customers), written as a tidy CSV, JSON lines and the staffing curve.  Points run one
 * after the other, each on all the threads; the output does not depend on -j. */
#include "cli.h"
#include "conf.h"
#include "plot.h"
#include "report.h"
#include "util.h"

#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim sweep CONFIG (--grid KEY=SPEC... | --sweep FILE) [options]\n\n"
            "Runs CONFIG at every point of a grid: the cartesian product of each KEY's values,\n"
            "the first KEY varying slowest.  SPEC is FROM:TO:STEP (numbers, TO included) or\n"
            "V1,V2,... ; KEY is a --set path (docs/batch.md).\n\n"
            "Options:\n"
            "  --grid KEY=SPEC   a swept key; repeatable\n"
            "  --sweep FILE      the grid from a sweep file (grid = ( { key = ...; values =\n"
            "                    [ ... ]; } or { key = ...; from = ...; to = ...; step = ...; } ))\n"
            "  -s, --scenario S  apply a scenario's edits to CONFIG first; repeatable\n"
            "  --set KEY=VALUE   an override for every point; repeatable\n"
            "  --reps N, --seed S  replications and seed of every point\n"
            "  -j, --jobs N, --precision REL, --precision-abs A, --min-reps N, --max-reps N\n"
            "                    as for ccsim run\n"
            "  --csv FILE        tidy CSV: a row per point and channel ('-': stdout)\n"
            "  --jsonl FILE      a line per point: the JSON document of ccsim run ('-': stdout)\n"
            "  --plots DIR       the staffing curve: the first KEY against service level,\n"
            "                    abandonment and occupancy, one line per value of the others\n"
            "  --quiet           no progress bar\n"
            "  -h, --help        this help\n\n"
            "Examples:\n"
            "  ccsim sweep configs/erlang.cfg --grid agents=95:110:5 --csv -\n"
            "  ccsim sweep configs/omnichannel.cfg --grid groups.[0].agents=12:20:2 \\\n"
            "      --grid channels.[1].self_service.success=0.1,0.3 --csv sweep.csv --plots plots\n");
}

struct axis {
    char *key;
    int n;
    char **values; /* as the --set text */
};

static void axis_free(struct axis *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->values[i]);
    free(a->values);
    free(a->key);
}

static void axis_add(struct axis *a, const char *v)
{
    a->values = xrealloc(a->values, ((size_t)a->n + 1) * sizeof *a->values);
    a->values[a->n++] = xstrdup(v);
}

/* FROM:TO:STEP, TO included (to rounding): the values, written back as %.10g. */
static int axis_range(struct axis *a, double from, double to, double step)
{
    if (!(step > 0) || !(to >= from) || (to - from) / step > 1e6) return -1;
    long n = (long)floor((to - from) / step + 1e-9) + 1;
    for (long i = 0; i < n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.10g", from + (double)i * step);
        axis_add(a, buf);
    }
    return 0;
}

static int parse_grid(const char *arg, struct axis *a)
{
    const char *eq = strchr(arg, '=');
    memset(a, 0, sizeof *a);
    if (eq == NULL || eq == arg || eq[1] == '\0') return -1;
    a->key = xmalloc((size_t)(eq - arg) + 1);
    memcpy(a->key, arg, (size_t)(eq - arg));
    a->key[eq - arg] = '\0';
    const char *spec = eq + 1;
    double from, to, step;
    char extra;
    if (strchr(spec, ':') != NULL) {
        if (sscanf(spec, "%lf:%lf:%lf%c", &from, &to, &step, &extra) != 3) return -1;
        return axis_range(a, from, to, step);
    }
    char *copy = xstrdup(spec), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        axis_add(a, t);
    free(copy);
    return a->n > 0 ? 0 : -1;
}

/* The grid of a sweep file; problems go to stderr with the file's line. */
static int load_sweep_file(const char *path, struct axis **axes, int *n_axes)
{
    config_t c;
    config_init(&c);
    if (!config_read_file(&c, path)) {
        fprintf(stderr, "%s:%d: %s\n", config_error_file(&c) ? config_error_file(&c) : path,
                config_error_line(&c), config_error_type(&c) == CONFIG_ERR_FILE_IO
                                           ? "cannot read the sweep file"
                                           : config_error_text(&c));
        config_destroy(&c);
        return -1;
    }
    const config_setting_t *grid = config_lookup(&c, "grid");
    int rc = 0;
    if (grid == NULL || !config_setting_is_list(grid) || config_setting_length(grid) == 0) {
        fprintf(stderr, "%s:%d: grid: a list ( { key = \"...\"; values = [ ... ]; }, ... ) expected\n",
                path, grid ? (int)config_setting_source_line(grid) : 0);
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < config_setting_length(grid); i++) {
        const config_setting_t *e = config_setting_get_elem(grid, (unsigned)i);
        const char *key = NULL;
        int line = (int)config_setting_source_line(e);
        if (!config_setting_is_group(e) || !config_setting_lookup_string(e, "key", &key)) {
            fprintf(stderr, "%s:%d: grid.[%d]: a group with key = \"...\" expected\n", path, line, i);
            rc = -1;
            break;
        }
        *axes = xrealloc(*axes, ((size_t)*n_axes + 1) * sizeof **axes);
        struct axis *a = &(*axes)[(*n_axes)++];
        memset(a, 0, sizeof *a);
        a->key = xstrdup(key);
        const config_setting_t *values = config_setting_get_member(e, "values");
        double from, to, step;
        if (values != NULL && config_setting_is_aggregate(values)) {
            for (int k = 0; k < config_setting_length(values); k++) {
                const config_setting_t *v = config_setting_get_elem(values, (unsigned)k);
                char buf[256];
                if (config_setting_type(v) == CONFIG_TYPE_STRING)
                    snprintf(buf, sizeof buf, "%s", config_setting_get_string(v));
                else if (config_setting_type(v) == CONFIG_TYPE_FLOAT)
                    snprintf(buf, sizeof buf, "%.10g", config_setting_get_float(v));
                else
                    snprintf(buf, sizeof buf, "%lld", config_setting_get_int64(v));
                axis_add(a, buf);
            }
        } else if (config_setting_lookup_float(e, "from", &from) + 0 >= 0 &&
                   config_setting_get_member(e, "from") != NULL) {
            const config_setting_t *f = config_setting_get_member(e, "from"),
                                   *t = config_setting_get_member(e, "to"),
                                   *s = config_setting_get_member(e, "step");
            if (t == NULL || s == NULL) {
                fprintf(stderr, "%s:%d: grid.[%d]: from needs to and step\n", path, line, i);
                rc = -1;
                break;
            }
            from = config_setting_type(f) == CONFIG_TYPE_FLOAT ? config_setting_get_float(f)
                                                               : (double)config_setting_get_int64(f);
            to = config_setting_type(t) == CONFIG_TYPE_FLOAT ? config_setting_get_float(t)
                                                             : (double)config_setting_get_int64(t);
            step = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                               : (double)config_setting_get_int64(s);
            if (axis_range(a, from, to, step) != 0) {
                fprintf(stderr, "%s:%d: grid.[%d]: from <= to and step > 0 expected\n", path, line, i);
                rc = -1;
            }
        } else {
            fprintf(stderr, "%s:%d: grid.[%d]: values = [ ... ], or from, to and step, expected\n",
                    path, line, i);
            rc = -1;
        }
        if (rc == 0 && a->n == 0) {
            fprintf(stderr, "%s:%d: grid.[%d]: no values\n", path, line, i);
            rc = -1;
        }
    }
    config_destroy(&c);
    return rc;
}

/* CSV fields: the text quoted when it needs to be (RFC 4180). */
static void csv_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_header(FILE *f, const struct axis *axes, int n_axes)
{
    for (int a = 0; a < n_axes; a++) {
        csv_text(f, axes[a].key);
        fputc(',', f);
    }
    fputs("channel,replications", f);
    for (int k = 0; k < MET_N; k++)
        fprintf(f, ",%s_mean,%s_ci95", metric_names[k], metric_names[k]);
    fputc('\n', f);
}

static void csv_point(FILE *f, const struct axis *axes, int n_axes, const int *idx,
                      const struct model_spec *m, const struct results *r)
{
    for (int c = 0; c <= m->n_channels; c++) {
        for (int a = 0; a < n_axes; a++) {
            csv_text(f, axes[a].values[idx[a]]);
            fputc(',', f);
        }
        csv_text(f, c < m->n_channels ? m->channels[c].name : "total");
        fprintf(f, ",%d", r->replications);
        int scope = c < m->n_channels ? 1 + c : 0;
        for (int k = 0; k < MET_N; k++)
            for (int part = 0; part < 2; part++) {
                const struct stat_summary *s = &r->summary[scope * MET_N + k];
                double v = part == 0 ? s->mean : s->ci95;
                if (isfinite(v))
                    fprintf(f, ",%.17g", v);
                else
                    fputc(',', f);
            }
        fputc('\n', f);
    }
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The staffing curve: the first key (numbers) against the total's service level, abandonment
 * and occupancy, one series per combination of the other keys' values. */
static void draw_curves(const char *dir, const struct axis *axes, int n_axes, int n_points,
                        const double *sl, const double *sl_h, const double *ab, const double *ab_h,
                        const double *oc, const double *oc_h)
{
    struct plotter p;
    if (plot_begin(&p, dir) != 0) return;
    int per = axes[0].n, n_series = n_points / per;
    char **series = xcalloc((size_t)n_series, sizeof *series);
    int *counts = xcalloc((size_t)n_series, sizeof *counts);
    double *x = xcalloc((size_t)n_points, sizeof *x);
    double *ys[3][2] = {{xcalloc((size_t)n_points, sizeof(double)), xcalloc((size_t)n_points, sizeof(double))},
                        {xcalloc((size_t)n_points, sizeof(double)), xcalloc((size_t)n_points, sizeof(double))},
                        {xcalloc((size_t)n_points, sizeof(double)), xcalloc((size_t)n_points, sizeof(double))}};
    const double *src[3][2] = {{sl, sl_h}, {ab, ab_h}, {oc, oc_h}};
    /* Points are in grid order, the first key slowest: series s is every point whose other keys
     * take combination s. */
    for (int s = 0; s < n_series; s++) {
        char label[512] = "";
        int rest = s;
        for (int a = n_axes - 1; a >= 1; a--) {
            char part[300];
            /* The key's last component names it well enough in a legend. */
            const char *dot = strrchr(axes[a].key, '.');
            snprintf(part, sizeof part, "%s%s=%s", label[0] ? ", " : "", dot ? dot + 1 : axes[a].key,
                     axes[a].values[rest % axes[a].n]);
            char tmp[512];
            snprintf(tmp, sizeof tmp, "%s%s", part, label);
            snprintf(label, sizeof label, "%s", tmp);
            rest /= axes[a].n;
        }
        series[s] = xstrdup(n_axes > 1 ? label : "all points");
        counts[s] = per;
        for (int i = 0; i < per; i++) {
            int point = i * n_series + s, at = s * per + i;
            char *end;
            double v = strtod(axes[0].values[i], &end);
            x[at] = *end == '\0' ? v : i;
            for (int k = 0; k < 3; k++) {
                ys[k][0][at] = 100 * src[k][0][point];
                ys[k][1][at] = 100 * src[k][1][point];
            }
        }
    }
    static const char *const names[] = {"sweep_service_level", "sweep_abandonment", "sweep_occupancy"};
    static const char *const what[] = {"service level (%)", "abandoned (% of offered)", "occupancy (%)"};
    for (int k = 0; k < 3; k++) {
        char title[400];
        snprintf(title, sizeof title, "%s against %s (all channels, 95 %% intervals)", what[k],
                 axes[0].key);
        plot_curves(&p, names[k], title, axes[0].key, what[k], n_series, series, counts, x,
                    ys[k][0], ys[k][1]);
    }
    for (int s = 0; s < n_series; s++)
        free(series[s]);
    free(series);
    free(counts);
    free(x);
    for (int k = 0; k < 3; k++) {
        free(ys[k][0]);
        free(ys[k][1]);
    }
    plot_finish(&p);
}

int cmd_sweep(int argc, char **argv)
{
    const char *config = NULL, *csv_path = NULL, *jsonl_path = NULL, *plots_dir = NULL,
               *sweep_file = NULL;
    long reps = -1, seed = -1;
    int quiet = 0, status = EXIT_OK, n_axes = 0, n_sets = 0, n_scenarios = 0;
    struct axis *axes = NULL;
    struct conf_override *sets = xcalloc((size_t)argc + 8, sizeof *sets);
    const char **scenarios = xcalloc((size_t)argc + 1, sizeof *scenarios);
    struct batch_opts batch = {0, 0, 0, 0, 0};
    double *curves = NULL;
    struct outfile csv = {NULL, NULL, NULL}, jsonl = {NULL, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if ((bad = cli_batch_flag(argc, argv, &i, &batch, "sweep")) != 0) {
            if (bad < 0) {
                status = EXIT_USAGE;
                goto done;
            }
            bad = 0;
        } else if ((v = cli_flag_value(argc, argv, &i, "--grid", &bad)) != NULL) {
            axes = xrealloc(axes, ((size_t)n_axes + 1) * sizeof *axes);
            if (parse_grid(v, &axes[n_axes++]) != 0) {
                status = cli_usage_error("sweep", "--grid: KEY=FROM:TO:STEP or KEY=V1,V2,... "
                                                  "expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--sweep", &bad)) != NULL) {
            sweep_file = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--scenario", &bad)) != NULL ||
                   (!bad && (v = cli_flag_value(argc, argv, &i, "-s", &bad)) != NULL)) {
            scenarios[n_scenarios++] = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--set", &bad)) != NULL) {
            if (cli_split_override(v, &sets[n_sets]) != 0) {
                status = cli_usage_error("sweep", "--set: KEY=VALUE expected, got '%s'", v);
                goto done;
            }
            n_sets++;
        } else if ((v = cli_flag_value(argc, argv, &i, "--reps", &bad)) != NULL) {
            if (cli_parse_long(v, &reps) || reps < 1 || reps > 10000000) {
                status = cli_usage_error("sweep", "--reps: integer from 1 to 10000000 expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--seed", &bad)) != NULL) {
            if (cli_parse_long(v, &seed) || seed < 0) {
                status = cli_usage_error("sweep", "--seed: integer >= 0 expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--csv", &bad)) != NULL) {
            csv_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--jsonl", &bad)) != NULL) {
            jsonl_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--plots", &bad)) != NULL) {
            plots_dir = v;
        } else if (bad) {
            status = cli_usage_error("sweep", "%s needs a value", a);
            goto done;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = cli_usage_error("sweep", "unknown option '%s'", a);
            goto done;
        } else if (config == NULL) {
            config = a;
        } else {
            status = cli_usage_error("sweep", "unexpected argument '%s' (one CONFIG only)", a);
            goto done;
        }
    }
    if (config == NULL) {
        status = cli_usage_error("sweep", "missing CONFIG");
        goto done;
    }
    if (sweep_file != NULL && load_sweep_file(sweep_file, &axes, &n_axes) != 0) {
        status = EXIT_USAGE;
        goto done;
    }
    if (n_axes == 0) {
        status = cli_usage_error("sweep", "no grid: give --grid KEY=SPEC or --sweep FILE");
        goto done;
    }
    if (csv_path && jsonl_path && strcmp(csv_path, "-") == 0 && strcmp(jsonl_path, "-") == 0) {
        status = cli_usage_error("sweep", "--csv - and --jsonl - would both write to stdout");
        goto done;
    }
    long n_points = 1;
    for (int a = 0; a < n_axes; a++) {
        n_points *= axes[a].n;
        if (n_points > 10000000) {
            status = cli_usage_error("sweep", "more than 10,000,000 points");
            goto done;
        }
    }
    char reps_text[32], seed_text[32];
    if (reps > 0) {
        snprintf(reps_text, sizeof reps_text, "%ld", reps);
        sets[n_sets++] = (struct conf_override){xstrdup("replications"), reps_text, NULL, 0};
    }
    if (seed >= 0) {
        snprintf(seed_text, sizeof seed_text, "%ld", seed);
        sets[n_sets++] = (struct conf_override){xstrdup("seed"), seed_text, NULL, 0};
    }
    if (csv_path != NULL && outfile_open(&csv, csv_path) != 0) {
        warn("cannot write '%s':", csv_path);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (jsonl_path != NULL && outfile_open(&jsonl, jsonl_path) != 0) {
        warn("cannot write '%s':", jsonl_path);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (csv.f != NULL) csv_header(csv.f, axes, n_axes);
    curves = xcalloc((size_t)n_points * 6 + 1, sizeof *curves);
    struct conf_override *point_sets = xcalloc((size_t)n_sets + n_axes + 1, sizeof *point_sets);
    int *idx = xcalloc((size_t)n_axes, sizeof *idx);
    int show = !quiet && isatty(STDERR_FILENO);
    double start = mono_s();
    long reps_done = 0;
    for (long pt = 0; pt < n_points && status == EXIT_OK; pt++) {
        /* The point's indices, the first key slowest. */
        for (long rest = pt, a = n_axes - 1; a >= 0; a--) {
            idx[a] = (int)(rest % axes[a].n);
            rest /= axes[a].n;
        }
        memcpy(point_sets, sets, (size_t)n_sets * sizeof *sets);
        for (int a = 0; a < n_axes; a++)
            point_sets[n_sets + a] = (struct conf_override){axes[a].key, axes[a].values[idx[a]], NULL, 0};
        struct model_spec m;
        struct diag d;
        diag_init(&d);
        if (conf_load_scenarios(config, scenarios, n_scenarios, point_sets, n_sets + n_axes, &m, &d) != 0) {
            fprintf(stderr, "ccsim sweep: point %ld (", pt + 1);
            for (int a = 0; a < n_axes; a++)
                fprintf(stderr, "%s%s=%s", a ? ", " : "", axes[a].key, axes[a].values[idx[a]]);
            fputs("):\n", stderr);
            diag_print(&d, stderr);
            diag_fini(&d);
            status = EXIT_USAGE;
            break;
        }
        diag_fini(&d);
        struct sim_hooks hooks = {0};
        cli_batch_hooks(&batch, &hooks);
        struct results *r = sim_run(&m, &hooks);
        reps_done += r->replications;
        if (csv.f != NULL) csv_point(csv.f, axes, n_axes, idx, &m, r);
        if (jsonl.f != NULL) {
            struct report_meta meta = {config, 1};
            report_json(jsonl.f, &meta, &m, r);
        }
        static const int metrics[] = {MET_SL, MET_ABANDON_RATE, MET_OCCUPANCY};
        for (int k = 0; k < 3; k++) {
            curves[(size_t)(2 * k) * n_points + pt] = r->summary[metrics[k]].mean;
            curves[(size_t)(2 * k + 1) * n_points + pt] = r->summary[metrics[k]].ci95;
        }
        results_free(r);
        model_spec_free(&m);
        if (show) {
            double el = mono_s() - start, left = el / (pt + 1) * (n_points - pt - 1);
            fprintf(stderr, "\rpoint %ld/%ld  %.0f replications/s  %.0f s left ", pt + 1, n_points,
                    el > 0 ? reps_done / el : 0.0, left);
            if (pt + 1 == n_points) fputc('\n', stderr);
        }
    }
    free(point_sets);
    free(idx);
    if (status != EXIT_OK) goto done;
    if (csv.f != NULL && outfile_commit(&csv) != 0) {
        warn("cannot write '%s':", csv_path);
        status = EXIT_RUNTIME;
    }
    if (jsonl.f != NULL && outfile_commit(&jsonl) != 0) {
        warn("cannot write '%s':", jsonl_path);
        status = EXIT_RUNTIME;
    }
    csv.f = jsonl.f = NULL;
    if (plots_dir != NULL)
        draw_curves(plots_dir, axes, n_axes, (int)n_points, curves, curves + n_points,
                    curves + 2 * n_points, curves + 3 * n_points, curves + 4 * n_points,
                    curves + 5 * n_points);
done:
    if (csv.f != NULL) outfile_abort(&csv);
    if (jsonl.f != NULL) outfile_abort(&jsonl);
    for (int a = 0; a < n_axes; a++)
        axis_free(&axes[a]);
    free(axes);
    for (int k = 0; k < n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    free(scenarios);
    free(curves);
    return status;
}
