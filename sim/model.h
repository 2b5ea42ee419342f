/* model: the model specification (plain data produced by conf, read by the simulator) and the
 * results of a run (plain data produced by the simulator, read by report and json).  Neither holds
 * a pointer into libconfig or into the simulator's state.  Times are seconds, rates per second
 * internally (configs speak per hour; conf converts). */
#ifndef CCSIM_MODEL_H
#define CCSIM_MODEL_H

#include "dist.h"
#include "stats.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

enum model_mode {
    MODE_STEADY, /* warm-up contacts, then counted contacts, one interval */
    MODE_DAY     /* planning intervals with their own rates and staffing, then close */
};

/* How a channel's contacts live.  Voice and chat are real time; messaging is asynchronous
 * (the agent is released while the customer is away); email is deferred work with a due time. */
enum channel_kind {
    CH_VOICE,     /* one agent, whole attention; the customer waits and may abandon */
    CH_CHAT,      /* takes one of an agent's concurrency slots */
    CH_MESSAGING, /* a conversation of several exchanges, each taking a slot while the agent works */
    CH_EMAIL,     /* one agent, whole attention; never abandons; carried over night */
    CH_N_KINDS
};

/* How a waiting customer told the predicted wait decides not to join. */
enum balk_model {
    BALK_NONE,
    BALK_LINEAR,      /* P(balk) = min(1, W / scale_s) */
    BALK_EXPONENTIAL  /* P(balk) = 1 - exp(-W / scale_s) */
};

/* A self-service front (IVR, chatbot, portal) before a channel's agents. */
struct self_service_spec {
    int enabled;
    int forced;              /* everyone meets it; otherwise only segments that accept it */
    char *label;             /* "ivr", "chatbot", ...; owned */
    struct dist time;        /* time in the front, s */
    double *success;         /* P(resolved in self-service) per segment; owned */
    double escalate;         /* P(escalates to an agent | not resolved); else gives up */
    int escalate_to;         /* channel index of the assisted queue */
    double frustration;      /* patience multiplier after a failed self-service */
    double uplift;           /* handle-time multiplier after a failed self-service */
};

/* Virtual hold: a voice customer told a long predicted wait may leave a number and keep its
 * place in the queue; an agent calls back when its turn comes. */
struct callback_spec {
    int enabled;
    double offer_above_s;  /* offered when the predicted wait is above this, s */
    double accept;         /* P(accepts the offer) */
    double reach;          /* P(an agent's call reaches the customer) */
    double attempt_s;      /* agent time spent on a call that does not reach, s */
    int retry;             /* 1: an unreached callback is tried again; 0: it is given up */
    double retry_after_s;  /* delay before the next try, s */
    int max_tries;         /* calls made before an unreached callback is given up */
};

struct channel_spec {
    char *name;            /* owned */
    enum channel_kind kind;
    double *rate_per_s;    /* arrival rate per segment and interval, 1/s; owned,
                            * [segment][n_days * n_intervals] */
    struct dist service;   /* handle time (work content) drawn at arrival; per exchange for
                            * messaging */
    struct dist patience;  /* DIST_NONE: contacts never abandon (messaging: first wait only) */
    double sl_seconds;     /* service-level threshold T, s (messaging: on first response) */
    double sl_target;      /* the service level aimed at, a fraction (plots and reports) */
    double due_s;          /* email: due this long after arrival, s */
    struct dist exchanges; /* messaging: agent replies per conversation, rounded up to >= 1 */
    struct dist reply_delay; /* messaging: customer away between exchanges, s */
    struct self_service_spec self_service;
    /* Limits; a zeroed spec has none.  An arrival finding them reached is blocked. */
    int limit_waiting;     /* max_waiting applies */
    int max_waiting;       /* waiting places */
    int limit_lines;       /* max_lines applies */
    int max_lines;         /* contacts waiting or in service */
    enum balk_model balking;
    double balk_scale_s;   /* s */
    double cost_per_contact;  /* currency per handled contact */
    double cost_per_minute;   /* currency per minute of agent work */
    int busyness_group;    /* 1 + index into model_spec.busyness; 0 none */
    int transfer_to;       /* 1 + channel a handled contact is transferred to; 0 none */
    double transfer_p;     /* P(transfer) after service */
    int transfer_warm;     /* warm: the first agent stays for consult_s (cold: it re-queues) */
    double consult_s;      /* warm transfer consult, s: both agents are busy for it */
    int *interrupts;       /* per channel: 1 when this channel's contacts may interrupt an
                            * agent's contact of that channel (which resumes later); owned,
                            * NULL none */
    double priority;       /* base of a waiting contact's score (higher is served first) */
    double priority_per_s; /* score gained per second waited */
    double fcr;            /* default first-contact resolution of the skills serving it */
    struct callback_spec callback;
};

