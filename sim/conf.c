/* conf: libconfig loader with the schema as data (redis static_configs[]).  Loading is three
 * passes over the parsed tree: apply the --set overrides; walk every setting and check that its
 * key is known and its type right (with a "did you mean" for near misses); then extract the model,
 * checking bounds from the same table and the cross-references (lists one value per interval,
 * skills naming channels).  Every string kept is copied, and config_destroy runs before return, so
 * nothing outside this file ever sees libconfig.
 *
 * Two forms are accepted.  The general form has mode, channels and groups.  The single-queue
 * shorthand (configs/erlang.cfg) has plain top-level keys that scripts drive with --set; it becomes
 * one channel "voice" and one group "agents" in steady mode, the same code path as any model. */
#include "conf.h"

#include "forecast.h"
#include "json.h"
#include "util.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ==== Schema ==== */

enum key_type {
    K_INT,    /* integer */
    K_NUM,    /* number (integer accepted) */
    K_BOOL,
    K_STR,
    K_GROUP,
    K_LIST,   /* list of groups */
    K_NUMS,   /* a number, or an array or list of numbers (one per interval) */
    K_INTS,   /* an integer, or an array or list of integers (one per interval) */
    K_STRS,   /* array of strings */
    K_SKILLS, /* list whose elements are skill names or skill groups */
    K_SKILL   /* a skill name, or a group with `skill` and its parameters */
};

struct key {
    const char *path; /* list elements written "[]" */
    enum key_type type;
    double min, max;  /* bounds for numbers, each value of a K_NUMS/K_INTS list */
};

#define BIG 1e300
#define DIST_KEYS(p)                                                                               \
    {p, K_GROUP, 0, 0}, {p ".dist", K_STR, 0, 0}, {p ".mean_s", K_NUM, 0, BIG},                    \
        {p ".cv", K_NUM, 0, BIG}, {p ".min_s", K_NUM, 0, BIG}, {p ".max_s", K_NUM, 0, BIG},        \
        {p ".shape", K_NUM, 0.05, 1000}, {p ".k", K_INT, 1, 1e6}, {p ".values", K_NUMS, 0, BIG},    \
        {p ".file", K_STR, 0, 0}

/* Journey keys, at the top level (journeys) and per segment (segments.[]). */
#define JOURNEY_KEYS(p)                                                                            \
    {p ".retrial", K_GROUP, 0, 0}, {p ".retrial.probability", K_NUM, 0, 1},                       \
        DIST_KEYS(p ".retrial.delay"), {p ".retrial.max_attempts", K_INT, 1, 1000},                \
        {p ".retrial.channel", K_STR, 0, 0}, {p ".repeat", K_GROUP, 0, 0},                         \
        {p ".repeat.probability", K_NUM, 0, 1}, DIST_KEYS(p ".repeat.delay"),                      \
        {p ".repeat.max_repeats", K_INT, 0, 1000}, {p ".repeat.channel", K_STR, 0, 0},             \
        {p ".churn", K_GROUP, 0, 0}, {p ".churn.model", K_STR, 0, 0},                              \
        {p ".churn.intercept", K_NUM, -1000, 1000}, {p ".churn.per_wait_min", K_NUM, -1000, 1000}, \
        {p ".churn.per_extra_contact", K_NUM, -1000, 1000},                                        \
        {p ".churn.gave_up", K_NUM, -1000, 1000}, {p ".churn.table", K_LIST, 0, 0},                \
        {p ".churn.table.[]", K_GROUP, 0, 0}, {p ".churn.table.[].min_wait_s", K_NUM, 0, BIG},     \
        {p ".churn.table.[].min_contacts", K_INT, 1, 1e6},                                         \
        {p ".churn.table.[].outcome", K_STR, 0, 0}, {p ".churn.table.[].p", K_NUM, 0, 1}

static const struct key schema[] = {
    {"mode", K_STR, 0, 0},
    {"seed", K_INT, 0, 9.2e18},
    {"replications", K_INT, 1, 1e7},
    {"volume_factor", K_NUM, 0, 1e6},
    {"max_in_system", K_INT, 1, 1e9},
    {"steady", K_GROUP, 0, 0},
    {"steady.contacts", K_INT, 1, 9e18},
    {"steady.warmup_contacts", K_INT, 0, 9e18},
    {"day", K_GROUP, 0, 0},
    {"day.start", K_STR, 0, 0},
    {"day.end", K_STR, 0, 0},
    {"day.interval_min", K_NUM, 1.0 / 60, 1440},
    {"day.arrivals_csv", K_STR, 0, 0},
    {"day.staffing_csv", K_STR, 0, 0},
    {"day.days", K_INT, 1, 3660},
    {"channels", K_LIST, 0, 0},
    {"channels.[]", K_GROUP, 0, 0},
    {"channels.[].name", K_STR, 0, 0},
    {"channels.[].kind", K_STR, 0, 0},
    {"channels.[].max_waiting", K_INT, 0, 1e9},
    {"channels.[].priority", K_NUM, -1e9, 1e9},
    {"channels.[].interrupts", K_STRS, 0, 0},
    {"channels.[].transfer", K_GROUP, 0, 0},
    {"channels.[].transfer.to", K_STR, 0, 0},
    {"channels.[].transfer.probability", K_NUM, 0, 1},
    {"channels.[].transfer.mode", K_STR, 0, 0},
    {"channels.[].transfer.consult_s", K_NUM, 0, BIG},
    {"channels.[].priority_per_s", K_NUM, 0, 1e9},
    {"channels.[].fcr", K_NUM, 0, 1},
    {"channels.[].callback", K_GROUP, 0, 0},
    {"channels.[].callback.offer_above_s", K_NUM, 0, BIG},
    {"channels.[].callback.accept", K_NUM, 0, 1},
    {"channels.[].callback.reach", K_NUM, 0, 1},
    {"channels.[].callback.attempt_s", K_NUM, 0, BIG},
    {"channels.[].callback.on_failure", K_STR, 0, 0},
    {"channels.[].callback.retry_after_s", K_NUM, 0, BIG},
    {"channels.[].callback.max_tries", K_INT, 1, 1000},
    {"channels.[].max_lines", K_INT, 1, 1e9},
    {"channels.[].balking", K_GROUP, 0, 0},
    {"channels.[].balking.model", K_STR, 0, 0},
    {"channels.[].balking.scale_s", K_NUM, 1e-9, BIG},
    {"channels.[].cost_per_contact", K_NUM, 0, BIG},
    {"channels.[].cost_per_minute", K_NUM, 0, BIG},
    {"channels.[].self_service", K_GROUP, 0, 0},
    {"channels.[].self_service.label", K_STR, 0, 0},
    {"channels.[].self_service.policy", K_STR, 0, 0},
    DIST_KEYS("channels.[].self_service.time"),
    {"channels.[].self_service.success", K_NUM, 0, 1},
    {"channels.[].self_service.success_by_segment", K_GROUP, 0, 0},
    {"channels.[].self_service.success_by_segment.*", K_NUM, 0, 1},
    {"channels.[].self_service.escalate", K_NUM, 0, 1},
    {"channels.[].self_service.escalate_to", K_STR, 0, 0},
    {"channels.[].self_service.frustration", K_NUM, 0.01, 100},
    {"channels.[].self_service.uplift", K_NUM, 0.01, 100},
    {"channels.[].due_s", K_NUM, 0, BIG},
    {"channels.[].sl_seconds", K_NUM, 0, BIG},
    {"channels.[].sl_target", K_NUM, 0, 1},
    {"channels.[].arrivals_per_hour", K_NUMS, 0, BIG},
    DIST_KEYS("channels.[].service"),
    DIST_KEYS("channels.[].patience"),
    DIST_KEYS("channels.[].exchanges"),
    DIST_KEYS("channels.[].reply_delay"),
    {"demand", K_GROUP, 0, 0},
    {"demand.arrivals_per_hour", K_NUMS, 0, BIG},
    {"segments", K_LIST, 0, 0},
    {"segments.[]", K_GROUP, 0, 0},
    {"segments.[].name", K_STR, 0, 0},
    {"segments.[].share", K_NUM, 0, 1},
    {"segments.[].channel_choice", K_GROUP, 0, 0},
    {"segments.[].channel_choice.*", K_NUM, 0, 1},
    {"segments.[].patience", K_GROUP, 0, 0},
    DIST_KEYS("segments.[].patience.*"),
    {"segments.[].self_service", K_BOOL, 0, 0},
    {"segments.[].value", K_NUM, 0, BIG},
    {"segments.[].priority", K_NUM, -1e9, 1e9},
    {"segments.[].arrivals_per_hour", K_GROUP, 0, 0},
    {"segments.[].arrivals_per_hour.*", K_NUMS, 0, BIG},
    JOURNEY_KEYS("segments.[]"),
    {"journeys", K_GROUP, 0, 0},
    JOURNEY_KEYS("journeys"),
    {"incidents", K_LIST, 0, 0},
    {"incidents.[]", K_GROUP, 0, 0},
    {"incidents.[].name", K_STR, 0, 0},
    {"incidents.[].day", K_INT, 1, 3660},
    {"incidents.[].start", K_STR, 0, 0},
    {"incidents.[].end", K_STR, 0, 0},
    {"incidents.[].extra_per_hour", K_GROUP, 0, 0},
    {"incidents.[].extra_per_hour.*", K_NUM, 0, BIG},
    {"incidents.[].notice", K_GROUP, 0, 0},
    {"incidents.[].notice.at", K_STR, 0, 0},
    {"incidents.[].notice.reach", K_NUM, 0, 1},
    {"incidents.[].notice.prevent", K_NUM, 0, 1},
    {"routing", K_LIST, 0, 0},
    {"routing.[]", K_GROUP, 0, 0},
    {"routing.[].channel", K_STR, 0, 0},
    {"routing.[].segment", K_STR, 0, 0},
    {"routing.[].steps", K_LIST, 0, 0},
    {"routing.[].steps.[]", K_GROUP, 0, 0},
    {"routing.[].steps.[].group", K_STR, 0, 0},
    {"routing.[].steps.[].after_s", K_NUM, 0, BIG},
    {"busyness", K_LIST, 0, 0},
    {"busyness.[]", K_GROUP, 0, 0},
    {"busyness.[].name", K_STR, 0, 0},
    {"busyness.[].shape", K_NUM, 1e-6, BIG},
    {"busyness.[].channels", K_STRS, 0, 0},
    {"groups", K_LIST, 0, 0},
    {"groups.[]", K_GROUP, 0, 0},
    {"groups.[].name", K_STR, 0, 0},
    {"groups.[].skills", K_SKILLS, 0, 0},
    {"groups.[].skills.[]", K_SKILL, 0, 0},
    {"groups.[].skills.[].skill", K_STR, 0, 0},
    {"groups.[].skills.[].proficiency", K_NUM, 0.01, 100},
    {"groups.[].skills.[].fcr", K_NUM, 0, 1},
    DIST_KEYS("groups.[].skills.[].wrapup"),
    {"groups.[].shifts", K_LIST, 0, 0},
    {"groups.[].shifts.[]", K_GROUP, 0, 0},
    {"groups.[].shifts.[].start", K_STR, 0, 0},
    {"groups.[].shifts.[].length_h", K_NUM, 1.0 / 60, 24},
    {"groups.[].shifts.[].agents", K_INT, 0, 1e6},
    {"groups.[].shifts.[].breaks", K_LIST, 0, 0},
    {"groups.[].shifts.[].breaks.[]", K_GROUP, 0, 0},
    {"groups.[].shifts.[].breaks.[].earliest", K_STR, 0, 0},
    {"groups.[].shifts.[].breaks.[].latest", K_STR, 0, 0},
    {"groups.[].shifts.[].breaks.[].length_min", K_NUM, 1.0 / 60, 600},
    {"groups.[].shift_templates", K_LIST, 0, 0},
    {"groups.[].shift_templates.[]", K_GROUP, 0, 0},
    {"groups.[].shift_templates.[].name", K_STR, 0, 0},
    {"groups.[].shift_templates.[].earliest_start", K_STR, 0, 0},
    {"groups.[].shift_templates.[].latest_start", K_STR, 0, 0},
    {"groups.[].shift_templates.[].start_step_min", K_NUM, 1, 1440},
    {"groups.[].shift_templates.[].length_h", K_NUM, 1.0 / 60, 24},
    {"groups.[].shift_templates.[].cost", K_NUM, 0, BIG},
    {"groups.[].shift_templates.[].min", K_INT, 0, 1e6},
    {"groups.[].shift_templates.[].max", K_INT, 0, 1e6},
    {"groups.[].shift_templates.[].breaks", K_LIST, 0, 0},
    {"groups.[].shift_templates.[].breaks.[]", K_GROUP, 0, 0},
    {"groups.[].shift_templates.[].breaks.[].earliest_after_min", K_NUM, 0, 1440},
    {"groups.[].shift_templates.[].breaks.[].latest_after_min", K_NUM, 0, 1440},
    {"groups.[].shift_templates.[].breaks.[].step_min", K_NUM, 1, 1440},
    {"groups.[].shift_templates.[].breaks.[].length_min", K_NUM, 1.0 / 60, 600},
    {"groups.[].absenteeism", K_NUM, 0, 1},
    {"groups.[].shrinkage", K_NUM, 0, 0.95},
    {"groups.[].shrinkage_period_min", K_NUM, 1.0 / 60, 1440},
    {"groups.[].cost_per_hour", K_NUM, 0, BIG},
    {"groups.[].occupancy_cap", K_NUM, 0.01, 1},
    {"groups.[].occupancy_cap_period_min", K_NUM, 1.0 / 60, 1440},
    {"groups.[].occupancy_cap_pause_s", K_NUM, 1e-3, 86400},
    {"groups.[].reserve", K_GROUP, 0, 0},
    {"groups.[].reserve.channel", K_STR, 0, 0},
    {"groups.[].reserve.agents", K_INT, 1, 1e7},
    {"groups.[].agents", K_INTS, 0, 1e7},
    {"groups.[].concurrency", K_INT, 1, 1000},
    {"groups.[].slowdown", K_NUMS, 0.01, 100},
    /* The single-queue shorthand. */
    {"arrivals_per_hour", K_NUM, 0, BIG},
    {"aht_s", K_NUM, 0, BIG},
    {"agents", K_INT, 0, 1e7},
    {"abandonment", K_BOOL, 0, 0},
    {"patience_s", K_NUM, 0, BIG},
    {"sl_seconds", K_NUM, 0, BIG},
    {"contacts", K_INT, 1, 9e18},
    {"warmup_contacts", K_INT, 0, 9e18},
};

#define N_KEYS ((int)(sizeof schema / sizeof schema[0]))

const char *conf_schema_key(int i)
{
    return i >= 0 && i < N_KEYS ? schema[i].path : NULL;
}

