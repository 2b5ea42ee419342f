/* replay: the temporary config is the one interface to the loader, so a replay or fitted model
 * gets every check a user's config gets. */
#include "replay.h"

#include "conf.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        logfit_group_head(o, f, c, " ");
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

struct sim_trace_call *replay_trace(const struct fit *f, size_t *n)
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

enum model_kind { REPLAY_MODEL, FITTED_MODEL };

static int load_written(const struct fit *f, enum model_kind kind, const char *staffing, long reps,
                        long seed, struct model_spec *m, struct diag *d)
{
    char path[] = "/tmp/ccsim-model-XXXXXX";
    int fd = mkstemp(path);
    FILE *cfg = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (cfg == NULL) die("cannot write a temporary config:");
    if (kind == REPLAY_MODEL)
        write_replay_config(cfg, f, staffing, reps, seed);
    else
        logfit_write_config(cfg, f);
    if (fclose(cfg) != 0) die("cannot write %s:", path);
    int rc = conf_load(path, NULL, 0, m, d);
    unlink(path);
    if (rc != 0) return -1;
    if (kind == FITTED_MODEL) { /* the fitted config's own choice, 20 from seed 1, overridden */
        m->replications = (int)reps;
        m->seed = (uint64_t)seed;
    }
    return 0;
}

int replay_load(const struct fit *f, const char *staffing, long reps, long seed,
                struct model_spec *m, struct diag *d)
{
    /* The staffing file is named relative to where the command runs; the temporary config
     * lives elsewhere, so it gets the absolute path. */
    char abs_path[4096];
    if (staffing != NULL && staffing[0] != '/') {
        char cwd[2048];
        if (getcwd(cwd, sizeof cwd) == NULL) die("cannot read the working folder:");
        snprintf(abs_path, sizeof abs_path, "%s/%s", cwd, staffing);
        staffing = abs_path;
    }
    return load_written(f, REPLAY_MODEL, staffing, reps, seed, m, d);
}

int replay_load_fitted(const struct fit *f, long reps, long seed, struct model_spec *m,
                       struct diag *d)
{
    return load_written(f, FITTED_MODEL, NULL, reps, seed, m, d);
}
