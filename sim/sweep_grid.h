/* sweep_grid: the axes of a sweep, parsed from --grid flags or a sweep file. */
#ifndef CCSIM_SWEEP_GRID_H
#define CCSIM_SWEEP_GRID_H

#include "diag.h"

struct axis {
    char *key;
    int n;
    char **values; /* as the --set text */
};

void sweep_axis_free(struct axis *a);

/* Parses one --grid KEY=SPEC into *a (zeroed first).  Returns 0, or -1 when SPEC is not
 * FROM:TO:STEP (TO >= FROM, STEP > 0, at most a million values) nor a comma list; the caller
 * frees *a either way. */
int sweep_grid_parse(const char *arg, struct axis *a);

/* Appends the grid of sweep file path to *axes (*n_axes of them; the caller frees them, on
 * failure too).  Returns 0, or -1 with the problems in d, each with the file's line. */
int sweep_grid_load(const char *path, struct axis **axes, int *n_axes, struct diag *d);

#endif