/* The schema pattern of a concrete path: "[<digits>]" becomes "[]". */
static void pattern_of(const char *path, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = path; *p && o + 1 < cap; p++) {
        out[o++] = *p;
        if (*p == '[') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
        }
    }
    out[o] = '\0';
}

/* Whether a schema path matches a concrete pattern, comparing dot-separated components; a
 * schema component "*" stands for any name (keys named after channels or segments).  Only the
 * first n characters of the pattern count when n >= 0. */
static int pattern_matches(const char *schema_path, const char *pat, long n)
{
    const char *a = schema_path, *b = pat, *end = n >= 0 ? pat + n : pat + strlen(pat);
    for (;;) {
        size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        if (b + lb > end) lb = (size_t)(end - b);
        int wild = la == 1 && a[0] == '*' && b[0] != '[';
        if (!wild && (la != lb || strncmp(a, b, la) != 0)) return 0;
        a += la;
        b += lb;
        if (b >= end) return *a == '\0';
        if (*a == '\0') return 0;
        a++;
        b++;
    }
}

static const struct key *schema_find(const char *path)
{
    /* Zeroed, although pattern_of terminates it: clang-analyzer does not model strcspn, so in
     * pattern_matches it would walk past the terminator into bytes it thinks are garbage. */
    char pat[256] = "";
    pattern_of(path, pat, sizeof pat);
    for (int i = 0; i < N_KEYS; i++)
        if (pattern_matches(schema[i].path, pat, -1)) return &schema[i];
    return NULL;
}

/* Levenshtein distance, for "did you mean"; keys are short, so O(|a| |b|) is nothing. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The closest known key in the same group as pattern, or NULL when none is close. */
static const char *suggest(const char *pattern)
{
    const char *dot = strrchr(pattern, '.');
    size_t prefix = dot ? (size_t)(dot - pattern) + 1 : 0;
    const char *leaf = pattern + prefix;
    const char *best = NULL;
    int best_d = 3; /* at most two edits, and fewer than half the key */
    for (int i = 0; i < N_KEYS; i++) {
        const char *k = schema[i].path;
        const char *kdot = strrchr(k, '.');
        size_t kprefix = kdot ? (size_t)(kdot - k) + 1 : 0;
        if (prefix == 0 ? kprefix != 0 : kprefix == 0) continue;
        if (prefix > 0) {
            char parent[256];
            snprintf(parent, sizeof parent, "%.*s", (int)(kprefix - 1), k);
            if (!pattern_matches(parent, pattern, (long)prefix - 1)) continue;
        }
        if (strcmp(k + kprefix, "*") == 0) continue;
        int dist = edit_distance(leaf, k + kprefix);
        if (dist < best_d && 2 * dist < (int)strlen(k + kprefix)) {
            best_d = dist;
            best = k + kprefix;
        }
    }
    return best;
}

/* ==== Loader state ==== */

struct loader {
    const char *file; /* the top config file, for settings without a source file */
    struct diag *d;
    int errors;
    struct forecast arrivals, staffing; /* day.arrivals_csv, day.staffing_csv */
    int have_arrivals, have_staffing;
    /* Settings an override wrote, with where it was written, so a problem with the value
     * names the override rather than the file it lands in. */
    struct origin {
        char *path;        /* as path_of writes it */
        const char *file;  /* a scenario, or NULL for --set */
        int line;
    } *origins;
    int n_origins;
};

static const char *type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "integer";
    case CONFIG_TYPE_FLOAT: return "number";
    case CONFIG_TYPE_STRING: return "string";
    case CONFIG_TYPE_BOOL: return "boolean";
    case CONFIG_TYPE_GROUP: return "group";
    case CONFIG_TYPE_ARRAY: return "array";
    case CONFIG_TYPE_LIST: return "list";
    }
    return "nothing";
}

static const char *expected_name(enum key_type t)
{
    switch (t) {
    case K_INT: return "integer";
    case K_NUM: return "number";
    case K_BOOL: return "boolean";
    case K_STR: return "string";
    case K_GROUP: return "group";
    case K_LIST: return "list of groups";
    case K_NUMS: return "number or list of numbers";
    case K_INTS: return "integer or list of integers";
    case K_STRS: return "list of strings";
    case K_SKILLS: return "list of skills";
    case K_SKILL: return "skill name or group";
    }
    return "?";
}

static void fail(struct loader *L, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void path_of(const config_setting_t *s, char *out, size_t cap);

/* Records a problem at setting s (its own file and line, since @include can move it). */
static void fail(struct loader *L, const config_setting_t *s, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = s ? config_setting_source_file(s) : NULL;
    int line = s ? (int)config_setting_source_line(s) : 0;
    char path[256] = ""; /* the loop reads it only after path_of, but cppcheck cannot tell */
    if (s != NULL && L->n_origins > 0) path_of(s, path, sizeof path);
    for (int i = L->n_origins - 1; s != NULL && i >= 0; i--)
        if (strcmp(L->origins[i].path, path) == 0) {
            if (L->origins[i].file == NULL)
                diag_add(L->d, NULL, 0, "--set %s", msg);
            else
                diag_add(L->d, L->origins[i].file, L->origins[i].line, "set %s", msg);
            L->errors++;
            return;
        }
    diag_add(L->d, file ? file : L->file, line, "%s", msg);
    L->errors++;
}

/* The libconfig path of s ("channels.[0].name"). */
static void path_of(const config_setting_t *s, char *out, size_t cap)
{
    const config_setting_t *chain[32];
    int n = 0;
    for (const config_setting_t *p = s; p != NULL && !config_setting_is_root(p) && n < 32;
         p = config_setting_parent(p))
        chain[n++] = p;
    size_t o = 0;
    out[0] = '\0';
    while (n-- > 0) {
        const config_setting_t *p = chain[n];
        const char *name = config_setting_name(p);
        int w;
        if (name != NULL)
            w = snprintf(out + o, cap - o, "%s%s", o ? "." : "", name);
        else
            w = snprintf(out + o, cap - o, "%s[%d]", o ? "." : "", config_setting_index(p));
        if (w < 0 || (size_t)w >= cap - o) break;
        o += (size_t)w;
    }
}

static int is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static int is_integer(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static int is_sequence(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
}

/* Whether s has the shape the schema wants; for sequences, every element is checked. */
static int type_ok(const config_setting_t *s, enum key_type t)
{
    int st = config_setting_type(s);
    switch (t) {
    case K_INT: return is_integer(s);
    case K_NUM: return is_number(s);
    case K_BOOL: return st == CONFIG_TYPE_BOOL;
    case K_STR: return st == CONFIG_TYPE_STRING;
    case K_GROUP: return st == CONFIG_TYPE_GROUP;
    case K_LIST: return st == CONFIG_TYPE_LIST;
    case K_SKILLS: return is_sequence(s);
    case K_SKILL: return st == CONFIG_TYPE_STRING || st == CONFIG_TYPE_GROUP;
    case K_NUMS:
    case K_INTS:
    case K_STRS:
        if (!is_sequence(s)) return t == K_NUMS ? is_number(s) : t == K_INTS ? is_integer(s) : 0;
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            /* Per-interval lists may hold one list per day. */
            if (t != K_STRS && is_sequence(e) && config_setting_parent(s) != NULL &&
                !is_sequence(config_setting_parent(s))) {
                if (!type_ok(e, t)) return 0;
                continue;
            }
            int ok = t == K_NUMS ? is_number(e)
                     : t == K_INTS ? is_integer(e)
                                   : config_setting_type(e) == CONFIG_TYPE_STRING;
            if (!ok) return 0;
        }
        return 1;
    }
    return 0;
}

/* Pass 2: every setting must be a known key of the right type. */
static void walk(struct loader *L, const config_setting_t *group)
{
    for (int i = 0; i < config_setting_length(group); i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        char path[256], pat[256];
        path_of(s, path, sizeof path);
        pattern_of(path, pat, sizeof pat);
        const struct key *k = schema_find(path);
        if (k == NULL) {
            const char *near = suggest(pat);
            if (near)
                fail(L, s, "%s: unknown key (did you mean '%s'?)", path, near);
            else
                fail(L, s, "%s: unknown key", path);
            continue;
        }
        if (!type_ok(s, k->type)) {
            fail(L, s, "%s: %s expected, got %s", path, expected_name(k->type),
                 type_name(config_setting_type(s)));
            continue;
        }
        if (k->type == K_GROUP || k->type == K_LIST || k->type == K_SKILLS ||
            (k->type == K_SKILL && config_setting_type(s) == CONFIG_TYPE_GROUP))
            walk(L, s);
    }
}

/* ==== Typed getters (bounds from the schema) ==== */

static const config_setting_t *child(const config_setting_t *parent, const char *name)
{
    return parent ? config_setting_get_member(parent, name) : NULL;
}

static void missing(struct loader *L, const config_setting_t *parent, const char *name)
{
    char path[256];
    path_of(parent, path, sizeof path);
    if (config_setting_is_root(parent))
        fail(L, NULL, "%s: required key missing", name);
    else
        fail(L, parent, "%s.%s: required key missing", path, name);
}

static int in_bounds(struct loader *L, const config_setting_t *s, double v)
{
    char path[256], owner[256];
    path_of(s, path, sizeof path);
    const struct key *k = schema_find(path);
    /* An element of a per-interval list (or of a day's list) takes its list's bounds. */
    for (const config_setting_t *p = config_setting_parent(s); k == NULL && p != NULL;
         p = config_setting_parent(p)) {
        path_of(p, owner, sizeof owner);
        k = schema_find(owner);
    }
    if (k == NULL || (v >= k->min && v <= k->max)) return 1;
    if (k->max >= BIG)
        fail(L, s, "%s: %.10g is out of range (must be >= %.10g)", path, v, k->min);
    else
        fail(L, s, "%s: %.10g is out of range [%.10g, %.10g]", path, v, k->min, k->max);
    return 0;
}

static double number_of(const config_setting_t *s)
{
    return is_integer(s) ? (double)config_setting_get_int64(s) : config_setting_get_float(s);
}

/* The walk already reported type errors; getters only skip mistyped settings. */
static int get_num(struct loader *L, const config_setting_t *parent, const char *name,
                   double *out, int required)
{
    const config_setting_t *s = child(parent, name);
    if (s == NULL) {
        if (required) missing(L, parent, name);
        return 0;
    }
    if (!is_number(s)) return 0;
    double v = number_of(s);
    if (!in_bounds(L, s, v)) return 0;
    *out = v;
    return 1;
}

static int get_int(struct loader *L, const config_setting_t *parent, const char *name,
                   long long *out, int required)
{
    const config_setting_t *s = child(parent, name);
    if (s == NULL) {
        if (required) missing(L, parent, name);
        return 0;
    }
    if (!is_integer(s)) return 0;
    long long v = config_setting_get_int64(s);
    if (!in_bounds(L, s, (double)v)) return 0;
    *out = v;
    return 1;
}

static const char *get_str(struct loader *L, const config_setting_t *parent, const char *name,
                           int required)
{
    const config_setting_t *s = child(parent, name);
    if (s == NULL) {
        if (required) missing(L, parent, name);
        return NULL;
    }
    return config_setting_get_string(s);
}

/* A per-interval value: a scalar for every interval, a list of n (one per interval, the same
 * every day), or a list of `days` lists of n (one per day).  Returns n * days values. */
static double *get_per_interval(struct loader *L, const config_setting_t *parent,
                                const char *name, int n, int days, int required)
{
    const config_setting_t *s = child(parent, name);
    if (s == NULL) {
        if (required) missing(L, parent, name);
        return NULL;
    }
    if (!type_ok(s, K_NUMS)) return NULL;
    double *v = xcalloc((size_t)n * days, sizeof *v);
    char path[256];
    path_of(s, path, sizeof path);
    if (!is_sequence(s)) {
        double x = number_of(s);
        if (!in_bounds(L, s, x)) goto bad;
        for (int i = 0; i < n * days; i++)
            v[i] = x;
        return v;
    }
    int len = config_setting_length(s);
    int nested = len > 0 && is_sequence(config_setting_get_elem(s, 0));
    if (nested && len != days) {
        fail(L, s, "%s: %d lists, expected %d (one per day)", path, len, days);
        goto bad;
    }
    for (int d = 0; d < days; d++) {
        const config_setting_t *row = nested ? config_setting_get_elem(s, (unsigned)d) : s;
        if (!is_sequence(row) || config_setting_length(row) != n) {
            char rp[256];
            path_of(row, rp, sizeof rp);
            fail(L, row, "%s: %d values, expected %d (one per interval)", rp,
                 is_sequence(row) ? config_setting_length(row) : 1, n);
            goto bad;
        }
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(row, (unsigned)i);
            v[d * n + i] = number_of(e);
            if (!in_bounds(L, e, v[d * n + i])) goto bad;
        }
    }
    return v;
bad:
    free(v);
    return NULL;
}

/* A per-interval value from the config, or else from the named column of a CSV table: exactly
 * one of the two must give it.  The integer check for agents from a CSV happens here too. */
static double *per_interval_or_csv(struct loader *L, const config_setting_t *owner,
                                   const char *key, const char *name, int n, int days,
                                   struct forecast *tab)
{
    int col = tab != NULL && name != NULL ? forecast_column(tab, name) : -1;
    if (col < 0) return get_per_interval(L, owner, key, n, days, 1);
    char path[256];
    path_of(owner, path, sizeof path);
    tab->col_used[col] = 1;
    if (child(owner, key) != NULL) {
        fail(L, child(owner, key), "%s.%s: also given by column '%s' of %s", path, key, name,
             tab->path);
        return NULL;
    }
    double *v = xcalloc((size_t)n * days, sizeof *v);
    for (int i = 0; i < n * days; i++) {
        int row = tab->n_rows == n ? i % n : i; /* one day's rows serve every day */
        v[i] = tab->values[(size_t)row * tab->n_cols + col];
        if (strcmp(key, "agents") == 0 && (v[i] != floor(v[i]) || v[i] > 1e7) && row == i) {
            diag_add(L->d, tab->path, row + 2, "%s: whole number of agents expected, got %g",
                     name, v[i]);
            L->errors++;
        }
    }
    return v;
}

/* Every CSV column must name a channel (arrivals) or a group (staffing). */
static void check_columns(struct loader *L, const struct forecast *tab, const char *what)
{
    for (int c = 0; c < tab->n_cols; c++)
        if (!tab->col_used[c]) {
            diag_add(L->d, tab->path, 1, "column '%s': no %s named '%s'", tab->names[c], what,
                     tab->names[c]);
            L->errors++;
        }
}

/* ==== Model extraction ==== */

/* Reads values for an empirical distribution from a one-column file (blank lines and lines
 * starting with '#' skipped), relative to the config's folder. */
