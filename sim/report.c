/* report: text and JSON renderings of results.  The JSON field names are a stable interface
 * (docs/output.md): later versions add fields, never rename them. */
#include "report.h"

#include "json.h"
#include "util.h"

#include <errno.h>
#include <sys/stat.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>

/* ==== JSON ==== */

/* Peak resident memory of this process so far, KiB (Linux reports ru_maxrss in KiB). */
static long long peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
    return (long long)ru.ru_maxrss;
}

static void json_summary(struct json *j, const char *key, const struct stat_summary *s)
{
    json_begin_object(j, key);
    json_number(j, "mean", s->mean);
    json_number(j, "ci95", s->ci95);
    json_int(j, "n", s->n);
    json_end_object(j);
}

/* groups: per group the run's agent figures, per skill the utilisation, per interval the
 * schedule against the floor. */
static void json_groups(struct json *j, const struct model_spec *m, const struct results *r)
{
    static const int run_metrics[] = {MET_SCHEDULED_AGENTS, MET_STAFFED_AGENTS, MET_OCCUPANCY,
                                      MET_OVERTIME,         MET_OVERRUN,        MET_COST_AGENTS};
    int day = m->mode == MODE_DAY;
    json_begin_object(j, "groups");
    for (int g = 0; g < m->n_groups; g++) {
        const struct group_spec *gs = &m->groups[g];
        int base = results_group_scope(m, g, 0);
        json_begin_object(j, gs->name);
        for (size_t k = 0; k < sizeof run_metrics / sizeof *run_metrics; k++) {
            if (run_metrics[k] == MET_OVERTIME && !day) continue;
            json_summary(j, run_metrics[k] == MET_COST_AGENTS ? "cost" : metric_names[run_metrics[k]],
                         &r->summary[base * MET_N + run_metrics[k]]);
        }
        json_begin_object(j, "utilisation");
        for (int k = 0; k < gs->n_skills; k++) {
            char name[160];
            int seg = group_skill_segment(gs, k);
            snprintf(name, sizeof name, "%s%s%s", m->channels[gs->skills[k]].name,
                     seg >= 0 ? ":" : "", seg >= 0 ? m->segments[seg].name : "");
            int scope = results_group_scope(m, g, 1 + (day ? model_total_intervals(m) : 0) + k);
            json_summary(j, name, &r->summary[scope * MET_N + MET_UTILISATION]);
        }
        json_end_object(j);
        json_begin_array(j, "intervals");
        for (int i = 0; day && i < model_total_intervals(m); i++) {
            int scope = results_group_scope(m, g, 1 + i);
            json_begin_object(j, NULL);
            json_int(j, "day", i / m->n_intervals);
            json_number(j, "start_s", model_interval_clock_s(m, i));
            json_summary(j, "scheduled_agents", &r->summary[scope * MET_N + MET_SCHEDULED_AGENTS]);
            json_summary(j, "staffed_agents", &r->summary[scope * MET_N + MET_STAFFED_AGENTS]);
            json_summary(j, "occupancy", &r->summary[scope * MET_N + MET_OCCUPANCY]);
            json_end_object(j);
        }
        json_end_array(j);
        json_end_object(j);
    }
    json_end_object(j);
}

/* journeys: per segment and in total, what became of the customers' issues. */
static void json_journey_scope(struct json *j, const char *key, const struct results *r, int scope)
{
    json_begin_object(j, key);
    for (int k = MET_ISSUES; k <= MET_CHURN_COST; k++)
        json_summary(j, metric_names[k], &r->summary[scope * MET_N + k]);
    json_end_object(j);
}

static void json_journeys(struct json *j, const struct model_spec *m, const struct results *r)
{
    json_begin_object(j, "journeys");
    json_journey_scope(j, "total", r, 0);
    json_begin_object(j, "segments");
    for (int sg = 0; sg < m->n_segments; sg++)
        json_journey_scope(j, m->segments[sg].name, r, results_segment_scope(m, sg));
    json_end_object(j);
    json_end_object(j);
}

