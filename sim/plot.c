/* plot: gnuplot through a pipe (popen), one script per plot drawing PNG then SVG.  The data
 * goes in a file beside the pictures, so a reader can redraw or check it. */
#include "plot.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

int plot_begin(struct plotter *p, const char *dir)
{
    memset(p, 0, sizeof *p);
    if (strpbrk(dir, "'\"\n\\") != NULL) {
        warn("--plots '%s': the directory name may not hold quotes, backslashes or newlines", dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        warn("cannot create '%s':", dir);
        return -1;
    }
    p->dir = xstrdup(dir);
    return 0;
}

static void skip(struct plotter *p, const char *name)
{
    size_t len = strlen(p->skipped);
    snprintf(p->skipped + len, sizeof p->skipped - len, "%s%s", p->n_skipped ? ", " : "", name);
    p->n_skipped++;
}

/* DIR/name.ext, in buf. */
static const char *path_in(const struct plotter *p, const char *name, const char *ext, char *buf,
                           size_t cap)
{
    snprintf(buf, cap, "%s/%s.%s", p->dir, name, ext);
    return buf;
}

/* Opens NAME.dat for the caller to fill; NULL when plotting is off. */
static FILE *data_file(struct plotter *p, const char *name)
{
    if (p->broken) {
        skip(p, name);
        return NULL;
    }
    char path[4096];
    FILE *f = fopen(path_in(p, name, "dat", path, sizeof path), "w");
    if (f == NULL) {
        p->broken = 1;
        snprintf(p->why, sizeof p->why, "cannot write %s: %s", path, strerror(errno));
        skip(p, name);
    }
    return f;
}

/* A label gnuplot reads as one column: double-quoted, with no quotes inside. */
static void put_label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
    fputc('"', f);
}

/* Runs gnuplot on the plot's script: PNG then SVG, both from the same commands.  A failure
 * (gnuplot missing, or an error) stops all later plots. */
static void draw(struct plotter *p, FILE *data, const char *name, const char *title,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void draw(struct plotter *p, FILE *data, const char *name, const char *title,
                 const char *fmt, ...)
{
    if (fclose(data) != 0) {
        p->broken = 1;
        snprintf(p->why, sizeof p->why, "cannot write the data of %s", name);
        skip(p, name);
        return;
    }
    char body[8192], cmd[4300], log[4200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    path_in(p, name, "log", log, sizeof log);
    snprintf(cmd, sizeof cmd, "gnuplot 2>'%s'", log);
    /* A gnuplot that is missing or dies must not take ccsim with it (SIGPIPE on the pipe). */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *g = popen(cmd, "w");
    int status = -1;
    if (g != NULL) {
        fprintf(g, "cd '%s'\nset encoding utf8\n", p->dir);
        static const char *const terms[] = {
            "pngcairo size 1000,560 font 'Sans,11'", "svg size 1000,560 dynamic font 'Sans,11'"};
        static const char *const exts[] = {"png", "svg"};
        for (int t = 0; t < 2; t++) {
            /* noenhanced: names hold underscores, which enhanced text takes for subscripts. */
            fprintf(g, "set terminal %s\nset termoption noenhanced\nset output '%s.%s'\n", terms[t],
                    name, exts[t]);
            fprintf(g, "set title ");
            put_label(g, title);
            fprintf(g, "\nset grid ytics lc rgb '#dddddd'\nset border 3\nset tics nomirror\n%s\n"
                       "set output\nreset\n",
                    body);
        }
        status = pclose(g);
    }
    signal(SIGPIPE, old);
    if (status == 0) {
        remove(log);
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 16;
            p->names = xrealloc(p->names, (size_t)p->cap * sizeof *p->names);
            p->titles = xrealloc(p->titles, (size_t)p->cap * sizeof *p->titles);
        }
        p->names[p->n] = xstrdup(name);
        p->titles[p->n++] = xstrdup(title);
        return;
    }
    p->broken = 1;
    int code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 127) {
        snprintf(p->why, sizeof p->why, "gnuplot was not found (install the Debian package "
                                        "gnuplot-nox)");
    } else {
        char first[200] = "";
        FILE *f = fopen(log, "r");
        if (f != NULL) {
            while (fgets(first, sizeof first, f) && first[strspn(first, " \t\n^")] == '\0') {
            }
            fclose(f);
        }
        first[strcspn(first, "\n")] = '\0';
        snprintf(p->why, sizeof p->why, "gnuplot failed on %s (exit %d)%s%s", name, code,
                 first[0] ? ": " : "", first);
    }
    remove(log);
    skip(p, name);
}

