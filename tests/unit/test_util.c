/* test_util: the number scanners behind the "HH:MM" and --target parsers.  Each must read what
 * strtol/strtod read, leave the cursor just past it, and refuse (cursor and value untouched) an
 * empty number or one out of range, which sscanf could not report. */
#include "util.h"

#include "check.h"

#include <math.h>
#include <string.h>

static void test_scan_int(void)
{
    const char *s = "17:45", *p = s;
    int v = -3;
    CHECK(scan_int(&p, &v) == 0 && v == 17 && p == s + 2, "scan_int reads 17 and stops at ':'");
    p++;
    CHECK(scan_int(&p, &v) == 0 && v == 45 && *p == '\0', "scan_int reads 45 up to the end");
    p = " -08x";
    CHECK(scan_int(&p, &v) == 0 && v == -8 && *p == 'x', "blanks and a sign, as strtol");
    s = ":30";
    p = s;
    v = 123;
    CHECK(scan_int(&p, &v) == -1 && p == s && v == 123, "no digit: -1, cursor and value kept");
    s = "2147483647";
    p = s;
    CHECK(scan_int(&p, &v) == 0 && v == 2147483647, "INT_MAX fits");
    s = "2147483648";
    p = s;
    v = 5;
    CHECK(scan_int(&p, &v) == -1 && p == s && v == 5, "INT_MAX + 1 is out of range");
    s = "99999999999999999999";
    p = s;
    CHECK(scan_int(&p, &v) == -1 && p == s, "beyond long is out of range");
}

static void test_scan_double(void)
{
    const char *s = "0.85@20s", *p = s;
    double v = 0;
    CHECK(scan_double(&p, &v) == 0 && v == 0.85 && *p == '@', "scan_double reads 0.85, stops at @");
    p = "2.5e1";
    CHECK(scan_double(&p, &v) == 0 && v == 25 && *p == '\0', "an exponent");
    p = "inf";
    CHECK(scan_double(&p, &v) == 0 && isinf(v), "inf, as strtod (range checks are the caller's)");
    s = "@20";
    p = s;
    v = 1.25;
    CHECK(scan_double(&p, &v) == -1 && p == s && v == 1.25, "no number: -1, cursor and value kept");
    s = "1e400";
    p = s;
    CHECK(scan_double(&p, &v) == -1 && p == s && v == 1.25, "overflow is out of range");
}

static void test_scan_clock(void)
{
    int h = -1, m = -1;
    CHECK(scan_clock("08:30", &h, &m) == 0 && h == 8 && m == 30, "scan_clock reads 08:30");
    CHECK(scan_clock("24:00", &h, &m) == 0 && h == 24 && m == 0, "24:00 is left to the caller's range");
    CHECK(scan_clock("8:5", &h, &m) == 0 && h == 8 && m == 5, "one digit each, as scan_int reads them");
    CHECK(scan_clock("08:30x", &h, &m) == -1, "something after the minutes: -1");
    CHECK(scan_clock("0830", &h, &m) == -1 && scan_clock("08:", &h, &m) == -1 && scan_clock(":30", &h, &m) == -1,
          "no colon, or a part missing: -1");
}

int main(void)
{
    test_scan_int();
    test_scan_double();
    test_scan_clock();
    return check_summary();
}