/* little: the two sides of Little's law as sample-path sums over each replication. */
static void json_little(struct json *j, const struct results *r)
{
    json_begin_object(j, "little");
    json_begin_object(j, "queue");
    json_summary(j, "area_contact_s", &r->summary[MET_QUEUE_AREA]);
    json_summary(j, "waits_s", &r->summary[MET_QUEUE_WAITS]);
    json_end_object(j);
    json_begin_object(j, "issues");
    json_summary(j, "area_issue_s", &r->summary[MET_ISSUE_AREA]);
    json_summary(j, "times_s", &r->summary[MET_ISSUE_TIME]);
    json_end_object(j);
    json_end_object(j);
}

/* The metrics of one scope that apply to it: a channel's by its kind, a total's (kind
 * CH_N_KINDS) the core ones, overtime only for the run's total in day mode. */
static void json_metrics(struct json *j, const char *key, const struct results *r, int scope,
                         enum channel_kind kind, int per_interval, int day_mode, int segment)
{
    json_begin_object(j, key);
    for (int k = 0; k < MET_N; k++) {
        if (!metric_applies(k, kind, per_interval) || (k == MET_OVERTIME && !day_mode)) continue;
        if (segment && (k == MET_OCCUPANCY || k == MET_OVERTIME || k == MET_COST_AGENTS ||
                        k == MET_COST_TOTAL))
            continue;
        if (k == MET_COST_AGENTS || k == MET_COST_TOTAL) continue; /* in the cost block */
        const struct stat_summary *s = &r->summary[scope * MET_N + k];
        json_begin_object(j, metric_names[k]);
        json_number(j, "mean", s->mean);
        json_number(j, "ci95", s->ci95);
        json_int(j, "n", s->n);
        json_end_object(j);
    }
    json_end_object(j);
}

void report_json(FILE *out, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r)
{
    struct json j;
    json_init(&j, out, !meta->compact);
    json_begin_object(&j, NULL);
    json_string(&j, "ccsim", CCSIM_VERSION);
    json_string(&j, "config", meta->config_path);
    json_string(&j, "mode", m->mode == MODE_DAY ? "day" : "steady");
    json_int(&j, "replications", r->replications);
    if (r->partial) json_bool(&j, "partial", 1);
    json_int(&j, "seed", (long long)m->seed);
    json_string(&j, "rng", "mt19937");
    if (m->effective_config != NULL) json_raw(&j, "effective_config", m->effective_config);
    int day = m->mode == MODE_DAY;
    json_metrics(&j, "total", r, 0, CH_N_KINDS, 0, day, 0);
    json_begin_object(&j, "channels");
    for (int c = 0; c < m->n_channels; c++)
        json_metrics(&j, m->channels[c].name, r, 1 + c, m->channels[c].kind, 0, day, 0);
    json_end_object(&j);
    json_begin_object(&j, "cost");
    json_summary(&j, "agents", &r->summary[MET_COST_AGENTS]);
    json_summary(&j, "contacts", &r->summary[MET_COST]);
    json_summary(&j, "total", &r->summary[MET_COST_TOTAL]);
    json_end_object(&j);
    json_groups(&j, m, r);
    json_begin_object(&j, "segments");
    for (int sg = 0; sg < m->n_segments; sg++)
        json_metrics(&j, m->segments[sg].name, r, results_segment_scope(m, sg), CH_N_KINDS, 0, day,
                     1);
    json_end_object(&j);
    json_begin_array(&j, "intervals");
    if (m->mode == MODE_DAY)
        for (int i = 0; i < model_total_intervals(m); i++) {
            json_begin_object(&j, NULL);
            json_int(&j, "day", i / m->n_intervals);
            json_number(&j, "start_s", model_interval_clock_s(m, i));
            json_begin_object(&j, "channels");
            for (int c = 0; c < m->n_channels; c++)
                json_metrics(&j, m->channels[c].name, r, results_interval_scope(m, i, c),
                             m->channels[c].kind, 1, day, 0);
            json_end_object(&j);
            json_metrics(&j, "total", r, results_interval_scope(m, i, m->n_channels), CH_N_KINDS,
                         1, day, 0);
            json_end_object(&j);
        }
    json_end_array(&j);
    json_journeys(&j, m, r);
    json_little(&j, r);
    if (meta->compact) {
        /* JSON lines are compared byte for byte: leave out what is not reproducible. */
        json_end_object(&j);
        json_finish(&j);
        return;
    }
    json_begin_object(&j, "perf");
    json_int(&j, "events", (long long)r->events);
    json_int(&j, "stale_events", (long long)r->stale_events);
    json_int(&j, "contacts", (long long)r->arrivals);
    json_number(&j, "wall_s", r->wall_s);
    json_number(&j, "events_per_s", r->wall_s > 0 ? (double)r->events / r->wall_s : (double)NAN);
    json_number(&j, "contacts_per_s", r->wall_s > 0 ? (double)r->arrivals / r->wall_s : (double)NAN);
    json_int(&j, "peak_rss_kib", peak_rss_kib());
    json_end_object(&j);
    json_end_object(&j);
    json_finish(&j);
}

