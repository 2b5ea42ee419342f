/* staffing: targets, and the erlang (SIPP) requirement per interval and group. */
#include "staffing.h"

#include "erlang.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    double v, s;
    char extra;
    if (sscanf(what, "sl=%lf@%lfs%c", &v, &s, &extra) == 2 ||
        sscanf(what, "sl=%lf@%lf%c", &v, &s, &extra) == 2) {
        t->kind = TARGET_SL;
        t->sl_s = s;
    } else if (sscanf(what, "abandon=%lf%c", &v, &extra) == 1) {
        t->kind = TARGET_ABANDON;
    } else if (sscanf(what, "occupancy=%lf%c", &v, &extra) == 1) {
        t->kind = TARGET_OCCUPANCY;
    } else {
        snprintf(why, cap, "'%s': sl=F@Ts, abandon=F or occupancy=F expected after the name", what);
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
static int meets(const struct staff_target *t, int n_targets, int g, int c, double rate,
                 double aht, double patience, int n)
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
        if (x->kind == TARGET_OCCUPANCY && rate * aht / n > x->value) return 0;
    }
    return 1;
}

int staff_erlang(const struct model_spec *m, const struct staff_target *t, int n_targets,
                 int *agents, char *why, size_t cap)
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
            snprintf(why, cap, "group '%s': the erlang method takes groups of one voice or email "
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
        double patience = ch->patience.kind == DIST_NONE ? HUGE_VAL : dist_mean(&ch->patience);
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
                    snprintf(why, cap, "group '%s', interval %d: no staffing up to 10,000,000 "
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
