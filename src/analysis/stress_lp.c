/*
 * stress_lp.c - the linear programs of `chengyu stress`, built and solved
 * with GLPK.  docs/analyses.md ("Time to survive and time to recover")
 * states the model (a)-(d) and the equivalent form solved here:
 *
 * - per-year rates: every quantity over a window of t days divided by
 *   t/365, so normal operation is p_i = out_i, x_e = vol_e, s_i = fd_i
 *   whatever the window, and the stock of (d) becomes stock * v with
 *   v = 365/t;
 * - time to survive: minimise v >= 365/H with s_i = fd_i (one LP in v, an
 *   LP in t written in 1/t); TTS = 365/v, 0 when no v is feasible;
 * - impact over T: v = 365/T, maximise sum s_i with s_i <= fd_i (the loss
 *   L_i = fd_i - s_i; selling more than the demand never helps);
 * - every x_e split as a_e + b_e with a_e in [0, vol_e] (up to the normal
 *   flow) and b_e >= 0 (beyond it), every p_i as the normal part in
 *   [0, out_i] and the spare part in [0, cap_i - out_i].
 *
 * The split makes normal operation the basic solution of the slack basis
 * (every row basic, every column at a bound: a_e, the normal part of p_i
 * and s_i at their upper bounds, the rest at 0), which is dual feasible for
 * both objectives.  GLPK's dual simplex starts from it, so it only pivots
 * where the disruption makes that solution infeasible: downstream of the
 * failed firms and wherever supply is moved.
 */
#include "stress_internal.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

struct cy_i_stress_solver {
    const cy_i_stress_data *d;
    unsigned char *failed;  /* n */
    unsigned char *in_lp;   /* n: 1 for the firms of the program (R) */
    unsigned char *adding;  /* n: joins R in the next round */
    size_t *members;        /* n: R, in joining order */
    size_t member_count;
    size_t *added;          /* n: the firms joining in the next round */
    size_t added_count;
    /* GLPK's 1-based column and row numbers; 0 = not in the program. */
    int *col_p, *col_spare, *col_s; /* n */
    int *row_c;                     /* n */
    int *row_d;                     /* group_count */
    int *col_a, *col_b;             /* m */
    double *rhs_c;                  /* n: bound of row c */
    /* GLPK statuses of the last optimal round, to start the next round of
     * the same program from (0 = none). */
    unsigned char *st_c, *st_p, *st_spare, *st_s; /* n */
    unsigned char *st_d;                          /* group_count */
    unsigned char *st_a, *st_b;                   /* m */
    int st_v, warm;
    int col_v, cols, rows;
    /* The constraint matrix as GLPK's 1-based triplets. */
    int *ia, *ja;
    double *ar;
    size_t nz, nz_capacity;
    int mode, whole;
    double t;
    const size_t *failed_list;
    size_t failed_count;
    /* cap_i of this disruption (capacity_left x cap_i for a degraded firm,
     * else the data's), and the degraded firms. */
    double *cap; /* n */
    const cy_degrade *degraded;
    size_t degraded_count;
    /* What the disruption's programs so far decide without a program
     * (docs/analyses.md, "Shortcuts"): no demand in the cone; the impact
     * program certified, with its loss. */
    int cone_without_demand, impact_known, impact_lost;
    char reason[96];
};

void cy_i_stress_solver_free(cy_i_stress_solver *s)
{
    if (!s)
        return;
    cy_free(s->failed);
    cy_free(s->in_lp);
    cy_free(s->adding);
    cy_free(s->members);
    cy_free(s->added);
    cy_free(s->rhs_c);
    cy_free(s->cap);
    cy_free(s->st_c);
    cy_free(s->st_p);
    cy_free(s->st_spare);
    cy_free(s->st_s);
    cy_free(s->st_d);
    cy_free(s->st_a);
    cy_free(s->st_b);
    cy_free(s->col_p);
    cy_free(s->col_spare);
    cy_free(s->col_s);
    cy_free(s->row_c);
    cy_free(s->row_d);
    cy_free(s->col_a);
    cy_free(s->col_b);
    cy_free(s->ia);
    cy_free(s->ja);
    cy_free(s->ar);
    cy_free(s);
}

