/* calendar: binary min-heap on (time_s, order).  Sift-down moves a hole instead of swapping, which
 * halves the writes; entries are 32 bytes, two per cache line.  A 4-ary heap or a calendar queue
 * may be faster on large heaps; see docs/performance.md before changing it. */
#include "calendar.h"

#include "util.h"

#include <assert.h>
#include <stdlib.h>

void cal_init(struct cal *c)
{
    c->cap = 64;
    c->heap = xmalloc(c->cap * sizeof *c->heap);
    c->n = 0;
    c->next_seq = 0;
    c->now_s = 0;
}

void cal_fini(struct cal *c)
{
    free(c->heap);
    c->heap = NULL;
    c->n = c->cap = 0;
}

void cal_reset(struct cal *c)
{
    c->n = 0;
    c->next_seq = 0;
    c->now_s = 0;
}

static inline int before(const struct cal_event *a, const struct cal_event *b)
{
    if (a->time_s != b->time_s) return a->time_s < b->time_s;
    return a->order < b->order;
}

void cal_push(struct cal *c, double time_s, unsigned prio, uint32_t kind, uint32_t index,
              uint32_t tag)
{
    SIM_ENSURE(time_s >= c->now_s);
    assert(prio < (1u << CAL_PRIO_BITS));
    if (c->n == c->cap) {
        c->cap *= 2;
        c->heap = xrealloc(c->heap, c->cap * sizeof *c->heap);
    }
    struct cal_event e = {time_s, ((uint64_t)prio << CAL_SEQ_BITS) | c->next_seq++, kind, index,
                          tag};
    size_t i = c->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &c->heap[parent])) break;
        c->heap[i] = c->heap[parent];
        i = parent;
    }
    c->heap[i] = e;
}

int cal_pop(struct cal *c, struct cal_event *out)
{
    if (c->n == 0) return 0;
    *out = c->heap[0];
    SIM_ENSURE(out->time_s >= c->now_s);
    c->now_s = out->time_s;
    struct cal_event last = c->heap[--c->n];
    size_t n = c->n, i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(&c->heap[child + 1], &c->heap[child])) child++;
        if (!before(&c->heap[child], &last)) break;
        c->heap[i] = c->heap[child];
        i = child;
    }
    if (n > 0) c->heap[i] = last;
    return 1;
}

int cal_check(const struct cal *c)
{
    for (size_t i = 1; i < c->n; i++)
        if (before(&c->heap[i], &c->heap[(i - 1) / 2])) return 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->heap[i].time_s < c->now_s) return 0;
    return 1;
}