/* ==== CSV ==== */

static void csv_number(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, ",%.17g", v);
    else fputc(',', f);
}

static void csv_header(FILE *f, const char *lead)
{
    fputs(lead, f);
    for (int k = 0; k < MET_N; k++)
        fprintf(f, ",%s,%s_ci95", metric_names[k], metric_names[k]);
    fputc('\n', f);
}

static void csv_metrics(FILE *f, const struct results *r, int scope)
{
    for (int k = 0; k < MET_N; k++) {
        csv_number(f, r->summary[scope * MET_N + k].mean);
        csv_number(f, r->summary[scope * MET_N + k].ci95);
    }
    fputc('\n', f);
}

/* Names are quoted, embedded quotes doubled (RFC 4180), so any channel name is safe. */
static void csv_name(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int csv_file(const char *dir, const char *name, const struct model_spec *m,
                    const struct results *r, int intervals)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct outfile o;
    if (outfile_open(&o, path) != 0) {
        warn("cannot write '%s':", path);
        return -1;
    }
    if (!intervals) {
        csv_header(o.f, "channel,replications");
        for (int c = 0; c <= m->n_channels; c++) {
            int scope = c < m->n_channels ? 1 + c : 0;
            csv_name(o.f, c < m->n_channels ? m->channels[c].name : "total");
            fprintf(o.f, ",%d", r->replications);
            csv_metrics(o.f, r, scope);
        }
    } else {
        csv_header(o.f, "day,interval,start_s,channel");
        for (int i = 0; i < model_total_intervals(m) && m->mode == MODE_DAY; i++)
            for (int c = 0; c <= m->n_channels; c++) {
                double start = model_interval_clock_s(m, i);
                int mins = (int)lround(start / 60);
                fprintf(o.f, "%d,%02d:%02d,%.17g,", i / m->n_intervals, mins / 60, mins % 60,
                        start);
                csv_name(o.f, c < m->n_channels ? m->channels[c].name : "total");
                csv_metrics(o.f, r, results_interval_scope(m, i, c));
            }
    }
    if (outfile_commit(&o) != 0) {
        warn("cannot write '%s':", path);
        return -1;
    }
    return 0;
}

int report_csv(const char *dir, const struct model_spec *m, const struct results *r)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        warn("cannot create '%s':", dir);
        return -1;
    }
    if (csv_file(dir, "total.csv", m, r, 0) != 0) return -1;
    return csv_file(dir, "intervals.csv", m, r, 1);
}

/* ==== Text ==== */

/* The summary: one row per metric, one column per channel (and the total when there are
 * several), each cell the mean ± the 95 % half-width. */
struct summary_row {
    int metric;
    int decimals; /* after the point, for mean and half-width alike */
    const char *label;
    const char *unit;
    double scale; /* shown value = metric * scale (percentages, minutes) */
};

