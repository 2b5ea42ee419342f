/* check.h: the test harness.  Each check prints one line, "ok: desc" or "FAIL file:line: desc", so
 * tests/run.sh can count them; check_summary() returns the exit status.  Header-only, so every test
 * is one plain program.  QUICK=1 in the environment asks long statistical tests to shrink. */
#ifndef CCSIM_CHECK_H
#define CCSIM_CHECK_H

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int check_failures;
static int check_passes;

static inline int check_report(int ok, const char *file, int line, const char *desc)
{
    if (ok) {
        check_passes++;
        printf("ok: %s\n", desc);
    } else {
        check_failures++;
        printf("FAIL %s:%d: %s\n", file, line, desc);
    }
    fflush(stdout);
    return ok;
}

static inline int check_quick(void)
{
    const char *q = getenv("QUICK");
    return q != NULL && q[0] == '1';
}

#define CHECK(cond, desc) check_report((cond) != 0, __FILE__, __LINE__, (desc))

#define CHECK_INT(got, exp, desc)                                                                  \
    do {                                                                                           \
        long long check_g_ = (long long)(got), check_e_ = (long long)(exp);                        \
        if (!check_report(check_g_ == check_e_, __FILE__, __LINE__, (desc)))                       \
            printf("    got %lld, expected %lld\n", check_g_, check_e_);                           \
    } while (0)

/* Relative tolerance; an expected value of exactly 0 compares absolutely. */
#define CHECK_NEAR(got, exp, rel, desc)                                                            \
    do {                                                                                           \
        double check_g_ = (got), check_e_ = (exp);                                                 \
        double check_d_ = fabs(check_g_ - check_e_);                                               \
        double check_s_ = check_e_ == 0 ? 1.0 : fabs(check_e_);                                    \
        if (!check_report(check_d_ <= (rel) * check_s_, __FILE__, __LINE__, (desc)))               \
            printf("    got %.17g, expected %.17g (rel err %.3g > %.3g)\n", check_g_, check_e_,    \
                   check_d_ / check_s_, (double)(rel));                                            \
    } while (0)

/* Absolute tolerance, for values printed at a fixed number of decimals. */
#define CHECK_ABS(got, exp, tol, desc)                                                             \
    do {                                                                                           \
        double check_g_ = (got), check_e_ = (exp);                                                 \
        if (!check_report(fabs(check_g_ - check_e_) <= (tol), __FILE__, __LINE__, (desc)))         \
            printf("    got %.17g, expected %.17g (abs tol %.3g)\n", check_g_, check_e_,           \
                   (double)(tol));                                                                 \
    } while (0)

/* Runs f in a child with stderr silenced and returns its wait status (-1 if fork failed), so a
 * test can check that a contract violation aborts. */
static inline int check_run_child(void (*f)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (freopen("/dev/null", "w", stderr) == NULL) _exit(3);
        f();
        _exit(0); /* reached only when f did not abort */
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static inline int check_aborted(int status)
{
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static inline int check_summary(void)
{
    return check_failures ? 1 : 0;
}

#endif