void plot_finish(struct plotter *p)
{
    if (p->n_skipped > 0)
        fprintf(stderr, "ccsim: %d plot%s skipped (%s): %s; the results are written\n",
                p->n_skipped, p->n_skipped == 1 ? "" : "s", p->skipped, p->why);
    for (int i = 0; i < p->n; i++) {
        free(p->names[i]);
        free(p->titles[i]);
    }
    free(p->names);
    free(p->titles);
    free(p->dir);
    memset(p, 0, sizeof *p);
}

/* ==== Run plots ==== */

static double mean_of(const struct results *r, int scope, int metric)
{
    return r->summary[scope * MET_N + metric].mean;
}

static double ci_of(const struct results *r, int scope, int metric)
{
    double h = r->summary[scope * MET_N + metric].ci95;
    return isfinite(h) ? h : 0;
}

static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, " %.10g", v);
    else
        fputs(" NaN", f);
}

/* The interval's label on the x axis: HH:MM, with the day when there are several. */
static void put_interval(FILE *f, const struct model_spec *m, int i)
{
    char label[32];
    int mins = (int)lround(model_interval_clock_s(m, i) / 60);
    if (m->n_days > 1)
        snprintf(label, sizeof label, "d%d %02d:%02d", i / m->n_intervals + 1, mins / 60 % 100,
                 mins % 60);
    else
        snprintf(label, sizeof label, "%02d:%02d", mins / 60 % 100, mins % 60);
    put_label(f, label);
}

/* The x axis of the per-interval plots: one tic per interval, labelled every few. */
static const char *interval_axis(const struct model_spec *m, char *buf, size_t cap)
{
    int every = model_total_intervals(m) > 24 ? (model_total_intervals(m) + 11) / 12 : 1;
    snprintf(buf, cap, "set xlabel 'interval start'\nset xtics rotate by -45\nevery = %d\n", every);
    return buf;
}

/* Per-interval metric per channel: one column per channel, in percent. */
static void interval_channels(struct plotter *p, const struct model_spec *m,
                              const struct results *r, const char *name, const char *title,
                              int metric, const char *ylabel, int with_target)
{
    FILE *f = data_file(p, name);
    if (f == NULL) return;
    fputs("interval", f);
    for (int c = 0; c < m->n_channels; c++) {
        fputc(' ', f);
        put_label(f, m->channels[c].name);
    }
    for (int c = 0; with_target && c < m->n_channels; c++) {
        char t[300];
        snprintf(t, sizeof t, "%s target", m->channels[c].name);
        fputc(' ', f);
        put_label(f, t);
    }
    fputc('\n', f);
    for (int i = 0; i < model_total_intervals(m); i++) {
        put_interval(f, m, i);
        for (int c = 0; c < m->n_channels; c++)
            put_num(f, 100 * mean_of(r, results_interval_scope(m, i, c), metric));
        for (int c = 0; with_target && c < m->n_channels; c++)
            put_num(f, 100 * m->channels[c].sl_target);
        fputc('\n', f);
    }
    char axis[256];
    draw(p, f, name, title,
         "%sset ylabel '%s'\nset yrange [0:*]\nset key outside right top\nn = %d\n"
         "plot for [c=2:n+1] '%s.dat' using 0:c:xtic(int($0) %% every == 0 ? stringcolumn(1) : '') "
         "with linespoints lw 2 pt 7 ps 0.6 title columnheader(c)%s",
         interval_axis(m, axis, sizeof axis), ylabel, m->n_channels, name,
         with_target ? ", for [c=n+2:2*n+1] '' using 0:c with lines dt 2 lw 1.5 title columnheader(c)"
                     : "");
}

