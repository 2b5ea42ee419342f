/* state: the state of a center at a moment (docs/state.md), read with `ccsim run --state FILE`
 * to start every replication there, and written by `--dump-state TIME FILE`.  A state file is
 * libconfig: `states = ( STATE, ... )`, one STATE per replication (or one for all); a STATE
 * lists the contacts waiting, in service, in self-service and pending (retrials, repeats,
 * callbacks between tries, messaging customers away), and optionally the day's busyness factors
 * and absentees. */
#ifndef CCSIM_STATE_H
#define CCSIM_STATE_H

#include "diag.h"
#include "model.h"

#include <stdio.h>

enum state_kind {
    ST_WAITING,      /* in an agent queue (an email in the backlog, a callback keeping its place) */
    ST_IN_SERVICE,   /* with an agent */
    ST_SELF_SERVICE, /* in the channel's self-service front, due to leave it */
    ST_RETRIAL,      /* an issue whose next contact (a retrial) is due */
    ST_REPEAT,       /* an issue whose repeat contact is due */
    ST_CALLBACK,     /* a callback between two calls, due to be tried again */
    ST_REPLY,        /* a messaging customer away, due to answer */
    ST_N_KINDS
};

struct state_contact {
    enum state_kind kind;
    int channel;      /* the channel whose agents serve it (self-service, retrial, repeat: the
                       * channel it arrives on) */
    int segment;
    int group;        /* in service: the agent's group */
    double waited_s;  /* waiting, callback: since it joined the agents' queue; in service:
                       * elapsed service, s */
    double age_s;     /* since its arrival (>= waited_s), s */
    double due_s;     /* self-service, pending, callback, reply: due this long after the state's
                       * time, s */
    int attempt;      /* its number within its issue (pending: the contact to come), >= 1 */
    int callback;     /* waiting: accepted a callback */
    int tries;        /* callback: calls already made */
    int exchanges;    /* messaging: agent replies still to come, this one included */
    int line;         /* in the state file, for messages */
};

struct state_snapshot {
    double time_s;           /* sim time of the state (model_day_time) */
    int n;
    struct state_contact *contacts; /* owned */
    double *busyness;        /* per busyness group: today's factor, or NAN to draw it */
    int *absent;             /* per group: scheduled agents absent for the rest of the day, -1 to
                              * draw absence as usual */
};

struct sim_state {
    int n;
    struct state_snapshot *snaps; /* owned */
};

/* Loads path against model m.  Returns 0, or -1 with the problems in *d (each with its line). */
int state_load(const char *path, const struct model_spec *m, struct sim_state *out,
               struct diag *d);
void state_free(struct sim_state *s);

/* Writes the header and opening of a state file, one snapshot (replication rep) per call, and
 * the close. */
void state_write_begin(FILE *f, const char *config, double time_s, const struct model_spec *m);
void state_write_snapshot(FILE *f, const struct model_spec *m, int rep,
                          const struct state_snapshot *s);
void state_write_end(FILE *f);

/* "HH:MM" on day 1, or "D/HH:MM" on day D, to sim time; -1 when malformed or outside the
 * opening hours. */
double state_parse_time(const char *text, const struct model_spec *m);

#endif
