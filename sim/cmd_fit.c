/* cmd_fit: `ccsim fit LOG --out FITTED.cfg`: the model fitted to a contact log (sim/logfit.c,
 * docs/logs.md), written as a ready-to-run config with its fit report. */
#include "cli.h"
#include "conf.h"
#include "logfit.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim fit LOG --out FITTED.cfg [options]\n\n"
            "Fits the model to a contact log (docs/logs.md): arrival rates per interval (per\n"
            "weekday when the log has dates) with a Poisson dispersion test and a gamma busyness\n"
            "factor when the days are over-dispersed; handle times (exponential, lognormal, gamma,\n"
            "Weibull by maximum likelihood, chosen by AIC); patience from censored waits\n"
            "(Kaplan-Meier and maximum likelihood); agents per interval from the agent column.\n"
            "LOG is the CSV of 'ccsim run --log', or any log described by --map; it may be gzipped.\n\n"
            "Options:\n"
            "  --out FILE          the fitted config (required)\n"
            "  --map FILE          the mapping of LOG's columns and formats (libconfig)\n"
            "  --interval-min M    planning interval of the fitted config, minutes (default 30)\n"
            "  --start HH:MM       clock time of a --log file's time 0 (default 00:00)\n"
            "  --sl-seconds S      service-level threshold of the log's own metrics (default 20)\n"
            "  --drop-short S      leave out handled contacts shorter than S seconds from the\n"
            "                      handle-time fit (they are always counted and reported)\n"
            "  --agents N          agents on duty in every interval, for logs without agents\n"
            "  --agents-scale F    multiply the agents counted from the log by F (rounded)\n"
            "  --json FILE         the fit report as JSON ('-': stdout)\n"
            "  --plots DIR         handle-time histograms against the fitted densities, and the\n"
            "                      Kaplan-Meier patience curve against the fitted survival\n"
            "  --quiet             no report on stdout\n"
            "  -h, --help          this help\n\n"
            "Example:\n"
            "  ccsim run configs/default.cfg --reps 20 --quiet --log day.csv\n"
            "  ccsim fit day.csv --start 08:00 --out fitted.cfg\n");
}

int cmd_fit(int argc, char **argv)
{
    struct fit f;
    memset(&f, 0, sizeof f);
    struct logfit_opts *o = &f.o;
    logfit_opts_init(o);
    for (int i = 1; i < argc; i++) {
        const char *v;
        int missing = 0, status;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if ((v = cli_flag_value(argc, argv, &i, "--out", &missing)) != NULL) {
            o->out = v;
        } else if (!missing && (v = cli_flag_value(argc, argv, &i, "--json", &missing)) != NULL) {
            o->json = v;
        } else if (!missing && (v = cli_flag_value(argc, argv, &i, "--plots", &missing)) != NULL) {
            o->plots = v;
        } else if (missing) {
            return cli_usage_error("fit", "%s needs a value", argv[i]);
        } else if ((status = logfit_flag(argc, argv, &i, "fit", o)) != 0) {
            return status;
        }
    }
    if (o->log == NULL) return cli_usage_error("fit", "missing LOG");
    if (o->out == NULL) return cli_usage_error("fit", "--out FITTED.cfg expected");
    int status = logfit_open(&f, "fit", " (columns.agent): give --agents N");
    if (status != 0) return status;
    struct outfile cfg = {NULL, NULL, NULL}, js = {NULL, NULL, NULL};
    if (outfile_open(&cfg, o->out) != 0) {
        warn("cannot write %s:", o->out);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (o->json != NULL && outfile_open(&js, o->json) != 0) {
        warn("cannot write %s:", o->json);
        outfile_abort(&cfg);
        status = EXIT_RUNTIME;
        goto done;
    }
    logfit_write_config(cfg.f, &f);
    if (o->json != NULL) logfit_report_json(js.f, &f);
    /* The config must load before it replaces anything: a fit of an extreme log that no config
     * can hold is a failure, not an output. */
    if (cfg.tmp != NULL) {
        struct model_spec check;
        struct diag cd;
        diag_init(&cd);
        fflush(cfg.f);
        if (conf_load(cfg.tmp, NULL, 0, &check, &cd) != 0) {
            fprintf(stderr, "ccsim fit: the fitted config does not load; nothing written:\n");
            diag_print(&cd, stderr);
            diag_fini(&cd);
            outfile_abort(&cfg);
            if (o->json != NULL) outfile_abort(&js);
            status = EXIT_RUNTIME;
            goto done;
        }
        model_spec_free(&check);
        diag_fini(&cd);
    }
    if (outfile_commit(&cfg) != 0 || (o->json != NULL && outfile_commit(&js) != 0)) {
        warn("cannot write the fit's outputs:");
        if (o->json != NULL) outfile_abort(&js);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (!o->quiet && !(o->json != NULL && strcmp(o->json, "-") == 0)) logfit_report_text(stdout, &f);
    if (o->plots != NULL && logfit_draw(&f) != 0) status = EXIT_RUNTIME;
done:
    logfit_free(&f);
    return status;
}
