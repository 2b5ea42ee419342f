/* requirements: reads the agents per interval and group that `ccsim staff` writes, as CSV
 * (day,interval,start_s,group,agents; the columns found by their header) or JSON ({"intervals":
 * [{"day", "start_s", "groups": {NAME: AGENTS}}]}), against a model's grid.  Problems go into a
 * diag as "file:line: message" (JSON: the byte offset's line where json-c gives one). */
#ifndef CCSIM_REQUIREMENTS_H
#define CCSIM_REQUIREMENTS_H

#include "diag.h"
#include "model.h"

/* Fills required[g * model_total_intervals(m) + i] (agents, net) and given[g] (1: the file has
 * group g).  Intervals the file leaves out need 0.  Returns 0, or -1 with the problems in d. */
int requirements_read(const char *path, const struct model_spec *m, double *required, int *given,
                      struct diag *d);

#endif