/* The file a string setting names, relative to the folder of the config file holding it. */
static void resolve_path(const config_setting_t *s, char *path, size_t cap)
{
    const char *name = config_setting_get_string(s);
    const char *src = config_setting_source_file(s);
    const char *slash = src ? strrchr(src, '/') : NULL;
    if (name[0] != '/' && slash != NULL)
        snprintf(path, cap, "%.*s/%s", (int)(slash - src), src, name);
    else
        snprintf(path, cap, "%s", name);
}

static int read_values_file(struct loader *L, const config_setting_t *s, struct dist *d)
{
    char path[4096];
    resolve_path(s, path, sizeof path);
    char where[300];
    path_of(s, where, sizeof where);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fail(L, s, "%s: cannot open '%s': %s", where, path, strerror(errno));
        return 0;
    }
    size_t cap = 64;
    d->values = xmalloc(cap * sizeof *d->values);
    d->n_values = 0;
    char line[512];
    int lineno = 0, ok = 1;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0') continue;
        char *end;
        double v = strtod(p, &end);
        while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
            end++;
        if (end == p || *end != '\0' || !isfinite(v) || v < 0) {
            diag_add(L->d, path, lineno, "a duration >= 0 in seconds expected");
            L->errors++;
            ok = 0;
            break;
        }
        if (d->n_values == cap) d->values = xrealloc(d->values, (cap *= 2) * sizeof *d->values);
        d->values[d->n_values++] = v;
    }
    fclose(f);
    return ok;
}

static void load_dist(struct loader *L, const config_setting_t *g, struct dist *d)
{
    char path[256];
    path_of(g, path, sizeof path);
    const char *name = get_str(L, g, "dist", 1);
    if (name == NULL) return;
    int kind = dist_kind_from_name(name);
    if (kind <= DIST_NONE) {
        fail(L, child(g, "dist"),
             "%s.dist: unknown distribution '%s' (exponential, deterministic, uniform, lognormal, "
             "gamma, weibull, erlang, empirical)",
             path, name);
        return;
    }
    d->kind = (enum dist_kind)kind;
    int ok = 1;
    switch (d->kind) {
    case DIST_EXPONENTIAL:
    case DIST_DETERMINISTIC:
        ok = get_num(L, g, "mean_s", &d->mean_s, 1);
        break;
    case DIST_UNIFORM:
        ok = get_num(L, g, "min_s", &d->min_s, 1) & get_num(L, g, "max_s", &d->max_s, 1);
        break;
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        ok = get_num(L, g, "mean_s", &d->mean_s, 1) & get_num(L, g, "cv", &d->cv, 1);
        break;
    case DIST_WEIBULL:
        ok = get_num(L, g, "mean_s", &d->mean_s, 1) & get_num(L, g, "shape", &d->shape, 1);
        break;
    case DIST_ERLANG: {
        long long k = 0;
        ok = get_num(L, g, "mean_s", &d->mean_s, 1) & get_int(L, g, "k", &k, 1);
        d->k = (int)k;
        break;
    }
    case DIST_EMPIRICAL: {
        const config_setting_t *vals = child(g, "values"), *file = child(g, "file");
        if ((vals == NULL) == (file == NULL)) {
            fail(L, g, "%s: empirical needs exactly one of 'values' or 'file'", path);
            return;
        }
        if (file != NULL) {
            ok = read_values_file(L, file, d);
        } else if (type_ok(vals, K_NUMS)) {
            int n = is_sequence(vals) ? config_setting_length(vals) : 1;
            d->values = xcalloc((size_t)n, sizeof *d->values);
            d->n_values = (size_t)n;
            for (int i = 0; i < n; i++)
                d->values[i] =
                    number_of(is_sequence(vals) ? config_setting_get_elem(vals, (unsigned)i) : vals);
        }
        break;
    }
    case DIST_NONE:
    case DIST_N_KINDS:
        break;
    }
    if (!ok) return;
    const char *why = dist_prepare(d);
    if (why != NULL) fail(L, g, "%s: %s", path, why);
}

/* The channel's kind and the keys that only some kinds take. */
static void load_channel_kind(struct loader *L, const config_setting_t *cs,
                              struct channel_spec *ch)
{
    char path[256];
    path_of(cs, path, sizeof path);
    const char *kind = get_str(L, cs, "kind", 0);
    ch->kind = CH_VOICE;
    if (kind != NULL) {
        int k = channel_kind_from_name(kind);
        if (k < 0) {
            fail(L, child(cs, "kind"),
                 "%s.kind: unknown channel kind '%s' (voice, chat, messaging, email)", path, kind);
            return;
        }
        ch->kind = (enum channel_kind)k;
    }
    const config_setting_t *due = child(cs, "due_s"), *ex = child(cs, "exchanges"),
                           *reply = child(cs, "reply_delay");
    if (ch->kind == CH_EMAIL) {
        if (ch->patience.kind != DIST_NONE)
            fail(L, child(cs, "patience"), "%s.patience: email never abandons", path);
        ch->due_s = 86400;
        get_num(L, cs, "due_s", &ch->due_s, 0);
    } else if (due != NULL) {
        fail(L, due, "%s.due_s: only email channels have a due time", path);
    }
    if (ch->kind == CH_MESSAGING) {
        ch->exchanges.kind = DIST_DETERMINISTIC;
        ch->exchanges.mean_s = 1;
        dist_prepare(&ch->exchanges);
        if (ex != NULL && config_setting_type(ex) == CONFIG_TYPE_GROUP) load_dist(L, ex, &ch->exchanges);
        if (reply == NULL && ex != NULL)
            missing(L, cs, "reply_delay");
        else if (reply != NULL && config_setting_type(reply) == CONFIG_TYPE_GROUP)
            load_dist(L, reply, &ch->reply_delay);
    } else {
        if (ex != NULL) fail(L, ex, "%s.exchanges: only messaging channels have exchanges", path);
        if (reply != NULL)
            fail(L, reply, "%s.reply_delay: only messaging channels have reply delays", path);
    }
}

/* concurrency (slots for chat and messaging) and the slowdown per contacts held. */
static void load_concurrency(struct loader *L, const config_setting_t *gs, struct group_spec *gr)
{
    long long k = 1;
    get_int(L, gs, "concurrency", &k, 0);
    gr->concurrency = (int)k;
    gr->slowdown = xcalloc((size_t)k, sizeof *gr->slowdown);
    for (int i = 0; i < k; i++)
        gr->slowdown[i] = 1;
    const config_setting_t *sl = child(gs, "slowdown");
    if (sl == NULL || !type_ok(sl, K_NUMS)) return;
    char path[256];
    path_of(sl, path, sizeof path);
    int n = is_sequence(sl) ? config_setting_length(sl) : 1;
    if (n != k) {
        fail(L, sl, "%s: %d values, expected %lld (one per contact held, up to concurrency)", path,
             n, k);
        return;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = is_sequence(sl) ? config_setting_get_elem(sl, (unsigned)i) : sl;
        double v = number_of(e);
        if (in_bounds(L, e, v)) gr->slowdown[i] = v;
    }
}

static int channel_index(const struct model_spec *m, const char *name);

/* Whether group g has a skill serving class (channel c, segment s). */
static int group_serves(const struct group_spec *g, int c, int s)
{
    for (int k = 0; k < g->n_skills; k++)
        if (g->skills[k] == c && (group_skill_segment(g, k) < 0 || group_skill_segment(g, k) == s))
            return 1;
    return 0;
}

/* routing: per channel (and optionally segment) the ordered groups and the wait after which
 * each may serve.  Classes without an entry keep the default: every group with the skill, in
 * config order, at once. */
static void load_routing(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    const config_setting_t *list = child(root, "routing");
    if (list == NULL || config_setting_type(list) != CONFIG_TYPE_LIST) return;
    int S = m->n_segments, G = m->n_groups, Q = m->n_channels * S;
    m->eligible_after_s = xcalloc((size_t)Q * G, sizeof(double));
    m->route_order = xcalloc((size_t)Q * G, sizeof(int));
    for (int q = 0; q < Q; q++)
        for (int i = 0; i < G; i++) {
            m->eligible_after_s[(size_t)q * G + i] = 0;
            m->route_order[(size_t)q * G + i] = i;
        }
    /* Channel-wide entries first, then segment entries, which override them for their segment. */
    for (int pass = 0; pass < 2; pass++)
        for (int e = 0; e < config_setting_length(list); e++) {
            const config_setting_t *r = config_setting_get_elem(list, (unsigned)e);
            if ((child(r, "segment") != NULL) != pass) continue;
            char path[256];
            path_of(r, path, sizeof path);
            const char *cname = get_str(L, r, "channel", 1), *sname = get_str(L, r, "segment", 0);
            const config_setting_t *steps = child(r, "steps");
            if (steps == NULL) missing(L, r, "steps");
            if (cname == NULL || steps == NULL || config_setting_type(steps) != CONFIG_TYPE_LIST)
                continue;
            int c = channel_index(m, cname), seg = -1;
            if (c < 0) {
                fail(L, child(r, "channel"), "%s.channel: no channel named '%s'", path, cname);
                continue;
            }
            for (int sg = 0; sname && sg < S; sg++)
                if (strcmp(m->segments[sg].name, sname) == 0) seg = sg;
            if (sname != NULL && seg < 0) {
                fail(L, child(r, "segment"), "%s.segment: no segment named '%s'", path, sname);
                continue;
            }
            for (int sg = 0; sg < S; sg++) {
                if (seg >= 0 && sg != seg) continue;
                size_t q = (size_t)c * (size_t)S + (size_t)sg;
                for (int i = 0; i < G; i++) {
                    m->eligible_after_s[q * G + i] = -1;
                    m->route_order[q * G + i] = -1;
                }
                int n = 0;
                for (int k = 0; k < config_setting_length(steps); k++) {
                    const config_setting_t *st = config_setting_get_elem(steps, (unsigned)k);
                    char sp[300];
                    path_of(st, sp, sizeof sp);
                    const char *gname = get_str(L, st, "group", 1);
                    double after = 0;
                    get_num(L, st, "after_s", &after, 0);
                    int g = -1;
                    for (int h = 0; gname && h < G; h++)
                        if (strcmp(m->groups[h].name, gname) == 0) g = h;
                    if (gname != NULL && g < 0 && sg == (seg >= 0 ? seg : 0))
                        fail(L, child(st, "group"), "%s.group: no group named '%s'", sp, gname);
                    if (g < 0) continue;
                    if (!group_serves(&m->groups[g], c, sg)) {
                        /* A channel-wide step skips the segments its group does not serve. */
                        int any = 0;
                        for (int x = 0; x < S; x++)
                            any |= group_serves(&m->groups[g], c, x);
                        if (seg >= 0 || (!any && sg == 0))
                            fail(L, child(st, "group"), "%s.group: group '%s' has no skill for %s%s%s",
                                 sp, gname, cname, seg >= 0 ? ":" : "",
                                 seg >= 0 ? m->segments[sg].name : "");
                        continue;
                    }
                    if (m->eligible_after_s[q * G + g] >= 0) {
                        if (sg == (seg >= 0 ? seg : 0))
                            fail(L, st, "%s: group '%s' appears twice", sp, gname);
                        continue;
                    }
                    m->eligible_after_s[q * G + g] = after;
                    m->route_order[q * G + n++] = g;
                }
            }
        }
}

/* transfer: after service, a contact moves on to another channel with a probability. */
static void load_transfer(struct loader *L, const config_setting_t *cs, struct model_spec *m, int c)
{
    const config_setting_t *t = child(cs, "transfer");
    if (t == NULL || config_setting_type(t) != CONFIG_TYPE_GROUP) return;
    char path[256];
    path_of(t, path, sizeof path);
    struct channel_spec *ch = &m->channels[c];
    const char *to = get_str(L, t, "to", 1), *mode = get_str(L, t, "mode", 0);
    get_num(L, t, "probability", &ch->transfer_p, 1);
    int d = to ? channel_index(m, to) : -1;
    if (to != NULL && d < 0) {
        fail(L, child(t, "to"), "%s.to: no channel named '%s'", path, to);
        return;
    }
    if (d == c) {
        fail(L, child(t, "to"), "%s.to: a channel cannot transfer to itself", path);
        return;
    }
    if (d >= 0 && (m->channels[d].kind == CH_MESSAGING || ch->kind == CH_MESSAGING)) {
        fail(L, t, "%s: messaging conversations are not transferred", path);
        return;
    }
    if (mode != NULL && strcmp(mode, "warm") != 0 && strcmp(mode, "cold") != 0) {
        fail(L, child(t, "mode"), "%s.mode: 'cold' or 'warm' expected, got '%s'", path, mode);
        return;
    }
    ch->transfer_warm = mode != NULL && strcmp(mode, "warm") == 0;
    if (ch->transfer_warm) get_num(L, t, "consult_s", &ch->consult_s, 1);
    ch->transfer_to = d + 1;
}

/* interrupts: the channels whose contacts this channel's contacts may put aside (email). */
static void load_interrupts(struct loader *L, const config_setting_t *cs, struct model_spec *m,
                            int c)
{
    const config_setting_t *list = child(cs, "interrupts");
    if (list == NULL || !type_ok(list, K_STRS)) return;
    char path[256];
    path_of(list, path, sizeof path);
    if (!channel_kind_real_time(m->channels[c].kind)) {
        fail(L, list, "%s: only real-time channels interrupt", path);
        return;
    }
    m->channels[c].interrupts = xcalloc((size_t)m->n_channels, sizeof(int));
    for (int i = 0; i < config_setting_length(list); i++) {
        const char *name = config_setting_get_string_elem(list, (unsigned)i);
        int d = channel_index(m, name);
        if (d < 0)
            fail(L, list, "%s: no channel named '%s'", path, name);
        else if (m->channels[d].kind != CH_EMAIL)
            fail(L, list, "%s: '%s' is not an email channel; only deferred work is interrupted",
                 path, name);
        else
            m->channels[c].interrupts[d] = 1;
    }
}

/* Blocking (lines, waiting places), balking, and prices. */
static void load_queue_limits(struct loader *L, const config_setting_t *cs, struct channel_spec *ch)
{
    long long v = -1;
    if (get_int(L, cs, "max_waiting", &v, 0)) {
        ch->limit_waiting = 1;
        ch->max_waiting = (int)v;
    }
    if (get_int(L, cs, "max_lines", &v, 0)) {
        ch->limit_lines = 1;
        ch->max_lines = (int)v;
    }
    get_num(L, cs, "cost_per_contact", &ch->cost_per_contact, 0);
    get_num(L, cs, "priority", &ch->priority, 0);
    get_num(L, cs, "priority_per_s", &ch->priority_per_s, 0);
    get_num(L, cs, "cost_per_minute", &ch->cost_per_minute, 0);
    const config_setting_t *b = child(cs, "balking");
    if (b == NULL || config_setting_type(b) != CONFIG_TYPE_GROUP) return;
    char path[256];
    path_of(b, path, sizeof path);
    const char *model = get_str(L, b, "model", 1);
    if (!get_num(L, b, "scale_s", &ch->balk_scale_s, 1) || model == NULL) return;
    if (strcmp(model, "linear") == 0)
        ch->balking = BALK_LINEAR;
    else if (strcmp(model, "exponential") == 0)
        ch->balking = BALK_EXPONENTIAL;
    else
        fail(L, child(b, "model"), "%s.model: 'linear' or 'exponential' expected, got '%s'", path,
             model);
}