cy_i_stress_solver *cy_i_stress_solver_new(const cy_i_stress_data *d)
{
    cy_i_stress_solver *s = cy_calloc(1, sizeof *s);
    size_t n = d->n + 1, m = d->m + 1, g = d->group_count + 1;

    if (!s)
        return NULL;
    s->d = d;
    /* Per link 2 columns of 2 entries; per firm 2 columns (p) of 1 + its
     * groups entries and S; per group the entry of v. */
    s->nz_capacity = 4 * m + 2 * n + 2 * g + 2 * g + n + 2;
    s->failed = cy_calloc(n, 1);
    s->in_lp = cy_calloc(n, 1);
    s->adding = cy_calloc(n, 1);
    s->members = cy_malloc(n * sizeof *s->members);
    s->added = cy_malloc(n * sizeof *s->added);
    s->rhs_c = cy_calloc(n, sizeof *s->rhs_c);
    s->cap = cy_malloc(n * sizeof *s->cap);
    s->st_c = cy_calloc(n, 1);
    s->st_p = cy_calloc(n, 1);
    s->st_spare = cy_calloc(n, 1);
    s->st_s = cy_calloc(n, 1);
    s->st_d = cy_calloc(g, 1);
    s->st_a = cy_calloc(m, 1);
    s->st_b = cy_calloc(m, 1);
    s->col_p = cy_calloc(n, sizeof(int));
    s->col_spare = cy_calloc(n, sizeof(int));
    s->col_s = cy_calloc(n, sizeof(int));
    s->row_c = cy_calloc(n, sizeof(int));
    s->row_d = cy_calloc(g, sizeof(int));
    s->col_a = cy_calloc(m, sizeof(int));
    s->col_b = cy_calloc(m, sizeof(int));
    s->ia = cy_malloc((s->nz_capacity + 1) * sizeof(int));
    s->ja = cy_malloc((s->nz_capacity + 1) * sizeof(int));
    s->ar = cy_malloc((s->nz_capacity + 1) * sizeof(double));
    if (!s->failed || !s->in_lp || !s->adding || !s->members || !s->added ||
        !s->rhs_c || !s->cap || !s->st_c || !s->st_p || !s->st_spare || !s->st_s || !s->st_d ||
        !s->st_a || !s->st_b || !s->col_p || !s->col_spare || !s->col_s || !s->row_c ||
        !s->row_d || !s->col_a || !s->col_b || !s->ia || !s->ja || !s->ar) {
        cy_i_stress_solver_free(s);
        return NULL;
    }
    memcpy(s->cap, d->cap, d->n * sizeof *s->cap);
    return s;
}

void cy_i_stress_thread_end(void)
{
    glp_free_env();
}

const char *cy_i_stress_solver_reason(const cy_i_stress_solver *s)
{
    return s->reason;
}

/* ---- which columns and rows a program has ------------------------------ */

/* The program being solved: MODE_INSTANT is the impact program with the
 * window shrunk to nothing, where every stocked part is covered (it says
 * whether any window at all survives). */
enum { MODE_TTS = CY_I_STRESS_TTS, MODE_IMPACT = CY_I_STRESS_IMPACT, MODE_INSTANT };

/* A firm that needs parts but has no output cannot produce (its need per
 * unit of output is infinite); a failed firm does not produce. */
static int firm_idle(const cy_i_stress_solver *s, size_t i)
{
    const cy_i_stress_data *d = s->d;
    return s->failed[i] ||
           (d->out[i] <= 0 && d->group_offset[i + 1] > d->group_offset[i]);
}

/* Whether link e can carry anything useful: its supplier produces and its
 * customer needs the part and can use it. */
static int link_useful(const cy_i_stress_solver *s, size_t e)
{
    const cy_i_link *l = &s->d->net->links[e];
    return s->d->link_group[e] != SIZE_MAX && !s->failed[l->from] && !firm_idle(s, l->to);
}

static double group_stock(const cy_i_stress_data *d, size_t i, size_t g)
{
    return d->inventory[i] * d->group_volume[g] / 365.0;
}

/* Columns p (normal, spare) and s, rows c and d of member i. */
static void number_firm(cy_i_stress_solver *s, size_t i)
{
    const cy_i_stress_data *d = s->d;
    int idle = firm_idle(s, i);

    s->col_p[i] = idle || d->out[i] <= 0 ? 0 : ++s->cols;
    s->col_spare[i] = idle || s->cap[i] <= d->out[i] ? 0 : ++s->cols;
    s->col_s[i] = s->mode != MODE_TTS && !s->failed[i] && d->fd[i] > 0 ? ++s->cols : 0;
    s->row_c[i] = s->failed[i] ? 0 : ++s->rows;
    s->rhs_c[i] = s->mode == MODE_TTS ? -d->fd[i] : 0.0;
    for (size_t g = d->group_offset[i]; g < d->group_offset[i + 1]; g++)
        s->row_d[g] = idle || (s->mode == MODE_INSTANT && group_stock(d, i, g) > 0)
                          ? 0 : ++s->rows;
}

/* Columns of member r's links.  Inside R: a (up to the normal flow) and b
 * (beyond it).  Out of R: the normal flow, a constant in row c.  Into R:
 * a only, so no firm outside R delivers more than normal. */
static void number_links(cy_i_stress_solver *s, size_t r)
{
    const cy_network *net = s->d->net;

    for (size_t k = net->out_offset[r]; k < net->out_offset[r + 1]; k++) {
        size_t e = net->out_links[k];
        const cy_i_link *l = &net->links[e];
        if (!link_useful(s, e))
            continue;
        if (!s->in_lp[l->to]) {
            s->rhs_c[r] -= l->volume / s->d->scale;
            continue;
        }
        s->col_a[e] = l->volume > 0 ? ++s->cols : 0;
        s->col_b[e] = ++s->cols;
    }
    for (size_t k = net->in_offset[r]; k < net->in_offset[r + 1]; k++) {
        size_t e = net->in_links[k];
        const cy_i_link *l = &net->links[e];
        if (!s->in_lp[l->from] && l->volume > 0 && link_useful(s, e))
            s->col_a[e] = ++s->cols;
    }
}

