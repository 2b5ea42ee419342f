/* fuzz_sweep: a sweep file's grid, and the text of a --grid flag (the first line of the input,
 * when it has no newline the whole of it). */
#include "fuzz.h"
#include "sweep_grid.h"

static void fuzz_prepare(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("sweep.cfg", data, size);
    struct axis *axes = NULL;
    int n_axes = 0;
    struct diag d;
    diag_init(&d);
    sweep_grid_load(path, &axes, &n_axes, &d);
    for (int a = 0; a < n_axes; a++) sweep_axis_free(&axes[a]);
    free(axes);
    diag_fini(&d);

    size_t len = 0;
    while (len < size && data[len] != '\n' && data[len] != '\0') len++;
    char *flag = xmalloc(len + 1);
    memcpy(flag, data, len);
    flag[len] = '\0';
    struct axis one;
    sweep_grid_parse(flag, &one);
    sweep_axis_free(&one);
    free(flag);
    return 0;
}
