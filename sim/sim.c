/* sim: one replication of the model, and the loop over replications.
 *
 * A replication owns a calendar, a pool of contacts (free list, grows by doubling), the agents,
 * one FIFO queue per channel (an intrusive doubly-linked list, so an abandoning contact leaves in
 * O(1)), the random streams and the tallies.  It is allocated once and reset per replication; the
 * event loop does not allocate once the pools have grown.
 *
 * Channels: voice and email take an agent's whole attention; chat and messaging take one of the
 * agent's `concurrency` slots, with a handle time fixed at assignment (work times the group's
 * slowdown for the number of contacts then held).  A messaging conversation alternates agent
 * replies and customer-away periods; the slot is free while the customer is away and the
 * conversation re-queues when they answer.  Email never abandons and, at the close, waits for the
 * next day, while real-time work is followed to its end by the agents on duty (overtime).
 *
 * Routing without scans: each group keeps its available agents in buckets by contacts held
 * (bucket 0 holds the idle agents, longest idle first).  A new contact tries the groups with its
 * channel as a skill, in config order: voice and email take the head of bucket 0, chat and
 * messaging the head of the lowest non-empty bucket (O(concurrency)).  An agent with room takes the
 * head of the first non-empty queue among its skills in priority order (O(skills)).
 *
 * Common random numbers: a contact's work content, patience and number of exchanges are drawn
 * when it arrives, from its channel's streams, in arrival order; so two configurations that differ
 * only in staffing see the same customers.  (Messaging work and away times after the first
 * exchange are drawn as they happen.)  Patience timers are cancelled lazily: the contact's
 * generation changes when it is answered or freed, and a timer whose tag no longer matches is
 * dropped when it pops.
 *
 * Invariant, checked at the end of every replication: arrivals = handled + abandoned + still in
 * the system, over all contacts and over the counted ones. */
#include "model.h"
#include "calendar.h"
#include "rng.h"
#include "state.h"
#include "util.h"
#include "ziggurat.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIL     UINT32_MAX

/* The purposes drawn in arrival order from one stream per channel.  Arrivals have a stream per
 * (channel, segment), busyness, absence and shrinkage one per group, and wrap-up, later
 * messaging exchanges and transfers use per-contact uniforms (rng_contact_uniform). */
static const int channel_purposes[] = {RNG_SERVICE, RNG_PATIENCE, RNG_EXCHANGES,
                                       RNG_SELF_SERVICE, RNG_BALK};
#define N_CHANNEL_PURPOSES (sizeof channel_purposes / sizeof channel_purposes[0])
#define DAY_S   86400.0

/* Event kinds, and their priorities at equal times: staffing changes first (an arrival at an
 * interval boundary meets the new interval's agents), then service ends (an agent freed at the
 * instant a patience runs out still answers), then abandonment, then customer replies, then
 * arrivals. */
enum ev_kind {
    EV_STAFFING,
    EV_SCHEDULE,
    EV_SERVICE_END,
    EV_WRAP_END,
    EV_PATIENCE,
    EV_SS_END,
    EV_REPLY,
    EV_ARRIVAL,
    EV_SHRINK_DUE,
    EV_SHRINK_END,
    EV_OVERFLOW,
    EV_PAUSE_END,
    EV_FOLLOWUP,  /* a retrial or repeat contact arrives */
    EV_CB_RETRY,  /* an unreached callback is due to be tried again */
    EV_INCIDENT,  /* an incident's extra arrival */
    EV_DUMP,      /* write the replication's state (--dump-state) */
    EV_TRACE      /* a replayed contact arrives (ccsim replay) */
};
static const unsigned ev_prio[] = {0, 1, 2, 2, 3, 4, 5, 6, 1, 1, 3, 1, 6, 5, 6, 0, 6};

/* C_PENDING: an issue between two of its contacts (the slot carries it to the next one);
 * C_PARKED: the same, due after the run's last close (open at the end); C_CB_WAIT: a callback
 * between two tries. */
enum contact_state {
    C_FREE,
    C_WAITING,
    C_SERVICE,
    C_AWAY,
    C_SELF_SERVICE,
    C_WRAP,
    C_PENDING,
    C_PARKED,
    C_CB_WAIT
};

/* What became of a contact, for the call log. */
enum outcome {
    OUT_HANDLED,
    OUT_ABANDONED,
    OUT_BALKED,
    OUT_BLOCKED,
    OUT_DEFLECTED,
    OUT_GAVE_UP,
    OUT_UNREACHED
};
static const char *const outcome_names[] = {"handled", "abandoned", "balked", "blocked", "deflected",
                                            "gave_up_in_self_service", "unreached"};
static const char *const kind_names[] = {"first", "retrial", "repeat"};

/* What a finished contact means for its issue. */
enum issue_step {
    STEP_RESOLVED,   /* handled and resolved, or resolved in self-service */
    STEP_UNSERVED,   /* reached no agent: the customer may try again */
    STEP_UNRESOLVED, /* handled, not resolved: the customer may come back */
    STEP_GAVE_UP     /* left for good */
};

/* The per-contact uniforms of RNG_JOURNEY, by decision. */
enum journey_draw { J_RETRY, J_RETRY_DELAY, J_RESOLVE, J_REPEAT, J_REPEAT_DELAY, J_CB_ACCEPT,
                    J_CHURN };
/* The per-contact uniforms of RNG_FOLLOWUP, by attribute. */
enum followup_draw { F_SERVICE, F_PATIENCE, F_EXCHANGES, F_BALK, F_SS_TIME, F_SS_SUCCESS,
                     F_SS_ESCALATE };

struct contact {
    /* The integers and flags first: they fill the first cache line, which is all most events
     * read (the event loop prefetches it); the times follow. */
    uint64_t id;       /* contact serial number in the replication (the call log's contact_id) */
    uint64_t issue;    /* its issue's number: the fresh-arrival serial of the issue's first
                        * contact */
    uint32_t gen;      /* bumped when assigned or freed: invalidates pending timers */
    uint32_t prev;     /* queue links, or free-list link in next */
    uint32_t next;
    uint32_t agent;    /* who holds it (or last held it) */
    int32_t cls;       /* tally index (interval * n_channels + channel), -1 when not counted */
    uint16_t channel;  /* the channel whose agents serve it (after any escalation) */
    uint16_t front;    /* the channel it arrived on */
    uint16_t segment;
    uint16_t exchanges_left; /* messaging: agent replies still to come, this one included */
    uint8_t state;     /* enum contact_state */
    uint8_t answered;  /* an agent has taken it at least once */
    uint8_t escalated; /* came from a failed self-service */
    uint8_t joined;    /* was offered to its channel's agents */
    uint8_t skill;     /* the agent's skill it was taken under */
    uint8_t ss_outcome; /* decided at arrival: 0 resolved, 1 escalates, 2 gives up */
    uint16_t attempt;  /* contacts of its issue before this one */
    uint16_t repeats;  /* repeat contacts of its issue so far, this one included */
    uint8_t kind;      /* 0 first, 1 retrial, 2 repeat */
    uint8_t counted;   /* its issue is counted */
    uint8_t callback;  /* accepted a callback: waits off the line, never abandons */
    uint16_t cb_tries; /* callback calls made */
    uint8_t cb_deferred; /* a callback's next try waits for the next opening: not pending work */
    uint8_t cb_failing; /* the agent's current call will not reach the customer */
    uint8_t issue_end; /* for the log: 0 the issue goes on, 1 resolved, 2 gave up */
    uint8_t churned;   /* for the log: the customer churned at the issue's end */
    double end_s;      /* when the current service ends, s */
    double work_s;     /* work of the next (or current) exchange, s */
    double worked_s;   /* agent time spent on it so far, s (slowdown included) */
    double wrap_s;     /* after-contact work the agent does once the customer has gone, s */
    double queue_s;    /* when it joined the agents' queue (after any self-service), s */
    double service_start_s; /* when the current service began, s */
    double arrival_s;  /* s */
    double issue_wait_s;  /* its issue's waiting for agents so far, s */
    double rate;       /* duration per unit of work content in the current service */
    double patience_s; /* s; infinite when the channel has no abandonment */
    double answer_s;   /* first answer, s */
    double enqueue_s;  /* when it last entered a queue (a messaging reply re-queues), s */
    double pushed_s;   /* when it last entered a queue, for the sum of queue stays, s */
    double issue_start_s; /* its issue's first arrival, s */
    double overflow_s; /* the longest route-step wait reached by an overflow event, s */
    double next_overflow_s; /* the step wait of the pending overflow event, s */
    double due_s;      /* pending, callback between tries, messaging away: when it comes due, s */
    double balk_u;     /* uniform draw deciding a balk, drawn at arrival */
};

/* Issue counters of one segment in one replication (counted issues). */
struct journey_tally {
    uint64_t issues, resolved, gave_up, first_contact, contacts, churned;
    double wait_s, resolution_s, churn_cost;
};

struct queue {
    uint32_t head, tail; /* contact slots, NIL when empty */
    uint32_t len;
};

/* An intrusive FIFO of agents (available by load, or leaving). */
struct agent_list {
    uint32_t head, tail;
    uint32_t n;
};

struct agent {
    uint32_t group;
    uint32_t prev, next; /* links in the list the agent is on */
    int32_t list;        /* -1 none, 0..K-1 bucket by load, K the leaving list */
    uint16_t load;       /* contacts in hand */
    uint8_t exclusive;   /* holding voice or email: takes nothing else */
    uint8_t on_duty;     /* on the floor */
    uint8_t leaving;     /* off duty once its hands are empty */
    uint8_t shrinking;   /* off the floor for a shrinkage period */
    uint8_t paused;      /* on the floor, idle and not taking work (occupancy cap) */
    uint32_t gen;        /* bumped at each idle start: invalidates a pending shrinkage check */
    uint32_t in_hand;    /* the voice or email contact held (when exclusive) */
    double debt_s;       /* shrinkage owed, s, as of debt_since */
    double debt_since;   /* start of the current floor period, s */
};

/* A change of a group's schedule: from t on, `plan` agents are scheduled on the floor and
 * `target` of them are present (absences removed). */
struct change {
    double t;
    int plan, target;
};

struct group_run {
    uint32_t first_agent;     /* agents [first_agent, first_agent + pool) belong to the group */
    uint32_t pool;            /* most agents the group ever has on duty */
    int K;                    /* concurrency */
    struct agent_list *lists; /* K buckets by load, the leaving list, then agents busy with a
                               * contact another channel may interrupt */
    uint32_t *off;            /* stack of off-duty agents */
    uint32_t n_off;
    int target;               /* agents the schedule wants on duty now */
    int on_duty;              /* agents on duty (available, busy or leaving) */
    int release_pending;      /* busy agents to mark leaving at their next chance */
    int plan;                 /* agents the schedule plans on the floor (before absence) */
    int shrinking;            /* agents in a shrinkage period */
    int busy;                 /* agents holding at least one contact */
    double staffed_since;     /* last change of on_duty, target, plan or shrinking, s */
    double recent_occupancy;  /* exponential average of busy / on the floor, as of
                               * staffed_since (occupancy cap) */
    struct change *sched;     /* this replication's schedule, by time */
    int n_sched, cap_sched;
};

struct rep {
    const struct model_spec *m;
    int nc, ng, n_total;    /* channels, groups, intervals over all days */
    int ns;                 /* segments */
    int has_balking;        /* some channel balks: draw the balking uniform for every arrival */
    int has_overflow;       /* some route step waits before its group may serve */
    uint8_t *interruptible; /* per channel: some channel may interrupt its contacts */
    struct cal cal;
    struct contact *contacts;
    uint32_t n_slots, free_head;
    struct agent *agents;
    uint16_t *held;         /* [agent][channel] contacts in hand */
    struct group_run *groups;
    struct queue *queues;   /* per channel */
    int **routes;           /* per channel: groups with the skill, in config order */
    int *n_routes;
    /* Per class (channel x segment): the (group, skill) pairs that serve it, config order. */
    int **class_routes;     /* pairs flattened: group, skill, group, skill, ... */
    double **class_after;   /* per class and route step: wait before the step's group may serve */
    int *n_class_routes;
    double *after;          /* [class][group]: wait before group may serve the class, -1 never */
    uint32_t *waiting;      /* per channel: contacts waiting, all segments */
    gsl_rng **rng[RNG_N_PURPOSES]; /* per purpose, per channel; NULL for the purposes that are
                                    * not drawn from channel streams */
    gsl_rng **rng_arrival;  /* per (channel, segment) stream */
    gsl_rng **rng_busy;     /* per busyness group */
    double *busy_factor;    /* [group][day] this replication's busyness */
    int *busy;              /* per channel: agents holding at least one of its contacts */
    int *slots;             /* per channel: its contacts in hand */
    int busy_total;         /* agents holding anything */
    double *busy_since, *slots_since, busy_total_since;
    /* Time-weighted sums per bucket: buckets 0..n_total-1 are the intervals; bucket n_total holds
     * time after a close (day) or outside the measured window (steady). */
    int bucket;
    double *busy_s;       /* [bucket][channel] agent-seconds */
    double *slot_s;       /* [bucket][channel] slot-seconds */
    double *busy_total_s; /* [bucket] agent-seconds */
    double *staffed_s;    /* [bucket][group] agent-seconds on the floor */
    double *overrun_s;    /* [bucket][group] agent-seconds present beyond the schedule */
    double *plan_s;       /* [bucket][group] agent-seconds scheduled */
    double *paid_s;       /* [bucket][group] agent-seconds on the floor or in shrinkage */
    double *group_busy_s; /* [bucket][group] agent-seconds holding a contact */
    double *skill_s;      /* [bucket][group][skill] agent-seconds on the skill's contacts */
    int max_skills;
    double *bucket_s;     /* [bucket] simulated seconds spent in it */
    double bucket_since;
    double *skill_held;   /* [group][skill] agents' share busy on the skill now */
    double *skill_since;  /* [group][skill] last change, s */
    gsl_rng **rng_absence, **rng_shrink; /* per group */
    struct tally *tallies; /* [interval][channel], counted contacts only */
    struct tally *seg_tallies; /* [segment], counted contacts only */
    struct tally scratch;  /* aggregation space */
    /* Replication state. */
    uint64_t arrivals, handled, abandoned, lost, in_system; /* lost: never reached an agent */
    uint64_t counted_open;  /* counted contacts still in the system */
    uint64_t *open_by_channel; /* the same, per channel, once offered to the channel's agents */
    uint64_t counted_in_ss;    /* counted contacts in self-service */
    uint32_t *away;         /* per channel: messaging conversations with the customer away */
    uint32_t *cb_waiting;   /* per channel: callbacks between two tries */
    uint32_t *ss_coming;    /* per channel: contacts in self-service that will escalate to it */
    struct journey_tally *jt; /* per segment */
    gsl_rng **rng_incident; /* per incident and channel */
    uint64_t issues_open;   /* every issue, counted or not */
    uint64_t counted_issues_open, counted_pending; /* counted issues open; of them between
                                                    * contacts */
    long long contact_serial; /* contacts so far (fresh, follow-ups and incident contacts) */
    uint64_t prior_contacts; /* contacts the issues of a starting state made before it */
    /* Sample-path sums for Little's law, over the whole replication. */
    uint64_t n_waiting;     /* contacts in agent queues */
    double queue_area, queue_since, queue_waits;
    double issue_area, issue_since, issue_time;
    long long serial;       /* arrivals so far, across channels */
    size_t trace_at;        /* replay: the next logged contact */
    const struct sim_trace_call *trace_call; /* replay: the contact being entered, else NULL */
    int closed;             /* day mode: between a close and the next opening */
    int final_closed;       /* day mode: past the last close */
    int on_duty_total;
    uint64_t events, stale;
    int shrinking_total;
    int rep_index;
    FILE *log;                     /* call log, or NULL */
    FILE *dump;                    /* where --dump-state writes this replication, or NULL */
    int inner_progress;            /* report progress inside the replication (one thread) */
    const struct sim_hooks *hooks; /* borrowed; may be NULL */
};

static double now_s(const struct rep *r)
{
    return r->cal.now_s;
}

/* ==== Setup ==== */

