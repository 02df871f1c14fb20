/*
 * stress_internal.h - what stress.c (data, disruptions, ranking) and
 * stress_lp.c (the linear programs, solved with GLPK) share.  The model is
 * written out in docs/analyses.md ("Time to survive and time to recover").
 */
#ifndef CHENGYU_STRESS_INTERNAL_H
#define CHENGYU_STRESS_INTERNAL_H

#include "internal.h"

/*
 * The network's data in the units of the linear programs.  Money is in
 * LP units of `scale` yuan (a power of two, so that the conversion is
 * exact, chosen so that the largest output is at most 1 unit per year);
 * days stay days.  A (customer, part) "group" is the run of the customer's
 * incoming links that carry one part (net->in_links is sorted by part):
 * firm i's groups are group_offset[i] .. group_offset[i + 1], group g's
 * links are net->in_links[group_first[g] .. group_first[g + 1]).  Only
 * groups with a positive summed volume are kept: a part that arrives with
 * volume 0 is not needed (need = 0), so its links can carry nothing useful.
 */
typedef struct {
    const cy_network *net;
    size_t n, m;
    double scale;         /* yuan per LP unit */
    double *out;          /* out_i, LP units per year */
    double *cap;          /* cap_i, LP units per year */
    double *fd;           /* fd_i, LP units per year */
    double *inventory;    /* inventory_days_i */
    double *recovery;     /* recovery_days_i, 0 when not given */
    size_t group_count;
    size_t *group_offset; /* n + 1 */
    size_t *group_first;  /* group_count + 1, positions in net->in_links */
    double *group_volume; /* summed volume, LP units per year */
    size_t *link_group;   /* group of each link, SIZE_MAX when not needed */
    double total_fd;      /* sum of fd_i, LP units per year */
} cy_i_stress_data;

/* Read the network's figures (after cy_stress_check accepted them).
 * CY_ENOMEM.  Time complexity: O(n + m). */
cy_status cy_i_stress_data_init(cy_i_stress_data *data, const cy_network *net,
                                cy_error *err);
void cy_i_stress_data_destroy(cy_i_stress_data *data);

/* The two programs of one disruption. */
typedef enum { CY_I_STRESS_TTS = 0, CY_I_STRESS_IMPACT = 1 } cy_i_stress_mode;

/* One firm's loss in an impact solution, LP units over the window. */
typedef struct {
    size_t enterprise;
    double lost;
} cy_i_stress_lost;

/*
 * What one solve found.  TTS: `value` is the largest feasible t in days;
 * impact: the minimum of sum L_i in LP units (the final demand of the
 * failed firms not included) and `lost` the firms with L_i > 0.
 * `lp_enterprises` counts the firms of the last program solved and
 * `rounds` the programs solved (1 for the whole network).
 */
typedef struct {
    double value;
    cy_i_stress_lost *lost;
    size_t lost_count;
    size_t lp_enterprises;
    size_t rounds;
} cy_i_stress_solution;

typedef struct cy_i_stress_solver cy_i_stress_solver;

/* Workspace for the programs of one network (O(n + m) memory).  NULL on
 * OOM.  Time complexity: O(n + m). */
cy_i_stress_solver *cy_i_stress_solver_new(const cy_i_stress_data *data);
void cy_i_stress_solver_free(cy_i_stress_solver *solver);

/*
 * The programs of one disruption: cy_i_stress_begin with the failed firms
 * failed[0 .. count) (distinct indices; the array must live until
 * cy_i_stress_end), then any number of cy_i_stress_solve, then
 * cy_i_stress_end.  With `whole` every program covers the whole network;
 * otherwise the set R of firms in the program starts as the failed firms
 * and their direct customers and grows, across the programs of the
 * disruption, until the optimality certificate of docs/analyses.md shows
 * that the answer is the whole network's.  Time complexity: O(size of the
 * failed firms' downstream cone) (the shortcut's test).
 */
void cy_i_stress_begin(cy_i_stress_solver *solver, const size_t *failed,
                       size_t count, int whole);

/*
 * Before cy_i_stress_begin: the firms degraded[0 .. count) (distinct, not
 * failed, capacity_left in (0, 1]; the array must live until
 * cy_i_stress_end) produce at most capacity_left x cap_i.  They join the
 * failed firms as roots of R's downstream cone.  Time complexity: O(count).
 */
void cy_i_stress_degrade(cy_i_stress_solver *solver, const cy_degrade *degraded,
                         size_t count);
void cy_i_stress_end(cy_i_stress_solver *solver);

/*
 * Solve TTS with horizon `t` (days) or the impact over `t` days.
 * `sol->lost` is replaced (cy_realloc'd; free it with cy_free).
 * CY_EINTERNAL when GLPK fails or reports an unexpected status (nothing
 * is added to err: cy_i_stress_solver_reason says what happened and the
 * caller names the disruption); CY_ENOMEM.
 */
cy_status cy_i_stress_solve(cy_i_stress_solver *solver, cy_i_stress_mode mode,
                            double t, cy_i_stress_solution *sol, cy_error *err);

/* Release what GLPK keeps for the calling thread; a thread other than the
 * main one calls it before it ends. */
void cy_i_stress_thread_end(void);

/* Why the last cy_i_stress_solve returned CY_EINTERNAL. */
const char *cy_i_stress_solver_reason(const cy_i_stress_solver *solver);

/*
 * The order in which `result`'s disruptions are solved, largest downstream
 * cone first (stress.c): *order (cy_malloc'd, result->count entries) lists
 * disruption indexes.  CY_ENOMEM (message in err).
 * Time complexity: O(sum of the cones, each capped at 65,536 firms,
 * + d log d) for d disruptions.
 */
cy_status cy_i_stress_hand_out(const cy_network *net, const cy_stress_result *result,
                               size_t **order, cy_error *err);

/*
 * Test hook: the largest violation of constraints (a)-(d) and of
 * S_i >= fd_i t / 365 by normal operation scaled to t days (P = out t/365,
 * X = vol t/365, S = fd t/365), in LP units.  0 (up to rounding) on every
 * network the data checks accept.
 */
double cy_i_stress_normal_violation(const cy_i_stress_data *data, double t);

#endif /* CHENGYU_STRESS_INTERNAL_H */
