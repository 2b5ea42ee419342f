/* test_schedule: the GLPK shift schedule.  Small cases whose optimum is worked out by hand below;
 * random small cases against an exhaustive search; the cover holds in every interval; templates
 * that cannot cover name the intervals; and the simulator puts on duty exactly the agents the
 * schedule plans. */
#include "check.h"
#include "conf.h"
#include "model.h"
#include "schedule.h"
#include "testlib.h"
#include "util.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_shrunk(const char *groups_text, const char *day, double shrinkage,
                       struct model_spec *m)
{
    char text[4096];
    snprintf(text, sizeof text,
             "mode = \"day\"; seed = 5; replications = 1;\n"
             "day = { %s };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = 10.0;\n"
             "  service = { dist = \"exponential\"; mean_s = 60.0; }; } );\n"
             "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 1; shrinkage = %g;\n"
             "  shift_templates = ( %s ); } );\n",
             day, shrinkage, groups_text);
    return testlib_load(text, "build/test_schedule.cfg", m);
}

static int load(const char *groups_text, const char *day, struct model_spec *m)
{
    return load_shrunk(groups_text, day, 0, m);
}

static int count_of(const struct schedule *s, const struct model_spec *m, const char *name,
                    double start_s)
{
    int n = 0;
    for (int k = 0; k < s->n_shifts; k++)
        if (strcmp(m->groups[0].templates[s->shifts[k].template_index].name, name) == 0 &&
            (start_s < 0 || fabs(s->shifts[k].start_s - start_s) < 1e-6))
            n += s->shifts[k].agents;
    return n;
}

/* 08:00-16:00 by the hour, needing 3 3 5 5 5 5 3 3.  A full day (8 h, 08:00 only) costs 7, a
 * half day (4 h, 08:00 to 12:00) 4.  With F full days the rest is covered by half days; F = 3
 * leaves 2 agents for 10:00-14:00: two half days at 10:00, cost 21 + 8 = 29.  F = 4: 28 + 4 = 32;
 * F = 5: 35; F = 2 leaves 1 1 3 3 3 3 1 1, which needs half days at 08:00 and 12:00 for the
 * ends and two more for 10:00-14:00: 14 + 16 = 30; F = 1: 7 + 24 = 31; F = 0: 32.  The optimum
 * is 29, three full days and two half days at 10:00, and no other set costs 29. */
static void hand_case(void)
{
    struct model_spec m;
    if (!CHECK(
            load("{ name = \"full\"; earliest_start = \"08:00\"; length_h = 8.0; cost = 7.0; },\n"
                 "{ name = \"half\"; earliest_start = \"08:00\"; latest_start = \"12:00\";\n"
                 "  length_h = 4.0; cost = 4.0; }",
                 "start = \"08:00\"; end = \"16:00\"; interval_min = 60;", &m) == 0,
            "the hand case loads"))
        return;
    double req[8] = {3, 3, 5, 5, 5, 5, 3, 3};
    struct schedule s;
    char why[1024];
    int rc = schedule_solve(&m, 0, req, 30, &s, why, sizeof why);
    if (!CHECK(rc == 0, "GLPK solves the hand case")) {
        printf("    %s\n", why);
        model_spec_free(&m);
        return;
    }
    CHECK_NEAR(s.cost, 29.0, 1e-12,
               "the hand case: GLPK's cost is the optimum worked out by hand, 29");
    CHECK(s.optimal, "the hand case: proven optimal");
    CHECK_INT(count_of(&s, &m, "full", -1), 3, "the hand case: three full days");
    CHECK_INT(count_of(&s, &m, "half", 10 * 3600.0), 2, "the hand case: two half days at 10:00");
    CHECK_INT(count_of(&s, &m, "half", -1), 2, "the hand case: no other half day");
    CHECK_INT(s.options, 6, "the hand case: 1 + 5 ways to work the templates");
    schedule_free(&s);
    model_spec_free(&m);
}

/* 08:00-12:00 by the hour, one agent each hour.  A 4-hour shift (cost 4) takes a 30-minute
 * break at 09:00 or 10:00, so alone it covers half of that hour; a 1-hour shift costs 1.5.  The
 * optimum: one 4-hour shift and a 1-hour shift in its break's hour, 5.5 (two 4-hour shifts
 * with different breaks: 8; four 1-hour shifts: 6). */
