/* staff_compare: staffing strategies side by side on common random numbers (staff_compare.h). */
#include "staff_compare.h"

#include "json.h"
#include "plot.h"
#include "schedule.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const strategy_names[STRATEGY_N] = {"erlang C", "erlang A", "sim",
                                                       "isa",      "flat",     "schedule"};

static void set_staffing(struct model_spec *m, const int *agents)
{
    for (int g = 0; g < m->n_groups; g++)
        for (int i = 0; i < model_total_intervals(m); i++)
            m->groups[g].agents[i] = agents[(size_t)i * m->n_groups + g];
}

/* Intervals where the mean of some target misses it. */
static int count_misses(const struct model_spec *m, const struct results *r,
                        const struct staff_target *t, int n_targets)
{
    int n = 0, nt = m->mode == MODE_DAY ? model_total_intervals(m) : 1;
    for (int i = 0; i < nt; i++) {
        int miss = 0;
        for (int k = 0; k < n_targets; k++) {
            const struct stat_summary *s = staff_target_summary(m, r, &t[k], i);
            if (!isfinite(s->mean)) continue;
            miss |= t[k].kind == TARGET_SL ? s->mean < t[k].value : s->mean > t[k].value;
        }
        n += miss;
    }
    return n;
}

/* ISA's delay-probability target: the given one, else 1 - the strictest service level (waiting
 * at all is at least as likely as waiting past T).  Returns 0, or -1 with why. */
static int isa_target(const struct model_spec *m, const struct staff_target *t, int n_targets,
                      struct staff_target *out, char *why, size_t cap)
{
    if (m->mode != MODE_DAY || m->n_groups != 1 || m->groups[0].n_skills != 1) {
        snprintf(why, cap, "needs day mode and one group serving one channel");
        return -1;
    }
    int found = 0;
    for (int k = 0; k < n_targets; k++)
        if (t[k].kind == TARGET_WAIT) {
            *out = t[k];
            snprintf(why, cap, "P(wait) <= %g", t[k].value);
            return 0;
        }
    for (int k = 0; k < n_targets; k++)
        if (t[k].kind == TARGET_SL && (!found || 1 - t[k].value < out->value)) {
            *out = t[k];
            out->kind = TARGET_WAIT;
            out->value = 1 - t[k].value;
            found = 1;
        }
    if (!found) {
        snprintf(why, cap, "needs a service-level or delay-probability target");
        return -1;
    }
    snprintf(why, cap, "P(wait) <= %g, from the service-level target", out->value);
    return 0;
}

/* The sim requirement's agent-hours per group, spread evenly; the remainder to the intervals
 * the sim method staffs most. */
static void flat_staffing(const struct model_spec *m, const int *sim, int *flat)
{
    int nt = model_total_intervals(m), ng = m->n_groups;
    int *order = xcalloc((size_t)nt, sizeof *order);
    for (int g = 0; g < ng; g++) {
        long total = 0;
        for (int i = 0; i < nt; i++) {
            total += sim[(size_t)i * ng + g];
            order[i] = i;
        }
        /* Insertion sort by the sim requirement, most first, earlier first at ties. */
        for (int a = 1; a < nt; a++)
            for (int b = a;
                 b > 0 && sim[(size_t)order[b] * ng + g] > sim[(size_t)order[b - 1] * ng + g];
                 b--) {
                int x = order[b];
                order[b] = order[b - 1];
                order[b - 1] = x;
            }
        for (int i = 0; i < nt; i++)
            flat[(size_t)i * ng + g] = (int)(total / nt);
        for (long k = 0; k < total % nt; k++)
            flat[(size_t)order[k] * ng + g]++;
    }
    free(order);
}

/* Paid hours of a net staffing: each group's agents on the floor over its share kept from
 * shrinkage and absence (keep[g]). */
static void interval_hours(const struct model_spec *m, const double *keep,
                           struct strategy_result *s)
{
    double h = m->mode == MODE_DAY ? m->interval_s / 3600 : 1;
    s->agent_hours = s->cost = 0;
    for (int i = 0; i < model_total_intervals(m); i++)
        for (int g = 0; g < m->n_groups; g++) {
            double paid = s->agents[(size_t)i * m->n_groups + g] * h / keep[g];
            s->agent_hours += paid;
            s->cost += paid * m->groups[g].cost_per_hour;
        }
}

