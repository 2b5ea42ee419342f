/* cmd_replay: `ccsim replay LOG`: trace-driven simulation (docs/logs.md).  The logged contacts
 * arrive when they arrived, with their logged handle times, and meet the logged staffing (each
 * day's agents counted from the log) or the plan of --staffing.  What a log cannot say is drawn
 * from the fitted model: an answered contact's patience, conditional on exceeding its logged
 * wait; an abandoned contact's handle time.  The replay is a day-mode model of all the log's
 * days, written to a temporary config and loaded like any other, so it is reported like
 * `ccsim run`; replications differ only in those drawn times. */
#include "cli.h"
#include "logfit.h"
#include "replay.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            "  --drop-short S      leave handled contacts under S s out of the handle-time fit\n"
            "  --agents N          agents in every interval, for logs that name none\n"
            "  --agents-scale F    multiply the agents counted from the log by F (rounded)\n"
            "  --json FILE         the JSON document of ccsim run ('-': stdout)\n"
            "  --quiet             no report on stdout\n"
            "  -h, --help          this help\n\n"
            "Example:\n"
            "  ccsim replay tests/data/fit-day-log.csv.gz --start 08:00\n");
}

int cmd_replay(int argc, char **argv)
{
    struct fit f;
    memset(&f, 0, sizeof f);
    struct logfit_opts *o = &f.o;
    logfit_opts_init(o);
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
    int status = logfit_open(&f, "replay", staffing ? NULL : ": give --agents N or --staffing FILE");
    if (status != 0) return status;
    struct diag d;
    diag_init(&d);
    struct model_spec m;
    if (replay_load(&f, staffing, reps, seed, &m, &d) != 0) {
        diag_print(&d, stderr);
        diag_fini(&d);
        logfit_free(&f);
        return EXIT_USAGE;
    }
    diag_fini(&d);
    struct sim_trace trace;
    struct sim_trace_call *calls = replay_trace(&f, &trace.n);
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