static void break_case(void)
{
    struct model_spec m;
    if (!CHECK(load("{ name = \"long\"; earliest_start = \"08:00\"; length_h = 4.0; cost = 4.0;\n"
                    "  breaks = ( { earliest_after_min = 60; latest_after_min = 120; length_min = "
                    "30; } ); },\n"
                    "{ name = \"hour\"; earliest_start = \"08:00\"; latest_start = \"11:00\";\n"
                    "  length_h = 1.0; cost = 1.5; }",
                    "start = \"08:00\"; end = \"12:00\"; interval_min = 60;", &m) == 0,
               "the break case loads"))
        return;
    double req[4] = {1, 1, 1, 1};
    struct schedule s;
    char why[1024];
    if (!CHECK(schedule_solve(&m, 0, req, 30, &s, why, sizeof why) == 0,
               "GLPK solves the break case")) {
        printf("    %s\n", why);
        model_spec_free(&m);
        return;
    }
    CHECK_NEAR(s.cost, 5.5, 1e-12, "the break case: cost 5.5, worked out by hand");
    int brk_hour = -1, hour_at = -2;
    for (int k = 0; k < s.n_shifts; k++) {
        const struct scheduled_shift *sh = &s.shifts[k];
        if (sh->template_index == 0)
            brk_hour = (int)lround(sh->break_start_s[0] / 3600);
        else
            hour_at = (int)lround(sh->start_s / 3600);
    }
    CHECK_INT(hour_at, brk_hour, "the break case: the 1-hour shift fills the long shift's break");
    CHECK_NEAR(s.on_duty[brk_hour - 8], 1.5, 1e-12,
               "the break case: 1.5 agents on duty in the break's hour");
    schedule_free(&s);
    model_spec_free(&m);
}

/* Exhaustive search over counts 0..cap of every way to work breakless templates. */
struct brute {
    int n_opts, ni;
    double cover[16][8]; /* [option][interval] */
    double cost[16];
    int tmpl[16];
    int n_templates, min[4], max[4];
    const double *req;
    double keep; /* 1 - shrinkage */
    int count[16];
    double best;
};

static void brute_search(struct brute *b, int j, double cost)
{
    if (cost >= b->best - 1e-9) return;
    if (j == b->n_opts) {
        for (int i = 0; i < b->ni; i++) {
            double c = 0;
            for (int k = 0; k < b->n_opts; k++)
                c += b->count[k] * b->cover[k][i];
            if (c < b->req[i] / b->keep - 1e-9) return;
        }
        for (int t = 0; t < b->n_templates; t++) {
            int n = 0;
            for (int k = 0; k < b->n_opts; k++)
                if (b->tmpl[k] == t) n += b->count[k];
            if (n < b->min[t] || (b->max[t] >= 0 && n > b->max[t])) return;
        }
        b->best = cost;
        return;
    }
    for (int x = 0; x <= 4; x++) {
        b->count[j] = x;
        brute_search(b, j + 1, cost + x * b->cost[j]);
    }
    b->count[j] = 0;
}