static const struct summary_row summary_rows[] = {
    {MET_ARRIVED, 1, "arrived", "contacts", 1},
    {MET_DEFLECTED, 1, "resolved in self-service", "contacts", 1},
    {MET_ESCALATED, 1, "escalated to agents", "contacts", 1},
    {MET_GAVE_UP_SS, 1, "gave up in self-service", "contacts", 1},
    {MET_SS_TIME, 1, "time in self-service", "s", 1},
    {MET_OFFERED, 1, "offered to agents", "contacts", 1},
    {MET_RETRIALS, 1, "of them retrials", "contacts", 1},
    {MET_REPEATS, 1, "of them repeats", "contacts", 1},
    {MET_INCIDENT_ISSUES, 1, "incident issues", "issues", 1},
    {MET_PREVENTED, 1, "prevented by notice", "issues", 1},
    {MET_BALKED, 1, "balked", "contacts", 1},
    {MET_BLOCKED, 1, "blocked", "contacts", 1},
    {MET_HANDLED, 1, "handled", "contacts", 1},
    {MET_ABANDONED, 1, "abandoned", "contacts", 1},
    {MET_CB_OFFERED, 1, "callbacks offered", "contacts", 1},
    {MET_CB_ACCEPTED, 1, "callbacks accepted", "contacts", 1},
    {MET_CB_REACHED, 1, "callbacks reached", "contacts", 1},
    {MET_CB_UNREACHED, 1, "callbacks unreached", "contacts", 1},
    {MET_CB_WAIT, 2, "callback wait", "s", 1},
    {MET_ABANDON_RATE, 2, "abandon rate", "%", 100},
    {MET_P_WAIT, 2, "P(wait)", "%", 100},
    {MET_ASA, 2, "ASA (answered)", "s", 1},
    {MET_WAIT_MEAN, 2, "mean wait (all)", "s", 1},
    {MET_SL, 2, "service level", "%", 100},
    {MET_SL_EXCL, 2, "SL excl. short abandons", "%", 100},
    {MET_WAIT_P50, 1, "wait p50 (answered)", "s", 1},
    {MET_WAIT_P90, 1, "wait p90 (answered)", "s", 1},
    {MET_WAIT_P99, 1, "wait p99 (answered)", "s", 1},
    {MET_OCCUPANCY, 2, "occupancy", "%", 100},
    {MET_SLOT_UTIL, 2, "slot utilisation", "%", 100},
    {MET_FIRST_RESPONSE, 2, "first response", "s", 1},
    {MET_FIRST_RESPONSE_SL, 2, "first-response SL", "%", 100},
    {MET_DUE_MET, 2, "handled by due time", "%", 100},
    {MET_BACKLOG_END, 1, "backlog at the end", "contacts", 1},
    {MET_COST, 0, "cost", "currency", 1},
    {MET_OVERTIME, 1, "overtime after close", "agent-min", 1.0 / 60},
};

/* Rows about features the model does not use (no self-service, no balking, ...) are left out. */
static int row_in_use(const struct model_spec *m, int metric)
{
    int ss = 0, balk = 0, block = 0, cost = 0, callback = 0, retrial = 0, repeat = 0;
    for (int j = 0; j < m->n_journeys; j++) {
        retrial |= m->journeys[j].retrial.enabled && m->journeys[j].retrial.probability > 0;
        repeat |= m->journeys[j].repeat.enabled;
    }
    for (int c = 0; c < m->n_channels; c++) {
        const struct channel_spec *ch = &m->channels[c];
        callback |= ch->callback.enabled;
        ss |= ch->self_service.enabled;
        balk |= ch->balking != BALK_NONE;
        block |= ch->limit_waiting || ch->limit_lines;
        cost |= ch->cost_per_contact > 0 || ch->cost_per_minute > 0;
    }
    switch (metric) {
    case MET_ARRIVED:
    case MET_DEFLECTED:
    case MET_ESCALATED:
    case MET_GAVE_UP_SS:
    case MET_SS_TIME: return ss;
    case MET_BALKED: return balk;
    case MET_BLOCKED: return block;
    case MET_COST: return cost;
    case MET_RETRIALS: return retrial;
    case MET_REPEATS: return repeat;
    case MET_INCIDENT_ISSUES:
    case MET_PREVENTED: return m->n_incidents > 0;
    case MET_CB_OFFERED:
    case MET_CB_ACCEPTED:
    case MET_CB_REACHED:
    case MET_CB_UNREACHED:
    case MET_CB_WAIT: return callback;
    }
    return 1;
}

