/* cmd_staff: `ccsim staff CONFIG --target ...`: the agents each group needs per interval to
 * meet every target (docs/staffing.md), by the erlang (SIPP), sim or isa method. */
#include "cli.h"
#include "conf.h"
#include "json.h"
#include "plot.h"
#include "staff_compare.h"
#include "staffing.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim staff CONFIG --target T... [options]\n\n"
            "The agents each group needs per interval to meet every target, at the least cost.\n"
            "T is CHANNEL:sl=F@Ts (service level F within T s), CHANNEL:abandon=F (at most F\n"
            "abandon), CHANNEL:wait=F (delay probability at most F) or GROUP:occupancy=F (at\n"
            "most F occupancy); repeatable.\n\n"
            "Options:\n"
            "  --target T        a target; repeatable, at least one\n"
            "  --method M        sim (the default): from the erlang answer, simulating the day,\n"
            "                    add and remove agents until every target holds at the\n"
            "                    unfavourable end of its 95 %% interval; erlang: per interval,\n"
            "                    Erlang A (or C without abandonment) at that interval's load\n"
            "                    (SIPP); isa: the iterative staffing algorithm, for one group\n"
            "                    and a CHANNEL:wait=F target\n"
            "  --plan-min M      round up to planning intervals of M minutes (a multiple of the\n"
            "                    config's interval_min): each the most of its fine intervals\n"
            "  --compare         every strategy side by side on the same replications: erlang C,\n"
            "                    erlang A, sim, isa, flat (the sim method's hours evenly) and\n"
            "                    schedule (GLPK shifts covering the sim requirement); --json,\n"
            "                    --csv and --plots then carry the comparison\n"
            "  --time-limit S    GLPK's search for the schedule strategy (default 60 s)\n"
            "  --reps N, --seed S, -j N  the simulations (sim, isa, and the achieved columns)\n"
            "  -s S, --set KEY=VALUE  scenarios and overrides, as for ccsim run\n"
            "  --json FILE       the requirement as JSON ('-': stdout, no table)\n"
            "  --csv FILE        one row per interval and group\n"
            "  --plots DIR       the requirement against the offered load, per interval\n"
            "  -h, --help        this help\n\n"
            "Example:\n"
            "  ccsim staff configs/default.cfg --target voice:sl=0.8@20s --target "
            "voice:abandon=0.05\n");
}

static void interval_label(char *buf, size_t cap, const struct model_spec *m, int i)
{
    int mins = (int)lround(model_interval_clock_s(m, i) / 60);
    if (m->mode != MODE_DAY)
        snprintf(buf, cap, "steady");
    else if (m->n_days > 1)
        snprintf(buf, cap, "day %d %02d:%02d", i / m->n_intervals + 1, mins / 60 % 100, mins % 60);
    else
        snprintf(buf, cap, "%02d:%02d", mins / 60 % 100, mins % 60);
}

/* The requirement against the offered load (erlangs: arrival rate times mean handle time, all
 * channels), one point per interval. */
static void plot_requirement(const char *dir, const struct model_spec *m, const int *agents,
                             const char *method)
{
    struct plotter p;
    if (plot_begin(&p, dir) != 0) return;
    int nt = model_total_intervals(m), ns = m->n_segments > 0 ? m->n_segments : 1;
    int n_series = 1 + m->n_groups;
    char **series = xcalloc((size_t)n_series, sizeof *series);
    int *counts = xcalloc((size_t)n_series, sizeof *counts);
    double *x = xcalloc((size_t)n_series * nt, sizeof *x),
           *y = xcalloc((size_t)n_series * nt, sizeof *y);
    double *ci = xcalloc((size_t)n_series * nt, sizeof *ci);
    series[0] = xstrdup("offered load (erlangs)");
    for (int g = 0; g < m->n_groups; g++) {
        char label[300];
        snprintf(label, sizeof label, "%s: agents (%s)", m->groups[g].name, method);
        series[1 + g] = xstrdup(label);
    }
    for (int s = 0; s < n_series; s++) {
        counts[s] = nt;
        for (int i = 0; i < nt; i++) {
            int at = s * nt + i, day = i / m->n_intervals; /* whole days before interval i */
            x[at] =
                m->mode == MODE_DAY
                    ? model_interval_clock_s(m, i) / 3600 + 24.0 * day
                    : i;
            if (s > 0) {
                y[at] = agents[(size_t)i * m->n_groups + s - 1];
                continue;
            }
            for (int c = 0; c < m->n_channels; c++)
                for (int g = 0; g < ns; g++)
                    y[at] += m->channels[c].rate_per_s[(size_t)g * nt + i] *
                             dist_mean(&m->channels[c].service);
        }
    }
    plot_curves(&p, "staffing", "Staffing requirement against offered load",
                m->mode == MODE_DAY ? "interval start (hour)" : "interval", "erlangs, agents",
                n_series, series, counts, x, y, ci);
    for (int s = 0; s < n_series; s++)
        free(series[s]);
    free(series);
    free(counts);
    free(x);
    free(y);
    free(ci);
    plot_finish(&p);
}

