/* cmd_run: `ccsim run CONFIG`: load, simulate, report.  Problems in the config are all printed
 * and the command exits 2 before any output file is opened. */
#include "cli.h"
#include "conf.h"
#include "plot.h"
#include "report.h"
#include "state.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim run CONFIG [options]\n\n"
            "Simulates CONFIG and prints a report with 95 %% confidence intervals.\n\n"
            "Options:\n"
            "  --reps N          replications (overrides the config's 'replications')\n"
            "  --seed S          master seed, an integer >= 0 (overrides 'seed')\n"
            "  -s, --scenario S  apply scenario file S's edits (docs/scenarios.md); repeatable,\n"
            "                    applied in order, before --set\n"
            "  --set KEY=VALUE   change a scalar setting by its libconfig path, e.g.\n"
            "                    --set agents=105 or --set channels.[0].sl_seconds=30;\n"
            "                    may be repeated\n"
            "  --json FILE       also write the JSON document to FILE; '-' prints it on\n"
            "                    stdout instead of the text report\n"
            "  --csv DIR         write DIR/total.csv and DIR/intervals.csv (created if needed)\n"
            "  --log FILE        write a call-by-call CSV trace of counted contacts ('-': stdout)\n"
            "  --state FILE      start every replication from the center's state in FILE\n"
            "                    (day mode; docs/state.md), e.g. who waits at 11:00\n"
            "  --dump-state TIME FILE\n"
            "                    write each replication's state at TIME ('HH:MM', or 'D/HH:MM'\n"
            "                    on day D) to FILE, a state file --state reads\n"
            "  --plots DIR       draw the results with gnuplot into DIR (PNG and SVG, with\n"
            "                    the data of each plot beside it)\n"
            "  --report DIR      write DIR/report.html (self-contained: mail it) and\n"
            "                    DIR/report.md with its plots\n"
            "  -j, --jobs N      threads running replications (default: all cores); the\n"
            "                    results are the same for every N\n"
            "  --precision REL   replications until every headline metric's 95 %% half-width\n"
            "                    is at most REL of its mean (docs/batch.md)\n"
            "  --precision-abs A ... or at most A, for means near 0 (default 0)\n"
            "  --min-reps N, --max-reps N\n"
            "                    bounds of --precision (default 10 and 10000)\n"
            "  --partial         on SIGINT or SIGTERM, still write the results of the\n"
            "                    replications finished, marked partial (default: none)\n"
            "  --quiet           no progress bar\n"
            "  -h, --help        this help\n\n"
            "Examples:\n"
            "  ccsim run configs/default.cfg\n"
            "  ccsim run configs/erlang.cfg --set agents=105 --reps 20 --json -\n"
            "  ccsim run configs/default.cfg --dump-state 11:00 state.cfg\n"
            "  ccsim run configs/default.cfg --state state.cfg\n");
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

