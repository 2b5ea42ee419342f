/* cmd_sweep: `ccsim sweep CONFIG --grid KEY=SPEC...`: the cartesian product of the grid's
 * values, each point a run of CONFIG with those --set overrides (same seed: the points meet the
 * same customers), written as a tidy CSV, JSON lines and the staffing curve.  Points run one
 * after the other, each on all the threads; the output does not depend on -j. */
#include "cli.h"
#include "conf.h"
#include "plot.h"
#include "report.h"
#include "sweep_grid.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ccsim sweep CONFIG (--grid KEY=SPEC... | --sweep FILE) [options]\n\n"
            "Runs CONFIG at every point of a grid: the cartesian product of each KEY's values,\n"
            "the first KEY varying slowest.  SPEC is FROM:TO:STEP (numbers, TO included) or\n"
            "V1,V2,... ; KEY is a --set path (docs/batch.md).\n\n"
            "Options:\n"
            "  --grid KEY=SPEC   a swept key; repeatable\n"
            "  --sweep FILE      the grid from a sweep file (grid = ( { key = ...; values =\n"
            "                    [ ... ]; } or { key = ...; from = ...; to = ...; step = ...; } ))\n"
            "  -s, --scenario S  apply a scenario's edits to CONFIG first; repeatable\n"
            "  --set KEY=VALUE   an override for every point; repeatable\n"
            "  --reps N, --seed S  replications and seed of every point\n"
            "  -j, --jobs N, --precision REL, --precision-abs A, --min-reps N, --max-reps N\n"
            "                    as for ccsim run\n"
            "  --csv FILE        tidy CSV: a row per point and channel ('-': stdout)\n"
            "  --jsonl FILE      a line per point: the JSON document of ccsim run ('-': stdout)\n"
            "  --plots DIR       the staffing curve: the first KEY against service level,\n"
            "                    abandonment and occupancy, one line per value of the others\n"
            "  --checkpoint FILE record each completed point in FILE as it goes (append-only,\n"
            "                    fsynced, checksummed)\n"
            "  --resume          skip the points FILE already holds (after any interruption)\n"
            "  --quiet           no progress bar\n"
            "  -h, --help        this help\n\n"
            "Examples:\n"
            "  ccsim sweep configs/erlang.cfg --grid agents=95:110:5 --csv -\n"
            "  ccsim sweep configs/omnichannel.cfg --grid groups.[0].agents=12:20:2 \\\n"
            "      --grid channels.[1].self_service.success=0.1,0.3 --csv sweep.csv --plots plots\n");
}

/* CSV fields: the text quoted when it needs to be (RFC 4180). */
static void csv_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_header(FILE *f, const struct axis *axes, int n_axes)
{
    for (int a = 0; a < n_axes; a++) {
        csv_text(f, axes[a].key);
        fputc(',', f);
    }
    fputs("channel,replications", f);
    for (int k = 0; k < MET_N; k++)
        fprintf(f, ",%s_mean,%s_ci95", metric_names[k], metric_names[k]);
    fputc('\n', f);
}