static void number_program(cy_i_stress_solver *s)
{
    s->cols = s->rows = 0;
    for (size_t k = 0; k < s->member_count; k++)
        number_firm(s, s->members[k]);
    for (size_t k = 0; k < s->member_count; k++)
        number_links(s, s->members[k]);
    s->col_v = s->mode == MODE_TTS ? ++s->cols : 0;
}

/* Forget the numbers of the last program: O(its size). */
static void clear_numbers(cy_i_stress_solver *s)
{
    const cy_i_stress_data *d = s->d;
    const cy_network *net = d->net;

    for (size_t k = 0; k < s->member_count; k++) {
        size_t r = s->members[k];
        s->col_p[r] = s->col_spare[r] = s->col_s[r] = s->row_c[r] = 0;
        for (size_t g = d->group_offset[r]; g < d->group_offset[r + 1]; g++)
            s->row_d[g] = 0;
        for (size_t q = net->out_offset[r]; q < net->out_offset[r + 1]; q++)
            s->col_a[net->out_links[q]] = s->col_b[net->out_links[q]] = 0;
        for (size_t q = net->in_offset[r]; q < net->in_offset[r + 1]; q++)
            s->col_a[net->in_links[q]] = s->col_b[net->in_links[q]] = 0;
    }
}

/* ---- building the program in GLPK -------------------------------------- */

static void put(cy_i_stress_solver *s, int row, int col, double value)
{
    s->nz++;
    s->ia[s->nz] = row;
    s->ja[s->nz] = col;
    s->ar[s->nz] = value;
}

/* A column in [0, upper] (upper = HUGE_VAL: unbounded), starting at its
 * upper bound (`high`) or at 0. */
static void column(glp_prob *lp, int col, double upper, int high)
{
    if (upper == HUGE_VAL)
        glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
    else
        glp_set_col_bnds(lp, col, upper > 0 ? GLP_DB : GLP_FX, 0.0, upper);
    glp_set_col_stat(lp, col, upper <= 0 ? GLP_NS : high ? GLP_NU : GLP_NL);
}

/* Member i's columns (normal and spare production, sales) and its row c:
 * what it delivers and sells <= what it produces. */
static void build_firm(cy_i_stress_solver *s, glp_prob *lp, size_t i)
{
    const cy_i_stress_data *d = s->d;
    int row = s->row_c[i];

    if (s->col_p[i])
        column(lp, s->col_p[i], fmin(d->out[i], s->cap[i]), 1);
    if (s->col_spare[i])
        column(lp, s->col_spare[i], s->cap[i] - d->out[i], 0);
    if (s->col_s[i]) {
        column(lp, s->col_s[i], d->fd[i], 1);
        glp_set_obj_coef(lp, s->col_s[i], 1.0);
    }
    if (!row)
        return;
    glp_set_row_bnds(lp, row, GLP_UP, 0.0, s->rhs_c[i]);
    if (s->col_p[i])
        put(s, row, s->col_p[i], -1.0);
    if (s->col_spare[i])
        put(s, row, s->col_spare[i], -1.0);
    if (s->col_s[i])
        put(s, row, s->col_s[i], 1.0);
}

/* Link e's columns, in its supplier's row c when the supplier is in R. */
static void build_link(cy_i_stress_solver *s, glp_prob *lp, size_t e)
{
    const cy_i_link *l = &s->d->net->links[e];
    int row = s->in_lp[l->from] ? s->row_c[l->from] : 0;

    if (s->col_a[e]) {
        column(lp, s->col_a[e], l->volume / s->d->scale, 1);
        if (row)
            put(s, row, s->col_a[e], 1.0);
    }
    if (s->col_b[e]) {
        column(lp, s->col_b[e], HUGE_VAL, 0);
        put(s, row, s->col_b[e], 1.0);
    }
}

/* The rows d of member i: need p - (what arrives) <= stock 365/t, per
 * part; in the time to survive 365/t is the column v. */
static void build_needs(cy_i_stress_solver *s, glp_prob *lp, size_t i)
{
    const cy_i_stress_data *d = s->d;
    const cy_network *net = d->net;

    for (size_t g = d->group_offset[i]; g < d->group_offset[i + 1]; g++) {
        int row = s->row_d[g];
        double need = d->group_volume[g] / d->out[i], stock = group_stock(d, i, g);
        if (!row)
            continue;
        if (s->mode == MODE_TTS) {
            glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
            if (stock > 0)
                put(s, row, s->col_v, -stock);
        } else {
            glp_set_row_bnds(lp, row, GLP_UP, 0.0, s->mode == MODE_IMPACT ? stock * 365.0 / s->t : 0.0);
        }
        if (s->col_p[i])
            put(s, row, s->col_p[i], need);
        if (s->col_spare[i])
            put(s, row, s->col_spare[i], need);
        for (size_t k = d->group_first[g]; k < d->group_first[g + 1]; k++) {
            size_t e = net->in_links[k];
            if (s->col_a[e])
                put(s, row, s->col_a[e], -1.0);
            if (s->col_b[e])
                put(s, row, s->col_b[e], -1.0);
        }
    }
}

