/* test_calendar: the calendar pops in (time, priority, insertion) order.  A randomized workload of
 * mixed pushes and pops, full of exact ties, is compared event by event with a reference kept as
 * a sorted array; then the deliberate cases: FIFO among equal keys, priority at equal times,
 * reset, growth, the abort on an event scheduled in the past (in a forked child), and the
 * steady-state property that the heap is never reallocated once warm.  A second workload spreads
 * the events over the lanes, with replacing pushes and cancellations in the indexed lane, and
 * must pop in the same single order. */
#include "calendar.h"

#include "check.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ================================ Reference ================================ */

/* The reference: pending events sorted in descending (time, prio, seq), so the next event is the
 * last one and insertion is a binary search plus memmove.  seq is counted here, independently of
 * the calendar. */
struct ref_ev {
    double time_s;
    unsigned prio;
    uint64_t seq;
    uint32_t kind, index, tag;
};

struct ref {
    struct ref_ev *v;
    size_t n, cap;
    uint64_t next_seq;
};

/* Returns 1 when a pops before b. */
static int ref_before(const struct ref_ev *a, const struct ref_ev *b)
{
    if (a->time_s != b->time_s) return a->time_s < b->time_s;
    if (a->prio != b->prio) return a->prio < b->prio;
    return a->seq < b->seq;
}

static void ref_push(struct ref *r, double t, unsigned prio, uint32_t kind, uint32_t index,
                     uint32_t tag)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    struct ref_ev e = {t, prio, r->next_seq++, kind, index, tag};
    /* First position whose element pops before e; everything from there on shifts right. */
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_before(&r->v[mid], &e))
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(&r->v[lo + 1], &r->v[lo], (r->n - lo) * sizeof *r->v);
    r->v[lo] = e;
    r->n++;
}

/* ================================ Workload ================================ */

/* Schedules delay after now with many exact ties: a fifth of the events are due now, a third on a
 * coarse grid of 0.5 s, the rest continuous. */
static double draw_delay(gsl_rng *g)
{
    double u = gsl_rng_uniform(g);
    if (u < 0.2) return 0;
    if (u < 0.53) return 0.5 * (double)gsl_rng_uniform_int(g, 12);
    return 37.85 * gsl_rng_uniform_pos(g);
}

/* Mostly a few priorities (ties), sometimes the extremes 0 and 2^CAL_PRIO_BITS - 1. */
static unsigned draw_prio(gsl_rng *g)
{
    unsigned long u = gsl_rng_uniform_int(g, 20);
    if (u == 0) return (1u << CAL_PRIO_BITS) - 1;
    return (unsigned)(u % 4);
}

static void test_random_workload(void)
{
    enum { N_OPS = 100000, CHECK_EVERY = 53, PHASE = 9000 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 2385);
    struct cal c;
    struct ref r = {NULL, 0, 0, 0};
    cal_init(&c);
    long mismatches = 0, bad_checks = 0, empty_ok = 0, empty_bad = 0, pops = 0;
    size_t max_n = 0;
    double now = 0;
    for (long op = 0; op < N_OPS; op++) {
        /* Alternating phases that grow and drain the heap, so sizes from 0 to thousands occur. */
        double p_push = (op / PHASE) % 2 == 0 ? 0.62 : 0.30;
        if (gsl_rng_uniform(g) < p_push) {
            double t = now + draw_delay(g);
            unsigned prio = draw_prio(g);
            uint32_t kind = (uint32_t)gsl_rng_uniform_int(g, 7);
            uint32_t tag = (uint32_t)gsl_rng_get(g);
            uint32_t index = (uint32_t)r.next_seq; /* identifies the event */
            cal_push(&c, t, prio, kind, index, tag);
            ref_push(&r, t, prio, kind, index, tag);
        } else {
            struct cal_event e;
            int got = cal_pop(&c, &e);
            if (r.n == 0) {
                if (got == 0)
                    empty_ok++;
                else
                    empty_bad++;
                continue;
            }
            pops++;
            struct ref_ev *x = &r.v[--r.n];
            if (!got || e.time_s != x->time_s || e.kind != x->kind || e.index != x->index ||
                e.tag != x->tag || e.order >> CAL_SEQ_BITS != x->prio) {
                if (mismatches++ < 5)
                    printf("    op %ld: got index %u at %.17g, expected index %u at %.17g\n", op,
                           (unsigned)e.index, e.time_s, (unsigned)x->index, x->time_s);
            }
            now = x->time_s;
        }
        if (cal_size(&c) != r.n) mismatches++;
        if (r.n > max_n) max_n = r.n;
        if (op % CHECK_EVERY == 0 && !cal_check(&c)) bad_checks++;
    }
    /* Drain what is left, still comparing. */
    struct cal_event e;
    while (r.n > 0) {
        struct ref_ev *x = &r.v[--r.n];
        if (!cal_pop(&c, &e) || e.index != x->index || e.time_s != x->time_s) mismatches++;
        pops++;
    }
    if (!cal_check(&c)) bad_checks++;
    CHECK_INT(mismatches, 0, "100k mixed push/pop: every pop matches the sorted reference");
    CHECK_INT(bad_checks, 0, "cal_check holds throughout the randomized workload");
    CHECK_INT(empty_bad, 0, "cal_pop on an empty calendar returns 0");
    CHECK(empty_ok > 0, "the workload popped an empty calendar at least once");
    CHECK(pops > 30000, "the workload popped more than 30000 events");
    CHECK(max_n > 1000, "the workload grew the heap past 1000 pending events");
    CHECK(cal_pop(&c, &e) == 0 && cal_size(&c) == 0, "calendar is empty after the drain");
    cal_fini(&c);
    free(r.v);
    gsl_rng_free(g);
}