static void random_cases(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 77);
    int agree = 0, cases = check_quick() ? 15 : 40;
    for (int c = 0; c < cases; c++) {
        /* Six hourly intervals, two templates of 2 to 4 hours on random start windows. */
        char tmpl[1024] = "";
        struct brute b = {0};
        b.ni = 6;
        b.n_templates = 2;
        for (int t = 0; t < 2; t++) {
            int len = 2 + (int)(gsl_rng_uniform(r) * 3), first = (int)(gsl_rng_uniform(r) * 2);
            int last = first + (int)(gsl_rng_uniform(r) * (6 - len - first + 1));
            if (last > 6 - len) last = 6 - len;
            double cost = 1 + (int)(gsl_rng_uniform(r) * 8);
            b.min[t] = gsl_rng_uniform(r) < 0.3 ? 1 : 0;
            b.max[t] = gsl_rng_uniform(r) < 0.4 ? 3 : -1;
            char one[300], maxs[32] = "";
            if (b.max[t] >= 0) snprintf(maxs, sizeof maxs, " max = %d;", b.max[t]);
            snprintf(one, sizeof one,
                     "%s{ name = \"t%d\"; earliest_start = \"%02d:00\"; latest_start = \"%02d:00\";"
                     " length_h = %d.0; cost = %g; min = %d;%s }",
                     t ? ", " : "", t, 8 + first, 8 + last, len, cost, b.min[t], maxs);
            strncat(tmpl, one, sizeof tmpl - strlen(tmpl) - 1);
            for (int s = first; s <= last; s++) {
                b.tmpl[b.n_opts] = t;
                b.cost[b.n_opts] = cost;
                for (int i = 0; i < 6; i++)
                    b.cover[b.n_opts][i] = i >= s && i < s + len;
                b.n_opts++;
            }
        }
        double req[6];
        for (int i = 0; i < 6; i++)
            req[i] = (int)(gsl_rng_uniform(r) * 4);
        b.req = req;
        /* Shrinkage makes the gross requirement fractional (the bound tightening's case). */
        double shrinkage = (int)(gsl_rng_uniform(r) * 3) * 0.125;
        b.keep = 1 - shrinkage;
        b.best = INFINITY;
        brute_search(&b, 0, 0);
        struct model_spec m;
        if (load_shrunk(tmpl, "start = \"08:00\"; end = \"14:00\"; interval_min = 60;", shrinkage, &m) != 0) {
            CHECK(0, tmpl);
            continue;
        }
        struct schedule s;
        char why[1024];
        int rc = schedule_solve(&m, 0, req, 30, &s, why, sizeof why);
        /* Counts above 4 never pay here (no interval needs more than 3 / 0.75 = 4), so the
         * search's box holds the optimum whenever one exists. */
        int same = isfinite(b.best) ? rc == 0 && fabs(s.cost - b.best) < 1e-9 : rc != 0;
        if (!same) {
            char desc[1600];
            snprintf(desc, sizeof desc, "random case %d: GLPK %s %g, exhaustive search %g (%s)", c,
                     rc == 0 ? "cost" : "infeasible", rc == 0 ? s.cost : 0.0, b.best, tmpl);
            CHECK(0, desc);
        }
        agree += same;
        if (rc == 0) schedule_free(&s);
        model_spec_free(&m);
    }
    gsl_rng_free(r);
    char desc[200];
    snprintf(desc, sizeof desc,
             "%d random cases: GLPK's optimum equals an exhaustive search's in %d", cases, agree);
    CHECK_INT(agree, cases, desc);
}

