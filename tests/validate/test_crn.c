/* test_crn: common random numbers.  Two runs that differ only in staffing see the same
 * customers: the same arrival times, handle times, messaging exchanges and away times, and the
 * same wrap-up, contact by contact (compared through the call log).  And the results differ. */
#include "check.h"
#include "testlib.h"
#include "conf.h"
#include "model.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <string.h>

#define CRN_TEXT                                                                                   \
    "mode = \"day\"; seed = 5; replications = 2;\n"                                               \
    "day = { start = \"08:00\"; end = \"12:00\"; interval_min = 60; };\n"                         \
    "channels = (\n"                                                                              \
    "  { name = \"voice\"; arrivals_per_hour = 60.0;\n"                                           \
    "    service = { dist = \"lognormal\"; mean_s = 240.0; cv = 0.8; };\n"                        \
    "    patience = { dist = \"exponential\"; mean_s = 600.0; }; },\n"                            \
    "  { name = \"whatsapp\"; kind = \"messaging\"; arrivals_per_hour = 30.0;\n"                  \
    "    service = { dist = \"gamma\"; mean_s = 60.0; cv = 0.5; };\n"                             \
    "    exchanges = { dist = \"uniform\"; min_s = 1.0; max_s = 4.0; };\n"                        \
    "    reply_delay = { dist = \"exponential\"; mean_s = 120.0; }; } );\n"                       \
    "groups = ( { name = \"team\"; agents = %d; concurrency = 2;\n"                               \
    "  skills = ( { skill = \"voice\"; wrapup = { dist = \"weibull\"; mean_s = 40.0; shape = 1.5; }; },\n" \
    "             \"whatsapp\" ); } );\n"

struct seen {
    double arrival, handle, wrap;
    int handled;
};

/* Runs with `agents` and records, per (replication, contact id), what the log says. */
static int run(int agents, struct seen *out, int cap, double *mean_wait)
{
    char text[4096];
    snprintf(text, sizeof text, CRN_TEXT, agents);
    const char *path = "build/test_crn.cfg";
    FILE *f = fopen(path, "w");
    SIM_ENSURE(f != NULL);
    fputs(text, f);
    fclose(f);
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    int rc = conf_load(path, NULL, 0, &m, &d);
    diag_print(&d, stdout);
    diag_fini(&d);
    if (rc != 0) return -1;
    FILE *log = tmpfile();
    struct sim_hooks hooks = {.log = log};
    struct results *r = sim_run(&m, &hooks);
    *mean_wait = r->summary[MET_WAIT_MEAN].mean;
    rewind(log);
    char line[1024];
    if (fgets(line, sizeof line, log) == NULL) line[0] = '\0';
    while (fgets(line, sizeof line, log)) {
        char *x[20];
        int nf = testlib_fields(line, x, 20);
        if (nf < 16) continue;
        int i = atoi(x[0]) * (cap / 2) + atoi(x[1]);
        if (i >= cap) continue;
        out[i].arrival = atof(x[5]);
        out[i].handled = strcmp(x[15], "handled") == 0;
        out[i].handle = out[i].handled ? atof(x[10]) : 0;
        out[i].wrap = out[i].handled ? atof(x[11]) : 0;
    }
    fclose(log);
    results_free(r);
    model_spec_free(&m);
    return 0;
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    enum { CAP = 4000 };
    static struct seen a[CAP], b[CAP];
    double wa, wb;
    if (!CHECK(run(3, a, CAP, &wa) == 0 && run(6, b, CAP, &wb) == 0, "both staffing levels load"))
        return check_summary();
    int both = 0, arrival = 0, handle = 0, wrap = 0;
    for (int i = 0; i < CAP; i++) {
        if (a[i].arrival == 0 && b[i].arrival == 0) continue;
        if (a[i].arrival != b[i].arrival) arrival++;
        if (!a[i].handled || !b[i].handled) continue;
        both++;
        if (a[i].handle != b[i].handle) handle++;
        if (a[i].wrap != b[i].wrap) wrap++;
    }
    char desc[160];
    snprintf(desc, sizeof desc, "%d contacts handled at both staffing levels", both);
    CHECK(both > 300, desc);
    CHECK_INT(arrival, 0, "every contact arrives at the same time with 3 and 6 agents");
    CHECK_INT(handle, 0, "every handled contact has the same handle time (messaging: all exchanges)");
    CHECK_INT(wrap, 0, "every handled contact has the same wrap-up");
    CHECK(wb < wa, "more agents, shorter waits: the runs differ where they should");
    return check_summary();
}