static int channel_index(const struct model_spec *m, const char *name)
{
    for (int c = 0; c < m->n_channels; c++)
        if (m->channels[c].name && strcmp(m->channels[c].name, name) == 0) return c;
    return -1;
}

/* Checks that the named members of a group of numbers are channel names and sum to 1. */
static double *load_channel_shares(struct loader *L, const config_setting_t *g,
                                   const struct model_spec *m)
{
    char path[256];
    path_of(g, path, sizeof path);
    double *v = xcalloc((size_t)m->n_channels, sizeof *v), sum = 0;
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        int c = channel_index(m, config_setting_name(e));
        if (c < 0) {
            fail(L, e, "%s.%s: no channel named '%s'", path, config_setting_name(e),
                 config_setting_name(e));
            continue;
        }
        if (is_number(e)) sum += v[c] = number_of(e);
    }
    if (fabs(sum - 1) > 1e-9) fail(L, g, "%s: shares sum to %.10g, not 1", path, sum);
    return v;
}

/* Segments; without any, one "default" segment with every arrival. */
static void load_segments(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    const config_setting_t *list = child(root, "segments");
    int demand = child(root, "demand") != NULL;
    m->n_segments = list && config_setting_type(list) == CONFIG_TYPE_LIST ? config_setting_length(list) : 0;
    if (m->n_segments == 0) {
        if (list != NULL) fail(L, list, "segments: at least one segment expected");
        if (demand) fail(L, child(root, "demand"), "demand: needs segments with channel_choice");
        m->n_segments = 1;
        m->segments = xcalloc(1, sizeof *m->segments);
        m->segments[0].name = xstrdup("default");
        m->segments[0].share = 1;
        m->segments[0].self_service = 1;
        m->segments[0].patience = xcalloc((size_t)m->n_channels, sizeof(struct dist));
        return;
    }
    m->segments = xcalloc((size_t)m->n_segments, sizeof *m->segments);
    double total = 0;
    for (int s = 0; s < m->n_segments; s++) {
        const config_setting_t *ss = config_setting_get_elem(list, (unsigned)s);
        struct segment_spec *seg = &m->segments[s];
        seg->patience = xcalloc((size_t)m->n_channels, sizeof(struct dist));
        seg->self_service = 1;
        char path[256];
        path_of(ss, path, sizeof path);
        const char *name = get_str(L, ss, "name", 1);
        seg->name = xstrdup(name ? name : "?");
        for (int k = 0; k < s && name; k++)
            if (strcmp(m->segments[k].name, name) == 0)
                fail(L, child(ss, "name"), "%s.name: duplicate segment name '%s'", path, name);
        get_num(L, ss, "share", &seg->share, 1);
        total += seg->share;
        get_num(L, ss, "value", &seg->value, 0);
        get_num(L, ss, "priority", &seg->priority, 0);
        const config_setting_t *acc = child(ss, "self_service");
        if (acc != NULL && config_setting_type(acc) == CONFIG_TYPE_BOOL)
            seg->self_service = config_setting_get_bool(acc);
        const config_setting_t *pat = child(ss, "patience");
        for (int i = 0; pat && i < config_setting_length(pat); i++) {
            const config_setting_t *e = config_setting_get_elem(pat, (unsigned)i);
            int c = channel_index(m, config_setting_name(e));
            if (c < 0)
                fail(L, e, "%s.patience.%s: no channel named '%s'", path, config_setting_name(e),
                     config_setting_name(e));
            else if (m->channels[c].kind == CH_EMAIL)
                fail(L, e, "%s.patience.%s: email never abandons", path, config_setting_name(e));
            else if (config_setting_type(e) == CONFIG_TYPE_GROUP)
                load_dist(L, e, &seg->patience[c]);
        }
        const config_setting_t *own = child(ss, "arrivals_per_hour");
        for (int i = 0; own && i < config_setting_length(own); i++) {
            const config_setting_t *e = config_setting_get_elem(own, (unsigned)i);
            if (channel_index(m, config_setting_name(e)) < 0)
                fail(L, e, "%s.arrivals_per_hour.%s: no channel named '%s'", path,
                     config_setting_name(e), config_setting_name(e));
        }
        const config_setting_t *choice = child(ss, "channel_choice");
        if (choice != NULL && !demand)
            fail(L, choice, "%s.channel_choice: only with 'demand' (otherwise each channel has its "
                            "own arrivals_per_hour)",
                 path);
        else if (choice == NULL && demand)
            missing(L, ss, "channel_choice");
        else if (choice != NULL)
            free(load_channel_shares(L, choice, m)); /* validated here, used by split_rates */
    }
    if (fabs(total - 1) > 1e-9) fail(L, list, "segments: shares sum to %.10g, not 1", total);
}

/* A channel's self-service front; success per segment defaults to the front's success. */
static void load_self_service(struct loader *L, const config_setting_t *g, struct model_spec *m,
                              int c)
{
    struct self_service_spec *ss = &m->channels[c].self_service;
    ss->success = xcalloc((size_t)m->n_segments, sizeof *ss->success);
    ss->escalate = 1;
    ss->escalate_to = c;
    ss->frustration = ss->uplift = 1;
    if (g == NULL || config_setting_type(g) != CONFIG_TYPE_GROUP) return;
    char path[256];
    path_of(g, path, sizeof path);
    ss->enabled = 1;
    const char *label = get_str(L, g, "label", 0), *policy = get_str(L, g, "policy", 0);
    ss->label = xstrdup(label ? label : "self-service");
    ss->forced = 1;
    if (policy != NULL && strcmp(policy, "optional") == 0)
        ss->forced = 0;
    else if (policy != NULL && strcmp(policy, "forced") != 0)
        fail(L, child(g, "policy"), "%s.policy: 'forced' or 'optional' expected, got '%s'", path,
             policy);
    const config_setting_t *t = child(g, "time");
    if (t == NULL)
        missing(L, g, "time");
    else if (config_setting_type(t) == CONFIG_TYPE_GROUP)
        load_dist(L, t, &ss->time);
    double success = 0;
    get_num(L, g, "success", &success, 1);
    for (int s = 0; s < m->n_segments; s++)
        ss->success[s] = success;
    const config_setting_t *by = child(g, "success_by_segment");
    for (int i = 0; by && i < config_setting_length(by); i++) {
        const config_setting_t *e = config_setting_get_elem(by, (unsigned)i);
        int found = -1;
        for (int s = 0; s < m->n_segments; s++)
            if (strcmp(m->segments[s].name, config_setting_name(e)) == 0) found = s;
        if (found < 0)
            fail(L, e, "%s.success_by_segment.%s: no segment named '%s'", path,
                 config_setting_name(e), config_setting_name(e));
        else if (is_number(e))
            ss->success[found] = number_of(e);
    }
    get_num(L, g, "escalate", &ss->escalate, 0);
    get_num(L, g, "frustration", &ss->frustration, 0);
    get_num(L, g, "uplift", &ss->uplift, 0);
    const char *to = get_str(L, g, "escalate_to", 0);
    if (to != NULL) {
        ss->escalate_to = channel_index(m, to);
        if (ss->escalate_to < 0) {
            fail(L, child(g, "escalate_to"), "%s.escalate_to: no channel named '%s'", path, to);
            ss->escalate_to = c;
        }
    }
}

static void load_busyness(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    const config_setting_t *list = child(root, "busyness");
    if (list == NULL || config_setting_type(list) != CONFIG_TYPE_LIST) return;
    m->n_busyness = config_setting_length(list);
    m->busyness = xcalloc((size_t)m->n_busyness, sizeof *m->busyness);
    for (int b = 0; b < m->n_busyness; b++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)b);
        char path[256];
        path_of(g, path, sizeof path);
        const char *name = get_str(L, g, "name", 0);
        m->busyness[b].name = xstrdup(name ? name : "all");
        m->busyness[b].shape = 1;
        get_num(L, g, "shape", &m->busyness[b].shape, 1);
        const config_setting_t *chans = child(g, "channels");
        int n = chans && type_ok(chans, K_STRS) ? config_setting_length(chans) : -1;
        for (int c = 0; c < m->n_channels && n < 0; c++) {
            if (m->channels[c].busyness_group > 0)
                fail(L, g, "%s: channel '%s' is already in busyness group '%s'", path,
                     m->channels[c].name, m->busyness[m->channels[c].busyness_group - 1].name);
            m->channels[c].busyness_group = b + 1;
        }
        for (int i = 0; i < n; i++) {
            const char *want = config_setting_get_string_elem(chans, (unsigned)i);
            int c = channel_index(m, want);
            if (c < 0)
                fail(L, chans, "%s.channels: no channel named '%s'", path, want);
            else if (m->channels[c].busyness_group > 0)
                fail(L, chans, "%s.channels: channel '%s' is already in busyness group '%s'", path,
                     want, m->busyness[m->channels[c].busyness_group - 1].name);
            else
                m->channels[c].busyness_group = b + 1;
        }
    }
}

/* Arrival rates per (channel, segment, interval): a channel's own curve split by the segment
 * shares, or the demand curve split by share and channel choice (Poisson thinning: the streams
 * are independent Poisson processes). */
static void split_rates(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    int nt = model_total_intervals(m), S = m->n_segments;
    const config_setting_t *demand = child(root, "demand");
    double *total = NULL;
    if (demand != NULL) {
        total = get_per_interval(L, demand, "arrivals_per_hour", m->n_intervals, m->n_days, 1);
        if (total == NULL) return;
    }
    const config_setting_t *list = child(root, "segments");
    for (int c = 0; c < m->n_channels; c++) {
        struct channel_spec *ch = &m->channels[c];
        double *split = xcalloc((size_t)S * nt, sizeof *split);
        for (int s = 0; s < S; s++) {
            /* A segment's own curve for this channel replaces its share of the channel's. */
            const config_setting_t *own =
                list ? child(child(config_setting_get_elem(list, (unsigned)s), "arrivals_per_hour"),
                             ch->name)
                     : NULL;
            if (own != NULL) {
                double *v = get_per_interval(L, config_setting_parent(own), ch->name,
                                             m->n_intervals, m->n_days, 1);
                for (int i = 0; v && i < nt; i++)
                    split[s * nt + i] = v[i] / 3600;
                free(v);
                continue;
            }
            double share = m->segments[s].share;
            if (total != NULL) {
                const config_setting_t *choice =
                    child(config_setting_get_elem(list, (unsigned)s), "channel_choice");
                double *v = load_channel_shares(L, choice, m);
                share *= v[c];
                free(v);
            }
            for (int i = 0; i < nt; i++)
                split[s * nt + i] = share * (total ? total[i] / 3600 : ch->rate_per_s[i]);
        }
        free(ch->rate_per_s);
        ch->rate_per_s = split;
    }
    free(total);
}

/* Parses "HH:MM" into seconds after midnight; -1 when malformed. */
static double clock_s(const char *s);
static void load_callback(struct loader *L, const config_setting_t *cs, struct channel_spec *ch);
static void load_journeys(struct loader *L, const config_setting_t *root, struct model_spec *m);
static void load_incidents(struct loader *L, const config_setting_t *root, struct model_spec *m);

/* A group's skills: "channel" or "channel:segment" names, or groups with `skill` and its
 * proficiency, first-contact resolution and wrap-up. */
static void load_skills(struct loader *L, const config_setting_t *gs, struct group_spec *gr,
                        const struct model_spec *m)
{
    const config_setting_t *sk = child(gs, "skills");
    if (sk == NULL || !type_ok(sk, K_SKILLS)) return;
    char path[256];
    path_of(sk, path, sizeof path);
    const config_setting_t *res = child(gs, "reserve");
    if (res != NULL && config_setting_type(res) == CONFIG_TYPE_GROUP) {
        char rp[256];
        path_of(res, rp, sizeof rp);
        const char *ch = get_str(L, res, "channel", 1);
        long long n = 1;
        get_int(L, res, "agents", &n, 1);
        gr->reserve_agents = (int)n;
        int c = ch ? channel_index(m, ch) : -1;
        if (ch != NULL && c < 0) fail(L, child(res, "channel"), "%s.channel: no channel named '%s'", rp, ch);
        gr->reserve_channel = c + 1;
    }
    gr->n_skills = config_setting_length(sk);
    if (gr->n_skills > 255) {
        fail(L, sk, "%s: at most 255 skills per group", path);
        return;
    }
    gr->skills = xcalloc((size_t)gr->n_skills + 1, sizeof *gr->skills);
    gr->skill_segment = xcalloc((size_t)gr->n_skills + 1, sizeof *gr->skill_segment);
    gr->proficiency = xcalloc((size_t)gr->n_skills + 1, sizeof *gr->proficiency);
    gr->fcr = xcalloc((size_t)gr->n_skills + 1, sizeof *gr->fcr);
    gr->wrapup = xcalloc((size_t)gr->n_skills + 1, sizeof *gr->wrapup);
    for (int k = 0; k < gr->n_skills; k++) {
        const config_setting_t *e = config_setting_get_elem(sk, (unsigned)k);
        const char *want = NULL;
        gr->proficiency[k] = 1;
        gr->fcr[k] = -1; /* until known: the skill's own, else its channel's */
        if (config_setting_type(e) == CONFIG_TYPE_STRING) {
            want = config_setting_get_string(e);
        } else if (config_setting_type(e) == CONFIG_TYPE_GROUP) {
            want = get_str(L, e, "skill", 1);
            get_num(L, e, "proficiency", &gr->proficiency[k], 0);
            get_num(L, e, "fcr", &gr->fcr[k], 0);
            const config_setting_t *w = child(e, "wrapup");
            if (w != NULL && config_setting_type(w) == CONFIG_TYPE_GROUP)
                load_dist(L, w, &gr->wrapup[k]);
        }
        gr->skills[k] = -1;
        gr->skill_segment[k] = -1;
        if (want == NULL) continue;
        for (int j = 0; j < k; j++) {
            const config_setting_t *o = config_setting_get_elem(sk, (unsigned)j);
            const char *prev = config_setting_type(o) == CONFIG_TYPE_STRING
                                   ? config_setting_get_string(o)
                                   : (child(o, "skill") ? config_setting_get_string(child(o, "skill"))
                                                        : NULL);
            if (prev != NULL && strcmp(prev, want) == 0)
                fail(L, e, "%s: skill '%s' listed twice", path, want);
        }
        const char *colon = strchr(want, ':');
        size_t clen = colon ? (size_t)(colon - want) : strlen(want);
        for (int c = 0; c < m->n_channels; c++)
            if (m->channels[c].name && strlen(m->channels[c].name) == clen &&
                strncmp(m->channels[c].name, want, clen) == 0)
                gr->skills[k] = c;
        if (gr->skills[k] < 0) {
            fail(L, e, "%s: no channel named '%.*s'", path, (int)clen, want);
            continue;
        }
        if (gr->fcr[k] < 0) gr->fcr[k] = m->channels[gr->skills[k]].fcr;
        if (colon != NULL) {
            for (int sg = 0; sg < m->n_segments; sg++)
                if (strcmp(m->segments[sg].name, colon + 1) == 0) gr->skill_segment[k] = sg;
            if (gr->skill_segment[k] < 0)
                fail(L, e, "%s: no segment named '%s' (in skill '%s')", path, colon + 1, want);
        }
    }
}

