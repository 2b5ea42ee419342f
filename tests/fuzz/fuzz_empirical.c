/* fuzz_empirical: the one-column file of an empirical distribution, read through the config
 * that names it (as ccsim reads it). */
#include "fuzz.h"

static char config[128];

static void fuzz_prepare(void)
{
    fuzz_write_text("base.cfg",
                    "mode = \"steady\";\n"
                    "steady = { contacts = 1000; };\n"
                    "channels = ( { name = \"voice\"; arrivals_per_hour = 100.0;\n"
                    "  service = { dist = \"empirical\"; file = \"input.csv\"; }; } );\n"
                    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = 5; } );\n");
    snprintf(config, sizeof config, "%s/base.cfg", fuzz_folder);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write("input.csv", data, size);
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    if (conf_load(config, NULL, 0, &m, &d) == 0) model_spec_free(&m);
    diag_fini(&d);
    return 0;
}
