/* state: reading and writing state files (docs/state.md).  The reader checks everything against
 * the model (names, kinds, skills, times) and reports each problem with its line, like the
 * config loader; nothing here knows the simulator's internals. */
#include "state.h"

#include "util.h"

#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[ST_N_KINDS] = {
    "waiting", "in_service", "self_service", "retrial", "repeat", "callback", "reply"};

/* Keys each kind takes (besides kind and count). */
static const char *const kind_keys[ST_N_KINDS] = {
    "channel segment waited_s age_s attempt callback tries",
    "channel segment group elapsed_s age_s attempt exchanges",
    "channel segment due_s age_s attempt",
    "channel segment due_s age_s attempt",
    "channel segment due_s age_s attempt",
    "channel segment waited_s age_s due_s attempt tries",
    "channel segment due_s age_s attempt exchanges"};

struct reader {
    const char *file;
    struct diag *d;
    int errors;
};

static void fail(struct reader *R, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct reader *R, const config_setting_t *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_add(R->d, R->file, s ? (int)config_setting_source_line(s) : 0, "%s", msg);
    R->errors++;
}

static int name_index(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

double state_parse_time(const char *text, const struct model_spec *m)
{
    int day = 1, h, min;
    const char *p = text, *slash = strchr(text, '/');
    if (slash != NULL) { /* "D/HH:MM" */
        if (scan_int(&p, &day) != 0 || p != slash) return -1;
        p++;
    }
    if (scan_clock(p, &h, &min) != 0) return -1;
    if (day < 1 || day > m->n_days || h < 0 || h > 23 || min < 0 || min > 59) return -1;
    double clock = h * 3600.0 + min * 60.0;
    if (clock < m->day_start_s || clock >= m->day_start_s + m->n_intervals * m->interval_s)
        return -1;
    return model_day_time(m, day - 1, clock);
}

/* A number member of g in [lo, hi]; returns 0 when absent (out keeps its default). */
static int get_number(struct reader *R, const config_setting_t *g, const char *key, double lo,
                      double hi, double *out)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    if (s == NULL) return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 && t != CONFIG_TYPE_FLOAT) {
        fail(R, s, "%s: a number expected", key);
        return 0;
    }
    double v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                      : (double)config_setting_get_int64(s);
    if (!(v >= lo && v <= hi)) {
        fail(R, s, "%s: %.10g is out of range [%.10g, %.10g]", key, v, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

static const char *get_string(struct reader *R, const config_setting_t *g, const char *key)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    if (s == NULL) return NULL;
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        fail(R, s, "%s: a string expected", key);
        return NULL;
    }
    return config_setting_get_string(s);
}

/* Whether group g has a skill for channel c's contacts of segment s. */
static int group_has_skill(const struct group_spec *g, int c, int s)
{
    for (int k = 0; k < g->n_skills; k++)
        if (g->skills[k] == c && (group_skill_segment(g, k) < 0 || group_skill_segment(g, k) == s))
            return 1;
    return 0;
}