int staff_compare(struct model_spec *m, const struct staff_target *t, int n_targets,
                  const struct sim_hooks *hooks, double time_limit_s,
                  struct strategy_result out[STRATEGY_N], char *why, size_t cap)
{
    int nt = model_total_intervals(m), ng = m->n_groups;
    memset(out, 0, STRATEGY_N * sizeof *out);
    /* Every strategy but the schedule staffs per interval. */
    for (int g = 0; g < ng; g++) {
        for (int k = 0; k < m->groups[g].n_shifts; k++)
            free(m->groups[g].shifts[k].breaks);
        free(m->groups[g].shifts);
        m->groups[g].shifts = NULL;
        m->groups[g].n_shifts = 0;
    }
    /* Interval staffings are net (on the floor): simulated without shrinkage and absence, paid
     * as the hours that put them there.  The schedule grosses up and meets both. */
    double *keep = xcalloc((size_t)ng + 1, sizeof *keep),
           *shrinkage = xcalloc((size_t)ng + 1, sizeof *shrinkage),
           *absence = xcalloc((size_t)ng + 1, sizeof *absence);
    for (int g = 0; g < ng; g++) {
        shrinkage[g] = m->groups[g].shrinkage;
        absence[g] = m->groups[g].absenteeism;
        keep[g] = (1 - shrinkage[g]) * (1 - absence[g]);
        m->groups[g].shrinkage = m->groups[g].absenteeism = 0;
    }
    for (int s = 0; s < STRATEGY_N; s++) {
        out[s].name = strategy_names[s];
        out[s].agents = xcalloc((size_t)nt * ng + 1, sizeof *out[s].agents);
    }
    struct strategy_result *o;
    o = &out[STRATEGY_ERLANG_C];
    o->ok = staff_erlang_c(m, t, n_targets, o->agents, o->note, sizeof o->note) == 0;
    if (o->ok) snprintf(o->note, sizeof o->note, "per interval, Erlang C: callers never hang up");
    o = &out[STRATEGY_ERLANG_A];
    o->ok = staff_erlang(m, t, n_targets, o->agents, o->note, sizeof o->note) == 0;
    if (o->ok)
        snprintf(o->note, sizeof o->note, "per interval, Erlang A with the patience's mean (SIPP)");
    o = &out[STRATEGY_SIM];
    int simulations = 0;
    if (staff_sim(m, t, n_targets, o->agents, hooks, &simulations, why, cap) != 0) {
        free(keep);
        free(shrinkage);
        free(absence);
        return -1;
    }
    o->ok = 1;
    snprintf(o->note, sizeof o->note,
             "the day simulated, %d simulations; every target met at its 95 %% interval's "
             "unfavourable end",
             simulations);
    o = &out[STRATEGY_ISA];
    struct staff_target wt;
    char tw[200];
    if (isa_target(m, t, n_targets, &wt, tw, sizeof tw) != 0) {
        snprintf(o->note, sizeof o->note, "%s", tw);
    } else {
        int iterations = 0;
        o->ok = staff_isa(m, &wt, 1, o->agents, hooks, &iterations, o->note, sizeof o->note) == 0;
        if (o->ok) snprintf(o->note, sizeof o->note, "%s, %d iterations", tw, iterations);
    }
    o = &out[STRATEGY_FLAT];
    flat_staffing(m, out[STRATEGY_SIM].agents, o->agents);
    o->ok = 1;
    interval_hours(m, keep, &out[STRATEGY_SIM]);
    snprintf(o->note, sizeof o->note, "the sim method's %.1f agent-hours, evenly over the day",
             out[STRATEGY_SIM].agent_hours);
    for (int s = 0; s < STRATEGY_SCHEDULE; s++) {
        if (!out[s].ok) continue;
        interval_hours(m, keep, &out[s]);
        set_staffing(m, out[s].agents);
        out[s].r = sim_run(m, hooks);
        out[s].misses = count_misses(m, out[s].r, t, n_targets);
    }

