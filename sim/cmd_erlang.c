/* cmd_erlang: `ccsim erlang b|c|a`, the exact Erlang formulas of erlang.c as one JSON object.
 * Flags are long only, as `--flag VALUE` or `--flag=VALUE`, and live in one table (name, units,
 * help) so parsing, checking and --help agree.  Every usage problem is reported once through
 * cli_usage_error (exit 2); results go to stdout.  Documented in docs/erlang.md. */
#include "cli.h"
#include "erlang.h"
#include "json.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A documented sanity bound on agent counts (input and search); Erlang B/C/A cost O(n). */
#define AGENTS_MAX 1000000

enum flag_id {
    F_ARRIVALS,
    F_AHT,
    F_AGENTS,
    F_PATIENCE,
    F_SL_SECONDS,
    F_TARGET_SL,
    F_TARGET_BLOCK,
    F_HELP,
    N_FLAGS
};

struct flag {
    const char *name; /* without the leading "--" */
    const char *arg;  /* value placeholder in --help; NULL: takes no value */
    const char *help;
};

static const struct flag flags[N_FLAGS] = {
    [F_ARRIVALS] = {"arrivals-per-hour", "X", "offered contacts per hour, > 0 (required)"},
    [F_AHT] = {"aht", "S", "mean handle time in seconds, > 0 (required)"},
    [F_AGENTS] = {"agents", "N", "agents (b: trunks), 1..1000000"},
    [F_PATIENCE] = {"patience", "S", "a only, required: mean patience in seconds, > 0 (inf: none)"},
    [F_SL_SECONDS] = {"sl-seconds", "T", "c, a: service-level threshold in seconds, >= 0 (20)"},
    [F_TARGET_SL] = {"target-sl", "F", "c, a: instead of --agents, the fewest agents with SL >= F"},
    [F_TARGET_BLOCK] = {"target-block", "P",
                        "b: instead of --agents, the fewest with blocking <= P"},
    [F_HELP] = {"help", NULL, "print this help and exit"},
};

struct opts {
    char model; /* 'b', 'c' or 'a' */
    int seen[N_FLAGS];
    double value[N_FLAGS]; /* numeric value of each flag given */
};

static void print_help(FILE *out)
{
    fprintf(
        out,
        "Usage: ccsim erlang b|c|a --arrivals-per-hour X --aht S (--agents N | --target-sl F)\n"
        "                         [--patience S] [--sl-seconds T]\n"
        "       ccsim erlang b --arrivals-per-hour X --aht S (--agents N | --target-block P)\n\n"
        "Exact steady-state results as one JSON object on stdout:\n"
        "  b  Erlang B, M/M/n/n: blocking probability (p_block)\n"
        "  c  Erlang C, M/M/n: p_wait, asa_s, wait_mean_s, service_level, occupancy\n"
        "  a  Erlang A, M/M/n+M (exponential patience): as c, plus p_abandon\n\n"
        "Flags (each also as --flag=VALUE):\n");
    for (int i = 0; i < N_FLAGS; i++) {
        char left[40];
        snprintf(left, sizeof left, "--%s%s%s", flags[i].name, flags[i].arg ? " " : "",
                 flags[i].arg ? flags[i].arg : "");
        fprintf(out, "  %-24s %s\n", left, flags[i].help);
    }
    fprintf(out,
            "\nService level is P(answered within T) over all arrivals; abandoners count as\n"
            "not answered.  Times are seconds.  See docs/erlang.md for every field.\n\n"
            "Examples:\n"
            "  ccsim erlang c --arrivals-per-hour 200 --aht 180 --agents 14\n"
            "  ccsim erlang a --arrivals-per-hour 200 --aht 180 --patience 300 --target-sl 0.8\n");
}

/* Checks one flag's value against its range; returns 0 or the usage status. */
static int check_value(enum flag_id id, const char *text, double v)
{
    switch (id) {
    case F_ARRIVALS:
    case F_AHT:
        if (!(v > 0) || !isfinite(v))
            return cli_usage_error("erlang", "--%s must be a positive finite number, got '%s'",
                                   flags[id].name, text);
        return 0;
    case F_PATIENCE:
        if (!(v > 0))
            return cli_usage_error("erlang",
                                   "--patience must be a positive number of seconds "
                                   "(or inf), got '%s'",
                                   text);
        return 0;
    case F_SL_SECONDS:
        if (!(v >= 0) || !isfinite(v))
            return cli_usage_error("erlang", "--sl-seconds must be a finite number >= 0, got '%s'",
                                   text);
        return 0;
    case F_TARGET_SL:
    case F_TARGET_BLOCK:
        if (!(v > 0 && v < 1))
            return cli_usage_error("erlang", "--%s must be strictly between 0 and 1, got '%s'",
                                   flags[id].name, text);
        return 0;
    case F_AGENTS:
    case F_HELP:
    case N_FLAGS:
        break;
    }
    return 0;
}

