/* logfit: the model fitted to a contact log (docs/logs.md), shared by `ccsim fit` and
 * `ccsim replay`.  logfit_build fills every field from a log already read into f->log with the
 * options in f->o. */
#ifndef CCSIM_LOGFIT_H
#define CCSIM_LOGFIT_H

#include "fitdist.h"
#include "logread.h"

#include <stdio.h>

#define N_PATIENCE 3 /* the censored families fitted: exponential, Weibull, lognormal */

struct logfit_opts {
    const char *log, *map, *out, *json, *plots;
    double interval_s, start_s, sl_s, drop_short_s;
    double agents_scale; /* multiplies the agents counted from the log (0: 1) */
    long agents;
    int quiet;
};

/* Per channel, per day type and interval. */
struct channel_fit {
    size_t offered, handled, abandoned, other, short_handled;
    double *rate, *rate_se; /* [type][k], contacts per hour */
    int *agents;            /* [type][k] */
    int *agents_day;        /* [day][k]: distinct agents starting a service, each day */
    double dispersion_x2, dispersion_p;
    long dispersion_df;
    double busy_shape; /* 0: none */
    struct fit_result handle[FIT_N_FAMILIES];
    int handle_best;
    size_t n_handle_fit;
    struct fit_result patience[N_PATIENCE];
    int patience_best;
    size_t n_queued;
    struct km_curve km;
    int has_km;
    /* The log's own metrics per type and interval: mean over days and 95 % half-width. */
    double *obs_mean, *obs_ci; /* [metric][type][k], metrics: abandon rate, ASA, service level */
    int *obs_n;
};

struct fit {
    struct log_data log;
    struct logfit_opts o;
    int n_types; /* 7 when the log has dates, else 1 */
    int k0, K;   /* first interval of the window (from midnight, or from --start), count */
    int *days_of_type;
    struct channel_fit *ch;
    /* Per segment of the log, over every channel: the contacts reaching the agents and how they
     * ended; seg_config is its index among the config's segments, -1 when none reached them. */
    size_t *seg_offered, *seg_handled, *seg_abandoned;
    int *seg_config;
    int n_seg_config; /* segments written to the config: 0 when the log has one and no credit */
    int credited;     /* some written segment has a credit: channels get priority_per_s = 1 */
};

enum { OBS_ABANDON, OBS_ASA, OBS_SL, N_OBS };

/* The flags and the LOG argument that fit and replay share, at argv[*i] (which it may advance
 * past a value).  Returns 0, or the usage error's exit status after printing it. */
int logfit_flag(int argc, char **argv, int *i, const char *cmd, struct logfit_opts *o);

/* The defaults of the options fit, replay and validate share. */
void logfit_opts_init(struct logfit_opts *o);
/* Reads f->o.log, builds the fit and checks its window; with no_agents set, a log that names no
 * agents (and no --agents) is refused with "ccsim CMD: LOG names no agents" and no_agents after
 * it.  Returns 0, or the exit status after saying why (f is then freed). */
int logfit_open(struct fit *f, const char *cmd, const char *no_agents);
/* The weekdays' names, Monday first. */
extern const char *const logfit_weekday_names[7];

void logfit_build(struct fit *f);
/* After logfit_build: 0, or EXIT_USAGE after saying why the window cannot be a config's day
 * (--start on a dated log; a day past midnight). */
int logfit_check_window(const struct fit *f, const char *cmd);
void logfit_free(struct fit *f); /* leaves f->o and an empty fit: may be called again */
/* Day type of a log day (0 Monday to 6 Sunday, or 0 for an undated log). */
int logfit_type_of(const struct fit *f, int day);
/* Interval of the fitted window for a time of day (clamped to the window). */
int logfit_interval_of(const struct fit *f, double t);
/* The contact reached the agents: handled, abandoned in the queue, or queued and then balked. */
int logfit_reached_agents(const struct log_contact *c);
void logfit_write_config(FILE *o, const struct fit *f);
void logfit_report_text(FILE *o, const struct fit *f);
void logfit_report_json(FILE *o, const struct fit *f);
/* Pieces of the config writer, for replay's config: HH:MM of seconds after midnight; a quoted
 * libconfig string; a fitted distribution as a `{ dist = ...; }` block. */
void logfit_hhmm(double s, char *buf, size_t cap);
void logfit_config_string(FILE *o, const char *s);
void logfit_dist_line(FILE *o, const struct fit_result *r);
/* The start of channel c's group, `  {SEPname = "C agents";SEPskills = [ "C" ];`: every channel
 * of a fitted log has a group of its own. */
void logfit_group_head(FILE *o, const struct fit *f, int c, const char *sep);
/* The config's segments block (nothing when f->n_seg_config is 0), and a channel's
 * priority_per_s line when credits are modelled. */
void logfit_write_segments(FILE *o, const struct fit *f);
void logfit_write_priority(FILE *o, const struct fit *f);
/* The plots of --plots (f->o.plots): handle-time histograms, Kaplan-Meier curves. */
int logfit_draw(struct fit *f); /* -1 when the folder is unusable (said why) */

#endif