/* Removes the reference's pending event of the indexed lane for index; returns 0 if none. */
static int ref_cancel(struct ref *r, uint32_t index)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].kind == CAL_LANE_TIMERS && r->v[i].index == index) {
            memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof *r->v);
            r->n--;
            return 1;
        }
    return 0;
}

static void test_lanes(void)
{
    enum { N_OPS = 60000, SLOTS = 300, CHECK_EVERY = 41 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 7001);
    struct cal c;
    struct ref r = {NULL, 0, 0, 0};
    cal_init(&c);
    long mismatches = 0, bad_checks = 0, cancels = 0, replaced = 0, pops = 0;
    uint32_t next_index = 0;
    for (long op = 0; op < N_OPS; op++) {
        double u = gsl_rng_uniform(g);
        if (u < 0.5) {
            /* The kind records the lane, so the reference knows where each event went. */
            uint32_t lane = (uint32_t)gsl_rng_uniform_int(g, CAL_N_LANES);
            double t = c.now_s + draw_delay(g);
            unsigned prio = draw_prio(g);
            uint32_t index = lane == CAL_LANE_TIMERS ? (uint32_t)gsl_rng_uniform_int(g, SLOTS)
                                                     : next_index++;
            if (lane == CAL_LANE_TIMERS && ref_cancel(&r, index)) replaced++;
            cal_push_in(&c, (enum cal_lane)lane, t, prio, lane, index, 0);
            ref_push(&r, t, prio, lane, index, 0);
        } else if (u < 0.62) {
            uint32_t index = (uint32_t)gsl_rng_uniform_int(g, SLOTS);
            int had = ref_cancel(&r, index);
            if (cal_cancel(&c, CAL_LANE_TIMERS, index) != had) mismatches++;
            cancels += had;
        } else {
            struct cal_event e;
            int got = cal_pop(&c, &e);
            if (r.n == 0) {
                if (got) mismatches++;
                continue;
            }
            pops++;
            struct ref_ev *x = &r.v[--r.n];
            if (!got || e.time_s != x->time_s || e.kind != x->kind || e.index != x->index) {
                if (mismatches++ < 5)
                    printf("    op %ld: got lane %u index %u at %.17g, expected lane %u index %u at "
                           "%.17g\n", op, (unsigned)e.kind, (unsigned)e.index, e.time_s,
                           (unsigned)x->kind, (unsigned)x->index, x->time_s);
            }
        }
        if (cal_size(&c) != r.n) mismatches++;
        if (op % CHECK_EVERY == 0 && !cal_check(&c)) bad_checks++;
    }
    CHECK_INT(mismatches, 0, "60k pushes over the lanes, pops and cancels match the reference");
    CHECK_INT(bad_checks, 0, "cal_check (heaps and positions) holds throughout");
    CHECK(cancels > 1000 && replaced > 1000 && pops > 20000,
          "the workload cancelled and replaced over 1000 timers and popped over 20000 events");
    cal_reset(&c);
    CHECK(cal_cancel(&c, CAL_LANE_TIMERS, 5) == 0 && cal_size(&c) == 0,
          "after a reset no timer is pending");
    cal_fini(&c);
    free(r.v);
    gsl_rng_free(g);
}

/* ================================ Deliberate cases ================================ */