/* Stores one flag and its value text; returns 0 or the usage status. */
static int set_flag(struct opts *o, enum flag_id id, const char *text)
{
    if (o->seen[id]) return cli_usage_error("erlang", "--%s given twice", flags[id].name);
    o->seen[id] = 1;
    if (id == F_AGENTS) {
        long n;
        if (cli_parse_long(text, &n) != 0)
            return cli_usage_error("erlang", "--agents: integer expected, got '%s'", text);
        if (n < 1 || n > AGENTS_MAX)
            return cli_usage_error("erlang", "--agents must be between 1 and %d, got %ld",
                                   AGENTS_MAX, n);
        o->value[id] = (double)n;
        return 0;
    }
    double v;
    if (cli_parse_double(text, &v) != 0)
        return cli_usage_error("erlang", "--%s: number expected, got '%s'", flags[id].name, text);
    o->value[id] = v;
    return check_value(id, text, v);
}

/* Parses argv (argv[0] is "erlang"); returns 0, EXIT_USAGE, or -1 after --help was printed. */
static int parse(int argc, char **argv, struct opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (arg[0] == '-' && arg[1] != '\0')
                return cli_usage_error("erlang", "unknown flag '%s' (flags are long: --name)", arg);
            if (o->model != 0)
                return cli_usage_error("erlang", "unexpected argument '%s' (model is '%c')", arg,
                                       o->model);
            if (strcmp(arg, "b") != 0 && strcmp(arg, "c") != 0 && strcmp(arg, "a") != 0)
                return cli_usage_error("erlang", "unknown model '%s' (expected b, c or a)", arg);
            o->model = arg[0];
            continue;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int id = -1;
        for (int f = 0; f < N_FLAGS; f++)
            if (strlen(flags[f].name) == len && strncmp(flags[f].name, name, len) == 0) id = f;
        if (id < 0) return cli_usage_error("erlang", "unknown flag '--%.*s'", (int)len, name);
        if (flags[id].arg == NULL) {
            if (eq) return cli_usage_error("erlang", "--%s takes no value", flags[id].name);
            print_help(stdout);
            return -1;
        }
        const char *text = eq ? eq + 1 : NULL;
        if (text == NULL) {
            if (i + 1 >= argc)
                return cli_usage_error("erlang", "--%s needs a value (%s)", flags[id].name,
                                       flags[id].arg);
            text = argv[++i];
        }
        int rc = set_flag(o, (enum flag_id)id, text);
        if (rc != 0) return rc;
    }
    return 0;
}

/* Cross-flag rules: which flags each model takes, and exactly one of --agents or a target. */
static int check_combination(const struct opts *o)
{
    if (o->model == 0) return cli_usage_error("erlang", "missing model: b, c or a");
    if (!o->seen[F_ARRIVALS]) return cli_usage_error("erlang", "missing --arrivals-per-hour");
    if (!o->seen[F_AHT]) return cli_usage_error("erlang", "missing --aht");
    enum flag_id target = o->model == 'b' ? F_TARGET_BLOCK : F_TARGET_SL;
    enum flag_id other = o->model == 'b' ? F_TARGET_SL : F_TARGET_BLOCK;
    if (o->seen[other])
        return cli_usage_error("erlang", "--%s does not apply to model %c (use --%s)",
                               flags[other].name, o->model, flags[target].name);
    if (o->model == 'b' && (o->seen[F_PATIENCE] || o->seen[F_SL_SECONDS]))
        return cli_usage_error("erlang", "--%s does not apply to model b",
                               flags[o->seen[F_PATIENCE] ? F_PATIENCE : F_SL_SECONDS].name);
    if (o->model == 'c' && o->seen[F_PATIENCE])
        return cli_usage_error("erlang", "--patience applies to model a only");
    if (o->model == 'a' && !o->seen[F_PATIENCE])
        return cli_usage_error("erlang", "model a needs --patience");
    if (o->seen[F_AGENTS] && o->seen[target])
        return cli_usage_error("erlang", "give --agents or --%s, not both", flags[target].name);
    if (!o->seen[F_AGENTS] && !o->seen[target])
        return cli_usage_error("erlang", "missing --agents (or --%s)", flags[target].name);
    return 0;
}

