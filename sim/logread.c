/* logread: one pass over the log.  The mapping names a column for each field; the header (or
 * the positions) resolves them to indexes once, and each row is split, parsed and checked.
 * Dates become days since 1970 so that weekdays and gaps between days are exact; a native log's
 * replications are its days.  Errors stop after MAX_ERRORS, as a log with one bad column would
 * otherwise report every line. */
#include "logread.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_ERRORS 20
#define DAY_S      86400.0
/* A --log file's day key: replication * NATIVE_DAYS + the day within it (at most 3,660). */
#define NATIVE_DAYS 4096L

enum field {
    F_DATE,
    F_ARRIVAL,
    F_QUEUE,
    F_ANSWER,
    F_WAIT,
    F_HANDLE,
    F_OUTCOME,
    F_AGENT,
    F_GROUP,
    F_CHANNEL,
    F_SEGMENT,
    F_REPLICATION,
    F_N
};

static const char *const field_names[F_N] = {"date",    "arrival", "queue_entry", "answer",
                                              "wait",    "handle",  "outcome",     "agent",
                                              "group",   "channel", "segment",     "replication"};

enum time_format { T_SECONDS, T_HMS, T_ISO };
enum date_format { D_NONE, D_YYMMDD, D_ISO };

struct column {
    char *name; /* owned; NULL when given by position or not at all */
    int pos;    /* from 0; -1 until resolved */
    int given;
};

/* A row whose column holds exactly value: dropped (drop), or credited seconds of waiting
 * (credit). */
struct row_rule {
    char *column, *value; /* owned */
    int pos;
    double seconds;
};

struct mapping {
    char sep;
    int header;
    struct column col[F_N];
    enum time_format time_format;
    enum date_format date_format;
    enum time_format duration_format;
    char **handled, **abandoned; /* owned */
    int n_handled, n_abandoned;
    struct row_rule *drops, *credits;
    int n_drops, n_credits;
    char *not_queued; /* owned; the queue_entry value of a contact that never queued */
    char *no_agent;   /* owned; the agent value that names nobody */
    int native;       /* a --log CSV: seconds from the day's start, days by replication */
};

static void mapping_free(struct mapping *mp)
{
    for (int f = 0; f < F_N; f++)
        free(mp->col[f].name);
    for (int i = 0; i < mp->n_handled; i++)
        free(mp->handled[i]);
    for (int i = 0; i < mp->n_abandoned; i++)
        free(mp->abandoned[i]);
    free(mp->handled);
    free(mp->abandoned);
    for (int i = 0; i < mp->n_drops; i++) {
        free(mp->drops[i].column);
        free(mp->drops[i].value);
    }
    free(mp->drops);
    for (int i = 0; i < mp->n_credits; i++) {
        free(mp->credits[i].column);
        free(mp->credits[i].value);
    }
    free(mp->credits);
    free(mp->not_queued);
    free(mp->no_agent);
}

static void add_string(char ***list, int *n, const char *s)
{
    *list = xrealloc(*list, ((size_t)*n + 1) * sizeof **list);
    (*list)[(*n)++] = xstrdup(s);
}

static void native_mapping(struct mapping *mp)
{
    static const char *const names[F_N] = {NULL,      "arrival_s", "queue_entry_s", "answer_s",
                                           "wait_s",  "handle_s",  "outcome",       "agent",
                                           "group",   "channel",   "segment",       "replication"};
    memset(mp, 0, sizeof *mp);
    mp->sep = ',';
    mp->header = 1;
    mp->native = 1;
    for (int f = 0; f < F_N; f++) {
        mp->col[f].pos = -1;
        mp->col[f].given = names[f] != NULL;
        mp->col[f].name = names[f] ? xstrdup(names[f]) : NULL;
    }
    mp->time_format = mp->duration_format = T_SECONDS;
    mp->date_format = D_NONE;
    add_string(&mp->handled, &mp->n_handled, "handled");
    add_string(&mp->abandoned, &mp->n_abandoned, "abandoned");
}

/* ==== The mapping file ==== */

static int map_error(struct diag *d, const char *path, const config_setting_t *s, const char *msg,
                     const char *key)
{
    diag_add(d, path, s ? (int)config_setting_source_line(s) : 0, "%s: %s", key, msg);
    return -1;
}

static int map_string_list(struct diag *d, const char *path, const config_setting_t *s,
                           const char *key, char ***list, int *n)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return map_error(d, path, s, "a list of strings expected", key);
    for (int i = 0; i < config_setting_length(s); i++) {
        const char *v = config_setting_get_string_elem(s, i);
        if (v == NULL) return map_error(d, path, s, "a list of strings expected", key);
        add_string(list, n, v);
    }
    return 0;
}

