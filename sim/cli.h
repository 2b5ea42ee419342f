/* cli: the command table and the top-level dispatcher.  Each subcommand lives in cmd_<name>.c and
 * has the signature of cmd_fn; argv[0] is the subcommand name.  Commands return an exit status
 * (EXIT_OK, EXIT_RUNTIME, EXIT_USAGE from util.h). */
#ifndef CCSIM_CLI_H
#define CCSIM_CLI_H

typedef int cmd_fn(int argc, char **argv);

int cli_main(int argc, char **argv);

/* Prints "ccsim CMD: <message>" and "Try 'ccsim CMD --help'." to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a whole string as a number; returns 0 on success, -1 when s is not entirely a number. */
int cli_parse_double(const char *s, double *out);
int cli_parse_long(const char *s, long *out);

/* The value of flag `name` at argv[*i], given as --name VALUE (then *i advances) or
 * --name=VALUE; NULL when argv[*i] is another flag, or, with *missing set, when VALUE is
 * missing. */
const char *cli_flag_value(int argc, char **argv, int *i, const char *name, int *missing);

/* Splits "KEY=VALUE" into o (path newly allocated, caller frees; value points into arg).
 * Returns -1 when there is no '=' or the key is empty. */
struct conf_override;
int cli_split_override(const char *arg, struct conf_override *o);

/* The options run, compare and sweep share: replications, seed, overrides, scenarios, threads
 * and sequential sampling.  Start from CLI_BATCH_INIT and give sets (room for argc entries) and,
 * where -s is taken, scenarios. */
struct batch_opts {
    int jobs;              /* -j N; 0 until given: the number of online cores */
    double precision_rel;  /* --precision REL; 0 none */
    double precision_abs;  /* --precision-abs A */
    int min_reps, max_reps;
    long reps, seed;       /* --reps, --seed; -1 not given */
    int reps_floor;        /* the least --reps the command takes */
    struct conf_override *sets; /* --set, in order; owned paths */
    int n_sets;
    const char **scenarios;     /* -s, --scenario; NULL: the command takes none */
    int n_scenarios;
};
#define CLI_BATCH_INIT {0, 0, 0, 0, 0, -1, -1, 1, NULL, 0, NULL, 0}

/* Parses argv[*i] if it is one of those options (advancing *i past its value).  Returns 1 when
 * it was one, 0 when it is not, -1 after printing a usage error for cmd. */
int cli_batch_flag(int argc, char **argv, int *i, struct batch_opts *b, const char *cmd);

/* Copies b into hooks (jobs defaulting to the online cores). */
struct sim_hooks;
void cli_batch_hooks(const struct batch_opts *b, struct sim_hooks *hooks);

/* The last branch of a command's argument loop: an option missing its value, an unknown
 * option, or the one CONFIG (stored in *config).  Returns 0, or EXIT_USAGE after printing why. */
int cli_config_arg(const char *cmd, const char *arg, int missing_value, const char **config);

cmd_fn cmd_run;
cmd_fn cmd_check;
cmd_fn cmd_erlang;
cmd_fn cmd_compare;
cmd_fn cmd_sweep;
cmd_fn cmd_staff;
cmd_fn cmd_schedule;
cmd_fn cmd_fit;
cmd_fn cmd_replay;
cmd_fn cmd_validate;

#endif
