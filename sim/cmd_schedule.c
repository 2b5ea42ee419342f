/* cmd_schedule: `ccsim schedule CONFIG --requirements FILE`: the cheapest shifts from each
 * group's templates covering the requirement `ccsim staff` wrote, then the day simulated with
 * them (docs/schedule.md). */
#include "cli.h"
#include "conf.h"
#include "json.h"
#include "requirements.h"
#include "schedule.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim schedule CONFIG --requirements FILE [options]\n\n"
            "The cheapest set of shifts, from each group's shift_templates, whose agents cover\n"
            "every interval's requirement (grossed up for the group's shrinkage and\n"
            "absenteeism), as an integer program solved by GLPK; then the day simulated with\n"
            "those shifts.\n\n"
            "Options:\n"
            "  --requirements FILE  the CSV or JSON of ccsim staff (agents per interval, group)\n"
            "  --time-limit S    GLPK's search, at most S seconds per group (default 60); past\n"
            "                    it, the best schedule found, marked not proven optimal\n"
            "  --reps N, --seed S, -j N  the simulation of the schedule\n"
            "  -s S, --set KEY=VALUE  scenarios and overrides, as for ccsim run\n"
            "  --json FILE       the schedule and its simulation as JSON ('-': stdout, no table)\n"
            "  --csv FILE        the shifts, one row per shift start and break plan\n"
            "  -h, --help        this help\n\n"
            "Example:\n"
            "  ccsim staff configs/default.cfg --target voice:sl=0.8@20s --csv req.csv\n"
            "  ccsim schedule configs/default.cfg --requirements req.csv\n");
}

static void clock_label(char *buf, size_t cap, double s)
{
    int mins = (int)lround(s / 60);
    snprintf(buf, cap, "%02d:%02d", mins / 60, mins % 60);
}

static void breaks_label(char *buf, size_t cap, const struct shift_template *tp,
                         const struct scheduled_shift *sh)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int b = 0; b < tp->n_breaks && used + 8 < cap; b++) {
        char at[16];
        clock_label(at, sizeof at, sh->break_start_s[b]);
        used += (size_t)snprintf(buf + used, cap - used, "%s%s+%g", b ? " " : "", at,
                                 tp->breaks[b].length_s / 60);
    }
    if (tp->n_breaks == 0) snprintf(buf, cap, "-");
}

static const struct stat_summary *summary(const struct results *r, int scope, int metric)
{
    return &r->summary[scope * MET_N + metric];
}

static void json_stat(struct json *j, const char *key, const struct stat_summary *s)
{
    json_begin_object(j, key);
    json_number(j, "mean", s->mean);
    json_number(j, "ci95", s->ci95);
    json_end_object(j);
}