/* ---- Journeys: a customer's issue over its contacts (docs/config.md, "Journeys") ---- */

/* A customer coming back: a retrial after a contact that reached no agent (abandoned, blocked,
 * balked, callback unreached), or a repeat after a handled contact that did not resolve the
 * issue (the handling skill's FCR). */
struct return_spec {
    int enabled;           /* 0: the issue is given up instead */
    double probability;    /* P(comes back) */
    struct dist delay;     /* until the next contact, s */
    int max;               /* retrial: contacts of one issue, the first included; repeat: repeat
                            * contacts of one issue; beyond it the issue is given up */
    int channel;           /* channel of the next contact; -1 the one it came in on */
};

enum churn_model { CHURN_NONE, CHURN_LOGISTIC, CHURN_TABLE };

/* A row of a churn step table: applies when every condition holds; the last such row wins. */
struct churn_row {
    double min_wait_s;     /* the issue's total waiting at least this, s */
    int min_contacts;      /* the issue's contacts at least this */
    int outcome;           /* -1 any, 0 resolved, 1 gave up */
    double p;              /* P(churn) */
};

struct churn_spec {
    enum churn_model model;
    /* logistic: P = 1 / (1 + exp(-(intercept + per_wait_min W + per_extra_contact (n - 1) +
     * gave_up G))), W the issue's waiting in minutes, n its contacts, G 1 when it gave up. */
    double intercept, per_wait_min, per_extra_contact, gave_up;
    int n_rows;
    struct churn_row *rows; /* owned */
};

struct journey_spec {
    struct return_spec retrial;
    struct return_spec repeat;
    struct churn_spec churn;
};

/* An incident (an outage) adds arrivals per channel over a window; an optional proactive notice
 * from notice_s on reaches a share of the incident's customers, each of whom then does not
 * contact with probability `prevent`. */
struct incident_spec {
    char *name;            /* owned */
    double start_s, end_s; /* sim time */
    double *extra_per_s;   /* per channel, arrivals per s; owned */
    int notice;            /* a notice is sent */
    double notice_s;       /* sim time it goes out */
    double reach;
    double prevent;
};

struct segment_spec {
    char *name;            /* owned */
    double share;          /* of the arrivals */
    struct dist *patience; /* per channel; DIST_NONE keeps the channel's; owned */
    int self_service;      /* accepts an optional self-service front */
    double value;          /* currency, for the cost of churn */
    double priority;       /* added to the score of the segment's contacts */
    int journey;           /* index into model_spec.journeys */
};

/* A day-to-day busyness factor B ~ Gamma(shape, 1 / shape), mean 1, drawn once per replication
 * and day, multiplying every arrival rate of the channels in the group. */
struct busyness_spec {
    char *name;   /* owned */
    double shape; /* k > 0; the day's count then has variance L + L^2 / k */
};

struct break_spec {
    double earliest_s; /* clock time the first agent's break starts, s after midnight */
    double latest_s;   /* clock time the last agent's break starts */
    double length_s;
};