static void summary_cell(FILE *out, const struct stat_summary *s, double scale, int decimals)
{
    char buf[64];
    if (!isfinite(s->mean))
        snprintf(buf, sizeof buf, "-");
    else if (isfinite(s->ci95))
        snprintf(buf, sizeof buf, "%.*f ± %.*f", decimals, s->mean * scale, decimals,
                 s->ci95 * scale);
    else
        snprintf(buf, sizeof buf, "%.*f", decimals, s->mean * scale);
    int width = (int)strlen(buf) - (strstr(buf, "±") ? 1 : 0); /* "±" is 2 bytes, 1 column */
    fprintf(out, " %*s%s", 22 - width, "", buf);
}

/* One column of a summary table: a scope, its heading, and the kind that decides its rows. */
struct summary_col {
    const char *heading;
    int scope;
    enum channel_kind kind; /* CH_N_KINDS for totals and segments */
    int segment;
};

static void summary_grid(FILE *out, const struct model_spec *m, const struct results *r,
                         const struct summary_col *cols, int n_cols)
{
    fprintf(out, "%-24s %-9s", "metric", "unit");
    for (int c = 0; c < n_cols; c++)
        fprintf(out, " %22s", cols[c].heading);
    fputc('\n', out);
    for (size_t k = 0; k < sizeof summary_rows / sizeof *summary_rows; k++) {
        const struct summary_row *row = &summary_rows[k];
        if (row->metric == MET_OVERTIME && m->mode != MODE_DAY) continue;
        if (!row_in_use(m, row->metric)) continue;
        int used = 0;
        for (int c = 0; c < n_cols; c++)
            used |= metric_applies(row->metric, cols[c].kind, 0) &&
                    !(cols[c].segment && row->metric == MET_OCCUPANCY) &&
                    !(cols[c].kind != CH_N_KINDS && row->metric == MET_OVERTIME);
        if (!used) continue;
        fprintf(out, "%-24s %-9s", row->label, row->unit);
        for (int c = 0; c < n_cols; c++) {
            int shown = metric_applies(row->metric, cols[c].kind, 0) &&
                        !(cols[c].segment && (row->metric == MET_OCCUPANCY ||
                                              row->metric == MET_OVERTIME)) &&
                        !(cols[c].kind != CH_N_KINDS && row->metric == MET_OVERTIME);
            if (!shown)
                fprintf(out, " %22s", "");
            else
                summary_cell(out, &r->summary[cols[c].scope * MET_N + row->metric], row->scale,
                             row->decimals);
        }
        fputc('\n', out);
    }
}

