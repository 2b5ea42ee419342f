/* test_json: the JSON writer.  A nested document is rendered into memory (open_memstream) and
 * compared with the exact expected text, pretty and compact; then string escaping, non-finite
 * numbers as null, %.17g round trips at the extremes of double, integers at the extremes of long
 * long, the nesting limit, and the asserts on misuse (in forked children). */
#include "json.h"

#include "check.h"
#include "util.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void build_fn(struct json *j);

/* A writer over a memory stream (open_memstream, POSIX 2008). */
struct mem {
    FILE *f;
    char *buf;
    size_t len;
    struct json j;
};

static void mem_open(struct mem *m, int pretty)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    if (m->f == NULL) die("open_memstream:");
    json_init(&m->j, m->f, pretty);
}

/* Closes the stream and returns the text written (caller owns). */
static char *mem_text(struct mem *m)
{
    if (fclose(m->f) != 0) die("closing the memory stream:");
    return m->buf;
}

/* Runs build on a writer over a memory stream and returns the text (caller owns). */
static char *render(build_fn *build, int pretty)
{
    struct mem m;
    mem_open(&m, pretty);
    build(&m.j);
    return mem_text(&m);
}

/* Checks that build renders exactly expect; prints both on a mismatch. */
static void check_render(build_fn *build, int pretty, const char *expect, const char *desc)
{
    char *got = render(build, pretty);
    if (!CHECK(strcmp(got, expect) == 0, desc))
        printf("    got:\n%s    expected:\n%s", got, expect);
    free(got);
}

/* ================================ Documents ================================ */

static void build_nested(struct json *j)
{
    json_begin_object(j, NULL);
    json_string(j, "name", "day \"A\"");
    json_int(j, "seed", 12345);
    json_number(j, "aht_s", 187.25);
    json_number(j, "p_abandon", (double)NAN);
    json_bool(j, "ok", 1);
    json_bool(j, "bad", 0);
    json_null(j, "none");
    json_begin_array(j, "waits_s");
    json_number(j, NULL, 2.5);
    json_number(j, NULL, -0.125);
    json_begin_object(j, NULL);
    json_int(j, "n", -7);
    json_end_object(j);
    json_begin_array(j, NULL);
    json_end_array(j);
    json_end_array(j);
    json_begin_object(j, "empty");
    json_end_object(j);
    json_begin_object(j, "nested");
    json_begin_object(j, "deeper");
    json_number(j, "inf_s", HUGE_VAL);
    json_number(j, "minus_inf_s", -HUGE_VAL);
    json_end_object(j);
    json_end_object(j);
    json_end_object(j);
    json_finish(j);
}

static const char nested_pretty[] = "{\n"
                                    "  \"name\": \"day \\\"A\\\"\",\n"
                                    "  \"seed\": 12345,\n"
                                    "  \"aht_s\": 187.25,\n"
                                    "  \"p_abandon\": null,\n"
                                    "  \"ok\": true,\n"
                                    "  \"bad\": false,\n"
                                    "  \"none\": null,\n"
                                    "  \"waits_s\": [\n"
                                    "    2.5,\n"
                                    "    -0.125,\n"
                                    "    {\n"
                                    "      \"n\": -7\n"
                                    "    },\n"
                                    "    []\n"
                                    "  ],\n"
                                    "  \"empty\": {},\n"
                                    "  \"nested\": {\n"
                                    "    \"deeper\": {\n"
                                    "      \"inf_s\": null,\n"
                                    "      \"minus_inf_s\": null\n"
                                    "    }\n"
                                    "  }\n"
                                    "}\n";

static const char nested_compact[] =
    "{\"name\":\"day \\\"A\\\"\",\"seed\":12345,\"aht_s\":187.25,\"p_abandon\":null,"
    "\"ok\":true,\"bad\":false,\"none\":null,\"waits_s\":[2.5,-0.125,{\"n\":-7},[]],"
    "\"empty\":{},\"nested\":{\"deeper\":{\"inf_s\":null,\"minus_inf_s\":null}}}\n";

static void build_top_array(struct json *j)
{
    json_begin_array(j, NULL);
    json_int(j, NULL, 1);
    json_string(j, NULL, "two");
    json_begin_array(j, NULL);
    json_null(j, NULL);
    json_end_array(j);
    json_end_array(j);
    json_finish(j);
}

