/* requirements: `ccsim staff` output read back (requirements.h). */
#include "requirements.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json_object.h>
#include <json-c/json_tokener.h>
#include <json-c/linkhash.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = xrealloc(buf, (cap *= 2) + 1);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The interval a row names, from its day (from 0) and start (s after midnight); -1 off the grid. */
static int interval_of(const struct model_spec *m, long day, double start_s)
{
    double k = (start_s - m->day_start_s) / m->interval_s;
    long i = lround(k);
    if (fabs(k - (double)i) > 1e-6 || i < 0 || i >= m->n_intervals || day < 0 || day >= m->n_days)
        return -1;
    return (int)(day * m->n_intervals + i);
}

static int group_index(const struct model_spec *m, const char *name)
{
    for (int g = 0; g < m->n_groups; g++)
        if (strcmp(m->groups[g].name, name) == 0) return g;
    return -1;
}

/* Splits one CSV line in place into at most cap fields (quotes removed; "" inside quotes is ").
 * Returns the count. */
static int csv_fields(char *line, char **fields, int cap)
{
    int n = 0;
    char *p = line;
    while (n < cap) {
        char *out = p;
        fields[n++] = out;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *out++ = *p++;
            }
            if (*p == '"') p++;
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
        }
        int more = *p == ',';
        *out = '\0';
        if (!more) break;
        p++;
    }
    return n;
}

static int read_csv(const char *path, char *text, const struct model_spec *m, double *required,
                    int *given, struct diag *d)
{
    int nt = model_total_intervals(m), errors = 0, col_day = -1, col_start = -1, col_group = -1,
        col_agents = -1, line_no = 0;
    unsigned char *seen = xcalloc((size_t)m->n_groups * nt + 1, 1);
    /* Excel writes a UTF-8 byte order mark before the header. */
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3;
    for (char *line = text, *next; line != NULL; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next != NULL) *next++ = '\0';
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
        if (len == 0) continue;
        char *f[16];
        int nf = csv_fields(line, f, 16);
        if (col_agents < 0) {
            for (int k = 0; k < nf; k++) {
                if (strcmp(f[k], "day") == 0)
                    col_day = k;
                else if (strcmp(f[k], "start_s") == 0)
                    col_start = k;
                else if (strcmp(f[k], "group") == 0)
                    col_group = k;
                else if (strcmp(f[k], "agents") == 0)
                    col_agents = k;
            }
            if (col_start < 0 || col_group < 0 || col_agents < 0) {
                diag_add(
                    d, path, line_no,
                    "a header with start_s, group and agents expected (the CSV of ccsim staff)");
                free(seen);
                return -1;
            }
            if (col_day < 0 && m->n_days > 1) {
                diag_add(d, path, line_no, "a day column expected: the config has %d days",
                         m->n_days);
                free(seen);
                return -1;
            }
            continue;
        }
        int need = col_day > col_start ? col_day : col_start;
        if (col_group > need) need = col_group;
        if (col_agents > need) need = col_agents;
        if (nf <= need) {
            diag_add(d, path, line_no, "%d fields, %d expected", nf, need + 1);
            errors++;
            continue;
        }
        char *end;
        errno = 0;
        long day = col_day >= 0 ? strtol(f[col_day], &end, 10) : 0;
        if (col_day >= 0 && (*end != '\0' || end == f[col_day])) {
            diag_add(d, path, line_no, "day: a whole number expected, got '%s'", f[col_day]);
            errors++;
            continue;
        }
        double start_s = strtod(f[col_start], &end);
        if (*end != '\0' || end == f[col_start]) {
            diag_add(d, path, line_no, "start_s: seconds after midnight expected, got '%s'",
                     f[col_start]);
            errors++;
            continue;
        }
        double agents = strtod(f[col_agents], &end);
        if (*end != '\0' || end == f[col_agents] || !(agents >= 0) || !isfinite(agents)) {
            diag_add(d, path, line_no, "agents: a number >= 0 expected, got '%s'", f[col_agents]);
            errors++;
            continue;
        }
        int g = group_index(m, f[col_group]);
        if (g < 0) {
            diag_add(d, path, line_no, "group: the config has no group '%s'", f[col_group]);
            errors++;
            continue;
        }
        int i = interval_of(m, day, start_s);
        if (i < 0) {
            diag_add(d, path, line_no,
                     "day %ld, start_s %g: not an interval of the config's day grid", day, start_s);
            errors++;
            continue;
        }
        if (seen[(size_t)g * nt + i]++) {
            diag_add(d, path, line_no,
                     "group '%s', day %ld, start_s %g: a second row for the same interval",
                     f[col_group], day, start_s);
            errors++;
            continue;
        }
        required[(size_t)g * nt + i] = agents;
        given[g] = 1;
    }
    free(seen);
    if (col_agents < 0) {
        diag_add(d, path, 0, "empty: the CSV or JSON of ccsim staff expected");
        return -1;
    }
    return errors ? -1 : 0;
}