static struct rep *rep_alloc(const struct model_spec *m)
{
    struct rep *r = xcalloc(1, sizeof *r);
    int nc = m->n_channels, ng = m->n_groups, nt = model_total_intervals(m);
    r->m = m;
    r->ns = m->n_segments > 0 ? m->n_segments : 1;
    for (int c = 0; c < nc; c++)
        if (m->channels[c].balking != BALK_NONE) r->has_balking = 1;
    r->nc = nc;
    r->ng = ng;
    r->n_total = nt;
    cal_init(&r->cal);
    r->n_slots = 1024;
    r->contacts = xcalloc(r->n_slots, sizeof *r->contacts);
    r->groups = xcalloc((size_t)ng, sizeof *r->groups);
    uint32_t n_agents = 0;
    for (int g = 0; g < ng; g++) {
        int pool = 0;
        for (int i = 0; i < nt; i++)
            if (m->groups[g].agents[i] > pool) pool = m->groups[g].agents[i];
        struct group_run *gr = &r->groups[g];
        gr->first_agent = n_agents;
        gr->pool = (uint32_t)pool;
        gr->K = m->groups[g].concurrency;
        gr->lists = xcalloc((size_t)gr->K + 2, sizeof *gr->lists);
        gr->off = xcalloc((size_t)pool, sizeof(uint32_t));
        n_agents += (uint32_t)pool;
    }
    r->agents = xcalloc(n_agents, sizeof *r->agents);
    r->held = xcalloc((size_t)n_agents * nc, sizeof *r->held);
    for (int g = 0; g < ng; g++)
        for (uint32_t a = 0; a < r->groups[g].pool; a++)
            r->agents[r->groups[g].first_agent + a].group = (uint32_t)g;
    int ns = m->n_segments > 0 ? m->n_segments : 1;
    r->queues = xcalloc((size_t)nc * ns, sizeof *r->queues);
    r->waiting = xcalloc((size_t)nc, sizeof(uint32_t));
    r->class_routes = xcalloc((size_t)nc * ns, sizeof *r->class_routes);
    r->n_class_routes = xcalloc((size_t)nc * ns, sizeof(int));
    r->interruptible = xcalloc((size_t)nc, 1);
    for (int c = 0; c < nc; c++)
        for (int d = 0; m->channels[c].interrupts && d < nc; d++)
            if (m->channels[c].interrupts[d]) r->interruptible[d] = 1;
    for (size_t i = 0; m->eligible_after_s && i < (size_t)nc * ns * ng; i++)
        if (m->eligible_after_s[i] > 0) r->has_overflow = 1;
    r->class_after = xcalloc((size_t)nc * ns, sizeof *r->class_after);
    r->after = xcalloc((size_t)nc * ns * ng, sizeof(double));
    for (int q = 0; q < nc * ns; q++) {
        r->class_routes[q] = xcalloc((size_t)ng * 2, sizeof(int));
        r->class_after[q] = xcalloc((size_t)ng, sizeof(double));
        for (int g = 0; g < ng; g++)
            r->after[(size_t)q * ng + g] = -1;
        for (int i = 0; i < ng; i++) {
            int g = m->route_order ? m->route_order[(size_t)q * ng + i] : i;
            if (g < 0) break;
            double after = m->eligible_after_s ? m->eligible_after_s[(size_t)q * ng + g] : 0;
            if (after < 0) continue;
            const struct group_spec *gs = &m->groups[g];
            for (int k = 0; k < gs->n_skills; k++) {
                int seg = group_skill_segment(gs, k);
                if (gs->skills[k] != q / ns || (seg >= 0 && seg != q % ns)) continue;
                int n = r->n_class_routes[q]++;
                r->class_routes[q][2 * n] = g;
                r->class_routes[q][2 * n + 1] = k;
                r->class_after[q][n] = after;
                r->after[(size_t)q * ng + g] = after;
                break; /* the group's first matching skill, in its priority order */
            }
        }
    }
    r->routes = xcalloc((size_t)nc, sizeof *r->routes);
    r->n_routes = xcalloc((size_t)nc, sizeof *r->n_routes);
    for (int c = 0; c < nc; c++) {
        r->routes[c] = xcalloc((size_t)ng, sizeof(int));
        for (int g = 0; g < ng; g++)
            for (int s = 0; s < m->groups[g].n_skills; s++)
                if (m->groups[g].skills[s] == c) {
                    /* Once, even with one skill per segment on this channel. */
                    r->routes[c][r->n_routes[c]++] = g;
                    break;
                }
    }
    for (size_t i = 0; i < N_CHANNEL_PURPOSES; i++) {
        int p = channel_purposes[i];
        r->rng[p] = xcalloc((size_t)nc, sizeof(gsl_rng *));
        for (int c = 0; c < nc; c++)
            r->rng[p][c] = rng_alloc();
    }
    r->rng_arrival = xcalloc((size_t)nc * r->ns, sizeof(gsl_rng *));
    for (int i = 0; i < nc * r->ns; i++)
        r->rng_arrival[i] = rng_alloc();
    r->rng_busy = xcalloc((size_t)m->n_busyness + 1, sizeof(gsl_rng *));
    for (int b = 0; b < m->n_busyness; b++)
        r->rng_busy[b] = rng_alloc();
    r->busy_factor = xcalloc(((size_t)m->n_busyness + 1) * (size_t)m->n_days, sizeof(double));
    r->seg_tallies = xcalloc((size_t)r->ns, sizeof *r->seg_tallies);
    r->busy = xcalloc((size_t)nc, sizeof(int));
    r->slots = xcalloc((size_t)nc, sizeof(int));
    r->busy_since = xcalloc((size_t)nc, sizeof(double));
    r->slots_since = xcalloc((size_t)nc, sizeof(double));
    r->busy_s = xcalloc((size_t)(nt + 1) * nc, sizeof(double));
    r->slot_s = xcalloc((size_t)(nt + 1) * nc, sizeof(double));
    r->busy_total_s = xcalloc((size_t)nt + 1, sizeof(double));
    r->staffed_s = xcalloc((size_t)(nt + 1) * ng, sizeof(double));
    r->overrun_s = xcalloc((size_t)(nt + 1) * ng, sizeof(double));
    r->plan_s = xcalloc((size_t)(nt + 1) * ng, sizeof(double));
    r->paid_s = xcalloc((size_t)(nt + 1) * ng, sizeof(double));
    r->group_busy_s = xcalloc((size_t)(nt + 1) * ng, sizeof(double));
    for (int g = 0; g < ng; g++)
        if (m->groups[g].n_skills > r->max_skills) r->max_skills = m->groups[g].n_skills;
    r->skill_s = xcalloc((size_t)(nt + 1) * ng * r->max_skills, sizeof(double));
    r->bucket_s = xcalloc((size_t)nt + 1, sizeof(double));
    r->skill_held = xcalloc((size_t)ng * r->max_skills, sizeof(double));
    r->skill_since = xcalloc((size_t)ng * r->max_skills, sizeof(double));
    r->rng_absence = xcalloc((size_t)ng, sizeof(gsl_rng *));
    r->rng_shrink = xcalloc((size_t)ng, sizeof(gsl_rng *));
    for (int g = 0; g < ng; g++) {
        r->rng_absence[g] = rng_alloc();
        r->rng_shrink[g] = rng_alloc();
    }
    r->tallies = xcalloc((size_t)nt * nc, sizeof *r->tallies);
    r->away = xcalloc((size_t)nc, sizeof(uint32_t));
    r->cb_waiting = xcalloc((size_t)nc, sizeof(uint32_t));
    r->ss_coming = xcalloc((size_t)nc, sizeof(uint32_t));
    r->jt = xcalloc((size_t)r->ns, sizeof *r->jt);
    r->rng_incident = xcalloc((size_t)m->n_incidents * nc + 1, sizeof(gsl_rng *));
    for (int i = 0; i < m->n_incidents * nc; i++)
        r->rng_incident[i] = rng_alloc();
    r->open_by_channel = xcalloc((size_t)nc, sizeof(uint64_t));
    return r;
}

static void rep_free(struct rep *r)
{
    if (r == NULL) return;
    cal_fini(&r->cal);
    free(r->contacts);
    for (int g = 0; g < r->ng; g++) {
        free(r->groups[g].sched);
        free(r->groups[g].lists);
        free(r->groups[g].off);
    }
    free(r->groups);
    free(r->agents);
    free(r->held);
    for (int q = 0; q < r->nc * r->ns; q++) {
        free(r->class_routes[q]);
        free(r->class_after[q]);
    }
    free(r->class_routes);
    free(r->class_after);
    free(r->after);
    free(r->n_class_routes);
    free(r->waiting);
    free(r->interruptible);
    free(r->queues);
    for (int c = 0; c < r->nc; c++)
        free(r->routes[c]);
    for (size_t i = 0; i < N_CHANNEL_PURPOSES; i++) {
        int p = channel_purposes[i];
        for (int c = 0; c < r->nc; c++)
            gsl_rng_free(r->rng[p][c]);
        free(r->rng[p]);
    }
    for (int i = 0; i < r->nc * r->ns; i++)
        gsl_rng_free(r->rng_arrival[i]);
    free(r->rng_arrival);
    for (int b = 0; b < r->m->n_busyness; b++)
        gsl_rng_free(r->rng_busy[b]);
    free(r->rng_busy);
    free(r->busy_factor);
    free(r->seg_tallies);
    free(r->routes);
    free(r->n_routes);
    free(r->busy);
    free(r->slots);
    free(r->busy_since);
    free(r->slots_since);
    free(r->busy_s);
    free(r->slot_s);
    free(r->busy_total_s);
    free(r->staffed_s);
    free(r->overrun_s);
    free(r->plan_s);
    free(r->paid_s);
    free(r->group_busy_s);
    free(r->skill_s);
    free(r->bucket_s);
    free(r->skill_held);
    free(r->skill_since);
    for (int g = 0; g < r->ng; g++) {
        gsl_rng_free(r->rng_absence[g]);
        gsl_rng_free(r->rng_shrink[g]);
    }
    free(r->rng_absence);
    free(r->rng_shrink);
    free(r->tallies);
    free(r->away);
    free(r->cb_waiting);
    free(r->ss_coming);
    free(r->jt);
    for (int i = 0; i < r->m->n_incidents * r->nc; i++)
        gsl_rng_free(r->rng_incident[i]);
    free(r->rng_incident);
    free(r->open_by_channel);
    free(r);
}

/* ==== Contacts and queues ==== */

static uint32_t contact_alloc(struct rep *r)
{
    if (r->free_head == NIL) {
        uint32_t old = r->n_slots;
        SIM_ENSURE(old < NIL / 2);
        r->n_slots = old * 2;
        r->contacts = xrealloc(r->contacts, r->n_slots * sizeof *r->contacts);
        memset(r->contacts + old, 0, (r->n_slots - old) * sizeof *r->contacts);
        for (uint32_t i = old; i < r->n_slots; i++)
            r->contacts[i].next = i + 1 < r->n_slots ? i + 1 : NIL;
        r->free_head = old;
    }
    uint32_t k = r->free_head;
    r->free_head = r->contacts[k].next;
    return k;
}

static void contact_free(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    ct->state = C_FREE;
    ct->gen++;
    cal_cancel(&r->cal, CAL_LANE_TIMERS, k);
    ct->next = r->free_head;
    r->free_head = k;
}

/* The key of a contact's own uniforms: its issue and attempt.  A first contact's key is its
 * issue number, the fresh-arrival serial, so models without journeys draw what they always did. */
static uint64_t contact_key(const struct contact *ct)
{
    return ct->issue | (uint64_t)ct->attempt << 48;
}

static double contact_u(const struct rep *r, const struct contact *ct, unsigned purpose,
                        uint64_t k)
{
    return rng_contact_uniform(r->m->seed, (uint64_t)r->rep_index, purpose, contact_key(ct), k);
}

/* Little's law sums: the time integral of the contacts in agent queues. */
static void flush_queue_area(struct rep *r)
{
    r->queue_area += (double)r->n_waiting * (now_s(r) - r->queue_since);
    r->queue_since = now_s(r);
}

static void flush_issue_area(struct rep *r)
{
    r->issue_area += (double)r->issues_open * (now_s(r) - r->issue_since);
    r->issue_since = now_s(r);
}

/* The queue of the contact's class: its channel and segment. */
static int class_of(const struct rep *r, const struct contact *ct)
{
    return ct->channel * r->ns + ct->segment;
}

static void queue_push(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    struct queue *q = &r->queues[class_of(r, ct)];
    r->waiting[ct->channel]++;
    flush_queue_area(r);
    r->n_waiting++;
    ct->enqueue_s = ct->pushed_s = now_s(r);
    ct->state = C_WAITING;
    ct->prev = q->tail;
    ct->next = NIL;
    if (q->tail != NIL)
        r->contacts[q->tail].next = k;
    else
        q->head = k;
    q->tail = k;
    q->len++;
}

/* Puts a contact back at the head of its queue: an interrupted contact resumes first. */
static void queue_push_front(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    struct queue *q = &r->queues[class_of(r, ct)];
    r->waiting[ct->channel]++;
    flush_queue_area(r);
    r->n_waiting++;
    ct->pushed_s = now_s(r);
    ct->state = C_WAITING;
    ct->enqueue_s = ct->queue_s; /* its place is its first arrival in the queue */
    ct->prev = NIL;
    ct->next = q->head;
    if (q->head != NIL)
        r->contacts[q->head].prev = k;
    else
        q->tail = k;
    q->head = k;
    q->len++;
}

static void queue_unlink(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    struct queue *q = &r->queues[class_of(r, ct)];
    r->waiting[ct->channel]--;
    flush_queue_area(r);
    r->n_waiting--;
    r->queue_waits += now_s(r) - ct->pushed_s;
    if (ct->prev != NIL)
        r->contacts[ct->prev].next = ct->next;
    else
        q->head = ct->next;
    if (ct->next != NIL)
        r->contacts[ct->next].prev = ct->prev;
    else
        q->tail = ct->prev;
    q->len--;
}

/* ==== Time-weighted accounting ==== */

static void flush_busy(struct rep *r, int c)
{
    double t = now_s(r);
    r->busy_s[(size_t)r->bucket * r->nc + c] += r->busy[c] * (t - r->busy_since[c]);
    r->busy_since[c] = t;
}

static void flush_slots(struct rep *r, int c)
{
    double t = now_s(r);
    r->slot_s[(size_t)r->bucket * r->nc + c] += r->slots[c] * (t - r->slots_since[c]);
    r->slots_since[c] = t;
}

static void flush_busy_total(struct rep *r)
{
    double t = now_s(r);
    r->busy_total_s[r->bucket] += r->busy_total * (t - r->busy_total_since);
    r->busy_total_since = t;
}

static void flush_staffed(struct rep *r, int g)
{
    double t = now_s(r), dt = t - r->groups[g].staffed_since;
    struct group_run *gr = &r->groups[g];
    size_t i = (size_t)r->bucket * r->ng + g;
    int over = gr->on_duty + gr->shrinking - gr->target;
    r->staffed_s[i] += gr->on_duty * dt;
    r->overrun_s[i] += (over > 0 ? over : 0) * dt;
    r->plan_s[i] += gr->plan * dt;
    r->paid_s[i] += (gr->on_duty + gr->shrinking) * dt;
    r->group_busy_s[i] += gr->busy * dt;
    const struct group_spec *gs = &r->m->groups[g];
    if (gs->occupancy_cap > 0 && dt > 0) {
        /* Exact for the piecewise-constant busy fraction since the last change. */
        double f = gr->on_duty > 0 ? (double)gr->busy / gr->on_duty : 0;
        gr->recent_occupancy = f + (gr->recent_occupancy - f) * exp(-dt / gs->cap_period_s);
    }
    gr->staffed_since = t;
}

/* Agent time on a skill's contacts: a whole agent for voice and email, 1/concurrency of one for
 * each chat or messaging contact. */
static void skill_change(struct rep *r, int g, int k, double delta)
{
    double t = now_s(r);
    size_t j = (size_t)g * r->max_skills + k;
    r->skill_s[((size_t)r->bucket * r->ng + g) * r->max_skills + k] +=
        r->skill_held[j] * (t - r->skill_since[j]);
    r->skill_held[j] += delta;
    r->skill_since[j] = t;
}

/* Closes the current accounting bucket and opens another. */
static void switch_bucket(struct rep *r, int bucket)
{
    for (int c = 0; c < r->nc; c++) {
        flush_busy(r, c);
        flush_slots(r, c);
    }
    flush_busy_total(r);
    for (int g = 0; g < r->ng; g++) {
        flush_staffed(r, g);
        for (int k = 0; k < r->m->groups[g].n_skills; k++)
            skill_change(r, g, k, 0);
    }
    r->bucket_s[r->bucket] += now_s(r) - r->bucket_since;
    r->bucket_since = now_s(r);
    r->bucket = bucket;
}

/* ==== Agent lists ==== */

static void list_remove(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    if (ag->list < 0) return;
    struct agent_list *l = &r->groups[ag->group].lists[ag->list];
    if (ag->prev != NIL)
        r->agents[ag->prev].next = ag->next;
    else
        l->head = ag->next;
    if (ag->next != NIL)
        r->agents[ag->next].prev = ag->prev;
    else
        l->tail = ag->prev;
    l->n--;
    ag->list = -1;
}

static void list_append(struct rep *r, uint32_t a, int list)
{
    struct agent *ag = &r->agents[a];
    struct agent_list *l = &r->groups[ag->group].lists[list];
    ag->list = list;
    ag->prev = l->tail;
    ag->next = NIL;
    if (l->tail != NIL)
        r->agents[l->tail].next = a;
    else
        l->head = a;
    l->tail = a;
    l->n++;
}

/* Puts an on-duty agent on the list its state calls for: leaving, the bucket of its load, or none
 * (full, or holding exclusive work).  Appending keeps each bucket FIFO by arrival in it. */
static void agent_place(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    int K = r->groups[ag->group].K;
    list_remove(r, a);
    if (ag->leaving)
        list_append(r, a, K);
    else if (!ag->exclusive && ag->load < K)
        list_append(r, a, ag->load);
    else if (ag->exclusive && r->interruptible[r->contacts[ag->in_hand].channel])
        list_append(r, a, K + 1);
}

/* ==== Assignments ==== */

static void assign(struct rep *r, uint32_t a, uint32_t k, int skill)
{
    struct contact *ct = &r->contacts[k];
    struct agent *ag = &r->agents[a];
    const struct channel_spec *ch = &r->m->channels[ct->channel];
    const struct group_spec *gs = &r->m->groups[ag->group];
    int c = ct->channel;
    double t = now_s(r);
    if (!ct->answered && ct->callback) {
        /* The agent calls the customer back; the call may not reach them. */
        if (contact_u(r, ct, RNG_CALLBACK, ct->cb_tries++) >= ch->callback.reach) {
            ct->cb_failing = 1;
        } else {
            double w = t - ct->queue_s;
            ct->answered = 1;
            ct->answer_s = t;
            ct->issue_wait_s += w;
            if (ct->cls >= 0) {
                struct tally *both[2] = {&r->tallies[ct->cls], &r->seg_tallies[ct->segment]};
                for (int i = 0; i < 2; i++) {
                    both[i]->cb_answered++;
                    both[i]->cb_wait_s += w;
                }
            }
        }
    } else if (!ct->answered) {
        ct->answered = 1;
        ct->answer_s = t;
        ct->issue_wait_s += t - ct->queue_s;
        if (ct->cls >= 0) {
            double w = t - ct->queue_s;
            struct tally *both[2] = {&r->tallies[ct->cls], &r->seg_tallies[ct->segment]};
            for (int i = 0; i < 2; i++) {
                both[i]->answered++;
                both[i]->wait_answered_s += w;
                both[i]->wait_all_s += w;
                if (w <= ch->sl_seconds) both[i]->answered_in_sl++;
                hist_add(&both[i]->wait_answered, w);
            }
        }
    }
    ct->state = C_SERVICE;
    ct->gen++;
    cal_cancel(&r->cal, CAL_LANE_TIMERS, k); /* the patience timer, if any, is moot */
    ct->agent = a;
    if (r->held[(size_t)a * r->nc + c]++ == 0) {
        flush_busy(r, c);
        r->busy[c]++;
    }
    if (ag->load++ == 0) {
        flush_busy_total(r);
        r->busy_total++;
        flush_staffed(r, (int)ag->group);
        r->groups[ag->group].busy++;
    }
    skill_change(r, (int)ag->group, skill,
                 channel_kind_slotted(ch->kind) ? 1.0 / gs->concurrency : 1.0);
    double duration = ct->cb_failing ? ch->callback.attempt_s : ct->work_s * group_proficiency(gs, skill);
    ct->skill = (uint8_t)skill;
    if (channel_kind_slotted(ch->kind)) {
        flush_slots(r, c);
        r->slots[c]++;
        duration *= gs->slowdown[ag->load - 1];
    } else {
        ag->exclusive = 1;
        ag->in_hand = k;
    }
    ct->worked_s += duration;
    ct->service_start_s = t;
    ct->end_s = t + duration;
    ct->rate = ct->work_s > 0 ? duration / ct->work_s : 1; /* agent s per s of work content */
    cal_push(&r->cal, t + duration, ev_prio[EV_SERVICE_END], EV_SERVICE_END, k, ct->gen);
}

