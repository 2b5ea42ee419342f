/* fuzz_log: the contact-log reader.  The first byte picks the format: a --log CSV, or the
 * Anonymous Bank mapping (configs/logmaps/anonymous-bank.cfg: tab-separated, YYMMDD dates, h:mm:ss
 * times, outcome codes and drop rules); the rest is the log. */
#include "fuzz.h"
#include "logread.h"

static char map[128];

static void fuzz_prepare(void)
{
    fuzz_copy("configs/logmaps/anonymous-bank.cfg", "base.cfg", 0);
    snprintf(map, sizeof map, "%s/base.cfg", fuzz_folder);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *path = fuzz_write("input.csv", data + 1, size - 1);
    struct log_data log;
    struct diag d;
    diag_init(&d);
    if (log_read(path, data[0] & 1 ? map : NULL, &log, &d) == 0) log_free(&log);
    diag_fini(&d);
    return 0;
}