struct progress {
    double start_s;
    int shown;
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A progress bar on stderr, only on a terminal and only once a run has taken a second. */
static void show_progress(void *ctx, double fraction, int done, int total)
{
    struct progress *p = ctx;
    double elapsed = mono_s() - p->start_s;
    if (elapsed < 1.0 && !p->shown) return;
    int width = 40, filled = (int)(width * fraction);
    double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    fprintf(stderr, "\r[%.*s%*s] %3.0f%%  %d/%d replications  %.0f s left ", filled,
            "########################################", width - filled, "", 100 * fraction, done,
            total, eta);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
    p->shown = 1;
}

int cmd_run(int argc, char **argv)
{
    const char *config = NULL, *json_path = NULL, *csv_dir = NULL, *log_path = NULL;
    const char *state_path = NULL, *dump_time = NULL, *dump_path = NULL;
    const char *plots_dir = NULL, *report_dir = NULL;
    long reps = -1, seed = -1;
    int quiet = 0, partial = 0;
    struct conf_override *sets = xcalloc((size_t)argc + 2, sizeof *sets);
    const char **scenarios = xcalloc((size_t)argc + 1, sizeof *scenarios);
    int n_scenarios = 0;
    struct batch_opts batch = CLI_BATCH_INIT;
    batch.sets = sets;
    batch.scenarios = scenarios;
    int n_sets = 0, status = EXIT_OK;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(sets);
            free(scenarios);
            return EXIT_OK;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--partial") == 0) {
            partial = 1;
        } else if ((bad = cli_batch_flag(argc, argv, &i, &batch, "run")) != 0) {
            if (bad < 0) {
                status = EXIT_USAGE;
                goto done;
            }
            bad = 0;
        } else if ((v = cli_flag_value(argc, argv, &i, "--json", &bad)) != NULL) {
            json_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--csv", &bad)) != NULL) {
            csv_dir = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--log", &bad)) != NULL) {
            log_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--plots", &bad)) != NULL) {
            plots_dir = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--report", &bad)) != NULL) {
            report_dir = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--state", &bad)) != NULL) {
            state_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--dump-state", &bad)) != NULL) {
            if (i + 1 >= argc) {
                status = cli_usage_error("run", "--dump-state needs TIME and FILE");
                goto done;
            }
            dump_time = v;
            dump_path = argv[++i];
        } else if ((status = cli_config_arg("run", a, bad, &config)) != 0) {
            goto done;
        }
    }
    reps = batch.reps;
    seed = batch.seed;
    n_sets = batch.n_sets;
    n_scenarios = batch.n_scenarios;
    if (config == NULL) {
        status = cli_usage_error("run", "missing CONFIG");
        goto done;
    }

    /* --reps and --seed are overrides like any --set, so the effective config echoes them. */
    char reps_text[32], seed_text[32];
    if (reps > 0) {
        snprintf(reps_text, sizeof reps_text, "%ld", reps);
        sets[n_sets].path = xstrdup("replications");
        sets[n_sets++].value = reps_text;
    }
    if (seed >= 0) {
        snprintf(seed_text, sizeof seed_text, "%ld", seed);
        sets[n_sets].path = xstrdup("seed");
        sets[n_sets++].value = seed_text;
    }
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    if (conf_load_scenarios(config, scenarios, n_scenarios, sets, n_sets, &m, &d) != 0) {
        diag_print(&d, stderr);
        diag_fini(&d);
        status = EXIT_USAGE;
        goto done;
    }
    char why_unstable[512];
    if (model_unstable(&m, why_unstable, sizeof why_unstable) != NULL)
        fprintf(stderr, "ccsim run: warning: %s\n", why_unstable);
    struct sim_state state = {0, NULL};
    double dump_at = -1;
    if (state_path != NULL && state_load(state_path, &m, &state, &d) != 0) {
        diag_print(&d, stderr);
        diag_fini(&d);
        model_spec_free(&m);
        status = EXIT_USAGE;
        goto done;
    }
    diag_fini(&d);
    if (dump_time != NULL) {
        dump_at = m.mode == MODE_DAY ? state_parse_time(dump_time, &m) : -1;
        if (dump_at < 0) {
            status = cli_usage_error("run", "--dump-state: '%s' is not 'HH:MM' or 'D/HH:MM' within "
                                            "the opening hours of a day-mode config",
                                     dump_time);
            state_free(&state);
            model_spec_free(&m);
            goto done;
        }
        double latest = 0;
        for (int i = 0; state_path != NULL && i < state.n; i++)
            if (state.snaps[i].time_s > latest) latest = state.snaps[i].time_s;
        if (state_path != NULL && dump_at < latest) {
            status = cli_usage_error("run", "--dump-state: %s is before the state's time", dump_time);
            state_free(&state);
            model_spec_free(&m);
            goto done;
        }
    }

    /* Every output is opened (as its temporary file) before simulating, so an unwritable path
     * fails at once instead of after the run. */
    struct outfile log = {NULL, NULL, NULL}, json = {NULL, NULL, NULL}, dump = {NULL, NULL, NULL};
    if (log_path != NULL && outfile_open(&log, log_path) != 0) {
        warn("cannot write '%s':", log_path);
        model_spec_free(&m);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (json_path != NULL && outfile_open(&json, json_path) != 0) {
        warn("cannot write '%s':", json_path);
        outfile_abort(&log);
        model_spec_free(&m);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (dump_path != NULL && outfile_open(&dump, dump_path) != 0) {
        warn("cannot write '%s':", dump_path);
        outfile_abort(&log);
        outfile_abort(&json);
        state_free(&state);
        model_spec_free(&m);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (csv_dir != NULL && mkdir(csv_dir, 0777) != 0 && errno != EEXIST) {
        warn("cannot create '%s':", csv_dir);
        outfile_abort(&log);
        outfile_abort(&json);
        outfile_abort(&dump);
        state_free(&state);
        model_spec_free(&m);
        status = EXIT_RUNTIME;
        goto done;
    }
    struct progress prog = {mono_s(), 0};
    int show = !quiet && isatty(STDERR_FILENO);
    struct sim_hooks hooks = {.progress = show ? show_progress : NULL,
                              .progress_ctx = &prog,
                              .log = log.f,
                              .state = state_path ? &state : NULL,
                              .dump = dump.f,
                              .dump_at_s = dump_at,
                              .dump_config = config};
    cli_batch_hooks(&batch, &hooks);
    if (dump.f != NULL) state_write_begin(dump.f, config, dump_at, &m);
    /* SIGINT and SIGTERM stop the run between events: no output then (a result that looks
     * whole but is not would be worse), unless --partial asks for one marked partial. */
    hooks.stop = &stop_signal;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    struct results *r = sim_run(&m, &hooks);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (stop_signal && (!partial || r->replications == 0)) {
        fprintf(stderr, "ccsim run: stopped by %s; no output written%s\n",
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                partial ? " (no replication had finished)" : " (--partial keeps the finished replications)");
        outfile_abort(&log);
        outfile_abort(&json);
        outfile_abort(&dump);
        status = 128 + stop_signal;
        results_free(r);
        state_free(&state);
        model_spec_free(&m);
        goto done;
    }
    if (hooks.precision_rel > 0 && !r->precision_met)
        fprintf(stderr, "ccsim run: the precision asked (--precision %g) was not reached within "
                        "--max-reps %d replications; the results are those of %d\n",
                hooks.precision_rel, hooks.max_reps, r->replications);
    if (dump.f != NULL) {
        state_write_end(dump.f);
        if (outfile_commit(&dump) != 0) {
            warn("cannot write '%s':", dump_path);
            status = EXIT_RUNTIME;
        }
    }
    state_free(&state);
    struct report_meta meta = {config, 0};
    if (log_path != NULL && outfile_commit(&log) != 0) {
        warn("cannot write '%s':", log_path);
        status = EXIT_RUNTIME;
    }
    if (json_path != NULL) {
        report_json(json.f, &meta, &m, r);
        if (outfile_commit(&json) != 0) {
            warn("cannot write '%s':", json_path);
            status = EXIT_RUNTIME;
        }
    }
    if (csv_dir != NULL && report_csv(csv_dir, &m, r) != 0) status = EXIT_RUNTIME;
    if (plots_dir != NULL) {
        struct plotter p;
        if (plot_begin(&p, plots_dir) == 0) {
            plot_run(&p, &m, r);
            plot_finish(&p);
        } else {
            status = EXIT_RUNTIME;
        }
    }
    if (report_dir != NULL && report_files(report_dir, &meta, &m, r) != 0) status = EXIT_RUNTIME;
    int json_to_stdout = json_path != NULL && strcmp(json_path, "-") == 0;
    int log_to_stdout = log_path != NULL && strcmp(log_path, "-") == 0;
    if (!json_to_stdout && !log_to_stdout) {
        report_text(stdout, &meta, &m, r);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            warn("cannot write the report:");
            status = EXIT_RUNTIME;
        }
    }
    if (stop_signal) {
        fprintf(stderr, "ccsim run: stopped by %s; the results of the %d replications finished are "
                        "written, marked partial\n",
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM", r->replications);
        status = 128 + stop_signal;
    }
    results_free(r);
    model_spec_free(&m);
done:
    for (int k = 0; k < n_sets || k < batch.n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    free(scenarios);
    return status;
}