static void build_empty_object(struct json *j)
{
    json_begin_object(j, NULL);
    json_end_object(j);
    json_finish(j);
}

static void test_documents(void)
{
    check_render(build_nested, 1, nested_pretty, "nested document, pretty: exact text");
    check_render(build_nested, 0, nested_compact, "nested document, compact: exact text");
    check_render(build_top_array, 1, "[\n  1,\n  \"two\",\n  [\n    null\n  ]\n]\n",
                 "top-level array, pretty: exact text");
    check_render(build_top_array, 0, "[1,\"two\",[null]]\n",
                 "top-level array, compact: exact text");
    check_render(build_empty_object, 1, "{}\n", "empty object, pretty: {}");
    check_render(build_empty_object, 0, "{}\n", "empty object, compact: {}");
}

/* ================================ Strings ================================ */

static void build_escapes(struct json *j)
{
    json_begin_object(j, NULL);
    /* Quote, backslash, the named controls, other controls (\b \f 0x01 0x1f), then DEL, '/',
     * and UTF-8 (e acute), which JSON allows unescaped. */
    json_string(j, "s", "q\"b\\n\nt\tr\rb\bf\f\x01\x1f|\x7f/\xc3\xa9");
    json_string(j, "a\"b\\c\n", "key escaped too");
    json_string(j, "", "");
    json_end_object(j);
    json_finish(j);
}

static const char escapes_compact[] =
    "{\"s\":\"q\\\"b\\\\n\\nt\\tr\\rb\\u0008f\\u000c\\u0001\\u001f|\x7f/\xc3\xa9\","
    "\"a\\\"b\\\\c\\n\":\"key escaped too\",\"\":\"\"}\n";

static void build_all_controls(struct json *j)
{
    char s[32];
    for (int i = 1; i < 32; i++)
        s[i - 1] = (char)i;
    s[31] = '\0';
    json_string(j, NULL, s);
    json_finish(j);
}

static void test_strings(void)
{
    check_render(build_escapes, 0, escapes_compact,
                 "quotes, backslashes and control characters are escaped, in values and keys");
    /* Every control character 1..31: the three with short forms as \n \t \r, the rest \u00XX;
     * no raw byte below 0x20 may remain. */
    char *got = render(build_all_controls, 0);
    int raw = 0;
    for (const char *p = got; *p; p++)
        if ((unsigned char)*p < 0x20 && !(p[0] == '\n' && p[1] == '\0')) raw++;
    CHECK_INT(raw, 0, "no raw control character survives escaping");
    CHECK(strstr(got, "\\u0001\\u0002") == got + 1, "control 1 and 2 are \\u0001\\u0002");
    CHECK(strstr(got, "\\b") == NULL && strstr(got, "\\u0008") != NULL, "backspace is \\u0008");
    CHECK(strstr(got, "\\u0009\\n\\u000b") == NULL && strstr(got, "\\t\\n\\u000b") != NULL,
          "tab, newline use short forms, vertical tab \\u000b");
    CHECK(strstr(got, "\\u001f\"") != NULL, "control 31 is \\u001f, last before the quote");
    free(got);
}

/* ================================ Numbers ================================ */

/* The compact text of one number as a whole document (caller owns). */
static char *render_number(double v)
{
    struct mem m;
    mem_open(&m, 0);
    json_number(&m.j, NULL, v);
    json_finish(&m.j);
    return mem_text(&m);
}

static void check_number_text(double v, const char *expect, const char *desc)
{
    char *got = render_number(v);
    size_t n = strlen(got);
    if (n > 0 && got[n - 1] == '\n') got[n - 1] = '\0';
    if (!CHECK(strcmp(got, expect) == 0, desc))
        printf("    got \"%s\", expected \"%s\"\n", got, expect);
    free(got);
}

static void check_round_trip(double v, const char *desc)
{
    char *got = render_number(v);
    char *end = NULL;
    double back = strtod(got, &end);
    CHECK(back == v && signbit(back) == signbit(v) && end != got && strcmp(end, "\n") == 0, desc);
    free(got);
}