/* A shift: `agents` agents on the floor from start for length, less their breaks.  The breaks
 * of a shift's agents start evenly spread from earliest to latest. */
struct shift_spec {
    double start_s;  /* clock time, s after midnight */
    double length_s;
    int agents;
    int n_breaks;
    struct break_spec *breaks; /* owned */
};

/* A break of a shift template: it may start from earliest to latest after the shift's start,
 * on a grid of step. */
struct template_break {
    double earliest_after_s;
    double latest_after_s;
    double step_s;
    double length_s;
};

/* A shift template, for `ccsim schedule` (docs/schedule.md): shifts of length that may start
 * from earliest_start to latest_start on a grid of start_step, with their breaks. */
struct shift_template {
    char *name;              /* owned */
    double earliest_start_s; /* clock time, s after midnight */
    double latest_start_s;
    double start_step_s;
    double length_s;         /* breaks included */
    double cost;             /* per shift */
    int min_count;           /* shifts of this template, at least */
    int max_count;           /* at most; -1 no limit */
    int n_breaks;
    struct template_break *breaks; /* owned */
};

struct group_spec {
    char *name;        /* owned */
    int *agents;       /* agents on the floor per interval (net of breaks); owned,
                        * n_days * n_intervals long; with shifts, derived from them */
    int *skills;       /* channel indices served, in priority order; owned */
    int n_skills;
    /* Per skill, parallel to skills; a NULL array means the default for every skill. */
    int *skill_segment;    /* segment the skill is restricted to, -1 any (default) */
    double *proficiency;   /* handle-time multiplier (default 1) */
    double *fcr;           /* first-contact resolution probability (default 1); recorded for
                            * repeat contacts, which the journeys feature adds */
    struct dist *wrapup;   /* after-contact work (default none) */
    int concurrency;   /* chat and messaging contacts an agent holds at once, >= 1 */
    double *slowdown;  /* handle-time factor by contacts held after an assignment (index
                        * held - 1); owned, concurrency long */
    int n_shifts;      /* 0: the per-interval agents are the schedule */
    struct shift_spec *shifts; /* owned */
    int n_templates;   /* shift templates for `ccsim schedule`; the run ignores them */
    struct shift_template *templates; /* owned */
    double absenteeism;    /* P(a scheduled agent is absent all day) */
    double shrinkage;      /* fraction of floor time spent off the floor (meetings, coaching) */
    double shrinkage_period_s; /* length of one such period, s */
    double cost_per_hour;  /* currency per paid agent-hour (on duty or in shrinkage) */
    double occupancy_cap;  /* 0 none; else agents pause while the group's recent occupancy is
                            * above it */
    double cap_period_s;   /* time constant of the recent occupancy (exponential average), s */
    double cap_pause_s;    /* length of one idle pause, s */
    int reserve_channel;   /* 1 + channel index the group keeps agents free for; 0 none */
    int reserve_agents;    /* an agent takes another channel's contact only if this many of the
                            * group stay idle afterwards */
};

static inline int group_skill_segment(const struct group_spec *g, int k)
{
    return g->skill_segment ? g->skill_segment[k] : -1;
}

static inline double group_proficiency(const struct group_spec *g, int k)
{
    return g->proficiency ? g->proficiency[k] : 1.0;
}

/* A channel kind whose contacts take a slot, so several can share an agent. */
static inline int channel_kind_slotted(enum channel_kind k)
{
    return k == CH_CHAT || k == CH_MESSAGING;
}

/* Real-time work is followed to its end at the close; deferred work waits for the next day. */
static inline int channel_kind_real_time(enum channel_kind k)
{
    return k != CH_EMAIL;
}

const char *channel_kind_name(enum channel_kind k);
int channel_kind_from_name(const char *name); /* -1 when unknown */