/* Shifts and breaks, absenteeism, shrinkage and the hourly cost. */
static void load_group_people(struct loader *L, const config_setting_t *gs, struct group_spec *gr,
                              const struct model_spec *m)
{
    char path[256];
    path_of(gs, path, sizeof path);
    get_num(L, gs, "absenteeism", &gr->absenteeism, 0);
    get_num(L, gs, "shrinkage", &gr->shrinkage, 0);
    double minutes = 30;
    get_num(L, gs, "shrinkage_period_min", &minutes, 0);
    gr->shrinkage_period_s = minutes * 60;
    get_num(L, gs, "cost_per_hour", &gr->cost_per_hour, 0);
    double period_min = 30;
    gr->cap_pause_s = 30;
    get_num(L, gs, "occupancy_cap", &gr->occupancy_cap, 0);
    get_num(L, gs, "occupancy_cap_period_min", &period_min, 0);
    get_num(L, gs, "occupancy_cap_pause_s", &gr->cap_pause_s, 0);
    gr->cap_period_s = period_min * 60;
    const config_setting_t *list = child(gs, "shifts");
    if (list == NULL || config_setting_type(list) != CONFIG_TYPE_LIST) return;
    if (m->mode != MODE_DAY) {
        fail(L, list, "%s.shifts: shifts need mode \"day\"", path);
        return;
    }
    if (child(gs, "agents") != NULL) {
        fail(L, child(gs, "agents"), "%s.agents: the shifts give the staffing; remove one of the two",
             path);
        return;
    }
    gr->n_shifts = config_setting_length(list);
    gr->shifts = xcalloc((size_t)gr->n_shifts, sizeof *gr->shifts);
    for (int i = 0; i < gr->n_shifts; i++) {
        const config_setting_t *sh = config_setting_get_elem(list, (unsigned)i);
        struct shift_spec *sp = &gr->shifts[i];
        char sp_path[300];
        path_of(sh, sp_path, sizeof sp_path);
        const char *start = get_str(L, sh, "start", 1);
        double hours = 0;
        long long agents = 0;
        get_num(L, sh, "length_h", &hours, 1);
        get_int(L, sh, "agents", &agents, 1);
        sp->length_s = hours * 3600;
        sp->agents = (int)agents;
        sp->start_s = start ? clock_s(start) : 0;
        if (start != NULL && (sp->start_s < 0 || sp->start_s < m->day_start_s))
            fail(L, child(sh, "start"), "%s.start: a time 'HH:MM' from day.start on expected, got '%s'",
                 sp_path, start);
        const config_setting_t *bl = child(sh, "breaks");
        sp->n_breaks = bl && config_setting_type(bl) == CONFIG_TYPE_LIST ? config_setting_length(bl) : 0;
        sp->breaks = xcalloc((size_t)sp->n_breaks + 1, sizeof *sp->breaks);
        double prev_end = sp->start_s;
        for (int b = 0; b < sp->n_breaks; b++) {
            const config_setting_t *be = config_setting_get_elem(bl, (unsigned)b);
            struct break_spec *bp = &sp->breaks[b];
            char b_path[320];
            path_of(be, b_path, sizeof b_path);
            const char *e = get_str(L, be, "earliest", 1), *l = get_str(L, be, "latest", 1);
            double len = 0;
            get_num(L, be, "length_min", &len, 1);
            bp->length_s = len * 60;
            bp->earliest_s = e ? clock_s(e) : -1;
            bp->latest_s = l ? clock_s(l) : -1;
            if (e == NULL || l == NULL) continue;
            if (bp->earliest_s < 0 || bp->latest_s < bp->earliest_s) {
                fail(L, be, "%s: earliest and latest must be times 'HH:MM' with earliest <= latest",
                     b_path);
                continue;
            }
            if (bp->earliest_s < prev_end || bp->latest_s + bp->length_s > sp->start_s + sp->length_s) {
                fail(L, be, "%s: the break must lie inside the shift, after the previous break",
                     b_path);
                continue;
            }
            prev_end = bp->latest_s + bp->length_s;
        }
    }
}

/* Shift templates: the building blocks of `ccsim schedule`, checked here so a bad template is
 * reported with its line like any other key. */
static void load_shift_templates(struct loader *L, const config_setting_t *gs, struct group_spec *gr,
                                 const struct model_spec *m)
{
    const config_setting_t *list = child(gs, "shift_templates");
    if (list == NULL || config_setting_type(list) != CONFIG_TYPE_LIST) return;
    char path[256];
    path_of(list, path, sizeof path);
    if (m->mode != MODE_DAY) {
        fail(L, list, "%s: shift templates need mode \"day\"", path);
        return;
    }
    gr->n_templates = config_setting_length(list);
    gr->templates = xcalloc((size_t)gr->n_templates + 1, sizeof *gr->templates);
    double day_end_s = m->day_start_s + m->n_intervals * m->interval_s;
    for (int t = 0; t < gr->n_templates; t++) {
        const config_setting_t *ts = config_setting_get_elem(list, (unsigned)t);
        struct shift_template *tp = &gr->templates[t];
        char tpath[300];
        path_of(ts, tpath, sizeof tpath);
        const char *name = get_str(L, ts, "name", 1);
        tp->name = xstrdup(name ? name : "");
        for (int u = 0; name && u < t; u++)
            if (strcmp(gr->templates[u].name, name) == 0)
                fail(L, child(ts, "name"), "%s.name: '%s' names two templates", tpath, name);
        const char *first = get_str(L, ts, "earliest_start", 1);
        const char *last = get_str(L, ts, "latest_start", 0);
        double hours = 0, step_min = m->interval_s / 60;
        get_num(L, ts, "length_h", &hours, 1);
        get_num(L, ts, "start_step_min", &step_min, 0);
        tp->length_s = hours * 3600;
        tp->start_step_s = step_min * 60;
        tp->earliest_start_s = first ? clock_s(first) : m->day_start_s;
        tp->latest_start_s = last ? clock_s(last) : tp->earliest_start_s;
        if (first != NULL && (tp->earliest_start_s < m->day_start_s || tp->earliest_start_s >= day_end_s))
            fail(L, child(ts, "earliest_start"),
                 "%s.earliest_start: a time 'HH:MM' from day.start to before day.end expected, got '%s'",
                 tpath, first);
        else if (last != NULL && (tp->latest_start_s < tp->earliest_start_s || tp->latest_start_s >= day_end_s))
            fail(L, child(ts, "latest_start"),
                 "%s.latest_start: a time 'HH:MM' from earliest_start to before day.end expected, got '%s'",
                 tpath, last);
        tp->cost = hours * gr->cost_per_hour;
        get_num(L, ts, "cost", &tp->cost, 0);
        long long lo = 0, hi = -1;
        get_int(L, ts, "min", &lo, 0);
        get_int(L, ts, "max", &hi, 0);
        tp->min_count = (int)lo;
        tp->max_count = (int)hi;
        if (hi >= 0 && hi < lo) fail(L, child(ts, "max"), "%s.max: %lld is below min %lld", tpath, hi, lo);
        const config_setting_t *bl = child(ts, "breaks");
        tp->n_breaks = bl && config_setting_type(bl) == CONFIG_TYPE_LIST ? config_setting_length(bl) : 0;
        tp->breaks = xcalloc((size_t)tp->n_breaks + 1, sizeof *tp->breaks);
        double prev_end_s = 0;
        for (int b = 0; b < tp->n_breaks; b++) {
            const config_setting_t *be = config_setting_get_elem(bl, (unsigned)b);
            struct template_break *bp = &tp->breaks[b];
            char bpath[320];
            path_of(be, bpath, sizeof bpath);
            double e = 0, l = -1, len = 0, bstep = m->interval_s / 60;
            get_num(L, be, "earliest_after_min", &e, 1);
            get_num(L, be, "latest_after_min", &l, 0);
            get_num(L, be, "length_min", &len, 1);
            get_num(L, be, "step_min", &bstep, 0);
            if (l < 0) l = e;
            bp->earliest_after_s = e * 60;
            bp->latest_after_s = l * 60;
            bp->length_s = len * 60;
            bp->step_s = bstep * 60;
            if (l < e)
                fail(L, be, "%s: latest_after_min %g is before earliest_after_min %g", bpath, l, e);
            else if (bp->earliest_after_s < prev_end_s || bp->latest_after_s + bp->length_s > tp->length_s)
                fail(L, be, "%s: the break must lie inside the shift, after the previous break", bpath);
            prev_end_s = bp->earliest_after_s + bp->length_s;
        }
    }
}

