/* cli: subcommand table, --help, --version and exit codes.  The table is data (git.c): adding a
 * command is one line here and one file cmd_<name>.c. */
#include "cli.h"
#include "model.h"
#include "conf.h"
#include "util.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
    const char *name;
    cmd_fn *fn;
    const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, "simulate a configuration and report metrics with confidence intervals"},
    {"check", cmd_check, "validate a configuration and list every problem"},
    {"erlang", cmd_erlang, "exact Erlang B, C and A results (JSON)"},
    {"compare", cmd_compare, "run variants on the same customers and report the differences"},
    {"sweep", cmd_sweep, "run a config over a grid of settings (CSV, JSON lines, curves)"},
    {"staff", cmd_staff, "agents needed per interval to meet targets (erlang, sim or isa method)"},
    {"schedule", cmd_schedule, "the cheapest shifts covering a requirement (GLPK), then simulated"},
    {"fit", cmd_fit, "fit the model to a contact log: arrivals, handle times, patience, agents"},
    {"replay", cmd_replay, "replay a contact log through the logged staffing or another one"},
    {"validate", cmd_validate, "compare a contact log with the fitted model, its replay and Erlang A"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
    fprintf(out, "Usage: ccsim COMMAND [ARGS...]\n"
                 "       ccsim --help | --version\n\n"
                 "ccsim simulates contact-center queues: arrivals, channels, agents, abandonment.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'ccsim COMMAND --help' for a command's flags.\n"
                 "Exit status: 0 ok, 1 runtime failure, 2 bad usage or invalid input.\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ccsim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ccsim%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
    return EXIT_USAGE;
}

int cli_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE) return -1;
    *out = v;
    return 0;
}

int cli_parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE) return -1;
    *out = v;
    return 0;
}

const char *cli_flag_value(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

int cli_batch_flag(int argc, char **argv, int *i, struct batch_opts *b, const char *cmd)
{
    int missing = 0;
    const char *v;
    long n;
    double x;
    if ((v = cli_flag_value(argc, argv, i, "--jobs", &missing)) != NULL ||
        (!missing && (v = cli_flag_value(argc, argv, i, "-j", &missing)) != NULL)) {
        if (cli_parse_long(v, &n) || n < 1 || n > 4096)
            return cli_usage_error(cmd, "-j: threads from 1 to 4096 expected, got '%s'", v), -1;
        b->jobs = (int)n;
    } else if ((v = cli_flag_value(argc, argv, i, "--precision-abs", &missing)) != NULL) {
        if (cli_parse_double(v, &x) || !(x >= 0))
            return cli_usage_error(cmd, "--precision-abs: a number >= 0 expected, got '%s'", v), -1;
        b->precision_abs = x;
    } else if ((v = cli_flag_value(argc, argv, i, "--precision", &missing)) != NULL) {
        if (cli_parse_double(v, &x) || !(x > 0 && x < 1))
            return cli_usage_error(cmd, "--precision: a fraction in (0, 1) expected, e.g. 0.02, got '%s'", v), -1;
        b->precision_rel = x;
    } else if ((v = cli_flag_value(argc, argv, i, "--min-reps", &missing)) != NULL) {
        if (cli_parse_long(v, &n) || n < 2 || n > 10000000)
            return cli_usage_error(cmd, "--min-reps: integer from 2 to 10000000 expected, got '%s'", v), -1;
        b->min_reps = (int)n;
    } else if ((v = cli_flag_value(argc, argv, i, "--max-reps", &missing)) != NULL) {
        if (cli_parse_long(v, &n) || n < 2 || n > 10000000)
            return cli_usage_error(cmd, "--max-reps: integer from 2 to 10000000 expected, got '%s'", v), -1;
        b->max_reps = (int)n;
    } else if ((v = cli_flag_value(argc, argv, i, "--reps", &missing)) != NULL) {
        if (cli_parse_long(v, &b->reps) || b->reps < b->reps_floor || b->reps > 10000000)
            return cli_usage_error(cmd, "--reps: integer from %d to 10000000 expected, got '%s'",
                                   b->reps_floor, v), -1;
    } else if ((v = cli_flag_value(argc, argv, i, "--seed", &missing)) != NULL) {
        if (cli_parse_long(v, &b->seed) || b->seed < 0)
            return cli_usage_error(cmd, "--seed: integer >= 0 expected, got '%s'", v), -1;
    } else if ((v = cli_flag_value(argc, argv, i, "--set", &missing)) != NULL) {
        if (cli_split_override(v, &b->sets[b->n_sets]) != 0)
            return cli_usage_error(cmd, "--set: KEY=VALUE expected, got '%s'", v), -1;
        b->n_sets++;
    } else if (b->scenarios != NULL &&
               ((v = cli_flag_value(argc, argv, i, "--scenario", &missing)) != NULL ||
                (!missing && (v = cli_flag_value(argc, argv, i, "-s", &missing)) != NULL))) {
        b->scenarios[b->n_scenarios++] = v;
    } else if (missing) {
        return cli_usage_error(cmd, "%s needs a value", argv[*i]), -1;
    } else {
        return 0;
    }
    if (b->min_reps > 0 && b->max_reps > 0 && b->min_reps > b->max_reps)
        return cli_usage_error(cmd, "--min-reps %d is above --max-reps %d", b->min_reps, b->max_reps), -1;
    return 1;
}

void cli_batch_hooks(const struct batch_opts *b, struct sim_hooks *hooks)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    hooks->jobs = b->jobs > 0 ? b->jobs : cores > 0 ? (int)cores : 1;
    hooks->precision_rel = b->precision_rel;
    hooks->precision_abs = b->precision_abs;
    hooks->max_reps = b->max_reps > 0 ? b->max_reps : 10000;
    hooks->min_reps = b->min_reps > 0 ? b->min_reps : hooks->max_reps < 10 ? hooks->max_reps : 10;
    if (hooks->max_reps < hooks->min_reps) hooks->max_reps = hooks->min_reps;
}

int cli_config_arg(const char *cmd, const char *arg, int missing_value, const char **config)
{
    if (missing_value) return cli_usage_error(cmd, "%s needs a value", arg);
    if (arg[0] == '-' && arg[1] != '\0') return cli_usage_error(cmd, "unknown option '%s'", arg);
    if (*config != NULL)
        return cli_usage_error(cmd, "unexpected argument '%s' (one CONFIG only)", arg);
    *config = arg;
    return 0;
}

int cli_split_override(const char *arg, struct conf_override *o)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg) return -1;
    char *key = xmalloc((size_t)(eq - arg) + 1);
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    o->path = key;
    o->value = eq + 1;
    return 0;
}

int cli_main(int argc, char **argv)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("ccsim %s\n", CCSIM_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command '%s'", name);
}