struct model_spec {
    enum model_mode mode;
    int n_intervals;         /* per day; 1 in steady mode */
    int n_days;              /* consecutive days (day mode), 1 in steady mode */
    double interval_s;       /* day mode: interval length, s */
    double day_start_s;      /* day mode: clock time of the first interval, s after midnight */
    long long contacts;      /* steady mode: counted arrivals per replication */
    long long warmup_contacts; /* steady mode: arrivals simulated first and not counted */
    int n_channels;
    struct channel_spec *channels; /* owned */
    int n_groups;
    struct group_spec *groups;     /* owned */
    int n_segments;                /* conf always gives >= 1 ("default" when the config names
                                    * none); a spec built in code may leave 0: one implicit
                                    * segment, not reported */
    struct segment_spec *segments; /* owned */
    int n_busyness;
    struct busyness_spec *busyness; /* owned */
    uint64_t seed;           /* master seed */
    char *effective_config;  /* the config after overrides, as one JSON value; owned */
    /* Routing: eligible_after_s[class * n_groups + g] is how long a contact of class (channel x
     * segment) waits before group g may serve it, -1 never; route_order[class * n_groups + i] the
     * groups in the order a new contact tries them.  NULL: every group with a matching skill, in
     * config order, at once. */
    double *eligible_after_s; /* owned */
    int *route_order;         /* owned; -1 ends a class's list */
    int replications;
    int n_journeys;          /* [0] the top-level journeys, then segments' own */
    struct journey_spec *journeys; /* owned; NULL: no journeys (every segment as [0] zeroed) */
    int n_incidents;
    struct incident_spec *incidents; /* owned */
    int journeys_modelled;   /* some journey feature is configured (the report shows them) */
    long long max_in_system; /* contacts in the system beyond which a replication stops (0:
                              * the default, 10 million) */
};

/* The journey spec that applies to segment s (NULL when none is configured). */
static inline const struct journey_spec *model_journey(const struct model_spec *m, int s)
{
    if (m->journeys == NULL) return NULL;
    return &m->journeys[m->segments && s < m->n_segments ? m->segments[s].journey : 0];
}

/* Sim time of a clock time (s after midnight) on day d, 0-based: the run starts at day 0's
 * opening. */
static inline double model_day_time(const struct model_spec *m, int d, double clock_s)
{
    return d * 86400.0 + clock_s - m->day_start_s;
}

static inline double group_fcr(const struct group_spec *g, int k)
{
    return g->fcr ? g->fcr[k] : 1.0;
}

/* A warning for a steady model whose queue cannot settle (a channel without abandonment or
 * limits offered more work than its agents can do), written into buf; NULL when none. */
const char *model_unstable(const struct model_spec *m, char *buf, size_t cap);

/* Planning intervals over the whole run. */
static inline int model_total_intervals(const struct model_spec *m)
{
    return m->n_intervals * m->n_days;
}

/* The clock time (s after midnight) at which interval i of the horizon starts, days laid end to
 * end. */
static inline double model_interval_clock_s(const struct model_spec *m, int i)
{
    return m->day_start_s + (i % m->n_intervals) * m->interval_s;
}

void model_spec_free(struct model_spec *m);

/* Sets gr->agents to the most agents gr's shifts put on the floor during each interval (breaks
 * ignored, so this bounds the pool the simulator allocates). */
void model_shift_peaks(const struct model_spec *m, struct group_spec *gr);

/* ---- Results ---- */

