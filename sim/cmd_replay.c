/* cmd_replay: `ccsim replay LOG`: trace-driven simulation (docs/logs.md).  The logged contacts
 * arrive when they arrived, with their logged handle times, and meet the logged staffing (each
 * day's agents counted from the log) or the plan of --staffing.  What a log cannot say is drawn
 * from the fitted model: an answered contact's patience, conditional on exceeding its logged
 * wait; an abandoned contact's handle time.  The replay is a day-mode model of all the log's
 * days, written to a temporary config and loaded like any other, so it is reported like
 * `ccsim run`; replications differ only in those drawn times. */
#include "cli.h"
#include "conf.h"
#include "logfit.h"
#include "report.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim replay LOG [options]\n\n"
            "Replays a contact log through the simulator (docs/logs.md): the logged arrivals with\n"
            "their logged handle times, through the logged staffing or another one.  An answered\n"
            "contact's patience is drawn from the fitted patience given that it outlasted its wait;\n"
            "an abandoned contact keeps its patience and gets a fitted handle time.  Reported like\n"
            "'ccsim run', one day of the model per day of the log.\n\n"
            "Options:\n"
            "  --map FILE          the mapping of LOG's columns and formats, as for ccsim fit\n"
            "  --start HH:MM       clock time of a --log file's time 0 (default 00:00)\n"
            "  --interval-min M    planning interval, minutes (default 30)\n"
            "  --staffing FILE     agents per interval instead of the logged ones: a CSV with\n"
            "                      header start,GROUP (GROUP is 'CHANNEL agents'), one row per\n"
            "                      interval of the replay's window, used on every day\n"
            "  --sl-seconds S      service-level threshold (default 20)\n"
            "  --reps N, --seed S  replications (default 10) and seed of the drawn times\n"
            "  --agents N          agents in every interval, for logs that name none\n"
            "  --json FILE         the JSON document of ccsim run ('-': stdout)\n"
            "  --quiet             no report on stdout\n"
            "  -h, --help          this help\n\n"
            "Example:\n"
            "  ccsim replay tests/data/fit-day-log.csv.gz --start 08:00\n");
}

/* The replay's model: every log day a day, zero arrival rates (the trace brings the contacts),
 * the fitted durations for what the log does not say, and each day's logged agents. */
static void write_replay_config(FILE *o, const struct fit *f, const char *staffing, long reps,
                                long seed)
{
    char a[16], b[16];
    double start = f->o.start_s + f->k0 * f->o.interval_s;
    logfit_hhmm(start, a, sizeof a);
    logfit_hhmm(start + f->K * f->o.interval_s, b, sizeof b);
    fprintf(o, "# The replay of %s (ccsim replay).\nmode = \"day\";\nseed = %ld;\nreplications = %ld;\n",
            f->o.log, seed, reps);
    fprintf(o, "day = { start = \"%s\"; end = \"%s\"; interval_min = %.6g; days = %d;", a, b,
            f->o.interval_s / 60, f->log.n_days);
    if (staffing != NULL) {
        fprintf(o, " staffing_csv = ");
        logfit_config_string(o, staffing);
        fprintf(o, ";");
    }
    fprintf(o, " };\nchannels = (\n");
    for (int c = 0; c < f->log.n_channels; c++) {
        const struct channel_fit *cf = &f->ch[c];
        fprintf(o, "  { name = ");
        logfit_config_string(o, f->log.channels[c]);
        fprintf(o, "; sl_seconds = %.6g; arrivals_per_hour = 0.0;\n", f->o.sl_s);
        logfit_write_priority(o, f);
        fprintf(o, "    service = ");
        if (cf->handle_best >= 0)
            logfit_dist_line(o, &cf->handle[cf->handle_best]);
        else
            fprintf(o, "{ dist = \"exponential\"; mean_s = 300.0; }");
        if (cf->patience_best >= 0) {
            fprintf(o, ";\n    patience = ");
            logfit_dist_line(o, &cf->patience[cf->patience_best]);
        }
        fprintf(o, "; }%s\n", c + 1 < f->log.n_channels ? "," : "");
    }
    fprintf(o, ");\n");
    logfit_write_segments(o, f);
    fprintf(o, "groups = (\n");
    for (int c = 0; c < f->log.n_channels; c++) {
        char name[600];
        snprintf(name, sizeof name, "%s agents", f->log.channels[c]);
        fprintf(o, "  { name = ");
        logfit_config_string(o, name);
        fprintf(o, "; skills = [ ");
        logfit_config_string(o, f->log.channels[c]);
        fprintf(o, " ];");
        if (staffing == NULL) {
            fprintf(o, "\n    agents = (\n");
            for (int d = 0; d < f->log.n_days; d++) {
                fprintf(o, "      [");
                for (int k = 0; k < f->K; k++)
                    fprintf(o, "%s%d", k ? ", " : " ", f->ch[c].agents_day[(size_t)d * f->K + k]);
                fprintf(o, " ]%s\n", d + 1 < f->log.n_days ? "," : "");
            }
            fprintf(o, "    );");
        }
        fprintf(o, " }%s\n", c + 1 < f->log.n_channels ? "," : "");
    }
    fprintf(o, ");\n");
}

static int by_time(const void *a, const void *b)
{
    const struct sim_trace_call *x = a, *y = b;
    return (x->t_s > y->t_s) - (x->t_s < y->t_s);
}