static void test_numbers(void)
{
    /* Exact %.17g texts of well-known doubles. */
    check_number_text(0.1, "0.10000000000000001", "0.1 prints as 0.10000000000000001");
    check_number_text(1.0 / 3, "0.33333333333333331", "1/3 prints with 17 digits");
    check_number_text(187.25, "187.25", "187.25 prints without trailing zeros");
    check_number_text(-0.0, "-0", "negative zero prints as -0");
    check_number_text(DBL_MAX, "1.7976931348623157e+308", "DBL_MAX prints exactly");
    check_number_text(4.9406564584124654e-324, "4.9406564584124654e-324",
                      "the smallest subnormal prints exactly");
    check_number_text(1e21, "1e+21", "1e21 in exponent form");
    check_number_text((double)NAN, "null", "NaN is null");
    check_number_text(HUGE_VAL, "null", "+inf is null");
    check_number_text(-HUGE_VAL, "null", "-inf is null");

    /* Round trips through strtod. */
    const double rt[] = {0.1,
                         1e-300,
                         2.385,
                         1e300,
                         -187.3,
                         DBL_MIN,
                         4.9406564584124654e-324,
                         DBL_MAX,
                         0.1 + 0.2,
                         123456789.98765432,
                         -0.0,
                         1.0 / 3};
    char desc[120];
    for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++) {
        snprintf(desc, sizeof desc, "%.17g round-trips exactly through %%.17g", rt[i]);
        check_round_trip(rt[i], desc);
    }

    const struct {
        long long v;
        const char *text;
    } ints[] = {{0, "0"},
                {-7, "-7"},
                {LLONG_MAX, "9223372036854775807"},
                {LLONG_MIN, "-9223372036854775808"},
                {4294967296LL, "4294967296"}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        struct mem m;
        mem_open(&m, 1);
        json_int(&m.j, NULL, ints[i].v);
        json_finish(&m.j);
        char *got = mem_text(&m);
        char expect[40];
        snprintf(expect, sizeof expect, "%s\n", ints[i].text);
        snprintf(desc, sizeof desc, "json_int prints %s", ints[i].text);
        CHECK(strcmp(got, expect) == 0, desc);
        free(got);
    }
}

/* ================================ Nesting ================================ */

/* The deepest nesting the writer supports: JSON_MAX_DEPTH - 1 open levels. */
static void build_deep(struct json *j)
{
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        json_begin_array(j, NULL);
    json_int(j, NULL, 42);
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        json_end_array(j);
    json_finish(j);
}

static void test_nesting(void)
{
    char expect[2 * JSON_MAX_DEPTH + 8];
    char *p = expect;
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        *p++ = '[';
    *p++ = '4';
    *p++ = '2';
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        *p++ = ']';
    *p++ = '\n';
    *p = '\0';
    check_render(build_deep, 0, expect, "JSON_MAX_DEPTH - 1 nested arrays render exactly");
    char *got = render(build_deep, 1);
    /* Pretty: the innermost value is indented two spaces per level. */
    char inner[2 * JSON_MAX_DEPTH + 8];
    memset(inner, ' ', 2 * (JSON_MAX_DEPTH - 1));
    strcpy(inner + 2 * (JSON_MAX_DEPTH - 1), "42\n");
    CHECK(strstr(got, inner) != NULL, "pretty: the innermost value is indented 2 spaces a level");
    free(got);
}

#ifndef NDEBUG
static void too_deep(void)
{
    struct json j;
    FILE *f = fopen("/dev/null", "w");
    if (f == NULL) _exit(4);
    json_init(&j, f, 0);
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        json_begin_array(&j, NULL);
    fclose(f);
}

static void unbalanced_end(void)
{
    struct json j;
    FILE *f = fopen("/dev/null", "w");
    if (f == NULL) _exit(4);
    json_init(&j, f, 0);
    json_end_object(&j);
    fclose(f);
}

static void finish_open(void)
{
    struct json j;
    FILE *f = fopen("/dev/null", "w");
    if (f == NULL) _exit(4);
    json_init(&j, f, 1);
    json_begin_object(&j, NULL);
    json_finish(&j);
    fclose(f);
}

static void test_misuse(void)
{
    CHECK(check_aborted(check_run_child(too_deep)), "JSON_MAX_DEPTH nested levels fail the assert");
    CHECK(check_aborted(check_run_child(unbalanced_end)), "closing at depth 0 fails the assert");
    CHECK(check_aborted(check_run_child(finish_open)), "json_finish inside an object fails the assert");
}
#endif

int main(void)
{
    gsl_set_error_handler(ccsim_gsl_handler);
    test_documents();
    test_strings();
    test_numbers();
    test_nesting();
#ifndef NDEBUG
    test_misuse();
#endif
    return check_summary();
}