enum metric {
    MET_OFFERED,
    MET_HANDLED,
    MET_ABANDONED,
    MET_ABANDON_RATE,
    MET_P_WAIT,
    MET_ASA,
    MET_WAIT_MEAN,
    MET_SL,
    MET_SL_EXCL,
    MET_WAIT_P50,
    MET_WAIT_P90,
    MET_WAIT_P99,
    MET_OCCUPANCY,
    MET_OVERTIME,    /* day mode, total scope only: staffed agent-seconds after the close */
    MET_SLOT_UTIL,   /* chat, messaging: used slots over concurrency x staffed agent-time */
    MET_FIRST_RESPONSE,    /* messaging: mean wait for the first agent reply, s */
    MET_FIRST_RESPONSE_SL, /* messaging: first reply within sl_seconds over offered */
    MET_DUE_MET,     /* email: handled before due over handled */
    MET_BACKLOG_START, /* email, per interval: waiting at the interval's start */
    MET_BACKLOG_END, /* email: waiting at the end (of the interval, or of the run) */
    MET_ARRIVED,     /* contacts arriving at the channel, before any self-service */
    MET_DEFLECTED,   /* resolved in self-service */
    MET_ESCALATED,   /* left self-service for an agent queue */
    MET_GAVE_UP_SS,  /* left self-service unresolved, without escalating */
    MET_SS_TIME,     /* mean time in self-service of those who used it, s */
    MET_BALKED,      /* told the predicted wait, did not join */
    MET_BLOCKED,     /* found no line or waiting place */
    MET_COST,        /* handled contacts and agent minutes at the channel's prices */
    MET_SCHEDULED_AGENTS, /* groups: agents the schedule plans on the floor, time average */
    MET_STAFFED_AGENTS,   /* groups: agents on the floor within the schedule, time average */
    MET_OVERRUN,     /* groups: agent-seconds present beyond the schedule (finishing work) */
    MET_COST_AGENTS, /* total, groups: paid agent-hours at the groups' hourly costs */
    MET_COST_TOTAL,  /* total: contacts' and agents' costs */
    MET_UTILISATION, /* group skills: agent time on the skill's contacts over floor time */
    MET_IN_SYSTEM_END, /* offered to agents and not finished when the run ended */
    MET_ESC_HANDLED,   /* escalated from self-service, then handled */
    MET_ESC_ABANDONED, /* escalated from self-service, then abandoned */
    MET_INTERRUPTED,   /* times the channel's contacts were put down for another channel's */
    MET_TRANSFERRED,   /* handled, then transferred to another channel */
    MET_RETRIALS,      /* contacts that are retrials of an issue */
    MET_REPEATS,       /* contacts that are repeats of an unresolved issue */
    MET_CB_OFFERED,    /* voice: callbacks offered */
    MET_CB_ACCEPTED,   /* voice: callbacks accepted */
    MET_CB_REACHED,    /* voice: callbacks whose call reached the customer */
    MET_CB_UNREACHED,  /* voice: callbacks given up unreached */
    MET_CB_WAIT,       /* voice: mean time from joining to being reached, callbacks, s */
    MET_PREVENTED,     /* incident issues that did not contact thanks to a notice */
    MET_INCIDENT_ISSUES, /* issues an incident started here (prevented ones excluded) */
    /* Journey scopes (the total and the segments; written by the report in `journeys`). */
    MET_ISSUES,        /* issues started */
    MET_ISSUES_RESOLVED,
    MET_ISSUES_GAVE_UP,
    MET_ISSUES_OPEN,   /* open when the run ended */
    MET_CONTACTS_PER_ISSUE, /* ended issues: contacts each */
    MET_WAIT_PER_ISSUE,     /* ended issues: waiting for agents each, s */
    MET_TIME_TO_RESOLUTION, /* resolved issues: first arrival to the resolving contact's end, s */
    MET_FCR_RATE,      /* ended issues resolved at their first contact */
    MET_RESOLUTION_RATE, /* ended issues resolved */
    MET_GAVE_UP_RATE,  /* ended issues given up */
    MET_CHURNED,       /* customers lost at the end of an issue */
    MET_CHURN_RATE,    /* churned over ended issues */
    MET_CHURN_COST,    /* churned customers' value, currency */
    /* Sample-path identities over the whole replication (total scope, written in `little`). */
    MET_QUEUE_AREA,    /* time integral of the contacts waiting for an agent, contact-s */
    MET_QUEUE_WAITS,   /* sum of every stay in an agent queue, s */
    MET_ISSUE_AREA,    /* time integral of the open issues, issue-s */
    MET_ISSUE_TIME,    /* sum of the issues' times open, s */
    MET_N
};