static void plot_intervals(struct plotter *p, const struct model_spec *m, const struct results *r)
{
    int nt = model_total_intervals(m);
    char axis[256];
    FILE *f = data_file(p, "intervals_offered_staffed");
    if (f != NULL) {
        fputs("interval offered staffed_agents\n", f);
        for (int i = 0; i < nt; i++) {
            double staffed = 0;
            for (int g = 0; g < m->n_groups; g++)
                staffed += mean_of(r, results_group_scope(m, g, 1 + i), MET_STAFFED_AGENTS);
            put_interval(f, m, i);
            put_num(f, mean_of(r, results_interval_scope(m, i, m->n_channels), MET_OFFERED));
            put_num(f, staffed);
            fputc('\n', f);
        }
        draw(p, f, "intervals_offered_staffed", "Offered contacts and staffed agents per interval",
             "%sset ylabel 'contacts offered per interval'\nset y2label 'staffed agents (time average)'\n"
             "set y2tics\nset yrange [0:*]\nset y2range [0:*]\nset style fill solid 0.5 border -1\n"
             "set boxwidth 0.7\nset key outside right top\n"
             "plot 'intervals_offered_staffed.dat' using 0:2:xtic(int($0) %% every == 0 ? stringcolumn(1) : '') "
             "with boxes lc rgb '#4477aa' title 'offered', '' using 0:3 axes x1y2 with linespoints "
             "lw 2 pt 7 lc rgb '#ee6677' title 'staffed agents'",
             interval_axis(m, axis, sizeof axis));
    }
    interval_channels(p, m, r, "intervals_service_level", "Service level per interval, against its target",
                      MET_SL, "answered within the threshold (%)", 1);
    interval_channels(p, m, r, "intervals_abandonment", "Abandonment per interval", MET_ABANDON_RATE,
                      "abandoned (% of offered)", 0);
    f = data_file(p, "intervals_occupancy");
    if (f == NULL) return;
    fputs("interval", f);
    for (int g = 0; g < m->n_groups; g++) {
        fputc(' ', f);
        put_label(f, m->groups[g].name);
    }
    fputc('\n', f);
    for (int i = 0; i < nt; i++) {
        put_interval(f, m, i);
        for (int g = 0; g < m->n_groups; g++)
            put_num(f, 100 * mean_of(r, results_group_scope(m, g, 1 + i), MET_OCCUPANCY));
        fputc('\n', f);
    }
    draw(p, f, "intervals_occupancy", "Occupancy per agent group and interval",
         "%sset ylabel 'occupancy (%%)'\nset yrange [0:100]\nset key outside right top\nn = %d\n"
         "plot for [c=2:n+1] 'intervals_occupancy.dat' using 0:c:xtic(int($0) %% every == 0 ? "
         "stringcolumn(1) : '') with linespoints lw 2 pt 7 ps 0.6 title columnheader(c)",
         interval_axis(m, axis, sizeof axis), m->n_groups);
}

/* Wait-time CDF of answered contacts per channel, from the histogram merged over replications:
 * one data block per channel (gnuplot's index), up to the 99.5th percentile. */
static void plot_wait_cdf(struct plotter *p, const struct model_spec *m, const struct results *r)
{
    FILE *f = data_file(p, "wait_cdf");
    if (f == NULL) return;
    double top = 1;
    for (int c = 0; c < m->n_channels; c++) {
        double q = hist_quantile(&r->waits[c], 0.995);
        if (isfinite(q) && q > top) top = q;
    }
    int blocks = 0;
    for (int c = 0; c < m->n_channels; c++) {
        const struct hist *h = &r->waits[c];
        if (h->total == 0) continue;
        if (blocks++) fputs("\n\n", f);
        fputs("wait_s ", f);
        put_label(f, m->channels[c].name);
        fputc('\n', f);
        uint64_t cum = 0;
        fprintf(f, "0 %.10g\n", (double)h->count[0] / (double)h->total);
        for (int b = 0; b < HIST_BINS; b++) {
            cum += h->count[b];
            double x = b == 0 ? 0 : hist_bin_hi(b);
            if (b > 0 && h->count[b] > 0 && x <= top * 1.05)
                fprintf(f, "%.10g %.10g\n", x, (double)cum / (double)h->total);
        }
        fprintf(f, "%.10g %.10g\n", top * 1.05, (double)cum / (double)h->total);
    }
    if (blocks == 0) fputs("wait_s none\n0 0\n", f);
    draw(p, f, "wait_cdf", "Waiting time of answered contacts (cumulative distribution)",
         "set xlabel 'wait (s)'\nset ylabel 'answered within (%%)'\nset yrange [0:100]\n"
         "set xrange [0:%g]\nset key right bottom\n"
         "plot for [i=0:%d] 'wait_cdf.dat' index i using 1:($2*100) with steps lw 2 title "
         "columnheader(2)",
         top * 1.05, blocks > 0 ? blocks - 1 : 0);
}

