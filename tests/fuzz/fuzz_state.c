/* fuzz_state: a state file (the center as it is now: docs/state.md) read against
 * configs/default.cfg, the config tests/bad-state/ and docs/state-example.cfg are written for. */
#include "fuzz.h"
#include "state.h"

static struct model_spec model;

static void fuzz_prepare(void)
{
    fuzz_model("configs/default.cfg", &model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("state.cfg", data, size);
    struct sim_state st;
    struct diag d;
    diag_init(&d);
    if (state_load(path, &model, &st, &d) == 0) state_free(&st);
    diag_fini(&d);
    return 0;
}