/* JSON names of the metrics, in enum order. */
extern const char *const metric_names[MET_N];

/* Counters of one class (an interval and channel, or an aggregate) in one replication. */
struct tally {
    uint64_t arrived;           /* at the channel, before self-service */
    uint64_t deflected, escalated, gave_up_ss, in_ss; /* self-service outcomes; used it */
    uint64_t balked, blocked;
    uint64_t esc_handled, esc_abandoned; /* escalated contacts' outcomes at the agents */
    uint64_t interrupted;       /* put down for a contact of a channel that may interrupt */
    uint64_t transferred;       /* handled here, then transferred to another channel */
    uint64_t retrials, repeats; /* contacts that were retrials or repeats of an issue */
    uint64_t cb_offered, cb_accepted, cb_answered, cb_unreached; /* callbacks */
    double cb_wait_s;           /* callbacks: joining to being reached, s */
    uint64_t prevented, incident_issues;
    uint64_t pre_answered;      /* a starting state's contacts already answered before it */
    double ss_time_s;           /* time spent in self-service, s */
    double cost;                /* currency */
    uint64_t offered, handled, abandoned; /* offered: reached an agent queue */
    uint64_t queued;            /* had to wait (found no free agent) */
    uint64_t answered;          /* reached an agent (handled once their service ends) */
    uint64_t answered_in_sl;    /* answered with wait <= sl_seconds */
    uint64_t abandoned_in_sl;   /* abandoned with wait <= sl_seconds */
    uint64_t due_met;           /* email handled by its due time */
    double wait_answered_s;     /* sum of waits of answered contacts, s */
    double wait_all_s;          /* sum of waits of all finished contacts, s */
    double busy_agent_s;        /* agent-seconds holding at least one contact (occupancy) */
    double staffed_agent_s;     /* agent-seconds on duty (occupancy denominator) */
    double slot_s;              /* slot-seconds used (chat, messaging) */
    double slot_capacity_s;     /* concurrency x staffed agent-seconds of the serving groups */
    double backlog_start;       /* waiting at the start of the period (email) */
    double backlog_end;         /* waiting at the end of the period (email) */
    struct hist wait_answered;  /* waits of answered contacts */
};

void tally_reset(struct tally *t);
void tally_add(struct tally *into, const struct tally *from);
/* Fills values[MET_N] from t for a channel of the given kind (or, with kind CH_N_KINDS, a
 * total); metrics that do not apply, or have no denominator, are NaN. */
void tally_metrics(const struct tally *t, enum channel_kind kind, double *values);

/* Whether a metric belongs in the output of a channel of this kind (CH_N_KINDS: a total). */
int metric_applies(int metric, enum channel_kind kind, int per_interval);

/* Scopes: 0 is the total, 1 + c is channel c; in day mode each interval i (over all days) then
 * has one scope per channel and one for its total (c == n_channels), see results_interval_scope;
 * the segments come last (results_segment_scope). */
static inline int results_group_scope(const struct model_spec *m, int g, int part);

static inline int results_n_scopes(const struct model_spec *m)
{
    return results_group_scope(m, m->n_groups, 0);
}

static inline int results_segment_scope(const struct model_spec *m, int segment)
{
    return 1 + m->n_channels +
           (m->mode == MODE_DAY ? model_total_intervals(m) * (m->n_channels + 1) : 0) + segment;
}

/* Scopes of group g after the segments: [0] the run, then (day mode) one per interval, then one
 * per skill.  part is 0, 1 + interval, or 1 + (intervals) + skill. */
static inline int results_group_parts(const struct model_spec *m, int g)
{
    return 1 + (m->mode == MODE_DAY ? model_total_intervals(m) : 0) + m->groups[g].n_skills;
}

