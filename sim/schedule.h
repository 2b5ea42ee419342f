/* schedule: the cheapest set of shifts, from a group's shift templates, covering a requirement
 * per interval (docs/schedule.md).  An integer program solved by GLPK: one integer variable per
 * way to work a template (a start time and a start for each break), one covering row per
 * interval (agents on duty, weighted by the fraction of the interval they are on duty, at least
 * the requirement grossed up for shrinkage and absenteeism) and one row per template bounding
 * its count. */
#ifndef CCSIM_SCHEDULE_H
#define CCSIM_SCHEDULE_H

#include "model.h"

#include <stddef.h>

/* One way of working a template, with the agents the solution puts on it. */
struct scheduled_shift {
    int template_index;
    double start_s;        /* clock time */
    double *break_start_s; /* clock times, the template's n_breaks; owned */
    int agents;
};

struct schedule {
    int n_shifts;                   /* only the ways with agents */
    struct scheduled_shift *shifts; /* owned */
    double cost;
    int n_intervals;  /* of one day: shifts repeat every day */
    double *required; /* net requirement per interval (the most over the days); owned */
    double *gross;    /* required / ((1 - shrinkage) (1 - absenteeism)); owned */
    double *on_duty;  /* agents the shifts put on duty, weighted by the time; owned */
    int options;      /* the integer program's variables */
    int optimal;      /* 1: proven optimal; 0: the best found within the time limit */
    double gap;       /* then GLPK's relative gap to its best bound (0 when optimal) */
};

/* Solves for group g of m, required[interval] net agents over model_total_intervals(m).
 * time_limit_s bounds GLPK's search.  Returns 0; or -1 with the reason in why (for templates
 * that cannot cover the requirement, the intervals they leave short). */
int schedule_solve(const struct model_spec *m, int g, const double *required, double time_limit_s,
                   struct schedule *out, char *why, size_t cap);

/* Replaces group g's staffing in m with the schedule's shifts (every day). */
void schedule_apply(struct model_spec *m, int g, const struct schedule *s);

void schedule_free(struct schedule *s);

#endif