/* Parses "HH:MM" into seconds after midnight; -1 when malformed. */
static double clock_s(const char *s)
{
    int h, m;
    if (scan_clock(s, &h, &m) != 0 || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
        return -1;
    return h * 3600.0 + m * 60.0;
}

static void load_general(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    const char *mode = get_str(L, root, "mode", 1);
    if (mode == NULL) return;
    if (strcmp(mode, "steady") == 0) {
        m->mode = MODE_STEADY;
    } else if (strcmp(mode, "day") == 0) {
        m->mode = MODE_DAY;
    } else {
        fail(L, child(root, "mode"), "mode: 'steady' or 'day' expected, got '%s'", mode);
        return;
    }

    m->n_intervals = 1;
    m->n_days = 1;
    if (m->mode == MODE_STEADY) {
        const config_setting_t *st = child(root, "steady");
        if (st == NULL) {
            missing(L, root, "steady");
            return;
        }
        get_int(L, st, "contacts", &m->contacts, 1);
        get_int(L, st, "warmup_contacts", &m->warmup_contacts, 0);
    } else {
        const config_setting_t *day = child(root, "day");
        if (day == NULL) {
            missing(L, root, "day");
            return;
        }
        const char *start = get_str(L, day, "start", 1), *end = get_str(L, day, "end", 1);
        double minutes = 0;
        if (!get_num(L, day, "interval_min", &minutes, 1) || start == NULL || end == NULL) return;
        double a = clock_s(start), b = clock_s(end);
        if (a < 0) fail(L, child(day, "start"), "day.start: time 'HH:MM' expected, got '%s'", start);
        if (b < 0) fail(L, child(day, "end"), "day.end: time 'HH:MM' expected, got '%s'", end);
        if (a < 0 || b < 0) return;
        m->interval_s = minutes * 60;
        double n = (b - a) / m->interval_s;
        if (!(b > a) || n != floor(n)) {
            fail(L, day, "day: end must be after start by a whole number of intervals");
            return;
        }
        m->day_start_s = a;
        m->n_intervals = (int)n;
        long long days = 1;
        get_int(L, day, "days", &days, 0);
        m->n_days = (int)days;
        for (int t = 0; t < 2; t++) {
            const config_setting_t *f = child(day, t == 0 ? "arrivals_csv" : "staffing_csv");
            if (f == NULL || config_setting_type(f) != CONFIG_TYPE_STRING) continue;
            char path[4096];
            resolve_path(f, path, sizeof path);
            struct forecast *tab = t == 0 ? &L->arrivals : &L->staffing;
            if (access(path, R_OK) != 0) {
                fail(L, f, "day.%s: cannot open '%s': %s", config_setting_name(f), path,
                     strerror(errno));
                continue;
            }
            if (forecast_read(tab, path, m->n_intervals, m->n_days, m->day_start_s, m->interval_s,
                              L->d) != 0)
                L->errors++;
            else
                *(t == 0 ? &L->have_arrivals : &L->have_staffing) = 1;
        }
    }

    const config_setting_t *chans = child(root, "channels");
    const config_setting_t *groups = child(root, "groups");
    if (chans == NULL) missing(L, root, "channels");
    if (groups == NULL) missing(L, root, "groups");
    if (chans == NULL || groups == NULL || config_setting_type(chans) != CONFIG_TYPE_LIST ||
        config_setting_type(groups) != CONFIG_TYPE_LIST)
        return;
    m->n_channels = config_setting_length(chans);
    m->n_groups = config_setting_length(groups);
    if (m->n_channels == 0) fail(L, chans, "channels: at least one channel expected");
    if (m->n_groups == 0) fail(L, groups, "groups: at least one group expected");
    m->channels = xcalloc((size_t)m->n_channels, sizeof *m->channels);
    m->groups = xcalloc((size_t)m->n_groups, sizeof *m->groups);

    for (int c = 0; c < m->n_channels; c++) {
        const config_setting_t *cs = config_setting_get_elem(chans, (unsigned)c);
        struct channel_spec *ch = &m->channels[c];
        if (config_setting_type(cs) != CONFIG_TYPE_GROUP) continue;
        const char *name = get_str(L, cs, "name", 1);
        char path[256];
        path_of(cs, path, sizeof path);
        ch->name = xstrdup(name ? name : "?");
        for (int k = 0; k < c && name; k++)
            if (strcmp(m->channels[k].name, name) == 0)
                fail(L, child(cs, "name"), "%s.name: duplicate channel name '%s'", path, name);
        ch->sl_seconds = 20;
        get_num(L, cs, "sl_seconds", &ch->sl_seconds, 0);
        ch->sl_target = 0.8;
        get_num(L, cs, "sl_target", &ch->sl_target, 0);
        ch->fcr = 1;
        get_num(L, cs, "fcr", &ch->fcr, 0);
        double *rates = NULL;
        if (child(root, "demand") == NULL)
            rates = per_interval_or_csv(L, cs, "arrivals_per_hour", name, m->n_intervals,
                                        m->n_days, L->have_arrivals ? &L->arrivals : NULL);
        else if (child(cs, "arrivals_per_hour") != NULL)
            fail(L, child(cs, "arrivals_per_hour"),
                 "%s.arrivals_per_hour: arrivals come from 'demand' and the segments' "
                 "channel_choice; remove one of the two",
                 path);
        if (rates != NULL) {
            for (int i = 0; i < model_total_intervals(m); i++)
                rates[i] /= 3600;
            ch->rate_per_s = rates;
        }
        const config_setting_t *svc = child(cs, "service"), *pat = child(cs, "patience");
        if (svc == NULL)
            missing(L, cs, "service");
        else if (config_setting_type(svc) == CONFIG_TYPE_GROUP)
            load_dist(L, svc, &ch->service);
        if (pat != NULL && config_setting_type(pat) == CONFIG_TYPE_GROUP)
            load_dist(L, pat, &ch->patience);
        load_channel_kind(L, cs, ch);
        load_queue_limits(L, cs, ch);
    }

    for (int g = 0; g < m->n_groups; g++) {
        const config_setting_t *gs = config_setting_get_elem(groups, (unsigned)g);
        struct group_spec *gr = &m->groups[g];
        if (config_setting_type(gs) != CONFIG_TYPE_GROUP) continue;
        char path[256];
        path_of(gs, path, sizeof path);
        const char *name = get_str(L, gs, "name", 1);
        gr->name = xstrdup(name ? name : "?");
        double *agents = child(gs, "shifts") != NULL
                             ? NULL
                             : per_interval_or_csv(L, gs, "agents", name, m->n_intervals,
                                                   m->n_days, L->have_staffing ? &L->staffing : NULL);
        gr->agents = xcalloc((size_t)model_total_intervals(m), sizeof *gr->agents);
        if (agents != NULL)
            for (int i = 0; i < model_total_intervals(m); i++)
                gr->agents[i] = (int)agents[i];
        free(agents);
        load_concurrency(L, gs, gr);
        if (child(gs, "skills") == NULL) missing(L, gs, "skills");
        load_group_people(L, gs, gr, m);
        load_shift_templates(L, gs, gr, m);
        if (gr->n_shifts > 0) model_shift_peaks(m, gr);
    }
    if (L->have_arrivals) check_columns(L, &L->arrivals, "channel");
    if (L->have_staffing) check_columns(L, &L->staffing, "group");
    /* Segments and skills are checked even after other errors, so every problem is reported. */
    load_segments(L, root, m);
    for (int g = 0; g < m->n_groups; g++)
        load_skills(L, config_setting_get_elem(groups, (unsigned)g), &m->groups[g], m);
    if (L->errors > 0) return;
    load_routing(L, root, m);
    for (int c = 0; c < m->n_channels; c++) {
        const config_setting_t *ss =
            child(config_setting_get_elem(chans, (unsigned)c), "self_service");
        load_self_service(L, ss, m, c);
    }
    load_busyness(L, root, m);
    for (int c = 0; c < m->n_channels; c++) {
        load_interrupts(L, config_setting_get_elem(chans, (unsigned)c), m, c);
        load_transfer(L, config_setting_get_elem(chans, (unsigned)c), m, c);
        load_callback(L, config_setting_get_elem(chans, (unsigned)c), &m->channels[c]);
    }
    load_journeys(L, root, m);
    load_incidents(L, root, m);
    if (L->errors == 0) split_rates(L, root, m);
}

/* ==== Journeys, callbacks and incidents ==== */

static void load_callback(struct loader *L, const config_setting_t *cs, struct channel_spec *ch)
{
    const config_setting_t *g = child(cs, "callback");
    if (g == NULL || config_setting_type(g) != CONFIG_TYPE_GROUP) return;
    char path[256];
    path_of(g, path, sizeof path);
    if (ch->kind != CH_VOICE) {
        fail(L, g, "%s: callbacks are offered on voice channels only", path);
        return;
    }
    struct callback_spec *cb = &ch->callback;
    cb->enabled = 1;
    cb->reach = 1;
    cb->attempt_s = 30;
    cb->retry_after_s = 300;
    cb->max_tries = 3;
    get_num(L, g, "offer_above_s", &cb->offer_above_s, 1);
    get_num(L, g, "accept", &cb->accept, 1);
    get_num(L, g, "reach", &cb->reach, 0);
    get_num(L, g, "attempt_s", &cb->attempt_s, 0);
    get_num(L, g, "retry_after_s", &cb->retry_after_s, 0);
    long long tries = cb->max_tries;
    get_int(L, g, "max_tries", &tries, 0);
    cb->max_tries = (int)tries;
    const char *fail_mode = get_str(L, g, "on_failure", 0);
    cb->retry = 1;
    if (fail_mode != NULL && strcmp(fail_mode, "give_up") == 0)
        cb->retry = 0;
    else if (fail_mode != NULL && strcmp(fail_mode, "retry") != 0)
        fail(L, child(g, "on_failure"), "%s.on_failure: 'retry' or 'give_up' expected, got '%s'",
             path, fail_mode);
    static const char *const retry_keys[] = {"retry_after_s", "max_tries"};
    for (int i = 0; i < 2 && !cb->retry; i++)
        if (child(g, retry_keys[i]) != NULL)
            fail(L, child(g, retry_keys[i]), "%s.%s: only with on_failure = \"retry\"", path,
                 retry_keys[i]);
}

/* A channel named by a journey key: its index, or -1 (the contact's own) when the key is
 * absent. */
static int journey_channel(struct loader *L, const config_setting_t *g, const struct model_spec *m)
{
    const char *name = get_str(L, g, "channel", 0);
    if (name == NULL) return -1;
    int c = channel_index(m, name);
    if (c < 0) {
        char path[256];
        path_of(child(g, "channel"), path, sizeof path);
        fail(L, child(g, "channel"), "%s: no channel named '%s'", path, name);
    }
    return c;
}

static void load_churn(struct loader *L, const config_setting_t *g, struct churn_spec *ch)
{
    char path[256];
    path_of(g, path, sizeof path);
    const char *model = get_str(L, g, "model", 1);
    if (model == NULL) return;
    const config_setting_t *table = child(g, "table");
    static const char *const logistic_keys[] = {"intercept", "per_wait_min", "per_extra_contact",
                                                "gave_up"};
    if (strcmp(model, "logistic") == 0) {
        ch->model = CHURN_LOGISTIC;
        get_num(L, g, "intercept", &ch->intercept, 1);
        get_num(L, g, "per_wait_min", &ch->per_wait_min, 0);
        get_num(L, g, "per_extra_contact", &ch->per_extra_contact, 0);
        get_num(L, g, "gave_up", &ch->gave_up, 0);
        if (table != NULL) fail(L, table, "%s.table: only with model = \"table\"", path);
        return;
    }
    if (strcmp(model, "table") != 0) {
        fail(L, child(g, "model"), "%s.model: 'logistic' or 'table' expected, got '%s'", path, model);
        return;
    }
    ch->model = CHURN_TABLE;
    for (size_t i = 0; i < sizeof logistic_keys / sizeof *logistic_keys; i++)
        if (child(g, logistic_keys[i]) != NULL)
            fail(L, child(g, logistic_keys[i]), "%s.%s: only with model = \"logistic\"", path,
                 logistic_keys[i]);
    if (table == NULL) {
        missing(L, g, "table");
        return;
    }
    if (config_setting_type(table) != CONFIG_TYPE_LIST) return;
    ch->n_rows = config_setting_length(table);
    if (ch->n_rows == 0) fail(L, table, "%s.table: at least one row expected", path);
    ch->rows = xcalloc((size_t)ch->n_rows + 1, sizeof *ch->rows);
    for (int i = 0; i < ch->n_rows; i++) {
        const config_setting_t *row = config_setting_get_elem(table, (unsigned)i);
        struct churn_row *w = &ch->rows[i];
        w->min_contacts = 1;
        w->outcome = -1;
        if (config_setting_type(row) != CONFIG_TYPE_GROUP) continue;
        char rp[256];
        path_of(row, rp, sizeof rp);
        long long n = 1;
        get_num(L, row, "min_wait_s", &w->min_wait_s, 0);
        get_int(L, row, "min_contacts", &n, 0);
        w->min_contacts = (int)n;
        get_num(L, row, "p", &w->p, 1);
        const char *outcome = get_str(L, row, "outcome", 0);
        if (outcome == NULL || strcmp(outcome, "any") == 0)
            w->outcome = -1;
        else if (strcmp(outcome, "resolved") == 0)
            w->outcome = 0;
        else if (strcmp(outcome, "gave_up") == 0)
            w->outcome = 1;
        else
            fail(L, child(row, "outcome"),
                 "%s.outcome: 'resolved', 'gave_up' or 'any' expected, got '%s'", rp, outcome);
    }
}

/* A retrial or repeat: probability (required for retrials, default 1 for repeats), delay, the
 * cap named max_key (default 3) and the channel. */
static void load_return(struct loader *L, const config_setting_t *g, const struct model_spec *m,
                        struct return_spec *rs, const char *max_key, int probability_required)
{
    long long n = 3;
    rs->enabled = 1;
    rs->probability = 1;
    get_num(L, g, "probability", &rs->probability, probability_required);
    get_int(L, g, max_key, &n, 0);
    rs->max = (int)n;
    const config_setting_t *d = child(g, "delay");
    if (d == NULL)
        missing(L, g, "delay");
    else if (config_setting_type(d) == CONFIG_TYPE_GROUP)
        load_dist(L, d, &rs->delay);
    rs->channel = journey_channel(L, g, m);
}

/* The parts of a journey a group (the top-level `journeys`, or a segment) gives; `own` says
 * which parts it gave (bits 1 retrial, 2 repeat, 4 churn). */
static int load_journey_parts(struct loader *L, const config_setting_t *g,
                              const struct model_spec *m, struct journey_spec *j)
{
    int own = 0;
    const config_setting_t *rt = child(g, "retrial"), *rp = child(g, "repeat"),
                           *ch = child(g, "churn");
    if (rt != NULL && config_setting_type(rt) == CONFIG_TYPE_GROUP) {
        own |= 1;
        load_return(L, rt, m, &j->retrial, "max_attempts", 1);
    }
    if (rp != NULL && config_setting_type(rp) == CONFIG_TYPE_GROUP) {
        own |= 2;
        load_return(L, rp, m, &j->repeat, "max_repeats", 0);
    }
    if (ch != NULL && config_setting_type(ch) == CONFIG_TYPE_GROUP) {
        own |= 4;
        load_churn(L, ch, &j->churn);
    }
    return own;
}

/* The top-level journeys are every segment's; a segment may give its own retrial, repeat or
 * churn, the parts it leaves out staying the top level's (parsed again for it, so each spec owns
 * its distributions). */
static void load_journeys(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    const config_setting_t *top = child(root, "journeys"), *list = child(root, "segments");
    int n = 1;
    for (int s = 0; list && s < m->n_segments; s++) {
        const config_setting_t *ss = config_setting_get_elem(list, (unsigned)s);
        if (child(ss, "retrial") || child(ss, "repeat") || child(ss, "churn")) n++;
    }
    if (top == NULL && n == 1) return;
    m->journeys = xcalloc((size_t)n, sizeof *m->journeys);
    m->n_journeys = 1;
    if (top != NULL && config_setting_type(top) == CONFIG_TYPE_GROUP)
        load_journey_parts(L, top, m, &m->journeys[0]);
    int top_errors = L->errors;
    for (int s = 0; list && s < m->n_segments; s++) {
        const config_setting_t *ss = config_setting_get_elem(list, (unsigned)s);
        if (!(child(ss, "retrial") || child(ss, "repeat") || child(ss, "churn"))) continue;
        struct journey_spec *j = &m->journeys[m->n_journeys];
        m->segments[s].journey = m->n_journeys++;
        int own = load_journey_parts(L, ss, m, j);
        if (top == NULL || config_setting_type(top) != CONFIG_TYPE_GROUP || top_errors > 0) continue;
        /* The top level's parts this segment did not give: parsed into a scratch spec whose
         * wanted parts move over (the rest is freed). */
        struct journey_spec base;
        memset(&base, 0, sizeof base);
        load_journey_parts(L, top, m, &base);
        if (!(own & 1)) {
            j->retrial = base.retrial;
            memset(&base.retrial, 0, sizeof base.retrial);
        }
        if (!(own & 2)) {
            j->repeat = base.repeat;
            memset(&base.repeat, 0, sizeof base.repeat);
        }
        if (!(own & 4)) {
            j->churn = base.churn;
            memset(&base.churn, 0, sizeof base.churn);
        }
        dist_fini(&base.retrial.delay);
        dist_fini(&base.repeat.delay);
        free(base.churn.rows);
    }
}

static void load_incidents(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    const config_setting_t *list = child(root, "incidents");
    if (list == NULL || config_setting_type(list) != CONFIG_TYPE_LIST) return;
    if (m->mode != MODE_DAY) {
        fail(L, list, "incidents: only in day mode (they happen at clock times)");
        return;
    }
    m->n_incidents = config_setting_length(list);
    m->incidents = xcalloc((size_t)m->n_incidents + 1, sizeof *m->incidents);
    double close_s = m->day_start_s + m->n_intervals * m->interval_s;
    for (int i = 0; i < m->n_incidents; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        struct incident_spec *in = &m->incidents[i];
        in->extra_per_s = xcalloc((size_t)m->n_channels, sizeof *in->extra_per_s);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP) continue;
        char path[256];
        path_of(g, path, sizeof path);
        const char *name = get_str(L, g, "name", 0);
        in->name = xstrdup(name ? name : "incident");
        long long day = 1;
        get_int(L, g, "day", &day, 0);
        if (day > m->n_days)
            fail(L, child(g, "day"), "%s.day: %lld is past the run's %d day(s)", path, day,
                 m->n_days);
        const char *start = get_str(L, g, "start", 1), *end = get_str(L, g, "end", 1);
        double a = start ? clock_s(start) : -1, b = end ? clock_s(end) : -1;
        if (start != NULL && a < 0)
            fail(L, child(g, "start"), "%s.start: time 'HH:MM' expected, got '%s'", path, start);
        if (end != NULL && b < 0)
            fail(L, child(g, "end"), "%s.end: time 'HH:MM' expected, got '%s'", path, end);
        if (a >= 0 && b >= 0 && !(a < b && a >= m->day_start_s && b <= close_s))
            fail(L, g, "%s: start must be before end, both within the day's opening hours", path);
        in->start_s = model_day_time(m, (int)day - 1, a);
        in->end_s = model_day_time(m, (int)day - 1, b);
        const config_setting_t *extra = child(g, "extra_per_hour");
        if (extra == NULL) missing(L, g, "extra_per_hour");
        else if (config_setting_type(extra) == CONFIG_TYPE_GROUP && config_setting_length(extra) == 0)
            fail(L, extra, "%s.extra_per_hour: at least one channel expected", path);
        for (int k = 0; extra && k < config_setting_length(extra); k++) {
            const config_setting_t *e = config_setting_get_elem(extra, (unsigned)k);
            int c = channel_index(m, config_setting_name(e));
            if (c < 0)
                fail(L, e, "%s.extra_per_hour.%s: no channel named '%s'", path,
                     config_setting_name(e), config_setting_name(e));
            else if (is_number(e) && in_bounds(L, e, number_of(e)))
                in->extra_per_s[c] = number_of(e) / 3600;
        }
        const config_setting_t *nt = child(g, "notice");
        if (nt == NULL || config_setting_type(nt) != CONFIG_TYPE_GROUP) continue;
        char np[256];
        path_of(nt, np, sizeof np);
        in->notice = 1;
        const char *at = get_str(L, nt, "at", 1);
        double t = at ? clock_s(at) : -1;
        if (at != NULL && t < 0)
            fail(L, child(nt, "at"), "%s.at: time 'HH:MM' expected, got '%s'", np, at);
        else if (at != NULL && b >= 0 && t >= b)
            fail(L, child(nt, "at"), "%s.at: %s is not before the incident's end (%s): it would "
                                     "reach no one",
                 np, at, end);
        in->notice_s = model_day_time(m, (int)day - 1, t);
        get_num(L, nt, "reach", &in->reach, 1);
        get_num(L, nt, "prevent", &in->prevent, 1);
    }
}