/* One entry of `contacts`: checked, then appended `count` times. */
static void load_contact(struct reader *R, const config_setting_t *e, const struct model_spec *m,
                         struct state_snapshot *s, int *cap)
{
    if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
        fail(R, e, "contacts: each entry is a group { kind = ...; ... }");
        return;
    }
    struct state_contact c = {.segment = 0, .group = -1, .attempt = 1, .exchanges = 1,
                              .line = (int)config_setting_source_line(e)};
    const char *kind = get_string(R, e, "kind");
    int k = kind ? name_index(kind, kind_names, ST_N_KINDS) : -1;
    if (kind == NULL) {
        fail(R, e, "contacts: kind missing (waiting, in_service, self_service, retrial, repeat, "
                   "callback or reply)");
        return;
    }
    if (k < 0) {
        fail(R, config_setting_get_member(e, "kind"),
             "kind: '%s' unknown (waiting, in_service, self_service, retrial, repeat, callback or "
             "reply)",
             kind);
        return;
    }
    c.kind = (enum state_kind)k;
    for (int i = 0; i < config_setting_length(e); i++) {
        const config_setting_t *member = config_setting_get_elem(e, (unsigned)i);
        const char *key = config_setting_name(member);
        if (strcmp(key, "kind") == 0 || strcmp(key, "count") == 0) continue;
        const char *allowed = strstr(kind_keys[k], key);
        size_t len = strlen(key);
        if (allowed == NULL || (allowed[len] != ' ' && allowed[len] != '\0') ||
            (allowed != kind_keys[k] && allowed[-1] != ' '))
            fail(R, member, "%s: not a key of a %s contact (%s)", key, kind, kind_keys[k]);
    }
    const char *channel = get_string(R, e, "channel");
    if (channel == NULL) {
        fail(R, e, "channel: required key missing");
        return;
    }
    c.channel = -1;
    for (int i = 0; i < m->n_channels; i++)
        if (strcmp(m->channels[i].name, channel) == 0) c.channel = i;
    if (c.channel < 0) {
        fail(R, config_setting_get_member(e, "channel"), "channel: no channel named '%s'", channel);
        return;
    }
    const struct channel_spec *ch = &m->channels[c.channel];
    const char *segment = get_string(R, e, "segment");
    if (segment != NULL) {
        c.segment = -1;
        for (int i = 0; i < m->n_segments; i++)
            if (strcmp(m->segments[i].name, segment) == 0) c.segment = i;
        if (c.segment < 0) {
            fail(R, config_setting_get_member(e, "segment"), "segment: no segment named '%s'",
                 segment);
            return;
        }
    }
    double v;
    if (get_number(R, e, c.kind == ST_IN_SERVICE ? "elapsed_s" : "waited_s", 0, 1e9, &v))
        c.waited_s = v;
    c.age_s = c.waited_s;
    if (get_number(R, e, "age_s", 0, 1e9, &v)) {
        if (v < c.waited_s)
            fail(R, config_setting_get_member(e, "age_s"),
                 "age_s: %.10g is less than the time waited or in service (%.10g)", v, c.waited_s);
        c.age_s = v;
    }
    int pending = c.kind == ST_SELF_SERVICE || c.kind == ST_RETRIAL || c.kind == ST_REPEAT ||
                  c.kind == ST_CALLBACK || c.kind == ST_REPLY;
    if (pending && !get_number(R, e, "due_s", 0, 1e9, &c.due_s) &&
        config_setting_get_member(e, "due_s") == NULL)
        fail(R, e, "due_s: required key missing (a %s contact is due at a time)", kind);
    c.attempt = c.kind == ST_RETRIAL || c.kind == ST_REPEAT ? 2 : 1;
    if (get_number(R, e, "attempt", 1, 60000, &v)) c.attempt = (int)v;
    if ((c.kind == ST_RETRIAL || c.kind == ST_REPEAT) && c.attempt < 2)
        fail(R, config_setting_get_member(e, "attempt"),
             "attempt: a %s is at least its issue's second contact", kind);
    c.tries = c.kind == ST_CALLBACK ? 1 : 0;
    if (get_number(R, e, "tries", 0, 1000, &v)) c.tries = (int)v;
    if (c.kind == ST_CALLBACK && c.tries < 1)
        fail(R, config_setting_get_member(e, "tries"),
             "tries: a callback between calls has had at least one call");
    if (get_number(R, e, "exchanges", 1, 65535, &v)) c.exchanges = (int)v;
    const config_setting_t *cb = config_setting_get_member(e, "callback");
    if (cb != NULL) {
        if (config_setting_type(cb) != CONFIG_TYPE_BOOL)
            fail(R, cb, "callback: true or false expected");
        else
            c.callback = config_setting_get_bool(cb);
    }
    if ((c.callback || c.kind == ST_CALLBACK) && !ch->callback.enabled)
        fail(R, e, "channel '%s' offers no callbacks (channels.[].callback)", channel);
    if (c.kind == ST_REPLY && ch->kind != CH_MESSAGING)
        fail(R, e, "reply: channel '%s' is not a messaging channel", channel);
    if (c.kind == ST_SELF_SERVICE && !ch->self_service.enabled)
        fail(R, e, "self_service: channel '%s' has no self-service front", channel);
    if (c.kind == ST_IN_SERVICE) {
        const char *group = get_string(R, e, "group");
        if (group == NULL) {
            fail(R, e, "group: required key missing (an in_service contact has an agent)");
            return;
        }
        for (int g = 0; g < m->n_groups; g++)
            if (strcmp(m->groups[g].name, group) == 0) c.group = g;
        if (c.group < 0) {
            fail(R, config_setting_get_member(e, "group"), "group: no group named '%s'", group);
            return;
        }
        if (!group_has_skill(&m->groups[c.group], c.channel, c.segment))
            fail(R, config_setting_get_member(e, "group"),
                 "group: '%s' has no skill for %s:%s", group, channel,
                 m->segments[c.segment].name);
    }
    double count = 1;
    get_number(R, e, "count", 1, 1e7, &count);
    if (count != floor(count))
        fail(R, config_setting_get_member(e, "count"), "count: a whole number expected");
    for (int i = 0; i < (int)count; i++) {
        if (s->n == *cap) s->contacts = xrealloc(s->contacts, (size_t)(*cap *= 2) * sizeof c);
        s->contacts[s->n++] = c;
    }
}

