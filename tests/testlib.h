/* testlib.h: helpers the model tests share: load a config given as text (written to a file under
 * build/, as a user's would be), and split a call-log row into fields. */
#ifndef CCSIM_TESTLIB_H
#define CCSIM_TESTLIB_H

#include "conf.h"
#include "util.h"

#include <stdio.h>

/* Writes text to path and loads it; problems are printed.  Returns conf_load's status. */
static inline int testlib_load(const char *text, const char *path, struct model_spec *m)
{
    FILE *f = fopen(path, "w");
    SIM_ENSURE(f != NULL);
    fputs(text, f);
    fclose(f);
    struct diag d;
    diag_init(&d);
    int rc = conf_load(path, NULL, 0, m, &d);
    diag_print(&d, stdout);
    diag_fini(&d);
    return rc;
}

/* Splits a call-log row in place at commas (the log quotes no field the tests use) and at the
 * line end; returns the number of fields, at most max. */
static inline int testlib_fields(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ',' || *p == '\n') {
            *p = '\0';
            if (p[1] != '\0') f[n++] = p + 1;
        }
    return n;
}

/* Reads every data row of a call log (header skipped) into an array of row_size-byte records,
 * each filled by parse from the row's fields; rows with fewer than min_fields are skipped.
 * Caller frees. */
static inline void *testlib_read_rows(FILE *log, size_t row_size, int min_fields,
                                      void (*parse)(void *row, char **fields), int *n)
{
    char line[2048];
    char *f[40];
    int cap = 1024;
    char *rows = xmalloc((size_t)cap * row_size);
    *n = 0;
    rewind(log);
    if (fgets(line, sizeof line, log) == NULL) return rows;
    while (fgets(line, sizeof line, log)) {
        if (testlib_fields(line, f, 40) < min_fields) continue;
        if (*n == cap) rows = xrealloc(rows, (size_t)(cap *= 2) * row_size);
        parse(rows + (size_t)(*n)++ * row_size, f);
    }
    return rows;
}

#endif