static inline int results_group_scope(const struct model_spec *m, int g, int part)
{
    int s = results_segment_scope(m, m->n_segments);
    for (int h = 0; h < g; h++)
        s += results_group_parts(m, h);
    return s + part;
}

static inline int results_interval_scope(const struct model_spec *m, int interval, int channel)
{
    return 1 + m->n_channels + interval * (m->n_channels + 1) + channel;
}

struct results {
    int replications;
    int n_scopes;
    double *values;          /* [rep][scope][metric]; owned */
    struct stat_summary *summary; /* [scope][metric]; owned */
    uint64_t events;         /* events handled over all replications (stale timers excluded) */
    uint64_t stale_events;   /* cancelled timers dropped */
    uint64_t arrivals;       /* contacts simulated over all replications, warm-up included */
    double wall_s;           /* wall-clock time of the simulation, s */
    struct hist *waits;      /* per channel: waits of answered contacts, all replications */
    int precision_met;       /* sequential sampling: the precision was reached (not max_reps) */
    int partial;             /* stopped by a signal: replications is those finished before it */
};

static inline double *results_value(const struct results *r, int rep, int scope, int metric)
{
    return &r->values[((size_t)rep * r->n_scopes + scope) * MET_N + metric];
}

/* Progress: fraction of the run done, 0 to 1, and replications finished. */
typedef void sim_progress_fn(void *ctx, double fraction, int reps_done, int reps_total);

struct sim_state;

/* What a caller may attach to a run; every field may be NULL (dump_at_s is read only with
 * dump). */
/* A replay's contacts (ccsim replay, docs/logs.md): each arrives at t_s (sim time) on channel
 * with its logged handle time and wait.  An answered contact's patience is unknown beyond its
 * wait: it is drawn from the channel's patience conditional on exceeding the wait.  An
 * abandoned one keeps its wait as its patience, and its unknown handle time is drawn from the
 * channel's service distribution.  Its segment sets its queue and its priority.  Sorted by
 * t_s. */
struct sim_trace_call {
    double t_s, wait_s, handle_s;
    int channel;
    int segment; /* an index into the model's segments */
    int abandoned;
};

struct sim_trace {
    size_t n;
    const struct sim_trace_call *calls;
};

struct sim_hooks {
    sim_progress_fn *progress; /* called with progress_ctx every 2^20 events and after each
                                * replication */
    void *progress_ctx;
    FILE *log;                 /* call-by-call CSV trace of counted contacts (docs/log.md) */
    const struct sim_state *state; /* start every replication from it (replication r from
                                    * state r when it holds one per replication) */
    FILE *dump;                /* write each replication's state at dump_at_s (docs/state.md) */
    double dump_at_s;          /* sim time */
    const char *dump_config;   /* config path, for the dump's header */
    int jobs;                  /* threads running replications; 0 or 1: one */
    /* Sequential sampling (precision_rel > 0): replications until every headline metric's 95 %
     * half-width is at most precision_rel of its mean or at most precision_abs, between
     * min_reps and max_reps (docs/batch.md); the replications field of the model is then
     * ignored. */
    double precision_rel, precision_abs;
    int min_reps, max_reps;
    /* Set (by a signal handler) to stop early: no replication starts and running ones end at
     * once; the results are then incomplete and the caller discards them. */
    volatile sig_atomic_t *stop;
    /* [replication * total intervals + i]: the contacts in the system when interval i opens
     * (the iterative staffing algorithm's sample); NULL none.  Sized for model.replications. */
    int *in_system_at_start;
    /* Replay these contacts instead of drawing arrivals (the channels' rates should be 0). */
    const struct sim_trace *trace;
};

/* Runs all replications of m (seed m->seed) and summarizes them.  Caller owns the result
 * (results_free).  hooks may be NULL. */
struct results *sim_run(const struct model_spec *m, const struct sim_hooks *hooks);
void results_free(struct results *r);

#endif