int cmd_staff(int argc, char **argv)
{
    const char *config = NULL, *method = "sim", *json_path = NULL, *csv_path = NULL,
               *plots_dir = NULL;
    struct conf_override *sets = xcalloc((size_t)argc + 1, sizeof *sets);
    const char **scenarios = xcalloc((size_t)argc + 1, sizeof *scenarios);
    const char **targets = xcalloc((size_t)argc + 1, sizeof *targets);
    struct batch_opts batch = CLI_BATCH_INIT;
    batch.sets = sets;
    batch.scenarios = scenarios;
    int n_targets = 0, status = EXIT_OK, loaded = 0;
    double plan_min = 0, time_limit_s = 60;
    int compare = 0;
    struct model_spec m;
    struct staff_target *parsed = NULL;
    int *agents = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if ((bad = cli_batch_flag(argc, argv, &i, &batch, "staff")) != 0) {
            if (bad < 0) {
                status = EXIT_USAGE;
                goto done;
            }
            bad = 0;
        } else if ((v = cli_flag_value(argc, argv, &i, "--target", &bad)) != NULL) {
            targets[n_targets++] = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--method", &bad)) != NULL) {
            method = v;
        } else if (strcmp(a, "--compare") == 0) {
            compare = 1;
        } else if ((v = cli_flag_value(argc, argv, &i, "--time-limit", &bad)) != NULL) {
            if (cli_parse_double(v, &time_limit_s) != 0 || !(time_limit_s > 0)) {
                status =
                    cli_usage_error("staff", "--time-limit: seconds > 0 expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--plan-min", &bad)) != NULL) {
            char *end;
            plan_min = strtod(v, &end);
            if (*end != '\0' || !(plan_min > 0)) {
                status = cli_usage_error("staff", "--plan-min: minutes > 0 expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--json", &bad)) != NULL) {
            json_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--csv", &bad)) != NULL) {
            csv_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--plots", &bad)) != NULL) {
            plots_dir = v;
        } else if ((status = cli_config_arg("staff", a, bad, &config)) != 0) {
            goto done;
        }
    }
    if (config == NULL) {
        status = cli_usage_error("staff", "missing CONFIG");
        goto done;
    }
    if (n_targets == 0) {
        status = cli_usage_error("staff", "at least one --target expected, e.g. voice:sl=0.8@20s");
        goto done;
    }
    if (strcmp(method, "erlang") != 0 && strcmp(method, "sim") != 0 && strcmp(method, "isa") != 0) {
        status = cli_usage_error("staff", "--method: 'erlang', 'sim' or 'isa' expected, got '%s'",
                                 method);
        goto done;
    }
    struct diag d;
    diag_init(&d);
    if (conf_load_scenarios(config, scenarios, batch.n_scenarios, sets, batch.n_sets, &m, &d) !=
        0) {
        diag_print(&d, stderr);
        diag_fini(&d);
        status = EXIT_USAGE;
        goto done;
    }
    diag_fini(&d);
    loaded = 1;
    parsed = xcalloc((size_t)n_targets, sizeof *parsed);
    for (int k = 0; k < n_targets; k++) {
        char why[300];
        if (staff_parse_target(targets[k], &m, &parsed[k], why, sizeof why) != 0) {
            status = cli_usage_error("staff", "--target '%s': %s", targets[k], why);
            goto done;
        }
        const struct staff_target *x = &parsed[k];
        if (x->kind != TARGET_SL) continue;
        /* The simulation measures service level against the channel's one threshold. */
        for (int e = 0; e < k; e++)
            if (parsed[e].kind == TARGET_SL && parsed[e].channel == x->channel &&
                parsed[e].sl_s != x->sl_s) {
                status = cli_usage_error("staff",
                                         "--target '%s': channel '%s' already has a service-level "
                                         "target at %g s; one threshold per channel",
                                         targets[k], m.channels[x->channel].name, parsed[e].sl_s);
                goto done;
            }
        m.channels[x->channel].sl_seconds = x->sl_s;
    }
    int nt = model_total_intervals(&m), per_plan = 1;
    if (plan_min > 0) {
        double ratio = plan_min * 60 / m.interval_s;
        per_plan = (int)lround(ratio);
        if (m.mode != MODE_DAY || per_plan < 1 || fabs(ratio - per_plan) > 1e-9) {
            status = cli_usage_error(
                "staff",
                "--plan-min %g: a multiple of the config's interval (%g min) in day mode expected",
                plan_min, m.interval_s / 60);
            goto done;
        }
    }
    agents = xcalloc((size_t)nt * m.n_groups + 1, sizeof *agents);
    char why[400];
    int simulations = 0;
    struct sim_hooks hooks = {0};
    cli_batch_hooks(&batch, &hooks);
    hooks.precision_rel = 0; /* the same replications in every trial: common random numbers */
    if (batch.reps > 0) m.replications = (int)batch.reps;
    if (batch.seed >= 0) m.seed = (uint64_t)batch.seed;
    if (!compare)
        /* The requirement is net, agents on the floor (as the erlang method's): shrinkage and
         * absence take agents from a schedule, and ccsim schedule grosses up for them. */
        for (int g = 0; g < m.n_groups; g++)
            m.groups[g].shrinkage = m.groups[g].absenteeism = 0;
    if (compare) {
        struct strategy_result out[STRATEGY_N];
        if (staff_compare(&m, parsed, n_targets, &hooks, time_limit_s, out, why, sizeof why) != 0) {
            fprintf(stderr, "ccsim staff --compare: %s\n", why);
            status = EXIT_USAGE;
        } else if (staff_compare_write(&m, parsed, (char *const *)targets, n_targets, out, config,
                                       json_path, csv_path, plots_dir) != 0) {
            status = EXIT_RUNTIME;
        }
        staff_compare_free(out);
        goto done;
    }
    int failed =
        strcmp(method, "sim") == 0
            ? staff_sim(&m, parsed, n_targets, agents, &hooks, &simulations, why, sizeof why)
        : strcmp(method, "isa") == 0
            ? staff_isa(&m, parsed, n_targets, agents, &hooks, &simulations, why, sizeof why)
            : staff_erlang(&m, parsed, n_targets, agents, why, sizeof why);
    if (failed) {
        fprintf(stderr, "ccsim staff: %s\n", why);
        status = EXIT_USAGE;
        goto done;
    }
    if (per_plan > 1) staff_round_up(&m, agents, per_plan);
    /* What the requirement achieves, simulated (the same seed and replications). */
    for (int g = 0; g < m.n_groups; g++)
        for (int i = 0; i < nt; i++)
            m.groups[g].agents[i] = agents[(size_t)i * m.n_groups + g];
    struct results *achieved = sim_run(&m, &hooks);
    /* Agent-hours and cost: day mode over the intervals; steady mode per hour. */
    double hours = 0, cost = 0, per_interval_h = m.mode == MODE_DAY ? m.interval_s / 3600 : 1;
    for (int i = 0; i < nt; i++)
        for (int g = 0; g < m.n_groups; g++) {
            hours += agents[(size_t)i * m.n_groups + g] * per_interval_h;
            cost += agents[(size_t)i * m.n_groups + g] * per_interval_h * m.groups[g].cost_per_hour;
        }
    struct outfile jf = {NULL, NULL, NULL}, cf = {NULL, NULL, NULL};
    if (outfile_open_pair(&jf, json_path, &cf, csv_path) != 0) {
        status = EXIT_RUNTIME;
        goto done;
    }
    if (jf.f != NULL) {
        struct json j;
        json_init(&j, jf.f, 1);
        json_begin_object(&j, NULL);
        json_string(&j, "ccsim", CCSIM_VERSION);
        json_string(&j, "config", config);
        json_string(&j, "method", method);
        json_begin_array(&j, "targets");
        for (int k = 0; k < n_targets; k++)
            json_string(&j, NULL, targets[k]);
        json_end_array(&j);
        json_begin_array(&j, "intervals");
        for (int i = 0; i < nt; i++) {
            json_begin_object(&j, NULL);
            json_int(&j, "day", m.mode == MODE_DAY ? i / m.n_intervals : 0);
            json_number(&j, "start_s",
                        m.mode == MODE_DAY ? model_interval_clock_s(&m, i)
                                           : 0);
            json_begin_object(&j, "groups");
            for (int g = 0; g < m.n_groups; g++)
                json_int(&j, m.groups[g].name, agents[(size_t)i * m.n_groups + g]);
            json_end_object(&j);
            json_begin_object(&j, "achieved");
            for (int k = 0; k < n_targets; k++) {
                const struct stat_summary *s = staff_target_summary(&m, achieved, &parsed[k], i);
                json_begin_object(&j, targets[k]);
                json_number(&j, "mean", s->mean);
                json_number(&j, "ci95", s->ci95);
                json_int(&j, "n", s->n);
                json_end_object(&j);
            }
            json_end_object(&j);
            json_end_object(&j);
        }
        json_end_array(&j);
        json_number(&j, "agent_hours", hours);
        if (simulations > 0) json_int(&j, "simulations", simulations);
        json_number(&j, "cost", cost);
        json_end_object(&j);
        json_finish(&j);
        if (outfile_commit(&jf) != 0) {
            warn("cannot write '%s':", json_path);
            status = EXIT_RUNTIME;
        }
    }
    if (cf.f != NULL) {
        fputs("day,interval,start_s,group,agents\n", cf.f);
        for (int i = 0; i < nt; i++)
            for (int g = 0; g < m.n_groups; g++) {
                char label[32];
                interval_label(label, sizeof label, &m, i);
                /* The clock part of the label ("day 12 08:30" has it after the last space). */
                const char *clock = strrchr(label, ' ') ? strrchr(label, ' ') + 1 : label;
                fprintf(cf.f, "%d,%s,%.17g,", m.mode == MODE_DAY ? i / m.n_intervals : 0,
                        m.mode == MODE_DAY ? clock : "",
                        m.mode == MODE_DAY ? model_interval_clock_s(&m, i)
                                           : 0);
                csv_quoted(cf.f, m.groups[g].name);
                fprintf(cf.f, ",%d\n", agents[(size_t)i * m.n_groups + g]);
            }
        if (outfile_commit(&cf) != 0) {
            warn("cannot write '%s':", csv_path);
            status = EXIT_RUNTIME;
        }
    }
    if (plots_dir != NULL) plot_requirement(plots_dir, &m, agents, method);
    if (json_path == NULL || strcmp(json_path, "-") != 0) {
        if (simulations > 0 && strcmp(method, "isa") == 0)
            printf("ccsim staff: %s, method isa (%d iterations of %d replications; each interval "
                   "staffed for the delay probability of the contacts the last iteration had there)\n",
                   config, simulations, m.replications);
        else if (simulations > 0)
            printf("ccsim staff: %s, method sim (%d simulations of the day, %d replications each; "
                   "targets met at the unfavourable end of their 95 %% interval)\n",
                   config, simulations, m.replications);
        else
            printf("ccsim staff: %s, method %s (each interval on its own, Erlang %s)\n", config,
                   method, "A with the patience's mean, C without abandonment");
        printf("%-14s", "interval");
        for (int g = 0; g < m.n_groups; g++)
            printf(" %14.14s", m.groups[g].name);
        printf("  ");
        for (int k = 0; k < n_targets; k++)
            printf(k + 1 < n_targets ? "  %-22s" : "  %s", targets[k]);
        putchar('\n');
        for (int i = 0; i < nt; i++) {
            char label[32];
            interval_label(label, sizeof label, &m, i);
            printf("%-14s", label);
            for (int g = 0; g < m.n_groups; g++)
                printf(" %14d", agents[(size_t)i * m.n_groups + g]);
            printf("  ");
            for (int k = 0; k < n_targets; k++) {
                const struct stat_summary *s = staff_target_summary(&m, achieved, &parsed[k], i);
                char cell[48] = "-";
                if (isfinite(s->mean))
                    snprintf(cell, sizeof cell, "%.3f ± %.3f", s->mean,
                             isfinite(s->ci95) ? s->ci95 : 0.0);
                /* "±" is two bytes and one column wide. */
                printf("  %-*s", k + 1 < n_targets ? (isfinite(s->mean) ? 23 : 22) : 0, cell);
            }
            putchar('\n');
        }
        printf(
            "targets as simulated with this staffing: mean ± 95 %% half-width, %d replications\n",
            achieved->replications);
        printf("agent-hours %.2f%s, cost %.2f\n", hours, m.mode == MODE_DAY ? "" : " per hour",
               cost);
    }
    results_free(achieved);
done:
    if (loaded) model_spec_free(&m);
    for (int k = 0; k < batch.n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    free(scenarios);
    free(targets);
    free(parsed);
    free(agents);
    return status;
}
