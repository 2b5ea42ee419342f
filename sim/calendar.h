/* calendar: the pending-event set, a binary min-heap of compact entries ordered by
 * (time, priority, insertion sequence).  Equal times pop by priority, then in insertion order, so
 * runs are deterministic without comparing times with an epsilon.  Push and pop are O(log n); the
 * heap is one array that grows by doubling and is reused across replications, so the event loop
 * never allocates once it has warmed up.  Cancellation is lazy: the caller tags an event with the
 * generation of the object it concerns and drops it on pop when the generation has moved on. */
#ifndef CCSIM_CALENDAR_H
#define CCSIM_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define CAL_PRIO_BITS  8
#define CAL_SEQ_BITS   (64 - CAL_PRIO_BITS)

struct cal_event {
    double time_s;  /* when, s */
    uint64_t order; /* priority in the top CAL_PRIO_BITS, insertion sequence below */
    uint32_t kind;  /* what happens (the model's enum) */
    uint32_t index; /* which object: a contact slot, an agent, a channel */
    uint32_t tag;   /* the object's generation when scheduled, for lazy cancellation */
};

struct cal {
    struct cal_event *heap; /* heap[0] is the next event */
    size_t n;               /* pending events */
    size_t cap;             /* allocated entries */
    uint64_t next_seq;      /* insertion counter */
    double now_s;           /* time of the last popped event; pops never go back */
};

void cal_init(struct cal *c);
void cal_fini(struct cal *c);
/* Empties the calendar and restarts time at 0, keeping the allocation. */
void cal_reset(struct cal *c);

/* Schedules an event; time_s must not precede the last popped time.  prio < 2^CAL_PRIO_BITS;
 * lower priority pops first at equal times. */
void cal_push(struct cal *c, double time_s, unsigned prio, uint32_t kind, uint32_t index,
              uint32_t tag);

/* Pops the next event into *out.  Returns 0 when the calendar is empty. */
int cal_pop(struct cal *c, struct cal_event *out);

static inline size_t cal_size(const struct cal *c)
{
    return c->n;
}

/* O(n) heap-property check, for assert(cal_check(c)) under SIM_DEBUG. */
int cal_check(const struct cal *c);

#endif
