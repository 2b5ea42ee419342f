/* test_conf: the loader.  docs/config.md lists exactly the schema's keys; the two config forms
 * load into the same model; --set reaches nested keys and list elements and is validated; bad
 * settings are reported with file, line and key, all of them, not only the first. */
#include "check.h"
#include "conf.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <string.h>

/* A load that should succeed; reports the failure as a check. */
#define CHECK_INT_OK(rc) check_report((rc) == 0, __FILE__, __LINE__, "curves model loads")

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    SIM_ENSURE(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* Keys in the first column of docs/config.md's tables: lines starting "| `key` |". */
static int doc_keys(char keys[][96], int cap)
{
    FILE *f = fopen("docs/config.md", "r");
    if (f == NULL) return -1;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < cap) {
        if (strncmp(line, "| `", 3) != 0) continue;
        char *end = strchr(line + 3, '`');
        if (end == NULL || end - (line + 3) >= 96) continue;
        memcpy(keys[n], line + 3, (size_t)(end - (line + 3)));
        keys[n][end - (line + 3)] = '\0';
        n++;
    }
    fclose(f);
    return n;
}

static void test_docs_match_schema(void)
{
    static char keys[1024][96];
    int n = doc_keys(keys, 1024);
    CHECK(n > 0, "docs/config.md has a key table");
    int n_schema = 0;
    for (; conf_schema_key(n_schema) != NULL; n_schema++) {
        int found = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(keys[i], conf_schema_key(n_schema)) == 0) found = 1;
        if (!found) printf("    schema key not documented: %s\n", conf_schema_key(n_schema));
        CHECK(found, "schema key documented in docs/config.md");
    }
    for (int i = 0; i < n; i++) {
        int found = 0;
        for (int k = 0; conf_schema_key(k) != NULL; k++)
            if (strcmp(keys[i], conf_schema_key(k)) == 0) found = 1;
        if (!found) printf("    documented key not in the schema: %s\n", keys[i]);
        CHECK(found, "documented key exists in the schema");
    }
    CHECK_INT(n, n_schema, "docs/config.md lists each schema key once");
}

static const char *general =
    "mode = \"day\";\nseed = 7;\nreplications = 3;\n"
    "day = { start = \"09:00\"; end = \"10:30\"; interval_min = 30; };\n"
    "channels = ( { name = \"voice\"; sl_seconds = 15;\n"
    "  arrivals_per_hour = ( 120.0, 180, 60.5 );\n"
    "  service = { dist = \"gamma\"; mean_s = 200.0; cv = 0.7; };\n"
    "  patience = { dist = \"empirical\"; values = [ 30.0, 60.0, 91.5 ]; }; } );\n"
    "groups = ( { name = \"team\"; skills = [ \"voice\" ]; agents = [ 5, 7, 3 ]; } );\n";

static void test_general_form(void)
{
    write_file("build/test_conf_general.cfg", general);
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    int rc = conf_load("build/test_conf_general.cfg", NULL, 0, &m, &d);
    diag_print(&d, stdout);
    CHECK_INT(rc, 0, "general form loads");
    if (rc == 0) {
        CHECK_INT(m.mode, MODE_DAY, "mode day");
        CHECK_INT(m.n_intervals, 3, "09:00-10:30 in 30 min is 3 intervals");
        CHECK_NEAR(m.day_start_s, 9 * 3600.0, 0, "day starts at 09:00");
        CHECK_NEAR(m.interval_s, 1800.0, 0, "interval 1800 s");
        CHECK_NEAR(m.channels[0].rate_per_s[1], 180.0 / 3600, 1e-15, "rate per second");
        CHECK_NEAR(m.channels[0].sl_seconds, 15.0, 0, "sl_seconds");
        CHECK_INT(m.channels[0].service.kind, DIST_GAMMA, "service gamma");
        CHECK_INT(m.channels[0].patience.n_values, 3, "empirical patience values");
        CHECK_NEAR(m.channels[0].patience.mean_s, (30.0 + 60.0 + 91.5) / 3, 1e-15, "empirical mean");
        CHECK_INT(m.groups[0].agents[2], 3, "agents per interval");
        CHECK_INT(m.seed, 7, "seed");
        CHECK_INT(m.replications, 3, "replications");
        model_spec_free(&m);
    }
    diag_fini(&d);

    /* --set on a nested key and on a list element, and a validated bad value. */
    struct conf_override sets[] = {{.path = "channels.[0].service.mean_s", .value = "250.5"},
                                   {.path = "groups.[0].agents.[1]", .value = "11"},
                                   {.path = "day.interval_min", .value = "45"}};
    diag_init(&d);
    rc = conf_load("build/test_conf_general.cfg", sets, 2, &m, &d);
    CHECK_INT(rc, 0, "--set on nested key and list element loads");
    if (rc == 0) {
        CHECK_NEAR(m.channels[0].service.mean_s, 250.5, 0, "--set nested key applied");
        CHECK_INT(m.groups[0].agents[1], 11, "--set list element applied");
        CHECK_INT(m.groups[0].agents[0], 5, "--set leaves the other elements");
        model_spec_free(&m);
    }
    diag_fini(&d);
    struct conf_override bad[] = {{.path = "groups.[0].agents.[1]", .value = "-4"}};
    diag_init(&d);
    rc = conf_load("build/test_conf_general.cfg", bad, 1, &m, &d);
    CHECK_INT(rc, -1, "--set list element out of range is rejected");
    /* The bad value came from --set, so the message names the --set, not the file's line. */
    if (!CHECK(d.n == 1 && strstr(d.msgs[0], "--set groups.[0].agents.[1]: -4 is out of range") != NULL,
               "out-of-range value from --set names the --set and the element"))
        diag_print(&d, stdout);
    diag_fini(&d);
    diag_init(&d);
    rc = conf_load("build/test_conf_general.cfg", &sets[2], 1, &m, &d);
    CHECK_INT(rc, -1, "--set making the day a fractional number of intervals is rejected");
    diag_fini(&d);
}