/* Templates that cannot cover: no shift works 14:00-16:00, and a max count too low. */
static void infeasible_cases(void)
{
    struct model_spec m;
    if (load("{ name = \"morning\"; earliest_start = \"08:00\"; latest_start = \"10:00\"; length_h "
             "= 4.0; cost = 4.0; }",
             "start = \"08:00\"; end = \"16:00\"; interval_min = 60;", &m) != 0) {
        CHECK(0, "the infeasible case loads");
        return;
    }
    double req[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    struct schedule s;
    char why[1024];
    int rc = schedule_solve(&m, 0, req, 30, &s, why, sizeof why);
    CHECK(rc != 0 && strstr(why, "14:00") && strstr(why, "15:00") && !strstr(why, "13:00") &&
              strstr(why, "no template"),
          "no shift works 14:00-16:00: the message names those intervals and says why");
    printf("    %s\n", why);
    model_spec_free(&m);
    if (load("{ name = \"day\"; earliest_start = \"08:00\"; length_h = 8.0; cost = 8.0; max = 2; }",
             "start = \"08:00\"; end = \"16:00\"; interval_min = 60;", &m) != 0)
        return;
    double peak[8] = {1, 1, 3, 1, 1, 1, 1, 1};
    rc = schedule_solve(&m, 0, peak, 30, &s, why, sizeof why);
    CHECK(rc != 0 && strstr(why, "10:00") && !strstr(why, "09:00") && strstr(why, "max counts"),
          "max = 2 against 3 needed at 10:00: the message names 10:00 and the max counts");
    printf("    %s\n", why);
    model_spec_free(&m);
}

/* One way to work over a long day: more cover entries than options (the triplet arrays grow
 * while the shortfall columns go in). */
static void one_option_case(void)
{
    struct model_spec m;
    if (!CHECK(load("{ name = \"all day\"; earliest_start = \"00:00\"; length_h = 24.0; cost = 3.0; }",
                    "start = \"00:00\"; end = \"24:00\"; interval_min = 15;", &m) == 0,
               "the one-option case loads"))
        return;
    double req[96];
    for (int i = 0; i < 96; i++)
        req[i] = 1 + i % 5;
    struct schedule s;
    char why[1024];
    int rc = schedule_solve(&m, 0, req, 30, &s, why, sizeof why);
    CHECK(rc == 0 && fabs(s.cost - 15) < 1e-12 && s.n_shifts == 1 && s.shifts[0].agents == 5,
          "one way to work, 96 intervals needing up to 5: five all-day shifts, cost 15");
    if (rc == 0) schedule_free(&s);
    model_spec_free(&m);
}

/* The cover holds with shrinkage, and the simulator plans exactly the agents on duty. */
static void cover_and_simulation(void)
{
    char text[4096];
    snprintf(text, sizeof text,
             "mode = \"day\"; seed = 5; replications = 1;\n"
             "day = { start = \"08:00\"; end = \"18:00\"; interval_min = 30; };\n"
             "channels = ( { name = \"voice\"; arrivals_per_hour = 100.0;\n"
             "  service = { dist = \"exponential\"; mean_s = 300.0; }; } );\n"
             "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 1; shrinkage = 0.25;\n"
             "  shift_templates = (\n"
             "    { name = \"day\"; earliest_start = \"08:00\"; latest_start = \"10:00\"; length_h "
             "= 8.0; cost = 160.0;\n"
             "      breaks = ( { earliest_after_min = 120; latest_after_min = 150; step_min = 15; "
             "length_min = 15; },\n"
             "                 { earliest_after_min = 210; latest_after_min = 270; length_min = "
             "30; } ); },\n"
             "    { name = \"part\"; earliest_start = \"08:00\"; latest_start = \"14:00\"; "
             "length_h = 4.0; cost = 90.0; } ); } );\n");
    struct model_spec m;
    if (!CHECK(testlib_load(text, "build/test_schedule_cover.cfg", &m) == 0,
               "the cover case loads"))
        return;
    double req[20];
    for (int i = 0; i < 20; i++)
        req[i] = 6 + 5 * sin(i / 3.0);
    struct schedule s;
    char why[1024];
    if (!CHECK(schedule_solve(&m, 0, req, 30, &s, why, sizeof why) == 0,
               "GLPK solves the cover case")) {
        printf("    %s\n", why);
        model_spec_free(&m);
        return;
    }
    int short_of = 0;
    for (int i = 0; i < 20; i++) {
        short_of += s.on_duty[i] < req[i] / 0.75 - 1e-9;
        short_of += fabs(s.gross[i] - req[i] / 0.75) > 1e-12;
    }
    CHECK_INT(short_of, 0, "every interval: on duty >= requirement / (1 - shrinkage 0.25)");
    schedule_apply(&m, 0, &s);
    m.groups[0].shrinkage = 0; /* the plan itself, without shrinkage taking agents away */
    struct results *r = sim_run(&m, NULL);
    double worst = 0;
    for (int i = 0; i < 20; i++) {
        double planned =
            r->summary[results_group_scope(&m, 0, 1 + i) * MET_N + MET_SCHEDULED_AGENTS].mean;
        worst = fmax(worst, fabs(planned - s.on_duty[i]));
    }
    char desc[200];
    snprintf(
        desc, sizeof desc,
        "simulated with the schedule's shifts, the agents planned per interval are the schedule's "
        "on duty (largest difference %.2e)",
        worst);
    CHECK(worst < 1e-9, desc);
    results_free(r);
    schedule_free(&s);
    model_spec_free(&m);
}

int main(void)
{
    hand_case();
    break_case();
    random_cases();
    infeasible_cases();
    one_option_case();
    cover_and_simulation();
    return check_summary();
}
