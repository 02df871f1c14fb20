/*
 * plan_internal.h - what the files that plan a diagram share (render/plan*.c):
 * plan.c checks the options and chooses the view, plan_firms.c lays out
 * views of firms, plan_groups.c aggregated views.  Not installed.
 */
#ifndef CHENGYU_PLAN_INTERNAL_H
#define CHENGYU_PLAN_INTERNAL_H

#include "render_internal.h"

/* plan.c: the most groups a group view draws for --max-nodes max_nodes:
 * min(max_nodes, max(200, max_nodes / 10)). */
size_t cy_r_group_limit(size_t max_nodes);
/* Adds "out of memory while planning the diagram" to err; CY_ENOMEM. */
cy_status cy_r_plan_oom(cy_error *err);
/* "parks", "clusters", "regions" or "tiers", for notes. */
const char *cy_r_grouping_plural(cy_r_grouping grouping);

/* plan_firms.c.  The firms within `depth` hops of the focus, up and down:
 * fills `mark` (1 = drawn) and returns their number, or (size_t)-1 after
 * an igraph error.  O(n + m). */
size_t cy_r_ego_select(const cy_network *net, size_t focus, size_t depth,
                       unsigned char *mark, cy_error *err);
/* Keep only the focus and its `keep` direct partners with the most volume;
 * *count becomes the number drawn.  O(n + d log d), d = partners. */
cy_status cy_r_ego_trim(const cy_network *net, size_t focus, size_t keep,
                        unsigned char *mark, size_t *count, cy_error *err);
/* The first `want` firms of the register `wl` (by output when it is NULL or
 * empty) and, for each, its (cap - firsts) / firsts direct partners with
 * the most volume: fills `mark` (1 = drawn), *drawn with their number, and
 * returns the number of first firms; (size_t)-1 after an error.
 * O(want (n + d log d)), d = partners of a first firm. */
size_t cy_r_first_select(const cy_network *net, const cy_weaklinks *wl, size_t want,
                         size_t cap, unsigned char *mark, size_t *drawn, cy_error *err);
/* One node per firm (per marked firm when mark is not NULL), then one edge
 * per firm-graph edge between drawn firms.  CY_ENOMEM.  O(n + m). */
cy_status cy_r_firm_nodes_make(const cy_network *net, cy_r_plan *plan,
                               const unsigned char *mark);
cy_status cy_r_firm_edges_make(const cy_network *net, cy_r_plan *plan);

/* plan_groups.c.  The nodes of plan->grouping (see the file), then their
 * members, totals and flows.  CY_ENOMEM, or CY_EUSAGE for a clusters view
 * beyond its work limit.  O(n + m k^2), k = most clusters of one firm. */
cy_status cy_r_group_nodes_make(const cy_network *net, cy_r_plan *plan, cy_error *err);
cy_status cy_r_group_edges_make(const cy_network *net, cy_r_plan *plan, cy_error *err);

/* plan_cost.c.  The virtual nodes dot would add to lay out the drawn
 * edges: edges spanning k ranks of a ranking made as dot makes it count
 * k - 1.  (size_t)-1 when out of memory.  O(n + m). */
size_t cy_r_plan_dot_virtual(const cy_r_plan *plan);
/* The engine: the caller's --layout, or dot; then sfdp instead when the
 * layout would take too long (see the file), with a note.  Sets
 * plan->layout and plan->estimate.  CY_ENOMEM.  O(n + m). */
cy_status cy_r_plan_layout(cy_r_plan *plan, const cy_render_options *opt, cy_error *err);

#endif /* CHENGYU_PLAN_INTERNAL_H */
