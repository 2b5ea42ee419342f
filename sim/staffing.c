/* staffing: targets, and the erlang (SIPP) requirement per interval and group. */
#include "staffing.h"

#include "erlang.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* If text starts with key and a number follows, stores the number and returns the text after
 * it; NULL otherwise. */
static const char *number_after(const char *text, const char *key, double *v)
{
    size_t n = strlen(key);
    if (strncmp(text, key, n) != 0) return NULL;
    text += n;
    return scan_double(&text, v) == 0 ? text : NULL;
}

/* Whether text is key, a number and nothing else. */
static int just_number_after(const char *text, const char *key, double *v)
{
    const char *rest = number_after(text, key, v);
    return rest != NULL && *rest == '\0';
}

int staff_parse_target(const char *text, const struct model_spec *m, struct staff_target *t,
                       char *why, size_t cap)
{
    memset(t, 0, sizeof *t);
    t->channel = t->group = -1;
    const char *colon = strrchr(text, ':');
    if (colon == NULL || colon == text) {
        snprintf(why, cap, "NAME:sl=F@Ts, NAME:abandon=F or NAME:occupancy=F expected");
        return -1;
    }
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(colon - text), text);
    const char *what = colon + 1;
    double v = 0, s = 0;
    const char *sl = number_after(what, "sl=", &v);
    const char *sl_end = sl != NULL ? number_after(sl, "@", &s) : NULL; /* the "s" is optional */
    if (sl_end != NULL && (strcmp(sl_end, "") == 0 || strcmp(sl_end, "s") == 0)) {
        t->kind = TARGET_SL;
        t->sl_s = s;
    } else if (just_number_after(what, "abandon=", &v)) {
        t->kind = TARGET_ABANDON;
    } else if (just_number_after(what, "occupancy=", &v)) {
        t->kind = TARGET_OCCUPANCY;
    } else if (just_number_after(what, "wait=", &v)) {
        t->kind = TARGET_WAIT;
    } else {
        snprintf(why, cap,
                 "'%s': sl=F@Ts, abandon=F, wait=F or occupancy=F expected after the name", what);
        return -1;
    }
    if (!(v > 0 && v < 1) || (t->kind == TARGET_SL && !(s >= 0))) {
        snprintf(why, cap, "the target must be a fraction in (0, 1) and T >= 0");
        return -1;
    }
    t->value = v;
    if (t->kind == TARGET_OCCUPANCY) {
        for (int g = 0; g < m->n_groups; g++)
            if (strcmp(m->groups[g].name, name) == 0) t->group = g;
        if (t->group < 0) {
            snprintf(why, cap, "no group named '%s' (an occupancy target names a group)", name);
            return -1;
        }
        return 0;
    }
    for (int c = 0; c < m->n_channels; c++)
        if (strcmp(m->channels[c].name, name) == 0) t->channel = c;
    if (t->channel < 0) {
        snprintf(why, cap, "no channel named '%s'", name);
        return -1;
    }
    return 0;
}

/* Whether n agents meet every target of group g (serving channel c) at this load. */
static int meets(const struct staff_target *t, int n_targets, int g, int c, double rate, double aht,
                 double patience, int n)
{
    for (int k = 0; k < n_targets; k++) {
        const struct staff_target *x = &t[k];
        if (x->kind == TARGET_OCCUPANCY ? x->group != g : x->channel != c) continue;
        struct erlang_input in = {rate, aht, n, patience, x->kind == TARGET_SL ? x->sl_s : 0};
        struct erlang_metrics e;
        int ok = isfinite(patience) ? erlang_a(&in, &e) == 0 : erlang_c(&in, &e) == 0;
        if (!ok) return 0; /* Erlang C past its stability */
        if (x->kind == TARGET_SL && e.service_level < x->value) return 0;
        if (x->kind == TARGET_ABANDON && e.p_abandon > x->value) return 0;
        if (x->kind == TARGET_WAIT && e.p_wait > x->value) return 0;
        if (x->kind == TARGET_OCCUPANCY && rate * aht / n > x->value) return 0;
    }
    return 1;
}