static void build_program(cy_i_stress_solver *s, glp_prob *lp)
{
    const cy_network *net = s->d->net;

    s->nz = 0;
    glp_set_obj_dir(lp, s->mode == MODE_TTS ? GLP_MIN : GLP_MAX);
    if (s->rows)
        glp_add_rows(lp, s->rows);
    if (s->cols)
        glp_add_cols(lp, s->cols);
    if (s->col_v) {
        glp_set_col_bnds(lp, s->col_v, GLP_LO, 365.0 / s->t, 0.0);
        glp_set_obj_coef(lp, s->col_v, 1.0);
    }
    for (size_t k = 0; k < s->member_count; k++)
        build_firm(s, lp, s->members[k]);
    for (size_t k = 0; k < s->member_count; k++) {
        size_t r = s->members[k];
        for (size_t q = net->out_offset[r]; q < net->out_offset[r + 1]; q++)
            if (s->col_a[net->out_links[q]] || s->col_b[net->out_links[q]])
                build_link(s, lp, net->out_links[q]);
        for (size_t q = net->in_offset[r]; q < net->in_offset[r + 1]; q++)
            if (s->col_a[net->in_links[q]] && !s->in_lp[net->links[net->in_links[q]].from])
                build_link(s, lp, net->in_links[q]);
    }
    for (size_t k = 0; k < s->member_count; k++)
        build_needs(s, lp, s->members[k]);
    glp_load_matrix(lp, (int)s->nz, s->ia, s->ja, s->ar);
}

/* ---- solving ------------------------------------------------------------ */

/* GLPK calls this on a fatal error instead of aborting; it must not
 * return, so it jumps back into run_glpk, which frees GLPK's environment. */
static void glpk_error_hook(void *info)
{
    longjmp(*(jmp_buf *)info, 1);
}

/* The dual simplex from the slack basis set by build_program (the primal
 * simplex from the basis carried over from the last round when `warm`);
 * should that not end optimal (or infeasible, for a program that may be),
 * the primal simplex from GLPK's advanced basis.  Returns GLPK's status,
 * with glp_simplex's code in *code. */
static int solve_lp(glp_prob *lp, int warm, int may_be_infeasible, int *code)
{
    glp_smcp parm;
    int status;

    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    parm.meth = warm ? GLP_PRIMAL : GLP_DUAL;
    parm.r_test = GLP_RT_FLIP;
    parm.tol_bnd = 1e-9;
    parm.tol_dj = 1e-9;
    glp_scale_prob(lp, GLP_SF_AUTO);
    *code = glp_simplex(lp, &parm);
    status = *code == 0 ? glp_get_status(lp) : GLP_UNDEF;
    if (status == GLP_OPT || (status == GLP_NOFEAS && may_be_infeasible))
        return status;
    glp_adv_basis(lp, 0);
    parm.r_test = GLP_RT_HAR;
    parm.meth = GLP_PRIMAL;
    *code = glp_simplex(lp, &parm);
    return *code == 0 ? glp_get_status(lp) : GLP_UNDEF;
}

static double col_value(glp_prob *lp, int col)
{
    return col ? glp_get_col_prim(lp, col) : 0.0;
}

/* ---- the certificate ---------------------------------------------------- */

/* The primal-dual gap that a column at x with reduced cost dj (GLPK's
 * sign) leaves in a program minimising (or maximising) over [0, upper]. */
static double column_gap(int minimize, double x, double dj, double upper)
{
    double d = minimize ? dj : -dj;
    return (d > 0 ? d * x : 0.0) + (d < 0 ? -d * (upper - x) : 0.0);
}

static void mark(cy_i_stress_solver *s, size_t firm)
{
    if (!s->adding[firm]) {
        s->adding[firm] = 1;
        s->added[s->added_count++] = firm;
    }
}

/*
 * The gap left by the columns the whole network's program has at member
 * r's border and R's program does not (or holds fixed): with the duals of
 * the rows outside R taken as 0, a link out of r has reduced cost -y(c_r)
 * (its normal part at vol, its extra part at 0), a link into r from
 * outside has y(d) for its extra part (its normal part is in R's program
 * with the same reduced cost).  Firms across a contributing link are
 * marked to join R.
 */