static void test_fifo_and_priority(void)
{
    struct cal c;
    struct cal_event e;
    cal_init(&c);
    /* Equal times and priorities: insertion order, including after interleaved later events. */
    for (uint32_t i = 0; i < 40; i++) {
        cal_push(&c, 42.125, 7, 0, i, 0);
        cal_push(&c, 42.125 + 1e-9, 7, 0, 1000 + i, 0); /* just later; must not interleave */
    }
    int fifo = 1;
    for (uint32_t i = 0; i < 40; i++)
        if (!cal_pop(&c, &e) || e.index != i || e.time_s != 42.125) fifo = 0;
    for (uint32_t i = 0; i < 40; i++)
        if (!cal_pop(&c, &e) || e.index != 1000 + i) fifo = 0;
    CHECK(fifo, "equal time and priority pop in insertion order");

    /* Equal times: lower priority first; equal priorities among them keep insertion order. */
    static const unsigned prio[] = {5, 2, 9, 0, 255, 2, 0, 9};
    static const uint32_t expect[] = {3, 6, 1, 5, 0, 2, 7, 4}; /* indices in pop order */
    for (uint32_t i = 0; i < 8; i++)
        cal_push(&c, 63.75, prio[i], 0, i, 0);
    int by_prio = 1;
    for (int i = 0; i < 8; i++) {
        if (!cal_pop(&c, &e) || e.index != expect[i]) by_prio = 0;
        if (e.order >> CAL_SEQ_BITS != prio[expect[i]]) by_prio = 0;
    }
    CHECK(by_prio, "at equal times lower priority pops first, ties in insertion order");

    /* Time beats priority: an earlier event with the largest priority pops before a later one
     * with priority 0. */
    cal_push(&c, 70.5, 0, 0, 1, 0);
    cal_push(&c, 70.25, 255, 0, 2, 0);
    CHECK(cal_pop(&c, &e) && e.index == 2, "earlier time pops first whatever the priority");
    CHECK(cal_pop(&c, &e) && e.index == 1, "then the later one");

    /* Scheduling exactly at the current time is allowed and pops next. */
    cal_push(&c, 90.0, 3, 0, 1, 0);
    cal_push(&c, c.now_s, 3, 0, 2, 0);
    CHECK(cal_pop(&c, &e) && e.index == 2 && e.time_s == 70.5, "event at now pops first");
    CHECK(c.now_s == 70.5, "now_s is the time of the last pop");

    /* All payload fields come back unchanged, including extremes. */
    cal_push(&c, 1e300, 255, UINT32_MAX, 0xdeadbeefu, UINT32_MAX - 1);
    CHECK(cal_pop(&c, &e) && e.index == 1, "event at 90 pops before 1e300");
    CHECK(cal_pop(&c, &e) && e.time_s == 1e300 && e.kind == UINT32_MAX && e.index == 0xdeadbeefu &&
              e.tag == UINT32_MAX - 1,
          "kind, index and tag round-trip at their extremes");
    CHECK(cal_pop(&c, &e) == 0, "then the calendar is empty");
    cal_fini(&c);
}

static void test_reset(void)
{
    struct cal c;
    struct cal_event e;
    cal_init(&c);
    for (uint32_t i = 0; i < 300; i++)
        cal_push(&c, 10.0 + 0.37 * i, 1, 0, i, 0);
    for (int i = 0; i < 150; i++)
        cal_pop(&c, &e);
    size_t cap = c.lanes[CAL_LANE_MAIN].cap;
    struct cal_event *heap = c.lanes[CAL_LANE_MAIN].heap;
    CHECK(c.now_s > 60, "time advanced before the reset");
    cal_reset(&c);
    CHECK_INT(cal_size(&c), 0, "cal_reset empties the calendar");
    CHECK(cal_pop(&c, &e) == 0, "pop after cal_reset returns 0");
    CHECK(c.now_s == 0, "cal_reset restarts time at 0");
    CHECK(c.lanes[CAL_LANE_MAIN].cap == cap && c.lanes[CAL_LANE_MAIN].heap == heap, "cal_reset keeps the allocation");
    CHECK(cal_check(&c), "cal_check holds after cal_reset");
    /* Time restarted: an event before the old now is accepted (it would abort otherwise). */
    cal_push(&c, 2.385, 4, 0, 1, 0);
    cal_push(&c, 2.385, 4, 0, 2, 0);
    cal_push(&c, 0.0, 4, 0, 3, 0);
    CHECK(cal_pop(&c, &e) && e.index == 3 && e.time_s == 0, "time 0 is accepted after reset");
    /* The insertion counter restarts too, so a replication's orders do not depend on the last. */
    CHECK((e.order & (((uint64_t)1 << CAL_SEQ_BITS) - 1)) == 2, "insertion sequence restarts at 0");
    CHECK(cal_pop(&c, &e) && e.index == 1, "FIFO after reset (first)");
    CHECK(cal_pop(&c, &e) && e.index == 2, "FIFO after reset (second)");
    cal_fini(&c);
    CHECK(c.lanes[CAL_LANE_MAIN].heap == NULL && c.lanes[CAL_LANE_MAIN].n == 0 && c.lanes[CAL_LANE_MAIN].cap == 0, "cal_fini releases the heap");
}