static void test_every_problem_reported(void)
{
    write_file("build/test_conf_bad.cfg",
               "mode = \"day\";\n"
               "day = { start = \"09:00\"; end = \"10:00\"; interval_min = 30; };\n"
               "channels = ( { name = \"voice\"; arrivals_per_hour = [ 1.0, 2.0, 3.0 ];\n"
               "  service = { dist = \"lognormal\"; mean_s = -3.0; cv = 1.0; }; } );\n"
               "groups = ( { name = \"team\"; skills = [ \"chat\" ]; agents = 2; agentz = 3; } );\n");
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    int rc = conf_load("build/test_conf_bad.cfg", NULL, 0, &m, &d);
    CHECK_INT(rc, -1, "bad config rejected");
    const char *expect[] = {
        "build/test_conf_bad.cfg:5: groups.[0].agentz: unknown key (did you mean 'agents'?)",
        "build/test_conf_bad.cfg:3: channels.[0].arrivals_per_hour: 3 values, expected 2 (one "
        "per interval)",
        "build/test_conf_bad.cfg:4: channels.[0].service.mean_s: -3 is out of range (must be >= 0)",
        "build/test_conf_bad.cfg:5: groups.[0].skills: no channel named 'chat'",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        int found = 0;
        for (int k = 0; k < d.n; k++)
            if (strcmp(d.msgs[k], expect[i]) == 0) found = 1;
        if (!found) printf("    missing: %s\n", expect[i]);
        CHECK(found, "each problem reported with file, line and key");
    }
    if (d.n != 4) diag_print(&d, stdout);
    CHECK_INT(d.n, 4, "exactly the four problems");
    diag_fini(&d);
}

static void test_shorthand_is_general_model(void)
{
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    int rc = conf_load("configs/erlang.cfg", NULL, 0, &m, &d);
    CHECK_INT(rc, 0, "configs/erlang.cfg loads");
    if (rc == 0) {
        CHECK_INT(m.mode, MODE_STEADY, "shorthand is steady state");
        CHECK_INT(m.n_channels, 1, "one channel");
        CHECK_INT(m.n_groups, 1, "one group");
        CHECK_INT(m.groups[0].skills[0], 0, "the group serves the channel");
        CHECK_INT(m.channels[0].service.kind, DIST_EXPONENTIAL, "exponential service");
        CHECK_INT(m.channels[0].patience.kind, DIST_EXPONENTIAL, "exponential patience");
        model_spec_free(&m);
    }
    diag_fini(&d);
    struct conf_override off[] = {{.path = "abandonment", .value = "false"}, {.path = "aht_s", .value = "200.25"}};
    diag_init(&d);
    rc = conf_load("configs/erlang.cfg", off, 2, &m, &d);
    CHECK_INT(rc, 0, "--set abandonment=false loads");
    if (rc == 0) {
        CHECK_INT(m.channels[0].patience.kind, DIST_NONE, "no abandonment");
        CHECK_NEAR(m.channels[0].service.mean_s, 200.25, 0, "aht_s set");
        model_spec_free(&m);
    }
    diag_fini(&d);
}

/* A segment's own curve replaces its share of the channel's curve; the others keep theirs. */
static void test_segment_curves(void)
{
    write_file("build/test_conf_curves.cfg",
               "mode = \"day\";\n"
               "day = { start = \"08:00\"; end = \"10:00\"; interval_min = 60; };\n"
               "segments = ( { name = \"a\"; share = 0.25; },\n"
               "             { name = \"b\"; share = 0.75; arrivals_per_hour = { voice = [ 36.0, 72.0 ]; }; } );\n"
               "channels = ( { name = \"voice\"; arrivals_per_hour = [ 100.0, 200.0 ];\n"
               "  service = { dist = \"exponential\"; mean_s = 100.0; }; } );\n"
               "groups = ( { name = \"g\"; skills = [ \"voice\" ]; agents = 2; } );\n");
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    int rc = conf_load("build/test_conf_curves.cfg", NULL, 0, &m, &d);
    diag_print(&d, stdout);
    diag_fini(&d);
    if (!CHECK_INT_OK(rc)) return;
    const double *r = m.channels[0].rate_per_s; /* [segment][interval], per second */
    CHECK_NEAR(r[0], 100.0 * 0.25 / 3600, 1e-15, "segment a: its share of the channel's curve");
    CHECK_NEAR(r[1], 200.0 * 0.25 / 3600, 1e-15, "segment a: second interval");
    CHECK_NEAR(r[2], 36.0 / 3600, 1e-15, "segment b: its own curve");
    CHECK_NEAR(r[3], 72.0 / 3600, 1e-15, "segment b: its own curve, second interval");
    model_spec_free(&m);
}

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_docs_match_schema();
    test_general_form();
    test_every_problem_reported();
    test_shorthand_is_general_model();
    test_segment_curves();
    return check_summary();
}
