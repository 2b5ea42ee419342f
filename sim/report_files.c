/* report_files: the report a planner mails (report.html, one file: the plots are PNG data URIs)
 * and its Markdown twin (report.md, plots as files beside it).  Both hold the headline table,
 * the groups, the journeys when modelled, the per-interval tables and the effective config. */
#include "plot.h"
#include "report.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct col {
    int metric;
    int decimals; /* after the point */
    const char *heading;
    double scale; /* shown value = metric * scale (percentages, minutes) */
};

static const struct col headline[] = {
    {MET_OFFERED, 1, "offered", 1},
    {MET_HANDLED, 1, "handled", 1},
    {MET_ABANDON_RATE, 2, "abandoned %", 100},
    {MET_ASA, 1, "ASA s", 1},
    {MET_SL, 1, "service level %", 100},
    {MET_WAIT_P90, 1, "wait p90 s", 1},
    {MET_OCCUPANCY, 1, "occupancy %", 100},
};
#define N_HEADLINE ((int)(sizeof headline / sizeof headline[0]))

static const struct col journey_cols[] = {
    {MET_ISSUES, 1, "issues", 1},
    {MET_CONTACTS_PER_ISSUE, 3, "contacts per issue", 1},
    {MET_TIME_TO_RESOLUTION, 1, "time to resolution min", 1.0 / 60},
    {MET_FCR_RATE, 1, "first-contact resolution %", 100},
    {MET_RESOLUTION_RATE, 1, "resolved %", 100},
    {MET_CHURN_RATE, 2, "churn %", 100},
    {MET_CHURN_COST, 0, "churn cost", 1},
};
#define N_JOURNEY ((int)(sizeof journey_cols / sizeof journey_cols[0]))

static void cell_text(char *buf, size_t cap, const struct stat_summary *s, const struct col *c)
{
    if (!isfinite(s->mean))
        snprintf(buf, cap, "-");
    else if (isfinite(s->ci95))
        snprintf(buf, cap, "%.*f ± %.*f", c->decimals, s->mean * c->scale, c->decimals,
                 s->ci95 * c->scale);
    else
        snprintf(buf, cap, "%.*f", c->decimals, s->mean * c->scale);
}

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

/* A Markdown table cell: pipes escaped. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputc('\\', f);
        fputc(*s, f);
    }
}

/* One table in both documents at once: rows of (label, scope). */
struct table {
    FILE *html, *md;
};

static void table_begin(struct table *t, const char *first, const struct col *cols, int n)
{
    fputs("<table>\n<tr><th>", t->html);
    html_text(t->html, first);
    fputs("</th>", t->html);
    fputs("| ", t->md);
    md_text(t->md, first);
    for (int k = 0; k < n; k++) {
        fputs("<th>", t->html);
        html_text(t->html, cols[k].heading);
        fputs("</th>", t->html);
        fputs(" | ", t->md);
        md_text(t->md, cols[k].heading);
    }
    fputs("</tr>\n", t->html);
    fputs(" |\n|---", t->md);
    for (int k = 0; k < n; k++)
        fputs("|---:", t->md);
    fputs("|\n", t->md);
}

static void table_row(struct table *t, const char *label, const struct results *r, int scope,
                      const struct col *cols, int n)
{
    fputs("<tr><td>", t->html);
    html_text(t->html, label);
    fputs("</td>", t->html);
    fputs("| ", t->md);
    md_text(t->md, label);
    for (int k = 0; k < n; k++) {
        char buf[96];
        cell_text(buf, sizeof buf, &r->summary[scope * MET_N + cols[k].metric], &cols[k]);
        fprintf(t->html, "<td>%s</td>", buf);
        fprintf(t->md, " | %s", buf);
    }
    fputs("</tr>\n", t->html);
    fputs(" |\n", t->md);
}

static void table_end(struct table *t)
{
    fputs("</table>\n", t->html);
    fputs("\n", t->md);
}

static void heading(struct table *t, const char *text)
{
    fputs("<h2>", t->html);
    html_text(t->html, text);
    fputs("</h2>\n", t->html);
    fprintf(t->md, "## %s\n\n", text);
}

/* The PNG at path as a data URI (RFC 2397), base64. */
static int put_png_uri(FILE *out, const char *path)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    fputs("data:image/png;base64,", out);
    unsigned char in[3];
    size_t n;
    while ((n = fread(in, 1, 3, f)) > 0) {
        unsigned v = (unsigned)in[0] << 16 | (n > 1 ? (unsigned)in[1] << 8 : 0) | (n > 2 ? in[2] : 0);
        fputc(b64[v >> 18 & 63], out);
        fputc(b64[v >> 12 & 63], out);
        fputc(n > 1 ? b64[v >> 6 & 63] : '=', out);
        fputc(n > 2 ? b64[v & 63] : '=', out);
    }
    fclose(f);
    return 0;
}

static void interval_label(char *buf, size_t cap, const struct model_spec *m, int i)
{
    int mins = (int)lround(model_interval_clock_s(m, i) / 60);
    if (m->n_days > 1)
        snprintf(buf, cap, "day %d %02d:%02d", i / m->n_intervals + 1, mins / 60 % 100, mins % 60);
    else
        snprintf(buf, cap, "%02d:%02d", mins / 60 % 100, mins % 60);
}

