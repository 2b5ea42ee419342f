/* sim: one replication of the model, and the loop over replications.
 *
 * A replication owns a calendar, a pool of contacts (free list, grows by doubling), the agents,
 * one FIFO queue per channel (an intrusive doubly-linked list, so an abandoning contact leaves in
 * O(1)), the random streams and the tallies.  It is allocated once and reset per replication; the
 * event loop does not allocate once the pools have grown.
 *
 * Routing without scans: a new contact tries the groups that have its channel as a skill, in
 * config order, and takes the longest-idle agent of the first group with one (O(groups of the
 * channel)); otherwise it joins its channel's queue.  A freed agent takes the oldest head among
 * the queues of its skills (O(skills)).
 *
 * Common random numbers: a contact's work content and patience are drawn when it arrives, from
 * its channel's streams, in arrival order; so two configurations that differ only in staffing see
 * the same customers.  Patience timers are cancelled lazily: the contact's generation changes when
 * it is answered or freed, and a timer whose tag no longer matches is dropped when it pops.
 *
 * Invariant, checked at the end of every replication: arrivals = handled + abandoned + still in
 * the system, over all contacts and over the counted ones. */
#include "model.h"
#include "calendar.h"
#include "rng.h"
#include "util.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIL UINT32_MAX

/* Event kinds, and their priorities at equal times: staffing changes first (an arrival at an
 * interval boundary meets the new interval's agents), then service ends (an agent freed at the
 * instant a patience runs out still answers), then abandonment, then arrivals. */
enum ev_kind { EV_STAFFING, EV_SERVICE_END, EV_PATIENCE, EV_ARRIVAL };
static const unsigned ev_prio[] = {0, 1, 2, 3};

enum contact_state { C_FREE, C_WAITING, C_SERVICE };

struct contact {
    double arrival_s;  /* s */
    double patience_s; /* s; infinite when the channel has no abandonment */
    double work_s;     /* handle time, s, drawn at arrival */
    double answer_s;   /* when an agent answered, s */
    uint32_t gen;      /* bumped when answered or freed: invalidates the patience timer */
    uint32_t prev;     /* queue links, or free-list link in next */
    uint32_t next;
    int32_t cls;       /* tally index (interval * n_channels + channel), -1 when not counted */
    uint32_t agent;    /* who answered, for the call log */
    uint64_t id;       /* arrival serial number in the replication */
    uint16_t channel;
    uint8_t state;     /* enum contact_state */
};

struct queue {
    uint32_t head, tail; /* contact slots, NIL when empty */
    uint32_t len;
};

struct agent {
    uint32_t contact; /* in hand, NIL when idle or off duty */
    uint32_t group;
};

struct group_run {
    uint32_t first_agent; /* agents [first_agent, first_agent + pool) belong to the group */
    uint32_t pool;        /* most agents the group ever has on duty */
    uint32_t *idle;       /* ring of idle agents, longest idle at idle_head */
    uint32_t idle_head, idle_n;
    uint32_t *off;        /* stack of off-duty agents */
    uint32_t n_off;
    int target;           /* agents the schedule wants on duty now */
    int on_duty;          /* agents on duty (idle or busy) */
    double staffed_since; /* last change of on_duty, s */
};

struct rep {
    const struct model_spec *m;
    struct cal cal;
    struct contact *contacts;
    uint32_t n_slots, free_head;
    struct agent *agents;
    struct group_run *groups;
    struct queue *queues;   /* per channel */
    int **routes;           /* per channel: groups with the skill, in config order */
    int *n_routes;
    gsl_rng **rng_arrival, **rng_service, **rng_patience; /* per channel */
    double *next_arrival_s; /* per channel, for the piecewise-constant rate integration */
    int *busy;              /* per channel: agents serving it */
    double *busy_since;     /* per channel: last change of busy, s */
    /* Time-weighted sums per bucket: buckets 0..n_intervals-1 are the intervals; bucket
     * n_intervals holds time after the close (day) or outside the measured window (steady). */
    int bucket;
    double *busy_s;    /* [bucket][channel] agent-seconds */
    double *staffed_s; /* [bucket][group] agent-seconds */
    struct tally *tallies; /* [interval][channel], counted contacts only */
    struct tally scratch;  /* aggregation space */
    /* Replication state. */
    uint64_t arrivals, handled, abandoned, in_system;
    uint64_t counted_open;    /* counted contacts still in the system */
    long long serial;         /* arrivals so far, across channels */
    int closed;               /* day mode: past the last interval */
    uint64_t events, stale;
    int rep_index;
    FILE *log;                /* call log, or NULL */
    const struct sim_hooks *hooks; /* borrowed; may be NULL */
};

