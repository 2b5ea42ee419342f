/* conf: the libconfig loader.  Reads a config file, applies --set overrides, checks every setting
 * against the schema table (known keys, types, bounds, required keys), and produces a validated
 * struct model_spec holding no pointer into libconfig.  Every problem goes into a struct diag as
 * "file:line: key: message"; conf_load never exits and never prints.  docs/config.md documents
 * exactly the keys of the schema (conf_schema_key lists them for the test that checks it). */
#ifndef CCSIM_CONF_H
#define CCSIM_CONF_H

#include "diag.h"
#include "model.h"

/* One --set override: a libconfig path (e.g. "channels.[0].sl_seconds") and its new value. */
struct conf_override {
    const char *path;
    const char *value;
    const char *file; /* where it was written (a scenario), NULL for the command line */
    int line;
};

/* Loads path with the overrides applied in order.  Returns 0 and fills *out (caller frees with
 * model_spec_free), or -1 with the problems in *d and *out zeroed. */
int conf_load(const char *path, const struct conf_override *sets, int n_sets,
              struct model_spec *out, struct diag *d);

/* Loads path (a config, or a scenario naming its base config: docs/scenarios.md), then applies
 * the scenarios' edits in order, then the overrides.  conf_load is this with no scenarios. */
int conf_load_scenarios(const char *path, const char *const *scenarios, int n_scenarios,
                        const struct conf_override *sets, int n_sets, struct model_spec *out,
                        struct diag *d);

/* The name a scenario file gives itself (its `name`, else its file name without .cfg), or the
 * config's file name; the caller frees. */
char *conf_display_name(const char *path);

/* The schema's i-th key pattern (list elements as "[]"), or NULL past the end. */
const char *conf_schema_key(int i);

#endif
