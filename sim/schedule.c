/* schedule: shift templates to the cheapest covering set of shifts, by GLPK (schedule.h). */
#include "schedule.h"

#include "util.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many ways to work the templates the program is more than a planner's machine
 * solves quickly; coarser start or break steps fix it. */
enum { MAX_OPTIONS = 2000000 };

/* Every way to work every template: a start and a start for each break. */
struct options {
    int n, cap, max_breaks;
    int *template_index;
    double *start_s;
    double *break_start_s; /* [n][max_breaks] */
};

static int options_push(struct options *o, int t, double start_s, const double *breaks,
                        int n_breaks)
{
    if (o->n == MAX_OPTIONS) return -1;
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 256;
        o->template_index = xrealloc(o->template_index, (size_t)o->cap * sizeof *o->template_index);
        o->start_s = xrealloc(o->start_s, (size_t)o->cap * sizeof *o->start_s);
        o->break_start_s = xrealloc(o->break_start_s, (size_t)o->cap * (size_t)(o->max_breaks + 1) *
                                                          sizeof *o->break_start_s);
    }
    o->template_index[o->n] = t;
    o->start_s[o->n] = start_s;
    for (int b = 0; b < n_breaks; b++)
        o->break_start_s[(size_t)o->n * o->max_breaks + b] = breaks[b];
    o->n++;
    return 0;
}

/* The breaks from b on, each on its grid, in order and without overlap. */
static int enumerate_breaks(struct options *o, const struct shift_template *tp, int t,
                            double start_s, int b, double earliest_s, double *breaks)
{
    if (b == tp->n_breaks) return options_push(o, t, start_s, breaks, tp->n_breaks);
    const struct template_break *bp = &tp->breaks[b];
    /* An integer count, not off += step: no rounding builds up along the grid. */
    for (int k = 0;; k++) {
        double off = bp->earliest_after_s + k * bp->step_s;
        if (off > bp->latest_after_s + 1e-6) break;
        double at = start_s + off;
        if (at < earliest_s - 1e-6 || off + bp->length_s > tp->length_s + 1e-6) continue;
        breaks[b] = at;
        if (enumerate_breaks(o, tp, t, start_s, b + 1, at + bp->length_s, breaks) != 0) return -1;
    }
    return 0;
}

/* The part of [lo, hi) that a shift starting at start_s with these breaks is on duty. */
static double on_duty_s(const struct shift_template *tp, double start_s, const double *breaks,
                        double lo, double hi)
{
    double a = fmax(lo, start_s), z = fmin(hi, start_s + tp->length_s);
    if (z <= a) return 0;
    double t = z - a;
    for (int b = 0; b < tp->n_breaks; b++) {
        double ba = fmax(a, breaks[b]), bz = fmin(z, breaks[b] + tp->breaks[b].length_s);
        if (bz > ba) t -= bz - ba;
    }
    return t > 0 ? t : 0;
}

static void clock_label(char *buf, size_t cap, double s)
{
    int mins = (int)lround(s / 60);
    snprintf(buf, cap, "%02d:%02d", mins / 60, mins % 60);
}

/* Names the intervals with shortfall, at most a line's worth. */
static void name_short_intervals(const struct model_spec *m, const double *shortfall, int n,
                                 char *why, size_t cap)
{
    size_t used = strlen(why);
    int named = 0, total = 0;
    for (int i = 0; i < n; i++) {
        if (shortfall[i] <= 1e-6) continue;
        total++;
        if (named < 12 && used + 32 < cap) {
            char at[16];
            clock_label(at, sizeof at, m->day_start_s + i * m->interval_s);
            used += (size_t)snprintf(why + used, cap - used, "%s%s (%.2f short)", named ? ", " : "",
                                     at, shortfall[i]);
            named++;
        }
    }
    if (total > named && used + 24 < cap)
        snprintf(why + used, cap - used, " and %d more", total - named);
}