static int erlang_requirement(const struct model_spec *m, const struct staff_target *t,
                              int n_targets, int with_patience, int *agents, char *why, size_t cap)
{
    int nt = model_total_intervals(m), ns = m->n_segments > 0 ? m->n_segments : 1;
    int *served_by = malloc((size_t)m->n_channels * sizeof *served_by);
    if (served_by == NULL) return -1;
    for (int c = 0; c < m->n_channels; c++)
        served_by[c] = -1;
    int rc = 0;
    for (int g = 0; g < m->n_groups && rc == 0; g++) {
        const struct group_spec *gs = &m->groups[g];
        int c = gs->n_skills == 1 ? gs->skills[0] : -1;
        if (c < 0 || group_skill_segment(gs, 0) >= 0 || channel_kind_slotted(m->channels[c].kind)) {
            snprintf(why, cap,
                     "group '%s': the erlang method takes groups of one voice or email "
                     "skill for all segments",
                     gs->name);
            rc = -1;
        } else if (served_by[c] >= 0) {
            snprintf(why, cap, "channel '%s' is served by two groups: the erlang method needs one",
                     m->channels[c].name);
            rc = -1;
        } else {
            served_by[c] = g;
        }
    }
    for (int g = 0; g < m->n_groups && rc == 0; g++) {
        const struct group_spec *gs = &m->groups[g];
        int c = gs->skills[0];
        const struct channel_spec *ch = &m->channels[c];
        double aht = dist_mean(&ch->service) * group_proficiency(gs, 0);
        double patience = !with_patience || ch->patience.kind == DIST_NONE ? HUGE_VAL
                                                                            : dist_mean(&ch->patience);
        for (int i = 0; i < nt; i++) {
            double rate = 0;
            for (int s = 0; s < ns; s++)
                rate += ch->rate_per_s[(size_t)s * nt + i];
            int n = 0;
            if (rate > 0) {
                /* Every target only gets easier with more agents: double up to a staffing that
                 * meets them all, then bisect for the least. */
                long lo = 0, hi = (long)ceil(rate * aht);
                if (hi < 1) hi = 1;
                while (hi <= 10000000 && !meets(t, n_targets, g, c, rate, aht, patience, (int)hi)) {
                    lo = hi;
                    hi *= 2;
                }
                if (hi > 10000000) {
                    snprintf(why, cap,
                             "group '%s', interval %d: no staffing up to 10,000,000 "
                             "agents meets the targets",
                             gs->name, i);
                    rc = -1;
                    break;
                }
                while (hi - lo > 1) {
                    long mid = lo + (hi - lo) / 2;
                    if (meets(t, n_targets, g, c, rate, aht, patience, (int)mid))
                        hi = mid;
                    else
                        lo = mid;
                }
                n = (int)hi;
            }
            agents[(size_t)i * m->n_groups + g] = n;
        }
    }
    free(served_by);
    return rc;
}

int staff_erlang(const struct model_spec *m, const struct staff_target *t, int n_targets,
                 int *agents, char *why, size_t cap)
{
    return erlang_requirement(m, t, n_targets, 1, agents, why, cap);
}

int staff_erlang_c(const struct model_spec *m, const struct staff_target *t, int n_targets,
                   int *agents, char *why, size_t cap)
{
    return erlang_requirement(m, t, n_targets, 0, agents, why, cap);
}

/* ==== The sim method ==== */

/* The simulated value of target t in interval i (steady mode has one interval: the run's own
 * scopes). */
const struct stat_summary *staff_target_summary(const struct model_spec *m, const struct results *r,
                                                const struct staff_target *t, int i)
{
    int day = m->mode == MODE_DAY;
    int scope = t->kind == TARGET_OCCUPANCY ? results_group_scope(m, t->group, day ? 1 + i : 0)
                : day                       ? results_interval_scope(m, i, t->channel)
                                            : 1 + t->channel;
    int metric = t->kind == TARGET_SL        ? MET_SL
                 : t->kind == TARGET_ABANDON ? MET_ABANDON_RATE
                 : t->kind == TARGET_WAIT    ? MET_P_WAIT
                                             : MET_OCCUPANCY;
    return &r->summary[scope * MET_N + metric];
}

/* Simulates the day with the requirement, and counts the (interval, target) pairs that fail at
 * the unfavourable end of their 95 % interval (the lower end for service level, the upper for
 * abandonment and occupancy).  Intervals without contacts meet every target. */
static int failures(struct model_spec *m, const struct staff_target *t, int n_targets,
                    const int *agents, const struct sim_hooks *hooks, unsigned char *fails)
{
    int nt = model_total_intervals(m);
    for (int g = 0; g < m->n_groups; g++)
        for (int i = 0; i < nt; i++)
            m->groups[g].agents[i] = agents[(size_t)i * m->n_groups + g];
    struct results *r = sim_run(m, hooks);
    int n = 0;
    for (int i = 0; i < nt; i++)
        for (int k = 0; k < n_targets; k++) {
            const struct staff_target *x = &t[k];
            const struct stat_summary *s = staff_target_summary(m, r, x, i);
            double h = isfinite(s->ci95) ? s->ci95 : 0;
            int bad = 0;
            if (isfinite(s->mean)) {
                if (x->kind == TARGET_SL)
                    bad = s->mean - h < x->value;
                else
                    bad = s->mean + h > x->value;
            }
            fails[(size_t)i * n_targets + k] = (unsigned char)bad;
            n += bad;
        }
    results_free(r);
    return n;
}

