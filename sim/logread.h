/* logread: contact logs, as a platform exports them or as `ccsim run --log` writes them, read
 * into the few facts a fit needs: when each contact reached the agents, how long it waited, how
 * it ended, how long it was handled, and by whom.  The native format is the --log CSV; any other
 * is described by a libconfig mapping file (docs/logs.md): its separator, its columns by name or
 * position, its date and time formats, its outcome codes and the rows to drop.  Input may be
 * gzip-compressed and may end its lines with CRLF.  Every problem is reported with the log's
 * line; nothing here exits. */
#ifndef CCSIM_LOGREAD_H
#define CCSIM_LOGREAD_H

#include "diag.h"

#include <stddef.h>

enum log_outcome {
    LOG_HANDLED,   /* answered and served */
    LOG_ABANDONED, /* left the agents' queue before an answer */
    LOG_OTHER      /* anything else: resolved or gave up before the queue, balked, blocked */
};

struct log_contact {
    double arrival_s; /* seconds after midnight of its day (native logs: after the day's start) */
    double wait_s;    /* time in the agents' queue; NaN when it never reached it */
    double handle_s;  /* agent time; NaN unless handled */
    int day;          /* 0 for the log's first day */
    int channel;      /* index into channels */
    int agent;        /* index into agents, -1 when none is named */
    int segment;      /* index into segments */
    enum log_outcome outcome;
    int line;         /* its line in the log */
};

struct log_data {
    struct log_contact *contacts; /* owned */
    size_t n;
    char **channels; /* owned; "all" when the log has no channel column */
    int n_channels;
    char **agents; /* owned */
    int n_agents;
    /* Segments: the segment column's values ("default" without one), split further by the
     * credit rules; a credited segment's name ends in " +Ss".  Each has its credit (s). */
    char **segments;          /* owned */
    double *segment_credit_s; /* owned */
    int n_segments;
    int n_days;          /* days spanned, from the first to the last */
    int first_weekday;   /* weekday of day 0, 0 Monday to 6 Sunday; -1 when the log has no dates */
    size_t dropped;      /* rows the mapping's drop rules removed */
    int native;          /* a --log CSV: times from the day's start, days by replication */
    char *format;        /* "ccsim --log" or the mapping file's path; owned */
};

/* Reads path (plain or gzip) with the mapping file map_path, or as a --log CSV when map_path is
 * NULL.  Returns 0, or -1 with the problems in d (out zeroed). */
int log_read(const char *path, const char *map_path, struct log_data *out, struct diag *d);
void log_free(struct log_data *l);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian), and its weekday (0 Monday). */
long log_days_from_civil(int year, int month, int day);
int log_weekday(long days);

#endif