    o = &out[STRATEGY_SCHEDULE];
    for (int g = 0; g < ng; g++) {
        m->groups[g].shrinkage = shrinkage[g];
        m->groups[g].absenteeism = absence[g];
    }
    free(shrinkage);
    free(absence);
    int with_templates = 0;
    for (int g = 0; g < ng; g++)
        with_templates += m->groups[g].n_templates > 0;
    if (with_templates == 0) {
        snprintf(o->note, sizeof o->note, "no group has shift_templates");
        free(keep);
        return 0;
    }
    set_staffing(m, out[STRATEGY_SIM].agents);
    double *required = xcalloc((size_t)nt + 1, sizeof *required);
    for (int g = 0; g < ng && o->note[0] == '\0'; g++) {
        if (m->groups[g].n_templates == 0) continue;
        for (int i = 0; i < nt; i++)
            required[i] = out[STRATEGY_SIM].agents[(size_t)i * ng + g];
        struct schedule plan;
        if (schedule_solve(m, g, required, time_limit_s, &plan, o->note, sizeof o->note) != 0)
            break;
        schedule_apply(m, g, &plan);
        for (int k = 0; k < plan.n_shifts; k++)
            o->agent_hours += plan.shifts[k].agents *
                              m->groups[g].templates[plan.shifts[k].template_index].length_s /
                              3600 * m->n_days;
        o->cost += plan.cost * m->n_days;
        for (int i = 0; i < nt; i++)
            o->agents[(size_t)i * ng + g] = (int)lround(plan.on_duty[i % plan.n_intervals]);
        schedule_free(&plan);
    }
    free(required);
    if (o->note[0] != '\0') {
        free(keep);
        return 0;
    }
    /* Groups without templates stay at the sim requirement. */
    for (int g = 0; g < ng; g++)
        if (m->groups[g].n_templates == 0) {
            /* Scheduled per interval at the requirement grossed up, as ccsim schedule does. */
            double h = m->interval_s / 3600;
            for (int i = 0; i < nt; i++) {
                int gross =
                    (int)ceil(out[STRATEGY_SIM].agents[(size_t)i * ng + g] / keep[g] - 1e-9);
                o->agents[(size_t)i * ng + g] = gross;
                m->groups[g].agents[i] = gross;
                o->agent_hours += gross * h;
                o->cost += gross * h * m->groups[g].cost_per_hour;
            }
        }
    free(keep);
    o->ok = 1;
    snprintf(o->note, sizeof o->note,
             "GLPK's cheapest shifts from the templates covering the sim requirement");
    o->r = sim_run(m, hooks);
    o->misses = count_misses(m, o->r, t, n_targets);
    return 0;
}

/* The channels the targets name, each once, in order. */
static int target_channels(const struct staff_target *t, int n_targets, int *channels)
{
    int n = 0;
    for (int k = 0; k < n_targets; k++) {
        if (t[k].kind == TARGET_OCCUPANCY) continue;
        int seen = 0;
        for (int e = 0; e < n; e++)
            seen |= channels[e] == t[k].channel;
        if (!seen) channels[n++] = t[k].channel;
    }
    return n;
}

static const struct stat_summary *at(const struct results *r, int scope, int metric)
{
    return &r->summary[scope * MET_N + metric];
}

static double half(const struct stat_summary *s)
{
    return isfinite(s->ci95) ? s->ci95 : 0;
}

static void json_stat(struct json *j, const char *key, const struct stat_summary *s)
{
    json_begin_object(j, key);
    json_number(j, "mean", s->mean);
    json_number(j, "ci95", s->ci95);
    json_end_object(j);
}

