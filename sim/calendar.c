/* calendar: 4-ary min-heaps on (time_s, order).  Pops are bottom-up (the hole goes to a leaf,
 * then the last entry rises), choosing children without branches; entries are 32 bytes,
 * two per cache line.  docs/performance.md has the profiles behind each choice, and the ones
 * tried and dropped. */
#include "calendar.h"

#include "util.h"

#include <assert.h>
#include <stdlib.h>

void cal_init(struct cal *c)
{
    for (int l = 0; l < CAL_N_LANES; l++) {
        struct cal_heap *h = &c->lanes[l];
        h->cap = 64;
        h->heap = xmalloc(h->cap * sizeof *h->heap);
        h->n = 0;
        h->pos = NULL;
        h->pos_cap = 0;
        if (l == CAL_LANE_TIMERS) {
            h->pos_cap = 64;
            h->pos = xmalloc(h->pos_cap * sizeof *h->pos);
            for (size_t i = 0; i < h->pos_cap; i++) h->pos[i] = CAL_NOWHERE;
        }
    }
    c->next_seq = 0;
    c->now_s = 0;
}

void cal_fini(struct cal *c)
{
    for (int l = 0; l < CAL_N_LANES; l++) {
        struct cal_heap *h = &c->lanes[l];
        free(h->heap);
        free(h->pos);
        h->heap = NULL;
        h->pos = NULL;
        h->n = h->cap = h->pos_cap = 0;
    }
}

void cal_reset(struct cal *c)
{
    for (int l = 0; l < CAL_N_LANES; l++) {
        struct cal_heap *h = &c->lanes[l];
        if (h->pos != NULL)
            for (size_t i = 0; i < h->n; i++) h->pos[h->heap[i].index] = CAL_NOWHERE;
        h->n = 0;
    }
    c->next_seq = 0;
    c->now_s = 0;
}

/* Without branches: which child is smaller is a coin toss the predictor cannot learn. */
static inline size_t before(const struct cal_event *a, const struct cal_event *b)
{
    return (size_t)((a->time_s < b->time_s) | ((a->time_s == b->time_s) & (a->order < b->order)));
}

/* Puts e at position i; an indexed lane records where.  The test is the same for every entry of
 * a lane, so the predictor gets it right. */
static inline void place(struct cal_heap *h, size_t i, const struct cal_event *e)
{
    h->heap[i] = *e;
    if (h->pos != NULL) h->pos[e->index] = (uint32_t)i;
}

static void sift_up(struct cal_heap *h, size_t i, const struct cal_event *e)
{
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!before(e, &h->heap[parent])) break;
        place(h, i, &h->heap[parent]);
        i = parent;
    }
    place(h, i, e);
}

/* Fills the hole at i with e, the entry that was last: bottom-up, the hole goes down to a leaf
 * along the smallest children, then e rises from there.  Four children a node halve the depth,
 * which is what a heap larger than the cache pays for: each level is a miss. */
static void fill_hole(struct cal_heap *h, size_t i, const struct cal_event *e)
{
    size_t n = h->n;
    const struct cal_event *v = h->heap;
    for (;;) {
        size_t first = 4 * i + 1, child;
        if (first + 3 < n) {
            size_t a = first + before(&v[first + 1], &v[first]);
            size_t b = first + 2 + before(&v[first + 3], &v[first + 2]);
            child = before(&v[b], &v[a]) ? b : a;
        } else if (first < n) {
            child = first;
            for (size_t j = first + 1; j < n; j++)
                if (before(&v[j], &v[child])) child = j;
        } else {
            break;
        }
        place(h, i, &v[child]);
        i = child;
    }
    sift_up(h, i, e);
}

int cal_cancel(struct cal *c, enum cal_lane lane, uint32_t index)
{
    struct cal_heap *h = &c->lanes[lane];
    assert(h->pos != NULL);
    if (index >= h->pos_cap || h->pos[index] == CAL_NOWHERE) return 0;
    size_t i = h->pos[index];
    h->pos[index] = CAL_NOWHERE;
    if (i == --h->n) return 1;
    struct cal_event last = h->heap[h->n];
    fill_hole(h, i, &last);
    return 1;
}

void cal_push_in(struct cal *c, enum cal_lane lane, double time_s, unsigned prio, uint32_t kind,
                 uint32_t index, uint32_t tag)
{
    SIM_ENSURE(time_s >= c->now_s);
    assert(prio < (1u << CAL_PRIO_BITS));
    struct cal_heap *h = &c->lanes[lane];
    if (h->pos != NULL) {
        if (index >= h->pos_cap) {
            size_t old = h->pos_cap;
            while (h->pos_cap <= index) h->pos_cap *= 2;
            h->pos = xrealloc(h->pos, h->pos_cap * sizeof *h->pos);
            for (size_t i = old; i < h->pos_cap; i++) h->pos[i] = CAL_NOWHERE;
        }
        cal_cancel(c, lane, index);
    }
    if (h->n == h->cap) {
        h->cap *= 2;
        h->heap = xrealloc(h->heap, h->cap * sizeof *h->heap);
    }
    struct cal_event e = {time_s, ((uint64_t)prio << CAL_SEQ_BITS) | c->next_seq++, kind, index,
                          tag};
    sift_up(h, h->n++, &e);
}

void cal_push(struct cal *c, double time_s, unsigned prio, uint32_t kind, uint32_t index,
              uint32_t tag)
{
    cal_push_in(c, CAL_LANE_MAIN, time_s, prio, kind, index, tag);
}

int cal_pop(struct cal *c, struct cal_event *out)
{
    struct cal_heap *best = NULL;
    for (int l = 0; l < CAL_N_LANES; l++) {
        struct cal_heap *h = &c->lanes[l];
        if (h->n > 0 && (best == NULL || before(&h->heap[0], &best->heap[0]))) best = h;
    }
    if (best == NULL) return 0;
    *out = best->heap[0];
    if (best->pos != NULL) best->pos[out->index] = CAL_NOWHERE;
    if (--best->n > 0) {
        struct cal_event last = best->heap[best->n];
        fill_hole(best, 0, &last);
    }
    SIM_ENSURE(out->time_s >= c->now_s);
    c->now_s = out->time_s;
    return 1;
}

int cal_check(const struct cal *c)
{
    for (int l = 0; l < CAL_N_LANES; l++) {
        const struct cal_heap *h = &c->lanes[l];
        for (size_t i = 1; i < h->n; i++)
            if (before(&h->heap[i], &h->heap[(i - 1) / 4])) return 0;
        for (size_t i = 0; i < h->n; i++) {
            if (h->heap[i].time_s < c->now_s) return 0;
            if (h->pos != NULL && h->pos[h->heap[i].index] != i) return 0;
        }
    }
    return 1;
}