static int line_at(const char *text, size_t offset)
{
    int line = 1;
    for (size_t k = 0; k < offset && text[k]; k++)
        line += text[k] == '\n';
    return line;
}

static int read_json(const char *path, const char *text, size_t len, const struct model_spec *m,
                     double *required, int *given, struct diag *d)
{
    struct json_tokener *tok = json_tokener_new();
    struct json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error err = json_tokener_get_error(tok);
    if (root == NULL || err != json_tokener_success) {
        diag_add(d, path, line_at(text, json_tokener_get_parse_end(tok)), "JSON: %s",
                 err == json_tokener_continue ? "the text ends early"
                                              : json_tokener_error_desc(err));
        json_tokener_free(tok);
        json_object_put(root);
        return -1;
    }
    json_tokener_free(tok);
    int nt = model_total_intervals(m), errors = 0;
    unsigned char *seen = xcalloc((size_t)m->n_groups * nt + 1, 1);
    struct json_object *intervals;
    if (!json_object_object_get_ex(root, "intervals", &intervals) ||
        !json_object_is_type(intervals, json_type_array)) {
        diag_add(d, path, 0, "an \"intervals\" array expected (the JSON of ccsim staff)");
        free(seen);
        json_object_put(root);
        return -1;
    }
    size_t n = json_object_array_length(intervals);
    for (size_t k = 0; k < n; k++) {
        struct json_object *row = json_object_array_get_idx(intervals, k), *day_o, *start_o,
                           *groups;
        if (!json_object_is_type(row, json_type_object) ||
            !json_object_object_get_ex(row, "start_s", &start_o) ||
            !json_object_object_get_ex(row, "groups", &groups) ||
            !json_object_is_type(groups, json_type_object)) {
            diag_add(d, path, 0, "intervals[%zu]: \"start_s\" and a \"groups\" object expected", k);
            errors++;
            continue;
        }
        long day =
            json_object_object_get_ex(row, "day", &day_o) ? (long)json_object_get_int64(day_o) : 0;
        int i = interval_of(m, day, json_object_get_double(start_o));
        if (i < 0) {
            diag_add(
                d, path, 0,
                "intervals[%zu]: day %ld, start_s %g: not an interval of the config's day grid", k,
                day, json_object_get_double(start_o));
            errors++;
            continue;
        }
        json_object_object_foreach(groups, name, value)
        {
            int g = group_index(m, name);
            double agents = json_object_get_double(value);
            if (g < 0) {
                diag_add(d, path, 0, "intervals[%zu].groups: the config has no group '%s'", k,
                         name);
                errors++;
            } else if (!(json_object_is_type(value, json_type_int) ||
                         json_object_is_type(value, json_type_double)) ||
                       !(agents >= 0)) {
                diag_add(d, path, 0, "intervals[%zu].groups.%s: a number >= 0 expected", k, name);
                errors++;
            } else if (seen[(size_t)g * nt + i]++) {
                diag_add(d, path, 0,
                         "intervals[%zu].groups.%s: a second entry for the same interval", k, name);
                errors++;
            } else {
                required[(size_t)g * nt + i] = agents;
                given[g] = 1;
            }
        }
    }
    free(seen);
    json_object_put(root);
    return errors ? -1 : 0;
}

int requirements_read(const char *path, const struct model_spec *m, double *required, int *given,
                      struct diag *d)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (text == NULL) {
        diag_add(d, path, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (m->mode != MODE_DAY) {
        diag_add(d, path, 0, "requirements per interval need a config in mode \"day\"");
        free(text);
        return -1;
    }
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    int rc = *p == '{' ? read_json(path, text, len, m, required, given, d)
                       : read_csv(path, text, m, required, given, d);
    free(text);
    return rc;
}