static double border_gap(cy_i_stress_solver *s, glp_prob *lp, size_t r)
{
    const cy_i_stress_data *d = s->d;
    const cy_network *net = d->net;
    int minimize = s->mode == MODE_TTS;
    double gap = 0.0, yc = s->row_c[r] ? glp_get_row_dual(lp, s->row_c[r]) : 0.0;

    for (size_t k = net->out_offset[r]; k < net->out_offset[r + 1] && s->row_c[r]; k++) {
        size_t e = net->out_links[k], z = net->links[e].to;
        double vol = net->links[e].volume / d->scale, part;
        if (s->in_lp[z] || !link_useful(s, e))
            continue;
        part = column_gap(minimize, vol, -yc, vol) + column_gap(minimize, 0.0, -yc, s->cap[r]);
        if (part > 0) {
            gap += part;
            mark(s, z);
        }
    }
    for (size_t g = d->group_offset[r]; g < d->group_offset[r + 1]; g++) {
        double y = s->row_d[g] ? glp_get_row_dual(lp, s->row_d[g]) : 0.0;
        for (size_t k = d->group_first[g]; k < d->group_first[g + 1] && y != 0; k++) {
            size_t e = net->in_links[k], u = net->links[e].from;
            double part;
            if (s->in_lp[u])
                continue;
            part = column_gap(minimize, 0.0, y, s->cap[u]);
            if (part > 0) {
                gap += part;
                mark(s, u);
            }
        }
    }
    return gap;
}

/* Mark every firm across the border. */
static void mark_border(cy_i_stress_solver *s)
{
    const cy_network *net = s->d->net;
    for (size_t k = 0; k < s->member_count; k++) {
        size_t r = s->members[k];
        for (size_t q = net->out_offset[r]; q < net->out_offset[r + 1]; q++)
            if (!s->in_lp[net->links[net->out_links[q]].to])
                mark(s, net->links[net->out_links[q]].to);
        for (size_t q = net->in_offset[r]; q < net->in_offset[r + 1]; q++)
            if (!s->in_lp[net->links[net->in_links[q]].from])
                mark(s, net->links[net->in_links[q]].from);
    }
}

/*
 * 1 when R's optimum (objective `value`; for the impact programs `loss`,
 * the demand R's program leaves unserved) is certified to be the whole
 * network's: the program's answer is already at the bound no program can
 * pass (no loss, or the whole horizon), or the gap of border_gap is below
 * 1e-9 of it.  Otherwise the firms to add are marked (all of the border
 * when only rounding is left) and 0 is returned; with no border left the
 * program is the whole network's and 1 is returned.
 */
static int certified(cy_i_stress_solver *s, glp_prob *lp, double value, double loss)
{
    double gap = 0.0, scale = s->mode == MODE_TTS ? value : loss;

    if (s->mode == MODE_TTS ? value <= 365.0 / s->t * (1 + 1e-12) : loss <= 0)
        return 1;
    for (size_t k = 0; k < s->member_count; k++)
        gap += border_gap(s, lp, s->members[k]);
    if (gap <= 1e-9 * scale)
        return 1;
    if (s->added_count == 0)
        mark_border(s);
    return s->added_count == 0;
}

/* ---- carrying a basis from one round to the next ------------------------- */

/* Give column `col` the status saved for it, made valid for its bounds. */
static void restore_col(glp_prob *lp, int col, unsigned char saved)
{
    int type;
    if (!col || !saved)
        return;
    type = glp_get_col_type(lp, col);
    if (saved != GLP_BS)
        saved = type == GLP_FX ? GLP_NS : type == GLP_LO && saved == GLP_NU ? GLP_NL : saved;
    glp_set_col_stat(lp, col, saved);
}

static void restore_row(glp_prob *lp, int row, unsigned char saved)
{
    if (row && saved)
        glp_set_row_stat(lp, row, saved);
}

static unsigned char col_status(glp_prob *lp, int col)
{
    return col ? (unsigned char)glp_get_col_stat(lp, col) : 0;
}

static unsigned char row_status(glp_prob *lp, int row)
{
    return row ? (unsigned char)glp_get_row_stat(lp, row) : 0;
}

/* Member r's rows and columns as saved (`restore`) or into the saved state. */
static void carry_firm(cy_i_stress_solver *s, glp_prob *lp, size_t r, int restore)
{
    const cy_i_stress_data *d = s->d;
    const cy_network *net = d->net;

    if (restore) {
        restore_row(lp, s->row_c[r], s->st_c[r]);
        restore_col(lp, s->col_p[r], s->st_p[r]);
        restore_col(lp, s->col_spare[r], s->st_spare[r]);
        restore_col(lp, s->col_s[r], s->st_s[r]);
    } else {
        s->st_c[r] = row_status(lp, s->row_c[r]);
        s->st_p[r] = col_status(lp, s->col_p[r]);
        s->st_spare[r] = col_status(lp, s->col_spare[r]);
        s->st_s[r] = col_status(lp, s->col_s[r]);
    }
    for (size_t g = d->group_offset[r]; g < d->group_offset[r + 1]; g++) {
        if (restore)
            restore_row(lp, s->row_d[g], s->st_d[g]);
        else
            s->st_d[g] = row_status(lp, s->row_d[g]);
        for (size_t k = d->group_first[g]; k < d->group_first[g + 1]; k++) {
            size_t e = net->in_links[k];
            if (restore) {
                restore_col(lp, s->col_a[e], s->st_a[e]);
                restore_col(lp, s->col_b[e], s->st_b[e]);
            } else {
                s->st_a[e] = col_status(lp, s->col_a[e]);
                s->st_b[e] = col_status(lp, s->col_b[e]);
            }
        }
    }
}

