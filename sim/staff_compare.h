/* staff_compare: staffing strategies side by side (`ccsim staff --compare`, docs/staffing.md):
 * Erlang C, Erlang A, the sim method, ISA, a flat staffing of the sim method's hours and the GLPK
 * schedule of the sim requirement, each simulated on the same replications with the same seed
 * (common random numbers), so the differences are the strategies' alone. */
#ifndef CCSIM_STAFF_COMPARE_H
#define CCSIM_STAFF_COMPARE_H

#include "model.h"
#include "staffing.h"

enum strategy {
    STRATEGY_ERLANG_C,
    STRATEGY_ERLANG_A,
    STRATEGY_SIM,
    STRATEGY_ISA,
    STRATEGY_FLAT,
    STRATEGY_SCHEDULE,
    STRATEGY_N
};

struct strategy_result {
    const char *name;
    int ok;             /* 0: not applicable here; note says why */
    int misses;         /* intervals where some target's mean misses it */
    char note[400];     /* how it was built, or why not */
    int *agents;        /* [interval][group] on duty (schedule: on duty, rounded); owned */
    double agent_hours; /* paid hours (schedule: the shifts' lengths, breaks included) */
    double cost;        /* agent-hours at cost_per_hour (schedule: the shifts' costs) */
    struct results *r;  /* the day simulated with it; owned */
};

/* Builds and simulates every strategy on m (its staffing is changed).  Returns 0, or -1 with the
 * reason in why when even the sim method, on which flat and schedule rest, fails. */
int staff_compare(struct model_spec *m, const struct staff_target *t, int n_targets,
                  const struct sim_hooks *hooks, double time_limit_s,
                  struct strategy_result out[STRATEGY_N], char *why, size_t cap);

/* The table (stdout), and the JSON, CSV and plots when their paths are given. */
int staff_compare_write(const struct model_spec *m, const struct staff_target *t,
                        char *const *target_text, int n_targets,
                        const struct strategy_result out[STRATEGY_N], const char *config,
                        const char *json_path, const char *csv_path, const char *plots_dir);

void staff_compare_free(struct strategy_result out[STRATEGY_N]);

#endif
