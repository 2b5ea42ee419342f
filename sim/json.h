/* json: a small streaming JSON writer.  It tracks nesting so commas and indentation come out right,
 * writes numbers with %.17g (round-trip exact) and non-finite numbers as null, which is what pandas,
 * R's jsonlite and jq all read.  Output goes to a FILE the caller owns. */
#ifndef CCSIM_JSON_H
#define CCSIM_JSON_H

#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
    FILE *out;                    /* borrowed */
    int depth;                    /* current nesting level */
    int count[JSON_MAX_DEPTH];    /* members written at each level, for commas */
    int pretty;                   /* indent with two spaces per level */
};

void json_init(struct json *j, FILE *out, int pretty);
void json_begin_object(struct json *j, const char *key); /* key NULL inside arrays or at top */
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_number(struct json *j, const char *key, double v); /* NaN and inf become null */
void json_int(struct json *j, const char *key, long long v);
void json_string(struct json *j, const char *key, const char *s);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);
/* Writes text, which must be one complete JSON value, as the value of key. */
void json_raw(struct json *j, const char *key, const char *text);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
