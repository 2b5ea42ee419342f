/* fuzz.h: what the libFuzzer harnesses share.  Each harness hands the input to one of ccsim's
 * parsers exactly as the command line would: written to a file in a private folder, then read by
 * the loader.  A parser must never exit, abort or leak on any input: it returns an error with
 * the problems in a struct diag.  libFuzzer flags an exit as a failure, the sanitizers flag the
 * rest, and GSL's error handler aborts, so an input that reaches GSL unguarded is a crash too.
 * The folder holds the companion files a config may name (default-forecast.csv,
 * default-staffing.csv, values.txt), so configs that read them get past the reading. */
#ifndef CCSIM_FUZZ_H
#define CCSIM_FUZZ_H

#include "conf.h"
#include "diag.h"
#include "model.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* What a harness prepares once, after the folder and its companion files exist. */
static void fuzz_prepare(void);

static char fuzz_folder[64];

static inline void fuzz_cleanup(void)
{
    static const char *const names[] = {"in.cfg",    "base.cfg",   "model.cfg", "values.txt",
                                        "input.csv", "input.json", "state.cfg", "sweep.cfg",
                                        "default-forecast.csv", "default-staffing.csv", "log.txt"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", fuzz_folder, names[i]);
        unlink(path);
    }
    rmdir(fuzz_folder);
}

/* Writes n bytes to name in the private folder; returns the path (valid until the next call). */
static inline const char *fuzz_write(const char *name, const void *data, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_folder, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

static inline const char *fuzz_write_text(const char *name, const char *text)
{
    return fuzz_write(name, text, strlen(text));
}

/* Copies the repository file at path (relative to CCSIM_ROOT, default ".") into the folder,
 * without its first skip bytes (a corpus entry's selector byte). */
static inline void fuzz_copy(const char *path, const char *name, size_t skip)
{
    const char *root = getenv("CCSIM_ROOT");
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", root != NULL ? root : ".", path);
    FILE *f = fopen(full, "rb");
    if (f == NULL) {
        perror(full);
        abort();
    }
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n < skip) abort();
    fuzz_write(name, buf + skip, n - skip);
}

/* Makes the folder and its companion files; every harness calls it from LLVMFuzzerInitialize. */
static inline void fuzz_setup(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    snprintf(fuzz_folder, sizeof fuzz_folder, "/tmp/ccsim-fuzz-XXXXXX");
    if (mkdtemp(fuzz_folder) == NULL) {
        perror("mkdtemp");
        abort();
    }
    atexit(fuzz_cleanup);
    fuzz_copy("configs/default-forecast.csv", "default-forecast.csv", 0);
    fuzz_copy("configs/default-staffing.csv", "default-staffing.csv", 0);
    fuzz_write_text("values.txt", "# seconds\n120\n240.5\n\n600\n");
}

/* Loads a model from a repository config for the parsers that read against one; aborts if the
 * shipped config does not load (the harness, not the input, is broken then). */
static inline void fuzz_model(const char *path, struct model_spec *m)
{
    fuzz_copy(path, "model.cfg", 0);
    char full[128];
    snprintf(full, sizeof full, "%s/model.cfg", fuzz_folder);
    struct diag d;
    diag_init(&d);
    if (conf_load(full, NULL, 0, m, &d) != 0) {
        diag_print(&d, stderr);
        abort();
    }
    diag_fini(&d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    fuzz_prepare();
    return 0;
}

#endif