/* Undoes assign's bookkeeping when the agent puts the contact down. */
static void release(struct rep *r, uint32_t a, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    struct agent *ag = &r->agents[a];
    int c = ct->channel;
    if (--r->held[(size_t)a * r->nc + c] == 0) {
        flush_busy(r, c);
        r->busy[c]--;
    }
    if (--ag->load == 0) {
        flush_busy_total(r);
        r->busy_total--;
        flush_staffed(r, (int)ag->group);
        r->groups[ag->group].busy--;
    }
    skill_change(r, (int)ag->group, ct->skill,
                 channel_kind_slotted(r->m->channels[c].kind)
                     ? -1.0 / r->m->groups[ag->group].concurrency
                     : -1.0);
    if (channel_kind_slotted(r->m->channels[c].kind)) {
        flush_slots(r, c);
        r->slots[c]--;
    }
    ag->exclusive = 0;
}

/* Work of channel c still to come to its agents without an arrival: waiting, a messaging
 * customer away, a callback between tries, an escalation from self-service. */
static int channel_queued(const struct rep *r, int c)
{
    return r->waiting[c] > 0 || r->away[c] > 0 || r->cb_waiting[c] > 0 || r->ss_coming[c] > 0;
}

/* Real-time work of channel c that will still need an agent: its own (channel_queued), or
 * contacts in service, or to come, on a channel that transfers to c.  (Contacts in service on c
 * need no one else.) */
static int channel_pending(const struct rep *r, int c)
{
    const struct model_spec *m = r->m;
    if (!channel_kind_real_time(m->channels[c].kind)) return 0;
    if (channel_queued(r, c)) return 1;
    for (int d = 0; d < r->nc; d++)
        if (m->channels[d].transfer_to == c + 1 && (r->busy[d] > 0 || channel_queued(r, d)))
            return 1;
    return 0;
}

/* No real-time work of the group's skills is pending, so after a close its idle agents may go. */
static int group_clear(const struct rep *r, int g)
{
    const struct group_spec *gs = &r->m->groups[g];
    for (int s = 0; s < gs->n_skills; s++)
        if (channel_pending(r, gs->skills[s])) return 0;
    return 1;
}

/* Puts agent a on the floor: from off duty (a new phase of shrinkage debt, drawn uniform in one
 * period so that shrinkage is spread over time) or back from a shrinkage period. */
static void come_on_floor(struct rep *r, uint32_t a, int from_off)
{
    struct agent *ag = &r->agents[a];
    struct group_run *gr = &r->groups[ag->group];
    const struct group_spec *gs = &r->m->groups[ag->group];
    flush_staffed(r, (int)ag->group);
    gr->on_duty++;
    r->on_duty_total++;
    ag->on_duty = 1;
    ag->list = -1;
    ag->debt_since = now_s(r);
    if (from_off)
        ag->debt_s = gs->shrinkage > 0
                         ? gsl_rng_uniform(r->rng_shrink[ag->group]) * gs->shrinkage_period_s
                         : 0;
}

/* An agent arriving starts as if its shrinkage cycle had been running: with probability s
 * inside a period (the rest of it uniform), else on the floor (come_on_floor's uniform debt).
 * That makes the cycle stationary from the start, so a fraction s of present time is shrinkage
 * from the first minute, not only in the long run.  Returns 1 when it starts in a period. */
static int starts_in_shrinkage(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    const struct group_spec *gs = &r->m->groups[ag->group];
    if (gs->shrinkage <= 0) return 0;
    gsl_rng *g = r->rng_shrink[ag->group];
    if (gsl_rng_uniform(g) >= gs->shrinkage) return 0;
    struct group_run *gr = &r->groups[ag->group];
    flush_staffed(r, (int)ag->group);
    ag->shrinking = 1;
    ag->debt_s = 0;
    ag->gen++;
    gr->shrinking++;
    r->shrinking_total++;
    cal_push(&r->cal, now_s(r) + gsl_rng_uniform(g) * gs->shrinkage_period_s,
             ev_prio[EV_SHRINK_END], EV_SHRINK_END, a, ag->gen);
    return 1;
}

static void go_off_duty(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    struct group_run *gr = &r->groups[ag->group];
    assert(ag->load == 0);
    list_remove(r, a);
    flush_staffed(r, (int)ag->group);
    gr->on_duty--;
    r->on_duty_total--;
    ag->on_duty = 0;
    ag->leaving = 0;
    gr->off[gr->n_off++] = a;
}

static int reservation_allows(const struct rep *r, int g, int c, int takes_idle);

/* The waiting contact an agent of group g holding `load` contacts takes: among the heads of the
 * queues of its skills that it may serve (channel kind, close, overflow delay, reservation), the
 * highest score (channel and segment priority plus the channel's rate times the wait), then the
 * earlier skill in the group's list, then the longest wait.  NIL when there is none.
 * O(skills x segments). */
static uint32_t pick_contact(const struct rep *r, int g, int load, int *skill)
{
    const struct model_spec *m = r->m;
    const struct group_spec *gs = &m->groups[g];
    double t = now_s(r), best_score = 0, best_wait = 0;
    uint32_t best = NIL;
    for (int k = 0; k < gs->n_skills; k++) {
        int c = gs->skills[k];
        const struct channel_spec *ch = &m->channels[c];
        if (load > 0 && !channel_kind_slotted(ch->kind)) continue;
        if (r->closed && !channel_kind_real_time(ch->kind)) continue;
        if (r->waiting[c] == 0) continue;
        if (!reservation_allows(r, g, c, 0)) continue;
        int seg = group_skill_segment(gs, k);
        for (int s = seg < 0 ? 0 : seg; s < (seg < 0 ? r->ns : seg + 1); s++) {
            int q = c * r->ns + s;
            uint32_t h = r->queues[q].head;
            if (h == NIL) continue;
            double waited = t - r->contacts[h].queue_s;
            double after = r->after[(size_t)q * r->ng + g];
            if (after < 0 || waited < after) continue;
            double score = ch->priority + (m->segments ? m->segments[s].priority : 0) +
                           ch->priority_per_s * waited;
            double queued = t - r->contacts[h].enqueue_s;
            if (best == NIL || score > best_score ||
                (score == best_score && k == *skill && queued > best_wait)) {
                best = h;
                best_score = score;
                best_wait = queued;
                *skill = k;
            }
        }
    }
    return best;
}

static int maybe_shrink(struct rep *r, uint32_t a, int due);

static void agent_fill(struct rep *r, uint32_t a);

/* Occupancy cap: while the group's recent occupancy is above the cap, a free agent pauses (on
 * the floor, idle, taking nothing) for cap_pause_s before its next contact.  Returns 1 when it
 * paused. */
static int maybe_pause(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    const struct group_spec *gs = &r->m->groups[ag->group];
    if (gs->occupancy_cap <= 0) return 0;
    flush_staffed(r, (int)ag->group);
    const struct group_run *gr = &r->groups[ag->group];
    /* Paused when the recent occupancy is above the cap, or when taking a contact now would put
     * more than the cap's share of the floor busy at once (so the time average cannot drift
     * above the cap between two decisions). */
    int over_now = gr->busy + 1 > gs->occupancy_cap * gr->on_duty;
    if (gr->recent_occupancy <= gs->occupancy_cap && !over_now) return 0;
    list_remove(r, a);
    ag->paused = 1;
    ag->gen++;
    cal_push(&r->cal, now_s(r) + gs->cap_pause_s, ev_prio[EV_PAUSE_END], EV_PAUSE_END, a, ag->gen);
    return 1;
}

/* Returns 0 for a stale pause end (the agent left the floor meanwhile). */
static int handle_pause_end(struct rep *r, uint32_t a, uint32_t tag)
{
    struct agent *ag = &r->agents[a];
    if (ag->gen != tag || !ag->paused) return 0;
    ag->paused = 0;
    agent_fill(r, a);
    return 1;
}

/* An on-duty agent whose hands have room: leaves if the schedule has shrunk, else fills its
 * capacity from the queues, else waits on its bucket (or, after a close with nothing left to
 * follow, goes off). */
static void agent_fill(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    int g = (int)ag->group;
    struct group_run *gr = &r->groups[g];
    if (!ag->leaving && gr->release_pending > 0) {
        ag->leaving = 1;
        gr->release_pending--;
    }
    if (ag->leaving) {
        if (ag->load == 0)
            go_off_duty(r, a);
        else
            agent_place(r, a);
        return;
    }
    /* A shrinkage period that fell due while the agent was busy starts now, at full length. */
    if (ag->load == 0 && !r->closed && maybe_shrink(r, a, 0)) return;
    if (ag->load == 0 && maybe_pause(r, a)) return;
    while (!ag->exclusive && ag->load < gr->K) {
        int skill = -1;
        uint32_t k = pick_contact(r, g, ag->load, &skill);
        /* (The skill index found is the one the contact is taken under.) */
        if (k == NIL) break;
        queue_unlink(r, k);
        assign(r, a, k, skill);
    }
    if (ag->load == 0 && r->closed && group_clear(r, g))
        go_off_duty(r, a);
    else
        agent_place(r, a);
}

/* Brings the group's on-duty count toward its target: leaving agents are kept first, then
 * off-duty agents come on; surplus idle agents leave at once (the most recently idle first) and
 * surplus busy agents leave when their hands are empty. */
static void apply_staffing(struct rep *r, int g, int target)
{
    struct group_run *gr = &r->groups[g];
    struct agent_list *idle = &gr->lists[0], *leaving = &gr->lists[gr->K];
    flush_staffed(r, g);
    gr->target = target;
    gr->release_pending = 0;
    /* Agents in a shrinkage period are present: they come back, then the count is settled. */
#define PRESENT (gr->on_duty + gr->shrinking)
    while (PRESENT - (int)leaving->n > target && idle->n > 0)
        go_off_duty(r, idle->tail);
    while (PRESENT - (int)leaving->n < target && leaving->n > 0) {
        uint32_t a = leaving->head;
        r->agents[a].leaving = 0;
        agent_fill(r, a);
    }
    while (PRESENT < target) {
        SIM_ENSURE(gr->n_off > 0);
        uint32_t a = gr->off[--gr->n_off];
        if (starts_in_shrinkage(r, a)) continue;
        come_on_floor(r, a, 1);
        agent_fill(r, a);
    }
    int surplus = PRESENT - (int)leaving->n - target;
#undef PRESENT
    gr->release_pending = surplus > 0 ? surplus : 0;
}

/* ==== Schedules, absence and shrinkage ==== */

