/* report: turns results into what people read: the text report (aligned tables with 95 %
 * confidence half-widths) and the JSON document described in docs/output.md.  It reads only the
 * model spec and the results, never the simulator's state. */
#ifndef CCSIM_REPORT_H
#define CCSIM_REPORT_H

#include "model.h"

#include <stdio.h>

struct report_meta {
    const char *config_path; /* as given on the command line */
    int compact;             /* JSON on one line (sweep --jsonl) */
};

void report_text(FILE *out, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r);
void report_json(FILE *out, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r);

/* Writes DIR/total.csv (one row per channel and a total row) and DIR/intervals.csv (day mode: one
 * row per interval and channel, plus the interval's total row), creating DIR if needed.  Each
 * metric has a column NAME (the mean) and NAME_ci95; undefined values are empty fields.
 * Returns 0, or -1 after printing what failed. */
int report_csv(const char *dir, const struct model_spec *m, const struct results *r);

/* Writes DIR/report.html (self-contained: tables, the plots as inline SVG, the effective
 * config) and DIR/report.md (the same, the plots as PNG files beside it), drawing the plots into
 * DIR.  Returns 0, or -1 after printing what failed (missing plots are not a failure). */
int report_files(const char *dir, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r);

#endif
