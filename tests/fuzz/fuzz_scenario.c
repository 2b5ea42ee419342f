/* fuzz_scenario: a scenario file's edits (remove, add, unset, change, set) applied to a shipped
 * config, configs/omnichannel.cfg, which has every kind of list to edit. */
#include "fuzz.h"

static char base[128];

static void fuzz_prepare(void)
{
    fuzz_copy("configs/omnichannel.cfg", "base.cfg", 0);
    snprintf(base, sizeof base, "%s/base.cfg", fuzz_folder);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *scenario = fuzz_write("in.cfg", data, size);
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    if (conf_load_scenarios(base, &scenario, 1, NULL, 0, &m, &d) == 0) model_spec_free(&m);
    diag_fini(&d);
    return 0;
}