/* The cheapest group with a skill for channel c (the first at equal cost); -1 none. */
static int cheapest_group(const struct model_spec *m, int c)
{
    int best = -1;
    for (int g = 0; g < m->n_groups; g++)
        for (int k = 0; k < m->groups[g].n_skills; k++)
            if (m->groups[g].skills[k] == c &&
                (best < 0 || m->groups[g].cost_per_hour < m->groups[best].cost_per_hour)) {
                best = g;
                break;
            }
    return best;
}

static int share_skill(const struct model_spec *m, int a, int b)
{
    for (int k = 0; k < m->groups[a].n_skills; k++)
        for (int l = 0; l < m->groups[b].n_skills; l++)
            if (m->groups[a].skills[k] == m->groups[b].skills[l]) return 1;
    return 0;
}

int staff_sim(struct model_spec *m, const struct staff_target *t, int n_targets, int *agents,
              const struct sim_hooks *hooks, int *simulations, char *why, size_t cap)
{
    int nt = model_total_intervals(m), ng = m->n_groups;
    for (int g = 0; g < ng; g++)
        if (m->groups[g].n_shifts > 0) {
            snprintf(why, cap, "group '%s' has shifts: the sim method sets agents per interval",
                     m->groups[g].name);
            return -1;
        }
    /* Start from the erlang answer where the model allows it, else from the config's staffing. */
    char ignore[300];
    if (staff_erlang(m, t, n_targets, agents, ignore, sizeof ignore) != 0)
        for (int g = 0; g < ng; g++)
            for (int i = 0; i < nt; i++)
                agents[(size_t)i * ng + g] = m->groups[g].agents[i];
    unsigned char *fails = calloc((size_t)nt * n_targets + 1, 1);
    int *trial = malloc(((size_t)nt * ng + 1) * sizeof *trial);
    if (fails == NULL || trial == NULL) {
        free(fails);
        free(trial);
        snprintf(why, cap, "out of memory");
        return -1;
    }
    *simulations = 0;
    int rc = 0;
    /* Add: one agent, to the cheapest group that can help, in every interval failing a target,
     * until none fails. */
    for (int round = 0;; round++) {
        int n = failures(m, t, n_targets, agents, hooks, fails);
        ++*simulations;
        if (n == 0) break;
        if (round == 500) {
            snprintf(why, cap, "the targets are still not met after 500 rounds of adding agents");
            rc = -1;
            break;
        }
        for (int i = 0; i < nt; i++) {
            int added = 0;
            for (int k = 0; k < n_targets && !added; k++) {
                if (!fails[(size_t)i * n_targets + k]) continue;
                int g =
                    t[k].kind == TARGET_OCCUPANCY ? t[k].group : cheapest_group(m, t[k].channel);
                if (g < 0) continue;
                agents[(size_t)i * ng + g]++;
                added = 1;
            }
        }
    }
    /* Remove: every agent no target needs, interval by interval, the dearest groups first
     * (intervals interact: each trial simulates the whole day). */
    int *dear = malloc(((size_t)ng + 1) * sizeof *dear);
    if (dear == NULL) rc = -1;
    for (int g = 0; dear != NULL && g < ng; g++) {
        int at = g;
        while (at > 0 && m->groups[dear[at - 1]].cost_per_hour < m->groups[g].cost_per_hour) {
            dear[at] = dear[at - 1];
            at--;
        }
        dear[at] = g;
    }
    for (int i = 0; i < nt && rc == 0; i++)
        for (int d = 0; d < ng; d++) {
            int g = dear[d];
            while (agents[(size_t)i * ng + g] > 0) {
                memcpy(trial, agents, (size_t)nt * ng * sizeof *trial);
                trial[(size_t)i * ng + g]--;
                int n = failures(m, t, n_targets, trial, hooks, fails);
                ++*simulations;
                if (n > 0) break;
                agents[(size_t)i * ng + g]--;
            }
        }
    /* Trade: an agent of a dearer group for one of a cheaper group sharing a skill, while the
     * targets hold (adding went to the cheapest group, but the start may not have). */
    for (int i = 0; i < nt && rc == 0; i++)
        for (int a = 0; a < ng; a++)
            for (int b = 0; b < ng; b++) {
                if (m->groups[b].cost_per_hour >= m->groups[a].cost_per_hour || !share_skill(m, a, b))
                    continue;
                while (agents[(size_t)i * ng + a] > 0) {
                    memcpy(trial, agents, (size_t)nt * ng * sizeof *trial);
                    trial[(size_t)i * ng + a]--;
                    trial[(size_t)i * ng + b]++;
                    int n = failures(m, t, n_targets, trial, hooks, fails);
                    ++*simulations;
                    if (n > 0) break;
                    memcpy(agents, trial, (size_t)nt * ng * sizeof *trial);
                }
            }
    free(dear);
    /* Leave the model staffed with the answer. */
    for (int g = 0; g < ng; g++)
        for (int i = 0; i < nt; i++)
            m->groups[g].agents[i] = agents[(size_t)i * ng + g];
    free(fails);
    free(trial);
    return rc;
}

