/* forecast: per-interval tables from CSV, the form forecasting and WFM tools export.  The first
 * row is a header, "start" then one column per channel (arrivals per hour) or per group (agents
 * on duty); then one row per planning interval whose start is HH:MM.  Fields may be quoted;
 * CRLF line ends are accepted.  Problems go into a diag as "file:line: message". */
#ifndef CCSIM_FORECAST_H
#define CCSIM_FORECAST_H

#include "diag.h"

struct forecast {
    int n_cols;      /* columns after "start" */
    char **names;    /* column names; owned */
    int n_rows;      /* intervals read */
    double *values;  /* [row][col]; owned */
    char *path;      /* the file, for messages; owned */
    int *col_used;   /* set by the caller when a column is claimed */
};

/* Reads path and checks that there are n_intervals rows (one day, used for every day) or
 * n_intervals * n_days rows (day after day), each starting on the grid start_s (seconds after
 * midnight) + k * interval_s.  Returns 0, or -1 with the problems in d (t freed). */
int forecast_read(struct forecast *t, const char *path, int n_intervals, int n_days,
                  double start_s, double interval_s, struct diag *d);
/* Column index of name, or -1. */
int forecast_column(const struct forecast *t, const char *name);
void forecast_free(struct forecast *t);

#endif