/* The least common multiple of den and the denominator of x (x = k / d, d <= 64); 0 when x
 * is no such fraction or the multiple passes 3600. */
static long lcm_den(long den, double x)
{
    long d = 1;
    while (d <= 64 && fabs(x * d - round(x * d)) > 1e-9)
        d++;
    if (d > 64) return 0;
    long a = den, b = d;
    while (b != 0) {
        long r = a % b;
        a = b;
        b = r;
    }
    long l = den / a * d;
    return l > 3600 ? 0 : l;
}

/* Room for two more nonzeros in GLPK's 1-based triplet arrays. */
static void nz_reserve(int **ia, int **ja, double **ar, size_t *cap, size_t nz)
{
    if (nz + 2 < *cap) return;
    *cap *= 2;
    *ia = xrealloc(*ia, (*cap + 1) * sizeof **ia);
    *ja = xrealloc(*ja, (*cap + 1) * sizeof **ja);
    *ar = xrealloc(*ar, (*cap + 1) * sizeof **ar);
}

/* A rounding heuristic for branch and bound: a cover stays a cover when its counts go up, so
 * every node's relaxed solution rounded up is a schedule (if the max counts allow); then counts
 * come down again, the dearest ways first, while every interval stays covered.  GLPK's own
 * heuristics find no schedule at all in minutes on a day of 15-minute intervals. */
struct rounding {
    int n, ni;
    const int *ia; /* GLPK's triplets, column after column */
    const double *ar;
    const size_t *col_first; /* column j's triplets: col_first[j] to col_first[j + 1] - 1 */
    const double *need;      /* each cover row's bound */
    const struct group_spec *gr;
    const int *template_index;
    const int *by_cost; /* columns, dearest first */
    double *x, *cover;  /* 1-based x for glp_ios_heur_sol */
    int *count;         /* per template */
    double gap;         /* the last relative gap reported by GLPK */
};

static int can_drop(const struct rounding *h, int j)
{
    const struct shift_template *tp = &h->gr->templates[h->template_index[j]];
    if (h->count[h->template_index[j]] - 1 < tp->min_count) return 0;
    for (size_t k = h->col_first[j]; k < h->col_first[j + 1]; k++)
        if (h->ia[k] <= h->ni && h->cover[h->ia[k] - 1] - h->ar[k] < h->need[h->ia[k] - 1] - 1e-9)
            return 0;
    return 1;
}

static void add_count(struct rounding *h, int j, double by)
{
    h->x[1 + j] += by;
    h->count[h->template_index[j]] += (int)by;
    for (size_t k = h->col_first[j]; k < h->col_first[j + 1]; k++)
        if (h->ia[k] <= h->ni) h->cover[h->ia[k] - 1] += by * h->ar[k];
}

static void rounding_callback(glp_tree *tree, void *info)
{
    struct rounding *h = info;
    if (glp_ios_reason(tree) != GLP_IHEUR) {
        if (glp_ios_reason(tree) == GLP_IBINGO || glp_ios_reason(tree) == GLP_ISELECT)
            h->gap = glp_ios_mip_gap(tree);
        return;
    }
    glp_prob *p = glp_ios_get_prob(tree);
    memset(h->x, 0, ((size_t)h->n + h->ni + 1) * sizeof *h->x);
    memset(h->cover, 0, (size_t)h->ni * sizeof *h->cover);
    memset(h->count, 0, (size_t)h->gr->n_templates * sizeof *h->count);
    for (int j = 0; j < h->n; j++) {
        double v = ceil(glp_get_col_prim(p, 1 + j) - 1e-9);
        if (v > 0) add_count(h, j, v);
    }
    for (int t = 0; t < h->gr->n_templates; t++)
        if (h->gr->templates[t].max_count >= 0 && h->count[t] > h->gr->templates[t].max_count)
            return;
    for (int i = 0; i < h->ni; i++)
        if (h->cover[i] < h->need[i] - 1e-9) return;
    for (int k = 0; k < h->n; k++) {
        int j = h->by_cost[k];
        while (h->x[1 + j] > 0 && can_drop(h, j))
            add_count(h, j, -1);
    }
    glp_ios_heur_sol(tree, h->x);
}