static int change_cmp(const void *a, const void *b)
{
    const struct change *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* Sim time of a clock time on day d (the simulation starts at day 0's opening). */
static double day_time(const struct model_spec *m, int d, double clock_s)
{
    return d * DAY_S + clock_s - m->day_start_s;
}

static void sched_add(struct group_run *gr, double t, int dplan, int dtarget)
{
    if (gr->n_sched == gr->cap_sched) {
        gr->cap_sched = gr->cap_sched ? 2 * gr->cap_sched : 64;
        gr->sched = xrealloc(gr->sched, (size_t)gr->cap_sched * sizeof *gr->sched);
    }
    gr->sched[gr->n_sched++] = (struct change){t, dplan, dtarget};
}

/* This replication's schedule of group g: each scheduled agent is absent all day with the
 * group's absenteeism (one draw per agent and day, from the group's absence stream); then the
 * changes are sorted and their deltas summed into levels.  Runs at reset, not in the loop. */
static void build_schedule(struct rep *r, int g)
{
    const struct model_spec *m = r->m;
    const struct group_spec *gs = &m->groups[g];
    struct group_run *gr = &r->groups[g];
    gsl_rng *rng = r->rng_absence[g];
    double a = gs->absenteeism;
    gr->n_sched = 0;
    if (gs->n_shifts == 0) {
        /* Interval staffing: agent i of the pool is present with probability 1 - a, so an
         * interval planning n has the present ones among the first n. */
        int *prefix = xcalloc((size_t)gr->pool + 1, sizeof *prefix);
        for (int d = 0; d < m->n_days; d++) {
            for (uint32_t i = 0; i < gr->pool; i++)
                prefix[i + 1] = prefix[i] + (a > 0 ? gsl_rng_uniform(rng) >= a : 1);
            for (int k = 0; k < m->n_intervals; k++) {
                int n = gs->agents[d * m->n_intervals + k];
                double t = m->mode == MODE_STEADY ? 0 : d * DAY_S + k * m->interval_s;
                sched_add(gr, t, n, prefix[n]);
            }
        }
        free(prefix);
        return; /* already levels, in time order */
    }
    for (int d = 0; d < m->n_days; d++)
        for (int k = 0; k < gs->n_shifts; k++) {
            const struct shift_spec *sp = &gs->shifts[k];
            for (int j = 0; j < sp->agents; j++) {
                int here = a > 0 ? gsl_rng_uniform(rng) >= a : 1;
                double start = day_time(m, d, sp->start_s);
                sched_add(gr, start, 1, here);
                for (int b = 0; b < sp->n_breaks; b++) {
                    const struct break_spec *bp = &sp->breaks[b];
                    /* Breaks start evenly spread from earliest to latest across the agents. */
                    double at = sp->agents > 1 ? bp->earliest_s + (bp->latest_s - bp->earliest_s) *
                                                                      j / (sp->agents - 1)
                                               : bp->earliest_s;
                    sched_add(gr, day_time(m, d, at), -1, -here);
                    sched_add(gr, day_time(m, d, at + bp->length_s), 1, here);
                }
                sched_add(gr, start + sp->length_s, -1, -here);
            }
        }
    qsort(gr->sched, (size_t)gr->n_sched, sizeof *gr->sched, change_cmp);
    /* Deltas to levels, one change per distinct time. */
    int plan = 0, target = 0, out = 0;
    for (int i = 0; i < gr->n_sched; i++) {
        plan += gr->sched[i].plan;
        target += gr->sched[i].target;
        if (out > 0 && gr->sched[out - 1].t == gr->sched[i].t) out--;
        gr->sched[out++] = (struct change){gr->sched[i].t, plan, target};
    }
    gr->n_sched = out;
}

/* Applies group g's schedule change number i and schedules the next one. */
static void handle_schedule(struct rep *r, int g, int i)
{
    struct group_run *gr = &r->groups[g];
    flush_staffed(r, g);
    gr->plan = gr->sched[i].plan;
    apply_staffing(r, g, gr->sched[i].target);
    if (i + 1 < gr->n_sched)
        cal_push(&r->cal, gr->sched[i + 1].t, ev_prio[EV_SCHEDULE], EV_SCHEDULE, (uint32_t)g,
                 (uint32_t)(i + 1));
}

/* Shrinkage owed by agent a now: it accrues at s / (1 - s) per second on the floor, so that in
 * the long run a fraction s of present time is spent off the floor. */
static double shrink_debt(const struct rep *r, uint32_t a)
{
    const struct agent *ag = &r->agents[a];
    double s = r->m->groups[ag->group].shrinkage;
    return ag->debt_s + s / (1 - s) * (now_s(r) - ag->debt_since);
}

/* An idle agent owing a full period leaves the floor for it; otherwise a check is scheduled
 * for when the debt will reach one period (`due`: that check, which takes the period even if
 * rounding left the debt a hair short).  Returns 1 when the agent left. */
static int maybe_shrink(struct rep *r, uint32_t a, int due)
{
    struct agent *ag = &r->agents[a];
    const struct group_spec *gs = &r->m->groups[ag->group];
    if (gs->shrinkage <= 0) return 0;
    double debt = shrink_debt(r, a), period = gs->shrinkage_period_s;
    ag->gen++;
    if (debt < period && !due) {
        double rate = gs->shrinkage / (1 - gs->shrinkage);
        cal_push(&r->cal, now_s(r) + (period - debt) / rate, ev_prio[EV_SHRINK_DUE],
                 EV_SHRINK_DUE, a, ag->gen);
        return 0;
    }
    struct group_run *gr = &r->groups[ag->group];
    list_remove(r, a);
    flush_staffed(r, (int)ag->group);
    ag->debt_s = debt > period ? debt - period : 0;
    ag->paused = 0;
    ag->on_duty = 0;
    ag->shrinking = 1;
    gr->on_duty--;
    gr->shrinking++;
    r->on_duty_total--;
    r->shrinking_total++;
    cal_push(&r->cal, now_s(r) + period, ev_prio[EV_SHRINK_END], EV_SHRINK_END, a, ag->gen);
    return 1;
}

/* Returns 0 for a stale check (the agent took work, or left). */
static int handle_shrink_due(struct rep *r, uint32_t a, uint32_t tag)
{
    struct agent *ag = &r->agents[a];
    if (ag->gen != tag || !ag->on_duty || ag->load > 0 || ag->leaving) return 0;
    maybe_shrink(r, a, 1);
    return 1;
}

/* Ends agent a's shrinkage period: back on the floor. */
static void end_shrinkage(struct rep *r, uint32_t a)
{
    struct agent *ag = &r->agents[a];
    struct group_run *gr = &r->groups[ag->group];
    flush_staffed(r, (int)ag->group);
    ag->shrinking = 0;
    ag->gen++; /* a pending end of the period is now stale */
    gr->shrinking--;
    r->shrinking_total--;
    come_on_floor(r, a, 0);
}

/* Returns 0 for a stale end (a state called the agent back early). */
static int handle_shrink_end(struct rep *r, uint32_t a, uint32_t tag)
{
    struct agent *ag = &r->agents[a];
    if (ag->gen != tag || !ag->shrinking) return 0;
    end_shrinkage(r, a);
    agent_fill(r, a);
    return 1;
}

/* Whether group g may give channel c's contact an agent now: a group keeping agents free for
 * another channel needs that many idle after the assignment (taking an idle agent leaves one
 * fewer). */
static int reservation_allows(const struct rep *r, int g, int c, int takes_idle)
{
    const struct group_spec *gs = &r->m->groups[g];
    if (gs->reserve_channel == 0 || gs->reserve_channel - 1 == c) return 1;
    return (int)r->groups[g].lists[0].n - takes_idle >= gs->reserve_agents;
}

/* Tries the route steps of the contact's class that it has waited long enough for, in route
 * order; returns 0 when no agent has room.  O(steps x concurrency). */
static int route_contact(struct rep *r, uint32_t k)
{
    const struct contact *ct = &r->contacts[k];
    int q = class_of(r, ct);
    int slotted = channel_kind_slotted(r->m->channels[ct->channel].kind);
    /* An overflow event stands for its step's wait exactly (now - queue_s may round below). */
    double waited = ct->state == C_WAITING ? fmax(now_s(r) - ct->queue_s, ct->overflow_s) : 0;
    for (int i = 0; i < r->n_class_routes[q]; i++) {
        if (r->class_after[q][i] > waited) continue;
        int g = r->class_routes[q][2 * i];
        struct group_run *gr = &r->groups[g];
        int top = slotted ? gr->K : 1;
        for (int load = 0; load < top; load++) {
            uint32_t a = gr->lists[load].head;
            if (a == NIL || !reservation_allows(r, g, ct->channel, load == 0)) continue;
            const struct group_spec *gs = &r->m->groups[g];
            if (load == 0 && gs->occupancy_cap > 0 &&
                gr->busy + 1 > gs->occupancy_cap * gr->on_duty)
                break; /* the cap holds this group's idle agents back */
            if (ct->state == C_WAITING) queue_unlink(r, k);
            assign(r, a, k, r->class_routes[q][2 * i + 1]);
            agent_place(r, a);
            return 1;
        }
    }
    return 0;
}

/* The next route step a waiting contact becomes eligible for, as an overflow event. */
static void schedule_overflow(struct rep *r, uint32_t k)
{
    const struct contact *ct = &r->contacts[k];
    int q = class_of(r, ct);
    double waited = fmax(now_s(r) - ct->queue_s, ct->overflow_s), next = HUGE_VAL;
    for (int i = 0; i < r->n_class_routes[q]; i++)
        if (r->class_after[q][i] > waited && r->class_after[q][i] < next)
            next = r->class_after[q][i];
    if (next < HUGE_VAL)
        cal_push(&r->cal, ct->queue_s + next, ev_prio[EV_OVERFLOW], EV_OVERFLOW, k, ct->gen);
    r->contacts[k].next_overflow_s = next;
}

/* Returns 0 for a stale event (the contact was answered or left). */
static int handle_overflow(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    if (ct->gen != tag || ct->state != C_WAITING) return 0;
    ct->overflow_s = ct->next_overflow_s;
    if (!route_contact(r, k)) schedule_overflow(r, k);
    return 1;
}

/* ==== Arrivals ==== */

/* Next arrival time of channel c after t: inverts the integrated piecewise-constant rate with
 * one unit exponential, so the arrival stream's draws do not depend on the rates.  Between a
 * close and the next opening the rate is zero.  HUGE_VAL when the run closes first. */
static double next_arrival(struct rep *r, int stream, double t)
{
    const struct model_spec *m = r->m;
    int c = stream / r->ns, seg = stream % r->ns;
    const double *rate = m->channels[c].rate_per_s + (size_t)seg * r->n_total;
    int b = m->channels[c].busyness_group - 1;
    /* The day's busyness factor; in steady mode one factor for the whole replication. */
    const double *busy = b >= 0 ? r->busy_factor + (size_t)b * m->n_days : NULL;
    double e = zig_exponential(r->rng_arrival[stream]);
    if (m->mode == MODE_STEADY) {
        double lambda = rate[0] * (busy ? busy[0] : 1);
        return lambda > 0 ? t + e / lambda : HUGE_VAL;
    }
    int d = (int)floor(t / DAY_S);
    int k = (int)floor((t - d * DAY_S) / m->interval_s);
    while (d < m->n_days) {
        if (k >= m->n_intervals) {
            d++;
            k = 0;
            t = d * DAY_S;
            continue;
        }
        double end = d * DAY_S + (k + 1) * m->interval_s;
        double lambda = rate[d * m->n_intervals + k] * (busy ? busy[d] : 1);
        if (lambda > 0) {
            double cand = t + e / lambda;
            if (cand < end) return cand;
            e -= lambda * (end - t);
        }
        t = end;
        k++;
    }
    return HUGE_VAL;
}

static void schedule_arrival(struct rep *r, int stream, double after)
{
    double t = next_arrival(r, stream, after);
    if (t < HUGE_VAL)
        cal_push_in(&r->cal, CAL_LANE_ARRIVALS, t, ev_prio[EV_ARRIVAL], EV_ARRIVAL, (uint32_t)stream, 0);
}

/* The planning interval (over all days) an arrival at t belongs to. */
static int interval_of(const struct model_spec *m, double t)
{
    if (m->mode == MODE_STEADY) return 0;
    int d = (int)floor(t / DAY_S);
    int k = (int)floor((t - d * DAY_S) / m->interval_s);
    if (d >= m->n_days) d = m->n_days - 1;
    if (k >= m->n_intervals) k = m->n_intervals - 1;
    return d * m->n_intervals + k;
}

/* The two tallies a counted contact feeds: its (interval, channel) class and its segment. */
static void tallies_of(struct rep *r, const struct contact *ct, struct tally **both)
{
    both[0] = &r->tallies[ct->cls];
    both[1] = &r->seg_tallies[ct->segment];
}

#define COUNT(r, ct, field)                                                                        \
    do {                                                                                           \
        if ((ct)->cls >= 0) {                                                                      \
            (r)->tallies[(ct)->cls].field++;                                                       \
            (r)->seg_tallies[(ct)->segment].field++;                                               \
        }                                                                                          \
    } while (0)

static void log_contact(const struct rep *r, const struct contact *ct, enum outcome outcome);
static void contact_done(struct rep *r, uint32_t k);

static void issue_next(struct rep *r, uint32_t k, enum issue_step step);

/* Ends a contact that never reached an agent (balked, blocked, deflected, gave up, callback
 * unreached). */
static void contact_lost(struct rep *r, uint32_t k, enum outcome outcome)
{
    issue_next(r, k,
               outcome == OUT_DEFLECTED ? STEP_RESOLVED
               : outcome == OUT_GAVE_UP ? STEP_GAVE_UP
                                        : STEP_UNSERVED);
    if (r->log != NULL && r->contacts[k].cls >= 0) log_contact(r, &r->contacts[k], outcome);
    r->lost++;
    contact_done(r, k);
}

/* Agent-serving capacity for channel c now: on-duty agents of its groups, times their slots for
 * chat and messaging.  The balking predictor divides by it. */
static double channel_capacity(const struct rep *r, int c)
{
    int slotted = channel_kind_slotted(r->m->channels[c].kind);
    double n = 0;
    for (int i = 0; i < r->n_routes[c]; i++) {
        const struct group_run *gr = &r->groups[r->routes[c][i]];
        n += (double)gr->on_duty * (slotted ? gr->K : 1);
    }
    return n;
}

/* The wait a customer joining channel c is told: (number ahead + 1) x mean handle time /
 * serving capacity (docs/config.md); infinite with no agent on duty. */
static double predicted_wait(const struct rep *r, int c)
{
    double capacity = channel_capacity(r, c);
    if (capacity <= 0) return HUGE_VAL;
    return (r->waiting[c] + 1) * dist_mean(&r->m->channels[c].service) / capacity;
}

/* Probability of balking when told the predicted wait. */
static double balk_probability(const struct rep *r, int c)
{
    const struct channel_spec *ch = &r->m->channels[c];
    if (ch->balking == BALK_NONE) return 0;
    double w = predicted_wait(r, c);
    if (ch->balking == BALK_LINEAR) return fmin(1.0, w / ch->balk_scale_s);
    return -expm1(-w / ch->balk_scale_s);
}

static int interrupt_for(struct rep *r, uint32_t k);

/* A contact reaches the agents of its channel: answered at once, blocked (no line or waiting
 * place), balking at the predicted wait, or waiting. */
static void join_agents(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    int c = ct->channel;
    const struct channel_spec *ch = &r->m->channels[c];
    double t = now_s(r);
    ct->queue_s = t;
    ct->joined = 1;
    COUNT(r, ct, offered);
    if (ct->cls >= 0) r->open_by_channel[c]++;
    int in_service = channel_kind_slotted(ch->kind) ? r->slots[c] : r->busy[c];
    if (ch->limit_lines && (int)r->waiting[c] + in_service >= ch->max_lines) {
        COUNT(r, ct, blocked);
        contact_lost(r, k, OUT_BLOCKED);
        return;
    }
    if (route_contact(r, k)) return;
    if (ch->interrupts != NULL && interrupt_for(r, k)) return;
    if (ch->limit_waiting && (int)r->waiting[c] >= ch->max_waiting) {
        COUNT(r, ct, blocked);
        contact_lost(r, k, OUT_BLOCKED);
        return;
    }
    const struct callback_spec *cb = &ch->callback;
    if (cb->enabled && !ct->callback && predicted_wait(r, c) > cb->offer_above_s) {
        COUNT(r, ct, cb_offered);
        if (contact_u(r, ct, RNG_JOURNEY, J_CB_ACCEPT) < cb->accept) {
            /* Keeps its place in the queue, off the line: no patience timer. */
            COUNT(r, ct, cb_accepted);
            ct->callback = 1;
            queue_push(r, k);
            COUNT(r, ct, queued);
            if (r->has_overflow) schedule_overflow(r, k);
            return;
        }
    }
    if (ct->balk_u < balk_probability(r, c)) {
        COUNT(r, ct, balked);
        contact_lost(r, k, OUT_BALKED);
        return;
    }
    queue_push(r, k);
    COUNT(r, ct, queued);
    if (ct->patience_s < HUGE_VAL)
        cal_push_in(&r->cal, CAL_LANE_TIMERS, t + ct->patience_s, ev_prio[EV_PATIENCE], EV_PATIENCE,
                    k, ct->gen);
    if (r->has_overflow) schedule_overflow(r, k);
}

/* A contact of a channel that may interrupt takes an agent of one of its route's groups from a
 * contact it may interrupt (the one put down longest ago first); that contact goes back to the
 * head of its queue with the work it has left.  Returns 0 when no such agent exists.
 * O(steps). */
static int interrupt_for(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    const int *may = r->m->channels[ct->channel].interrupts;
    int q = class_of(r, ct);
    for (int i = 0; i < r->n_class_routes[q]; i++) {
        if (r->class_after[q][i] > 0) continue;
        int g = r->class_routes[q][2 * i];
        struct group_run *gr = &r->groups[g];
        for (uint32_t a = gr->lists[gr->K + 1].head; a != NIL; a = r->agents[a].next) {
            uint32_t e = r->agents[a].in_hand;
            struct contact *ec = &r->contacts[e];
            if (!may[ec->channel]) continue;
            double left = ec->end_s - now_s(r);
            ec->worked_s -= left;
            if (ec->cb_failing)
                ec->cb_failing = 0; /* the call is cut short; its work is untouched */
            else
                ec->work_s = left / ec->rate;
            ec->gen++; /* its service end is now stale */
            if (ec->cls >= 0) {
                r->tallies[ec->cls].interrupted++;
                r->seg_tallies[ec->segment].interrupted++;
            }
            release(r, a, e);
            queue_push_front(r, e);
            assign(r, a, k, r->class_routes[q][2 * i + 1]);
            agent_place(r, a);
            return 1;
        }
    }
    return 0;
}

/* Whether an arrival of segment s on channel c meets the channel's self-service front. */
static int uses_self_service(const struct model_spec *m, int c, int s)
{
    const struct self_service_spec *ss = &m->channels[c].self_service;
    return ss->enabled && (ss->forced || m->segments == NULL || m->segments[s].self_service);
}

/* A draw of distribution d for a contact: from the channel's stream in arrival order (fresh
 * arrivals, as they always were), or by inversion of the contact's own uniform (follow-ups and
 * incident contacts, which would otherwise shift every later fresh arrival's draws). */
static double draw_for(struct rep *r, const struct contact *ct, int own, const struct dist *d,
                       gsl_rng *stream, int j)
{
    if (!own) return dist_draw(d, stream);
    return dist_quantile(d, contact_u(r, ct, RNG_FOLLOWUP, (uint64_t)j));
}

static double uniform_for(struct rep *r, const struct contact *ct, int own, gsl_rng *stream, int j)
{
    return own ? contact_u(r, ct, RNG_FOLLOWUP, (uint64_t)j) : gsl_rng_uniform(stream);
}

/* Opens a new issue on a contact slot whose segment and counted flag are set. */
static void issue_open(struct rep *r, struct contact *ct, uint64_t issue)
{
    flush_issue_area(r);
    r->issues_open++;
    ct->issue = issue;
    ct->issue_start_s = now_s(r);
    ct->issue_wait_s = 0;
    ct->attempt = ct->repeats = 0;
    ct->kind = 0;
    if (!ct->counted) return;
    r->counted_issues_open++;
    r->jt[ct->segment].issues++;
}

/* The patience of segment seg's customers on channel q (DIST_NONE: they never abandon). */
static const struct dist *patience_of(const struct model_spec *m, int seg, int q)
{
    return m->segments && m->segments[seg].patience[q].kind != DIST_NONE
               ? &m->segments[seg].patience[q]
               : &m->channels[q].patience;
}

/* A contact of an open issue arrives on channel c: its work and patience for the channel whose
 * agents will serve it, its counts.  `own` draws from the contact's own uniforms (see
 * draw_for).  Returns whether it meets the channel's self-service front. */
static int contact_enter(struct rep *r, uint32_t k, int c, int own)
{
    const struct model_spec *m = r->m;
    struct contact *ct = &r->contacts[k];
    int seg = ct->segment;
    const struct channel_spec *front = &m->channels[c];
    double t = now_s(r);
    int self = uses_self_service(m, c, seg);
    /* The channel whose agents will serve it: known now, so its work and patience are drawn at
     * arrival like everyone else's (common random numbers). */
    int q = self ? front->self_service.escalate_to : c;
    const struct channel_spec *ch = &m->channels[q];
    const struct dist *patience = patience_of(m, seg, q);
    ct->arrival_s = t;
    ct->work_s = draw_for(r, ct, own, &ch->service, r->rng[RNG_SERVICE][c], F_SERVICE);
    ct->patience_s = patience->kind == DIST_NONE
                         ? HUGE_VAL
                         : draw_for(r, ct, own, patience, r->rng[RNG_PATIENCE][c], F_PATIENCE);
    if (ch->kind != CH_MESSAGING) {
        ct->exchanges_left = 1;
    } else {
        double x = ceil(draw_for(r, ct, own, &ch->exchanges, r->rng[RNG_EXCHANGES][c], F_EXCHANGES));
        ct->exchanges_left = (uint16_t)(x < 1 ? 1 : x > UINT16_MAX ? UINT16_MAX : x);
    }
    if (r->trace_call != NULL) {
        /* Replay: the logged handle time and wait; the unlogged one drawn (model.h). */
        const struct sim_trace_call *tc = r->trace_call;
        double u = contact_u(r, ct, RNG_TRACE, 0);
        if (tc->abandoned) {
            ct->patience_s = tc->wait_s;
            ct->work_s = dist_quantile(&ch->service, u);
        } else {
            ct->work_s = isnan(tc->handle_s) ? dist_quantile(&ch->service, u) : tc->handle_s;
            ct->patience_s = patience->kind == DIST_NONE
                                 ? HUGE_VAL
                                 : tc->wait_s + dist_residual(patience, tc->wait_s, u);
        }
    }
    ct->balk_u = r->has_balking ? uniform_for(r, ct, own, r->rng[RNG_BALK][c], F_BALK) : 0;
    ct->worked_s = ct->wrap_s = ct->overflow_s = 0;
    ct->answered = ct->escalated = ct->joined = 0;
    ct->callback = ct->cb_failing = ct->cb_deferred = 0;
    ct->cb_tries = 0;
    ct->issue_end = ct->churned = 0;
    ct->front = (uint16_t)c;
    ct->id = (uint64_t)r->contact_serial++;
    ct->cls = ct->counted ? interval_of(m, t) * r->nc + c : -1;
    r->arrivals++;
    /* Past max_in_system contacts a replication is runaway, not a result: stop with a message
     * before memory runs out (about 200 bytes each). */
    long long cap = m->max_in_system > 0 ? m->max_in_system : 10000000; /* 0: a spec built in code */
    if (++r->in_system > (uint64_t)cap)
        die("replication %d: more than %lld contacts in the system at t = %.0f s (max_in_system): "
            "the model is unstable (arrivals outpace the agents and abandonment); check the load "
            "or add patience",
            r->rep_index, cap, t);
    COUNT(r, ct, arrived);
    if (ct->kind == 1) COUNT(r, ct, retrials);
    if (ct->kind == 2) COUNT(r, ct, repeats);
    if (ct->counted) r->counted_open++;
    ct->channel = (uint16_t)c;
    return self;
}

/* Self-service for contact k arriving on channel c, for time_s: its outcome drawn now. */
static void enter_self_service(struct rep *r, uint32_t k, int c, int own, double time)
{
    struct contact *ct = &r->contacts[k];
    const struct self_service_spec *ss = &r->m->channels[c].self_service;
    gsl_rng *g = r->rng[RNG_SELF_SERVICE][c];
    double u_success = uniform_for(r, ct, own, g, F_SS_SUCCESS);
    double u_escalate = uniform_for(r, ct, own, g, F_SS_ESCALATE);
    ct->ss_outcome = u_success < ss->success[ct->segment] ? 0 : u_escalate < ss->escalate ? 1 : 2;
    if (ct->ss_outcome == 1) r->ss_coming[ss->escalate_to]++; /* agents stay for it */
    ct->state = C_SELF_SERVICE;
    ct->queue_s = now_s(r) + time;
    if (ct->counted) r->counted_in_ss++;
    cal_push(&r->cal, now_s(r) + time, ev_prio[EV_SS_END], EV_SS_END, k, ct->gen);
}

/* A contact of an open issue arrives on channel c: self-service, or the agents. */
static void contact_start(struct rep *r, uint32_t k, int c, int own)
{
    if (!contact_enter(r, k, c, own)) {
        join_agents(r, k);
        return;
    }
    const struct self_service_spec *ss = &r->m->channels[c].self_service;
    double time = draw_for(r, &r->contacts[k], own, &ss->time, r->rng[RNG_SELF_SERVICE][c], F_SS_TIME);
    enter_self_service(r, k, c, own, time);
}


static void handle_arrival(struct rep *r, int stream)
{
    const struct model_spec *m = r->m;
    int c = stream / r->ns, seg = stream % r->ns;
    long long serial = r->serial++;
    int counted = 1;
    if (m->mode == MODE_STEADY) {
        counted = serial >= m->warmup_contacts && serial < m->warmup_contacts + m->contacts;
        if (serial == m->warmup_contacts) switch_bucket(r, 0);
        if (serial == m->warmup_contacts + m->contacts) switch_bucket(r, r->n_total);
    }
    uint32_t k = contact_alloc(r);
    struct contact *ct = &r->contacts[k];
    ct->segment = (uint16_t)seg;
    ct->counted = (uint8_t)counted;
    issue_open(r, ct, (uint64_t)serial);
    schedule_arrival(r, stream, now_s(r));
    contact_start(r, k, c, 0);
}

static void schedule_trace(struct rep *r)
{
    const struct sim_trace *tr = r->hooks->trace;
    if (r->trace_at < tr->n)
        cal_push_in(&r->cal, CAL_LANE_ARRIVALS, tr->calls[r->trace_at].t_s, ev_prio[EV_TRACE],
                    EV_TRACE, 0, 0);
}

/* Replay: the next logged contact arrives, with its logged times (contact_enter). */
static void handle_trace(struct rep *r)
{
    const struct sim_trace_call *tc = &r->hooks->trace->calls[r->trace_at++];
    uint32_t k = contact_alloc(r);
    struct contact *ct = &r->contacts[k];
    ct->segment = (uint16_t)tc->segment;
    ct->counted = 1;
    issue_open(r, ct, (uint64_t)r->serial++);
    schedule_trace(r);
    r->trace_call = tc;
    contact_start(r, k, tc->channel, 0);
    r->trace_call = NULL;
}

/* A retrial or repeat contact of a pending issue arrives. */
static void handle_followup(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    SIM_ENSURE(ct->gen == tag && ct->state == C_PENDING);
    if (ct->counted) r->counted_pending--;
    contact_start(r, k, ct->front, 1);
}

/* Next extra arrival of incident stream i * n_channels + c after t, or HUGE_VAL past its end. */
static void schedule_incident(struct rep *r, int stream, double t)
{
    const struct incident_spec *in = &r->m->incidents[stream / r->nc];
    double rate = in->extra_per_s[stream % r->nc];
    if (rate <= 0) return;
    double next = fmax(t, in->start_s) + zig_exponential(r->rng_incident[stream]) / rate;
    if (next < in->end_s)
        cal_push(&r->cal, next, ev_prio[EV_INCIDENT], EV_INCIDENT, (uint32_t)stream, 0);
}

/* An incident's extra customer: its segment by the segments' shares; reached by the notice (if
 * it went out) and not contacting, or a new issue.  The uniforms are drawn whether or not a
 * notice exists, so runs with and without one see the same customers. */
static void handle_incident(struct rep *r, int stream)
{
    const struct model_spec *m = r->m;
    const struct incident_spec *in = &m->incidents[stream / r->nc];
    int c = stream % r->nc;
    gsl_rng *g = r->rng_incident[stream];
    double u_segment = gsl_rng_uniform(g), u_reach = gsl_rng_uniform(g);
    double u_prevent = gsl_rng_uniform(g), t = now_s(r);
    schedule_incident(r, stream, t);
    long long serial = r->serial++;
    int seg = 0;
    for (double acc = 0; m->segments && seg < m->n_segments - 1; seg++)
        if (u_segment < (acc += m->segments[seg].share)) break;
    struct tally *both[2] = {&r->tallies[interval_of(m, t) * r->nc + c], &r->seg_tallies[seg]};
    if (in->notice && t >= in->notice_s && u_reach < in->reach && u_prevent < in->prevent) {
        both[0]->prevented++;
        both[1]->prevented++;
        return;
    }
    both[0]->incident_issues++;
    both[1]->incident_issues++;
    uint32_t k = contact_alloc(r);
    struct contact *ct = &r->contacts[k];
    ct->segment = (uint16_t)seg;
    ct->counted = 1;
    issue_open(r, ct, (uint64_t)serial);
    contact_start(r, k, c, 1);
}

/* ==== Issues ==== */

/* The earliest time at or after t the center is open (day mode), HUGE_VAL past the last close. */
static double next_open_time(const struct rep *r, double t)
{
    const struct model_spec *m = r->m;
    if (m->mode != MODE_DAY) return t;
    double d = floor(t / DAY_S);
    if (t >= d * DAY_S + m->n_intervals * m->interval_s) d++;
    if (d >= m->n_days) return HUGE_VAL;
    return fmax(t, d * DAY_S);
}

static double churn_probability(const struct churn_spec *cs, const struct contact *ct,
                                int gave_up)
{
    int contacts = ct->attempt + 1;
    if (cs->model == CHURN_LOGISTIC)
        return 1 / (1 + exp(-(cs->intercept + cs->per_wait_min * ct->issue_wait_s / 60 +
                              cs->per_extra_contact * (contacts - 1) + cs->gave_up * gave_up)));
    double p = 0;
    for (int i = 0; i < cs->n_rows; i++) {
        const struct churn_row *w = &cs->rows[i];
        if (ct->issue_wait_s >= w->min_wait_s && contacts >= w->min_contacts &&
            (w->outcome < 0 || w->outcome == gave_up))
            p = w->p;
    }
    return p;
}

/* The issue of contact k ends now, resolved or given up; the customer may churn. */
static void issue_end(struct rep *r, uint32_t k, int resolved)
{
    struct contact *ct = &r->contacts[k];
    double t = now_s(r);
    flush_issue_area(r);
    r->issues_open--;
    r->issue_time += t - ct->issue_start_s;
    ct->issue_end = resolved ? 1 : 2;
    ct->churned = 0;
    if (!ct->counted) return;
    r->counted_issues_open--;
    struct journey_tally *jt = &r->jt[ct->segment];
    jt->contacts += ct->attempt + 1u;
    jt->wait_s += ct->issue_wait_s;
    if (resolved) {
        jt->resolved++;
        jt->resolution_s += t - ct->issue_start_s;
        if (ct->attempt == 0) jt->first_contact++;
    } else {
        jt->gave_up++;
    }
    const struct journey_spec *j = model_journey(r->m, ct->segment);
    if (j == NULL || j->churn.model == CHURN_NONE) return;
    if (contact_u(r, ct, RNG_JOURNEY, J_CHURN) < churn_probability(&j->churn, ct, !resolved)) {
        ct->churned = 1;
        jt->churned++;
        jt->churn_cost += r->m->segments ? r->m->segments[ct->segment].value : 0;
    }
}

/* The issue of contact k continues with another contact (kind 1 retrial, 2 repeat) on channel
 * c (-1 the one it came in on) after delay: a new slot carries the issue until then, so k may
 * finish its own life (wrap-up, freeing).  Past the last close the issue stays open. */
static void follow_up(struct rep *r, uint32_t k, int kind, int c, double delay)
{
    double due = now_s(r) + delay, t = next_open_time(r, due);
    uint32_t p = contact_alloc(r);
    struct contact *ct = &r->contacts[k], *pc = &r->contacts[p];
    uint32_t gen = pc->gen;
    *pc = *ct;
    pc->gen = gen + 1; /* the slot's own generation: its stale timers stay stale */
    pc->attempt = (uint16_t)(ct->attempt + 1);
    pc->repeats = (uint16_t)(ct->repeats + (kind == 2));
    pc->kind = (uint8_t)kind;
    pc->front = (uint16_t)(c >= 0 ? c : ct->front);
    pc->state = t < HUGE_VAL ? C_PENDING : C_PARKED;
    pc->due_s = t < HUGE_VAL ? t : due;
    if (pc->counted) r->counted_pending++;
    if (t == HUGE_VAL) return;
    cal_push(&r->cal, t, ev_prio[EV_FOLLOWUP], EV_FOLLOWUP, p, pc->gen);
}

/* What the end of contact k means for its issue: over, or another contact to come.  May grow
 * the contact pool: callers re-read their contact pointers. */
static void issue_next(struct rep *r, uint32_t k, enum issue_step step)
{
    const struct contact *ct = &r->contacts[k];
    const struct journey_spec *j = model_journey(r->m, ct->segment);
    /* A retrial's cap counts the issue's contacts, a repeat's its repeats. */
    const struct return_spec *back = j == NULL                  ? NULL
                                     : step == STEP_UNSERVED    ? &j->retrial
                                     : step == STEP_UNRESOLVED ? &j->repeat
                                                                : NULL;
    int done = back == NULL ? 0 : back == &j->retrial ? ct->attempt + 1 : ct->repeats;
    if (back != NULL && back->enabled && done < back->max &&
        contact_u(r, ct, RNG_JOURNEY, back == &j->retrial ? J_RETRY : J_REPEAT) <
            back->probability) {
        double u = contact_u(r, ct, RNG_JOURNEY, back == &j->retrial ? J_RETRY_DELAY : J_REPEAT_DELAY);
        follow_up(r, k, back == &j->retrial ? 1 : 2, back->channel, dist_quantile(&back->delay, u));
        return;
    }
    issue_end(r, k, step == STEP_RESOLVED);
}

/* Leaving self-service: resolved, escalated to an agent queue (patience times the frustration
 * factor, work times the uplift), or gone. */
static void handle_ss_end(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    SIM_ENSURE(ct->gen == tag && ct->state == C_SELF_SERVICE);
    const struct self_service_spec *ss = &r->m->channels[ct->front].self_service;
    if (ct->cls >= 0) {
        r->counted_in_ss--;
        struct tally *both[2];
        tallies_of(r, ct, both);
        for (int i = 0; i < 2; i++) {
            both[i]->in_ss++;
            both[i]->ss_time_s += now_s(r) - ct->arrival_s;
        }
    }
    if (ct->ss_outcome == 0) {
        COUNT(r, ct, deflected);
        contact_lost(r, k, OUT_DEFLECTED);
        return;
    }
    if (ct->ss_outcome == 2) {
        COUNT(r, ct, gave_up_ss);
        contact_lost(r, k, OUT_GAVE_UP);
        return;
    }
    COUNT(r, ct, escalated);
    r->ss_coming[ss->escalate_to]--;
    ct->escalated = 1;
    ct->patience_s *= ss->frustration;
    ct->work_s *= ss->uplift;
    ct->channel = (uint16_t)ss->escalate_to;
    if (ct->cls >= 0) ct->cls = ct->cls / r->nc * r->nc + ss->escalate_to;
    join_agents(r, k);
}

/* A messaging customer has answered: the conversation queues again for a free slot. */
static void handle_reply(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    SIM_ENSURE(ct->gen == tag && ct->state == C_AWAY);
    r->away[ct->channel]--;
    if (!route_contact(r, k)) queue_push(r, k);
}

/* ==== Call log ==== */

static void log_header(FILE *f)
{
    fputs("replication,contact_id,issue_id,segment,channel,arrival_s,queue_entry_s,answer_s,"
          "abandon_s,wait_s,handle_s,wrapup_s,end_s,group,agent,outcome,arrival_channel,"
          "self_service_s,attempt,contact_kind,callback,issue_outcome,churned\n",
          f);
}

/* A text field, quoted (RFC 4180) only when it holds a comma, a quote or a line break. */
static void log_text(FILE *f, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, f);
        return;
    }
    fputc('"', f);
    for (const char *p = text; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* One row for a counted contact that has just finished (times with %.17g, exact doubles). */
static void log_contact(const struct rep *r, const struct contact *ct, enum outcome outcome)
{
    const struct model_spec *m = r->m;
    double t = now_s(r);
    fprintf(r->log, "%d,%llu,%llu,", r->rep_index, (unsigned long long)ct->id,
            (unsigned long long)ct->issue);
    log_text(r->log, m->segments ? m->segments[ct->segment].name : "default");
    fputc(',', r->log);
    log_text(r->log, m->channels[ct->channel].name);
    fprintf(r->log, ",%.17g,", ct->arrival_s);
    if (outcome == OUT_DEFLECTED || outcome == OUT_GAVE_UP)
        fputs(",,,,,,", r->log); /* never queued */
    else
        fprintf(r->log, "%.17g,", ct->queue_s);
    if (outcome == OUT_HANDLED) {
        const struct agent *a = &r->agents[ct->agent];
        fprintf(r->log, "%.17g,,%.17g,%.17g,%.17g,%.17g,", ct->answer_s,
                ct->answer_s - ct->queue_s, ct->worked_s, ct->wrap_s, t);
        log_text(r->log, m->groups[a->group].name);
        fprintf(r->log, ",%u,", ct->agent - r->groups[a->group].first_agent);
    } else if (outcome == OUT_ABANDONED) {
        fprintf(r->log, ",%.17g,%.17g,,,%.17g,,,", t, t - ct->queue_s, t);
    } else if (outcome == OUT_UNREACHED) {
        fprintf(r->log, ",,%.17g,%.17g,,%.17g,,,", t - ct->queue_s, ct->worked_s, t);
    } else if (outcome == OUT_BALKED || outcome == OUT_BLOCKED) {
        fprintf(r->log, ",,0,,,%.17g,,,", t);
    } else {
        fprintf(r->log, "%.17g,,,", t);
    }
    fprintf(r->log, "%s,", outcome_names[outcome]);
    log_text(r->log, m->channels[ct->front].name);
    fprintf(r->log, ",%.17g,%u,%s,%d,%s,%d\n",
            ct->escalated || outcome == OUT_DEFLECTED || outcome == OUT_GAVE_UP
                ? ct->queue_s - ct->arrival_s
                : 0.0,
            ct->attempt + 1u, kind_names[ct->kind], ct->callback,
            ct->issue_end == 1 ? "resolved" : ct->issue_end == 2 ? "gave_up" : "", ct->churned);
}

/* ==== Departures ==== */

/* After a close, the last real-time contact of a channel lets idle agents of its groups go. */
static void release_idle_after_close(struct rep *r, int c)
{
    for (int i = 0; i < r->n_routes[c]; i++) {
        int g = r->routes[c][i];
        if (!group_clear(r, g)) continue;
        struct agent_list *idle = &r->groups[g].lists[0];
        while (idle->n > 0)
            go_off_duty(r, idle->head);
    }
}

/* The customer has left: the contact no longer counts as in the system (its slot may still hold
 * the agent's wrap-up). */
static void contact_leave(struct rep *r, uint32_t k)
{
    int c = r->contacts[k].channel;
    if (r->contacts[k].cls >= 0) {
        r->counted_open--;
        if (r->contacts[k].joined) r->open_by_channel[c]--;
    }
    r->in_system--;
}

/* After a close, the end of a contact of channel c may free the agents of c, and of the channel
 * c transfers to. */
static void after_close_release(struct rep *r, int c)
{
    if (!r->closed) return;
    if (!channel_pending(r, c)) release_idle_after_close(r, c);
    int to = r->m->channels[c].transfer_to - 1;
    if (to >= 0 && !channel_pending(r, to)) release_idle_after_close(r, to);
}

static void contact_done(struct rep *r, uint32_t k)
{
    int c = r->contacts[k].channel;
    contact_leave(r, k);
    contact_free(r, k);
    after_close_release(r, c);
}

/* The after-contact work of the skill the agent served it under; 0 when the skill has none. */
static double draw_wrapup(struct rep *r, uint32_t a, const struct contact *ct)
{
    const struct group_spec *gs = &r->m->groups[r->agents[a].group];
    if (gs->wrapup == NULL || gs->wrapup[ct->skill].kind == DIST_NONE) return 0;
    /* The contact's own uniform, so its wrap-up does not depend on who else was served. */
    double u = contact_u(r, ct, RNG_WRAPUP, 0);
    return dist_quantile(&gs->wrapup[ct->skill], u);
}

static void transfer_contact(struct rep *r, uint32_t a, uint32_t k);

/* The agent's call did not reach a callback customer: try again later, or give up (the
 * customer may then retry like one who abandoned).  The caller refills the agent. */
static void callback_failed(struct rep *r, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    const struct callback_spec *cb = &r->m->channels[ct->channel].callback;
    ct->cb_failing = 0;
    release(r, ct->agent, k);
    /* A try that would fall after the close waits for the next opening, and does not keep
     * the agents on meanwhile; after the last close the callback is given up. */
    double due = now_s(r) + cb->retry_after_s, t = next_open_time(r, due);
    if (cb->retry && ct->cb_tries < cb->max_tries && t < HUGE_VAL) {
        ct->state = C_CB_WAIT;
        ct->gen++;
        ct->due_s = t;
        ct->cb_deferred = t > due || (r->closed && r->m->mode == MODE_DAY);
        if (!ct->cb_deferred) r->cb_waiting[ct->channel]++;
        cal_push(&r->cal, t, ev_prio[EV_CB_RETRY], EV_CB_RETRY, k, ct->gen);
        return;
    }
    COUNT(r, ct, cb_unreached);
    ct->issue_wait_s += now_s(r) - ct->queue_s;
    contact_lost(r, k, OUT_UNREACHED);
}

/* A callback's next try: first in line, as its turn has come. */
static void handle_cb_retry(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    SIM_ENSURE(ct->gen == tag && ct->state == C_CB_WAIT);
    if (!ct->cb_deferred) r->cb_waiting[ct->channel]--;
    ct->cb_deferred = 0;
    /* Back in the queue first, so routing counts its whole wait (overflow steps included). */
    queue_push_front(r, k);
    if (!route_contact(r, k) && r->has_overflow) schedule_overflow(r, k);
}

/* Returns 0 for the stale end of an interrupted service. */
static int handle_service_end(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    const struct channel_spec *ch = &r->m->channels[ct->channel];
    if (ct->gen != tag || ct->state != C_SERVICE) return 0;
    uint32_t a = ct->agent;
    if (ct->cb_failing) {
        callback_failed(r, k);
        agent_fill(r, a);
        return 1;
    }
    if (--ct->exchanges_left > 0) {
        release(r, a, k);
        /* Messaging: the customer is away.  The next exchange's work and this away time come
         * from the contact's own uniforms, indexed by exchange, so they do not shift with
         * staffing (common random numbers). */
        int c = ct->channel;
        uint64_t x = ct->exchanges_left;
        ct->state = C_AWAY;
        r->away[c]++;
        ct->work_s = dist_quantile(&ch->service, contact_u(r, ct, RNG_SERVICE, x));
        double away = dist_quantile(&ch->reply_delay, contact_u(r, ct, RNG_REPLY, x));
        ct->due_s = now_s(r) + away;
        cal_push(&r->cal, now_s(r) + away, ev_prio[EV_REPLY], EV_REPLY, k, ct->gen);
    } else {
        ct->wrap_s = draw_wrapup(r, a, ct);
        int transfer = ch->transfer_to > 0 && contact_u(r, ct, RNG_TRANSFER, 0) < ch->transfer_p;
        if (!transfer) {
            const struct group_spec *gs = &r->m->groups[r->agents[a].group];
            double fcr = group_fcr(gs, ct->skill);
            /* (A uniform is below 1: with FCR 1 the draw would always resolve.) */
            int resolved = fcr >= 1 || contact_u(r, ct, RNG_JOURNEY, J_RESOLVE) < fcr;
            issue_next(r, k, resolved ? STEP_RESOLVED : STEP_UNRESOLVED);
            ct = &r->contacts[k]; /* the pool may have moved */
        }
        if (ct->cls >= 0) {
            struct tally *both[2];
            tallies_of(r, ct, both);
            double cost =
                ch->cost_per_contact + ch->cost_per_minute * (ct->worked_s + ct->wrap_s) / 60;
            for (int i = 0; i < 2; i++) {
                both[i]->handled++;
                both[i]->cost += cost;
                if (ct->escalated) both[i]->esc_handled++;
                if (transfer) both[i]->transferred++;
                if (ch->kind == CH_EMAIL && now_s(r) <= ct->arrival_s + ch->due_s)
                    both[i]->due_met++;
            }
            if (r->log != NULL && !transfer) log_contact(r, ct, OUT_HANDLED);
        }
        if (transfer) {
            transfer_contact(r, a, k);
            return 1;
        }
        r->handled++;
        if (ct->wrap_s > 0) {
            /* The customer has gone; the agent keeps the slot for the wrap-up. */
            contact_leave(r, k);
            ct->state = C_WRAP;
            cal_push(&r->cal, now_s(r) + ct->wrap_s, ev_prio[EV_WRAP_END], EV_WRAP_END, k,
                     ct->gen);
            return 1;
        }
        release(r, a, k);
        contact_done(r, k);
    }
    agent_fill(r, a);
    return 1;
}

/* After service, the contact moves to another channel's queue.  The first agent keeps a hold (a
 * slot of its own, not a customer) for the consult of a warm transfer plus its wrap-up; the
 * contact's new work (and, warm, the consult) is drawn from its own uniforms, like its patience
 * there, so common random numbers hold. */
static void transfer_contact(struct rep *r, uint32_t a, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    const struct model_spec *m = r->m;
    const struct channel_spec *from = &m->channels[ct->channel];
    int to = from->transfer_to - 1;
    const struct channel_spec *ch = &m->channels[to];
    double hold = (from->transfer_warm ? from->consult_s : 0) + ct->wrap_s;
    if (hold > 0) {
        uint32_t h = contact_alloc(r);
        ct = &r->contacts[k]; /* the pool may have moved */
        struct contact *hc = &r->contacts[h];
        uint32_t gen = hc->gen;
        *hc = *ct;
        hc->state = C_WRAP;
        hc->gen = gen + 1; /* the slot's own generation: its stale timers stay stale */
        if (r->agents[a].exclusive) r->agents[a].in_hand = h;
        cal_push(&r->cal, now_s(r) + hold, ev_prio[EV_WRAP_END], EV_WRAP_END, h, hc->gen);
    } else {
        release(r, a, k);
    }
    if (ct->cls >= 0 && ct->joined) r->open_by_channel[ct->channel]--;
    const struct dist *patience = m->segments && m->segments[ct->segment].patience[to].kind != DIST_NONE
                                      ? &m->segments[ct->segment].patience[to]
                                      : &ch->patience;
    ct->work_s = dist_quantile(&ch->service, contact_u(r, ct, RNG_TRANSFER, 1)) +
                 (from->transfer_warm ? from->consult_s : 0);
    ct->patience_s = patience->kind == DIST_NONE
                         ? HUGE_VAL
                         : dist_quantile(patience, contact_u(r, ct, RNG_TRANSFER, 2));
    ct->channel = (uint16_t)to;
    if (ct->cls >= 0) ct->cls = ct->cls / r->nc * r->nc + to;
    ct->answered = ct->joined = 0;
    ct->callback = ct->cb_tries = 0;
    ct->exchanges_left = 1;
    ct->wrap_s = ct->overflow_s = 0;
    ct->gen++;
    if (hold <= 0) agent_fill(r, a);
    join_agents(r, k);
    if (hold > 0) agent_fill(r, a);
}

static void handle_wrap_end(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    SIM_ENSURE(ct->gen == tag && ct->state == C_WRAP);
    uint32_t a = ct->agent;
    int c = ct->channel;
    release(r, a, k);
    contact_free(r, k);
    after_close_release(r, c);
    agent_fill(r, a);
}

/* Returns 0 for a stale timer (the contact was answered, or its slot reused). */
static int handle_patience(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    if (ct->gen != tag || ct->state != C_WAITING || ct->answered) return 0;
    queue_unlink(r, k);
    ct->issue_wait_s += now_s(r) - ct->queue_s;
    issue_next(r, k, STEP_UNSERVED);
    ct = &r->contacts[k]; /* the pool may have moved */
    if (ct->cls >= 0) {
        struct tally *both[2];
        tallies_of(r, ct, both);
        double w = now_s(r) - ct->queue_s;
        for (int i = 0; i < 2; i++) {
            both[i]->abandoned++;
            both[i]->wait_all_s += w;
            if (ct->escalated) both[i]->esc_abandoned++;
            if (w <= r->m->channels[ct->channel].sl_seconds) both[i]->abandoned_in_sl++;
        }
        if (r->log != NULL) log_contact(r, ct, OUT_ABANDONED);
    }
    r->abandoned++;
    contact_done(r, k);
    return 1;
}

/* ==== Staffing, openings and closes ==== */

/* Samples the email backlog (waiting contacts) into an interval's tallies. */
static void sample_backlog(struct rep *r, int interval, int at_start)
{
    for (int c = 0; c < r->nc; c++) {
        if (r->m->channels[c].kind != CH_EMAIL) continue;
        struct tally *ty = &r->tallies[interval * r->nc + c];
        if (at_start)
            ty->backlog_start = r->waiting[c];
        else
            ty->backlog_end = r->waiting[c];
    }
}

/* Event index i < n_total opens interval i; n_total + d closes day d. */
static void handle_staffing(struct rep *r, int index)
{
    const struct model_spec *m = r->m;
    int n = m->n_intervals;
    if (index < r->n_total) {
        int k = index % n, d = index / n;
        if (r->hooks != NULL && r->hooks->in_system_at_start != NULL)
            r->hooks->in_system_at_start[(size_t)r->rep_index * r->n_total + index] =
                (int)r->in_system;
        if (k > 0) sample_backlog(r, index - 1, 0);
        switch_bucket(r, index);
        r->closed = 0;
        sample_backlog(r, index, 1);
        double next = k + 1 < n ? d * DAY_S + (k + 1) * m->interval_s : d * DAY_S + n * m->interval_s;
        int next_index = k + 1 < n ? index + 1 : r->n_total + d;
        cal_push(&r->cal, next, ev_prio[EV_STAFFING], EV_STAFFING, (uint32_t)next_index, 0);
        return;
    }
    /* A close: the last interval's agents stay while real-time work of their skills remains;
     * email waits for the next opening. */
    int d = index - r->n_total;
    sample_backlog(r, d * n + n - 1, 0);
    switch_bucket(r, r->n_total);
    r->closed = 1;
    if (d + 1 < m->n_days)
        cal_push(&r->cal, (d + 1) * DAY_S, ev_prio[EV_STAFFING], EV_STAFFING,
                 (uint32_t)((d + 1) * n), 0);
    else
        r->final_closed = 1;
    for (int g = 0; g < r->ng; g++) {
        struct group_run *gr = &r->groups[g];
        gr->release_pending = 0;
        if (group_clear(r, g))
            while (gr->lists[0].n > 0)
                go_off_duty(r, gr->lists[0].head);
    }
}

/* ==== Replication ==== */

static void rep_reset(struct rep *r, int rep_index)
{
    const struct model_spec *m = r->m;
    int nc = r->nc, ng = r->ng, nt = r->n_total;
    r->rep_index = rep_index;
    cal_reset(&r->cal);
    for (uint32_t i = 0; i < r->n_slots; i++) {
        r->contacts[i].state = C_FREE;
        r->contacts[i].next = i + 1 < r->n_slots ? i + 1 : NIL;
    }
    r->free_head = 0;
    for (int c = 0; c < nc; c++) {
        r->waiting[c] = 0;
        r->busy[c] = r->slots[c] = 0;
        r->busy_since[c] = r->slots_since[c] = 0;
        r->away[c] = 0;
        r->open_by_channel[c] = 0;
        for (size_t i = 0; i < N_CHANNEL_PURPOSES; i++)
            rng_seed_stream(r->rng[channel_purposes[i]][c], m->seed, (uint64_t)rep_index,
                            (unsigned)channel_purposes[i], (uint64_t)c);
    }
    for (int i = 0; i < nc * r->ns; i++)
        rng_seed_stream(r->rng_arrival[i], m->seed, (uint64_t)rep_index, RNG_ARRIVALS,
                        (uint64_t)i);
    for (int b = 0; b < m->n_busyness; b++) {
        rng_seed_stream(r->rng_busy[b], m->seed, (uint64_t)rep_index, RNG_BUSYNESS, (uint64_t)b);
        double k = m->busyness[b].shape;
        for (int d = 0; d < m->n_days; d++)
            r->busy_factor[(size_t)b * m->n_days + d] = gsl_ran_gamma(r->rng_busy[b], k, 1 / k);
    }
    for (int sg = 0; sg < r->ns; sg++) {
        tally_reset(&r->seg_tallies[sg]);
        memset(&r->jt[sg], 0, sizeof r->jt[sg]);
    }
    for (int i = 0; i < m->n_incidents * nc; i++)
        rng_seed_stream(r->rng_incident[i], m->seed, (uint64_t)rep_index, RNG_INCIDENT,
                        (uint64_t)i);
    for (int c = 0; c < nc; c++)
        r->cb_waiting[c] = r->ss_coming[c] = 0;
    r->issues_open = r->counted_issues_open = r->counted_pending = 0;
    r->contact_serial = r->prior_contacts = 0;
    r->n_waiting = 0;
    r->queue_area = r->queue_since = r->queue_waits = 0;
    r->issue_area = r->issue_since = r->issue_time = 0;
    for (int q = 0; q < nc * r->ns; q++) {
        r->queues[q].head = r->queues[q].tail = NIL;
        r->queues[q].len = 0;
    }
    r->busy_total = 0;
    r->busy_total_since = 0;
    for (int g = 0; g < ng; g++) {
        struct group_run *gr = &r->groups[g];
        for (int l = 0; l <= gr->K + 1; l++) {
            gr->lists[l].head = gr->lists[l].tail = NIL;
            gr->lists[l].n = 0;
        }
        gr->on_duty = gr->target = gr->release_pending = 0;
        gr->plan = gr->shrinking = gr->busy = 0;
        gr->recent_occupancy = 0;
        rng_seed_stream(r->rng_absence[g], m->seed, (uint64_t)rep_index, RNG_ABSENCE, (uint64_t)g);
        rng_seed_stream(r->rng_shrink[g], m->seed, (uint64_t)rep_index, RNG_SHRINKAGE,
                        (uint64_t)g);
        build_schedule(r, g);
        gr->staffed_since = 0;
        gr->n_off = 0;
        /* Pushed in reverse so agents come on duty in index order. */
        for (uint32_t a = gr->pool; a-- > 0;) {
            struct agent *ag = &r->agents[gr->first_agent + a];
            ag->load = 0;
            ag->exclusive = ag->on_duty = ag->leaving = ag->shrinking = ag->paused = 0;
            ag->list = -1;
            gr->off[gr->n_off++] = gr->first_agent + a;
        }
    }
    r->on_duty_total = r->shrinking_total = 0;
    memset(r->overrun_s, 0, (size_t)(nt + 1) * ng * sizeof(double));
    memset(r->plan_s, 0, (size_t)(nt + 1) * ng * sizeof(double));
    memset(r->paid_s, 0, (size_t)(nt + 1) * ng * sizeof(double));
    memset(r->group_busy_s, 0, (size_t)(nt + 1) * ng * sizeof(double));
    memset(r->skill_s, 0, (size_t)(nt + 1) * ng * r->max_skills * sizeof(double));
    memset(r->bucket_s, 0, (size_t)(nt + 1) * sizeof(double));
    r->bucket_since = 0;
    memset(r->skill_held, 0, (size_t)ng * r->max_skills * sizeof(double));
    memset(r->skill_since, 0, (size_t)ng * r->max_skills * sizeof(double));
    memset(r->held, 0, (size_t)(r->groups[ng - 1].first_agent + r->groups[ng - 1].pool) * nc *
                           sizeof *r->held);
    memset(r->busy_s, 0, (size_t)(nt + 1) * nc * sizeof(double));
    memset(r->slot_s, 0, (size_t)(nt + 1) * nc * sizeof(double));
    memset(r->busy_total_s, 0, (size_t)(nt + 1) * sizeof(double));
    memset(r->staffed_s, 0, (size_t)(nt + 1) * ng * sizeof(double));
    for (int i = 0; i < nt * nc; i++)
        tally_reset(&r->tallies[i]);
    r->arrivals = r->handled = r->abandoned = r->lost = r->in_system = r->counted_open = 0;
    r->counted_in_ss = 0;
    r->serial = 0;
    r->closed = r->final_closed = 0;
    r->events = r->stale = 0;
    /* Steady mode measures nothing until the first counted arrival. */
    r->bucket = m->mode == MODE_STEADY ? nt : 0;
}

/* ==== Starting from a state, and writing one (docs/state.md) ==== */

/* An agent of group g who can take a contact of a channel (slotted: share a slot), brought on
 * the floor beyond the schedule if none is, to leave once its hands are empty: the state says
 * the contact is with an agent now.  NIL when the group's pool is exhausted. */
static uint32_t state_agent(struct rep *r, int g, int slotted)
{
    struct group_run *gr = &r->groups[g];
    for (int load = slotted ? gr->K - 1 : 0; load >= 0; load--)
        if (gr->lists[load].head != NIL) return gr->lists[load].head;
    /* An agent pausing or in a shrinkage period is present: the state says it is serving. */
    for (uint32_t a = gr->first_agent; a < gr->first_agent + gr->pool; a++) {
        struct agent *ag = &r->agents[a];
        if (ag->on_duty && ag->paused) {
            ag->paused = 0;
            ag->gen++;
            return a;
        }
        if (ag->shrinking) {
            end_shrinkage(r, a);
            return a;
        }
    }
    if (gr->n_off == 0) return NIL;
    uint32_t a = gr->off[--gr->n_off];
    come_on_floor(r, a, 1);
    gr->release_pending++;
    return a;
}

/* The skill of group g that serves channel c's contacts of segment s (-1 none). */
static int skill_for(const struct group_spec *gs, int c, int s)
{
    for (int k = 0; k < gs->n_skills; k++)
        if (gs->skills[k] == c && (group_skill_segment(gs, k) < 0 || group_skill_segment(gs, k) == s))
            return k;
    return -1;
}

/* One contact of the state, placed at time T = now: its issue opened as fresh (a new issue
 * number), its remaining times drawn given the time already spent. */
static void place_state_contact(struct rep *r, const struct state_contact *sc)
{
    const struct model_spec *m = r->m;
    double T = now_s(r);
    uint32_t k = contact_alloc(r);
    struct contact *ct = &r->contacts[k];
    ct->segment = (uint16_t)sc->segment;
    ct->counted = 1;
    issue_open(r, ct, (uint64_t)r->serial++);
    ct->issue_start_s = T - sc->age_s;
    /* Both sides of Little's law for issues count the issue's time before the state. */
    r->issue_area += sc->age_s;
    ct->attempt = (uint16_t)(sc->attempt - 1);
    r->prior_contacts += ct->attempt;
    int c = sc->channel;
    if (sc->kind == ST_RETRIAL || sc->kind == ST_REPEAT) {
        ct->kind = sc->kind == ST_RETRIAL ? 1 : 2;
        ct->repeats = sc->kind == ST_REPEAT;
        ct->front = (uint16_t)c;
        double due = T + sc->due_s, t = next_open_time(r, due);
        ct->state = t < HUGE_VAL ? C_PENDING : C_PARKED;
        ct->due_s = t < HUGE_VAL ? t : due;
        ct->gen++;
        r->counted_pending++;
        if (t == HUGE_VAL) return;
        cal_push(&r->cal, t, ev_prio[EV_FOLLOWUP], EV_FOLLOWUP, k, ct->gen);
        return;
    }
    if (sc->kind == ST_SELF_SERVICE) {
        contact_enter(r, k, c, 1);
        r->contacts[k].arrival_s = T - sc->age_s;
        enter_self_service(r, k, c, 1, sc->due_s);
        return;
    }
    contact_enter(r, k, c, 1);
    ct = &r->contacts[k];
    ct->arrival_s = T - sc->age_s;
    ct->channel = (uint16_t)c;
    ct->joined = 1;
    COUNT(r, ct, offered);
    r->open_by_channel[c]++;
    const struct channel_spec *ch = &m->channels[c];
    double u_work = contact_u(r, ct, RNG_FOLLOWUP, F_SERVICE);
    double u_patience = contact_u(r, ct, RNG_FOLLOWUP, F_PATIENCE);
    ct->queue_s = T - sc->waited_s;
    switch (sc->kind) {
    case ST_WAITING: {
        queue_push(r, k);
        ct->enqueue_s = ct->queue_s; /* its place is its time in the queue */
        COUNT(r, ct, queued);
        if (sc->callback) {
            COUNT(r, ct, cb_offered);
            COUNT(r, ct, cb_accepted);
            ct->callback = 1;
            ct->cb_tries = (uint16_t)sc->tries;
        } else if (ct->patience_s < HUGE_VAL) {
            double left = dist_residual(patience_of(m, sc->segment, c), sc->waited_s, u_patience);
            ct->patience_s = sc->waited_s + left;
            cal_push_in(&r->cal, CAL_LANE_TIMERS, T + left, ev_prio[EV_PATIENCE], EV_PATIENCE, k,
                        ct->gen);
        }
        if (r->has_overflow) schedule_overflow(r, k);
        return;
    }
    case ST_IN_SERVICE: {
        const struct group_spec *gs = &m->groups[sc->group];
        int skill = skill_for(gs, c, sc->segment), slotted = channel_kind_slotted(ch->kind);
        uint32_t a = state_agent(r, sc->group, slotted);
        ct->answered = 1; /* its wait happened before the state: not in the wait statistics */
        ct->answer_s = ct->queue_s = T;
        COUNT(r, ct, pre_answered);
        ct->exchanges_left = (uint16_t)sc->exchanges;
        if (a == NIL) {
            /* No agent present to hold it (the floor is emptier than the state says): it
             * waits first in line with the work it has left. */
            ct->work_s = dist_residual(&ch->service, sc->waited_s, u_work);
            queue_push_front(r, k);
            return;
        }
        /* The elapsed time is agent time: the work done so far is it over the agent's rate
         * (proficiency, and slowdown for the contacts it will hold). */
        double rate = group_proficiency(gs, skill) *
                      (slotted ? gs->slowdown[r->agents[a].load] : 1.0);
        ct->work_s = dist_residual(&ch->service, sc->waited_s / rate, u_work);
        assign(r, a, k, skill);
        agent_place(r, a);
        return;
    }
    case ST_CALLBACK:
        COUNT(r, ct, cb_offered);
        COUNT(r, ct, cb_accepted);
        ct->callback = 1;
        ct->cb_tries = (uint16_t)sc->tries;
        ct->state = C_CB_WAIT;
        ct->gen++;
        {
            /* As callback_failed: a try after the close waits for the next opening. */
            double due = T + sc->due_s, t = next_open_time(r, due);
            ct->due_s = t < HUGE_VAL ? t : due;
            ct->cb_deferred = t != due;
            if (!ct->cb_deferred) r->cb_waiting[c]++;
        }
        cal_push(&r->cal, ct->due_s, ev_prio[EV_CB_RETRY], EV_CB_RETRY, k, ct->gen);
        return;
    case ST_REPLY:
        ct->answered = 1;
        ct->answer_s = T;
        COUNT(r, ct, pre_answered);
        ct->exchanges_left = (uint16_t)sc->exchanges;
        ct->state = C_AWAY;
        ct->due_s = T + sc->due_s;
        r->away[c]++;
        cal_push(&r->cal, ct->due_s, ev_prio[EV_REPLY], EV_REPLY, k, ct->gen);
        return;
    default:
        SIM_ENSURE(0);
    }
}

static int by_wait_desc(const void *a, const void *b)
{
    const struct state_contact *x = a, *y = b;
    return x->waited_s > y->waited_s ? -1 : x->waited_s < y->waited_s;
}

/* The replication starts at the state's time: staffing, schedules and arrivals as they would be
 * then, the day's busyness and absence as the state says, then its contacts, then the idle
 * agents take the waiting ones. */
static void start_from_state(struct rep *r, const struct state_snapshot *s)
{
    const struct model_spec *m = r->m;
    double T = s->time_s;
    int d = (int)floor(T / DAY_S);
    for (int b = 0; b < m->n_busyness; b++)
        if (!isnan(s->busyness[b])) r->busy_factor[(size_t)b * m->n_days + d] = s->busyness[b];
    r->cal.now_s = T;
    for (int c = 0; c < r->nc; c++)
        r->busy_since[c] = r->slots_since[c] = T;
    r->busy_total_since = r->bucket_since = r->queue_since = r->issue_since = T;
    for (int i = 0; i < r->ng * r->max_skills; i++)
        r->skill_since[i] = T;
    for (int g = 0; g < r->ng; g++) {
        struct group_run *gr = &r->groups[g];
        gr->staffed_since = T;
        int now = -1;
        for (int i = 0; i < gr->n_sched && gr->sched[i].t <= T; i++)
            now = i;
        /* Absentees the state names replace the day's draws from now to the day's end. */
        for (int i = now < 0 ? 0 : now; s->absent[g] >= 0 && i < gr->n_sched; i++)
            if (gr->sched[i].t < (d + 1) * DAY_S) {
                int present = gr->sched[i].plan - s->absent[g];
                gr->sched[i].target = present > 0 ? present : 0;
            }
        if (now >= 0)
            handle_schedule(r, g, now);
        else if (gr->n_sched > 0)
            cal_push(&r->cal, gr->sched[0].t, ev_prio[EV_SCHEDULE], EV_SCHEDULE, (uint32_t)g, 0);
    }
    int interval = d * m->n_intervals + (int)floor((T - d * DAY_S) / m->interval_s);
    handle_staffing(r, interval);
    for (int i = 0; i < r->nc * r->ns; i++)
        schedule_arrival(r, i, T);
    for (int i = 0; i < m->n_incidents * r->nc; i++)
        schedule_incident(r, i, T);
    /* In service first (they hold agents), then the queues longest-waiting first (their order),
     * then the rest. */
    struct state_contact *order = xmalloc(((size_t)s->n + 1) * sizeof *order);
    int n = 0;
    for (int pass = 0; pass < 3; pass++) {
        int from = n;
        for (int i = 0; i < s->n; i++) {
            int kind = s->contacts[i].kind;
            if ((pass == 0) == (kind == ST_IN_SERVICE) && (pass == 1) == (kind == ST_WAITING))
                order[n++] = s->contacts[i];
        }
        if (pass == 1) qsort(order + from, (size_t)(n - from), sizeof *order, by_wait_desc);
    }
    for (int i = 0; i < n; i++)
        place_state_contact(r, &order[i]);
    free(order);
    for (int g = 0; g < r->ng; g++) {
        const struct group_run *gr = &r->groups[g];
        for (uint32_t a = gr->first_agent; a < gr->first_agent + gr->pool; a++) {
            const struct agent *ag = &r->agents[a];
            if (ag->on_duty && ag->list >= 0 && ag->list < gr->K) agent_fill(r, a);
        }
    }
    sample_backlog(r, interval, 1);
}

/* The replication's state now, as docs/state.md describes it, appended to the dump file. */
static void dump_state(struct rep *r)
{
    const struct model_spec *m = r->m;
    double T = now_s(r);
    int d = (int)floor(T / DAY_S);
    struct state_snapshot s = {T, 0, NULL, NULL, NULL};
    s.contacts = xcalloc((size_t)r->n_slots, sizeof *s.contacts);
    s.busyness = xcalloc((size_t)m->n_busyness + 1, sizeof *s.busyness);
    s.absent = xcalloc((size_t)r->ng + 1, sizeof *s.absent);
    for (int b = 0; b < m->n_busyness; b++)
        s.busyness[b] = r->busy_factor[(size_t)b * m->n_days + d];
    /* Absence is not written: a restart draws the day's absence again, with the same law. */
    for (int g = 0; g < r->ng; g++)
        s.absent[g] = -1;
    for (uint32_t i = 0; i < r->n_slots; i++) {
        const struct contact *ct = &r->contacts[i];
        struct state_contact c = {.channel = ct->channel, .segment = ct->segment, .group = -1,
                                  .age_s = T - ct->arrival_s, .attempt = ct->attempt + 1,
                                  .tries = ct->cb_tries, .exchanges = ct->exchanges_left};
        switch ((enum contact_state)ct->state) {
        case C_WAITING:
            c.kind = ST_WAITING;
            c.waited_s = T - ct->queue_s;
            c.callback = ct->callback;
            c.tries = ct->cb_tries;
            if (ct->answered) {
                /* A conversation between exchanges, queued for its next reply: a reply due now. */
                c.kind = ST_REPLY;
                c.due_s = 0;
            }
            break;
        case C_SERVICE:
            if (ct->cb_failing) {
                /* A call that will not reach: the customer is still a callback waiting. */
                c.kind = ST_WAITING;
                c.waited_s = T - ct->queue_s;
                c.callback = 1;
                c.tries = ct->cb_tries;
                break;
            }
            c.kind = ST_IN_SERVICE;
            c.group = (int)r->agents[ct->agent].group;
            c.waited_s = T - ct->service_start_s;
            break;
        case C_SELF_SERVICE:
            c.kind = ST_SELF_SERVICE;
            c.channel = ct->front;
            c.due_s = ct->queue_s - T;
            break;
        case C_PENDING:
        case C_PARKED:
            c.kind = ct->kind == 2 ? ST_REPEAT : ST_RETRIAL;
            c.channel = ct->front;
            c.age_s = T - ct->issue_start_s;
            c.due_s = ct->due_s - T;
            break;
        case C_CB_WAIT:
            c.kind = ST_CALLBACK;
            c.waited_s = T - ct->queue_s;
            c.due_s = ct->due_s - T;
            break;
        case C_AWAY:
            c.kind = ST_REPLY;
            c.due_s = ct->due_s - T;
            break;
        case C_FREE:
        case C_WRAP:
            continue; /* the customer has gone (wrap-up, a transfer's hold) */
        }
        if (c.age_s < c.waited_s) c.age_s = c.waited_s;
        s.contacts[s.n++] = c;
    }
    state_write_snapshot(r->dump, m, r->rep_index, &s);
    free(s.contacts);
    free(s.busyness);
    free(s.absent);
}

/* Progress inside a long replication: by counted arrivals (steady) or by clock (day). */
static void report_progress(const struct rep *r)
{
    const struct model_spec *m = r->m;
    if (r->hooks == NULL || r->hooks->progress == NULL) return;
    double inside = m->mode == MODE_STEADY
                        ? (double)r->serial / (double)(m->warmup_contacts + m->contacts)
                        : now_s(r) / ((m->n_days - 1) * DAY_S + m->n_intervals * m->interval_s);
    double fraction = (r->rep_index + fmin(inside, 1.0)) / m->replications;
    r->hooks->progress(r->hooks->progress_ctx, fraction, r->rep_index, m->replications);
}

static int rep_finished(const struct rep *r)
{
    const struct model_spec *m = r->m;
    if (m->mode == MODE_STEADY)
        return r->serial >= m->warmup_contacts + m->contacts && r->counted_open == 0 &&
               r->counted_pending == 0;
    /* Agents stay on after the last close while real-time work is pending or in hand. */
    return r->final_closed && r->on_duty_total == 0 && r->shrinking_total == 0 &&
           r->counted_in_ss == 0;
}

static void start_empty(struct rep *r);
static void run_events(struct rep *r);

static void rep_simulate(struct rep *r)
{
    const struct sim_state *state = r->hooks ? r->hooks->state : NULL;
    if (state != NULL)
        start_from_state(r, &state->snaps[r->rep_index % state->n]);
    else
        start_empty(r);
    /* Before any event at its time (an interval change at that instant comes after it). */
    if (r->dump != NULL && r->hooks->dump_at_s >= now_s(r))
        cal_push(&r->cal, r->hooks->dump_at_s, ev_prio[EV_DUMP], EV_DUMP, 0, 0);
    run_events(r);
}

static void start_empty(struct rep *r)
{
    const struct model_spec *m = r->m;
    if (m->mode == MODE_DAY) handle_staffing(r, 0);
    for (int g = 0; g < r->ng; g++) {
        const struct group_run *gr = &r->groups[g];
        if (gr->n_sched == 0) continue;
        if (gr->sched[0].t <= 0)
            handle_schedule(r, g, 0);
        else
            cal_push(&r->cal, gr->sched[0].t, ev_prio[EV_SCHEDULE], EV_SCHEDULE, (uint32_t)g, 0);
    }
    for (int i = 0; i < r->nc * r->ns; i++)
        schedule_arrival(r, i, 0);
    if (r->hooks != NULL && r->hooks->trace != NULL) {
        r->trace_at = 0;
        schedule_trace(r);
    }
    for (int i = 0; i < m->n_incidents * r->nc; i++)
        schedule_incident(r, i, 0);
}

static void run_events(struct rep *r)
{
    struct cal_event ev;
    while (cal_pop(&r->cal, &ev)) {
        /* The next event's contact is fetched while this one is handled: in a large center the
         * contact pool is far bigger than the cache, and that miss is most of an event's cost. */
        const struct cal_event *next = cal_peek(&r->cal);
        if (next != NULL && next->kind >= EV_SERVICE_END && next->kind <= EV_REPLY) {
            const char *slot = (const char *)&r->contacts[next->index];
            __builtin_prefetch(slot);
            __builtin_prefetch(slot + 64);
        }
        switch ((enum ev_kind)ev.kind) {
        case EV_ARRIVAL:
            handle_arrival(r, (int)ev.index);
            break;
        case EV_SERVICE_END:
            if (!handle_service_end(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_PATIENCE:
            if (!handle_patience(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_REPLY:
            handle_reply(r, ev.index, ev.tag);
            break;
        case EV_SS_END:
            handle_ss_end(r, ev.index, ev.tag);
            break;
        case EV_WRAP_END:
            handle_wrap_end(r, ev.index, ev.tag);
            break;
        case EV_SCHEDULE:
            handle_schedule(r, (int)ev.index, (int)ev.tag);
            break;
        case EV_SHRINK_DUE:
            if (!handle_shrink_due(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_SHRINK_END:
            if (!handle_shrink_end(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_PAUSE_END:
            if (!handle_pause_end(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_OVERFLOW:
            if (!handle_overflow(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_STAFFING:
            handle_staffing(r, (int)ev.index);
            break;
        case EV_FOLLOWUP:
            handle_followup(r, ev.index, ev.tag);
            break;
        case EV_CB_RETRY:
            handle_cb_retry(r, ev.index, ev.tag);
            break;
        case EV_INCIDENT:
            handle_incident(r, (int)ev.index);
            break;
        case EV_DUMP:
            dump_state(r);
            break;
        case EV_TRACE:
            handle_trace(r);
            break;
        }
        if ((++r->events & 0xfffff) == 0 && r->inner_progress) report_progress(r);
        /* A stop asked for (SIGINT, SIGTERM): this replication's results will be discarded. */
        if ((r->events & 0xffff) == 0 && r->hooks != NULL && r->hooks->stop != NULL &&
            *r->hooks->stop)
            break;
#ifdef SIM_DEBUG
        assert(cal_check(&r->cal));
#endif
        if (rep_finished(r)) break;
    }
    switch_bucket(r, r->bucket);
    flush_queue_area(r);
    flush_issue_area(r);
    SIM_ENSURE(r->arrivals == r->handled + r->abandoned + r->lost + r->in_system);
}

/* Open issues at the end, from the slots that carry them (every state but free and the
 * agent-side wrap-up): the stays still running close the Little sums, and each open issue must
 * be carried by exactly one slot.  Returns the contacts the counted open issues have made. */
static uint64_t close_open_issues(struct rep *r)
{
    double t = now_s(r);
    uint64_t carried = 0, counted = 0, contacts = 0;
    for (uint32_t i = 0; i < r->n_slots; i++) {
        const struct contact *ct = &r->contacts[i];
        if (ct->state == C_FREE || ct->state == C_WRAP) continue;
        carried++;
        r->issue_time += t - ct->issue_start_s;
        if (ct->state == C_WAITING) r->queue_waits += t - ct->pushed_s;
        if (!ct->counted) continue;
        counted++;
        /* A pending slot already counts the contact to come. */
        contacts += ct->attempt + (ct->state == C_PENDING || ct->state == C_PARKED ? 0u : 1u);
    }
    SIM_ENSURE(carried == r->issues_open);
    SIM_ENSURE(counted == r->counted_issues_open);
    SIM_ENSURE(r->counted_issues_open == r->counted_open + r->counted_pending);
    return contacts;
}

static double ratio_or_nan(double num, double den)
{
    return den > 0 ? num / den : (double)NAN;
}

static void journey_values(const struct journey_tally *jt, double *v)
{
    double ended = (double)(jt->resolved + jt->gave_up);
    v[MET_ISSUES] = (double)jt->issues;
    v[MET_ISSUES_RESOLVED] = (double)jt->resolved;
    v[MET_ISSUES_GAVE_UP] = (double)jt->gave_up;
    v[MET_ISSUES_OPEN] = (double)jt->issues - ended;
    v[MET_CONTACTS_PER_ISSUE] = ratio_or_nan((double)jt->contacts, ended);
    v[MET_WAIT_PER_ISSUE] = ratio_or_nan(jt->wait_s, ended);
    v[MET_TIME_TO_RESOLUTION] = ratio_or_nan(jt->resolution_s, (double)jt->resolved);
    v[MET_FCR_RATE] = ratio_or_nan((double)jt->first_contact, ended);
    v[MET_RESOLUTION_RATE] = ratio_or_nan((double)jt->resolved, ended);
    v[MET_GAVE_UP_RATE] = ratio_or_nan((double)jt->gave_up, ended);
    v[MET_CHURNED] = (double)jt->churned;
    v[MET_CHURN_RATE] = ratio_or_nan((double)jt->churned, ended);
    v[MET_CHURN_COST] = jt->churn_cost;
}

/* The issue scopes (segments and total) and the Little sums, with the identities that tie issues
 * to contacts: every counted issue ended once or is open, every counted contact belongs to one. */
static void collect_journeys(struct rep *r, struct results *res, int rep_index, uint64_t arrived)
{
    const struct model_spec *m = r->m;
    uint64_t open_contacts = close_open_issues(r);
    struct journey_tally all;
    memset(&all, 0, sizeof all);
    for (int sg = 0; sg < r->ns; sg++) {
        const struct journey_tally *jt = &r->jt[sg];
        all.issues += jt->issues;
        all.resolved += jt->resolved;
        all.gave_up += jt->gave_up;
        all.first_contact += jt->first_contact;
        all.contacts += jt->contacts;
        all.churned += jt->churned;
        all.wait_s += jt->wait_s;
        all.resolution_s += jt->resolution_s;
        all.churn_cost += jt->churn_cost;
        if (sg < m->n_segments)
            journey_values(jt, results_value(res, rep_index, results_segment_scope(m, sg), 0));
    }
    SIM_ENSURE(all.issues == all.resolved + all.gave_up + r->counted_issues_open);
    SIM_ENSURE(arrived + r->prior_contacts == all.contacts + open_contacts);
    double *v = results_value(res, rep_index, 0, 0);
    journey_values(&all, v);
    v[MET_QUEUE_AREA] = r->queue_area;
    v[MET_QUEUE_WAITS] = r->queue_waits;
    v[MET_ISSUE_AREA] = r->issue_area;
    v[MET_ISSUE_TIME] = r->issue_time;
}

/* Occupancy and slot accounting of (interval or bucket i, channel c) into ty. */
static void fill_time_sums(const struct rep *r, struct tally *ty, int i, int c)
{
    const struct model_spec *m = r->m;
    ty->busy_agent_s = r->busy_s[(size_t)i * r->nc + c];
    ty->slot_s = r->slot_s[(size_t)i * r->nc + c];
    ty->staffed_agent_s = ty->slot_capacity_s = 0;
    for (int k = 0; k < r->n_routes[c]; k++) {
        int g = r->routes[c][k];
        double staffed = r->staffed_s[(size_t)i * r->ng + g];
        ty->staffed_agent_s += staffed;
        ty->slot_capacity_s += staffed * m->groups[g].concurrency;
    }
}

/* Fills the metric vector of one group scope over buckets [lo, hi) (agent time averages over
 * the buckets' simulated time). */
static void group_values(const struct rep *r, int g, int lo, int hi, double *v)
{
    double plan = 0, floor_s = 0, over = 0, busy = 0, time = 0;
    for (int i = lo; i < hi; i++) {
        size_t j = (size_t)i * r->ng + g;
        plan += r->plan_s[j];
        floor_s += r->staffed_s[j];
        over += r->overrun_s[j];
        busy += r->group_busy_s[j];
        time += r->bucket_s[i];
    }
    for (int k = 0; k < MET_N; k++)
        v[k] = (double)NAN;
    v[MET_SCHEDULED_AGENTS] = time > 0 ? plan / time : (double)NAN;
    v[MET_STAFFED_AGENTS] = time > 0 ? (floor_s - over) / time : (double)NAN;
    v[MET_OCCUPANCY] = floor_s > 0 ? busy / floor_s : (double)NAN;
    v[MET_OVERRUN] = over;
}

/* Group scopes: the run (open hours for the agent averages, every bucket for occupancy, overrun
 * and cost), each interval, each skill; and the agents' cost in the total. */
static void collect_groups(struct rep *r, struct results *res, int rep_index, int run_buckets,
                           double contact_cost)
{
    const struct model_spec *m = r->m;
    int nt = r->n_total, day = m->mode == MODE_DAY;
    double agents_cost = 0;
    for (int g = 0; g < r->ng; g++) {
        const struct group_spec *gs = &m->groups[g];
        double *v = results_value(res, rep_index, results_group_scope(m, g, 0), 0);
        group_values(r, g, 0, nt, v);
        double all[MET_N];
        group_values(r, g, 0, run_buckets, all);
        v[MET_OCCUPANCY] = all[MET_OCCUPANCY];
        v[MET_OVERRUN] = all[MET_OVERRUN];
        double paid = 0, floor_s = 0;
        for (int i = 0; i < run_buckets; i++) {
            paid += r->paid_s[(size_t)i * r->ng + g];
            floor_s += r->staffed_s[(size_t)i * r->ng + g];
        }
        v[MET_COST_AGENTS] = paid / 3600 * gs->cost_per_hour;
        agents_cost += v[MET_COST_AGENTS];
        v[MET_OVERTIME] = day ? r->staffed_s[(size_t)nt * r->ng + g] : (double)NAN;
        for (int i = 0; i < nt && day; i++)
            group_values(r, g, i, i + 1,
                         results_value(res, rep_index, results_group_scope(m, g, 1 + i), 0));
        for (int k = 0; k < gs->n_skills; k++) {
            double on = 0;
            for (int i = 0; i < run_buckets; i++)
                on += r->skill_s[((size_t)i * r->ng + g) * r->max_skills + k];
            double *u = results_value(
                res, rep_index, results_group_scope(m, g, 1 + (day ? nt : 0) + k), 0);
            for (int j = 0; j < MET_N; j++)
                u[j] = (double)NAN;
            u[MET_UTILISATION] = floor_s > 0 ? on / floor_s : (double)NAN;
        }
    }
    *results_value(res, rep_index, 0, MET_COST_AGENTS) = agents_cost;
    *results_value(res, rep_index, 0, MET_COST_TOTAL) = agents_cost + contact_cost;
}

/* Writes the replication's metrics into res for every scope. */
/* What a replication adds to the run beside its metrics, kept apart until the replication is
 * known to be part of the results (sequential sampling may drop the last ones). */
struct rep_out {
    uint64_t events, stale, arrivals;
    struct hist *waits; /* per channel; owned */
    char *log, *dump;   /* buffered call-log rows and state (several threads); owned */
    size_t log_len, dump_len;
    int finished;
};

static void rep_collect(struct rep *r, struct results *res, int rep_index, struct rep_out *out)
{
    const struct model_spec *m = r->m;
    int nc = r->nc, nt = r->n_total, ng = r->ng;
    struct tally *agg = &r->scratch;
    struct tally sum;
    tally_reset(&sum);
    for (int i = 0; i < nt; i++)
        for (int c = 0; c < nc; c++) {
            struct tally *ty = &r->tallies[i * nc + c];
            fill_time_sums(r, ty, i, c);
            tally_add(&sum, ty);
        }
    /* Every counted arrival is in exactly one place: resolved or gone in self-service, handled,
     * abandoned, balked, blocked, or still in the system. */
    SIM_ENSURE(sum.arrived == sum.deflected + sum.gave_up_ss + sum.handled - sum.transferred +
                                  sum.abandoned + sum.balked + sum.blocked + sum.cb_unreached +
                                  r->counted_open);
    SIM_ENSURE(sum.arrived ==
               sum.deflected + sum.gave_up_ss + sum.offered - sum.transferred + r->counted_in_ss);

    /* Run-level time sums cover the after-close bucket too in day mode (agents staffed and busy
     * on overtime); in steady mode that bucket is outside the measured window. */
    int run_buckets = m->mode == MODE_DAY ? nt + 1 : nt;
    double total_staffed = 0, total_busy = 0;
    for (int i = 0; i < run_buckets; i++) {
        total_busy += r->busy_total_s[i];
        for (int g = 0; g < ng; g++)
            total_staffed += r->staffed_s[(size_t)i * ng + g];
    }

    struct tally total;
    tally_reset(&total);
    for (int c = 0; c < nc; c++) {
        tally_reset(agg);
        for (int i = 0; i < nt; i++)
            tally_add(agg, &r->tallies[i * nc + c]);
        if (run_buckets > nt) {
            struct tally after;
            memset(&after, 0, offsetof(struct tally, wait_answered));
            fill_time_sums(r, &after, nt, c);
            agg->busy_agent_s += after.busy_agent_s;
            agg->staffed_agent_s += after.staffed_agent_s;
            agg->slot_s += after.slot_s;
            agg->slot_capacity_s += after.slot_capacity_s;
        }
        /* Conservation per channel: offered = handled + abandoned + still in the system. */
        SIM_ENSURE(agg->offered == agg->handled + agg->abandoned + agg->balked + agg->blocked +
                                       agg->cb_unreached + r->open_by_channel[c]);
        /* Backlogs are levels, not sums: the channel's is the one left at the end. */
        agg->backlog_start = (double)NAN;
        agg->backlog_end = r->waiting[c];
        tally_metrics(agg, m->channels[c].kind, results_value(res, rep_index, 1 + c, 0));
        hist_merge(&out->waits[c], &agg->wait_answered);
        tally_add(&total, agg);
    }
    total.staffed_agent_s = total_staffed;
    total.busy_agent_s = total_busy;
    tally_metrics(&total, CH_N_KINDS, results_value(res, rep_index, 0, 0));
    for (int i = 0; i < nt && m->mode == MODE_DAY; i++) {
        tally_reset(agg);
        for (int c = 0; c < nc; c++) {
            tally_metrics(&r->tallies[i * nc + c], m->channels[c].kind,
                          results_value(res, rep_index, results_interval_scope(m, i, c), 0));
            tally_add(agg, &r->tallies[i * nc + c]);
        }
        agg->staffed_agent_s = 0;
        for (int g = 0; g < ng; g++)
            agg->staffed_agent_s += r->staffed_s[(size_t)i * ng + g];
        agg->busy_agent_s = r->busy_total_s[i];
        tally_metrics(agg, CH_N_KINDS,
                      results_value(res, rep_index, results_interval_scope(m, i, nc), 0));
    }
    collect_groups(r, res, rep_index, run_buckets, sum.cost);
    for (int sg = 0; sg < m->n_segments; sg++) {
        double *v = results_value(res, rep_index, results_segment_scope(m, sg), 0);
        tally_metrics(&r->seg_tallies[sg], CH_N_KINDS, v);
        v[MET_OCCUPANCY] = (double)NAN; /* agent time is not split by segment */
    }
    if (m->mode == MODE_DAY) {
        double overtime = 0;
        for (int g = 0; g < ng; g++)
            overtime += r->staffed_s[(size_t)nt * ng + g];
        *results_value(res, rep_index, 0, MET_OVERTIME) = overtime;
    }
    collect_journeys(r, res, rep_index, sum.arrived);
    out->events = r->events;
    out->stale = r->stale;
    out->arrivals = r->arrivals;
}

static double wall_clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The replications of a run, shared by the worker threads.  Each replication's metrics go to
 * its own row of res->values; what it adds to shared totals (events, waits, the call log, the
 * dumped state) waits in its rep_out and is added in replication order, so the results do not
 * depend on the number of threads or on which thread ran what. */
struct pool {
    const struct model_spec *m;
    const struct sim_hooks *hooks;
    struct results *res;
    int jobs;
    int direct;            /* one thread, every replication kept: write the files directly */
    pthread_mutex_t lock;
    int next, limit;       /* next replication to start; run those below limit */
    int done;              /* replications finished */
    int flushed;           /* replications added to the totals, in order */
    int flush_limit;       /* replications known to be in the results */
    int cap;               /* replications res->values and out have room for */
    int fault_raised;      /* the CCSIM_FAULT signal was sent */
    struct rep_out *out;
};

/* Adds finished replications, in order, up to flush_limit.  Called with the lock held. */
static void pool_flush(struct pool *p)
{
    const struct sim_hooks *h = p->hooks;
    while (p->flushed < p->flush_limit && p->out[p->flushed].finished) {
        struct rep_out *o = &p->out[p->flushed];
        p->res->events += o->events;
        p->res->stale_events += o->stale;
        p->res->arrivals += o->arrivals;
        for (int c = 0; c < p->m->n_channels; c++)
            hist_merge(&p->res->waits[c], &o->waits[c]);
        if (o->log != NULL) fwrite(o->log, 1, o->log_len, h->log);
        if (o->dump != NULL) fwrite(o->dump, 1, o->dump_len, h->dump);
        free(o->waits);
        free(o->log);
        free(o->dump);
        o->waits = NULL;
        o->log = o->dump = NULL;
        p->flushed++;
    }
}

static void fault_after_replication(struct pool *p);

static void *pool_worker(void *arg)
{
    struct pool *p = arg;
    const struct sim_hooks *h = p->hooks;
    struct rep *r = rep_alloc(p->m);
    r->hooks = h;
    r->inner_progress = p->jobs == 1 && h != NULL && h->progress != NULL;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        int stopping = h != NULL && h->stop != NULL && *h->stop;
        int k = p->next < p->limit && !stopping ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (k < 0) break;
        struct rep_out *o = &p->out[k];
        o->waits = xcalloc((size_t)p->m->n_channels + 1, sizeof *o->waits);
        /* One thread keeping every replication writes straight to the files; otherwise the
         * output is buffered, to be written in order (and only for kept replications). */
        FILE *log = NULL, *dump = NULL;
        if (h != NULL && h->log != NULL)
            log = p->direct ? h->log : open_memstream(&o->log, &o->log_len);
        if (h != NULL && h->dump != NULL)
            dump = p->direct ? h->dump : open_memstream(&o->dump, &o->dump_len);
        if ((h != NULL && h->log != NULL && log == NULL) || (h != NULL && h->dump != NULL && dump == NULL))
            die("out of memory buffering replication %d's output:", k);
        rep_reset(r, k);
        r->log = log;
        r->dump = dump;
        rep_simulate(r);
        if (!p->direct && log != NULL) fclose(log);
        if (!p->direct && dump != NULL) fclose(dump);
        if (h != NULL && h->stop != NULL && *h->stop) {
            /* Cut short by a stop: not a result. */
            free(o->waits);
            free(o->log);
            free(o->dump);
            o->waits = NULL;
            o->log = o->dump = NULL;
            break;
        }
        pthread_mutex_lock(&p->lock);
        rep_collect(r, p->res, k, o);
        o->finished = 1;
        p->done++;
        pool_flush(p);
        fault_after_replication(p);
        if (h != NULL && h->progress != NULL)
            h->progress(h->progress_ctx, (double)p->done / p->limit, p->done, p->limit);
        pthread_mutex_unlock(&p->lock);
    }
    rep_free(r);
    return NULL;
}

/* CCSIM_FAULT=int-after-replication:K (or term-, kill-): the test hook of docs/cli.md, which
 * sends this process SIGINT, SIGTERM or SIGKILL once the first K replications are finished and
 * written, in order.  Called with the lock held, after pool_flush. */
static void fault_after_replication(struct pool *p)
{
    long k;
    int sig = fault_signal("-after-replication:", &k);
    if (sig == 0 || p->flushed < k || p->fault_raised) return;
    p->fault_raised = 1;
    raise(sig);
}

/* Runs replications [next, limit) on the pool's threads. */
static void pool_run(struct pool *p)
{
    int n = p->jobs < p->limit - p->next ? p->jobs : p->limit - p->next;
    if (n <= 1) {
        pool_worker(p);
        return;
    }
    pthread_t *t = xcalloc((size_t)n, sizeof *t);
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, pool_worker, p) != 0) die("cannot start a thread:");
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    free(t);
}

static void pool_grow(struct pool *p, int cap)
{
    if (cap <= p->cap) return;
    size_t row = (size_t)p->res->n_scopes * MET_N;
    p->res->values = xrealloc(p->res->values, (size_t)cap * row * sizeof(double));
    memset(p->res->values + (size_t)p->cap * row, 0, (size_t)(cap - p->cap) * row * sizeof(double));
    p->out = xrealloc(p->out, (size_t)cap * sizeof *p->out);
    memset(p->out + p->cap, 0, (size_t)(cap - p->cap) * sizeof *p->out);
    p->cap = cap;
}

/* Frees the buffered outputs of replications [from, to), which are not reported.  The pointers
 * become NULL: a signal that arrives after the sequential stop drops an overlapping range again. */
static void pool_drop(struct pool *p, int from, int to)
{
    for (int k = from; k < to; k++) {
        free(p->out[k].waits);
        free(p->out[k].log);
        free(p->out[k].dump);
        p->out[k].waits = NULL;
        p->out[k].log = NULL;
        p->out[k].dump = NULL;
    }
}

/* Sequential sampling: running mean and squared deviations (Welford) of each headline metric
 * over the replications in index order, so each stopping check costs O(metrics).  Headline: the
 * total's service level, abandon rate, ASA and occupancy, each channel's service level and
 * abandon rate. */
struct running {
    int n_metrics, upto;  /* metrics followed; replications added so far */
    int *scope, *metric;  /* owned, n_metrics each: what metric k is */
    long *count;          /* owned: replications in which metric k is defined */
    double *mean, *m2;    /* owned: Welford's running mean and sum of squared deviations */
};

/* Caller owns; free with running_free. */
static struct running *running_new(const struct pool *p)
{
    size_t n = 4 + 2 * (size_t)p->m->n_channels;
    struct running *a = xcalloc(1, sizeof *a);
    a->scope = xcalloc(n, sizeof *a->scope);
    a->metric = xcalloc(n, sizeof *a->metric);
    a->count = xcalloc(n, sizeof *a->count);
    a->mean = xcalloc(n, sizeof *a->mean);
    a->m2 = xcalloc(n, sizeof *a->m2);
    static const int total[] = {MET_SL, MET_ABANDON_RATE, MET_ASA, MET_OCCUPANCY};
    for (int k = 0; k < 4; k++) {
        a->scope[a->n_metrics] = 0;
        a->metric[a->n_metrics++] = total[k];
    }
    for (int c = 0; c < p->m->n_channels; c++) {
        a->scope[a->n_metrics] = 1 + c;
        a->metric[a->n_metrics++] = MET_SL;
        a->scope[a->n_metrics] = 1 + c;
        a->metric[a->n_metrics++] = MET_ABANDON_RATE;
    }
    return a;
}

static void running_free(struct running *a)
{
    if (a == NULL) return;
    free(a->scope);
    free(a->metric);
    free(a->count);
    free(a->mean);
    free(a->m2);
    free(a);
}

/* Whether the first n replications pin every headline metric down to the precision asked (a
 * metric undefined in all of them so far is not waited for). */
static int precise_enough(const struct pool *p, struct running *a, int n)
{
    const struct sim_hooks *h = p->hooks;
    for (; a->upto < n; a->upto++)
        for (int k = 0; k < a->n_metrics; k++) {
            double x = *results_value(p->res, a->upto, a->scope[k], a->metric[k]);
            if (!isfinite(x)) continue;
            double d = x - a->mean[k];
            a->mean[k] += d / (double)++a->count[k];
            a->m2[k] += d * (x - a->mean[k]);
        }
    if (n < 2) return 0;
    for (int k = 0; k < a->n_metrics; k++) {
        if (a->count[k] == 0) continue;
        if (a->count[k] < 2) return 0;
        double ci = stat_t_quantile(0.95, (int)a->count[k]) *
                    sqrt(a->m2[k] / (double)(a->count[k] - 1) / (double)a->count[k]);
        if (ci > h->precision_rel * fabs(a->mean[k]) && ci > h->precision_abs) return 0;
    }
    return 1;
}

struct results *sim_run(const struct model_spec *m, const struct sim_hooks *hooks)
{
    zig_init(); /* before the workers start: the arrival streams draw unit exponentials */
    struct results *res = xcalloc(1, sizeof *res);
    res->n_scopes = results_n_scopes(m);
    res->summary = xcalloc((size_t)res->n_scopes * MET_N, sizeof *res->summary);
    res->waits = xcalloc((size_t)m->n_channels + 1, sizeof *res->waits);
    double start = wall_clock_s();
    struct pool p;
    memset(&p, 0, sizeof p);
    p.m = m;
    p.hooks = hooks;
    p.res = res;
    p.jobs = hooks != NULL && hooks->jobs > 1 ? hooks->jobs : 1;
    /* A call log or a dumped state is written as replications finish, in order: one thread,
     * so no replication's whole log has to wait in memory for an earlier one. */
    if (hooks != NULL && (hooks->log != NULL || hooks->dump != NULL)) p.jobs = 1;
    pthread_mutex_init(&p.lock, NULL);
    if (hooks != NULL && hooks->log != NULL) log_header(hooks->log);
    int sequential = hooks != NULL && hooks->precision_rel > 0;
    p.direct = p.jobs == 1 && !sequential;
    int n = m->replications;
    if (!sequential) {
        pool_grow(&p, n);
        p.limit = p.flush_limit = n;
        pool_run(&p);
    } else {
        /* Replications in batches; the decision looks at them one by one in index order, so
         * it, and the output, do not depend on the batch or the threads.  Replications run
         * past the stopping point are dropped. */
        int lo = hooks->min_reps > 2 ? hooks->min_reps : 2;
        int hi = hooks->max_reps > lo ? hooks->max_reps : lo;
        int checked = lo - 1, stop = -1, buffered = hooks->log != NULL || hooks->dump != NULL;
        struct running *acc = running_new(&p);
        while (stop < 0) {
            /* With a log to write, one replication at a time, so only one waits in memory. */
            int batch = p.limit == 0 ? lo : buffered ? 1 : (p.jobs > 8 ? p.jobs : 8);
            int limit = p.limit + batch < hi ? p.limit + batch : hi;
            pool_grow(&p, limit);
            p.limit = limit;
            pool_run(&p);
            if (hooks->stop != NULL && *hooks->stop) {
                stop = p.done > 0 ? p.done : 1; /* discarded by the caller */
                break;
            }
            for (; stop < 0 && checked < p.limit; checked++)
                if (precise_enough(&p, acc, checked + 1) || checked + 1 == hi) stop = checked + 1;
            pthread_mutex_lock(&p.lock);
            p.flush_limit = stop > 0 ? stop : checked;
            pool_flush(&p);
            pthread_mutex_unlock(&p.lock);
        }
        n = stop;
        res->precision_met = precise_enough(&p, acc, n);
        running_free(acc);
        pool_drop(&p, n, p.limit);
    }
    /* Stopped by a signal: the results are the replications finished in order before it. */
    if (hooks != NULL && hooks->stop != NULL && *hooks->stop) {
        n = p.flushed < n ? p.flushed : n;
        res->partial = 1;
        pool_drop(&p, n, p.cap);
    }
    pthread_mutex_destroy(&p.lock);
    free(p.out);
    res->replications = n;
    for (int s = 0; s < res->n_scopes; s++)
        for (int k = 0; k < MET_N; k++)
            res->summary[s * MET_N + k] = stat_summarize(results_value(res, 0, s, k), (size_t)n,
                                                         (size_t)res->n_scopes * MET_N);
    res->wall_s = wall_clock_s() - start;
    return res;
}

void results_free(struct results *r)
{
    if (r == NULL) return;
    free(r->values);
    free(r->summary);
    free(r->waits);
    free(r);
}
