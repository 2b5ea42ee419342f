/* cmd_check: `ccsim check CONFIG`: validates a config (with any --set overrides) and prints every
 * problem, or a one-line summary of the model when it is valid.  Never simulates. */
#include "cli.h"
#include "conf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "Usage: ccsim check CONFIG [-s SCENARIO]... [--set KEY=VALUE]...\n\n"
                 "Validates CONFIG: prints every problem as FILE:LINE: KEY: message and exits 2,\n"
                 "or prints a summary of the model and exits 0.\n\n"
                 "Options:\n"
                 "  -s, --scenario S  apply a scenario's edits first, as 'ccsim run' does\n"
                 "  --set KEY=VALUE   apply an override first, as 'ccsim run' does; repeatable\n"
                 "  -h, --help        this help\n\n"
                 "Example:\n"
                 "  ccsim check configs/default.cfg\n");
}

int cmd_check(int argc, char **argv)
{
    const char *config = NULL;
    struct conf_override *sets = xcalloc((size_t)argc, sizeof *sets);
    int n_sets = 0, status = EXIT_OK, n_scenarios = 0;
    const char **scenarios = xcalloc((size_t)argc + 1, sizeof *scenarios);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        }
        int missing = 0;
        const char *sc = cli_flag_value(argc, argv, &i, "--scenario", &missing);
        if (sc == NULL && !missing) sc = cli_flag_value(argc, argv, &i, "-s", &missing);
        if (sc != NULL) {
            scenarios[n_scenarios++] = sc;
            continue;
        }
        const char *v = missing ? NULL : cli_flag_value(argc, argv, &i, "--set", &missing);
        if (missing) {
            status = cli_usage_error("check", "--set needs a value");
            goto done;
        } else if (v == NULL && a[0] == '-' && a[1] != '\0') {
            status = cli_usage_error("check", "unknown option '%s'", a);
            goto done;
        } else if (v == NULL && config == NULL) {
            config = a;
            continue;
        } else if (v == NULL) {
            status = cli_usage_error("check", "unexpected argument '%s' (one CONFIG only)", a);
            goto done;
        }
        if (cli_split_override(v, &sets[n_sets]) != 0) {
            status = cli_usage_error("check", "--set: KEY=VALUE expected, got '%s'", v);
            goto done;
        }
        n_sets++;
    }
    if (config == NULL) {
        status = cli_usage_error("check", "missing CONFIG");
        goto done;
    }
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    if (conf_load_scenarios(config, scenarios, n_scenarios, sets, n_sets, &m, &d) != 0) {
        diag_print(&d, stderr);
        status = EXIT_USAGE;
    } else {
        printf("%s: ok: %s mode, %d channel%s, %d group%s, %d interval%s, %d replications, seed "
               "%llu\n",
               config, m.mode == MODE_DAY ? "day" : "steady", m.n_channels,
               m.n_channels == 1 ? "" : "s", m.n_groups, m.n_groups == 1 ? "" : "s",
               m.n_intervals, m.n_intervals == 1 ? "" : "s", m.replications,
               (unsigned long long)m.seed);
        model_spec_free(&m);
    }
    diag_fini(&d);
done:
    for (int k = 0; k < n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    free(scenarios);
    return status;
}
