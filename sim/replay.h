/* replay: the models that `ccsim replay` and `ccsim validate` build from a fitted log
 * (docs/logs.md).  The replay model has one day per log day, zero arrival rates and each day's
 * logged agents (or a staffing file); the logged contacts are its trace.  The fitted model is
 * the config `ccsim fit` writes.  Both are written to a temporary config and loaded like any
 * other, so that they are checked and reported like `ccsim run`. */
#ifndef CCSIM_REPLAY_H
#define CCSIM_REPLAY_H

#include "diag.h"
#include "logfit.h"
#include "model.h"

/* Loads the replay model of f (staffing: a staffing CSV, or NULL for the logged agents) with
 * reps replications from seed.  Returns 0, or -1 with the loader's problems in d. */
int replay_load(const struct fit *f, const char *staffing, long reps, long seed,
                struct model_spec *m, struct diag *d);

/* Loads the model `ccsim fit` writes for f, with reps replications from seed.  Returns 0, or -1
 * with the problems in d. */
int replay_load_fitted(const struct fit *f, long reps, long seed, struct model_spec *m,
                       struct diag *d);

/* The logged contacts that reached the agents and were handled or abandoned, in the replay
 * model's time, sorted.  Caller frees. */
struct sim_trace_call *replay_trace(const struct fit *f, size_t *n);

#endif