static void csv_point(FILE *f, const struct axis *axes, int n_axes, const int *idx,
                      const struct model_spec *m, const struct results *r)
{
    for (int c = 0; c <= m->n_channels; c++) {
        for (int a = 0; a < n_axes; a++) {
            csv_text(f, axes[a].values[idx[a]]);
            fputc(',', f);
        }
        csv_text(f, c < m->n_channels ? m->channels[c].name : "total");
        fprintf(f, ",%d", r->replications);
        int scope = c < m->n_channels ? 1 + c : 0;
        for (int k = 0; k < MET_N; k++)
            for (int part = 0; part < 2; part++) {
                const struct stat_summary *s = &r->summary[scope * MET_N + k];
                double v = part == 0 ? s->mean : s->ci95;
                if (isfinite(v))
                    fprintf(f, ",%.17g", v);
                else
                    fputc(',', f);
            }
        fputc('\n', f);
    }
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ==== Points: computing, checkpointing, distributing ==== */

/* What a point contributes: its CSV rows, its JSON line and its curve values. */
struct point_result {
    char *csv, *jsonl;
    size_t csv_len, jsonl_len;
    double curves[6]; /* service level, abandonment, occupancy: mean and ci95 each */
    int done;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

struct sweep {
    const char *config;
    const char **scenarios;
    int n_scenarios;
    struct conf_override *sets;
    int n_sets;
    struct axis *axes;
    int n_axes;
    long n_points;
    struct batch_opts batch;
};

static void point_indices(const struct sweep *sw, long pt, int *idx)
{
    for (long rest = pt, a = sw->n_axes - 1; a >= 0; a--) {
        idx[a] = (int)(rest % sw->axes[a].n);
        rest /= sw->axes[a].n;
    }
}

/* Runs point pt into *out.  Returns 0, EXIT_USAGE after printing the point's config errors, or
 * -1 when a stop signal came (the point is then not done). */
static int compute_point(const struct sweep *sw, long pt, struct point_result *out)
{
    int *idx = xcalloc((size_t)sw->n_axes, sizeof *idx);
    point_indices(sw, pt, idx);
    struct conf_override *sets = xcalloc((size_t)sw->n_sets + sw->n_axes + 1, sizeof *sets);
    memcpy(sets, sw->sets, (size_t)sw->n_sets * sizeof *sets);
    for (int a = 0; a < sw->n_axes; a++)
        sets[sw->n_sets + a] = (struct conf_override){sw->axes[a].key, sw->axes[a].values[idx[a]], NULL, 0};
    struct model_spec m;
    struct diag d;
    diag_init(&d);
    int rc = 0;
    if (conf_load_scenarios(sw->config, sw->scenarios, sw->n_scenarios, sets, sw->n_sets + sw->n_axes, &m, &d) != 0) {
        fprintf(stderr, "ccsim sweep: point %ld (", pt + 1);
        for (int a = 0; a < sw->n_axes; a++)
            fprintf(stderr, "%s%s=%s", a ? ", " : "", sw->axes[a].key, sw->axes[a].values[idx[a]]);
        fputs("):\n", stderr);
        diag_print(&d, stderr);
        rc = EXIT_USAGE;
    } else {
        struct sim_hooks hooks = {0};
        cli_batch_hooks(&sw->batch, &hooks);
        hooks.stop = &stop_signal;
        struct results *r = sim_run(&m, &hooks);
        if (stop_signal) {
            rc = -1;
        } else {
            FILE *f = open_memstream(&out->csv, &out->csv_len);
            if (f == NULL) die("out of memory:");
            csv_point(f, sw->axes, sw->n_axes, idx, &m, r);
            fclose(f);
            f = open_memstream(&out->jsonl, &out->jsonl_len);
            if (f == NULL) die("out of memory:");
            struct report_meta meta = {sw->config, 1};
            report_json(f, &meta, &m, r);
            fclose(f);
            static const int metrics[] = {MET_SL, MET_ABANDON_RATE, MET_OCCUPANCY};
            for (int k = 0; k < 3; k++) {
                out->curves[2 * k] = r->summary[metrics[k]].mean;
                out->curves[2 * k + 1] = r->summary[metrics[k]].ci95;
            }
            out->done = 1;
        }
        results_free(r);
        model_spec_free(&m);
    }
    diag_fini(&d);
    free(sets);
    free(idx);
    return rc;
}

/* A point's result as bytes: "CSV_LEN JSONL_LEN\n", the CSV, the JSON line, then the six curve
 * values, %.17g each on a line (exact doubles). */
static char *serialize(const struct point_result *p, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (f == NULL) die("out of memory:");
    fprintf(f, "%zu %zu\n", p->csv_len, p->jsonl_len);
    fwrite(p->csv, 1, p->csv_len, f);
    fwrite(p->jsonl, 1, p->jsonl_len, f);
    for (int k = 0; k < 6; k++)
        fprintf(f, "%.17g\n", p->curves[k]);
    fclose(f);
    return buf;
}

/* A number of the checkpoint at *s in base 10 or 16, followed by the character after; advances
 * past both.  Returns -1 unless it is all digits (no sign, no space) and fits. */
static int read_field(const char **s, int base, char after, unsigned long long *out)
{
    if (base == 10 ? !isdigit((unsigned char)**s) : !isxdigit((unsigned char)**s)) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(*s, &end, base);
    if (errno != 0 || *end != after) return -1;
    *s = end + 1;
    *out = v;
    return 0;
}

static int deserialize(const char *buf, size_t len, struct point_result *p)
{
    unsigned long long a, b;
    const char *s = buf;
    if (read_field(&s, 10, ' ', &a) != 0 || read_field(&s, 10, '\n', &b) != 0) return -1;
    size_t used = (size_t)(s - buf), cl = (size_t)a, jl = (size_t)b;
    /* The lengths come from the file: compared so that no sum can wrap. */
    if (a > SIZE_MAX || b > SIZE_MAX || used > len || cl > len - used || jl > len - used - cl)
        return -1;
    p->csv = xmalloc(cl + 1);
    p->jsonl = xmalloc(jl + 1);
    memcpy(p->csv, buf + used, cl);
    memcpy(p->jsonl, buf + used + cl, jl);
    p->csv_len = cl;
    p->jsonl_len = jl;
    const char *q = buf + used + cl + jl, *end = buf + len;
    for (int k = 0; k < 6; k++) {
        char num[64];
        size_t n = 0;
        while (q < end && *q != '\n' && n + 1 < sizeof num)
            num[n++] = *q++;
        if (q >= end) return -1;
        q++;
        num[n] = '\0';
        p->curves[k] = strtod(num, NULL);
    }
    p->done = 1;
    return 0;
}

/* The checkpoint: a header line naming the sweep (a checksum of everything that decides its
 * output), then one record per completed point: "point PT LEN CRC\n" and LEN payload bytes
 * (serialize), CRC the zlib CRC-32 of the payload.  Appended, flushed and fsynced per record. */
static unsigned long sweep_fingerprint(const struct sweep *sw)
{
    uLong crc = crc32(0L, Z_NULL, 0);
#define MIX(s) crc = crc32(crc, (const Bytef *)(s), (uInt)strlen(s) + 1)
    MIX(sw->config);
    for (int i = 0; i < sw->n_scenarios; i++)
        MIX(sw->scenarios[i]);
    for (int i = 0; i < sw->n_sets; i++) {
        MIX(sw->sets[i].path);
        MIX(sw->sets[i].value);
    }
    for (int a = 0; a < sw->n_axes; a++) {
        MIX(sw->axes[a].key);
        for (int v = 0; v < sw->axes[a].n; v++)
            MIX(sw->axes[a].values[v]);
    }
    char prec[96];
    snprintf(prec, sizeof prec, "%.17g %.17g %d %d", sw->batch.precision_rel, sw->batch.precision_abs,
             sw->batch.min_reps, sw->batch.max_reps);
    MIX(prec);
#undef MIX
    return crc;
}

/* Reads the completed points of a checkpoint into results (resume), dropping a torn or corrupt
 * tail, and opens it for appending.  NULL after printing why it cannot be used. */
static FILE *checkpoint_open(const char *path, const struct sweep *sw, int resume,
                             struct point_result *results, long *restored)
{
    char header[64];
    snprintf(header, sizeof header, "ccsim-checkpoint 1 %08lx\n", sweep_fingerprint(sw));
    *restored = 0;
    long keep = 0;
    FILE *f = resume ? fopen(path, "rb") : NULL;
    if (f != NULL) {
        char line[128];
        if (fgets(line, sizeof line, f) == NULL || strcmp(line, header) != 0) {
            fprintf(stderr, "ccsim sweep: %s: not a checkpoint of this sweep (same config, grid, "
                            "overrides and seed expected); remove it or drop --resume\n",
                    path);
            fclose(f);
            return NULL;
        }
        keep = ftell(f);
        /* The file's size, so that a length beyond it is a torn record, not an allocation. */
        long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
        if (size < 0 || fseek(f, keep, SEEK_SET) != 0) size = -1;
        unsigned long long pt, n, crc;
        const char *s;
        while (fgets(line, sizeof line, f) != NULL && strncmp(line, "point ", 6) == 0 &&
               (s = line + 6, read_field(&s, 10, ' ', &pt) == 0) && read_field(&s, 10, ' ', &n) == 0 &&
               read_field(&s, 16, '\n', &crc) == 0 && pt < (unsigned long long)sw->n_points &&
               n <= SIZE_MAX) {
            size_t len = (size_t)n;
            long at = ftell(f);
            if (at < 0 || size < at || len > (size_t)(size - at)) break;
            char *buf = xmalloc(len + 1);
            int ok = fread(buf, 1, len, f) == len &&
                     crc32(crc32(0L, Z_NULL, 0), (const Bytef *)buf, (uInt)len) == crc;
            buf[len] = '\0'; /* deserialize reads it as text */
            struct point_result p;
            memset(&p, 0, sizeof p);
            if (ok) ok = deserialize(buf, len, &p) == 0;
            free(buf);
            if (!ok) {
                free(p.csv);
                free(p.jsonl);
                break; /* a torn or corrupt record: the run stopped while writing it */
            }
            if (!results[pt].done) {
                results[pt] = p;
                (*restored)++;
            } else {
                free(p.csv);
                free(p.jsonl);
            }
            keep = ftell(f);
        }
        fclose(f);
    }
    f = fopen(path, resume && keep > 0 ? "r+b" : "wb");
    if (f == NULL) {
        warn("cannot write the checkpoint '%s':", path);
        return NULL;
    }
    if (keep > 0) {
        if (ftruncate(fileno(f), keep) != 0 || fseek(f, keep, SEEK_SET) != 0) {
            warn("cannot trim the checkpoint '%s':", path);
            fclose(f);
            return NULL;
        }
    } else if (fputs(header, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        warn("cannot write the checkpoint '%s':", path);
        fclose(f);
        return NULL;
    }
    return f;
}

/* CCSIM_FAULT=kill-after-record:K (or int- or term-): the test hook of docs/batch.md, which
 * sends this process SIGKILL, SIGINT or SIGTERM right after checkpoint record K is on disk. */
static void fault_after_record(long written)
{
    long k;
    int sig = fault_signal("-after-record:", &k);
    if (sig != 0 && k == written) raise(sig);
}

static int checkpoint_write(FILE *f, long pt, const struct point_result *p)
{
    size_t len;
    char *buf = serialize(p, &len);
    unsigned long crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)buf, (uInt)len);
    int ok = fprintf(f, "point %ld %zu %08lx\n", pt, len, crc) > 0 && fwrite(buf, 1, len, f) == len &&
             fflush(f) == 0 && fsync(fileno(f)) == 0;
    free(buf);
    return ok ? 0 : -1;
}

#ifdef CCSIM_MPI
#include <mpi.h>

enum { TAG_RESULT = 1, TAG_POINT = 2 };

/* Rank 0 hands points out one at a time to whichever rank asks (a result doubles as the next
 * request), so long points do not leave ranks idle; it keeps every result and the
 * checkpoint.  Returns the sweep's status. */
static int mpi_coordinate(const struct sweep *sw, struct point_result *results, FILE *ckpt,
                          long *written, int size)
{
    long next = 0;
    int active = size - 1, status = EXIT_OK;
    while (active > 0) {
        MPI_Status st;
        int count;
        MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_CHAR, &count);
        char *buf = xmalloc((size_t)count + 1);
        MPI_Recv(buf, count, MPI_CHAR, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        long pt;
        int rc, used = 0;
        if (count > 0 && sscanf(buf, "%ld %d\n%n", &pt, &rc, &used) == 2 && pt >= 0) {
            if (rc != 0) {
                status = rc > 0 ? rc : 130;
            } else if (deserialize(buf + used, (size_t)count - (size_t)used, &results[pt]) == 0) {
                if (ckpt != NULL) {
                    if (checkpoint_write(ckpt, pt, &results[pt]) != 0) status = EXIT_RUNTIME;
                    fault_after_record(++*written);
                }
            }
        }
        free(buf);
        while (next < sw->n_points && results[next].done)
            next++;
        long give = status == EXIT_OK && !stop_signal && next < sw->n_points ? next++ : -1;
        MPI_Send(&give, 1, MPI_LONG, st.MPI_SOURCE, TAG_POINT, MPI_COMM_WORLD);
        if (give < 0) active--;
    }
    return stop_signal ? 128 + stop_signal : status;
}

static void mpi_work(const struct sweep *sw)
{
    char hello[] = "-1 0\n";
    MPI_Send(hello, (int)strlen(hello), MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
    for (;;) {
        long pt;
        MPI_Recv(&pt, 1, MPI_LONG, 0, TAG_POINT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (pt < 0) return;
        struct point_result p;
        memset(&p, 0, sizeof p);
        int rc = compute_point(sw, pt, &p);
        size_t len = 0;
        char *payload = rc == 0 ? serialize(&p, &len) : NULL;
        char head[64];
        int hl = snprintf(head, sizeof head, "%ld %d\n", pt, rc);
        char *msg = xmalloc((size_t)hl + len + 1);
        memcpy(msg, head, (size_t)hl);
        if (payload) memcpy(msg + hl, payload, len);
        MPI_Send(msg, hl + (int)len, MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(msg);
        free(payload);
        free(p.csv);
        free(p.jsonl);
    }
}
#endif

/* Runs every point not yet done (here, or over the MPI ranks), checkpointing each.  Returns the
 * status: 0, EXIT_USAGE (a bad point), EXIT_RUNTIME, or 128 + the stopping signal. */
static int run_points(const struct sweep *sw, struct point_result *results, FILE *ckpt, int quiet)
{
    long written = 0, todo = 0;
    for (long pt = 0; pt < sw->n_points; pt++)
        todo += !results[pt].done;
#ifdef CCSIM_MPI
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1) return mpi_coordinate(sw, results, ckpt, &written, size);
#endif
    int show = !quiet && isatty(STDERR_FILENO);
    double start = mono_s();
    long finished = 0;
    for (long pt = 0; pt < sw->n_points; pt++) {
        if (results[pt].done) continue;
        int rc = compute_point(sw, pt, &results[pt]);
        if (rc < 0 || stop_signal) return 128 + (stop_signal ? stop_signal : SIGINT);
        if (rc != 0) return rc;
        if (ckpt != NULL) {
            if (checkpoint_write(ckpt, pt, &results[pt]) != 0) {
                warn("cannot write the checkpoint:");
                return EXIT_RUNTIME;
            }
            fault_after_record(++written);
            if (stop_signal) return 128 + stop_signal;
        }
        finished++;
        if (show) {
            double el = mono_s() - start, left = el / finished * (todo - finished);
            fprintf(stderr, "\rpoint %ld/%ld  %.1f points/s  %.0f s left ", finished, todo,
                    el > 0 ? finished / el : 0.0, left);
            if (finished == todo) fputc('\n', stderr);
        }
    }
    return EXIT_OK;
}

/* The staffing curve: the first key (numbers) against the total's service level, abandonment
 * and occupancy, one series per combination of the other keys' values. */
static void draw_curves(const char *dir, const struct axis *axes, int n_axes, int n_points,
                        const double *sl, const double *sl_h, const double *ab, const double *ab_h,
                        const double *oc, const double *oc_h)
{
    struct plotter p;
    if (plot_begin(&p, dir) != 0) return;
    int per = axes[0].n, n_series = n_points / per;
    char **series = xcalloc((size_t)n_series, sizeof *series);
    int *counts = xcalloc((size_t)n_series, sizeof *counts);
    double *x = xcalloc((size_t)n_points, sizeof *x);
    double *ys[3][2] = {{xcalloc((size_t)n_points, sizeof(double)), xcalloc((size_t)n_points, sizeof(double))},
                        {xcalloc((size_t)n_points, sizeof(double)), xcalloc((size_t)n_points, sizeof(double))},
                        {xcalloc((size_t)n_points, sizeof(double)), xcalloc((size_t)n_points, sizeof(double))}};
    const double *src[3][2] = {{sl, sl_h}, {ab, ab_h}, {oc, oc_h}};
    /* Points are in grid order, the first key slowest: series s is every point whose other keys
     * take combination s. */
    for (int s = 0; s < n_series; s++) {
        char label[512] = "";
        size_t len = 0;
        for (int a = 1; a < n_axes; a++) {
            int inner = 1;
            for (int b = a + 1; b < n_axes; b++)
                inner *= axes[b].n;
            /* The key's last component names it well enough in a legend. */
            const char *dot = strrchr(axes[a].key, '.');
            int w = snprintf(label + len, sizeof label - len, "%s%s=%s", a > 1 ? ", " : "",
                             dot ? dot + 1 : axes[a].key, axes[a].values[s / inner % axes[a].n]);
            if (w > 0) len = len + (size_t)w < sizeof label ? len + (size_t)w : sizeof label - 1;
        }
        series[s] = xstrdup(n_axes > 1 ? label : "all points");
        counts[s] = per;
        for (int i = 0; i < per; i++) {
            int point = i * n_series + s, at = s * per + i;
            char *end;
            double v = strtod(axes[0].values[i], &end);
            x[at] = *end == '\0' ? v : i;
            for (int k = 0; k < 3; k++) {
                ys[k][0][at] = 100 * src[k][0][point];
                ys[k][1][at] = 100 * src[k][1][point];
            }
        }
    }
    static const char *const names[] = {"sweep_service_level", "sweep_abandonment", "sweep_occupancy"};
    static const char *const what[] = {"service level (%)", "abandoned (% of offered)", "occupancy (%)"};
    for (int k = 0; k < 3; k++) {
        char title[400];
        snprintf(title, sizeof title, "%s against %s (all channels, 95 %% intervals)", what[k],
                 axes[0].key);
        plot_curves(&p, names[k], title, axes[0].key, what[k], n_series, series, counts, x,
                    ys[k][0], ys[k][1]);
    }
    for (int s = 0; s < n_series; s++)
        free(series[s]);
    free(series);
    free(counts);
    free(x);
    for (int k = 0; k < 3; k++) {
        free(ys[k][0]);
        free(ys[k][1]);
    }
    plot_finish(&p);
}

int cmd_sweep(int argc, char **argv)
{
    const char *config = NULL, *csv_path = NULL, *jsonl_path = NULL, *plots_dir = NULL,
               *sweep_file = NULL, *checkpoint = NULL;
    struct point_result *results = NULL;
    long n_points = 1;
    int resume = 0;
    long reps = -1, seed = -1;
    int quiet = 0, status = EXIT_OK, n_axes = 0, n_sets = 0, n_scenarios = 0;
    struct axis *axes = NULL;
    struct conf_override *sets = xcalloc((size_t)argc + 8, sizeof *sets);
    const char **scenarios = xcalloc((size_t)argc + 1, sizeof *scenarios);
    struct batch_opts batch = CLI_BATCH_INIT;
    batch.sets = sets;
    batch.scenarios = scenarios;
    double *curves = NULL;
    struct outfile csv = {NULL, NULL, NULL}, jsonl = {NULL, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--resume") == 0) {
            resume = 1;
        } else if ((v = cli_flag_value(argc, argv, &i, "--checkpoint", &bad)) != NULL) {
            checkpoint = v;
        } else if ((bad = cli_batch_flag(argc, argv, &i, &batch, "sweep")) != 0) {
            if (bad < 0) {
                status = EXIT_USAGE;
                goto done;
            }
            bad = 0;
        } else if ((v = cli_flag_value(argc, argv, &i, "--grid", &bad)) != NULL) {
            axes = xrealloc(axes, ((size_t)n_axes + 1) * sizeof *axes);
            if (sweep_grid_parse(v, &axes[n_axes++]) != 0) {
                status = cli_usage_error("sweep", "--grid: KEY=FROM:TO:STEP or KEY=V1,V2,... "
                                                  "expected, got '%s'", v);
                goto done;
            }
        } else if ((v = cli_flag_value(argc, argv, &i, "--sweep", &bad)) != NULL) {
            sweep_file = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--csv", &bad)) != NULL) {
            csv_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--jsonl", &bad)) != NULL) {
            jsonl_path = v;
        } else if ((v = cli_flag_value(argc, argv, &i, "--plots", &bad)) != NULL) {
            plots_dir = v;
        } else if ((status = cli_config_arg("sweep", a, bad, &config)) != 0) {
            goto done;
        }
    }
    reps = batch.reps;
    seed = batch.seed;
    n_sets = batch.n_sets;
    n_scenarios = batch.n_scenarios;
    if (config == NULL) {
        status = cli_usage_error("sweep", "missing CONFIG");
        goto done;
    }
    if (sweep_file != NULL) {
        struct diag d;
        diag_init(&d);
        int rc = sweep_grid_load(sweep_file, &axes, &n_axes, &d);
        diag_print(&d, stderr);
        diag_fini(&d);
        if (rc != 0) {
            status = EXIT_USAGE;
            goto done;
        }
    }
    if (n_axes == 0) {
        status = cli_usage_error("sweep", "no grid: give --grid KEY=SPEC or --sweep FILE");
        goto done;
    }
    if (resume && checkpoint == NULL) {
        status = cli_usage_error("sweep", "--resume needs --checkpoint FILE");
        goto done;
    }
    if (csv_path && jsonl_path && strcmp(csv_path, "-") == 0 && strcmp(jsonl_path, "-") == 0) {
        status = cli_usage_error("sweep", "--csv - and --jsonl - would both write to stdout");
        goto done;
    }
    for (int a = 0; a < n_axes; a++) {
        n_points *= axes[a].n;
        if (n_points > 10000000) {
            status = cli_usage_error("sweep", "more than 10,000,000 points");
            goto done;
        }
    }
    char reps_text[32], seed_text[32];
    if (reps > 0) {
        snprintf(reps_text, sizeof reps_text, "%ld", reps);
        sets[n_sets++] = (struct conf_override){xstrdup("replications"), reps_text, NULL, 0};
    }
    if (seed >= 0) {
        snprintf(seed_text, sizeof seed_text, "%ld", seed);
        sets[n_sets++] = (struct conf_override){xstrdup("seed"), seed_text, NULL, 0};
    }
    if (csv_path != NULL && outfile_open(&csv, csv_path) != 0) {
        warn("cannot write '%s':", csv_path);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (jsonl_path != NULL && outfile_open(&jsonl, jsonl_path) != 0) {
        warn("cannot write '%s':", jsonl_path);
        status = EXIT_RUNTIME;
        goto done;
    }
    struct sweep sw = {config, scenarios, n_scenarios, sets, n_sets, axes, n_axes, n_points, batch};
    results = xcalloc((size_t)n_points, sizeof *results);
    FILE *ckpt = NULL;
    long restored = 0;
#ifdef CCSIM_MPI
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank > 0) {
        mpi_work(&sw);
        goto done;
    }
#endif
    if (checkpoint != NULL) {
        ckpt = checkpoint_open(checkpoint, &sw, resume, results, &restored);
        if (ckpt == NULL) {
            status = EXIT_RUNTIME;
            goto done;
        }
        if (restored > 0)
            fprintf(stderr, "ccsim sweep: %ld of %ld points restored from %s\n", restored, n_points,
                    checkpoint);
    }
    /* SIGINT and SIGTERM stop between replications: the point under way is dropped, the
     * checkpoint holds every completed one, and the exit status is 128 + the signal. */
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    status = run_points(&sw, results, ckpt, quiet);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (ckpt != NULL && fclose(ckpt) != 0 && status == EXIT_OK) status = EXIT_RUNTIME;
    if (status != EXIT_OK) {
        if (status > 128)
            fprintf(stderr, "ccsim sweep: stopped by %s; %s\n", status == 130 ? "SIGINT" : "a signal",
                    checkpoint ? "resume with --resume" : "no checkpoint was kept");
        goto done;
    }
    /* Every point is done: the outputs, in point order, written whole or not at all. */
    if (csv.f != NULL) csv_header(csv.f, axes, n_axes);
    curves = xcalloc((size_t)n_points * 6 + 1, sizeof *curves);
    for (long pt = 0; pt < n_points; pt++) {
        if (csv.f != NULL) fwrite(results[pt].csv, 1, results[pt].csv_len, csv.f);
        if (jsonl.f != NULL) fwrite(results[pt].jsonl, 1, results[pt].jsonl_len, jsonl.f);
        for (int k = 0; k < 6; k++)
            curves[(size_t)k * n_points + pt] = results[pt].curves[k];
    }
    if (csv.f != NULL && outfile_commit(&csv) != 0) {
        warn("cannot write '%s':", csv_path);
        status = EXIT_RUNTIME;
    }
    if (jsonl.f != NULL && outfile_commit(&jsonl) != 0) {
        warn("cannot write '%s':", jsonl_path);
        status = EXIT_RUNTIME;
    }
    csv.f = jsonl.f = NULL;
    if (plots_dir != NULL)
        draw_curves(plots_dir, axes, n_axes, (int)n_points, curves, curves + n_points,
                    curves + 2 * n_points, curves + 3 * n_points, curves + 4 * n_points,
                    curves + 5 * n_points);
done:
    for (long pt = 0; results != NULL && pt < n_points; pt++) {
        free(results[pt].csv);
        free(results[pt].jsonl);
    }
    free(results);
    if (csv.f != NULL) outfile_abort(&csv);
    if (jsonl.f != NULL) outfile_abort(&jsonl);
    for (int a = 0; a < n_axes; a++)
        sweep_axis_free(&axes[a]);
    free(axes);
    for (int k = 0; k < n_sets || k < batch.n_sets; k++)
        free((char *)sets[k].path);
    free(sets);
    free(scenarios);
    free(curves);
    return status;
}