static void write_json(FILE *f, const struct model_spec *m, const struct staff_target *t,
                       char *const *target_text, int n_targets, const struct strategy_result *out,
                       const char *config, const int *chans, int n_chans)
{
    struct json j;
    json_init(&j, f, 1);
    json_begin_object(&j, NULL);
    json_string(&j, "ccsim", CCSIM_VERSION);
    json_string(&j, "config", config);
    json_begin_array(&j, "targets");
    for (int k = 0; k < n_targets; k++)
        json_string(&j, NULL, target_text[k]);
    json_end_array(&j);
    json_int(&j, "replications", out[STRATEGY_SIM].r->replications);
    json_begin_array(&j, "strategies");
    for (int s = 0; s < STRATEGY_N; s++) {
        const struct strategy_result *o = &out[s];
        json_begin_object(&j, NULL);
        json_string(&j, "name", o->name);
        json_bool(&j, "applicable", o->ok);
        json_string(&j, "note", o->note);
        if (o->ok) {
            json_number(&j, "agent_hours", o->agent_hours);
            json_number(&j, "cost", o->cost);
            json_int(&j, "intervals_missing", o->misses);
            json_begin_object(&j, "channels");
            for (int e = 0; e < n_chans; e++) {
                json_begin_object(&j, m->channels[chans[e]].name);
                json_stat(&j, "service_level", at(o->r, 1 + chans[e], MET_SL));
                json_stat(&j, "abandon_rate", at(o->r, 1 + chans[e], MET_ABANDON_RATE));
                json_end_object(&j);
            }
            json_end_object(&j);
            json_stat(&j, "occupancy", at(o->r, 0, MET_OCCUPANCY));
            json_begin_array(&j, "intervals");
            int nt = m->mode == MODE_DAY ? model_total_intervals(m) : 1;
            for (int i = 0; i < nt; i++) {
                json_begin_object(&j, NULL);
                json_int(&j, "day", m->mode == MODE_DAY ? i / m->n_intervals : 0);
                json_number(&j, "start_s",
                            m->mode == MODE_DAY
                                ? model_interval_clock_s(m, i)
                                : 0);
                json_begin_object(&j, "groups");
                for (int g = 0; g < m->n_groups; g++)
                    json_int(&j, m->groups[g].name, o->agents[(size_t)i * m->n_groups + g]);
                json_end_object(&j);
                json_begin_object(&j, "achieved");
                for (int k = 0; k < n_targets; k++)
                    json_stat(&j, target_text[k], staff_target_summary(m, o->r, &t[k], i));
                json_end_object(&j);
                json_end_object(&j);
            }
            json_end_array(&j);
        }
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    json_finish(&j);
}

static void write_csv(FILE *f, const struct model_spec *m, const struct strategy_result *out,
                      const int *chans, int n_chans)
{
    fputs("strategy,applicable,agent_hours,cost,intervals_missing,channel,service_level,"
          "service_level_ci95,abandon_rate,abandon_rate_ci95,occupancy,occupancy_ci95\n",
          f);
    for (int s = 0; s < STRATEGY_N; s++) {
        const struct strategy_result *o = &out[s];
        for (int e = 0; e < n_chans; e++) {
            if (!o->ok) {
                fprintf(f, "\"%s\",false,,,,", o->name);
                csv_quoted(f, m->channels[chans[e]].name);
                fputs(",,,,,,\n", f);
                continue;
            }
            const struct stat_summary *sl = at(o->r, 1 + chans[e], MET_SL),
                                      *ab = at(o->r, 1 + chans[e], MET_ABANDON_RATE),
                                      *oc = at(o->r, 0, MET_OCCUPANCY);
            fprintf(f, "\"%s\",true,%.17g,%.17g,%d,", o->name, o->agent_hours, o->cost, o->misses);
            csv_quoted(f, m->channels[chans[e]].name);
            fprintf(f, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", sl->mean, half(sl), ab->mean,
                    half(ab), oc->mean, half(oc));
        }
    }
}

static void write_plots(const char *dir, const struct model_spec *m,
                        const struct strategy_result *out, const int *chans, int n_chans)
{
    struct plotter p;
    if (plot_begin(&p, dir) != 0) return;
    int nt = model_total_intervals(m), n = 0;
    char *labels[STRATEGY_N];
    int counts[STRATEGY_N];
    double *x = xcalloc((size_t)STRATEGY_N * nt + 1, sizeof *x),
           *y = xcalloc((size_t)STRATEGY_N * nt + 1, sizeof *y),
           *ci = xcalloc((size_t)STRATEGY_N * nt + 1, sizeof *ci);
    double cost[STRATEGY_N], zero[STRATEGY_N] = {0};
    for (int pass = 0; pass < 2; pass++) {
        n = 0;
        for (int s = 0; s < STRATEGY_N; s++) {
            if (!out[s].ok) continue;
            labels[n] = (char *)out[s].name;
            counts[n] = nt;
            cost[n] = out[s].cost;
            for (int i = 0; i < nt; i++) {
                int k = n * nt + i, day = i / m->n_intervals; /* whole days before interval i */
                x[k] = model_interval_clock_s(m, i) / 3600 + 24.0 * day;
                if (pass == 0) {
                    y[k] = 0;
                    for (int g = 0; g < m->n_groups; g++)
                        y[k] += out[s].agents[(size_t)i * m->n_groups + g];
                    ci[k] = 0;
                } else {
                    const struct stat_summary *sl =
                        at(out[s].r, results_interval_scope(m, i, chans[0]), MET_SL);
                    y[k] = sl->mean;
                    ci[k] = half(sl);
                }
            }
            n++;
        }
        if (pass == 0)
            plot_curves(&p, "strategies_staffing", "Agents on duty per interval, by strategy",
                        "interval start (hour)", "agents", n, labels, counts, x, y, ci);
        else if (n_chans > 0) {
            char title[300];
            snprintf(title, sizeof title,
                     "%s service level per interval (within %g s), by strategy",
                     m->channels[chans[0]].name, m->channels[chans[0]].sl_seconds);
            plot_curves(&p, "strategies_service_level", title, "interval start (hour)",
                        "service level", n, labels, counts, x, y, ci);
        }
    }
    plot_bars(&p, "strategies_cost", "Cost of the day, by strategy", "cost", n, labels, cost, zero);
    free(x);
    free(y);
    free(ci);
    plot_finish(&p);
}

int staff_compare_write(const struct model_spec *m, const struct staff_target *t,
                        char *const *target_text, int n_targets,
                        const struct strategy_result out[STRATEGY_N], const char *config,
                        const char *json_path, const char *csv_path, const char *plots_dir)
{
    int *chans = xcalloc((size_t)n_targets + 1, sizeof *chans);
    int n_chans = target_channels(t, n_targets, chans), status = 0;
    struct outfile jf = {NULL, NULL, NULL}, cf = {NULL, NULL, NULL};
    if (outfile_open_pair(&jf, json_path, &cf, csv_path) != 0) {
        free(chans);
        return -1;
    }
    if (jf.f != NULL) {
        write_json(jf.f, m, t, target_text, n_targets, out, config, chans, n_chans);
        if (outfile_commit(&jf) != 0) {
            warn("cannot write '%s':", json_path);
            status = -1;
        }
    }
    if (cf.f != NULL) {
        write_csv(cf.f, m, out, chans, n_chans);
        if (outfile_commit(&cf) != 0) {
            warn("cannot write '%s':", csv_path);
            status = -1;
        }
    }
    if (plots_dir != NULL && m->mode == MODE_DAY) write_plots(plots_dir, m, out, chans, n_chans);
    if (json_path != NULL && strcmp(json_path, "-") == 0) {
        free(chans);
        return status;
    }
    int nt = m->mode == MODE_DAY ? model_total_intervals(m) : 1;
    printf("ccsim staff --compare: %s, every strategy simulated on the same %d replications "
           "(common random numbers)\n",
           config, out[STRATEGY_SIM].r->replications);
    printf("%-10s %11s %10s", "strategy", "agent-hours", "cost");
    for (int e = 0; e < n_chans; e++) {
        char h1[80], h2[80];
        snprintf(h1, sizeof h1, "%s sl@%gs", m->channels[chans[e]].name,
                 m->channels[chans[e]].sl_seconds);
        snprintf(h2, sizeof h2, "%s abandon", m->channels[chans[e]].name);
        printf("  %-15.15s  %-15.15s", h1, h2);
    }
    printf("  %-15s  %s\n", "occupancy", "intervals missing a target");
    for (int s = 0; s < STRATEGY_N; s++) {
        const struct strategy_result *o = &out[s];
        if (!o->ok) {
            printf("%-10s   not applicable: %s\n", o->name, o->note);
            continue;
        }
        printf("%-10s %11.1f %10.2f", o->name, o->agent_hours, o->cost);
        for (int e = 0; e < n_chans; e++) {
            const struct stat_summary *sl = at(o->r, 1 + chans[e], MET_SL),
                                      *ab = at(o->r, 1 + chans[e], MET_ABANDON_RATE);
            char a[48], b[48];
            snprintf(a, sizeof a, "%.3f ± %.3f", sl->mean, half(sl));
            snprintf(b, sizeof b, "%.3f ± %.3f", ab->mean, half(ab));
            /* "±" is two bytes and one column wide. */
            printf("  %-16s  %-16s", a, b);
        }
        const struct stat_summary *oc = at(o->r, 0, MET_OCCUPANCY);
        char c[48];
        snprintf(c, sizeof c, "%.3f ± %.3f", oc->mean, half(oc));
        printf("  %-16s  %d of %d\n", c, o->misses, nt);
    }
    printf("\n");
    for (int s = 0; s < STRATEGY_N; s++)
        if (out[s].ok) printf("%-10s %s\n", out[s].name, out[s].note);
    free(chans);
    return status;
}

void staff_compare_free(struct strategy_result out[STRATEGY_N])
{
    for (int s = 0; s < STRATEGY_N; s++) {
        free(out[s].agents);
        results_free(out[s].r);
        out[s].agents = NULL;
        out[s].r = NULL;
    }
}
