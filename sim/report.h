/* report: turns results into what people read: the text report (aligned tables with 95 %
 * confidence half-widths) and the JSON document described in docs/output.md.  It reads only the
 * model spec and the results, never the simulator's state. */
#ifndef CCSIM_REPORT_H
#define CCSIM_REPORT_H

#include "model.h"

#include <stdio.h>

struct report_meta {
    const char *config_path; /* as given on the command line */
};

void report_text(FILE *out, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r);
void report_json(FILE *out, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r);

#endif
