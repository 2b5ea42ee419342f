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
};

/* Loads path with the overrides applied in order.  Returns 0 and fills *out (caller frees with
 * model_spec_free), or -1 with the problems in *d and *out zeroed. */
int conf_load(const char *path, const struct conf_override *sets, int n_sets,
              struct model_spec *out, struct diag *d);

/* The schema's i-th key pattern (list elements as "[]"), or NULL past the end. */
const char *conf_schema_key(int i);

#endif