/* ==== Setup ==== */

static struct rep *rep_alloc(const struct model_spec *m)
{
    struct rep *r = xcalloc(1, sizeof *r);
    int nc = m->n_channels, ng = m->n_groups, ni = m->n_intervals;
    r->m = m;
    cal_init(&r->cal);
    r->n_slots = 1024;
    r->contacts = xcalloc(r->n_slots, sizeof *r->contacts);
    r->groups = xcalloc((size_t)ng, sizeof *r->groups);
    uint32_t n_agents = 0;
    for (int g = 0; g < ng; g++) {
        int pool = 0;
        for (int i = 0; i < ni; i++)
            if (m->groups[g].agents[i] > pool) pool = m->groups[g].agents[i];
        r->groups[g].first_agent = n_agents;
        r->groups[g].pool = (uint32_t)pool;
        r->groups[g].idle = xcalloc((size_t)pool, sizeof(uint32_t));
        r->groups[g].off = xcalloc((size_t)pool, sizeof(uint32_t));
        n_agents += (uint32_t)pool;
    }
    r->agents = xcalloc(n_agents, sizeof *r->agents);
    for (int g = 0; g < ng; g++)
        for (uint32_t a = 0; a < r->groups[g].pool; a++)
            r->agents[r->groups[g].first_agent + a].group = (uint32_t)g;
    r->queues = xcalloc((size_t)nc, sizeof *r->queues);
    r->routes = xcalloc((size_t)nc, sizeof *r->routes);
    r->n_routes = xcalloc((size_t)nc, sizeof *r->n_routes);
    for (int c = 0; c < nc; c++) {
        r->routes[c] = xcalloc((size_t)ng, sizeof(int));
        for (int g = 0; g < ng; g++)
            for (int s = 0; s < m->groups[g].n_skills; s++)
                if (m->groups[g].skills[s] == c) r->routes[c][r->n_routes[c]++] = g;
    }
    r->rng_arrival = xcalloc((size_t)nc, sizeof(gsl_rng *));
    r->rng_service = xcalloc((size_t)nc, sizeof(gsl_rng *));
    r->rng_patience = xcalloc((size_t)nc, sizeof(gsl_rng *));
    for (int c = 0; c < nc; c++) {
        r->rng_arrival[c] = rng_alloc();
        r->rng_service[c] = rng_alloc();
        r->rng_patience[c] = rng_alloc();
    }
    r->next_arrival_s = xcalloc((size_t)nc, sizeof(double));
    r->busy = xcalloc((size_t)nc, sizeof(int));
    r->busy_since = xcalloc((size_t)nc, sizeof(double));
    r->busy_s = xcalloc((size_t)(ni + 1) * (size_t)nc, sizeof(double));
    r->staffed_s = xcalloc((size_t)(ni + 1) * (size_t)ng, sizeof(double));
    r->tallies = xcalloc((size_t)ni * (size_t)nc, sizeof *r->tallies);
    return r;
}

static void rep_free(struct rep *r)
{
    if (r == NULL) return;
    const struct model_spec *m = r->m;
    cal_fini(&r->cal);
    free(r->contacts);
    for (int g = 0; g < m->n_groups; g++) {
        free(r->groups[g].idle);
        free(r->groups[g].off);
    }
    free(r->groups);
    free(r->agents);
    free(r->queues);
    for (int c = 0; c < m->n_channels; c++) {
        free(r->routes[c]);
        gsl_rng_free(r->rng_arrival[c]);
        gsl_rng_free(r->rng_service[c]);
        gsl_rng_free(r->rng_patience[c]);
    }
    free(r->routes);
    free(r->n_routes);
    free(r->rng_arrival);
    free(r->rng_service);
    free(r->rng_patience);
    free(r->next_arrival_s);
    free(r->busy);
    free(r->busy_since);
    free(r->busy_s);
    free(r->staffed_s);
    free(r->tallies);
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
    ct->next = r->free_head;
    r->free_head = k;
}

