/* json: streaming writer; see json.h.  Strings are escaped per RFC 8259 (control characters as
 * \u00XX), so any config path or channel name round-trips. */
#include "json.h"

#include <assert.h>
#include <math.h>

void json_init(struct json *j, FILE *out, int pretty)
{
    j->out = out;
    j->depth = 0;
    j->count[0] = 0;
    j->pretty = pretty;
}

static void write_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Writes the separator, indentation and key that precede every value. */
static void lead(struct json *j, const char *key)
{
    if (j->count[j->depth]++ > 0) fputc(',', j->out);
    if (j->pretty && j->depth > 0) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->out);
    }
    if (key != NULL) {
        write_string(j->out, key);
        fputs(j->pretty ? ": " : ":", j->out);
    }
}

static void open_level(struct json *j, const char *key, int c)
{
    lead(j, key);
    fputc(c, j->out);
    assert(j->depth + 1 < JSON_MAX_DEPTH);
    j->count[++j->depth] = 0;
}

static void close_level(struct json *j, int c)
{
    int had = j->count[j->depth];
    assert(j->depth > 0);
    j->depth--;
    if (j->pretty && had > 0) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->out);
    }
    fputc(c, j->out);
}

void json_begin_object(struct json *j, const char *key)
{
    open_level(j, key, '{');
}

void json_end_object(struct json *j)
{
    close_level(j, '}');
}

void json_begin_array(struct json *j, const char *key)
{
    open_level(j, key, '[');
}

void json_end_array(struct json *j)
{
    close_level(j, ']');
}

void json_number(struct json *j, const char *key, double v)
{
    lead(j, key);
    if (isfinite(v))
        fprintf(j->out, "%.17g", v);
    else
        fputs("null", j->out);
}

void json_int(struct json *j, const char *key, long long v)
{
    lead(j, key);
    fprintf(j->out, "%lld", v);
}

void json_string(struct json *j, const char *key, const char *s)
{
    lead(j, key);
    write_string(j->out, s);
}

void json_bool(struct json *j, const char *key, int v)
{
    lead(j, key);
    fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
    lead(j, key);
    fputs("null", j->out);
}

void json_raw(struct json *j, const char *key, const char *text)
{
    lead(j, key);
    fputs(text, j->out);
}

void json_finish(struct json *j)
{
    assert(j->depth == 0);
    fputc('\n', j->out);
}