/* Save the optimal basis of this round (restore = 0) or start this round
 * from the saved one (restore = 1).  The saved basis, with the new rows
 * basic and the new columns at their normal bounds, is a basis of the
 * larger program (block triangular) and its solution is feasible there
 * (the new firms run normally), so the primal simplex continues from it. */
static void carry_basis(cy_i_stress_solver *s, glp_prob *lp, int restore)
{
    for (size_t k = 0; k < s->member_count; k++)
        carry_firm(s, lp, s->members[k], restore);
    if (restore && s->col_v && s->st_v)
        restore_col(lp, s->col_v, (unsigned char)s->st_v);
    else if (!restore)
        s->st_v = col_status(lp, s->col_v);
    s->warm = !restore;
}

/* Forget the saved basis. */
static void forget_basis(cy_i_stress_solver *s)
{
    const cy_i_stress_data *d = s->d;
    const cy_network *net = d->net;

    for (size_t k = 0; k < s->member_count; k++) {
        size_t r = s->members[k];
        s->st_c[r] = s->st_p[r] = s->st_spare[r] = s->st_s[r] = 0;
        for (size_t g = d->group_offset[r]; g < d->group_offset[r + 1]; g++) {
            s->st_d[g] = 0;
            for (size_t q = d->group_first[g]; q < d->group_first[g + 1]; q++)
                s->st_a[net->in_links[q]] = s->st_b[net->in_links[q]] = 0;
        }
    }
    s->st_v = s->warm = 0;
}

/* ---- one program -------------------------------------------------------- */

/* The loss of every member that loses, over the window (impact). */
static cy_status keep_losses(cy_i_stress_solver *s, glp_prob *lp,
                             cy_i_stress_solution *sol, cy_error *err)
{
    const cy_i_stress_data *d = s->d;
    cy_i_stress_lost *lost = cy_realloc(sol->lost, (s->member_count + 1) * sizeof *lost);
    double w = s->t / 365.0;

    if (!lost) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    sol->lost = lost;
    sol->lost_count = 0;
    sol->value = 0.0;
    for (size_t k = 0; k < s->member_count; k++) {
        size_t i = s->members[k];
        double v = s->failed[i] ? 0.0 : d->fd[i] - col_value(lp, s->col_s[i]);
        /* Below 1e-9 of the firm's demand is rounding. */
        if (v > 1e-9 * d->fd[i]) {
            lost[sol->lost_count].enterprise = i;
            lost[sol->lost_count++].lost = v * w;
            sol->value += v * w;
        }
    }
    return CY_OK;
}

/*
 * Build and solve R's program; *done when its answer stands for the whole
 * network (always when `whole`).  A TTS program with no feasible window,
 * or a program of R that cannot make R's deliveries to the firms outside
 * it, sets *infeasible instead.  GLPK's fatal errors come back through the
 * error hook as CY_EINTERNAL.
 */
static cy_status run_glpk(cy_i_stress_solver *s, int whole, cy_i_stress_solution *sol,
                          int *done, int *infeasible, cy_error *err)
{
    jmp_buf jump;
    glp_prob *volatile lp = NULL;
    volatile cy_status status = CY_OK;
    int code = 0, glpk_status, warm;

    *done = *infeasible = 0;
    if (setjmp(jump)) {
        glp_free_env(); /* also frees lp */
        snprintf(s->reason, sizeof s->reason, "glpk stopped with a fatal error");
        return CY_EINTERNAL;
    }
    glp_error_hook(glpk_error_hook, &jump);
    glp_term_out(GLP_OFF);
    lp = glp_create_prob();
    build_program(s, lp);
    warm = s->warm;
    if (warm)
        carry_basis(s, lp, 1);
    glpk_status = solve_lp(lp, warm, s->mode == MODE_TTS || !whole, &code);
    if (glpk_status == GLP_OPT && !whole)
        carry_basis(s, lp, 0);
    if (glpk_status == GLP_NOFEAS && (s->mode == MODE_TTS || !whole)) {
        *infeasible = 1;
    } else if (glpk_status != GLP_OPT) {
        snprintf(s->reason, sizeof s->reason,
                 "glpk found no optimal solution (simplex code %d, status %d)",
                 code, glpk_status);
        status = CY_EINTERNAL;
    } else if (s->mode == MODE_TTS) {
        double v = glp_get_obj_val(lp);
        *done = whole || certified(s, lp, v, 0.0);
        sol->value = v <= 365.0 / s->t ? s->t : 365.0 / v;
    } else {
        status = keep_losses(s, lp, sol, err);
        *done = status == CY_OK && (whole || certified(s, lp, 0.0, sol->value));
    }
    sol->lp_enterprises = s->member_count;
    glp_delete_prob(lp);
    glp_error_hook(NULL, NULL);
    return status;
}

/* ---- the rounds --------------------------------------------------------- */

static void join(cy_i_stress_solver *s, size_t firm)
{
    if (!s->in_lp[firm]) {
        s->in_lp[firm] = 1;
        s->members[s->member_count++] = firm;
    }
}