void plot_bars(struct plotter *p, const char *name, const char *title, const char *ylabel, int n,
               char *const *labels, const double *mean, const double *ci95)
{
    FILE *f = data_file(p, name);
    if (f == NULL) return;
    fputs("# label mean ci95\n", f);
    int negative = 0;
    for (int i = 0; i < n; i++) {
        negative |= isfinite(mean[i]) && mean[i] < 0;
        put_label(f, labels[i]);
        put_num(f, mean[i]);
        put_num(f, isfinite(ci95[i]) ? ci95[i] : 0);
        fputc('\n', f);
    }
    char y[256];
    snprintf(y, sizeof y, "%s", ylabel);
    for (char *q = y; *q; q++)
        if (*q == '\'') *q = ' ';
    draw(p, f, name, title,
         "set ylabel '%s'\nset style fill solid 0.6 border -1\nset boxwidth 0.6\nset xrange [-0.6:%d.6]\n"
         "set yrange [%s:*]\nset offsets 0, 0, graph 0.1, 0\nset xtics rotate by -20\nunset key\n"
         "plot '%s.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', '' using 0:2:3 with "
         "yerrorbars lc rgb 'black' pt 0 lw 1.5",
         y, n - 1, negative ? "*" : "0", name);
}

void plot_curves(struct plotter *p, const char *name, const char *title, const char *xlabel,
                 const char *ylabel, int n_series, char *const *series, const int *n_points,
                 const double *x, const double *mean, const double *ci95)
{
    FILE *f = data_file(p, name);
    if (f == NULL) return;
    for (int s = 0, at = 0; s < n_series; s++) {
        if (s) fputs("\n\n", f);
        fputs("x ", f);
        put_label(f, series[s]);
        fputs(" ci95\n", f);
        for (int i = 0; i < n_points[s]; i++, at++) {
            put_num(f, x[at]);
            put_num(f, mean[at]);
            put_num(f, isfinite(ci95[at]) ? ci95[at] : 0);
            fputc('\n', f);
        }
    }
    char xl[256], yl[256];
    snprintf(xl, sizeof xl, "%s", xlabel);
    snprintf(yl, sizeof yl, "%s", ylabel);
    for (char *q = xl; *q; q++)
        if (*q == '\'') *q = ' ';
    for (char *q = yl; *q; q++)
        if (*q == '\'') *q = ' ';
    draw(p, f, name, title,
         "set xlabel '%s'\nset ylabel '%s'\nset key outside right top box\nset yrange [0:*]\n"
         "set offsets graph 0.03, graph 0.03, 0, 0\n"
         "plot for [i=0:%d] '%s.dat' index i using 1:2:3 with yerrorlines lw 2 pt 7 ps 0.8 "
         "title columnheader(2)",
         xl, yl, n_series - 1, name);
}

static void plot_journeys(struct plotter *p, const struct model_spec *m, const struct results *r)
{
    int n = 1 + (m->n_segments > 1 ? m->n_segments : 0);
    char **labels = xcalloc((size_t)n, sizeof *labels);
    double *mean = xcalloc((size_t)n, sizeof *mean), *ci = xcalloc((size_t)n, sizeof *ci);
    static const int metrics[] = {MET_CONTACTS_PER_ISSUE, MET_TIME_TO_RESOLUTION};
    static const char *const names[] = {"journeys_contacts_per_issue", "journeys_time_to_resolution"};
    static const char *const titles[] = {"Contacts per customer issue (ended issues)",
                                         "Time to resolution (resolved issues)"};
    static const char *const ylabels[] = {"contacts per issue", "time to resolution (min)"};
    for (int k = 0; k < 2; k++) {
        double scale = metrics[k] == MET_TIME_TO_RESOLUTION ? 1.0 / 60 : 1;
        for (int i = 0; i < n; i++) {
            int scope = i == 0 ? 0 : results_segment_scope(m, i - 1);
            labels[i] = (char *)(i == 0 ? "all customers" : m->segments[i - 1].name);
            mean[i] = mean_of(r, scope, metrics[k]) * scale;
            ci[i] = ci_of(r, scope, metrics[k]) * scale;
        }
        plot_bars(p, names[k], titles[k], ylabels[k], n, labels, mean, ci);
    }
    free(labels);
    free(mean);
    free(ci);
}

void plot_run(struct plotter *p, const struct model_spec *m, const struct results *r)
{
    if (m->mode == MODE_DAY) plot_intervals(p, m, r);
    plot_wait_cdf(p, m, r);
    if (m->journeys_modelled) plot_journeys(p, m, r);
}
