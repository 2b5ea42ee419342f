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

#endif