/* Customer issues: one row per journey metric, a column for the total and each segment. */
static void journey_table(FILE *out, const struct model_spec *m, const struct results *r)
{
    static const struct summary_row rows[] = {
        {MET_ISSUES, 1, "issues", "issues", 1},
        {MET_ISSUES_RESOLVED, 1, "resolved", "issues", 1},
        {MET_ISSUES_GAVE_UP, 1, "gave up", "issues", 1},
        {MET_ISSUES_OPEN, 1, "open at the end", "issues", 1},
        {MET_CONTACTS_PER_ISSUE, 3, "contacts per issue", "contacts", 1},
        {MET_WAIT_PER_ISSUE, 1, "waiting per issue", "s", 1},
        {MET_TIME_TO_RESOLUTION, 1, "time to resolution", "min", 1.0 / 60},
        {MET_FCR_RATE, 2, "first-contact resolution", "%", 100},
        {MET_RESOLUTION_RATE, 2, "final resolution", "%", 100},
        {MET_GAVE_UP_RATE, 2, "gave-up rate", "%", 100},
        {MET_CHURN_RATE, 2, "churn rate", "%", 100},
        {MET_CHURN_COST, 0, "churn cost", "currency", 1},
    };
    int segs = m->n_segments > 1 ? m->n_segments : 0;
    fprintf(out, "\ncustomer issues (journeys)\n%-24s %-9s %22s", "metric", "unit", "total");
    for (int sg = 0; sg < segs; sg++)
        fprintf(out, " %22s", m->segments[sg].name);
    fputc('\n', out);
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        fprintf(out, "%-24s %-9s", rows[k].label, rows[k].unit);
        summary_cell(out, &r->summary[rows[k].metric], rows[k].scale, rows[k].decimals);
        for (int sg = 0; sg < segs; sg++)
            summary_cell(out, &r->summary[results_segment_scope(m, sg) * MET_N + rows[k].metric],
                         rows[k].scale, rows[k].decimals);
        fputc('\n', out);
    }
}

static void summary_table(FILE *out, const struct model_spec *m, const struct results *r)
{
    int n = m->n_channels > m->n_segments ? m->n_channels : m->n_segments;
    struct summary_col *cols = xcalloc((size_t)n + 1, sizeof *cols);
    int k = 0;
    for (int c = 0; c < m->n_channels; c++)
        cols[k++] = (struct summary_col){m->channels[c].name, 1 + c, m->channels[c].kind, 0};
    if (m->n_channels > 1 || m->mode == MODE_DAY)
        cols[k++] = (struct summary_col){"total", 0, CH_N_KINDS, 0};
    summary_grid(out, m, r, cols, k);
    for (int c = 0; c < m->n_channels; c++)
        fprintf(out, "%s%s: service level threshold %g s", c ? "; " : "", m->channels[c].name,
                m->channels[c].sl_seconds);
    fputc('\n', out);
    fprintf(out, "\n%-24s %22s %22s %22s %22s\n", "agent group", "scheduled agents",
            "staffed agents", "occupancy %", "overrun agent-min");
    for (int g = 0; g < m->n_groups; g++) {
        const struct stat_summary *gv = &r->summary[results_group_scope(m, g, 0) * MET_N];
        fprintf(out, "%-24s", m->groups[g].name);
        summary_cell(out, &gv[MET_SCHEDULED_AGENTS], 1, 2);
        summary_cell(out, &gv[MET_STAFFED_AGENTS], 1, 2);
        summary_cell(out, &gv[MET_OCCUPANCY], 100, 2);
        summary_cell(out, &gv[MET_OVERRUN], 1.0 / 60, 1);
        fputc('\n', out);
    }
    const struct stat_summary *total_cost = &r->summary[MET_COST_TOTAL];
    if (total_cost->mean > 0) {
        fprintf(out, "cost: agents");
        summary_cell(out, &r->summary[MET_COST_AGENTS], 1, 0);
        fprintf(out, "  contacts");
        summary_cell(out, &r->summary[MET_COST], 1, 0);
        fprintf(out, "  total");
        summary_cell(out, total_cost, 1, 0);
        fputc('\n', out);
    }
    if (m->journeys_modelled) journey_table(out, m, r);
    if (m->n_segments > 1) {
        fprintf(out, "\nby customer segment\n");
        for (int sg = 0; sg < m->n_segments; sg++)
            cols[sg] = (struct summary_col){m->segments[sg].name, results_segment_scope(m, sg),
                                            CH_N_KINDS, 1};
        summary_grid(out, m, r, cols, m->n_segments);
    }
    free(cols);
}

struct column {
    int metric;
    int decimals; /* after the point */
    const char *heading;
    double scale; /* shown value = metric * scale (percentages) */
};