/* The single-queue shorthand: one channel, one group, steady state, exponential service. */
static void load_shorthand(struct loader *L, const config_setting_t *root, struct model_spec *m)
{
    m->mode = MODE_STEADY;
    m->n_intervals = 1;
    m->n_days = 1;
    m->n_channels = m->n_groups = 1;
    m->channels = xcalloc(1, sizeof *m->channels);
    m->groups = xcalloc(1, sizeof *m->groups);
    struct channel_spec *ch = &m->channels[0];
    struct group_spec *gr = &m->groups[0];
    ch->name = xstrdup("voice");
    gr->name = xstrdup("agents");
    ch->rate_per_s = xcalloc(1, sizeof(double));
    gr->agents = xcalloc(1, sizeof(int));
    gr->skills = xcalloc(1, sizeof(int));
    gr->n_skills = 1;
    gr->concurrency = 1;
    gr->slowdown = xcalloc(1, sizeof(double));
    gr->slowdown[0] = 1;
    double rate = 0, aht = 0;
    long long agents = 0;
    get_num(L, root, "arrivals_per_hour", &rate, 1);
    ch->rate_per_s[0] = rate / 3600;
    if (get_num(L, root, "aht_s", &aht, 1)) {
        ch->service.kind = DIST_EXPONENTIAL;
        ch->service.mean_s = aht;
        const char *why = dist_prepare(&ch->service);
        if (why) fail(L, child(root, "aht_s"), "aht_s: must be > 0");
    }
    get_int(L, root, "agents", &agents, 1);
    gr->agents[0] = (int)agents;
    ch->sl_seconds = 20;
    get_num(L, root, "sl_seconds", &ch->sl_seconds, 0);
    ch->sl_target = 0.8;
    const config_setting_t *ab = child(root, "abandonment");
    int abandon = ab != NULL && config_setting_type(ab) == CONFIG_TYPE_BOOL &&
                  config_setting_get_bool(ab);
    double patience = 0;
    if (get_num(L, root, "patience_s", &patience, abandon) && abandon) {
        ch->patience.kind = DIST_EXPONENTIAL;
        ch->patience.mean_s = patience;
        if (dist_prepare(&ch->patience)) fail(L, child(root, "patience_s"), "patience_s: must be > 0");
    }
    get_int(L, root, "contacts", &m->contacts, 1);
    get_int(L, root, "warmup_contacts", &m->warmup_contacts, 0);
    load_segments(L, root, m);
    load_self_service(L, NULL, m, 0);
    load_busyness(L, root, m);
    load_journeys(L, root, m);
    load_incidents(L, root, m);
    if (L->errors == 0) {
        double *split = xcalloc((size_t)m->n_segments, sizeof *split);
        for (int s = 0; s < m->n_segments; s++)
            split[s] = ch->rate_per_s[0] * m->segments[s].share;
        free(ch->rate_per_s);
        ch->rate_per_s = split;
    }
}

/* The two forms do not mix: a key of the other form would be silently ignored. */
static void check_form(struct loader *L, const config_setting_t *root, int shorthand)
{
    static const char *const short_keys[] = {"arrivals_per_hour", "aht_s", "agents",
                                             "abandonment", "patience_s", "sl_seconds",
                                             "contacts", "warmup_contacts"};
    static const char *const general_keys[] = {"steady", "day", "groups"};
    if (shorthand) {
        for (size_t i = 0; i < sizeof general_keys / sizeof *general_keys; i++)
            if (child(root, general_keys[i]) != NULL)
                fail(L, child(root, general_keys[i]),
                     "%s: belongs to the general form, which also needs 'mode' and 'channels'",
                     general_keys[i]);
        return;
    }
    for (size_t i = 0; i < sizeof short_keys / sizeof *short_keys; i++)
        if (child(root, short_keys[i]) != NULL)
            fail(L, child(root, short_keys[i]),
                 "%s: a single-queue shorthand key, not used with 'mode' and 'channels' (see "
                 "docs/config.md)",
                 short_keys[i]);
}

/* Whether some group has a skill for channel q's contacts of segment s. */
static int stream_served(const struct model_spec *m, int q, int s)
{
    for (int g = 0; g < m->n_groups; g++)
        for (int k = 0; k < m->groups[g].n_skills; k++)
            if (m->groups[g].skills[k] == q && (group_skill_segment(&m->groups[g], k) < 0 ||
                                                group_skill_segment(&m->groups[g], k) == s))
                return 1;
    return 0;
}

/* The channel whose agents serve contacts of segment s arriving on channel c (after any
 * self-service escalation). */
static int serving_channel(const struct model_spec *m, int c, int s)
{
    const struct self_service_spec *ss = &m->channels[c].self_service;
    return ss->enabled && (ss->forced || m->segments[s].self_service) ? ss->escalate_to : c;
}

/* Follow-up contacts and incident arrivals need agents too: a journey's channel must be served
 * for every segment that uses it, an incident's for every segment. */
static void check_journey_channels(struct loader *L, const struct model_spec *m, const config_t *cfg)
{
    for (int s = 0; s < m->n_segments && m->journeys; s++) {
        const struct journey_spec *j = model_journey(m, s);
        int chans[2] = {j->retrial.enabled ? j->retrial.channel : -1,
                        j->repeat.enabled ? j->repeat.channel : -1};
        for (int i = 0; i < 2; i++) {
            if (chans[i] < 0 || stream_served(m, serving_channel(m, chans[i], s), s)) continue;
            char path[96];
            if (m->segments[s].journey == 0)
                snprintf(path, sizeof path, "journeys.%s.channel", i ? "repeat" : "retrial");
            else
                snprintf(path, sizeof path, "segments.[%d].%s.channel", s, i ? "repeat" : "retrial");
            const config_setting_t *where = config_lookup(cfg, path);
            fail(L, where, "%s: no group has a skill for %s:%s, where these contacts go", path,
                 m->channels[chans[i]].name, m->segments[s].name);
        }
    }
    for (int i = 0; i < m->n_incidents; i++)
        for (int c = 0; c < m->n_channels; c++)
            for (int s = 0; s < m->n_segments; s++) {
                if (m->incidents[i].extra_per_s[c] <= 0 || m->segments[s].share <= 0 ||
                    stream_served(m, serving_channel(m, c, s), s))
                    continue;
                char path[96];
                snprintf(path, sizeof path, "incidents.[%d].extra_per_hour", i);
                fail(L, config_lookup(cfg, path),
                     "%s: no group has a skill for %s:%s, where the incident's contacts go", path,
                     m->channels[c].name, m->segments[s].name);
            }
}

/* Whole-model checks that no single key can make. */
static void check_model(struct loader *L, const struct model_spec *m, const config_t *cfg,
                        int shorthand)
{
    check_journey_channels(L, m, cfg);
    /* Every stream that has arrivals needs a group with a skill for it (after any
     * self-service escalation), or its contacts would wait unseen. */
    int nt = model_total_intervals(m);
    for (int c = 0; c < m->n_channels; c++)
        for (int s = 0; s < m->n_segments; s++) {
            double total = 0;
            for (int i = 0; i < nt; i++)
                total += m->channels[c].rate_per_s[(size_t)s * nt + i];
            if (total <= 0) continue;
            const struct self_service_spec *ss = &m->channels[c].self_service;
            int q = ss->enabled && (ss->forced || m->segments[s].self_service) ? ss->escalate_to : c;
            int served = 0;
            for (int g = 0; g < m->n_groups; g++)
                for (int k = 0; k < m->groups[g].n_skills; k++)
                    if (m->groups[g].skills[k] == q &&
                        (group_skill_segment(&m->groups[g], k) < 0 ||
                         group_skill_segment(&m->groups[g], k) == s))
                        served = 1;
            if (served) continue;
            char path[64];
            snprintf(path, sizeof path, "channels.[%d]", q);
            fail(L, config_lookup(cfg, path),
                 "%s: no group has a skill for %s:%s, whose contacts arrive%s", path,
                 m->channels[q].name, m->segments[s].name, q != c ? " by escalation" : "");
        }
    for (int g = 0; g < m->n_groups; g++)
        for (int h = 0; h < g; h++)
            if (strcmp(m->groups[g].name, m->groups[h].name) == 0) {
                char path[64];
                snprintf(path, sizeof path, "groups.[%d].name", g);
                fail(L, config_lookup(cfg, path), "groups.[%d].name: duplicate group name '%s'", g,
                     m->groups[g].name);
            }
    if (m->mode != MODE_STEADY) return;
    for (int c = 0; c < m->n_channels; c++) {
        if (m->channels[c].patience.kind != DIST_NONE) continue;
        int staffed = 0;
        for (int g = 0; g < m->n_groups; g++)
            for (int s = 0; s < m->groups[g].n_skills; s++)
                if (m->groups[g].skills[s] == c && m->groups[g].agents[0] > 0) staffed = 1;
        if (staffed || m->channels[c].rate_per_s == NULL || m->channels[c].rate_per_s[0] == 0)
            continue;
        char path[64];
        snprintf(path, sizeof path, "channels.[%d]", c);
        const config_setting_t *where = config_lookup(cfg, shorthand ? "agents" : path);
        if (shorthand)
            fail(L, where, "agents: 0 agents and no abandonment: contacts would wait forever");
        else
            fail(L, where, "%s: channel '%s' has no agents and no abandonment: contacts would "
                           "wait forever",
                 path, m->channels[c].name);
    }
}

/* ==== Overrides ==== */

/* A --set of a scalar key the schema knows but the file leaves out (sl_seconds, seed, ...) adds
 * it to its group, which must exist.  Returns the new setting, or NULL. */
static config_setting_t *add_missing(config_t *cfg, const char *path)
{
    const struct key *k = schema_find(path);
    if (k == NULL || (k->type != K_INT && k->type != K_NUM && k->type != K_BOOL &&
                      k->type != K_STR))
        return NULL;
    const char *dot = strrchr(path, '.');
    config_setting_t *parent = config_root_setting(cfg);
    if (dot != NULL) {
        char *head = xstrdup(path);
        head[dot - path] = '\0';
        parent = config_lookup(cfg, head);
        free(head);
    }
    if (parent == NULL || config_setting_type(parent) != CONFIG_TYPE_GROUP) return NULL;
    int type = k->type == K_INT   ? CONFIG_TYPE_INT64
               : k->type == K_NUM ? CONFIG_TYPE_FLOAT
               : k->type == K_BOOL ? CONFIG_TYPE_BOOL
                                   : CONFIG_TYPE_STRING;
    return config_setting_add(parent, dot ? dot + 1 : path, type);
}

static void apply_override(struct loader *L, config_t *cfg, const struct conf_override *o)
{
    config_setting_t *s = config_lookup(cfg, o->path);
    if (s == NULL) s = add_missing(cfg, o->path);
    if (s != NULL) {
        char path[256];
        path_of(s, path, sizeof path);
        L->origins = xrealloc(L->origins, ((size_t)L->n_origins + 1) * sizeof *L->origins);
        L->origins[L->n_origins++] = (struct origin){xstrdup(path), o->file, o->line};
    }
    if (s == NULL) {
        diag_add(L->d, o->file, o->line, "%s%s: no such setting in %s", o->file ? "set " : "--set ",
                 o->path, L->file);
        L->errors++;
        return;
    }
    char *end;
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_STRING) {
        config_setting_set_string(s, o->value);
        return;
    }
    if (t == CONFIG_TYPE_BOOL) {
        if (strcmp(o->value, "true") == 0 || strcmp(o->value, "false") == 0) {
            config_setting_set_bool(s, o->value[0] == 't');
            return;
        }
    } else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        errno = 0;
        long long v = strtoll(o->value, &end, 10);
        if (end != o->value && *end == '\0' && errno == 0) {
            config_setting_set_int64(s, v);
            return;
        }
        double dv = strtod(o->value, &end);
        config_setting_t *parent = config_setting_parent(s);
        /* A number where the file had an integer: retype the setting (only a group member can
         * change type; array elements share their array's type). */
        if (end != o->value && *end == '\0' && config_setting_name(s) != NULL &&
            config_setting_type(parent) == CONFIG_TYPE_GROUP) {
            char *name = xstrdup(config_setting_name(s));
            config_setting_remove(parent, name);
            config_setting_t *n = config_setting_add(parent, name, CONFIG_TYPE_FLOAT);
            free(name);
            config_setting_set_float(n, dv);
            return;
        }
    } else if (t == CONFIG_TYPE_FLOAT) {
        double v = strtod(o->value, &end);
        if (end != o->value && *end == '\0') {
            config_setting_set_float(s, v);
            return;
        }
    } else {
        diag_add(L->d, o->file, o->line, "%s%s: not a scalar setting", o->file ? "set " : "--set ",
                 o->path);
        L->errors++;
        return;
    }
    diag_add(L->d, o->file, o->line, "%s%s: %s expected, got '%s'", o->file ? "set " : "--set ",
             o->path, type_name(t), o->value);
    L->errors++;
}

/* ==== Scenarios ==== */

/* Reads a libconfig file into cfg; problems go to d.  Returns 0 on success. */
static int read_file(config_t *cfg, const char *path, struct diag *d)
{
    if (config_read_file(cfg, path)) return 0;
    if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
        diag_add(d, NULL, 0, "cannot read '%s': %s", path, strerror(errno));
    else
        diag_add(d, config_error_file(cfg) ? config_error_file(cfg) : path, config_error_line(cfg),
                 "%s", config_error_text(cfg));
    return -1;
}

