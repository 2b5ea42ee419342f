/* fuzz_flags: the parsers of command-line values, each line of the input given to each: staff's
 * --target CHANNEL:KIND=VALUE, --set KEY=VALUE, --dump-state's [D/]HH:MM, and the number flags,
 * against configs/default.cfg. */
#include "cli.h"
#include "fuzz.h"
#include "staffing.h"
#include "state.h"

static struct model_spec model;

static void fuzz_prepare(void)
{
    fuzz_model("configs/default.cfg", &model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        struct staff_target t;
        char why[256];
        staff_parse_target(line, &model, &t, why, sizeof why);
        struct conf_override o;
        if (cli_split_override(line, &o) == 0) free((char *)o.path);
        state_parse_time(line, &model);
        double x;
        long n;
        cli_parse_double(line, &x);
        cli_parse_long(line, &n);
    }
    free(text);
    return 0;
}