/* Firm r's customers along links with a volume join R. */
static void join_customers(cy_i_stress_solver *s, size_t r)
{
    const cy_network *net = s->d->net;

    for (size_t q = net->out_offset[r]; q < net->out_offset[r + 1]; q++) {
        size_t e = net->out_links[q];
        if (net->links[e].volume > 0 && s->d->link_group[e] != SIZE_MAX)
            join(s, net->links[e].to);
    }
}

/* The failed (and degraded) firms and everything downstream of them along
 * links with a volume (members is its own queue, in breadth-first order);
 * *first is the number of the roots and their direct customers. */
static void start_cone(cy_i_stress_solver *s, const size_t *failed, size_t count,
                       size_t *first)
{
    size_t roots;

    for (size_t k = 0; k < count; k++)
        join(s, failed[k]);
    for (size_t k = 0; k < s->degraded_count; k++)
        join(s, s->degraded[k].enterprise);
    roots = s->member_count;
    for (size_t head = 0; head < roots; head++)
        join_customers(s, s->members[head]);
    *first = s->member_count;
    for (size_t head = roots; head < s->member_count; head++)
        join_customers(s, s->members[head]);
}

/* Keep only the first `count` members. */
static void truncate_members(cy_i_stress_solver *s, size_t count)
{
    for (size_t k = count; k < s->member_count; k++)
        s->in_lp[s->members[k]] = 0;
    s->member_count = count;
}

/* Mark the customers outside R of R's firms: a program whose border
 * deliveries cannot all be made. */
static void mark_customers(cy_i_stress_solver *s)
{
    const cy_network *net = s->d->net;
    for (size_t k = 0; k < s->member_count; k++) {
        size_t r = s->members[k];
        for (size_t q = net->out_offset[r]; q < net->out_offset[r + 1]; q++)
            if (!s->in_lp[net->links[net->out_links[q]].to] && link_useful(s, net->out_links[q]))
                mark(s, net->links[net->out_links[q]].to);
    }
}

/* The marked firms join R. */
static void grow(cy_i_stress_solver *s)
{
    for (size_t k = 0; k < s->added_count; k++) {
        s->adding[s->added[k]] = 0;
        join(s, s->added[k]);
    }
    s->added_count = 0;
}

static void reset(cy_i_stress_solver *s, const size_t *failed, size_t count)
{
    clear_numbers(s);
    forget_basis(s);
    for (size_t k = 0; k < s->member_count; k++)
        s->in_lp[s->members[k]] = 0;
    for (size_t k = 0; k < s->added_count; k++)
        s->adding[s->added[k]] = 0;
    for (size_t k = 0; k < count; k++)
        s->failed[failed[k]] = 0;
    s->member_count = s->added_count = 0;
}

/*
 * Solve rounds until the answer stands.  A time to survive whose program
 * has no feasible window in R is decided by the instant program (is any
 * demand lost even when every stocked part is covered?): a certified loss
 * means no window survives, TTS = 0; none means R was too small for the
 * time to survive, which is solved again.  An impact or instant program
 * with no solution in R (a firm of R cannot make its deliveries out of R)
 * takes R's customers in and is solved again; with R holding the whole
 * downstream cone it always has one (docs/analyses.md, "Reduction").
 */
static cy_status rounds(cy_i_stress_solver *s, int whole, cy_i_stress_solution *sol,
                        cy_error *err)
{
    cy_status status = CY_OK;
    int done = 0, infeasible, mode = s->mode;

    while (status == CY_OK && !done) {
        number_program(s);
        sol->rounds++;
        status = run_glpk(s, whole, sol, &done, &infeasible, err);
        clear_numbers(s);
        if (status == CY_OK && infeasible && mode != MODE_TTS) {
            forget_basis(s);
            mark_customers(s);
            if (s->added_count == 0) {
                snprintf(s->reason, sizeof s->reason, "glpk found the impact program infeasible");
                status = CY_EINTERNAL;
            }
        } else if (status == CY_OK && infeasible) {
            forget_basis(s);
            s->mode = MODE_INSTANT;
            number_program(s);
            sol->rounds++;
            status = run_glpk(s, whole, sol, &done, &infeasible, err);
            clear_numbers(s);
            forget_basis(s);
            s->mode = mode;
            if (status == CY_OK && infeasible) {
                mark_customers(s);
                if (s->added_count == 0) {
                    snprintf(s->reason, sizeof s->reason, "glpk found the instant program infeasible");
                    status = CY_EINTERNAL;
                }
            } else if (status == CY_OK && done && sol->value > 0) {
                sol->value = 0.0; /* TTS = 0 */
            } else if (status == CY_OK && done) {
                done = 0;
                mark_border(s);
                if (s->added_count == 0) {
                    snprintf(s->reason, sizeof s->reason,
                             "glpk found no window, yet no loss at its start");
                    status = CY_EINTERNAL;
                }
            }
        }
        grow(s);
    }
    return status;
}

/* ---- shortcuts ---------------------------------------------------------- */

/* Whether any firm of R that is not failed sells to final demand. */
static int cone_has_demand(const cy_i_stress_solver *s)
{
    for (size_t k = 0; k < s->member_count; k++)
        if (!s->failed[s->members[k]] && s->d->fd[s->members[k]] > 0)
            return 1;
    return 0;
}

