/* diag: an error collector.  Loaders add every problem they find, each a full line in the
 * GNU/Lua form "file:line: key: message", and the command decides whether to print them all and
 * stop (run) or just list them (check).  Nothing here exits. */
#ifndef CCSIM_DIAG_H
#define CCSIM_DIAG_H

#include <stdio.h>

struct diag {
    char **msgs; /* owned */
    int n, cap;
};

void diag_init(struct diag *d);
void diag_fini(struct diag *d);
/* Adds "file:line: fmt..." (file NULL: no position; line 0: "file: ..."). */
void diag_add(struct diag *d, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_print(const struct diag *d, FILE *out);

struct config_t; /* libconfig's */
/* config_init and config_read_file on path.  Returns 0, or -1 with the problem in d (a syntax
 * error at its file and line; io_message at path when the file cannot be read) and c destroyed. */
int diag_read_config(struct config_t *c, const char *path, const char *io_message, struct diag *d);

#endif