static void test_growth(void)
{
    enum { N = 5000 };
    struct cal c;
    struct cal_event e;
    cal_init(&c);
    size_t cap0 = c.lanes[CAL_LANE_MAIN].cap;
    /* Decreasing times, the worst case for sift-up, with a tie every 7th event. */
    for (uint32_t i = 0; i < N; i++)
        cal_push(&c, 9000.0 - 1.75 * (double)(i - i % 7), 0, 0, i, 0);
    CHECK(c.lanes[CAL_LANE_MAIN].cap >= N && c.lanes[CAL_LANE_MAIN].cap > cap0, "the heap grew beyond its initial capacity");
    CHECK_INT(cal_size(&c), N, "every pushed event is pending");
    CHECK(cal_check(&c), "cal_check holds after growth");
    int ok = 1;
    double last = -1;
    uint32_t last_index = 0;
    for (int i = 0; i < N; i++) {
        if (!cal_pop(&c, &e) || e.time_s < last) ok = 0;
        if (e.time_s == last && e.index <= last_index) ok = 0;
        last = e.time_s;
        last_index = e.index;
    }
    CHECK(ok, "5000 events pop in (time, insertion) order after growth");
    CHECK(cal_pop(&c, &e) == 0, "empty after popping all of them");
    cal_fini(&c);
}

/* Steady state: pop one, push one, a million times at a constant heap size.  The heap must never
 * be reallocated (capacity and address unchanged), which is how "no malloc in the event loop" is
 * visible from outside. */
static void test_no_allocation(void)
{
    enum { STEADY = 4096 + 123 };
    const long pairs = 1000000;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 6121);
    struct cal c;
    struct cal_event e;
    cal_init(&c);
    for (uint32_t i = 0; i < STEADY; i++)
        cal_push(&c, 300.0 * gsl_rng_uniform(g), (unsigned)(i % 3), 0, i, 0);
    size_t cap = c.lanes[CAL_LANE_MAIN].cap;
    struct cal_event *heap = c.lanes[CAL_LANE_MAIN].heap;
    int monotone = 1;
    double last = 0;
    for (long i = 0; i < pairs; i++) {
        cal_pop(&c, &e);
        if (e.time_s < last) monotone = 0;
        last = e.time_s;
        cal_push(&c, e.time_s + draw_delay(g), e.kind, 0, e.index, 0);
    }
    CHECK(c.lanes[CAL_LANE_MAIN].cap == cap && c.lanes[CAL_LANE_MAIN].heap == heap, "no reallocation over the steady push/pop pairs");
    CHECK_INT(cal_size(&c), STEADY, "heap size stayed constant");
    CHECK(monotone, "pops never went back in time");
    CHECK(cal_check(&c), "cal_check holds after the steady run");
    cal_fini(&c);
    gsl_rng_free(g);
}

/* ================================ Aborts ================================ */

static void push_before_now(void)
{
    struct cal c;
    struct cal_event e;
    cal_init(&c);
    cal_push(&c, 10.5, 0, 0, 0, 0);
    cal_pop(&c, &e);
    cal_push(&c, nextafter(10.5, 0), 0, 0, 0, 0); /* one ulp in the past */
    cal_fini(&c);
}

static void push_nan(void)
{
    struct cal c;
    cal_init(&c);
    cal_push(&c, (double)NAN, 0, 0, 0, 0);
    cal_fini(&c);
}

static void push_at_now(void)
{
    struct cal c;
    struct cal_event e;
    cal_init(&c);
    cal_push(&c, 10.5, 0, 0, 0, 0);
    cal_pop(&c, &e);
    cal_push(&c, 10.5, 0, 0, 0, 0);
    cal_fini(&c);
}

#ifndef NDEBUG
static void push_bad_prio(void)
{
    struct cal c;
    cal_init(&c);
    cal_push(&c, 1.0, 1u << CAL_PRIO_BITS, 0, 0, 0);
    cal_fini(&c);
}
#endif

static void test_aborts(void)
{
    int st = check_run_child(push_before_now);
    CHECK(check_aborted(st), "pushing one ulp before the last popped time aborts (SIGABRT)");
    st = check_run_child(push_nan);
    CHECK(check_aborted(st), "pushing a NaN time aborts (SIGABRT)");
    st = check_run_child(push_at_now);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "pushing exactly at the last popped time does not abort");
#ifndef NDEBUG
    st = check_run_child(push_bad_prio);
    CHECK(check_aborted(st), "priority 2^CAL_PRIO_BITS fails the assert (SIGABRT)");
#endif
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_random_workload();
    test_lanes();
    test_fifo_and_priority();
    test_reset();
    test_growth();
    test_no_allocation();
    test_aborts();
    return check_summary();
}
