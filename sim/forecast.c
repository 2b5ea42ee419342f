/* forecast: CSV interval tables.  The reader is strict (every row the same width, every value a
 * finite number >= 0, starts exactly on the planning grid) because a silently misaligned forecast
 * is worse than an error. */
#include "forecast.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits line in place into at most cap fields (RFC 4180 quotes, "" inside quotes). */
static int split_fields(char *line, char **fields, int cap)
{
    int n = 0;
    char *p = line;
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    for (;;) {
        if (n == cap) return -1;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            char *out = ++p;
            fields[n++] = out;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *out++ = *p++;
            }
            if (*p == '"') p++;
            *out = '\0';
            while (*p && *p != ',')
                p++;
        } else {
            fields[n++] = p;
            while (*p && *p != ',')
                p++;
        }
        char *end = p;
        if (*p == ',') *p++ = '\0';
        else {
            while (end > fields[n - 1] && (end[-1] == ' ' || end[-1] == '\t'))
                *--end = '\0';
            return n;
        }
        while (end > fields[n - 1] && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
    }
}

static double parse_clock(const char *s)
{
    int h, m;
    if (scan_clock(s, &h, &m) != 0 || h < 0 || h > 24 || m < 0 || m > 59)
        return -1;
    return h * 3600.0 + m * 60.0;
}

#define MAX_FIELDS 1024

int forecast_read(struct forecast *t, const char *path, int n_intervals, int n_days,
                  double start_s, double interval_s, struct diag *d)
{
    memset(t, 0, sizeof *t);
    t->path = xstrdup(path);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        diag_add(d, NULL, 0, "cannot open '%s': %s", path, strerror(errno));
        forecast_free(t);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    char **fields = xcalloc(MAX_FIELDS, sizeof *fields);
    int lineno = 0, errors = 0, rows_cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        int n = split_fields(line, fields, MAX_FIELDS);
        if (n == 1 && fields[0][0] == '\0') continue; /* blank line */
        if (n < 0) {
            diag_add(d, path, lineno, "more than %d columns", MAX_FIELDS - 1);
            errors++;
            break;
        }
        if (t->names == NULL) {
            if (strcmp(fields[0], "start") != 0 || n < 2) {
                diag_add(d, path, lineno, "header 'start,NAME,...' expected");
                errors++;
                break;
            }
            t->n_cols = n - 1;
            t->names = xcalloc((size_t)t->n_cols, sizeof *t->names);
            t->col_used = xcalloc((size_t)t->n_cols, sizeof *t->col_used);
            for (int c = 0; c < t->n_cols; c++)
                t->names[c] = xstrdup(fields[c + 1]);
            continue;
        }
        if (n != t->n_cols + 1) {
            diag_add(d, path, lineno, "%d fields, expected %d as in the header", n, t->n_cols + 1);
            errors++;
            continue;
        }
        int row = t->n_rows++;
        double want = start_s + (row % n_intervals) * interval_s;
        double got = parse_clock(fields[0]);
        if (got != want) {
            int wm = (int)lround(want / 60);
            diag_add(d, path, lineno, "start: %02d:%02d expected, got '%s'", wm / 60, wm % 60,
                     fields[0]);
            errors++;
        }
        if (t->n_rows > rows_cap) {
            rows_cap = rows_cap ? 2 * rows_cap : 64;
            t->values = xrealloc(t->values, (size_t)rows_cap * t->n_cols * sizeof *t->values);
        }
        for (int c = 0; c < t->n_cols; c++) {
            char *end;
            double v = strtod(fields[c + 1], &end);
            if (end == fields[c + 1] || *end != '\0' || !isfinite(v) || v < 0) {
                diag_add(d, path, lineno, "%s: number >= 0 expected, got '%s'", t->names[c],
                         fields[c + 1]);
                errors++;
                v = 0;
            }
            t->values[(size_t)row * t->n_cols + c] = v;
        }
    }
    free(line);
    free(fields);
    fclose(f);
    if (errors == 0 && t->names == NULL) {
        diag_add(d, path, 0, "empty file: header 'start,NAME,...' expected");
        errors++;
    }
    if (errors == 0 && t->n_rows != n_intervals && t->n_rows != n_intervals * n_days) {
        if (n_days == 1)
            diag_add(d, path, 0, "%d rows, expected %d (one per interval)", t->n_rows, n_intervals);
        else
            diag_add(d, path, 0, "%d rows, expected %d (one day) or %d (every day)", t->n_rows,
                     n_intervals, n_intervals * n_days);
        errors++;
    }
    if (errors) {
        forecast_free(t);
        return -1;
    }
    return 0;
}

int forecast_column(const struct forecast *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++)
        if (strcmp(t->names[c], name) == 0) return c;
    return -1;
}

void forecast_free(struct forecast *t)
{
    if (t == NULL) return;
    for (int c = 0; c < t->n_cols && t->names; c++)
        free(t->names[c]);
    free(t->names);
    free(t->values);
    free(t->col_used);
    free(t->path);
    memset(t, 0, sizeof *t);
}