static int map_columns(struct diag *d, const char *path, const config_setting_t *cols,
                       struct mapping *mp)
{
    if (!config_setting_is_group(cols))
        return map_error(d, path, cols, "a group { arrival = \"...\"; ... } expected", "columns");
    int rc = 0;
    for (int i = 0; i < config_setting_length(cols); i++) {
        const config_setting_t *c = config_setting_get_elem(cols, (unsigned)i);
        const char *name = config_setting_name(c);
        int f = 0;
        while (f < F_N && strcmp(field_names[f], name) != 0)
            f++;
        char key[64];
        snprintf(key, sizeof key, "columns.%s", name);
        if (f == F_N) {
            rc = map_error(d, path, c,
                           "unknown field (date, arrival, queue_entry, answer, wait, handle, "
                           "outcome, agent, group, channel, segment, replication)",
                           key);
            continue;
        }
        mp->col[f].given = 1;
        if (config_setting_type(c) == CONFIG_TYPE_STRING) {
            mp->col[f].name = xstrdup(config_setting_get_string(c));
        } else if (config_setting_type(c) == CONFIG_TYPE_INT) {
            int pos = config_setting_get_int(c);
            if (pos < 1 || pos > 10000)
                rc = map_error(d, path, c, "a column position from 1 to 10000 expected", key);
            mp->col[f].pos = pos - 1;
        } else {
            rc = map_error(d, path, c, "a column name (string) or position (from 1) expected", key);
        }
    }
    if (mp->col[F_REPLICATION].given)
        rc = map_error(d, path, cols, "replication: for --log files only (read without --map)", "columns");
    if (!mp->col[F_ARRIVAL].given) rc = map_error(d, path, cols, "arrival: required", "columns");
    if (!mp->col[F_OUTCOME].given) rc = map_error(d, path, cols, "outcome: required", "columns");
    return rc;
}

static int map_format(struct diag *d, const char *path, const config_setting_t *s, const char *key,
                      const char *const *names, int n_names, int *out)
{
    const char *v = config_setting_get_string(s);
    for (int i = 0; v != NULL && i < n_names; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = i;
            return 0;
        }
    char msg[200];
    snprintf(msg, sizeof msg, "one of %s%s%s%s%s expected", names[0], n_names > 1 ? ", " : "",
             n_names > 1 ? names[1] : "", n_names > 2 ? ", " : "", n_names > 2 ? names[2] : "");
    return map_error(d, path, s, msg, key);
}

/* drop = ( { column = "C"; value = "V"; }, ... ) or
 * credit = ( { column = "C"; value = "V"; seconds = S; }, ... ). */
static int map_rules(struct diag *d, const char *path, const config_setting_t *s, const char *key,
                     struct mapping *mp)
{
    int credit = strcmp(key, "credit") == 0;
    const char *shape = credit ? "{ column = \"...\"; value = \"...\"; seconds = S; }"
                               : "{ column = \"...\"; value = \"...\"; }";
    char msg[160];
    if (!config_setting_is_list(s)) {
        snprintf(msg, sizeof msg, "a list ( %s, ... ) expected", shape);
        return map_error(d, path, s, msg, key);
    }
    int rc = 0;
    snprintf(msg, sizeof msg, "%s expected", shape);
    for (int k = 0; k < config_setting_length(s); k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        const char *c = NULL, *val = NULL;
        const config_setting_t *sec = credit ? config_setting_get_member(e, "seconds") : NULL;
        int numeric = sec != NULL && (config_setting_type(sec) == CONFIG_TYPE_INT ||
                                      config_setting_type(sec) == CONFIG_TYPE_FLOAT);
        if (!config_setting_is_group(e) || !config_setting_lookup_string(e, "column", &c) ||
            !config_setting_lookup_string(e, "value", &val)) {
            rc = map_error(d, path, e, msg, key);
            continue;
        }
        if (credit && !numeric) {
            rc = map_error(d, path, sec ? sec : e,
                           sec ? "seconds: a number of seconds expected" : "seconds: required", key);
            continue;
        }
        if (config_setting_length(e) != 2 + credit) {
            for (int m = 0; m < config_setting_length(e); m++) {
                const config_setting_t *member = config_setting_get_elem(e, (unsigned)m);
                const char *name = config_setting_name(member);
                if (strcmp(name, "column") != 0 && strcmp(name, "value") != 0 &&
                    !(credit && strcmp(name, "seconds") == 0)) {
                    char unknown[200];
                    snprintf(unknown, sizeof unknown, "%s: unknown key (%s)", name,
                             credit ? "column, value, seconds" : "column, value");
                    rc = map_error(d, path, member, unknown, key);
                }
            }
            continue;
        }
        double seconds = !credit                                        ? 0
                         : config_setting_type(sec) == CONFIG_TYPE_INT ? config_setting_get_int(sec)
                                                                        : config_setting_get_float(sec);
        if (credit && !(seconds > 0 && seconds <= 86400)) {
            rc = map_error(d, path, e, "seconds: more than 0 and at most 86400 expected", key);
            continue;
        }
        struct row_rule **list = credit ? &mp->credits : &mp->drops;
        int *n = credit ? &mp->n_credits : &mp->n_drops;
        *list = xrealloc(*list, ((size_t)*n + 1) * sizeof **list);
        (*list)[(*n)++] = (struct row_rule){xstrdup(c), xstrdup(val), -1, seconds};
    }
    return rc;
}

