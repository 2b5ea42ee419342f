/* fuzz_requirements: a staffing requirement, as ccsim staff writes it (CSV or JSON; the reader
 * tells them apart by the first character), read against configs/default.cfg for ccsim
 * schedule. */
#include "fuzz.h"
#include "requirements.h"

static struct model_spec model;

static void fuzz_prepare(void)
{
    fuzz_model("configs/default.cfg", &model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("input.json", data, size);
    int nt = model_total_intervals(&model), ng = model.n_groups;
    double *required = xcalloc((size_t)nt * (size_t)ng + 1, sizeof *required);
    int *given = xcalloc((size_t)ng + 1, sizeof *given);
    struct diag d;
    diag_init(&d);
    requirements_read(path, &model, required, given, &d);
    diag_fini(&d);
    free(required);
    free(given);
    return 0;
}