struct costed {
    double cost;
    int j;
};

static int dearer_first(const void *a, const void *b)
{
    const struct costed *x = a, *y = b;
    return x->cost > y->cost ? -1 : x->cost < y->cost ? 1 : (x->j > y->j) - (x->j < y->j);
}

/* Branch and cut; with h, presolve off (the heuristic reads the original columns) after the
 * relaxation is solved.  Returns 1 optimal, 0 the best found within the time limit, -1 none. */
static int solve(glp_prob *lp, double time_limit_s, struct rounding *h)
{
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = h == NULL ? GLP_ON : GLP_OFF;
    parm.msg_lev = GLP_MSG_OFF;
    /* Fractional cover (breaks, shrinkage) leaves plain branch and bound a gap it cannot close
     * for minutes; Gomory, mixed-integer rounding, cover and clique cuts close it at once. */
    parm.gmi_cuts = parm.mir_cuts = parm.cov_cuts = parm.clq_cuts = GLP_ON;
    parm.tm_lim = time_limit_s > 0 && time_limit_s < 2e6 ? (int)(time_limit_s * 1000) : INT32_MAX;
    if (h != NULL) {
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        if (glp_simplex(lp, &sp) != 0 || glp_get_status(lp) != GLP_OPT) return -1;
        parm.cb_func = rounding_callback;
        parm.cb_info = h;
        h->gap = 0;
    }
    int rc = glp_intopt(lp, &parm);
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_ENOPFS && rc != GLP_ENODFS) return -1;
    int st = glp_mip_status(lp);
    return st == GLP_OPT ? 1 : st == GLP_FEAS ? 0 : -1;
}

/* Phase 1 minimises the shortfall (its variables free, costs 0); phase 2 the shifts' cost with
 * no shortfall. */
static void set_phase(glp_prob *lp, const struct group_spec *gr, const struct options *o, int ni,
                      int phase)
{
    for (int i = 0; i < ni; i++) {
        glp_set_obj_coef(lp, 1 + o->n + i, phase == 1);
        if (phase == 1)
            glp_set_col_bnds(lp, 1 + o->n + i, GLP_LO, 0, 0);
        else
            glp_set_col_bnds(lp, 1 + o->n + i, GLP_FX, 0, 0);
    }
    for (int j = 0; j < o->n; j++)
        glp_set_obj_coef(lp, 1 + j, phase == 1 ? 0 : gr->templates[o->template_index[j]].cost);
}

/* The least shortfall of the linear relaxation (a lower bound of the integer one), with each
 * interval's part in shortfall. */
static double relaxed_shortfall(glp_prob *lp, int n_options, int ni, double *shortfall)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;
    if (glp_simplex(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT) return HUGE_VAL;
    for (int i = 0; i < ni; i++)
        shortfall[i] = glp_get_col_prim(lp, 1 + n_options + i);
    return glp_get_obj_val(lp);
}

int schedule_solve(const struct model_spec *m, int g, const double *required, double time_limit_s,
                   struct schedule *out, char *why, size_t cap)
{
    const struct group_spec *gr = &m->groups[g];
    int ni = m->n_intervals;
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    if (gr->n_templates == 0) {
        snprintf(why, cap, "group '%s' has no shift_templates", gr->name);
        return -1;
    }
    double keep = (1 - gr->shrinkage) * (1 - gr->absenteeism);
    out->n_intervals = ni;
    out->required = xcalloc((size_t)ni, sizeof *out->required);
    out->gross = xcalloc((size_t)ni, sizeof *out->gross);
    out->on_duty = xcalloc((size_t)ni, sizeof *out->on_duty);
    /* Shifts repeat every day, so each interval of the day needs the most any day needs. */
    for (int i = 0; i < model_total_intervals(m); i++)
        out->required[i % ni] = fmax(out->required[i % ni], required[i]);
    for (int i = 0; i < ni; i++)
        out->gross[i] = out->required[i] / keep;