/* ==== The iterative staffing algorithm ==== */

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

int staff_isa(struct model_spec *m, const struct staff_target *t, int n_targets, int *agents,
              const struct sim_hooks *hooks, int *iterations, char *why, size_t cap)
{
    int nt = model_total_intervals(m), reps = m->replications;
    if (m->mode != MODE_DAY || m->n_groups != 1 || m->groups[0].n_shifts > 0 || n_targets != 1 ||
        t[0].kind != TARGET_WAIT) {
        snprintf(why, cap,
                 "the isa method staffs one group (agents per interval) of a day for one "
                 "delay-probability target, CHANNEL:wait=F");
        return -1;
    }
    if (staff_erlang(m, t, n_targets, agents, why, cap) != 0) return -1;
    struct sim_hooks h;
    if (hooks != NULL)
        h = *hooks;
    else
        memset(&h, 0, sizeof h);
    h.precision_rel = 0;
    h.in_system_at_start = malloc((size_t)reps * nt * sizeof(int));
    int *column = malloc((size_t)reps * sizeof(int)), *next = malloc((size_t)nt * sizeof(int));
    if (h.in_system_at_start == NULL || column == NULL || next == NULL) {
        free(h.in_system_at_start);
        free(column);
        free(next);
        snprintf(why, cap, "out of memory");
        return -1;
    }
    double alpha = t[0].value;
    for (*iterations = 1; *iterations <= 20; ++*iterations) {
        for (int i = 0; i < nt; i++)
            m->groups[0].agents[i] = agents[i];
        struct results *r = sim_run(m, &h);
        results_free(r);
        int changed = 0;
        for (int i = 0; i < nt; i++) {
            /* The interval's sample: the larger of the counts at its two ends (the load may move
             * within it; the end of the last one is the close, taken as its start). */
            for (int k = 0; k < reps; k++) {
                int a = h.in_system_at_start[(size_t)k * nt + i];
                int b = i + 1 < nt ? h.in_system_at_start[(size_t)k * nt + i + 1] : a;
                column[k] = a > b ? a : b;
            }
            qsort(column, (size_t)reps, sizeof *column, int_cmp);
            /* The least s with at most a fraction alpha of the replications at N >= s: one above
             * the value at rank ceil((1 - alpha) reps) from the bottom. */
            int keep = (int)floor(alpha * reps); /* replications allowed at N >= s */
            int s = keep >= reps ? 0 : column[reps - 1 - keep] + 1;
            next[i] = s;
            changed |= next[i] != agents[i];
        }
        memcpy(agents, next, (size_t)nt * sizeof *agents);
        if (!changed) break;
    }
    if (*iterations > 20) *iterations = 20; /* no fixed point: sampling noise moves it by one */
    for (int i = 0; i < nt; i++)
        m->groups[0].agents[i] = agents[i];
    free(h.in_system_at_start);
    free(column);
    free(next);
    return 0;
}

void staff_round_up(const struct model_spec *m, int *agents, int per_plan)
{
    int days = model_total_intervals(m) / m->n_intervals;
    for (int d = 0; d < days; d++)
        for (int b = 0; b < m->n_intervals; b += per_plan) {
            int end = b + per_plan < m->n_intervals ? b + per_plan : m->n_intervals;
            for (int g = 0; g < m->n_groups; g++) {
                int most = 0;
                for (int i = b; i < end; i++) {
                    int a = agents[(size_t)(d * m->n_intervals + i) * m->n_groups + g];
                    if (a > most) most = a;
                }
                for (int i = b; i < end; i++)
                    agents[(size_t)(d * m->n_intervals + i) * m->n_groups + g] = most;
            }
        }
}