static void copy_setting(config_setting_t *dst, const config_setting_t *src);

/* Gives n (a new setting of src's type) src's value, everything below it included. */
static void copy_into(config_setting_t *n, const config_setting_t *src)
{
    switch (config_setting_type(src)) {
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_ARRAY:
        for (int i = 0; i < config_setting_length(src); i++)
            copy_setting(n, config_setting_get_elem(src, (unsigned)i));
        break;
    case CONFIG_TYPE_INT: config_setting_set_int(n, config_setting_get_int(src)); break;
    case CONFIG_TYPE_INT64: config_setting_set_int64(n, config_setting_get_int64(src)); break;
    case CONFIG_TYPE_FLOAT: config_setting_set_float(n, config_setting_get_float(src)); break;
    case CONFIG_TYPE_BOOL: config_setting_set_bool(n, config_setting_get_bool(src)); break;
    case CONFIG_TYPE_STRING: config_setting_set_string(n, config_setting_get_string(src)); break;
    }
}

/* Copies src as a new member of dst (a group: under src's name; a list or array: appended). */
static void copy_setting(config_setting_t *dst, const config_setting_t *src)
{
    const char *name = config_setting_type(dst) == CONFIG_TYPE_GROUP ? config_setting_name(src) : NULL;
    config_setting_t *n = config_setting_add(dst, name, config_setting_type(src));
    if (n != NULL) copy_into(n, src);
}

/* The scenario's `list` key: a list of the config, named by path ("groups", "channels"). */
static config_setting_t *scenario_list(struct loader *L, config_t *cfg, const config_setting_t *e,
                                       const char *what)
{
    const config_setting_t *k = child(e, "list");
    if (k == NULL || config_setting_type(k) != CONFIG_TYPE_STRING) {
        fail(L, e, "%s: 'list' (the config's list, e.g. \"groups\") expected", what);
        return NULL;
    }
    config_setting_t *list = config_lookup(cfg, config_setting_get_string(k));
    if (list == NULL || config_setting_type(list) != CONFIG_TYPE_LIST) {
        fail(L, k, "%s.list: the config has no list '%s'", what, config_setting_get_string(k));
        return NULL;
    }
    return list;
}

/* Applies one scenario's edits to cfg: remove, add, unset, change, set (in that order). */
static void apply_scenario(struct loader *L, config_t *cfg, const config_setting_t *root,
                           const char *file)
{
    static const char *const keys[] = {"base", "name", "question", "set", "unset", "add", "remove",
                                       "change"};
    for (int i = 0; i < config_setting_length(root); i++) {
        const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            known |= strcmp(config_setting_name(s), keys[k]) == 0;
        if (!known)
            fail(L, s, "%s: not a scenario key (base, name, question, set, unset, change, add, remove)",
                 config_setting_name(s));
    }
    const config_setting_t *rm = child(root, "remove");
    for (int i = 0; rm && config_setting_is_list(rm) && i < config_setting_length(rm); i++) {
        const config_setting_t *e = config_setting_get_elem(rm, (unsigned)i);
        config_setting_t *list = scenario_list(L, cfg, e, "remove");
        const config_setting_t *name = child(e, "name");
        if (list == NULL) continue;
        if (name == NULL || config_setting_type(name) != CONFIG_TYPE_STRING) {
            fail(L, e, "remove: 'name' of the entry to remove expected");
            continue;
        }
        int found = -1;
        for (int k = 0; k < config_setting_length(list); k++) {
            const config_setting_t *n = child(config_setting_get_elem(list, (unsigned)k), "name");
            if (n && config_setting_type(n) == CONFIG_TYPE_STRING &&
                strcmp(config_setting_get_string(n), config_setting_get_string(name)) == 0)
                found = k;
        }
        if (found < 0)
            fail(L, name, "remove.name: no entry named '%s' in %s", config_setting_get_string(name),
                 config_setting_name(list));
        else
            config_setting_remove_elem(list, (unsigned)found);
    }
    const config_setting_t *add = child(root, "add");
    for (int i = 0; add && config_setting_is_list(add) && i < config_setting_length(add); i++) {
        const config_setting_t *e = config_setting_get_elem(add, (unsigned)i);
        config_setting_t *list = scenario_list(L, cfg, e, "add");
        const config_setting_t *entry = child(e, "entry");
        if (list == NULL) continue;
        if (entry == NULL || config_setting_type(entry) != CONFIG_TYPE_GROUP)
            fail(L, e, "add: 'entry', the group to append, expected");
        else
            copy_setting(list, entry);
    }
    const config_setting_t *unset = child(root, "unset");
    for (int i = 0; unset && config_setting_is_array(unset) && i < config_setting_length(unset); i++) {
        const config_setting_t *e = config_setting_get_elem(unset, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) continue;
        config_setting_t *s = config_lookup(cfg, config_setting_get_string(e));
        if (s == NULL) {
            fail(L, e, "unset: the config has no setting '%s'", config_setting_get_string(e));
            continue;
        }
        config_setting_t *parent = config_setting_parent(s);
        if (parent == NULL)
            fail(L, e, "unset: '%s' is the whole config", config_setting_get_string(e));
        else if (config_setting_is_group(parent))
            config_setting_remove(parent, config_setting_name(s));
        else
            config_setting_remove_elem(parent, (unsigned)config_setting_index(s));
    }
    /* change: any setting (a list, an array, a group) replaced by, or added as, a value. */
    const config_setting_t *change = child(root, "change");
    for (int i = 0; change && config_setting_is_list(change) && i < config_setting_length(change); i++) {
        const config_setting_t *e = config_setting_get_elem(change, (unsigned)i);
        const config_setting_t *path = child(e, "path"), *value = child(e, "value");
        if (path == NULL || config_setting_type(path) != CONFIG_TYPE_STRING || value == NULL) {
            fail(L, e, "change: 'path' (a string) and 'value' expected");
            continue;
        }
        const char *p = config_setting_get_string(path), *dot = strrchr(p, '.');
        char *head = xstrdup(p);
        if (dot) head[dot - p] = '\0';
        config_setting_t *parent = dot ? config_lookup(cfg, head) : config_root_setting(cfg);
        const char *leaf = dot ? dot + 1 : p;
        int name_ok = (leaf[0] >= 'a' && leaf[0] <= 'z') || (leaf[0] >= 'A' && leaf[0] <= 'Z');
        for (const char *q = leaf; name_ok && *q; q++)
            name_ok = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
                      *q == '_' || *q == '-';
        if (!name_ok) {
            fail(L, path, "change.path: '%s' does not end in a key name", p);
        } else if (parent == NULL || !config_setting_is_group(parent)) {
            fail(L, path, "change.path: '%s' is not a member of a group of the config", p);
        } else {
            if (config_setting_get_member(parent, leaf)) config_setting_remove(parent, leaf);
            config_setting_t *n = config_setting_add(parent, leaf, config_setting_type(value));
            if (n != NULL) copy_into(n, value);
        }
        free(head);
    }
    const config_setting_t *set = child(root, "set");
    if (set != NULL && !config_setting_is_array(set))
        fail(L, set, "set: an array of \"KEY=VALUE\" strings expected");
    for (int i = 0; set && config_setting_is_array(set) && i < config_setting_length(set); i++) {
        const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
        const char *text = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
        const char *eq = strchr(text, '=');
        if (eq == NULL || eq == text) {
            fail(L, e, "set: \"KEY=VALUE\" expected, got '%s'", text);
            continue;
        }
        char *key = xstrdup(text);
        key[eq - text] = '\0';
        struct conf_override o = {key, eq + 1, file, (int)config_setting_source_line(e)};
        apply_override(L, cfg, &o);
        free(key);
    }
}

/* A scenario's base config path: its `base`, relative to the scenario's directory. */
static char *scenario_base(const config_setting_t *base, const char *scenario)
{
    const char *name = config_setting_get_string(base);
    const char *slash = strrchr(scenario, '/');
    size_t cap = strlen(scenario) + strlen(name) + 2;
    char *path = xmalloc(cap);
    if (name[0] != '/' && slash != NULL)
        snprintf(path, cap, "%.*s/%s", (int)(slash - scenario), scenario, name);
    else
        snprintf(path, cap, "%s", name);
    return path;
}

char *conf_display_name(const char *path)
{
    config_t c;
    config_init(&c);
    char *out = NULL;
    if (config_read_file(&c, path)) {
        const config_setting_t *name = config_lookup(&c, "name");
        if (name && config_setting_type(name) == CONFIG_TYPE_STRING)
            out = xstrdup(config_setting_get_string(name));
    }
    config_destroy(&c);
    if (out != NULL) return out;
    const char *base = strrchr(path, '/');
    out = xstrdup(base ? base + 1 : path);
    size_t n = strlen(out);
    if (n > 4 && strcmp(out + n - 4, ".cfg") == 0) out[n - 4] = '\0';
    return out;
}

/* ==== Effective configuration ==== */

/* Writes setting s (and everything below it) as JSON. */
static void render(struct json *j, const char *key, const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST: {
        int group = config_setting_type(s) == CONFIG_TYPE_GROUP;
        if (group)
            json_begin_object(j, key);
        else
            json_begin_array(j, key);
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            render(j, group ? config_setting_name(e) : NULL, e);
        }
        if (group)
            json_end_object(j);
        else
            json_end_array(j);
        break;
    }
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        json_int(j, key, config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        json_number(j, key, config_setting_get_float(s));
        break;
    case CONFIG_TYPE_BOOL:
        json_bool(j, key, config_setting_get_bool(s));
        break;
    case CONFIG_TYPE_STRING:
        json_string(j, key, config_setting_get_string(s));
        break;
    default:
        json_null(j, key);
    }
}

/* The whole tree as one compact JSON object; caller owns the string. */
static char *render_config(const config_t *cfg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) die("out of memory rendering the configuration");
    struct json j;
    json_init(&j, f, 0);
    render(&j, NULL, config_root_setting(cfg));
    if (fclose(f) != 0) die("out of memory rendering the configuration");
    return buf;
}

/* ==== Entry point ==== */

int conf_load(const char *path, const struct conf_override *sets, int n_sets,
              struct model_spec *out, struct diag *d)
{
    return conf_load_scenarios(path, NULL, 0, sets, n_sets, out, d);
}

int conf_load_scenarios(const char *path, const char *const *scenarios, int n_scenarios,
                        const struct conf_override *sets, int n_sets, struct model_spec *out,
                        struct diag *d)
{
    struct loader L;
    memset(&L, 0, sizeof L);
    L.file = path;
    L.d = d;
    memset(out, 0, sizeof *out);
    config_t cfg;
    config_init(&cfg);
    if (read_file(&cfg, path, d) != 0) {
        config_destroy(&cfg);
        return -1;
    }
    /* A scenario names its base: the base is the config, the scenario its first edits. */
    const config_setting_t *base = config_lookup(&cfg, "base");
    int n_edits = n_scenarios + (base != NULL);
    const char **edits = xcalloc((size_t)n_edits + 1, sizeof *edits);
    char *base_path = NULL;
    if (base != NULL) {
        if (config_setting_type(base) != CONFIG_TYPE_STRING) {
            fail(&L, base, "base: the path of the scenario's config expected");
            config_destroy(&cfg);
            free(edits);
            return -1;
        }
        base_path = scenario_base(base, path);
        edits[0] = path;
        if (access(base_path, R_OK) != 0) {
            fail(&L, base, "base: cannot read '%s': %s", base_path, strerror(errno));
            config_destroy(&cfg);
            free(edits);
            free(base_path);
            return -1;
        }
        config_destroy(&cfg);
        config_init(&cfg);
        L.file = base_path;
        if (read_file(&cfg, base_path, d) != 0) {
            config_destroy(&cfg);
            free(edits);
            free(base_path);
            return -1;
        }
    }
    for (int i = 0; i < n_scenarios; i++)
        edits[n_edits - n_scenarios + i] = scenarios[i];
    for (int i = 0; i < n_edits; i++) {
        config_t sc;
        config_init(&sc);
        if (read_file(&sc, edits[i], d) == 0)
            apply_scenario(&L, &cfg, config_root_setting(&sc), edits[i]);
        else
            L.errors++;
        config_destroy(&sc);
    }
    free(edits);
    if (L.errors > 0) {
        config_destroy(&cfg);
        free(base_path);
        for (int i = 0; i < L.n_origins; i++)
            free(L.origins[i].path);
        free(L.origins);
        return -1;
    }
    for (int i = 0; i < n_sets; i++)
        apply_override(&L, &cfg, &sets[i]);
    const config_setting_t *root = config_root_setting(&cfg);
    walk(&L, root);

    out->seed = 1;
    out->replications = 10;
    long long seed = 1, reps = 10;
    get_int(&L, root, "seed", &seed, 0);
    get_int(&L, root, "replications", &reps, 0);
    out->seed = (uint64_t)seed;
    out->replications = (int)reps;
    int shorthand = child(root, "channels") == NULL && child(root, "mode") == NULL;
    if (config_setting_length(root) == 0 && n_sets == 0) {
        diag_add(d, path, 0, "empty configuration: give 'mode', 'channels' and 'groups' (see "
                             "docs/config.md) or the single-queue keys of configs/erlang.cfg");
        config_destroy(&cfg);
        return -1;
    }
    check_form(&L, root, shorthand);
    if (shorthand)
        load_shorthand(&L, root, out);
    else
        load_general(&L, root, out);
    double volume = 1;
    get_num(&L, root, "volume_factor", &volume, 0);
    out->max_in_system = 10000000;
    get_int(&L, root, "max_in_system", &out->max_in_system, 0);
    for (int c = 0; L.errors == 0 && c < out->n_channels; c++)
        for (int i = 0; i < out->n_segments * model_total_intervals(out); i++)
            out->channels[c].rate_per_s[i] *= volume;
    if (L.errors == 0) check_model(&L, out, &cfg, shorthand);
    out->journeys_modelled = out->journeys != NULL || out->n_incidents > 0;
    for (int c = 0; c < out->n_channels; c++)
        out->journeys_modelled |= out->channels[c].callback.enabled;
    for (int g = 0; g < out->n_groups; g++)
        for (int k = 0; k < out->groups[g].n_skills; k++)
            out->journeys_modelled |= group_fcr(&out->groups[g], k) < 1;
    if (L.errors == 0) out->effective_config = render_config(&cfg);
    forecast_free(&L.arrivals);
    forecast_free(&L.staffing);
    config_destroy(&cfg);
    free(base_path);
    for (int i = 0; i < L.n_origins; i++)
        free(L.origins[i].path);
    free(L.origins);
    if (L.errors > 0) {
        model_spec_free(out);
        return -1;
    }
    return 0;
}
