/* staffing: how many agents each group needs per interval to meet targets (docs/staffing.md).
 * The erlang method is the stationary independent period-by-period approximation (SIPP): each
 * interval on its own, at its load, by Erlang A (exponential patience: its mean; any other
 * patience: its mean, an approximation) or Erlang C (no abandonment). */
#ifndef CCSIM_STAFFING_H
#define CCSIM_STAFFING_H

#include "model.h"

#include <stddef.h>

enum staff_kind { TARGET_SL, TARGET_ABANDON, TARGET_OCCUPANCY, TARGET_WAIT };

struct staff_target {
    enum staff_kind kind;
    int channel;  /* SL, abandon: the channel */
    int group;    /* occupancy: the group */
    double value; /* SL: the least fraction; abandon, occupancy, wait: the most */
    double sl_s;  /* SL: the threshold, s */
};

/* Parses "CHANNEL:sl=F@Ts", "CHANNEL:abandon=F", "CHANNEL:wait=F" (delay probability) or
 * "GROUP:occupancy=F" against m.  Returns 0, or -1 with the reason in why. */
int staff_parse_target(const char *text, const struct model_spec *m, struct staff_target *t,
                       char *why, size_t cap);

struct results;
struct stat_summary;

/* Target t's measure in interval i of results r of model m (steady mode: the run). */
const struct stat_summary *staff_target_summary(const struct model_spec *m, const struct results *r,
                                                const struct staff_target *t, int i);

/* The erlang (SIPP) requirement: agents[interval * n_groups + group], every group serving one
 * channel and every channel served by one group.  Returns 0, or -1 with the reason in why. */
int staff_erlang(const struct model_spec *m, const struct staff_target *t, int n_targets,
                 int *agents, char *why, size_t cap);

/* The same by Erlang C, ignoring abandonment (the classic, which assumes callers never hang up;
 * abandonment targets then always hold). */
int staff_erlang_c(const struct model_spec *m, const struct staff_target *t, int n_targets,
                   int *agents, char *why, size_t cap);

/* The sim requirement of a model (agents per interval, no shifts; steady mode: one interval):
 * from the erlang
 * answer (or the config's staffing when erlang cannot), add an agent to the cheapest group able
 * to help in every interval failing a target, simulating the whole day each round (intervals
 * interact), until every target holds at the unfavourable end of its 95 % interval; then remove
 * every agent no target needs.  m's staffing is left set to the answer.  Returns 0, or -1 with
 * the reason in why; *simulations counts the day simulations run. */
int staff_sim(struct model_spec *m, const struct staff_target *t, int n_targets, int *agents,
              const struct sim_hooks *hooks, int *simulations, char *why, size_t cap);

/* The iterative staffing algorithm (Feldman, Mandelbaum, Massey and Whitt, Management Science
 * 54(2), 2008) for one group serving one channel with a delay-probability target F
 * (CHANNEL:wait=F), on the config's intervals (a fine grid such as 5 minutes): from the erlang
 * answer, simulate with staffing s_k, and set s_{k+1}(i) to the least s with P(N_i >= s) <= F,
 * N_i the contacts in the system as interval i opens, estimated over the replications; until
 * the staffing repeats (at most 20 iterations).  *iterations is set.  Returns 0, or -1 with the
 * reason in why. */
int staff_isa(struct model_spec *m, const struct staff_target *t, int n_targets, int *agents,
              const struct sim_hooks *hooks, int *iterations, char *why, size_t cap);

/* Rounds agents up to planning intervals of per_plan fine intervals, each block (from the start of
 * each day) at the most of its intervals, per group. */
void staff_round_up(const struct model_spec *m, int *agents, int per_plan);

#endif