static void queue_push(struct rep *r, int c, uint32_t k)
{
    struct queue *q = &r->queues[c];
    struct contact *ct = &r->contacts[k];
    ct->prev = q->tail;
    ct->next = NIL;
    if (q->tail != NIL)
        r->contacts[q->tail].next = k;
    else
        q->head = k;
    q->tail = k;
    q->len++;
}

static void queue_unlink(struct rep *r, int c, uint32_t k)
{
    struct queue *q = &r->queues[c];
    struct contact *ct = &r->contacts[k];
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

static double now_s(const struct rep *r)
{
    return r->cal.now_s;
}

static void flush_busy(struct rep *r, int c)
{
    double t = now_s(r);
    r->busy_s[(size_t)r->bucket * r->m->n_channels + c] += r->busy[c] * (t - r->busy_since[c]);
    r->busy_since[c] = t;
}

static void flush_staffed(struct rep *r, int g)
{
    double t = now_s(r);
    struct group_run *gr = &r->groups[g];
    r->staffed_s[(size_t)r->bucket * r->m->n_groups + g] += gr->on_duty * (t - gr->staffed_since);
    gr->staffed_since = t;
}

/* Closes the current accounting bucket and opens another. */
static void switch_bucket(struct rep *r, int bucket)
{
    for (int c = 0; c < r->m->n_channels; c++)
        flush_busy(r, c);
    for (int g = 0; g < r->m->n_groups; g++)
        flush_staffed(r, g);
    r->bucket = bucket;
}

/* ==== Agents ==== */

static void start_service(struct rep *r, uint32_t a, uint32_t k)
{
    struct contact *ct = &r->contacts[k];
    double t = now_s(r);
    ct->state = C_SERVICE;
    ct->answer_s = t;
    ct->gen++; /* the patience timer, if any, is now stale */
    r->agents[a].contact = k;
    ct->agent = a;
    flush_busy(r, ct->channel);
    r->busy[ct->channel]++;
    if (ct->cls >= 0) {
        struct tally *ty = &r->tallies[ct->cls];
        double w = t - ct->arrival_s;
        ty->answered++;
        ty->wait_answered_s += w;
        ty->wait_all_s += w;
        if (w <= r->m->channels[ct->channel].sl_seconds) ty->answered_in_sl++;
        hist_add(&ty->wait_answered, w);
    }
    cal_push(&r->cal, t + ct->work_s, ev_prio[EV_SERVICE_END], EV_SERVICE_END, a, 0);
}

static void go_off_duty(struct rep *r, uint32_t a)
{
    struct group_run *gr = &r->groups[r->agents[a].group];
    flush_staffed(r, (int)r->agents[a].group);
    gr->on_duty--;
    gr->off[gr->n_off++] = a;
}

/* The oldest contact at the head of a queue this agent's group serves, or NIL. */
static uint32_t pick_contact(const struct rep *r, int g, int *channel)
{
    const struct group_spec *gs = &r->m->groups[g];
    uint32_t best = NIL;
    for (int s = 0; s < gs->n_skills; s++) {
        uint32_t k = r->queues[gs->skills[s]].head;
        if (k == NIL) continue;
        if (best == NIL || r->contacts[k].arrival_s < r->contacts[best].arrival_s) {
            best = k;
            *channel = gs->skills[s];
        }
    }
    return best;
}

/* An on-duty agent with empty hands: goes off if the schedule has shrunk, else takes the oldest
 * waiting contact it can serve, else waits idle (or, after the close, leaves). */
static void agent_available(struct rep *r, uint32_t a)
{
    int g = (int)r->agents[a].group;
    struct group_run *gr = &r->groups[g];
    if (gr->on_duty > gr->target) {
        go_off_duty(r, a);
        return;
    }
    int c = -1;
    uint32_t k = pick_contact(r, g, &c);
    if (k != NIL) {
        queue_unlink(r, c, k);
        start_service(r, a, k);
        return;
    }
    if (r->closed) {
        go_off_duty(r, a);
        return;
    }
    gr->idle[(gr->idle_head + gr->idle_n++) % gr->pool] = a;
}

/* Brings the group's on-duty count toward its target: new agents start with the queue; surplus
 * idle agents leave at once (the most recently idle first); surplus busy agents leave when they
 * finish the contact in hand. */
static void apply_staffing(struct rep *r, int g, int target)
{
    struct group_run *gr = &r->groups[g];
    gr->target = target;
    while (gr->on_duty > gr->target && gr->idle_n > 0) {
        uint32_t a = gr->idle[(gr->idle_head + --gr->idle_n) % gr->pool];
        go_off_duty(r, a);
    }
    while (gr->on_duty < gr->target) {
        SIM_ENSURE(gr->n_off > 0);
        uint32_t a = gr->off[--gr->n_off];
        flush_staffed(r, g);
        gr->on_duty++;
        agent_available(r, a);
    }
}

/* ==== Arrivals ==== */

/* Next arrival time of channel c after t: inverts the integrated piecewise-constant rate with
 * one unit exponential, so the arrival stream's draws do not depend on the rates.  HUGE_VAL when
 * the day closes first. */
static double next_arrival(struct rep *r, int c, double t)
{
    const struct model_spec *m = r->m;
    const double *rate = m->channels[c].rate_per_s;
    double e = gsl_ran_exponential(r->rng_arrival[c], 1.0);
    if (m->mode == MODE_STEADY) return rate[0] > 0 ? t + e / rate[0] : HUGE_VAL;
    int i = (int)floor(t / m->interval_s);
    while (i < m->n_intervals) {
        double end = (i + 1) * m->interval_s;
        if (rate[i] > 0) {
            double cand = t + e / rate[i];
            if (cand < end) return cand;
            e -= rate[i] * (end - t);
        }
        t = end;
        i++;
    }
    return HUGE_VAL;
}

static void schedule_arrival(struct rep *r, int c, double after)
{
    double t = next_arrival(r, c, after);
    if (isfinite(t)) cal_push(&r->cal, t, ev_prio[EV_ARRIVAL], EV_ARRIVAL, (uint32_t)c, 0);
}

static int interval_of(const struct model_spec *m, double t)
{
    if (m->mode == MODE_STEADY) return 0;
    int i = (int)floor(t / m->interval_s);
    return i < m->n_intervals ? i : m->n_intervals - 1;
}

static void handle_arrival(struct rep *r, int c)
{
    const struct model_spec *m = r->m;
    const struct channel_spec *ch = &m->channels[c];
    double t = now_s(r);
    long long serial = r->serial++;
    int counted = 1;
    if (m->mode == MODE_STEADY) {
        counted = serial >= m->warmup_contacts && serial < m->warmup_contacts + m->contacts;
        if (serial == m->warmup_contacts) switch_bucket(r, 0);
        if (serial == m->warmup_contacts + m->contacts) switch_bucket(r, m->n_intervals);
    }
    uint32_t k = contact_alloc(r);
    struct contact *ct = &r->contacts[k];
    ct->arrival_s = t;
    ct->work_s = dist_draw(&ch->service, r->rng_service[c]);
    ct->patience_s =
        ch->patience.kind == DIST_NONE ? HUGE_VAL : dist_draw(&ch->patience, r->rng_patience[c]);
    ct->channel = (uint16_t)c;
    ct->id = (uint64_t)serial;
    ct->cls = counted ? interval_of(m, t) * m->n_channels + c : -1;
    r->arrivals++;
    r->in_system++;
    if (counted) {
        r->tallies[ct->cls].offered++;
        r->counted_open++;
    }
    schedule_arrival(r, c, t);

    for (int i = 0; i < r->n_routes[c]; i++) {
        struct group_run *gr = &r->groups[r->routes[c][i]];
        if (gr->idle_n > 0) {
            uint32_t a = gr->idle[gr->idle_head];
            gr->idle_head = (gr->idle_head + 1) % gr->pool;
            gr->idle_n--;
            start_service(r, a, k);
            return;
        }
    }
    ct->state = C_WAITING;
    queue_push(r, c, k);
    if (counted) r->tallies[ct->cls].queued++;
    if (isfinite(ct->patience_s))
        cal_push(&r->cal, t + ct->patience_s, ev_prio[EV_PATIENCE], EV_PATIENCE, k, ct->gen);
}

/* ==== Call log ==== */

static void log_header(FILE *f)
{
    fputs("replication,contact_id,issue_id,segment,channel,arrival_s,queue_entry_s,answer_s,"
          "abandon_s,wait_s,handle_s,wrapup_s,end_s,group,agent,outcome\n",
          f);
}

/* One row for a counted contact that has just finished (times with %.17g, exact doubles). */
static void log_contact(const struct rep *r, const struct contact *ct, int handled)
{
    const struct model_spec *m = r->m;
    double t = now_s(r);
    fprintf(r->log, "%d,%llu,%llu,default,%s,%.17g,%.17g,", r->rep_index,
            (unsigned long long)ct->id, (unsigned long long)ct->id, m->channels[ct->channel].name,
            ct->arrival_s, ct->arrival_s);
    if (handled) {
        double answer = ct->answer_s;
        const struct agent *a = &r->agents[ct->agent];
        fprintf(r->log, "%.17g,,%.17g,%.17g,0,%.17g,%s,%u,handled\n", answer,
                answer - ct->arrival_s, ct->work_s, t, m->groups[a->group].name,
                ct->agent - r->groups[a->group].first_agent);
    } else {
        fprintf(r->log, ",%.17g,%.17g,,,%.17g,,,abandoned\n", t, t - ct->arrival_s, t);
    }
}

/* ==== Departures ==== */

static void contact_done(struct rep *r, uint32_t k)
{
    if (r->contacts[k].cls >= 0) r->counted_open--;
    r->in_system--;
    contact_free(r, k);
}

static void handle_service_end(struct rep *r, uint32_t a)
{
    uint32_t k = r->agents[a].contact;
    struct contact *ct = &r->contacts[k];
    assert(ct->state == C_SERVICE);
    flush_busy(r, ct->channel);
    r->busy[ct->channel]--;
    if (ct->cls >= 0) r->tallies[ct->cls].handled++;
    if (r->log != NULL && ct->cls >= 0) log_contact(r, ct, 1);
    r->handled++;
    contact_done(r, k);
    r->agents[a].contact = NIL;
    agent_available(r, a);
}

/* Returns 0 for a stale timer (the contact was answered, or its slot reused). */
static int handle_patience(struct rep *r, uint32_t k, uint32_t tag)
{
    struct contact *ct = &r->contacts[k];
    if (ct->gen != tag || ct->state != C_WAITING) return 0;
    queue_unlink(r, ct->channel, k);
    if (ct->cls >= 0) {
        struct tally *ty = &r->tallies[ct->cls];
        double w = now_s(r) - ct->arrival_s;
        ty->abandoned++;
        ty->wait_all_s += w;
        if (w <= r->m->channels[ct->channel].sl_seconds) ty->abandoned_in_sl++;
        if (r->log != NULL) log_contact(r, ct, 0);
    }
    r->abandoned++;
    contact_done(r, k);
    return 1;
}

static void handle_staffing(struct rep *r, int interval)
{
    const struct model_spec *m = r->m;
    switch_bucket(r, interval);
    if (interval < m->n_intervals) {
        for (int g = 0; g < m->n_groups; g++)
            apply_staffing(r, g, m->groups[g].agents[interval]);
        cal_push(&r->cal, (interval + 1) * m->interval_s, ev_prio[EV_STAFFING], EV_STAFFING,
                 (uint32_t)(interval + 1), 0);
        return;
    }
    /* The close: the last interval's agents stay until their queues are empty. */
    r->closed = 1;
    for (int g = 0; g < m->n_groups; g++) {
        struct group_run *gr = &r->groups[g];
        while (gr->idle_n > 0) {
            uint32_t a = gr->idle[gr->idle_head];
            gr->idle_head = (gr->idle_head + 1) % gr->pool;
            gr->idle_n--;
            go_off_duty(r, a);
        }
    }
}

/* ==== Replication ==== */

static void rep_reset(struct rep *r, int rep_index)
{
    r->rep_index = rep_index;
    const struct model_spec *m = r->m;
    int nc = m->n_channels, ng = m->n_groups, ni = m->n_intervals;
    cal_reset(&r->cal);
    for (uint32_t i = 0; i < r->n_slots; i++) {
        r->contacts[i].state = C_FREE;
        r->contacts[i].next = i + 1 < r->n_slots ? i + 1 : NIL;
    }
    r->free_head = 0;
    for (int c = 0; c < nc; c++) {
        r->queues[c].head = r->queues[c].tail = NIL;
        r->queues[c].len = 0;
        r->busy[c] = 0;
        r->busy_since[c] = 0;
        rng_seed_stream(r->rng_arrival[c], m->seed, (uint64_t)rep_index, RNG_ARRIVALS, (uint64_t)c);
        rng_seed_stream(r->rng_service[c], m->seed, (uint64_t)rep_index, RNG_SERVICE, (uint64_t)c);
        rng_seed_stream(r->rng_patience[c], m->seed, (uint64_t)rep_index, RNG_PATIENCE,
                        (uint64_t)c);
    }
    for (int g = 0; g < ng; g++) {
        struct group_run *gr = &r->groups[g];
        gr->idle_head = gr->idle_n = 0;
        gr->on_duty = gr->target = 0;
        gr->staffed_since = 0;
        gr->n_off = 0;
        /* Pushed in reverse so agents come on duty in index order. */
        for (uint32_t a = gr->pool; a-- > 0;) {
            r->agents[gr->first_agent + a].contact = NIL;
            gr->off[gr->n_off++] = gr->first_agent + a;
        }
    }
    memset(r->busy_s, 0, (size_t)(ni + 1) * nc * sizeof(double));
    memset(r->staffed_s, 0, (size_t)(ni + 1) * ng * sizeof(double));
    for (int i = 0; i < ni * nc; i++)
        tally_reset(&r->tallies[i]);
    r->arrivals = r->handled = r->abandoned = r->in_system = r->counted_open = 0;
    r->serial = 0;
    r->closed = 0;
    r->events = r->stale = 0;
    /* Steady mode measures nothing until the first counted arrival. */
    r->bucket = m->mode == MODE_STEADY ? ni : 0;
}

/* Progress inside a long replication: by counted arrivals (steady) or by clock (day). */
static void report_progress(const struct rep *r)
{
    const struct model_spec *m = r->m;
    if (r->hooks == NULL || r->hooks->progress == NULL) return;
    double inside = m->mode == MODE_STEADY
                        ? (double)r->serial / (double)(m->warmup_contacts + m->contacts)
                        : now_s(r) / (m->n_intervals * m->interval_s);
    double fraction = (r->rep_index + fmin(inside, 1.0)) / m->replications;
    r->hooks->progress(r->hooks->progress_ctx, fraction, r->rep_index, m->replications);
}

static void rep_simulate(struct rep *r)
{
    const struct model_spec *m = r->m;
    if (m->mode == MODE_DAY) {
        handle_staffing(r, 0);
    } else {
        for (int g = 0; g < m->n_groups; g++)
            apply_staffing(r, g, m->groups[g].agents[0]);
    }
    for (int c = 0; c < m->n_channels; c++)
        schedule_arrival(r, c, 0);
    long long total = m->warmup_contacts + m->contacts;
    struct cal_event ev;
    while (cal_pop(&r->cal, &ev)) {
        switch ((enum ev_kind)ev.kind) {
        case EV_ARRIVAL:
            handle_arrival(r, (int)ev.index);
            break;
        case EV_SERVICE_END:
            handle_service_end(r, ev.index);
            break;
        case EV_PATIENCE:
            if (!handle_patience(r, ev.index, ev.tag)) {
                r->stale++;
                continue;
            }
            break;
        case EV_STAFFING:
            handle_staffing(r, (int)ev.index);
            break;
        }
        if ((++r->events & 0xfffff) == 0) report_progress(r);
#ifdef SIM_DEBUG
        assert(cal_check(&r->cal));
#endif
        if (m->mode == MODE_STEADY ? (r->serial >= total && r->counted_open == 0)
                                   : (r->closed && r->in_system == 0))
            break;
    }
    switch_bucket(r, r->bucket);
    SIM_ENSURE(r->arrivals == r->handled + r->abandoned + r->in_system);
}

/* Writes the replication's metrics into res for every scope. */
static void rep_collect(struct rep *r, struct results *res, int rep_index)
{
    const struct model_spec *m = r->m;
    int nc = m->n_channels, ni = m->n_intervals, ng = m->n_groups;
    struct tally *agg = &r->scratch;
    uint64_t offered = 0, handled = 0, abandoned = 0;

    /* Occupancy of (bucket, channel): busy on the channel over staffed time of groups with it. */
    for (int i = 0; i < ni; i++)
        for (int c = 0; c < nc; c++) {
            struct tally *ty = &r->tallies[i * nc + c];
            ty->busy_agent_s = r->busy_s[(size_t)i * nc + c];
            ty->staffed_agent_s = 0;
            for (int k = 0; k < r->n_routes[c]; k++)
                ty->staffed_agent_s += r->staffed_s[(size_t)i * ng + r->routes[c][k]];
            offered += ty->offered;
            handled += ty->handled;
            abandoned += ty->abandoned;
        }
    SIM_ENSURE(offered == handled + abandoned + r->counted_open);

    double total_staffed = 0;
    for (int i = 0; i < ni; i++)
        for (int g = 0; g < ng; g++)
            total_staffed += r->staffed_s[(size_t)i * ng + g];

    struct tally total;
    tally_reset(&total);
    for (int c = 0; c < nc; c++) {
        tally_reset(agg);
        for (int i = 0; i < ni; i++)
            tally_add(agg, &r->tallies[i * nc + c]);
        tally_metrics(agg, results_value(res, rep_index, 1 + c, 0));
        tally_add(&total, agg);
    }
    total.staffed_agent_s = total_staffed;
    tally_metrics(&total, results_value(res, rep_index, 0, 0));
    for (int i = 0; i < ni && m->mode == MODE_DAY; i++) {
        tally_reset(agg);
        for (int c = 0; c < nc; c++) {
            tally_metrics(&r->tallies[i * nc + c],
                          results_value(res, rep_index, results_interval_scope(m, i, c), 0));
            tally_add(agg, &r->tallies[i * nc + c]);
        }
        agg->staffed_agent_s = 0;
        for (int g = 0; g < ng; g++)
            agg->staffed_agent_s += r->staffed_s[(size_t)i * ng + g];
        tally_metrics(agg, results_value(res, rep_index, results_interval_scope(m, i, nc), 0));
    }
    if (m->mode == MODE_DAY) {
        double overtime = 0;
        for (int g = 0; g < ng; g++)
            overtime += r->staffed_s[(size_t)ni * ng + g];
        *results_value(res, rep_index, 0, MET_OVERTIME) = overtime;
    }
    res->events += r->events;
    res->stale_events += r->stale;
    res->arrivals += r->arrivals;
}

static double wall_clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct results *sim_run(const struct model_spec *m, const struct sim_hooks *hooks)
{
    struct results *res = xcalloc(1, sizeof *res);
    res->replications = m->replications;
    res->n_scopes = results_n_scopes(m);
    res->values = xcalloc((size_t)m->replications * res->n_scopes * MET_N, sizeof(double));
    res->summary = xcalloc((size_t)res->n_scopes * MET_N, sizeof *res->summary);
    double start = wall_clock_s();
    struct rep *r = rep_alloc(m);
    r->log = hooks ? hooks->log : NULL;
    r->hooks = hooks;
    if (r->log != NULL) log_header(r->log);
    for (int k = 0; k < m->replications; k++) {
        rep_reset(r, k);
        rep_simulate(r);
        rep_collect(r, res, k);
        if (r->hooks != NULL && r->hooks->progress != NULL)
            r->hooks->progress(r->hooks->progress_ctx, (double)(k + 1) / m->replications, k + 1,
                               m->replications);
    }
    rep_free(r);
    for (int s = 0; s < res->n_scopes; s++)
        for (int k = 0; k < MET_N; k++)
            res->summary[s * MET_N + k] = stat_summarize(results_value(res, 0, s, k),
                                                         (size_t)m->replications,
                                                         (size_t)res->n_scopes * MET_N);
    res->wall_s = wall_clock_s() - start;
    return res;
}

void results_free(struct results *r)
{
    if (r == NULL) return;
    free(r->values);
    free(r->summary);
    free(r);
}