/* The logged contacts that reached the agents and were handled or abandoned, in sim time. */
static struct sim_trace_call *build_trace(const struct fit *f, size_t *n)
{
    struct sim_trace_call *calls = xcalloc(f->log.n + 1, sizeof *calls);
    double origin = f->k0 * f->o.interval_s, width = f->K * f->o.interval_s;
    *n = 0;
    for (size_t i = 0; i < f->log.n; i++) {
        const struct log_contact *c = &f->log.contacts[i];
        if (c->outcome == LOG_OTHER || isnan(c->wait_s)) continue;
        double t = c->arrival_s - origin;
        if (t < 0) t = 0;
        if (t >= width) t = width - 1e-6; /* the window ends at its last arrival's interval */
        int segment = f->n_seg_config > 0 ? f->seg_config[c->segment] : 0;
        calls[*n] = (struct sim_trace_call){(double)c->day * 86400.0 + t, c->wait_s, c->handle_s,
                                            c->channel, segment, c->outcome == LOG_ABANDONED};
        (*n)++;
    }
    /* qsort is not stable; equal times keep no order, but logs rarely tie to the microsecond
     * and the engine orders what it is given deterministically either way. */
    qsort(calls, *n, sizeof *calls, by_time);
    return calls;
}

int cmd_replay(int argc, char **argv)
{
    struct fit f;
    memset(&f, 0, sizeof f);
    struct logfit_opts *o = &f.o;
    o->interval_s = 1800;
    o->sl_s = 20;
    o->agents = -1;
    o->out = "(replay)";
    const char *staffing = NULL, *json_path = NULL;
    long reps = 10, seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int missing = 0, status;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if ((v = cli_flag_value(argc, argv, &i, "--staffing", &missing)) != NULL) {
            staffing = v;
        } else if (!missing && (v = cli_flag_value(argc, argv, &i, "--json", &missing)) != NULL) {
            json_path = v;
        } else if (!missing && (v = cli_flag_value(argc, argv, &i, "--reps", &missing)) != NULL) {
            if (cli_parse_long(v, &reps) != 0 || reps < 1 || reps > 100000)
                return cli_usage_error("replay", "--reps: 1 to 100000 expected, got '%s'", v);
        } else if (!missing && (v = cli_flag_value(argc, argv, &i, "--seed", &missing)) != NULL) {
            if (cli_parse_long(v, &seed) != 0 || seed < 0)
                return cli_usage_error("replay", "--seed: a whole number >= 0 expected, got '%s'", v);
        } else if (missing) {
            return cli_usage_error("replay", "%s needs a value", argv[i]);
        } else if ((status = logfit_flag(argc, argv, &i, "replay", o)) != 0) {
            return status;
        }
    }
    if (o->log == NULL) return cli_usage_error("replay", "missing LOG");
    struct diag d;
    diag_init(&d);
    if (log_read(o->log, o->map, &f.log, &d) != 0) {
        diag_print(&d, stderr);
        diag_fini(&d);
        return EXIT_USAGE;
    }
    if (f.log.n_agents == 0 && o->agents < 0 && staffing == NULL) {
        fprintf(stderr, "ccsim replay: %s names no agents: give --agents N or --staffing FILE\n", o->log);
        log_free(&f.log);
        diag_fini(&d);
        return EXIT_USAGE;
    }
    logfit_build(&f);
    int bad_window = logfit_check_window(&f, "replay");
    if (bad_window != 0) {
        logfit_free(&f);
        diag_fini(&d);
        return bad_window;
    }
    /* The staffing file is named relative to where the command runs; the temporary config
     * lives elsewhere, so it gets the absolute path. */
    char staffing_abs[4096];
    if (staffing != NULL && staffing[0] != '/') {
        char cwd[2048];
        if (getcwd(cwd, sizeof cwd) == NULL) die("cannot read the working folder:");
        snprintf(staffing_abs, sizeof staffing_abs, "%s/%s", cwd, staffing);
        staffing = staffing_abs;
    }
    char cfg_path[] = "/tmp/ccsim-replay-XXXXXX";
    int fd = mkstemp(cfg_path);
    FILE *cfg = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (cfg == NULL) die("cannot write a temporary config:");
    write_replay_config(cfg, &f, staffing, reps, seed);
    if (fclose(cfg) != 0) die("cannot write %s:", cfg_path);
    struct model_spec m;
    int status = EXIT_OK;
    int loaded = conf_load(cfg_path, NULL, 0, &m, &d) == 0;
    unlink(cfg_path);
    if (!loaded) {
        diag_print(&d, stderr);
        diag_fini(&d);
        logfit_free(&f);
        return EXIT_USAGE;
    }
    diag_fini(&d);
    struct sim_trace trace;
    struct sim_trace_call *calls = build_trace(&f, &trace.n);
    trace.calls = calls;
    struct sim_hooks hooks;
    memset(&hooks, 0, sizeof hooks);
    hooks.trace = &trace;
    struct results *r = sim_run(&m, &hooks);
    struct report_meta meta = {o->log, 0};
    struct outfile js = {NULL, NULL, NULL};
    if (json_path != NULL) {
        if (outfile_open(&js, json_path) != 0) {
            warn("cannot write %s:", json_path);
            status = EXIT_RUNTIME;
        } else {
            report_json(js.f, &meta, &m, r);
            if (outfile_commit(&js) != 0) {
                warn("cannot write %s:", json_path);
                status = EXIT_RUNTIME;
            }
        }
    }
    if (!o->quiet && !(json_path != NULL && strcmp(json_path, "-") == 0))
        report_text(stdout, &meta, &m, r);
    results_free(r);
    model_spec_free(&m);
    free(calls);
    logfit_free(&f);
    return status;
}