/* The fewest trunks with B(n, A) <= target: B falls with n, so double the step, then bisect.
 * Returns -1 when AGENTS_MAX trunks are not enough. */
static int agents_for_block(double load, double target)
{
    int lo = 0, hi = -1;
    long step = 1;
    while (hi < 0) {
        long probe = lo + step;
        if (probe > AGENTS_MAX) probe = AGENTS_MAX;
        if (erlang_b((int)probe, load) <= target) {
            hi = (int)probe;
        } else {
            if (probe == AGENTS_MAX) return -1;
            lo = (int)probe;
            step *= 2;
        }
    }
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (erlang_b(mid, load) <= target)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

static void write_inputs(struct json *j, const struct opts *o, int agents, double load)
{
    char model[2] = {o->model, '\0'};
    json_string(j, "model", model);
    json_number(j, "arrivals_per_hour", o->value[F_ARRIVALS]);
    json_number(j, "aht_s", o->value[F_AHT]);
    json_int(j, "agents", agents);
    if (o->model == 'a') json_number(j, "patience_s", o->value[F_PATIENCE]);
    if (o->model != 'b') json_number(j, "sl_seconds", o->value[F_SL_SECONDS]);
    if (o->seen[F_TARGET_SL]) json_number(j, "target_sl", o->value[F_TARGET_SL]);
    if (o->seen[F_TARGET_BLOCK]) json_number(j, "target_block", o->value[F_TARGET_BLOCK]);
    json_number(j, "load_erlangs", load);
}

int cmd_erlang(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    o.value[F_SL_SECONDS] = 20;
    int rc = parse(argc, argv, &o);
    if (rc < 0) return EXIT_OK; /* --help */
    if (rc != 0) return rc;
    rc = check_combination(&o);
    if (rc != 0) return rc;

    struct erlang_input in = {
        o.value[F_ARRIVALS] / 3600, o.value[F_AHT], o.seen[F_AGENTS] ? (int)o.value[F_AGENTS] : 0,
        o.model == 'a' ? o.value[F_PATIENCE] : HUGE_VAL, o.value[F_SL_SECONDS]};
    double load = in.arrivals_per_s * in.aht_s;
    struct json j;
    struct erlang_metrics m;

    if (o.model == 'b') {
        if (o.seen[F_TARGET_BLOCK]) {
            in.agents = agents_for_block(load, o.value[F_TARGET_BLOCK]);
            if (in.agents < 0) {
                fprintf(stderr,
                        "ccsim erlang: no trunk count up to %d blocks at most %g at load "
                        "%g Erlangs\n",
                        AGENTS_MAX, o.value[F_TARGET_BLOCK], load);
                return EXIT_USAGE;
            }
        }
        json_init(&j, stdout, 1);
        json_begin_object(&j, NULL);
        write_inputs(&j, &o, in.agents, load);
        json_number(&j, "p_block", erlang_b(in.agents, load));
        json_end_object(&j);
        json_finish(&j);
        return EXIT_OK;
    }

    if (o.seen[F_TARGET_SL]) {
        in.agents = erlang_agents_for_sl(o.model, &in, o.value[F_TARGET_SL], AGENTS_MAX, &m);
        if (in.agents < 0) {
            fprintf(stderr,
                    "ccsim erlang: no agent count up to %d reaches service level %g at "
                    "load %g Erlangs\n",
                    AGENTS_MAX, o.value[F_TARGET_SL], load);
            return EXIT_USAGE;
        }
    } else if (o.model == 'c') {
        if (erlang_c(&in, &m) != 0) {
            fprintf(stderr,
                    "ccsim erlang: load %g Erlangs needs more than %d agents (no steady "
                    "state)\n",
                    load, in.agents);
            return EXIT_USAGE;
        }
    } else {
        erlang_a(&in, &m);
    }
    json_init(&j, stdout, 1);
    json_begin_object(&j, NULL);
    write_inputs(&j, &o, in.agents, load);
    json_number(&j, "p_wait", m.p_wait);
    json_number(&j, "p_abandon", m.p_abandon);
    json_number(&j, "asa_s", m.asa_s);
    json_number(&j, "wait_mean_s", m.wait_mean_s);
    json_number(&j, "service_level", m.service_level);
    json_number(&j, "occupancy", m.occupancy);
    json_end_object(&j);
    json_finish(&j);
    return EXIT_OK;
}