/* Whether a firm of R that produces holds stock of a part it needs, so
 * that some row (d) of R's programs depends on the window. */
static int cone_has_stock(const cy_i_stress_solver *s)
{
    const cy_i_stress_data *d = s->d;
    for (size_t k = 0; k < s->member_count; k++) {
        size_t r = s->members[k];
        if (d->inventory[r] > 0 && !firm_idle(s, r) &&
            d->group_offset[r + 1] > d->group_offset[r])
            return 1;
    }
    return 0;
}

/*
 * Answer a program without solving it when that is exact (the proofs are
 * in docs/analyses.md, "Shortcuts"): with no demand downstream of the
 * failure nothing is lost and the horizon survives; the time to survive
 * after a certified impact program whose firms hold no stock is the
 * horizon when that program lost nothing and 0 when it lost something.
 * Returns 1 with *sol filled, or 0.
 */
static int shortcut(cy_i_stress_solver *s, int mode, cy_i_stress_solution *sol)
{
    int stockless_tts = mode == MODE_TTS && s->impact_known && !cone_has_stock(s);

    if (s->whole || !(s->cone_without_demand || stockless_tts))
        return 0;
    if (mode == MODE_TTS)
        sol->value = s->cone_without_demand || !s->impact_lost ? s->t : 0.0;
    else
        sol->value = 0.0;
    sol->lost_count = 0;
    sol->lp_enterprises = 0;
    return 1;
}

void cy_i_stress_begin(cy_i_stress_solver *s, const size_t *failed, size_t count,
                       int whole)
{
    size_t first = 0;

    s->failed_list = failed;
    s->failed_count = count;
    s->whole = whole;
    for (size_t k = 0; k < count; k++)
        s->failed[failed[k]] = 1;
    if (whole)
        for (size_t i = 0; i < s->d->n; i++)
            join(s, i);
    else
        start_cone(s, failed, count, &first);
    /* The shortcut needs the whole cone; the programs start smaller
     * (docs/analyses.md, "Reduction"). */
    s->cone_without_demand = !whole && !cone_has_demand(s);
    if (!whole)
        truncate_members(s, first);
    s->impact_known = s->impact_lost = 0;
}

cy_status cy_i_stress_solve(cy_i_stress_solver *s, cy_i_stress_mode mode, double t,
                            cy_i_stress_solution *sol, cy_error *err)
{
    cy_status status;

    if (s->d->n + 2 * s->d->m + 2 * s->d->group_count + 2 > (size_t)INT_MAX / 4) {
        snprintf(s->reason, sizeof s->reason, "network too large for glpk");
        return CY_EINTERNAL;
    }
    s->mode = (int)mode;
    s->t = t;
    sol->rounds = 0;
    if (shortcut(s, s->mode, sol))
        return CY_OK;
    status = rounds(s, s->whole, sol, err);
    forget_basis(s);
    if (status == CY_OK && mode == CY_I_STRESS_IMPACT) {
        s->impact_known = 1;
        s->impact_lost = sol->lost_count > 0;
    }
    return status;
}

void cy_i_stress_degrade(cy_i_stress_solver *s, const cy_degrade *degraded, size_t count)
{
    s->degraded = degraded;
    s->degraded_count = count;
    for (size_t k = 0; k < count; k++)
        s->cap[degraded[k].enterprise] *= degraded[k].capacity_left;
}

void cy_i_stress_end(cy_i_stress_solver *s)
{
    for (size_t k = 0; k < s->degraded_count; k++)
        s->cap[s->degraded[k].enterprise] = s->d->cap[s->degraded[k].enterprise];
    s->degraded = NULL;
    s->degraded_count = 0;
    reset(s, s->failed_list, s->failed_count);
    s->cone_without_demand = s->impact_known = s->impact_lost = 0;
}

/* ---- normal operation (test hook) ------------------------------------- */

static double worse(double a, double b)
{
    return b > a ? b : a;
}

double cy_i_stress_normal_violation(const cy_i_stress_data *d, double t)
{
    const cy_network *net = d->net;
    double w = t / 365.0, worst = 0.0;

    for (size_t i = 0; i < d->n; i++) {
        double p = d->out[i] * w, delivered = d->fd[i] * w;
        worst = worse(worst, p - d->cap[i] * w);                       /* (b) */
        for (size_t k = net->out_offset[i]; k < net->out_offset[i + 1]; k++)
            delivered += net->links[net->out_links[k]].volume / d->scale * w;
        worst = worse(worst, delivered - p);                           /* (c) */
        for (size_t g = d->group_offset[i]; g < d->group_offset[i + 1] && p > 0; g++) {
            double arrives = 0.0;
            for (size_t k = d->group_first[g]; k < d->group_first[g + 1]; k++)
                arrives += net->links[net->in_links[k]].volume / d->scale * w;
            worst = worse(worst, d->group_volume[g] / d->out[i] * p - arrives -
                                     d->inventory[i] * d->group_volume[g] / 365.0); /* (d) */
        }
    }
    return worst;
}