static const struct column columns[] = {
    {MET_OFFERED, 1, "offered", 1},    {MET_ABANDON_RATE, 2, "aband %", 100},
    {MET_P_WAIT, 2, "P(wait) %", 100}, {MET_SL, 2, "SL %", 100},
    {MET_ASA, 2, "ASA s", 1},          {MET_WAIT_MEAN, 2, "wait s", 1},
    {MET_WAIT_P90, 1, "p90 s", 1},     {MET_OCCUPANCY, 2, "occ %", 100},
};
#define N_COLUMNS ((int)(sizeof columns / sizeof columns[0]))

static void cell(FILE *out, const struct stat_summary *s, const struct column *col, int ci)
{
    char buf[64];
    if (!isfinite(s->mean))
        snprintf(buf, sizeof buf, "-");
    else if (ci && isfinite(s->ci95))
        snprintf(buf, sizeof buf, "%.*f ± %.*f", col->decimals, s->mean * col->scale,
                 col->decimals, s->ci95 * col->scale);
    else
        snprintf(buf, sizeof buf, "%.*f", col->decimals, s->mean * col->scale);
    /* "±" is two bytes and one column: pad by display width. */
    int width = (int)strlen(buf) - (strstr(buf, "±") ? 1 : 0);
    fprintf(out, " %*s%s", 18 - width, "", buf);
}

static void header_row(FILE *out, const char *first)
{
    fprintf(out, "%-14s", first);
    for (int k = 0; k < N_COLUMNS; k++)
        fprintf(out, " %18s", columns[k].heading);
    fputc('\n', out);
}

static void metric_row(FILE *out, const char *label, const struct results *r, int scope, int ci)
{
    fprintf(out, "%-14s", label);
    for (int k = 0; k < N_COLUMNS; k++)
        cell(out, &r->summary[scope * MET_N + columns[k].metric], &columns[k], ci);
    fputc('\n', out);
}

void report_text(FILE *out, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r)
{
    fprintf(out, "ccsim %s  config %s  mode %s  seed %llu  replications %d\n", CCSIM_VERSION,
            meta->config_path, m->mode == MODE_DAY ? "day" : "steady",
            (unsigned long long)m->seed, r->replications);
    if (m->mode == MODE_STEADY)
        fprintf(out, "steady state: %lld warm-up + %lld counted arrivals per replication\n",
                m->warmup_contacts, m->contacts);
    else
        fprintf(out, "day: %d intervals of %g min from %02d:%02d%s", m->n_intervals,
                m->interval_s / 60, (int)(m->day_start_s / 3600),
                (int)fmod(m->day_start_s / 60, 60), m->n_days > 1 ? "" : "\n");
    if (m->mode == MODE_DAY && m->n_days > 1) fprintf(out, ", %d days\n", m->n_days);
    if (r->partial)
        fprintf(out, "PARTIAL RESULTS: the run was interrupted; %d replications finished\n",
                r->replications);
    fprintf(out, "values are means over replications ± 95 %% confidence half-width\n\n");
    summary_table(out, m, r);
    if (m->mode == MODE_DAY) {
        for (int c = 0; c < m->n_channels; c++) {
            fprintf(out, "\nper interval, channel %s (means; by arrival interval, occupancy by "
                         "time)\n",
                    m->channels[c].name);
            header_row(out, "start");
            for (int i = 0; i < model_total_intervals(m); i++) {
                char label[24];
                int mins = (int)lround(model_interval_clock_s(m, i) / 60);
                if (m->n_days > 1)
                    snprintf(label, sizeof label, "day %d %02d:%02d", i / m->n_intervals + 1,
                             mins / 60 % 100, mins % 60);
                else
                    snprintf(label, sizeof label, "%02d:%02d", mins / 60 % 100, mins % 60);
                metric_row(out, label, r, results_interval_scope(m, i, c), 0);
            }
        }
    }
    fprintf(out, "\n%llu events in %.2f s (%.1f million events/s)\n",
            (unsigned long long)r->events, r->wall_s,
            r->wall_s > 0 ? (double)r->events / r->wall_s / 1e6 : 0.0);
}