/* A list of { NAME_KEY = "name"; VALUE_KEY = value; } naming busyness groups or agent groups
 * (a list, so that names may hold spaces): the values go to out by index. */
static void load_named(struct reader *R, const config_setting_t *list, const char *what,
                       const char *name_key, const char *value_key, const char *const *names,
                       int n, double lo, double hi, int whole, double *out)
{
    if (list == NULL) return;
    if (config_setting_type(list) != CONFIG_TYPE_LIST) {
        fail(R, list, "%s: a list ( { %s = \"NAME\"; %s = VALUE; }, ... ) expected", what,
             name_key, value_key);
        return;
    }
    for (int i = 0; i < config_setting_length(list); i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
            fail(R, e, "%s: each entry is a group { %s = \"NAME\"; %s = VALUE; }", what, name_key,
                 value_key);
            continue;
        }
        const char *name = get_string(R, e, name_key);
        int k = name ? name_index(name, names, n) : -1;
        if (name == NULL) {
            fail(R, e, "%s: %s missing", what, name_key);
            continue;
        }
        if (k < 0) {
            fail(R, config_setting_get_member(e, name_key), "%s.%s: no %s named '%s'", what,
                 name_key, strcmp(what, "busyness") == 0 ? "busyness group" : "agent group", name);
            continue;
        }
        double v = (double)NAN;
        if (!get_number(R, e, value_key, lo, hi, &v)) {
            if (config_setting_get_member(e, value_key) == NULL)
                fail(R, e, "%s: %s missing", what, value_key);
            continue;
        }
        if (whole && v != floor(v)) {
            fail(R, config_setting_get_member(e, value_key), "%s: a whole number expected",
                 value_key);
            continue;
        }
        out[k] = v;
    }
}

/* The contacts in service must fit the groups' agents: an agent holds one voice or email
 * contact, or up to concurrency chat and messaging ones. */
static void check_capacity(struct reader *R, const struct model_spec *m, const struct state_snapshot *s)
{
    for (int g = 0; g < m->n_groups; g++) {
        const struct group_spec *gs = &m->groups[g];
        int pool = 0, exclusive = 0, slotted = 0;
        for (int i = 0; i < model_total_intervals(m); i++)
            if (gs->agents[i] > pool) pool = gs->agents[i];
        for (int i = 0; i < s->n; i++) {
            const struct state_contact *c = &s->contacts[i];
            if (c->kind != ST_IN_SERVICE || c->group != g) continue;
            if (channel_kind_slotted(m->channels[c->channel].kind))
                slotted++;
            else
                exclusive++;
            if (exclusive + (slotted + gs->concurrency - 1) / gs->concurrency > pool) {
                diag_add(R->d, R->file, c->line,
                         "in_service: more contacts in service with group '%s' than its %d "
                         "agents can hold",
                         gs->name, pool);
                R->errors++;
                return;
            }
        }
    }
}

