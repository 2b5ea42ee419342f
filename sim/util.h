/* util: allocation that never returns NULL, and the two ways a command reports trouble.
 * A batch tool has no use for out-of-memory recovery, so xmalloc and friends die instead (suckless
 * ecalloc).  die() appends strerror(errno) when the format ends in ':'. */
#ifndef CCSIM_UTIL_H
#define CCSIM_UTIL_H

#include <stddef.h>
#include <stdio.h>

#define UNUSED(v) ((void)(v))

/* Exit statuses, documented in docs/cli.md. */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Read a number at *s as strtol (base 10) or strtod read it: leading blanks and a sign allowed,
 * and for a double also "inf", "nan" and hex.  On success *s moves past the number and the result
 * is 0; -1 (*s and *out untouched) when no number starts there or it is out of range.  They
 * replace sscanf, which cannot report overflow, in the small "HH:MM"-style parsers, and leave
 * the check for what follows to the caller. */
int scan_int(const char **s, int *out);
int scan_double(const char **s, double *out);
/* "H:M" to the end of s, each part as scan_int reads it, into *h and *m: 0, or -1 when s has
 * another form.  Callers check the ranges, which differ (24:00 may end a day). */
int scan_clock(const char *s, int *h, int *m);

/* The test hook CCSIM_FAULT=KIND<mark>K (docs/batch.md; KIND kill, int or term, mark such as
 * "-after-record:"): the signal to raise, with K in *k, or 0 when the variable is unset or does
 * not have that form. */
int fault_signal(const char *mark, long *k);

/* Prints "ccsim: <message>" to stderr and exits with EXIT_RUNTIME. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Prints "ccsim: <message>" to stderr and returns. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Always-on check that protects results; reports file:line: func: failed: cond and aborts. */
#define SIM_ENSURE(c) ((c) ? (void)0 : sim_ensure_failed(#c, __FILE__, __LINE__, __func__))
void sim_ensure_failed(const char *cond, const char *file, int line, const char *func)
    __attribute__((noreturn));

/* Installed at startup: GSL errors mean validation missed something, so they abort. */
void ccsim_gsl_handler(const char *reason, const char *file, int line, int gsl_errno);

/* Output files are written to a temporary file in the same folder and renamed into place, so a
 * reader never sees half a file and a failed run leaves an earlier result intact.  "-" is stdout.
 * outfile_open returns NULL (with errno) on failure; outfile_commit flushes, checks for write
 * errors (a full disk), renames, and returns 0, or -1 with the temporary removed. */
struct outfile {
    FILE *f;
    char *path; /* owned; NULL for stdout */
    char *tmp;  /* owned; NULL when written in place (a device or a pipe) */
};
int outfile_open(struct outfile *o, const char *path);
int outfile_commit(struct outfile *o);
void outfile_abort(struct outfile *o);
/* Writes s as one quoted CSV field (RFC 4180: inner quotes doubled). */
void csv_quoted(FILE *f, const char *s);

/* Opens the optional JSON and CSV outputs of a command (a NULL path: not wanted).  On failure
 * says which path, leaves neither open and returns -1. */
int outfile_open_pair(struct outfile *json, const char *json_path, struct outfile *csv,
                      const char *csv_path);

#endif