static int read_mapping(const char *path, struct mapping *mp, struct diag *d)
{
    memset(mp, 0, sizeof *mp);
    for (int f = 0; f < F_N; f++)
        mp->col[f].pos = -1;
    mp->sep = ',';
    mp->header = 1;
    config_t cf;
    if (diag_read_config(&cf, path, "cannot read the mapping file", d) != 0) return -1;
    const config_setting_t *root = config_root_setting(&cf);
    int rc = 0;
    const config_setting_t *cols = NULL;
    for (int i = 0; i < config_setting_length(root); i++) {
        const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *key = config_setting_name(s);
        int v;
        if (strcmp(key, "separator") == 0) {
            const char *sep = config_setting_get_string(s);
            if (sep != NULL && strcmp(sep, "tab") == 0)
                mp->sep = '\t';
            else if (sep != NULL && strlen(sep) == 1 && sep[0] != '"' && sep[0] != '\n' &&
                     sep[0] != '\r')
                mp->sep = sep[0];
            else
                rc = map_error(d, path, s, "one character, or \"tab\", expected", key);
        } else if (strcmp(key, "header") == 0) {
            if (config_setting_type(s) != CONFIG_TYPE_BOOL)
                rc = map_error(d, path, s, "true or false expected", key);
            mp->header = config_setting_get_bool(s);
        } else if (strcmp(key, "columns") == 0) {
            cols = s;
            if (map_columns(d, path, s, mp) != 0) rc = -1;
        } else if (strcmp(key, "time_format") == 0) {
            static const char *const names[] = {"seconds", "h:mm:ss", "iso8601"};
            if (map_format(d, path, s, key, names, 3, &v) == 0)
                mp->time_format = (enum time_format)v;
            else
                rc = -1;
        } else if (strcmp(key, "duration_format") == 0) {
            static const char *const names[] = {"seconds", "h:mm:ss"};
            if (map_format(d, path, s, key, names, 2, &v) == 0)
                mp->duration_format = (enum time_format)v;
            else
                rc = -1;
        } else if (strcmp(key, "date_format") == 0) {
            static const char *const names[] = {"none", "YYMMDD", "YYYY-MM-DD"};
            if (map_format(d, path, s, key, names, 3, &v) == 0)
                mp->date_format = (enum date_format)v;
            else
                rc = -1;
        } else if (strcmp(key, "outcomes") == 0) {
            const config_setting_t *h = config_setting_get_member(s, "handled"),
                                   *a = config_setting_get_member(s, "abandoned");
            if (!config_setting_is_group(s) || h == NULL || a == NULL ||
                config_setting_length(s) != 2)
                rc = map_error(d, path, s, "a group { handled = [ ... ]; abandoned = [ ... ]; } expected", key);
            else if (map_string_list(d, path, h, "outcomes.handled", &mp->handled, &mp->n_handled) != 0 ||
                     map_string_list(d, path, a, "outcomes.abandoned", &mp->abandoned, &mp->n_abandoned) != 0)
                rc = -1;
        } else if (strcmp(key, "drop") == 0 || strcmp(key, "credit") == 0) {
            if (map_rules(d, path, s, key, mp) != 0) rc = -1;
        } else if (strcmp(key, "not_queued") == 0 || strcmp(key, "no_agent") == 0) {
            const char *val = config_setting_get_string(s);
            if (val == NULL) {
                rc = map_error(d, path, s, "a string expected", key);
                continue;
            }
            char **slot = strcmp(key, "not_queued") == 0 ? &mp->not_queued : &mp->no_agent;
            free(*slot);
            *slot = xstrdup(val);
        } else {
            rc = map_error(d, path, s,
                           "unknown key (separator, header, columns, time_format, date_format, "
                           "duration_format, outcomes, drop, credit, not_queued, no_agent)",
                           key);
        }
    }
    if (cols == NULL) rc = map_error(d, path, NULL, "required", "columns");
    if (mp->n_handled == 0 && rc == 0) rc = map_error(d, path, NULL, "required", "outcomes");
    if (rc == 0 && mp->time_format == T_ISO && mp->col[F_DATE].given)
        rc = map_error(d, path, NULL, "iso8601 times carry their date: drop columns.date", "time_format");
    if (rc == 0 && !mp->header) {
        for (int f = 0; f < F_N; f++)
            if (mp->col[f].given && mp->col[f].name != NULL)
                rc = map_error(d, path, cols, "without a header, columns are positions (from 1)",
                               field_names[f]);
        if (mp->n_drops > 0)
            rc = map_error(d, path, NULL, "without a header, drop rules cannot name columns", "drop");
        if (mp->n_credits > 0)
            rc = map_error(d, path, NULL, "without a header, credit rules cannot name columns", "credit");
    }
    config_destroy(&cf);
    return rc;
}