static void load_snapshot(struct reader *R, const config_setting_t *g, const struct model_spec *m,
                          struct state_snapshot *s)
{
    s->busyness = xcalloc((size_t)m->n_busyness + 1, sizeof *s->busyness);
    s->absent = xcalloc((size_t)m->n_groups + 1, sizeof *s->absent);
    for (int b = 0; b < m->n_busyness; b++)
        s->busyness[b] = (double)NAN;
    for (int k = 0; k < m->n_groups; k++)
        s->absent[k] = -1;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        fail(R, g, "states: each state is a group { time = \"HH:MM\"; contacts = (...); }");
        return;
    }
    const char *time = get_string(R, g, "time");
    if (time == NULL) {
        fail(R, g, "time: required key missing");
    } else {
        s->time_s = state_parse_time(time, m);
        if (s->time_s < 0)
            fail(R, config_setting_get_member(g, "time"),
                 "time: '%s' is not 'HH:MM' (or 'D/HH:MM') within the config's opening hours",
                 time);
    }
    for (int i = 0; i < config_setting_length(g); i++) {
        const char *key = config_setting_name(config_setting_get_elem(g, (unsigned)i));
        if (strcmp(key, "time") != 0 && strcmp(key, "contacts") != 0 &&
            strcmp(key, "busyness") != 0 && strcmp(key, "absent") != 0 &&
            strcmp(key, "replication") != 0)
            fail(R, config_setting_get_elem(g, (unsigned)i),
                 "%s: unknown key (time, replication, contacts, busyness, absent)", key);
    }
    const char **names = xcalloc((size_t)m->n_busyness + m->n_groups + 1, sizeof *names);
    for (int b = 0; b < m->n_busyness; b++)
        names[b] = m->busyness[b].name;
    load_named(R, config_setting_get_member(g, "busyness"), "busyness", "group", "factor", names,
               m->n_busyness, 1e-9, 1e9, 0, s->busyness);
    double *absent = xcalloc((size_t)m->n_groups + 1, sizeof *absent);
    for (int k = 0; k < m->n_groups; k++) {
        names[k] = m->groups[k].name;
        absent[k] = -1;
    }
    load_named(R, config_setting_get_member(g, "absent"), "absent", "group", "agents", names,
               m->n_groups, 0, 1e7, 1, absent);
    for (int k = 0; k < m->n_groups; k++)
        s->absent[k] = absent[k] >= 0 ? (int)absent[k] : -1;
    free(absent);
    free(names);
    const config_setting_t *list = config_setting_get_member(g, "contacts");
    if (list == NULL) return; /* an empty center */
    if (config_setting_type(list) != CONFIG_TYPE_LIST) {
        fail(R, list, "contacts: a list ( { kind = ...; ... }, ... ) expected");
        return;
    }
    int cap = 16;
    s->contacts = xcalloc((size_t)cap, sizeof *s->contacts);
    for (int i = 0; i < config_setting_length(list); i++)
        load_contact(R, config_setting_get_elem(list, (unsigned)i), m, s, &cap);
    check_capacity(R, m, s);
}

int state_load(const char *path, const struct model_spec *m, struct sim_state *out,
               struct diag *d)
{
    struct reader R = {path, d, 0};
    memset(out, 0, sizeof *out);
    if (m->mode != MODE_DAY) {
        diag_add(d, path, 0, "a state needs a day-mode config (it starts at a clock time)");
        return -1;
    }
    config_t cfg;
    config_init(&cfg);
    if (!config_read_file(&cfg, path)) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            diag_add(d, NULL, 0, "cannot read state '%s'", path);
        else
            diag_add(d, config_error_file(&cfg) ? config_error_file(&cfg) : path,
                     config_error_line(&cfg), "%s", config_error_text(&cfg));
        config_destroy(&cfg);
        return -1;
    }
    const config_setting_t *root = config_root_setting(&cfg);
    const config_setting_t *states = config_setting_get_member(root, "states");
    if (states == NULL || config_setting_type(states) != CONFIG_TYPE_LIST ||
        config_setting_length(states) == 0) {
        fail(&R, states, "states: a list of one or more states ( { time = \"HH:MM\"; ... } ) "
                         "expected");
    } else {
        for (int i = 0; i < config_setting_length(root); i++) {
            const config_setting_t *e = config_setting_get_elem(root, (unsigned)i);
            if (strcmp(config_setting_name(e), "states") != 0)
                fail(&R, e, "%s: unknown key (states)", config_setting_name(e));
        }
        out->n = config_setting_length(states);
        out->snaps = xcalloc((size_t)out->n, sizeof *out->snaps);
        for (int i = 0; i < out->n; i++)
            load_snapshot(&R, config_setting_get_elem(states, (unsigned)i), m, &out->snaps[i]);
        if (out->n > 1 && out->n < m->replications)
            fail(&R, states, "states: %d states for %d replications (give one, or one per "
                             "replication)",
                 out->n, m->replications);
    }
    config_destroy(&cfg);
    if (R.errors > 0) {
        state_free(out);
        return -1;
    }
    return 0;
}

