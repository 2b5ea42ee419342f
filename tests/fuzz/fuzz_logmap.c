/* fuzz_logmap: the mapping-file reader of ccsim fit and replay.  The input is the mapping; the
 * log it describes is fixed: synthetic rows in the Anonymous Bank's layout (tab-separated, CRLF,
 * YYMMDD dates, h:mm:ss times; tests/fuzz/corpus/log/bank.txt without its selector byte). */
#include "fuzz.h"
#include "logread.h"

static char log_path[128];

static void fuzz_prepare(void)
{
    fuzz_copy("tests/fuzz/corpus/log/bank.txt", "log.txt", 1);
    snprintf(log_path, sizeof log_path, "%s/log.txt", fuzz_folder);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *map = fuzz_write("base.cfg", data, size);
    struct log_data log;
    struct diag d;
    diag_init(&d);
    if (log_read(log_path, map, &log, &d) == 0) log_free(&log);
    diag_fini(&d);
    return 0;
}
