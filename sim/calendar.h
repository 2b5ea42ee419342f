/* calendar: the pending-event set, 4-ary min-heaps of compact entries ordered by
 * (time, priority, insertion sequence).  Equal times pop by priority, then in insertion order, so
 * runs are deterministic without comparing times with an epsilon.  Push and pop are O(log n); the
 * heaps are arrays that grow by doubling and are reused across replications, so the event loop
 * never allocates once it has warmed up.  Cancellation is lazy: the caller tags an event with the
 * generation of the object it concerns and drops it on pop when the generation has moved on.
 *
 * Events live in lanes, one heap each, and pop in one order across lanes (the sequence counter is
 * shared), so which lane an event goes to changes the cost, never the result.  A lane pays for a
 * kind with few pending events and many pushes: the next arrival of each stream is one pending
 * event per stream but half of all pushes, and kept apart it costs O(1) instead of a sift through
 * every service end and patience timer (see docs/performance.md).  An indexed lane holds at most
 * one event per index and can cancel it: a patience timer is moot once its contact is answered,
 * and removing it then keeps the heap to the contacts actually waiting instead of dragging every
 * answered contact's timer to its due time. */
#ifndef CCSIM_CALENDAR_H
#define CCSIM_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define CAL_PRIO_BITS  8
#define CAL_SEQ_BITS   (64 - CAL_PRIO_BITS)

enum cal_lane {
    CAL_LANE_MAIN = 0,
    CAL_LANE_ARRIVALS = 1,
    CAL_LANE_TIMERS = 2, /* indexed: one event per index, cancellable */
    CAL_N_LANES
};

struct cal_event {
    double time_s;  /* when, s */
    uint64_t order; /* priority in the top CAL_PRIO_BITS, insertion sequence below */
    uint32_t kind;  /* what happens (the model's enum) */
    uint32_t index; /* which object: a contact slot, an agent, a channel */
    uint32_t tag;   /* the object's generation when scheduled, for lazy cancellation */
};

struct cal_heap {
    struct cal_event *heap; /* heap[0] is the lane's next event */
    size_t n;               /* pending events */
    size_t cap;             /* allocated entries */
    uint32_t *pos;          /* indexed lanes: pos[index] = heap position, CAL_NOWHERE if none */
    size_t pos_cap;         /* entries of pos */
};

#define CAL_NOWHERE UINT32_MAX

struct cal {
    struct cal_heap lanes[CAL_N_LANES];
    uint64_t next_seq; /* insertion counter, shared by the lanes */
    double now_s;      /* time of the last popped event; pops never go back */
};

void cal_init(struct cal *c);
void cal_fini(struct cal *c);
/* Empties the calendar and restarts time at 0, keeping the allocation. */
void cal_reset(struct cal *c);

/* Schedules an event in the main lane; time_s must not precede the last popped time.
 * prio < 2^CAL_PRIO_BITS; lower priority pops first at equal times. */
void cal_push(struct cal *c, double time_s, unsigned prio, uint32_t kind, uint32_t index,
              uint32_t tag);

/* The same in a chosen lane.  In an indexed lane the push replaces the index's pending event. */
void cal_push_in(struct cal *c, enum cal_lane lane, double time_s, unsigned prio, uint32_t kind,
                 uint32_t index, uint32_t tag);

/* Removes the pending event of index from an indexed lane.  Returns 0 when there was none. */
int cal_cancel(struct cal *c, enum cal_lane lane, uint32_t index);

/* Pops the next event of all lanes into *out.  Returns 0 when the calendar is empty. */
int cal_pop(struct cal *c, struct cal_event *out);

static inline size_t cal_size(const struct cal *c)
{
    size_t n = 0;
    for (int l = 0; l < CAL_N_LANES; l++) n += c->lanes[l].n;
    return n;
}

/* The event the next pop will return, or NULL when the calendar is empty; it stays pending.
 * The same choice as cal_pop's, written with branches: across lanes the winner is predictable,
 * and sharing pop's branch-free comparison here measured 1-2 % slower per event. */
static inline const struct cal_event *cal_peek(const struct cal *c)
{
    const struct cal_event *best = NULL;
    for (int l = 0; l < CAL_N_LANES; l++) {
        const struct cal_heap *h = &c->lanes[l];
        if (h->n == 0) continue;
        const struct cal_event *e = &h->heap[0];
        if (best == NULL || e->time_s < best->time_s ||
            (e->time_s == best->time_s && e->order < best->order))
            best = e;
    }
    return best;
}

/* O(n) heap-property check, for assert(cal_check(c)) under SIM_DEBUG. */
int cal_check(const struct cal *c);

#endif