void state_free(struct sim_state *s)
{
    for (int i = 0; s && i < s->n; i++) {
        free(s->snaps[i].contacts);
        free(s->snaps[i].busyness);
        free(s->snaps[i].absent);
    }
    if (s) free(s->snaps);
    if (s) memset(s, 0, sizeof *s);
}

/* ==== Writing ==== */

/* A name as a libconfig string (names are plain: conf rejects none, so escape quotes). */
static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_time(FILE *f, const struct model_spec *m, double t)
{
    int day = (int)floor(t / 86400.0);
    int clock = (int)lround(t - day * 86400.0 + m->day_start_s);
    fprintf(f, "\"%d/%02d:%02d\"", day + 1, clock / 3600, clock / 60 % 60);
}

void state_write_begin(FILE *f, const char *config, double time_s, const struct model_spec *m)
{
    fprintf(f, "# ccsim %s state of ", CCSIM_VERSION);
    put_string(f, config);
    fputs(" at ", f);
    put_time(f, m, time_s);
    fputs(", one per replication (docs/state.md)\nstates = (\n", f);
}

void state_write_snapshot(FILE *f, const struct model_spec *m, int rep,
                          const struct state_snapshot *s)
{
    /* Replication 0 is first in the file; every other one follows a comma. */
    fprintf(f, "%s  { replication = %d; time = ", rep > 0 ? ",\n" : "", rep);
    put_time(f, m, s->time_s);
    fputs(";\n", f);
    if (m->n_busyness > 0) {
        fputs("    busyness = (", f);
        for (int b = 0; b < m->n_busyness; b++) {
            fputs(b ? ", { group = " : " { group = ", f);
            put_string(f, m->busyness[b].name);
            fprintf(f, "; factor = %.17g; }", s->busyness[b]);
        }
        fputs(" );\n", f);
    }
    int any_absent = 0;
    for (int g = 0; g < m->n_groups; g++)
        any_absent |= s->absent[g] >= 0;
    if (any_absent) {
        fputs("    absent = (", f);
        for (int g = 0, first = 1; g < m->n_groups; g++) {
            if (s->absent[g] < 0) continue;
            fputs(first ? " { group = " : ", { group = ", f);
            put_string(f, m->groups[g].name);
            fprintf(f, "; agents = %d; }", s->absent[g]);
            first = 0;
        }
        fputs(" );\n", f);
    }
    fputs("    contacts = (", f);
    for (int i = 0; i < s->n; i++) {
        const struct state_contact *c = &s->contacts[i];
        fprintf(f, "%s\n      { kind = \"%s\"; channel = ", i ? "," : "", kind_names[c->kind]);
        put_string(f, m->channels[c->channel].name);
        fputs("; segment = ", f);
        put_string(f, m->segments[c->segment].name);
        if (c->kind == ST_IN_SERVICE) {
            fputs("; group = ", f);
            put_string(f, m->groups[c->group].name);
            fprintf(f, "; elapsed_s = %.17g", c->waited_s);
        } else if (c->kind == ST_WAITING || c->kind == ST_CALLBACK) {
            fprintf(f, "; waited_s = %.17g", c->waited_s);
        }
        fprintf(f, "; age_s = %.17g; attempt = %d", c->age_s, c->attempt);
        if (c->kind != ST_WAITING && c->kind != ST_IN_SERVICE) fprintf(f, "; due_s = %.17g", c->due_s);
        if (c->kind == ST_WAITING && c->callback) fputs("; callback = true", f);
        if (c->kind == ST_CALLBACK || (c->kind == ST_WAITING && c->callback))
            fprintf(f, "; tries = %d", c->tries);
        if ((c->kind == ST_IN_SERVICE || c->kind == ST_REPLY) &&
            m->channels[c->channel].kind == CH_MESSAGING)
            fprintf(f, "; exchanges = %d", c->exchanges);
        fputs("; }", f);
    }
    fputs(" ); }", f);
}

void state_write_end(FILE *f)
{
    fputs("\n);\n", f);
}