    struct options o = {0};
    for (int t = 0; t < gr->n_templates; t++)
        if (gr->templates[t].n_breaks > o.max_breaks) o.max_breaks = gr->templates[t].n_breaks;
    double *breaks = xcalloc((size_t)o.max_breaks + 1, sizeof *breaks);
    int too_many = 0;
    for (int t = 0; t < gr->n_templates && !too_many; t++) {
        const struct shift_template *tp = &gr->templates[t];
        for (int k = 0; !too_many; k++) {
            double s = tp->earliest_start_s + k * tp->start_step_s;
            if (s > tp->latest_start_s + 1e-6) break;
            too_many = enumerate_breaks(&o, tp, t, s, 0, s, breaks) != 0;
        }
    }
    free(breaks);
    int status = -1;
    glp_prob *lp = NULL;
    int *ia = NULL, *ja = NULL;
    size_t *col_first = NULL;
    double *need = NULL;
    double *ar = NULL, *coverable = NULL;
    if (too_many) {
        snprintf(why, cap,
                 "group '%s': more than %d ways to work its templates; use a coarser "
                 "start_step_min or break step_min",
                 gr->name, MAX_OPTIONS);
        goto done;
    }
    out->options = o.n;

    /* Rows 1..ni cover the intervals; rows ni+1.. bound each template's count.  Columns 1..n are
     * the ways to work the templates, n+1..n+ni the shortfall of the feasibility phase. */
    glp_term_out(GLP_OFF);
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, ni + gr->n_templates);
    for (int t = 0; t < gr->n_templates; t++) {
        const struct shift_template *tp = &gr->templates[t];
        if (tp->max_count < 0)
            glp_set_row_bnds(lp, 1 + ni + t, GLP_LO, tp->min_count, 0);
        else if (tp->max_count == tp->min_count)
            glp_set_row_bnds(lp, 1 + ni + t, GLP_FX, tp->min_count, tp->min_count);
        else
            glp_set_row_bnds(lp, 1 + ni + t, GLP_DB, tp->min_count, tp->max_count);
    }
    glp_add_cols(lp, o.n + ni);
    size_t cap_nz = (size_t)o.n * 4 + (size_t)ni + 16, nz = 0;
    ia = xcalloc(cap_nz + 1, sizeof *ia);
    ja = xcalloc(cap_nz + 1, sizeof *ja);
    ar = xcalloc(cap_nz + 1, sizeof *ar);
    coverable = xcalloc((size_t)ni, sizeof *coverable);
    long *row_den = xcalloc((size_t)ni, sizeof *row_den);
    for (int i = 0; i < ni; i++)
        row_den[i] = 1;
    col_first = xcalloc((size_t)o.n + 1, sizeof *col_first);
    for (int j = 0; j < o.n; j++) {
        const struct shift_template *tp = &gr->templates[o.template_index[j]];
        const double *bs = &o.break_start_s[(size_t)j * o.max_breaks];
        col_first[j] = nz + 1;
        glp_set_col_kind(lp, 1 + j, GLP_IV);
        glp_set_col_bnds(lp, 1 + j, GLP_LO, 0, 0);
        int first = (int)floor((o.start_s[j] - m->day_start_s) / m->interval_s);
        int last = (int)ceil((o.start_s[j] + tp->length_s - m->day_start_s) / m->interval_s);
        for (int i = first < 0 ? 0 : first; i < ni && i < last; i++) {
            double lo = m->day_start_s + i * m->interval_s;
            double frac = on_duty_s(tp, o.start_s[j], bs, lo, lo + m->interval_s) / m->interval_s;
            if (frac <= 1e-12) continue;
            nz_reserve(&ia, &ja, &ar, &cap_nz, nz);
            nz++;
            ia[nz] = 1 + i, ja[nz] = 1 + j, ar[nz] = frac;
            coverable[i] = 1;
            if (row_den[i] > 0) row_den[i] = lcm_den(row_den[i], frac);
        }
        nz_reserve(&ia, &ja, &ar, &cap_nz, nz);
        nz++;
        ia[nz] = 1 + ni + o.template_index[j], ja[nz] = 1 + j, ar[nz] = 1;
    }
    col_first[o.n] = nz + 1;
    for (int i = 0; i < ni; i++) {
        glp_set_col_bnds(lp, 1 + o.n + i, GLP_LO, 0, 0);
        glp_set_obj_coef(lp, 1 + o.n + i, 1);
        nz_reserve(&ia, &ja, &ar, &cap_nz, nz);
        nz++;
        ia[nz] = 1 + i, ja[nz] = 1 + o.n + i, ar[nz] = 1;
    }
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    /* With every coefficient of a row a multiple of 1/d, the cover can only reach multiples of
     * 1/d, so raising the bound to the next one changes no solution; it spares branch and bound
     * a fractional bound it cannot close (shrinkage makes 11.25 of 12). */
    need = xcalloc((size_t)ni + 1, sizeof *need);
    for (int i = 0; i < ni; i++) {
        need[i] = out->gross[i];
        if (row_den[i] > 0) need[i] = ceil(need[i] * row_den[i] - 1e-9) / row_den[i];
        glp_set_row_bnds(lp, 1 + i, GLP_LO, need[i], 0);
    }
    free(row_den);

    /* Phase one, the least shortfall: a shortfall variable per interval, minimised.  Nonzero
     * means no set of shifts covers the requirement, and the shortfall says where.  Its linear
     * relaxation settles most cases at once: positive, no cover exists; zero without max
     * counts, rounding any relaxed cover up covers. */
    int any_max = 0;
    for (int t = 0; t < gr->n_templates; t++)
        any_max |= gr->templates[t].max_count >= 0;
    double *shortfall = xcalloc((size_t)ni, sizeof *shortfall);
    int diagnose = relaxed_shortfall(lp, o.n, ni, shortfall) > 1e-6, found = -1;
    if (!diagnose) {
        /* Phase two: the cheapest cover, no shortfall allowed. */
        set_phase(lp, gr, &o, ni, 2);
        struct costed *order = xcalloc((size_t)o.n + 1, sizeof *order);
        for (int j = 0; j < o.n; j++)
            order[j] = (struct costed){gr->templates[o.template_index[j]].cost, j};
        qsort(order, (size_t)o.n, sizeof *order, dearer_first);
        int *by_cost = xcalloc((size_t)o.n + 1, sizeof *by_cost);
        for (int j = 0; j < o.n; j++)
            by_cost[j] = order[j].j;
        free(order);
        struct rounding h = {o.n,
                             ni,
                             ia,
                             ar,
                             col_first,
                             need,
                             gr,
                             o.template_index,
                             by_cost,
                             xcalloc((size_t)o.n + ni + 1, sizeof(double)),
                             xcalloc((size_t)ni + 1, sizeof(double)),
                             xcalloc((size_t)gr->n_templates + 1, sizeof(int)),
                             0};
        found = solve(lp, time_limit_s, &h);
        out->gap = found == 1 ? 0 : h.gap;
        free(h.x);
        free(h.cover);
        free(h.count);
        free(by_cost);
        if (found < 0 && any_max && glp_mip_status(lp) == GLP_NOFEAS) diagnose = 1;
    }
    if (diagnose) {
        set_phase(lp, gr, &o, ni, 1);
        int proven = solve(lp, time_limit_s, NULL);
        if (proven >= 0)
            for (int i = 0; i < ni; i++)
                shortfall[i] = glp_mip_col_val(lp, 1 + o.n + i);
        double total_short = 0;
        int uncoverable = 0;
        for (int i = 0; i < ni; i++) {
            total_short += shortfall[i];
            if (shortfall[i] > 1e-6 && !coverable[i]) uncoverable++;
        }
        if (uncoverable)
            snprintf(why, cap,
                     "group '%s': the shift templates cannot cover intervals no template's shift "
                     "works (or only on break): ",
                     gr->name);
        else
            snprintf(
                why, cap,
                "group '%s': the shift templates cannot cover the requirement within their max "
                "counts; %s shortfall, %.2f agent-intervals in all, leaves short: ",
                gr->name, proven == 1 ? "the least" : "a", total_short);
        name_short_intervals(m, shortfall, ni, why, cap);
        free(shortfall);
        goto done;
    }
    free(shortfall);
    if (found < 0) {
        snprintf(why, cap,
                 "group '%s': GLPK found no schedule within the time limit (%g s; --time-limit)",
                 gr->name, time_limit_s);
        goto done;
    }
    out->optimal = found;
    for (int j = 0; j < o.n; j++) {
        int x = (int)lround(glp_mip_col_val(lp, 1 + j));
        if (x <= 0) continue;
        const struct shift_template *tp = &gr->templates[o.template_index[j]];
        out->shifts = xrealloc(out->shifts, (size_t)(out->n_shifts + 1) * sizeof *out->shifts);
        struct scheduled_shift *sh = &out->shifts[out->n_shifts++];
        sh->template_index = o.template_index[j];
        sh->start_s = o.start_s[j];
        sh->agents = x;
        sh->break_start_s = xcalloc((size_t)tp->n_breaks + 1, sizeof *sh->break_start_s);
        memcpy(sh->break_start_s, &o.break_start_s[(size_t)j * o.max_breaks],
               (size_t)tp->n_breaks * sizeof *sh->break_start_s);
        out->cost += x * tp->cost;
        for (int i = 0; i < ni; i++) {
            double lo = m->day_start_s + i * m->interval_s;
            out->on_duty[i] +=
                x * on_duty_s(tp, sh->start_s, sh->break_start_s, lo, lo + m->interval_s) /
                m->interval_s;
        }
    }
    status = 0;
