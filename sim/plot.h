/* plot: pictures of results, drawn by gnuplot through a pipe.  Each plot NAME is written to DIR
 * as NAME.dat (the data gnuplot reads: a header line of column names, then whitespace-separated
 * rows), NAME.png (pngcairo) and NAME.svg.  When gnuplot is missing or fails, the remaining plots
 * are skipped and plot_finish prints one message saying which and why; nothing else fails. */
#ifndef CCSIM_PLOT_H
#define CCSIM_PLOT_H

#include "model.h"

struct plotter {
    char *dir;          /* owned */
    int broken;         /* gnuplot could not run: skip the rest */
    char why[4400];     /* the first failure */
    int n, cap;         /* plots drawn */
    char **names;       /* owned, drawn plots (no extension) */
    char **titles;      /* owned */
    int n_skipped;
    char skipped[2048]; /* names of skipped plots, comma-separated */
};

/* Prepares DIR (created if needed).  Returns 0, or -1 after printing why DIR is unusable. */
int plot_begin(struct plotter *p, const char *dir);

/* The plots of a run: per interval (day mode) offered against staffed agents, service level
 * against its target, abandonment, occupancy per group; the wait-time CDF per channel; and,
 * when journeys are modelled, contacts per issue and time to resolution per segment. */
void plot_run(struct plotter *p, const struct model_spec *m, const struct results *r);

/* One comparison plot: bars of `n` runs' means with their 95 % half-widths as error bars. */
void plot_bars(struct plotter *p, const char *name, const char *title, const char *ylabel,
               int n, char *const *labels, const double *mean, const double *ci95);

/* Curves with 95 % error bars: series s has n_points[s] points (x, mean, ci95), stored one
 * series after the other in x, mean and ci95. */
void plot_curves(struct plotter *p, const char *name, const char *title, const char *xlabel,
                 const char *ylabel, int n_series, char *const *series, const int *n_points,
                 const double *x, const double *mean, const double *ci95);

/* Prints the skipped plots' message (once) and frees p. */
void plot_finish(struct plotter *p);

#endif