/* ==== Fields ==== */

/* Splits line in place at sep, honouring RFC 4180 quotes; returns the number of fields. */
static int split_fields(char *line, char sep, char ***fields, int *cap)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == *cap) {
            *cap = *cap ? 2 * *cap : 32;
            *fields = xrealloc(*fields, (size_t)*cap * sizeof **fields);
        }
        char *out = p;
        (*fields)[n++] = out;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') break;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p != '\0' && *p != sep)
                *out++ = *p++;
        } else {
            while (*p != '\0' && *p != sep)
                out++, p++;
        }
        if (*p == '\0') {
            *out = '\0';
            return n;
        }
        p++;
        *out = '\0';
    }
}

static int parse_seconds(const char *s, double *out)
{
    const char *p = s;
    double v;
    if (scan_double(&p, &v) != 0 || *p != '\0' || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* H:MM:SS (H any number of digits, seconds possibly fractional) or H:MM. */
static int parse_hms(const char *s, double *out)
{
    int h = 0, m = 0, digits = 0;
    const char *p = s;
    while (isdigit((unsigned char)*p) && digits < 6)
        h = 10 * h + (*p++ - '0'), digits++;
    if (digits == 0 || *p++ != ':' || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
        return -1;
    m = 10 * (p[0] - '0') + (p[1] - '0');
    p += 2;
    double sec = 0;
    if (*p == ':') {
        p++;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return -1;
        if (parse_seconds(p, &sec) != 0 || sec < 0 || sec >= 61) return -1;
    } else if (*p != '\0') {
        return -1;
    }
    if (m > 59) return -1;
    *out = 3600.0 * h + 60.0 * m + sec;
    return 0;
}

long log_days_from_civil(int year, int month, int day)
{
    /* Counting years from March puts the leap day last, so each era of 400 years is regular. */
    long y = month <= 2 ? year - 1 : year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int log_weekday(long days)
{
    /* 1970-01-01 was a Thursday (3, counting Monday as 0). */
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int valid_date(int y, int mo, int dd)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || dd < 1 || dd > mdays[mo - 1]) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(mo == 2 && dd == 29 && !leap);
}

static int digits_at(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = 10 * v + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* YYMMDD (years 70-99 are 19xx, the rest 20xx) or YYYY-MM-DD: days since 1970. */
static int parse_date(const char *s, enum date_format f, long *out)
{
    int y, mo, dd;
    if (f == D_YYMMDD) {
        if (strlen(s) != 6 || digits_at(s, 2, &y) || digits_at(s + 2, 2, &mo) || digits_at(s + 4, 2, &dd))
            return -1;
        y += y >= 70 ? 1900 : 2000;
    } else {
        if (strlen(s) < 10 || digits_at(s, 4, &y) || s[4] != '-' || digits_at(s + 5, 2, &mo) ||
            s[7] != '-' || digits_at(s + 8, 2, &dd) || (s[10] != '\0'))
            return -1;
    }
    if (!valid_date(y, mo, dd)) return -1;
    *out = log_days_from_civil(y, mo, dd);
    return 0;
}

/* ISO 8601 date and time, "YYYY-MM-DDTHH:MM:SS" (a space for the T; fractional seconds and a
 * trailing Z allowed; offsets are not: a log is in the center's local time). */
static int parse_iso(const char *s, long *day, double *t)
{
    char date[11];
    if (strlen(s) < 16 || (s[10] != 'T' && s[10] != ' ')) return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (parse_date(date, D_ISO, day) != 0) return -1;
    char clock[64];
    snprintf(clock, sizeof clock, "%s", s + 11);
    size_t n = strlen(clock);
    if (n > 0 && clock[n - 1] == 'Z') clock[n - 1] = '\0';
    return parse_hms(clock, t);
}

/* ==== Interning names ==== */

struct names {
    char ***list; /* the log_data array */
    int *n;
    int *slots; /* open addressing: index + 1, 0 empty */
    size_t cap;
};

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int intern(struct names *t, const char *s)
{
    if ((size_t)(*t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        int *slots = xcalloc(cap, sizeof *slots);
        for (int i = 0; i < *t->n; i++) {
            size_t h = name_hash((*t->list)[i]) & (cap - 1);
            while (slots[h] != 0)
                h = (h + 1) & (cap - 1);
            slots[h] = i + 1;
        }
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    size_t h = name_hash(s) & (t->cap - 1);
    while (t->slots[h] != 0) {
        if (strcmp((*t->list)[t->slots[h] - 1], s) == 0) return t->slots[h] - 1;
        h = (h + 1) & (t->cap - 1);
    }
    add_string(t->list, t->n, s);
    t->slots[h] = *t->n;
    return *t->n - 1;
}

/* ==== Reading ==== */

/* The next line of g without its line end, in *buf; 0 at the end of the file. */
static int read_line(gzFile g, char **buf, size_t *cap)
{
    size_t len = 0;
    for (;;) {
        if (*cap - len < 2) {
            *cap = *cap ? 2 * *cap : 4096;
            *buf = xrealloc(*buf, *cap);
        }
        if (gzgets(g, *buf + len, (int)(*cap - len > (size_t)1 << 30 ? (size_t)1 << 30 : *cap - len)) == NULL)
            break;
        len += strlen(*buf + len);
        if (len > 0 && (*buf)[len - 1] == '\n') break;
    }
    if (len == 0) return 0;
    while (len > 0 && ((*buf)[len - 1] == '\n' || (*buf)[len - 1] == '\r'))
        (*buf)[--len] = '\0';
    return 1;
}

static int in_list(char *const *list, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0) return 1;
    return 0;
}

struct reader {
    const char *path;
    struct mapping *mp;
    struct log_data *out;
    struct diag *d;
    int errors;
    int need; /* fields a row must have; -1 until the first row */
    size_t cap;
    long *day_key; /* per contact: days since 1970, or replication x span + day of a native log */
    struct names channels, agents, segments;
};

static void row_error(struct reader *rd, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_error(struct reader *rd, int line, const char *fmt, ...)
{
    if (rd->errors++ < MAX_ERRORS) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        diag_add(rd->d, rd->path, line, "%s", msg);
    }
}

/* A duration field: seconds or h:mm:ss as the mapping says; NaN when empty. */
static int field_duration(struct reader *rd, const char *v, int line, const char *what, double *out)
{
    *out = (double)NAN;
    if (*v == '\0') return 0;
    double x;
    int bad = rd->mp->duration_format == T_HMS ? parse_hms(v, &x) : parse_seconds(v, &x);
    if (bad) {
        row_error(rd, line, "%s: a duration expected, got '%s'", what, v);
        return -1;
    }
    if (x < 0) {
        row_error(rd, line, "%s: negative duration '%s'", what, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* A time of day field (seconds or h:mm:ss), or an ISO date and time (*day set). */
static int field_time(struct reader *rd, const char *v, int line, const char *what, double *t, long *day)
{
    int bad;
    if (rd->mp->time_format == T_ISO) bad = parse_iso(v, day, t);
    else if (rd->mp->time_format == T_HMS) bad = parse_hms(v, t);
    else bad = parse_seconds(v, t);
    if (bad || *t < 0) {
        row_error(rd, line, "%s: a time expected (as time_format says), got '%s'", what, v);
        return -1;
    }
    return 0;
}

static int resolve_columns(struct reader *rd, char **fields, int n_fields, int line)
{
    struct mapping *mp = rd->mp;
    int rc = 0;
    for (int f = 0; f < F_N; f++) {
        struct column *c = &mp->col[f];
        if (!c->given || c->name == NULL) continue;
        c->pos = -1;
        for (int i = 0; i < n_fields; i++)
            if (strcmp(fields[i], c->name) == 0) c->pos = i;
        if (c->pos < 0) {
            row_error(rd, line, "the header has no column '%s' (columns.%s)", c->name, field_names[f]);
            rc = -1;
        }
    }
    for (int k = 0; k < mp->n_drops + mp->n_credits; k++) {
        int credit = k >= mp->n_drops;
        struct row_rule *rule = credit ? &mp->credits[k - mp->n_drops] : &mp->drops[k];
        for (int i = 0; i < n_fields; i++)
            if (strcmp(fields[i], rule->column) == 0) rule->pos = i;
        if (rule->pos < 0) {
            row_error(rd, line, "the header has no column '%s' (%s)", rule->column,
                      credit ? "credit" : "drop");
            rc = -1;
        }
    }
    return rc;
}

static const char *get(const struct mapping *mp, char **fields, enum field f)
{
    return mp->col[f].given ? fields[mp->col[f].pos] : "";
}

/* The contact's segment: its segment column's value (or "default"), with " +Ss" added when a
 * credit rule matches (the first that does), since credited customers queue differently. */
static int segment_of(struct reader *rd, char **fields)
{
    const struct mapping *mp = rd->mp;
    const char *base = get(mp, fields, F_SEGMENT);
    if (base[0] == '\0') base = "default";
    double credit = 0;
    for (int k = 0; k < mp->n_credits && credit == 0; k++)
        if (strcmp(fields[mp->credits[k].pos], mp->credits[k].value) == 0) credit = mp->credits[k].seconds;
    char name[512];
    if (credit > 0)
        snprintf(name, sizeof name, "%s +%gs", base, credit);
    else
        snprintf(name, sizeof name, "%s", base);
    struct log_data *l = rd->out;
    int before = l->n_segments, s = intern(&rd->segments, name);
    if (l->n_segments > before) {
        l->segment_credit_s = xrealloc(l->segment_credit_s, (size_t)l->n_segments * sizeof *l->segment_credit_s);
        l->segment_credit_s[s] = credit;
    }
    return s;
}

static void read_row(struct reader *rd, char **fields, int n_fields, int line)
{
    struct mapping *mp = rd->mp;
    if (rd->need < 0) { /* the positions are fixed once the header is read */
        rd->need = 0;
        for (int f = 0; f < F_N; f++)
            if (mp->col[f].given && mp->col[f].pos + 1 > rd->need) rd->need = mp->col[f].pos + 1;
        for (int k = 0; k < mp->n_drops; k++)
            if (mp->drops[k].pos + 1 > rd->need) rd->need = mp->drops[k].pos + 1;
        for (int k = 0; k < mp->n_credits; k++)
            if (mp->credits[k].pos + 1 > rd->need) rd->need = mp->credits[k].pos + 1;
    }
    if (n_fields < rd->need) {
        row_error(rd, line, "%d fields, the mapping needs %d", n_fields, rd->need);
        return;
    }
    for (int k = 0; k < mp->n_drops; k++)
        if (strcmp(fields[mp->drops[k].pos], mp->drops[k].value) == 0) {
            rd->out->dropped++;
            return;
        }
    struct log_contact c;
    memset(&c, 0, sizeof c);
    c.line = line;
    long day = 0;
    if (field_time(rd, get(mp, fields, F_ARRIVAL), line, "arrival", &c.arrival_s, &day) != 0) return;
    if (mp->col[F_DATE].given && mp->date_format != D_NONE &&
        parse_date(get(mp, fields, F_DATE), mp->date_format, &day) != 0) {
        row_error(rd, line, "date: a date as date_format says expected, got '%s'", get(mp, fields, F_DATE));
        return;
    }
    if (!mp->native && mp->time_format != T_ISO) {
        /* Times past a day roll into the following days (Unix times become days since 1970, and
         * a clock that runs past 24:00 means the next day). */
        double whole = floor(c.arrival_s / DAY_S);
        if (whole > 1e6) {
            row_error(rd, line, "arrival: '%s' is too large for a time", get(mp, fields, F_ARRIVAL));
            return;
        }
        day += (long)whole;
        c.arrival_s -= whole * DAY_S;
    }
    if (mp->native) {
        /* Seconds from the replication's start: whole days apart are days of one replication. */
        double whole = floor(c.arrival_s / DAY_S);
        if (whole > 3660) {
            row_error(rd, line, "arrival: '%s' is beyond 3,660 days", get(mp, fields, F_ARRIVAL));
            return;
        }
        c.arrival_s -= whole * DAY_S;
        long rep = 0;
        const char *r = get(mp, fields, F_REPLICATION);
        char *end;
        errno = 0;
        if (*r != '\0') rep = strtol(r, &end, 10);
        if (*r != '\0' && (*end != '\0' || errno != 0 || rep < 0 || rep > 10000000)) {
            row_error(rd, line, "replication: a whole number expected, got '%s'", r);
            return;
        }
        day = rep * NATIVE_DAYS + (long)whole;
    }
    const char *outcome = get(mp, fields, F_OUTCOME);
    c.outcome = in_list(mp->handled, mp->n_handled, outcome)       ? LOG_HANDLED
                : in_list(mp->abandoned, mp->n_abandoned, outcome) ? LOG_ABANDONED
                                                                   : LOG_OTHER;
    const char *queue = get(mp, fields, F_QUEUE);
    int queued = mp->col[F_QUEUE].given
                     ? queue[0] != '\0' && (mp->not_queued == NULL || strcmp(queue, mp->not_queued) != 0)
                     : get(mp, fields, F_WAIT)[0] != '\0';
    double wait;
    if (field_duration(rd, get(mp, fields, F_WAIT), line, "wait", &wait) != 0) return;
    if (mp->col[F_ANSWER].given && mp->col[F_QUEUE].given && queued && isnan(wait) &&
        c.outcome == LOG_HANDLED) {
        double q, a;
        long dq = day, da = day;
        if (field_time(rd, queue, line, "queue_entry", &q, &dq) != 0 ||
            field_time(rd, get(mp, fields, F_ANSWER), line, "answer", &a, &da) != 0)
            return;
        wait = a - q + (double)(da - dq) * DAY_S;
        if (wait < -DAY_S / 2 && mp->time_format != T_ISO) wait += DAY_S; /* past midnight */
    }
    if (c.outcome == LOG_ABANDONED && !queued) c.outcome = LOG_OTHER; /* left before the queue */
    if (c.outcome == LOG_HANDLED && isnan(wait)) wait = 0; /* answered without queueing */
    if (c.outcome == LOG_ABANDONED && isnan(wait)) {
        row_error(rd, line, "an abandoned contact needs its wait (columns.wait)");
        return;
    }
    if (!isnan(wait) && wait < 0) {
        row_error(rd, line, "times out of order: answered before it queued");
        return;
    }
    c.wait_s = c.outcome == LOG_OTHER && !queued ? (double)NAN : wait;
    c.handle_s = (double)NAN;
    if (c.outcome == LOG_HANDLED && mp->col[F_HANDLE].given &&
        field_duration(rd, get(mp, fields, F_HANDLE), line, "handle", &c.handle_s) != 0)
        return;
    if (mp->col[F_ANSWER].given && c.outcome == LOG_HANDLED && !mp->col[F_QUEUE].given) {
        double a;
        long da = day;
        if (field_time(rd, get(mp, fields, F_ANSWER), line, "answer", &a, &da) != 0) return;
        double after = a + (double)(da - day) * DAY_S - c.arrival_s;
        if (after < -DAY_S / 2 && mp->time_format != T_ISO) after += DAY_S; /* past midnight */
        if (after < -1e-9) {
            row_error(rd, line, "times out of order: answered before it arrived");
            return;
        }
    }
    if (mp->native && queued) {
        /* A --log file's times are exact: arrival <= queue entry <= answer. */
        double q, a;
        long dq = day, da = day;
        const char *answer = get(mp, fields, F_ANSWER);
        if (field_time(rd, queue, line, "queue_entry", &q, &dq) != 0) return;
        double arrived = c.arrival_s + (double)(day % NATIVE_DAYS) * DAY_S; /* before the day split */
        if (q < arrived - 1e-6) {
            row_error(rd, line, "times out of order: queued before it arrived");
            return;
        }
        if (answer[0] != '\0') {
            if (field_time(rd, answer, line, "answer", &a, &da) != 0) return;
            if (a < q - 1e-6) {
                row_error(rd, line, "times out of order: answered before it queued");
                return;
            }
        }
    }
    c.channel = mp->col[F_CHANNEL].given ? intern(&rd->channels, get(mp, fields, F_CHANNEL)) : 0;
    c.agent = -1;
    const char *agent = get(mp, fields, F_AGENT);
    if (agent[0] != '\0' && (mp->no_agent == NULL || strcmp(agent, mp->no_agent) != 0)) {
        char name[512];
        if (mp->col[F_GROUP].given)
            snprintf(name, sizeof name, "%s/%s", get(mp, fields, F_GROUP), agent);
        else
            snprintf(name, sizeof name, "%s", agent);
        c.agent = intern(&rd->agents, name);
    }
    c.segment = segment_of(rd, fields);
    if (rd->out->n == rd->cap) {
        rd->cap = rd->cap ? 2 * rd->cap : 4096;
        rd->out->contacts = xrealloc(rd->out->contacts, rd->cap * sizeof *rd->out->contacts);
        rd->day_key = xrealloc(rd->day_key, rd->cap * sizeof *rd->day_key);
    }
    rd->day_key[rd->out->n] = day;
    rd->out->contacts[rd->out->n++] = c;
}

/* Days from the keys: calendar days since the first date (gaps kept: they are closed days), or
 * a native log's replications laid end to end with their days. */
static void number_days(struct reader *rd)
{
    struct log_data *l = rd->out;
    if (l->n == 0 || rd->day_key == NULL) return; /* the keys grow with the contacts */
    long lo = rd->day_key[0], hi = lo;
    for (size_t i = 1; i < l->n; i++) {
        if (rd->day_key[i] < lo) lo = rd->day_key[i];
        if (rd->day_key[i] > hi) hi = rd->day_key[i];
    }
    if (rd->mp->native) {
        long span = 0;
        for (size_t i = 0; i < l->n; i++)
            if (rd->day_key[i] % NATIVE_DAYS > span) span = rd->day_key[i] % NATIVE_DAYS;
        span++;
        long reps = hi / NATIVE_DAYS + 1;
        if (reps * span > 3660) {
            diag_add(rd->d, rd->path, 0,
                     "the log holds %ld replications of %ld days; at most 3,660 days can be fitted",
                     reps, span);
            rd->errors++;
            return;
        }
        for (size_t i = 0; i < l->n; i++)
            l->contacts[i].day = (int)(rd->day_key[i] / NATIVE_DAYS * span + rd->day_key[i] % NATIVE_DAYS);
        l->n_days = (int)(reps * span);
        l->first_weekday = -1;
        return;
    }
    if (hi - lo >= 3660) {
        diag_add(rd->d, rd->path, 0, "the log spans %ld days; at most 3,660 can be fitted", hi - lo + 1);
        rd->errors++;
        return;
    }
    for (size_t i = 0; i < l->n; i++)
        l->contacts[i].day = (int)(rd->day_key[i] - lo);
    l->n_days = (int)(hi - lo + 1);
    int dated = rd->mp->date_format != D_NONE || rd->mp->time_format == T_ISO;
    l->first_weekday = dated ? log_weekday(lo) : -1;
}

int log_read(const char *path, const char *map_path, struct log_data *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    struct mapping mp;
    if (map_path == NULL)
        native_mapping(&mp);
    else if (read_mapping(map_path, &mp, d) != 0) {
        mapping_free(&mp);
        return -1;
    }
    gzFile g = gzopen(path, "rb");
    if (g == NULL) {
        diag_add(d, path, 0, "cannot open the log: %s", strerror(errno));
        mapping_free(&mp);
        return -1;
    }
    struct reader rd;
    memset(&rd, 0, sizeof rd);
    rd.path = path;
    rd.mp = &mp;
    rd.out = out;
    rd.d = d;
    rd.need = -1;
    rd.channels = (struct names){&out->channels, &out->n_channels, NULL, 0};
    rd.agents = (struct names){&out->agents, &out->n_agents, NULL, 0};
    rd.segments = (struct names){&out->segments, &out->n_segments, NULL, 0};
    char *buf = NULL, **fields = NULL;
    size_t cap = 0;
    int fcap = 0, line = 0, seen_header = !mp.header;
    while (rd.errors <= MAX_ERRORS && read_line(g, &buf, &cap)) {
        line++;
        if (line == 1 && (unsigned char)buf[0] == 0xef && (unsigned char)buf[1] == 0xbb &&
            (unsigned char)buf[2] == 0xbf)
            memmove(buf, buf + 3, strlen(buf + 3) + 1); /* a byte order mark */
        if (buf[0] == '\0') continue;
        int n = split_fields(buf, mp.sep, &fields, &fcap);
        if (!seen_header) {
            seen_header = 1;
            if (resolve_columns(&rd, fields, n, line) != 0) break;
            continue;
        }
        read_row(&rd, fields, n, line);
    }
    int gz_err = 0;
    const char *gz_msg = gzerror(g, &gz_err);
    if (gz_err < 0 && rd.errors == 0) {
        diag_add(d, path, line, "cannot read the log: %s", gz_msg);
        rd.errors++;
    }
    gzclose(g);
    free(buf);
    free(fields);
    if (rd.errors == 0 && !seen_header) {
        diag_add(d, path, 0, "the log is empty: a header line expected");
        rd.errors++;
    }
    if (rd.errors == 0 && out->n == 0) {
        diag_add(d, path, 0, "the log has no contacts");
        rd.errors++;
    }
    size_t matched = 0;
    for (size_t i = 0; rd.errors == 0 && i < out->n; i++)
        matched += out->contacts[i].outcome != LOG_OTHER;
    if (rd.errors == 0 && matched == 0) {
        diag_add(d, map_path ? map_path : path, 0,
                 "no contact's outcome is one of outcomes.handled or outcomes.abandoned");
        rd.errors++;
    }
    if (rd.errors > MAX_ERRORS)
        diag_add(d, path, 0, "more problems follow; the reading stopped after %d", MAX_ERRORS);
    if (rd.errors == 0) number_days(&rd);
    if (rd.errors == 0) {
        if (out->n_channels == 0) add_string(&out->channels, &out->n_channels, "all");
        out->format = xstrdup(map_path ? map_path : "ccsim --log");
        out->native = mp.native;
    }
    free(rd.day_key);
    free(rd.channels.slots);
    free(rd.agents.slots);
    free(rd.segments.slots);
    mapping_free(&mp);
    if (rd.errors != 0) {
        log_free(out);
        return -1;
    }
    return 0;
}

void log_free(struct log_data *l)
{
    free(l->contacts);
    for (int i = 0; i < l->n_channels; i++)
        free(l->channels[i]);
    free(l->channels);
    for (int i = 0; i < l->n_agents; i++)
        free(l->agents[i]);
    free(l->agents);
    for (int i = 0; i < l->n_segments; i++)
        free(l->segments[i]);
    free(l->segments);
    free(l->segment_credit_s);
    free(l->format);
    memset(l, 0, sizeof *l);
}
