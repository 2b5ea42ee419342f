/* util: allocation wrappers, number scanners, die/warn, the always-on ensure, and the GSL error
 * handler. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) die("out of memory allocating %zu bytes", n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL) die("out of memory allocating %zu x %zu bytes", count, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) die("out of memory allocating %zu bytes", n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

int scan_int(const char **s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(*s, &end, 10);
    if (end == *s || errno == ERANGE || v < INT_MIN || v > INT_MAX) return -1;
    *out = (int)v;
    *s = end;
    return 0;
}

int scan_double(const char **s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(*s, &end);
    if (end == *s || errno == ERANGE) return -1;
    *out = v;
    *s = end;
    return 0;
}

int scan_clock(const char *s, int *h, int *m)
{
    return scan_int(&s, h) != 0 || *s++ != ':' || scan_int(&s, m) != 0 || *s != '\0' ? -1 : 0;
}

static void vreport(const char *fmt, va_list ap, int saved_errno)
    __attribute__((format(printf, 1, 0)));

static void vreport(const char *fmt, va_list ap, int saved_errno)
{
    size_t len = strlen(fmt);
    fputs("ccsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    if (len > 0 && fmt[len - 1] == ':') fprintf(stderr, " %s", strerror(saved_errno));
    fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap, saved_errno);
    va_end(ap);
    exit(EXIT_RUNTIME);
}

void warn(const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap, saved_errno);
    va_end(ap);
}

void sim_ensure_failed(const char *cond, const char *file, int line, const char *func)
{
    fprintf(stderr, "%s:%d: %s: failed: %s\n", file, line, func, cond);
    abort();
}

void ccsim_gsl_handler(const char *reason, const char *file, int line, int gsl_errno)
{
    fprintf(stderr, "ccsim: internal error: GSL %s:%d: %s (code %d)\n", file, line, reason,
            gsl_errno);
    abort();
}

/* Temporary files not yet committed or aborted: removed at exit, so a run that dies (die(),
 * a failed check) leaves nothing half-written behind.  (SIGKILL cannot be caught: a
 * temporary file may then remain, never the final name.) */
#define MAX_PENDING 64
static char *pending[MAX_PENDING];

static void remove_pending(void)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] != NULL) unlink(pending[i]);
}

static void track(const char *tmp, int on)
{
    static int registered;
    if (!registered) {
        atexit(remove_pending);
        registered = 1;
    }
    for (int i = 0; i < MAX_PENDING; i++)
        if (on ? pending[i] == NULL : pending[i] == tmp) {
            pending[i] = on ? (char *)tmp : NULL;
            return;
        }
}

int outfile_open(struct outfile *o, const char *path)
{
    o->path = o->tmp = NULL;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    /* A device or a pipe (/dev/null, /dev/full, a FIFO) is written in place: renaming a
     * temporary over it would replace the device with a file (as root, it can). */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->f = fopen(path, "w");
        if (o->f == NULL) return -1;
        o->path = xstrdup(path);
        return 0;
    }
    size_t n = strlen(path) + 16;
    o->tmp = xmalloc(n);
    snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    /* mkstemp makes the file private; give it the mode a plain fopen would have. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->f = fdopen(fd, "w");
    if (o->f == NULL) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        errno = e;
        return -1;
    }
    o->path = xstrdup(path);
    track(o->tmp, 1);
    return 0;
}

int outfile_commit(struct outfile *o)
{
    int failed = fflush(o->f) != 0 || ferror(o->f);
    if (o->path == NULL) return failed ? -1 : 0;
    int e = errno;
    if (fclose(o->f) != 0) failed = 1, e = errno;
    o->f = NULL;
    if (o->tmp == NULL) { /* written in place */
        free(o->path);
        o->path = NULL;
        errno = e;
        return failed ? -1 : 0;
    }
    if (!failed && rename(o->tmp, o->path) != 0) failed = 1, e = errno;
    if (failed) unlink(o->tmp);
    track(o->tmp, 0);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    errno = e;
    return failed ? -1 : 0;
}

void outfile_abort(struct outfile *o)
{
    if (o->path == NULL) return;
    if (o->f) fclose(o->f);
    if (o->tmp != NULL) unlink(o->tmp);
    track(o->tmp, 0);
    free(o->tmp);
    free(o->path);
    o->f = NULL;
    o->tmp = o->path = NULL;
}

int outfile_open_pair(struct outfile *json, const char *json_path, struct outfile *csv,
                      const char *csv_path)
{
    if (json_path != NULL && outfile_open(json, json_path) != 0) {
        warn("cannot write '%s':", json_path);
        return -1;
    }
    if (csv_path != NULL && outfile_open(csv, csv_path) != 0) {
        warn("cannot write '%s':", csv_path);
        outfile_abort(json);
        return -1;
    }
    return 0;
}

void csv_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int fault_signal(const char *mark, long *k)
{
    const char *spec = getenv("CCSIM_FAULT");
    const char *at = spec != NULL ? strstr(spec, mark) : NULL;
    if (at == NULL) return 0;
    const char *digits = at + strlen(mark);
    char *end;
    errno = 0;
    long v = strtol(digits, &end, 10);
    if (end == digits || *end != '\0' || errno == ERANGE || v < 0) return 0;
    size_t n = (size_t)(at - spec);
    int sig = n == 4 && strncmp(spec, "kill", n) == 0   ? SIGKILL
              : n == 3 && strncmp(spec, "int", n) == 0  ? SIGINT
              : n == 4 && strncmp(spec, "term", n) == 0 ? SIGTERM
                                                        : 0;
    if (sig != 0) *k = v;
    return sig;
}