int cmd_schedule(int argc, char **argv)
{
    const char *config = NULL, *req_path = NULL, *json_path = NULL, *csv_path = NULL;
    double time_limit_s = 60;
    struct conf_override *sets = xcalloc((size_t)argc + 1, sizeof *sets);
    const char **scenarios = xcalloc((size_t)argc + 1, sizeof *scenarios);
    struct batch_opts batch = CLI_BATCH_INIT;
    batch.sets = sets;
    batch.scenarios = scenarios;
    int status = EXIT_OK, loaded = 0, n_solved = 0;
    struct model_spec m;
    struct schedule *plans = NULL;
    double *required = NULL;
    int *given = NULL;
    struct results *r = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if ((bad = cli_batch_flag(argc, argv, &i, &batch, "schedule")) != 0) {
            if (bad < 0) {
                status = EXIT_USAGE;
                goto done;
            }
            bad = 0;
        } else if ((v = cli_flag_value(argc, argv, &i, "--requirements", &bad)) != NULL) {
            req_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--time-limit", &bad)) != NULL) {
            if (cli_parse_double(v, &time_limit_s) != 0 || !(time_limit_s > 0)) {
                status =
                    cli_usage_error("schedule", "--time-limit: seconds > 0 expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--json", &bad)) != NULL) {
            json_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--csv", &bad)) != NULL) {
            csv_path = v;
        } else if ((status = cli_config_arg("schedule", a, bad, &config)) != 0) {
            goto done;
        }
    }
    if (config == NULL) {
        status = cli_usage_error("schedule", "missing CONFIG");
        goto done;
    }
    if (req_path == NULL) {
        status = cli_usage_error("schedule",
                                 "--requirements FILE expected (the CSV or JSON of ccsim staff)");
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
    loaded = 1;
    int nt = model_total_intervals(&m);
    required = xcalloc((size_t)m.n_groups * nt + 1, sizeof *required);
    given = xcalloc((size_t)m.n_groups + 1, sizeof *given);
    if (requirements_read(req_path, &m, required, given, &d) != 0) {
        diag_print(&d, stderr);
        diag_fini(&d);
        status = EXIT_USAGE;
        goto done;
    }
    diag_fini(&d);
    plans = xcalloc((size_t)m.n_groups + 1, sizeof *plans);
    for (int g = 0; g < m.n_groups; g++) {
        if (!given[g]) continue;
        if (m.groups[g].n_templates == 0) {
            /* No templates: the group is scheduled at its requirement grossed up, interval by
             * interval. */
            for (int k = 0; k < m.groups[g].n_shifts; k++)
                free(m.groups[g].shifts[k].breaks);
            free(m.groups[g].shifts);
            m.groups[g].shifts = NULL;
            m.groups[g].n_shifts = 0;
            double keep = (1 - m.groups[g].shrinkage) * (1 - m.groups[g].absenteeism);
            for (int i = 0; i < nt; i++)
                m.groups[g].agents[i] = (int)ceil(required[(size_t)g * nt + i] / keep - 1e-9);
            continue;
        }
        char why[1024];
        if (schedule_solve(&m, g, &required[(size_t)g * nt], time_limit_s, &plans[g], why,
                           sizeof why) != 0) {
            fprintf(stderr, "ccsim schedule: %s: %s\n", config, why);
            status = EXIT_USAGE;
            goto done;
        }
        schedule_apply(&m, g, &plans[g]);
        n_solved++;
    }
    if (n_solved == 0) {
        fprintf(stderr,
                "ccsim schedule: %s: no group with shift_templates has a requirement in %s\n",
                config, req_path);
        status = EXIT_USAGE;
        goto done;
    }
    struct sim_hooks hooks = {0};
    cli_batch_hooks(&batch, &hooks);
    if (batch.reps > 0) m.replications = (int)batch.reps;
    if (batch.seed >= 0) m.seed = (uint64_t)batch.seed;
    r = sim_run(&m, &hooks);
    double cost = 0;
    for (int g = 0; g < m.n_groups; g++)
        cost += plans[g].cost;

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
        json_string(&j, "requirements", req_path);
        json_number(&j, "cost", cost);
        json_begin_array(&j, "groups");
        for (int g = 0; g < m.n_groups; g++) {
            const struct schedule *p = &plans[g];
            if (p->required == NULL) continue;
            const struct group_spec *gr = &m.groups[g];
            json_begin_object(&j, NULL);
            json_string(&j, "name", gr->name);
            json_number(&j, "cost", p->cost);
            json_bool(&j, "optimal", p->optimal);
            json_number(&j, "gap", p->gap);
            json_int(&j, "options", p->options);
            json_begin_array(&j, "shifts");
            for (int k = 0; k < p->n_shifts; k++) {
                const struct scheduled_shift *sh = &p->shifts[k];
                const struct shift_template *tp = &gr->templates[sh->template_index];
                json_begin_object(&j, NULL);
                json_string(&j, "template", tp->name);
                json_number(&j, "start_s", sh->start_s);
                json_number(&j, "length_s", tp->length_s);
                json_begin_array(&j, "breaks");
                for (int b = 0; b < tp->n_breaks; b++) {
                    json_begin_object(&j, NULL);
                    json_number(&j, "start_s", sh->break_start_s[b]);
                    json_number(&j, "length_s", tp->breaks[b].length_s);
                    json_end_object(&j);
                }
                json_end_array(&j);
                json_int(&j, "agents", sh->agents);
                json_number(&j, "cost", sh->agents * tp->cost);
                json_end_object(&j);
            }
            json_end_array(&j);
            json_begin_array(&j, "intervals");
            for (int i = 0; i < p->n_intervals; i++) {
                json_begin_object(&j, NULL);
                json_number(&j, "start_s", m.day_start_s + i * m.interval_s);
                json_number(&j, "required", p->required[i]);
                json_number(&j, "gross", p->gross[i]);
                json_number(&j, "on_duty", p->on_duty[i]);
                json_number(&j, "over", fmax(0, p->on_duty[i] - p->gross[i]));
                json_number(&j, "under", fmax(0, p->gross[i] - p->on_duty[i]));
                json_stat(&j, "occupancy",
                          summary(r, results_group_scope(&m, g, 1 + i), MET_OCCUPANCY));
                json_end_object(&j);
            }
            json_end_array(&j);
            json_end_object(&j);
        }
        json_end_array(&j);
        json_begin_object(&j, "simulated");
        json_int(&j, "replications", r->replications);
        json_begin_object(&j, "channels");
        for (int c = 0; c < m.n_channels; c++) {
            json_begin_object(&j, m.channels[c].name);
            json_stat(&j, "service_level", summary(r, 1 + c, MET_SL));
            json_stat(&j, "abandon_rate", summary(r, 1 + c, MET_ABANDON_RATE));
            json_begin_array(&j, "intervals");
            for (int i = 0; i < nt; i++) {
                json_begin_object(&j, NULL);
                json_int(&j, "day", i / m.n_intervals);
                json_number(&j, "start_s", model_interval_clock_s(&m, i));
                json_stat(&j, "service_level",
                          summary(r, results_interval_scope(&m, i, c), MET_SL));
                json_stat(&j, "abandon_rate",
                          summary(r, results_interval_scope(&m, i, c), MET_ABANDON_RATE));
                json_end_object(&j);
            }
            json_end_array(&j);
            json_end_object(&j);
        }
        json_end_object(&j);
        json_end_object(&j);
        json_end_object(&j);
        json_finish(&j);
        if (outfile_commit(&jf) != 0) {
            warn("cannot write '%s':", json_path);
            status = EXIT_RUNTIME;
        }
    }
    if (cf.f != NULL) {
        fputs("group,template,start,length_h,breaks,agents,cost\n", cf.f);
        for (int g = 0; g < m.n_groups; g++)
            for (int k = 0; k < plans[g].n_shifts; k++) {
                const struct scheduled_shift *sh = &plans[g].shifts[k];
                const struct shift_template *tp = &m.groups[g].templates[sh->template_index];
                char at[16], br[256];
                clock_label(at, sizeof at, sh->start_s);
                breaks_label(br, sizeof br, tp, sh);
                csv_quoted(cf.f, m.groups[g].name);
                fputc(',', cf.f);
                csv_quoted(cf.f, tp->name);
                fprintf(cf.f, ",%s,%.17g,\"%s\",%d,%.17g\n", at, tp->length_s / 3600, br,
                        sh->agents, sh->agents * tp->cost);
            }
        if (outfile_commit(&cf) != 0) {
            warn("cannot write '%s':", csv_path);
            status = EXIT_RUNTIME;
        }
    }
    if (json_path != NULL && strcmp(json_path, "-") == 0) goto done;
    printf("ccsim schedule: %s, requirements %s (GLPK)\n", config, req_path);
    for (int g = 0; g < m.n_groups; g++) {
        const struct schedule *p = &plans[g];
        if (p->required == NULL) continue;
        const struct group_spec *gr = &m.groups[g];
        int people = 0;
        for (int k = 0; k < p->n_shifts; k++)
            people += p->shifts[k].agents;
        char quality[160];
        if (p->optimal)
            snprintf(quality, sizeof quality, "optimal");
        else
            snprintf(quality, sizeof quality,
                     "the best found within the time limit; GLPK's bound on the optimum is %.1f %% "
                     "below it",
                     100 * p->gap);
        printf("\ngroup %s: %d shifts, cost %.2f (%s; %d ways to work %d templates)\n", gr->name,
               people, p->cost, quality, p->options, gr->n_templates);
        printf("  %-16s %-6s %-24s %6s %10s\n", "template", "start", "breaks (start+min)", "agents",
               "cost");
        for (int k = 0; k < p->n_shifts; k++) {
            const struct scheduled_shift *sh = &p->shifts[k];
            const struct shift_template *tp = &gr->templates[sh->template_index];
            char at[16], br[256];
            clock_label(at, sizeof at, sh->start_s);
            breaks_label(br, sizeof br, tp, sh);
            printf("  %-16.16s %-6s %-24s %6d %10.2f\n", tp->name, at, br, sh->agents,
                   sh->agents * tp->cost);
        }
        /* One day: the service level of the group's first channel, interval by interval. */
        int sl_channel = m.n_days == 1 ? gr->skills[0] : -1;
        char sl_head[96] = "";
        if (sl_channel >= 0)
            snprintf(sl_head, sizeof sl_head, "  %s sl", m.channels[sl_channel].name);
        printf("\n  %-8s %9s %8s %8s %6s %6s %11s%s\n", "interval", "required", "gross", "on duty",
               "over", "under", "occupancy", sl_head);
        for (int i = 0; i < p->n_intervals; i++) {
            char at[16];
            clock_label(at, sizeof at, m.day_start_s + i * m.interval_s);
            const struct stat_summary *occ =
                summary(r, results_group_scope(&m, g, 1 + i), MET_OCCUPANCY);
            printf("  %-8s %9.2f %8.2f %8.2f %6.2f %6.2f %11.3f", at, p->required[i], p->gross[i],
                   p->on_duty[i], fmax(0, p->on_duty[i] - p->gross[i]),
                   fmax(0, p->gross[i] - p->on_duty[i]), occ->mean);
            if (sl_channel >= 0)
                printf(" %*.3f", (int)strlen(sl_head) - 1,
                       summary(r, results_interval_scope(&m, i, sl_channel), MET_SL)->mean);
            putchar('\n');
        }
    }
    printf("\nsimulated with the schedule (%d replications; mean ± 95 %% half-width):\n",
           r->replications);
    for (int c = 0; c < m.n_channels; c++) {
        const struct stat_summary *sl = summary(r, 1 + c, MET_SL),
                                  *ab = summary(r, 1 + c, MET_ABANDON_RATE);
        printf("  %-12s service level %.3f ± %.3f, abandonment %.3f ± %.3f\n", m.channels[c].name,
               sl->mean, isfinite(sl->ci95) ? sl->ci95 : 0.0, ab->mean,
               isfinite(ab->ci95) ? ab->ci95 : 0.0);
    }
    printf("cost %.2f per day\n", cost);
done:
    results_free(r);
    if (plans != NULL)
        for (int g = 0; g < m.n_groups; g++)
            schedule_free(&plans[g]);
    free(plans);
    free(required);
    free(given);
    if (loaded) model_spec_free(&m);
    for (int k = 0; k < batch.n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    free(scenarios);
    return status;
}