done:
    if (lp != NULL) glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    free(coverable);
    free(col_first);
    free(need);
    free(o.template_index);
    free(o.start_s);
    free(o.break_start_s);
    if (status != 0) {
        char keep_why[1024];
        snprintf(keep_why, sizeof keep_why, "%s", why);
        schedule_free(out);
        snprintf(why, cap, "%s", keep_why);
    }
    return status;
}

void schedule_apply(struct model_spec *m, int g, const struct schedule *s)
{
    struct group_spec *gr = &m->groups[g];
    for (int k = 0; k < gr->n_shifts; k++)
        free(gr->shifts[k].breaks);
    free(gr->shifts);
    gr->n_shifts = s->n_shifts;
    gr->shifts = xcalloc((size_t)s->n_shifts + 1, sizeof *gr->shifts);
    for (int k = 0; k < s->n_shifts; k++) {
        const struct scheduled_shift *sh = &s->shifts[k];
        const struct shift_template *tp = &gr->templates[sh->template_index];
        struct shift_spec *sp = &gr->shifts[k];
        sp->start_s = sh->start_s;
        sp->length_s = tp->length_s;
        sp->agents = sh->agents;
        sp->n_breaks = tp->n_breaks;
        sp->breaks = xcalloc((size_t)tp->n_breaks + 1, sizeof *sp->breaks);
        for (int b = 0; b < tp->n_breaks; b++) {
            sp->breaks[b].earliest_s = sp->breaks[b].latest_s = sh->break_start_s[b];
            sp->breaks[b].length_s = tp->breaks[b].length_s;
        }
    }
    model_shift_peaks(m, gr);
}

void schedule_free(struct schedule *s)
{
    for (int k = 0; k < s->n_shifts; k++)
        free(s->shifts[k].break_start_s);
    free(s->shifts);
    free(s->required);
    free(s->gross);
    free(s->on_duty);
    memset(s, 0, sizeof *s);
}
