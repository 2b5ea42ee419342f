/* diag: error collector; see diag.h. */
#include "diag.h"

#include "util.h"

#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>

void diag_init(struct diag *d)
{
    d->msgs = NULL;
    d->n = d->cap = 0;
}

void diag_fini(struct diag *d)
{
    for (int i = 0; i < d->n; i++)
        free(d->msgs[i]);
    free(d->msgs);
    diag_init(d);
}

void diag_add(struct diag *d, const char *file, int line, const char *fmt, ...)
{
    char body[1024], full[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (file != NULL && line > 0)
        snprintf(full, sizeof full, "%s:%d: %s", file, line, body);
    else if (file != NULL)
        snprintf(full, sizeof full, "%s: %s", file, body);
    else
        snprintf(full, sizeof full, "%s", body);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->msgs = xrealloc(d->msgs, (size_t)d->cap * sizeof *d->msgs);
    }
    d->msgs[d->n++] = xstrdup(full);
}

void diag_print(const struct diag *d, FILE *out)
{
    for (int i = 0; i < d->n; i++)
        fprintf(out, "%s\n", d->msgs[i]);
}

int diag_read_config(config_t *c, const char *path, const char *io_message, struct diag *d)
{
    config_init(c);
    if (config_read_file(c, path)) return 0;
    diag_add(d, config_error_file(c) ? config_error_file(c) : path, config_error_line(c), "%s",
             config_error_type(c) == CONFIG_ERR_FILE_IO ? io_message : config_error_text(c));
    config_destroy(c);
    return -1;
}
