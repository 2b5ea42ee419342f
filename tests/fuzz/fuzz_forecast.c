/* fuzz_forecast: the CSV of arrivals or staffing per interval.  The first byte picks the grid
 * the file must match (one day of 24 half hours from 08:00, two such days, or 96 quarter hours
 * from midnight); the rest is the file. */
#include "forecast.h"
#include "fuzz.h"

static void fuzz_prepare(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        int n_intervals, n_days;
        double start_s, interval_s;
    } grids[] = {{24, 1, 8 * 3600.0, 1800.0}, {24, 2, 8 * 3600.0, 1800.0}, {96, 1, 0.0, 900.0}};
    if (size == 0) return 0;
    int g = data[0] % 3;
    const char *path = fuzz_write("input.csv", data + 1, size - 1);
    struct forecast t;
    struct diag d;
    diag_init(&d);
    if (forecast_read(&t, path, grids[g].n_intervals, grids[g].n_days, grids[g].start_s,
                      grids[g].interval_s, &d) == 0)
        forecast_free(&t);
    diag_fini(&d);
    return 0;
}
