/* fuzz_config: the config loader (libconfig, the schema's checks, the model's extraction) on
 * arbitrary text. */
#include "fuzz.h"

static void fuzz_prepare(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("in.cfg", data, size);
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    if (conf_load(path, NULL, 0, &m, &d) == 0) model_spec_free(&m);
    diag_fini(&d);
    return 0;
}
