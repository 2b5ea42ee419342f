/* sweep_grid: the grid of a sweep, from --grid flags (KEY=FROM:TO:STEP or KEY=V1,V2,...) or
 * from a sweep file (libconfig: grid = ( { key = ...; values = [ ... ]; } or { key = ...;
 * from = ...; to = ...; step = ...; } )).  Each axis keeps its values as the --set text, so a
 * point is a list of overrides.  Kept apart from cmd_sweep so the fuzzers can reach the file
 * parser; it never exits and never prints. */
#include "sweep_grid.h"

#include "util.h"

#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sweep_axis_free(struct axis *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->values[i]);
    free(a->values);
    free(a->key);
}

static void axis_add(struct axis *a, const char *v)
{
    a->values = xrealloc(a->values, ((size_t)a->n + 1) * sizeof *a->values);
    a->values[a->n++] = xstrdup(v);
}

/* FROM:TO:STEP, TO included (to rounding): the values, written back as %.10g. */
static int axis_range(struct axis *a, double from, double to, double step)
{
    if (!(step > 0) || !(to >= from) || (to - from) / step > 1e6) return -1;
    long n = (long)floor((to - from) / step + 1e-9) + 1;
    for (long i = 0; i < n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.10g", from + (double)i * step);
        axis_add(a, buf);
    }
    return 0;
}

int sweep_grid_parse(const char *arg, struct axis *a)
{
    const char *eq = strchr(arg, '=');
    memset(a, 0, sizeof *a);
    if (eq == NULL || eq == arg || eq[1] == '\0') return -1;
    a->key = xmalloc((size_t)(eq - arg) + 1);
    memcpy(a->key, arg, (size_t)(eq - arg));
    a->key[eq - arg] = '\0';
    const char *spec = eq + 1;
    double from, to, step;
    if (strchr(spec, ':') != NULL) {
        const char *p = spec;
        if (scan_double(&p, &from) != 0 || *p++ != ':' || scan_double(&p, &to) != 0 ||
            *p++ != ':' || scan_double(&p, &step) != 0 || *p != '\0')
            return -1;
        return axis_range(a, from, to, step);
    }
    char *copy = xstrdup(spec), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        axis_add(a, t);
    free(copy);
    return a->n > 0 ? 0 : -1;
}

static double number_value(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                       : (double)config_setting_get_int64(s);
}

int sweep_grid_load(const char *path, struct axis **axes, int *n_axes, struct diag *d)
{
    config_t c;
    if (diag_read_config(&c, path, "cannot read the sweep file", d) != 0) return -1;
    const config_setting_t *grid = config_lookup(&c, "grid");
    int rc = 0;
    if (grid == NULL || !config_setting_is_list(grid) || config_setting_length(grid) == 0) {
        diag_add(d, path, grid ? (int)config_setting_source_line(grid) : 0,
                 "grid: a list ( { key = \"...\"; values = [ ... ]; }, ... ) expected");
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < config_setting_length(grid); i++) {
        const config_setting_t *e = config_setting_get_elem(grid, (unsigned)i);
        const char *key = NULL;
        int line = (int)config_setting_source_line(e);
        if (!config_setting_is_group(e) || !config_setting_lookup_string(e, "key", &key)) {
            diag_add(d, path, line, "grid.[%d]: a group with key = \"...\" expected", i);
            rc = -1;
            break;
        }
        *axes = xrealloc(*axes, ((size_t)*n_axes + 1) * sizeof **axes);
        struct axis *a = &(*axes)[(*n_axes)++];
        memset(a, 0, sizeof *a);
        a->key = xstrdup(key);
        const config_setting_t *values = config_setting_get_member(e, "values");
        if (values != NULL && config_setting_is_aggregate(values)) {
            for (int k = 0; k < config_setting_length(values); k++) {
                const config_setting_t *v = config_setting_get_elem(values, (unsigned)k);
                char buf[256];
                if (config_setting_is_aggregate(v) || config_setting_type(v) == CONFIG_TYPE_BOOL) {
                    diag_add(d, path, (int)config_setting_source_line(v),
                             "grid.[%d].values: numbers or strings expected (a sweep sets scalar keys)",
                             i);
                    rc = -1;
                    break;
                }
                if (config_setting_type(v) == CONFIG_TYPE_STRING)
                    snprintf(buf, sizeof buf, "%s", config_setting_get_string(v));
                else if (config_setting_type(v) == CONFIG_TYPE_FLOAT)
                    snprintf(buf, sizeof buf, "%.10g", config_setting_get_float(v));
                else
                    snprintf(buf, sizeof buf, "%lld", config_setting_get_int64(v));
                axis_add(a, buf);
            }
        } else if (config_setting_get_member(e, "from") != NULL) {
            const config_setting_t *f = config_setting_get_member(e, "from"),
                                   *t = config_setting_get_member(e, "to"),
                                   *s = config_setting_get_member(e, "step");
            if (t == NULL || s == NULL) {
                diag_add(d, path, line, "grid.[%d]: from needs to and step", i);
                rc = -1;
                break;
            }
            if (!config_setting_is_number(f) || !config_setting_is_number(t) || !config_setting_is_number(s)) {
                diag_add(d, path, line, "grid.[%d]: from, to and step must be numbers", i);
                rc = -1;
                break;
            }
            if (axis_range(a, number_value(f), number_value(t), number_value(s)) != 0) {
                diag_add(d, path, line, "grid.[%d]: from <= to and step > 0 expected", i);
                rc = -1;
            }
        } else {
            diag_add(d, path, line, "grid.[%d]: values = [ ... ], or from, to and step, expected", i);
            rc = -1;
        }
        if (rc == 0 && a->n == 0) {
            diag_add(d, path, line, "grid.[%d]: no values", i);
            rc = -1;
        }
    }
    config_destroy(&c);
    return rc;
}