static void write_body(struct table *t, const struct report_meta *meta, const struct model_spec *m,
                       const struct results *r, const struct plotter *p)
{
    char buf[512];
    snprintf(buf, sizeof buf, "ccsim %s, %s mode, %d replications, seed %llu", CCSIM_VERSION,
             m->mode == MODE_DAY ? "day" : "steady", r->replications, (unsigned long long)m->seed);
    fputs("<p>", t->html);
    html_text(t->html, buf);
    fputs(". Each value is the mean over the replications ± the half-width of its 95 % "
          "confidence interval.</p>\n",
          t->html);
    fprintf(t->md, "%s. Each value is the mean over the replications ± the half-width of its "
                   "95 %% confidence interval.\n\n",
            buf);
    heading(t, "Headline");
    table_begin(t, "channel", headline, N_HEADLINE);
    for (int c = 0; c < m->n_channels; c++)
        table_row(t, m->channels[c].name, r, 1 + c, headline, N_HEADLINE);
    if (m->n_channels > 1) table_row(t, "total", r, 0, headline, N_HEADLINE);
    table_end(t);
    static const struct col group_cols[] = {{MET_SCHEDULED_AGENTS, 2, "scheduled agents", 1},
                                            {MET_STAFFED_AGENTS, 2, "staffed agents", 1},
                                            {MET_OCCUPANCY, 1, "occupancy %", 100},
                                            {MET_COST_AGENTS, 0, "cost", 1}};
    heading(t, "Agent groups");
    table_begin(t, "group", group_cols, 4);
    for (int g = 0; g < m->n_groups; g++)
        table_row(t, m->groups[g].name, r, results_group_scope(m, g, 0), group_cols, 4);
    table_end(t);
    if (m->journeys_modelled) {
        heading(t, "Customer issues (journeys)");
        table_begin(t, "customers", journey_cols, N_JOURNEY);
        table_row(t, "all", r, 0, journey_cols, N_JOURNEY);
        for (int s = 0; m->n_segments > 1 && s < m->n_segments; s++)
            table_row(t, m->segments[s].name, r, results_segment_scope(m, s), journey_cols, N_JOURNEY);
        table_end(t);
    }
    if (p->n > 0) heading(t, "Plots");
    for (int i = 0; i < p->n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.png", p->dir, p->names[i]);
        fputs("<figure><img alt=\"", t->html);
        html_text(t->html, p->titles[i]);
        fputs("\" src=\"", t->html);
        put_png_uri(t->html, path);
        fputs("\"><figcaption>", t->html);
        html_text(t->html, p->titles[i]);
        fputs("</figcaption></figure>\n", t->html);
        fprintf(t->md, "![%s](%s.png)\n\n", p->titles[i], p->names[i]);
    }
    if (p->n_skipped > 0) {
        snprintf(buf, sizeof buf, "%d plots skipped: %.300s", p->n_skipped, p->why);
        fputs("<p>", t->html);
        html_text(t->html, buf);
        fputs("</p>\n", t->html);
        fprintf(t->md, "%s\n\n", buf);
    }
    for (int c = 0; m->mode == MODE_DAY && c < m->n_channels; c++) {
        snprintf(buf, sizeof buf, "Per interval: %s (by arrival interval)", m->channels[c].name);
        heading(t, buf);
        table_begin(t, "interval", headline, N_HEADLINE);
        for (int i = 0; i < model_total_intervals(m); i++) {
            char label[32];
            interval_label(label, sizeof label, m, i);
            table_row(t, label, r, results_interval_scope(m, i, c), headline, N_HEADLINE);
        }
        table_end(t);
    }
    heading(t, "Configuration");
    fputs("<p>", t->html);
    html_text(t->html, meta->config_path);
    fputs(", after every override:</p>\n<pre>", t->html);
    fprintf(t->md, "`%s`, after every override:\n\n```json\n", meta->config_path);
    if (m->effective_config != NULL) {
        html_text(t->html, m->effective_config);
        fputs(m->effective_config, t->md);
    }
    fputs("</pre>\n", t->html);
    fputs("\n```\n", t->md);
}

int report_files(const char *dir, const struct report_meta *meta, const struct model_spec *m,
                 const struct results *r)
{
    struct plotter p;
    if (plot_begin(&p, dir) != 0) return -1;
    plot_run(&p, m, r);
    char hpath[4096], mpath[4096];
    snprintf(hpath, sizeof hpath, "%s/report.html", dir);
    snprintf(mpath, sizeof mpath, "%s/report.md", dir);
    struct outfile h, md;
    if (outfile_open(&h, hpath) != 0) {
        warn("cannot write '%s':", hpath);
        plot_finish(&p);
        return -1;
    }
    if (outfile_open(&md, mpath) != 0) {
        warn("cannot write '%s':", mpath);
        outfile_abort(&h);
        plot_finish(&p);
        return -1;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ccsim report: ", h.f);
    html_text(h.f, meta->config_path);
    fputs("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
          "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em "
          ".6em;text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f0f3f8}"
          "img{max-width:100%}figure{margin:1.5em 0}figcaption{color:#555}pre{white-space:pre-wrap;"
          "word-break:break-all;background:#f7f7f7;padding:1em;font-size:85%}</style></head><body>\n"
          "<h1>ccsim report: ",
          h.f);
    html_text(h.f, meta->config_path);
    fputs("</h1>\n", h.f);
    fprintf(md.f, "# ccsim report: %s\n\n", meta->config_path);
    struct table t = {h.f, md.f};
    write_body(&t, meta, m, r, &p);
    fputs("</body></html>\n", h.f);
    plot_finish(&p);
    int rc = 0;
    if (outfile_commit(&h) != 0) {
        warn("cannot write '%s':", hpath);
        rc = -1;
    }
    if (outfile_commit(&md) != 0) {
        warn("cannot write '%s':", mpath);
        rc = -1;
    }
    return rc;
}
