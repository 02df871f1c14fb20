/*
 * report_sections.c - what the people-facing reports (Markdown, HTML, xlsx)
 * show, section by section, written once against the cy_r_doc back-end
 * interface.  The section order and names follow the JSON keys; ranked
 * tables stop after d->top rows and say so.
 */
#include "report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void text(cy_r_doc *d, const char *s)
{
    d->ops->text(d, s ? s : "-");
}

static void textf(cy_r_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Formatted text, whole: most lines fit the stack buffer; a longer one
 * (a translated rule, a long id among the arguments) gets a block of its
 * own rather than being cut, and when that block cannot be had the
 * document is marked (d->oom) so that its writer fails. */
static void textf(cy_r_doc *d, const char *fmt, ...)
{
    char small[512], *big = NULL;
    va_list ap;
    int need;

    va_start(ap, fmt);
    need = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (need >= (int)sizeof small && (big = cy_malloc((size_t)need + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(big, (size_t)need + 1, fmt, ap);
        va_end(ap);
    }
    if (need < 0 || (need >= (int)sizeof small && !big)) {
        d->oom = 1;
        return;
    }
    d->ops->text(d, big ? big : small);
    cy_free(big);
}

static void para(cy_r_doc *d, const char *s)
{
    text(d, s);
    d->ops->paragraph_end(d);
}

static void cell_text(cy_r_doc *d, const char *s)
{
    d->ops->cell_begin(d, NAN);
    text(d, s);
    d->ops->cell_end(d);
}

/* Say what the next cell holds (for the workbook back end). */
static void cell_kind(cy_r_doc *d, cy_r_cell_kind kind, double value)
{
    d->cell_kind = kind;
    d->cell_value = value;
}

static void cell_count(cy_r_doc *d, size_t value)
{
    cell_kind(d, CY_R_CELL_COUNT, (double)value);
    d->ops->cell_begin(d, (double)value);
    textf(d, "%zu", value);
    d->ops->cell_end(d);
}

static void cell_amount(cy_r_doc *d, double value)
{
    cell_kind(d, CY_R_CELL_AMOUNT, value);
    d->ops->cell_begin(d, value);
    text(d, cy_r_amount(d->net, value, d->scratch, sizeof d->scratch));
    d->ops->cell_end(d);
}

static void cell_percent(cy_r_doc *d, double share)
{
    cell_kind(d, CY_R_CELL_PERCENT, share);
    d->ops->cell_begin(d, isnan(share) ? -1.0 : share);
    text(d, cy_r_percent(share, d->scratch, sizeof d->scratch));
    d->ops->cell_end(d);
}

/*
 * A score for people: `shown` with `decimals` after the point (a severity
 * of 72.85292714770797 reads 72.9); the workbook keeps `value`, JSON and
 * CSV its exact spelling.
 */
static void cell_rounded(cy_r_doc *d, double value, double shown, int decimals)
{
    cell_kind(d, CY_R_CELL_REAL, value);
    d->ops->cell_begin(d, isnan(value) ? -1.0 : value);
    if (isnan(value))
        text(d, _("n/a"));
    else
        textf(d, "%.*f", decimals, shown);
    d->ops->cell_end(d);
}

static void cell_enterprise(cy_r_doc *d, size_t i)
{
    if (i != CY_WL_NONE) {
        cell_kind(d, CY_R_CELL_FIRM, NAN);
        d->cell_firm = i;
    }
    d->ops->cell_begin(d, NAN);
    text(d, cy_r_enterprise(d->net, i));
    /* A Chinese reader gets the firm's Chinese name after its id. */
    if (i != CY_WL_NONE && cy_language_get() == CY_LANG_ZH && cy_enterprise_name_zh(d->net, i)) {
        text(d, " ");
        text(d, cy_enterprise_name_zh(d->net, i));
    }
    d->ops->cell_end(d);
}

/* An id followed by its share: "liangjiang 62.5%". */
static void cell_with_share(cy_r_doc *d, const char *id, double share)
{
    d->ops->cell_begin(d, id ? share : -1.0);
    text(d, id);
    if (id) {
        text(d, " ");
        text(d, cy_r_percent(share, d->scratch, sizeof d->scratch));
    }
    d->ops->cell_end(d);
}

static void heading(cy_r_doc *d, int level, const char *anchor, const char *title)
{
    d->ops->heading(d, level, anchor, title);
}

/* "Title (`key`)" as a level-2 heading anchored at the key. */
static void section(cy_r_doc *d, const char *key, const char *title)
{
    heading(d, 2, key, title);
}

static void shown_note(cy_r_doc *d, size_t shown, size_t count)
{
    if (shown < count) {
        textf(d, _("Showing the first %zu of %zu (--top)."), shown, count);
        d->ops->paragraph_end(d);
    }
}

static void none(cy_r_doc *d, const char *what)
{
    textf(d, _("None: %s."), what);
    d->ops->paragraph_end(d);
}

void cy_r_write_intro(cy_r_doc *d, const cy_weaklinks *r)
{
    char threshold[32];
    cy_i_real_spell(threshold, r->threshold);
    textf(d, _("%zu enterprises, %zu links, total output value %s a year; cascade threshold T = %s."),
          d->net->enterprise_count, d->net->link_count,
          cy_r_amount(d->net, r->output_value_total, d->scratch, sizeof d->scratch), threshold);
    if (d->top)
        textf(d, _(" Ranked lists show at most %zu entries."), d->top);
    d->ops->paragraph_end(d);
    textf(d, _("Impact is final demand lost (sales outside the network, each yuan counted "
             "once; total %s a year, %zu demand nodes), then demand nodes failed, then "
             "firms failed. Demand rule "),
          cy_r_amount(d->net, r->final_demand_total, d->scratch, sizeof d->scratch),
          r->demand_node_count);
    d->ops->code(d, cy_demand_rule_name(cy_network_demand_rule(d->net)));
    textf(d, _(": %s."), _(cy_r_demand_rule_text(cy_network_demand_rule(d->net))));
    d->ops->paragraph_end(d);
    if (r->single_part) {
        textf(d, _("Warning: %s."), _(CY_REPORT_SINGLE_PART));
        d->ops->paragraph_end(d);
    }
}

/* The three impact cells every ranked table shows. */
static void cells_impact(cy_r_doc *d, double lost, size_t nodes, size_t failed)
{
    cell_amount(d, lost);
    cell_count(d, nodes);
    cell_count(d, failed);
}

/* A firm's weak-link roles in words: "2 single-source pairs, chokepoint
 * of 3, articulation point, 1 bridge". */
static void cell_roles(cy_r_doc *d, const cy_wl_register_row *row)
{
    int any = 0;
    d->ops->cell_begin(d, NAN);
    if (row->single_source_pairs) {
        textf(d, P_("sole supplier of %zu pair", "sole supplier of %zu pairs",
                    row->single_source_pairs), row->single_source_pairs);
        any = 1;
    }
    if (row->chokepoint_of_count) {
        textf(d, _("%sstops "), any++ ? _("; ") : "");
        for (size_t k = 0; k < row->chokepoint_of_count; k++) {
            if (k == 3) {
                textf(d, _(" and %zu more"), row->chokepoint_of_count - 3);
                break;
            }
            textf(d, "%s", k ? _(", ") : "");
            text(d, d->net->enterprises[row->chokepoint_of[k]].id);
        }
    }
    if (row->articulation_point)
        textf(d, _("%sarticulation point"), any++ ? _("; ") : "");
    if (row->bridges)
        textf(d, P_("%s%zu bridge", "%s%zu bridges", row->bridges), any++ ? _("; ") : "",
              row->bridges);
    if (!any)
        text(d, _("its failure stops other firms"));
    d->ops->cell_end(d);
}

/* The suppliers backup `b` shares with the current supplier of `rec`,
 * through the document's cache; 0 (nothing to say) when the cache could
 * not be made (the document is marked out of memory already). */
static int shared_of(cy_r_doc *d, const cy_wl_recommendation *rec, const cy_wl_candidate *b,
                     cy_r_shared *shared)
{
    if (!d->shared)
        return 0;
    cy_r_shared_suppliers(d->shared, rec, b, shared);
    return shared->count > 0;
}

/* "shares N of its M suppliers with the supplier: a, b and K more" (or
 * "all M of its suppliers", "both of its suppliers", "its only
 * supplier"), after `lead` ("; " or ""). */
static void shared_note(cy_r_doc *d, const cy_r_shared *shared, const char *lead)
{
    size_t listed = shared->count < CY_WL_MAX_SHARED ? shared->count : CY_WL_MAX_SHARED;
    text(d, lead);
    if (shared->of == 1)
        text(d, _("shares its only supplier with the supplier: "));
    else if (shared->count == 2 && shared->of == 2)
        text(d, _("shares both of its suppliers with the supplier: "));
    else if (shared->count == shared->of)
        textf(d, _("shares all %zu of its suppliers with the supplier: "), shared->of);
    else
        textf(d, _("shares %zu of its %zu suppliers with the supplier: "), shared->count,
              shared->of);
    for (size_t k = 0; k < listed; k++) {
        text(d, k ? ", " : "");
        text(d, d->net->enterprises[shared->first[k]].id);
    }
    if (shared->count > listed)
        textf(d, _(" and %zu more"), shared->count - listed);
}

/* After backup `b`'s id: " (independent)", or " (independent, but ...)"
 * when it is in the current supplier's park (see cy_r_same_park) or buys
 * from some of the same firms (shared_note): what a single-firm view
 * cannot see, a park's failure or failures among the shared suppliers
 * stopping both. */
static void independent_note(cy_r_doc *d, const cy_wl_recommendation *rec,
                             const cy_wl_candidate *b)
{
    long park = cy_r_same_park(d->net, rec, b);
    cy_r_shared shared;
    int shares = shared_of(d, rec, b, &shared);
    if (park < 0 && !shares) {
        text(d, _(" (independent)"));
        return;
    }
    text(d, _(" (independent, but "));
    if (park >= 0)
        textf(d, _("in the supplier's park %s"), d->net->groups[CY_GROUP_PARK][park].id);
    if (shares)
        shared_note(d, &shared, park >= 0 ? _("; ") : "");
    /* TRANSLATORS: closes " (independent, but " and " (common cause: ". */
    text(d, _(")"));
}

/* Customers named in a chokepoint's fix before "and N more". */
#define FIX_CUSTOMERS_SHOWN 3

/* Firms `ids[0 .. count)` joined by ", ", the first `max`, then "and N
 * more". */
static void firm_list(cy_r_doc *d, const size_t *ids, size_t count, size_t max)
{
    for (size_t k = 0; k < count && k < max; k++) {
        text(d, k ? _(", ") : "");
        text(d, d->net->enterprises[ids[k]].id);
    }
    if (count > max)
        textf(d, _(" and %zu more"), count - max);
}

/* After a chokepoint's "none in the network": the firms that already
 * supply the part to some of its customers, whose larger share is the way
 * out (review 16: the report said "none" while one did). */
#define CURRENT_SOURCES_SHOWN 3
static int current_sources_note(cy_r_doc *d, const cy_wl_recommendation *rec,
                                double threshold, const char *before)
{
    size_t found[CURRENT_SOURCES_SHOWN + 1];
    size_t count = rec->backup_count ? 0
                                     : cy_r_current_sources(d->net, rec, threshold, found,
                                                            CURRENT_SOURCES_SHOWN + 1);
    if (!count)
        return 0;
    text(d, before);
    text(d, _("no new producer, but "));
    firm_list(d, found, count, CURRENT_SOURCES_SHOWN);
    text(d, count == 1 ? _(" already supplies it to some of the customers of ")
                       : _(" already supply it to some of the customers of "));
    text(d, d->net->enterprises[rec->supplier].id);
    text(d, _(", does not fail with it and could supply more"));
    return 1;
}

/* The fix of a register row: the part to second-source and its first
 * backup with whether it is independent. */
static void cell_fix(cy_r_doc *d, const cy_weaklinks *r, size_t fix)
{
    const cy_wl_recommendation *rec;
    const char *note;
    d->ops->cell_begin(d, NAN);
    if (fix == CY_WL_NONE) {
        text(d, "-");
        d->ops->cell_end(d);
        return;
    }
    rec = &r->recommendations[fix];
    text(d, _("second source of "));
    text(d, cy_r_part(d->net, rec->part));
    if (rec->type == CY_WEAK_CHOKEPOINT) {
        text(d, _(" for the customers of "));
        text(d, d->net->enterprises[rec->enterprise].id);
        text(d, _(" ("));
        firm_list(d, rec->customers, rec->customer_count, FIX_CUSTOMERS_SHOWN);
        text(d, _(")"));
    } else {
        text(d, _(" for "));
        text(d, d->net->enterprises[rec->enterprise].id);
    }
    if (rec->backup_shown) {
        text(d, _(": "));
        text(d, d->net->enterprises[rec->backups[0].firm].id);
        if (rec->backups[0].independent)
            independent_note(d, rec, &rec->backups[0]);
    }
    note = cy_r_backup_note(rec);
    note = note ? _(note) : NULL;
    if (note && !current_sources_note(d, rec, r->threshold, _(": "))) {
        text(d, rec->backup_shown ? _("; ") : _(": "));
        text(d, note);
    }
    d->ops->cell_end(d);
}

/* Make the document's cache of shared suppliers when it has none; 1 when
 * this call made it (and shared_done frees it), 0 otherwise.  Out of
 * memory marks the document. */
static int shared_begin(cy_r_doc *d)
{
    if (d->shared)
        return 0;
    if (!(d->shared = cy_wl_shared_cache_new(d->net)))
        d->oom = 1;
    return d->shared != NULL;
}

static void shared_done(cy_r_doc *d, int made)
{
    if (!made)
        return;
    cy_wl_shared_cache_free(d->shared);
    d->shared = NULL;
}

static void write_register(cy_r_doc *d, const cy_weaklinks *r);

void cy_r_write_register(cy_r_doc *d, const cy_weaklinks *r)
{
    int made = shared_begin(d);
    write_register(d, r);
    shared_done(d, made);
}

/* The cascade rule the ranking and the backups' independence rest on,
 * in a sentence: a reader must see it to trust the order (review 16: at
 * T = 0 a customer that loses 70% of its chips runs on). */
static void cascade_rule(cy_r_doc *d, double threshold)
{
    char line[400], t[32];
    if (!(threshold > 0)) {
        para(d, _("A firm stops only when some part it requires loses every supplier "
                  "(threshold 0): one that keeps any share of a part, even a small one, is "
                  "counted as running.  --threshold 0.5 also stops a firm that loses a "
                  "supplier and keeps less than half of a part, and can change the order "
                  "and which backups are independent."));
        return;
    }
    cy_i_real_spell(t, threshold);
    snprintf(line, sizeof line,
             _("A firm stops when some part it requires loses every supplier, or loses a "
               "supplier and keeps less than %s of it (--threshold)."), t);
    para(d, line);
}

static void write_register(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->register_count, d->top);
    section(d, "register", _("Risk register: the firms to secure first"));
    para(d, _("One row per firm that has a weak-link role or whose failure stops another "
            "firm, ranked by the final demand its failure stops, then demand nodes, then "
            "firms; fix = its best second-source recommendation (an independent backup "
            "neither fails with the supplier nor shares a common cause with it).  The "
            "ranking is of a failure that lasts a year: stock and recovery times do not "
            "enter it, and with them the order can change (the next section gives the "
            "time to survive and the loss over the recovery time of the first firms; "
            "chengyu stress --each enterprise of every firm)."));
    cascade_rule(d, r->threshold);
    /* analyst17: "bridge" and "articulation point" are graph theory the
     * commission has not read. */
    para(d, _("Roles: sole supplier of a pair = the only supplier of a part a customer "
              "requires; stops = the demand nodes its failure alone stops; articulation "
              "point = a firm whose failure cuts the supply network in two and stops a "
              "firm; bridge = the only connection (all links, both ways) between two "
              "parts of the network, whose loss stops a firm, counted at its supplying "
              "end."));
    if (!shown) {
        none(d, _("no firm's failure stops another"));
        return;
    }
    d->ops->table_begin(d, "register",
                        _("r:#|l:firm|l:region|l:roles|r:final demand lost|r:share|"
                        "r:demand nodes failed|r:firms failed|l:fix"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_register_row *row = &r->register_rows[i];
        long region = cy_i_enterprise_region(d->net, row->enterprise);
        cell_count(d, i + 1);
        cell_enterprise(d, row->enterprise);
        cell_text(d, region >= 0 ? d->net->groups[CY_GROUP_REGION][region].id : NULL);
        cell_roles(d, row);
        cell_amount(d, row->impact.final_demand_lost);
        cell_percent(d, cy_r_ratio(row->impact.final_demand_lost, r->final_demand_total));
        cell_count(d, row->impact.demand_nodes_failed);
        cell_count(d, row->impact.failed_count);
        cell_fix(d, r, row->fix);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->register_count);
}

/* Days as `stress` shows them to people (cy_r_days); the workbook keeps
 * the number. */
static void cell_days(cy_r_doc *d, double days)
{
    char shown[32];
    cell_kind(d, CY_R_CELL_REAL, days);
    d->ops->cell_begin(d, days);
    text(d, cy_r_days(days, shown, sizeof shown));
    d->ops->cell_end(d);
}

/* A TTS cell: the days, or "survives the horizon" (a blank number in the
 * workbook, sorted after every finite TTS in HTML). */
static void cell_tts(cy_r_doc *d, const cy_wl_time *t, const cy_wl_time_row *row)
{
    if (!row->survives) {
        cell_days(d, row->tts_days);
        return;
    }
    cell_kind(d, CY_R_CELL_REAL, NAN);
    d->ops->cell_begin(d, t->horizon_days + 1.0);
    text(d, _("survives the horizon"));
    d->ops->cell_end(d);
}

/* A cell of a `kind` column left empty: no figure (a blank number in the
 * workbook, an empty cell elsewhere). */
static void cell_none(cy_r_doc *d, cy_r_cell_kind kind)
{
    cell_kind(d, kind, NAN);
    d->ops->cell_begin(d, INFINITY);
    d->ops->cell_end(d);
}

/* The figures of a time row; a row whose cone was too large says so in
 * its TTS cell and has only its TTR. */
static void time_row(cy_r_doc *d, const cy_wl_time *t, const cy_wl_time_row *row)
{
    if (!row->solved) {
        /* Words, also in the workbook, where a blank TTS means "survives";
         * the columns keep the kinds of a solved row's. */
        cell_kind(d, CY_R_CELL_REAL_WORDS, NAN);
        d->ops->cell_begin(d, INFINITY);
        text(d, _("not solved (cone too large)"));
        d->ops->cell_end(d);
        cell_days(d, row->ttr_days);
        cell_none(d, CY_R_CELL_AMOUNT);
        cell_none(d, CY_R_CELL_PERCENT);
        cell_none(d, CY_R_CELL_TEXT);
        return;
    }
    cell_tts(d, t, row);
    cell_days(d, row->ttr_days);
    cell_amount(d, row->impact);
    cell_percent(d, row->impact_fraction);
    cell_text(d, row->exposed ? _("yes") : _("no"));
}

/*
 * Under the time table: its firms in the order of their losses over the
 * recovery, the first TIME_LEADERS, for the reader who must say which to
 * secure first and has the recovery times (the register above ranks a
 * year-long failure).  Nothing with fewer than two solved rows.
 */
#define TIME_LEADERS 3
static void time_leaders(cy_r_doc *d, const cy_wl_time *t)
{
    size_t rows[TIME_LEADERS], count = 0;
    char amount[32];
    for (size_t at = cy_r_time_next(t, SIZE_MAX); at != SIZE_MAX && count < TIME_LEADERS;
         at = cy_r_time_next(t, at))
        rows[count++] = at;
    if (count < 2)
        return;
    text(d, _("By the final demand lost over the recovery (with stock), the first of these: "));
    for (size_t k = 0; k < count; k++) {
        const cy_wl_time_row *row = &t->rows[rows[k]];
        text(d, k ? _(", ") : "");
        text(d, d->net->enterprises[row->enterprise].id);
        textf(d, _(" (%s over %g days)"), cy_r_amount(d->net, row->impact, amount, sizeof amount),
              row->ttr_days);
    }
    text(d, _("; the register's order is that of a failure that lasts a year."));
    d->ops->paragraph_end(d);
}

/*
 * The time section (cy_weaklinks_time): the stress figures of the first
 * register firms, each failing alone, or why there are none.  Nothing
 * when the section was not computed.
 */
static void write_time(cy_r_doc *d, const cy_weaklinks *r)
{
    const cy_wl_time *t = &r->time;
    char horizon[32], days[32];

    if (t->state == CY_WL_TIME_NOT_RUN)
        return;
    section(d, "time", _("Time to survive and recover"));
    if (t->state == CY_WL_TIME_NO_DATA) {
        textf(d, _("No time figures: %s."), _(CY_REPORT_TIME_NO_DATA));
        d->ops->paragraph_end(d);
        return;
    }
    if (t->state == CY_WL_TIME_REFUSED) {
        text(d, _("No time figures: the stress test cannot run on this file: "));
        text(d, t->reason);
        d->ops->paragraph_end(d);
        return;
    }
    snprintf(horizon, sizeof horizon, "%g", t->horizon_days);
    snprintf(days, sizeof days, "%g", t->default_ttr_days);
    textf(d, _("For each register firm failing alone: TTS (time to survive) is how many "
               "days the rest of the network can still serve all its final demand from "
               "its stock and spare capacity (up to %s days); TTR (time to recover) is the "
               "firm's recovery_days, else %s days; impact is the final demand lost over "
               "the TTR at the best reallocation; exposed means TTS < TTR, the network "
               "runs out before the firm is back. The figures of chengyu stress --fail "
               "FIRM (docs/analyses.md)."), horizon, days);
    d->ops->paragraph_end(d);
    if (!t->count) {
        none(d, _("the register is empty (chengyu stress --each enterprise stresses every "
                  "firm)"));
        return;
    }
    d->ops->table_begin(d, "time",
                        _("r:#|l:firm|r:TTS (days)|r:TTR (days)|r:impact over TTR|r:share|"
                          "l:exposed"));
    for (size_t k = 0; k < t->count; k++) {
        const cy_wl_time_row *row = &t->rows[k];
        cell_count(d, k + 1);
        cell_enterprise(d, row->enterprise);
        time_row(d, t, row);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    time_leaders(d, t);
    if (t->unsolved) {
        textf(d, P_("%zu firm was not solved: its downstream cone has more than %zu firms, "
                    "whose programs take GLPK minutes to hours (--time-max-cone N raises the "
                    "limit, 0 for none; chengyu stress --fail FIRM solves one firm).",
                    "%zu firms were not solved: their downstream cones have more than %zu "
                    "firms, whose programs take GLPK minutes to hours (--time-max-cone N "
                    "raises the limit, 0 for none; chengyu stress --fail FIRM solves one "
                    "firm).", t->unsolved),
              t->unsolved, t->max_cone);
        d->ops->paragraph_end(d);
    }
    if (t->capped) {
        textf(d, _("Only the first %zu of the register's %zu firms (each is one or two "
                   "linear programs; --time-firms N chooses how many)."), t->count,
              t->register_firms);
        d->ops->paragraph_end(d);
    } else {
        shown_note(d, t->count, t->register_firms);
    }
}

static void write_summary(cy_r_doc *d, const cy_weaklinks *r)
{
    static const char *const labels[] = {
        N_("single-source (enterprise, part) pairs"),
        N_("required parts with no supplier (pre-existing gaps)"),
        N_("(demand node, chokepoint) pairs"),
        N_("distinct chokepoint firms"),
        N_("demand nodes with at least one chokepoint"),
        N_("articulation points (that stop another firm)"),
        N_("bridges (whose loss stops a firm)"),
        N_("highly concentrated parts (HHI >= 0.25)"),
        N_("recommendations"),
        N_("recommendations with no backup in the network"),
        N_("recommendations with no independent backup"),
        N_("firms in the risk register"),
        N_("demand nodes with a chokepoint outside the circle"),
        N_("weak links ranked"),
    };
    size_t values[] = {r->single_source_count, r->unsupplied_count,
                       r->chokepoint_pair_count, r->chokepoint_firm_count,
                       r->oems_with_chokepoints, r->weak_articulation_count,
                       r->weak_bridge_count, r->concentrated_part_count,
                       r->recommendation_count, r->no_backup_count,
                       r->no_independent_count, r->register_count,
                       r->outside_count, r->weak_link_count};
    size_t shown = cy_r_limit(r->weak_link_count, d->top);

    section(d, "summary", _("Summary"));
    d->ops->table_begin(d, "summary", _("l:measure|r:count"));
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        cell_text(d, _(labels[i]));
        cell_count(d, values[i]);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    textf(d, _("Severity: %s."), _(CY_REPORT_SEVERITY_FORMULA));
    d->ops->paragraph_end(d);

    heading(d, 3, "weak_links", _("Weak links by impact"));
    if (!shown) {
        none(d, _("no weak link found"));
        return;
    }
    d->ops->table_begin(d, "weak_links",
                        _("r:#|l:type|r:severity|r:final demand lost|r:demand nodes failed|"
                        "r:firms failed|l:enterprise|l:part|l:supplier|l:demand node"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_weak_link *l = &r->weak_links[i];
        const cy_wl_impact *impact = cy_wl_link_impact(r, l);
        cell_count(d, i + 1);
        cell_text(d, cy_r_type_word(l->type));
        cell_rounded(d, cy_wl_link_severity(r, l), cy_wl_link_severity(r, l), 1);
        cells_impact(d, impact->final_demand_lost, impact->demand_nodes_failed,
                     impact->failed_count);
        cell_enterprise(d, cy_wl_id(l->enterprise));
        cell_text(d, cy_r_part(d->net, cy_wl_id(l->part)));
        cell_enterprise(d, l->type == CY_WEAK_SINGLE_SOURCE || l->type == CY_WEAK_BRIDGE
                               ? cy_wl_id(l->supplier) : CY_WL_NONE);
        cell_enterprise(d, cy_wl_id(l->oem));
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->weak_link_count);
}

static void write_single_source(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->single_source_count, d->top);
    section(d, "single_source", _("Single-source pairs"));
    para(d, _("Required (enterprise, part) pairs with exactly one supplier, ranked by the "
            "final demand lost if that supplier fails."));
    if (r->single_part) {
        none(d, _(CY_REPORT_SINGLE_PART));
        return;
    }
    if (!shown) {
        none(d, _("every required part has two or more suppliers, or none"));
        return;
    }
    d->ops->table_begin(d, "single_source",
                        _("l:enterprise|l:part|l:supplier|r:volume|r:final demand lost|"
                        "r:demand nodes failed|r:firms failed"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_single_source *s = &r->single_source[i];
        cell_enterprise(d, s->enterprise);
        cell_text(d, cy_r_part(d->net, s->part));
        cell_enterprise(d, s->supplier);
        cell_amount(d, s->volume);
        cells_impact(d, s->impact.final_demand_lost, s->impact.demand_nodes_failed,
                     s->impact.failed_count);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->single_source_count);
}

typedef struct {
    double final_demand;
    size_t k;
} demand_order;

static int by_final_demand(const void *a, const void *b)
{
    const demand_order *x = a, *y = b;
    if (x->final_demand != y->final_demand)
        return x->final_demand > y->final_demand ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* The rows of the chokepoint table when --top cuts it: the demand nodes
 * with the most final demand first (then the analysis's order, by id), so
 * that the rows kept are the ones that matter; NULL when the table is
 * whole (shown in the analysis's order) or memory is short (then too). */
static demand_order *chokepoint_order(cy_r_doc *d, const cy_weaklinks *r, size_t shown)
{
    demand_order *order;
    if (shown == r->chokepoint_count || !(order = cy_malloc(r->chokepoint_count * sizeof *order)))
        return NULL;
    for (size_t k = 0; k < r->chokepoint_count; k++) {
        order[k].final_demand = cy_enterprise_final_demand(d->net, r->chokepoints[k].oem);
        order[k].k = k;
    }
    qsort(order, r->chokepoint_count, sizeof *order, by_final_demand);
    return order;
}

static void write_structure(cy_r_doc *d, const cy_weaklinks *r)
{
    const cy_network *net = d->net;
    char threshold[32];
    size_t shown = cy_r_limit(r->chokepoint_count, d->top);
    demand_order *order = chokepoint_order(d, r, shown);
    cy_i_real_spell(threshold, r->threshold);
    section(d, "chokepoints", _("Chokepoints"));
    textf(d, _("Per demand node, the firms whose failure alone stops it under the cascade "
             "rule (threshold %s)."), threshold);
    d->ops->paragraph_end(d);
    if (!r->chokepoint_count) {
        none(d, _("the network has no demand node"));
    } else {
        if (order)
            para(d, _("The demand nodes with the most final demand first."));
        d->ops->table_begin(d, "chokepoints", _("l:demand node|r:count|l:chokepoints"));
        for (size_t i = 0; i < shown; i++) {
            const cy_chokepoint *c = &r->chokepoints[order ? order[i].k : i];
            cell_enterprise(d, c->oem);
            cell_count(d, c->count);
            d->ops->cell_begin(d, NAN);
            if (!c->count)
                text(d, _("none"));
            for (size_t k = 0; k < c->count; k++) {
                if (k)
                    text(d, ", ");
                text(d, net->enterprises[c->enterprises[k]].id);
            }
            d->ops->cell_end(d);
            d->ops->row_end(d);
        }
        d->ops->table_end(d);
        shown_note(d, shown, r->chokepoint_count);
    }
    cy_free(order);

    section(d, "articulation_points", _("Articulation points"));
    para(d, _("Firms whose removal disconnects the undirected firm graph (all of them; only "
            "those whose failure stops another firm are weak links)."));
    if (!r->articulation_point_count)
        none(d, _("no articulation point"));
    for (size_t i = 0; i < r->articulation_point_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[r->articulation_points[i]];
        d->ops->item_begin(d);
        text(d, e->id);
        if (strcmp(e->name, e->id) != 0) {
            text(d, " (");
            text(d, e->name);
            text(d, ")");
        }
        d->ops->item_end(d);
    }
    if (r->articulation_point_count)
        d->ops->paragraph_end(d);

    section(d, "bridges", _("Bridges"));
    para(d, _("Supplier-customer connections whose removal disconnects the undirected firm "
            "graph (all of them; only those whose loss stops a firm are weak links)."));
    if (!r->bridge_count) {
        none(d, _("no bridge"));
        return;
    }
    d->ops->table_begin(d, "bridges", _("l:from|l:to"));
    for (size_t i = 0; i < r->bridge_count; i++) {
        cell_enterprise(d, r->bridges[i].from);
        cell_enterprise(d, r->bridges[i].to);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

/* The columns of the impact tables; the gross output value lost last. */
#define IMPACT_COLUMNS N_( \
    "r:final demand lost|r:share of final demand|r:demand nodes failed|" \
    "r:firms failed|r:output value lost (gross)")

static void write_impacts(cy_r_doc *d, const char *key, const char *title,
                          const char *columns, const cy_impact *rows,
                          size_t count, int group, cy_group_kind kind,
                          double total)
{
    size_t shown = cy_r_limit(count, d->top);
    char spec[512];
    section(d, key, title);
    if (!shown) {
        none(d, group ? _("the network declares none") : _("the network is empty"));
        return;
    }
    snprintf(spec, sizeof spec, "%s|%s", columns, _(IMPACT_COLUMNS));
    d->ops->table_begin(d, key, spec);
    for (size_t i = 0; i < shown; i++) {
        cell_count(d, i + 1);
        if (group)
            cell_text(d, cy_r_group(d->net, kind, rows[i].index));
        else
            cell_enterprise(d, rows[i].index);
        cell_amount(d, rows[i].final_demand_lost);
        cell_percent(d, cy_r_ratio(rows[i].final_demand_lost, total));
        cell_count(d, rows[i].demand_nodes_failed);
        cell_count(d, rows[i].failed_count);
        cell_amount(d, rows[i].output_value_lost);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, count);
}

static void write_concentration(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->concentration_count, d->top);
    section(d, "concentration", _("Concentration"));
    para(d, _("Per part: HHI = sum of the squared volume shares of its suppliers (0..1; "
            "1 = one supplier; 0.25 or more = highly concentrated), and the largest "
            "share of its supply in one supplier, one park and one region."));
    if (r->single_part) {
        none(d, _(CY_REPORT_SINGLE_PART));
        return;
    }
    if (!shown) {
        none(d, _("no part is supplied on a link"));
        return;
    }
    d->ops->table_begin(d, "concentration",
                        _("l:part|r:suppliers|r:HHI|r:volume|l:largest supplier|"
                        "l:largest park|l:largest region"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_concentration *c = &r->concentration[i];
        cell_text(d, cy_r_part(d->net, c->part));
        cell_count(d, c->supplier_count);
        /* Cut, not rounded: 0.2497 must not read 0.250 beside "0.25 or
         * more = highly concentrated" (the epsilon keeps 0.7 at 0.700). */
        cell_rounded(d, c->hhi, floor(c->hhi * 1000.0 + 1e-9) / 1000.0, 3);
        cell_amount(d, c->volume);
        cell_with_share(d, cy_r_enterprise(d->net, c->top_supplier), c->top_supplier_share);
        cell_with_share(d, cy_r_group(d->net, CY_GROUP_PARK, c->top_park), c->top_park_share);
        cell_with_share(d, cy_r_group(d->net, CY_GROUP_REGION, c->top_region), c->top_region_share);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->concentration_count);
}

static void write_local_rows(cy_r_doc *d, const char *key, const cy_wl_local_supply *rows,
                             size_t count, int clusters, const cy_weaklinks *r)
{
    const double *multi_tier = r->multi_tier_share;
    const unsigned char *cut = r->outside_cut;
    d->ops->table_begin(d, key, clusters
        ? _("l:cluster|l:region|r:links|r:inbound volume|r:from the circle|r:from own region|r:from firms with no region")
        : _("l:OEM|l:region|r:links|r:inbound volume|r:from the circle|r:from own region|r:from firms with no region|r:from the circle, every tier|l:survives the outside cut"));
    for (size_t i = 0; i < count; i++) {
        const cy_wl_local_supply *s = &rows[i];
        if (clusters)
            cell_text(d, cy_r_group(d->net, CY_GROUP_CLUSTER, s->subject));
        else
            cell_enterprise(d, s->subject);
        cell_text(d, cy_r_group(d->net, CY_GROUP_REGION, s->region));
        cell_count(d, s->link_count);
        cell_amount(d, s->inbound_volume);
        cell_percent(d, cy_r_ratio(s->circle_volume, s->inbound_volume));
        cell_percent(d, s->region == CY_WL_NONE ? NAN
                                                : cy_r_ratio(s->own_region_volume, s->inbound_volume));
        cell_percent(d, cy_r_ratio(s->unknown_volume, s->inbound_volume));
        if (!clusters) {
            cell_percent(d, multi_tier[s->subject]);
            cell_text(d, cut[s->subject] ? _("no") : _("yes"));
        }
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

static void write_local_supply(cy_r_doc *d, const cy_weaklinks *r)
{
    const cy_network *net = d->net;
    size_t circle = 0;
    section(d, "local_supply", _("Local supply"));
    textf(d, _("The local supporting rate: the share of inbound supply volume from suppliers "
             "inside the Chengdu-Chongqing circle and from the subject's own region "
             "(n/a when there is no inbound volume). Circle rule: %s."), _(CY_REPORT_CIRCLE_RULE));
    d->ops->paragraph_end(d);
    text(d, _("Circle regions: "));
    for (size_t g = 0; g < net->group_count[CY_GROUP_REGION]; g++)
        if (r->region_inside[g]) {
            if (circle++)
                text(d, ", ");
            text(d, net->groups[CY_GROUP_REGION][g].id);
        }
    text(d, circle ? "." : _("none."));
    d->ops->paragraph_end(d);
    textf(d, _("If every firm outside the circle failed at once (the outside cut), %zu firms "
             "would fail and %s of final demand would be lost (%s)."),
          r->outside_cut_count,
          cy_r_amount(d->net, r->outside_cut_final_demand_lost, d->scratch, sizeof d->scratch),
          cy_r_percent(cy_r_ratio(r->outside_cut_final_demand_lost, r->final_demand_total),
                       d->scratch + 32, sizeof d->scratch - 32));
    d->ops->paragraph_end(d);
    heading(d, 3, "local_supply_oems", _("OEMs"));
    if (r->local_oem_count)
        write_local_rows(d, "local_supply_oems", r->local_oem, r->local_oem_count, 0, r);
    else
        none(d, _("the network has no OEM"));
    heading(d, 3, "local_supply_clusters", _("Clusters"));
    if (r->local_cluster_count)
        write_local_rows(d, "local_supply_clusters", r->local_cluster, r->local_cluster_count, 1, r);
    else
        none(d, _("the network declares no cluster"));
}

static void write_outside(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->outside_count, d->top);
    section(d, "outside_chokepoints", _("Chokepoints outside the circle"));
    para(d, _("Per demand node, the firms in regions outside the circle whose single failure "
            "stops it, at any depth of the chain; the multi-tier share is the part of its "
            "inputs that is local at every tier."));
    if (!shown) {
        none(d, _("no demand node can be stopped by one firm outside the circle"));
        return;
    }
    d->ops->table_begin(d, "outside_chokepoints",
                        _("l:demand node|r:final demand|r:from the circle, every tier|"
                        "l:outside chokepoints (final demand their failure stops)"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_outside *o = &r->outside[i];
        cell_enterprise(d, o->node);
        cell_amount(d, o->final_demand);
        cell_percent(d, o->multi_tier_share);
        d->ops->cell_begin(d, NAN);
        for (size_t k = 0; k < o->chokepoint_count; k++) {
            text(d, k ? ", " : "");
            text(d, d->net->enterprises[o->chokepoints[k].firm].id);
            textf(d, " (%s)", cy_r_amount(d->net, o->chokepoints[k].impact.final_demand_lost,
                                                 d->scratch, sizeof d->scratch));
        }
        d->ops->cell_end(d);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->outside_count);
}

static void write_region_dependence(cy_r_doc *d, const cy_weaklinks *r)
{
    const cy_network *net = d->net;
    size_t regions = net->group_count[CY_GROUP_REGION], rows = 0;
    section(d, "region_dependence", _("Region dependence"));
    para(d, _("Final demand lost in each region when every firm of one region fails at "
            "once (pairs with a loss only; a loss outside the failing region is a "
            "dependence on it)."));
    for (size_t a = 0; a < regions; a++)
        for (size_t b = 0; b < regions; b++) {
            size_t ga = r->region_order[a], gb = r->region_order[b];
            double lost = r->region_dependence[ga * regions + gb];
            if (!(lost > 0.0))
                continue;
            if (!rows++)
                d->ops->table_begin(d, "region_dependence",
                                    _("l:failing region|l:region losing demand|"
                                    "r:final demand lost|r:share of its final demand"));
            cell_text(d, net->groups[CY_GROUP_REGION][ga].id);
            cell_text(d, net->groups[CY_GROUP_REGION][gb].id);
            cell_amount(d, lost);
            cell_percent(d, cy_r_ratio(lost, r->region_final_demand[gb]));
            d->ops->row_end(d);
        }
    if (rows)
        d->ops->table_end(d);
    else
        none(d, regions ? _("no region's failure stops final demand") : _("the network declares no region"));
}

static void flow_row(cy_r_doc *d, const char *label, double volume, size_t links)
{
    cell_text(d, label);
    cell_amount(d, volume);
    cell_count(d, links);
    d->ops->row_end(d);
}

static void write_cross_region(cy_r_doc *d, const cy_weaklinks *r)
{
    const double (*v)[CY_CIRCLE_ZONE_COUNT] = r->cross_volume;
    const size_t (*l)[CY_CIRCLE_ZONE_COUNT] = r->cross_links;
    enum { CQ = CY_CIRCLE_CHONGQING, CD = CY_CIRCLE_CHENGDU, SC = CY_CIRCLE_SICHUAN };
    size_t shown = cy_r_limit(r->region_flow_count, d->top);

    section(d, "cross_region", _("Cross-region flows"));
    d->ops->table_begin(d, "cross_region", _("l:flow|r:volume|r:links"));
    flow_row(d, _("Chengdu -> Chongqing"), v[CD][CQ], l[CD][CQ]);
    flow_row(d, _("Chongqing -> Chengdu"), v[CQ][CD], l[CQ][CD]);
    flow_row(d, _("Sichuan side of the circle -> Chongqing"), v[CD][CQ] + v[SC][CQ], l[CD][CQ] + l[SC][CQ]);
    flow_row(d, _("Chongqing -> Sichuan side of the circle"), v[CQ][CD] + v[CQ][SC], l[CQ][CD] + l[CQ][SC]);
    d->ops->table_end(d);
    heading(d, 3, "region_flows", _("Region pairs by volume"));
    if (!shown) {
        none(d, _("no link joins two different regions"));
        return;
    }
    d->ops->table_begin(d, "region_flows", _("l:from|l:to|r:volume|r:links"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_region_flow *f = &r->region_flows[i];
        cell_text(d, cy_r_group(d->net, CY_GROUP_REGION, f->from_region));
        cell_text(d, cy_r_group(d->net, CY_GROUP_REGION, f->to_region));
        cell_amount(d, f->volume);
        cell_count(d, f->link_count);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->region_flow_count);
}

/* The backups of a recommendation, each with why it is not independent,
 * then the note. */
static void cell_backups(cy_r_doc *d, const cy_wl_recommendation *rec, double threshold)
{
    const char *note = cy_r_backup_note(rec);
    note = note ? _(note) : NULL;
    d->ops->cell_begin(d, NAN);
    for (size_t k = 0; k < rec->backup_shown; k++) {
        const cy_wl_candidate *b = &rec->backups[k];
        cy_r_shared shared;
        text(d, k ? ", " : "");
        text(d, d->net->enterprises[b->firm].id);
        if (b->independent) {
            independent_note(d, rec, b);
            continue;
        }
        text(d, b->survives ? _(" (common cause: ") : _(" (fails with it"));
        for (size_t c = 0; b->survives && c < b->common_cause_shown; c++) {
            text(d, c ? ", " : "");
            text(d, d->net->enterprises[b->common_cause[c]].id);
        }
        if (b->survives && b->common_cause_count > b->common_cause_shown)
            textf(d, _(" and %zu more"), b->common_cause_count - b->common_cause_shown);
        if (cy_r_same_park(d->net, rec, b) >= 0) {
            text(d, _("; in the supplier's park "));
            text(d, d->net->groups[CY_GROUP_PARK][cy_r_same_park(d->net, rec, b)].id);
        }
        if (shared_of(d, rec, b, &shared))
            shared_note(d, &shared, _("; "));
        text(d, _(")"));
    }
    if (note && !current_sources_note(d, rec, threshold, "")) {
        text(d, rec->backup_shown ? "; " : "");
        text(d, note);
    }
    d->ops->cell_end(d);
}

static void write_recommendations(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->recommendation_count, d->top);
    section(d, "recommendations", _("Recommendations"));
    textf(d, _("Existing producers of the same part that could serve as a second source "
             "(never the current supplier, the customer or a firm that already supplies "
             "it the part): independent ones first (they survive the supplier's failure "
             "and no single firm stops both), then in the supplier's region, then by id; "
             "at most %d are listed. A backup marked \"fails with it\" falls in the same "
             "disruption; \"common cause\" names firms whose failure stops both."),
          CY_WL_MAX_BACKUPS);
    text(d, _(" \"Shares N of its M suppliers with the supplier\" names the firms the backup "
              "buys from that also supply the current supplier: failures among them can stop "
              "both together even where no single one does."));
    d->ops->paragraph_end(d);
    if (r->single_part) {
        none(d, _(CY_REPORT_SINGLE_PART));
        return;
    }
    if (!shown) {
        none(d, _("no single-source pair or chokepoint"));
        return;
    }
    d->ops->table_begin(d, "recommendations",
                        _("r:#|l:weak link|l:part|l:current supplier|r:final demand lost|"
                        "l:second sources|r:producers"));
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_recommendation *rec = &r->recommendations[i];
        cell_count(d, i + 1);
        d->ops->cell_begin(d, NAN);
        text(d, rec->type == CY_WEAK_SINGLE_SOURCE ? _("single source of ") : _("chokepoint "));
        text(d, d->net->enterprises[rec->enterprise].id);
        d->ops->cell_end(d);
        cell_text(d, cy_r_part(d->net, rec->part));
        cell_enterprise(d, rec->supplier);
        cell_amount(d, rec->impact.final_demand_lost);
        cell_backups(d, rec, r->threshold);
        cell_count(d, rec->backup_count);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->recommendation_count);
}

void cy_r_write_sections(cy_r_doc *d, const cy_weaklinks *r)
{
    int made = shared_begin(d);
    write_register(d, r);
    write_time(d, r);
    write_summary(d, r);
    write_single_source(d, r);
    write_structure(d, r);
    write_impacts(d, "cascade_impact", _("Single-failure impact"),
                  _("r:#|l:enterprise"),
                  r->cascade_impact, r->cascade_impact_count, 0, CY_GROUP_REGION,
                  r->final_demand_total);
    write_impacts(d, "park_impact", _("Park failure impact"),
                  _("r:#|l:park"),
                  r->park_impact, r->park_impact_count, 1, CY_GROUP_PARK, r->final_demand_total);
    write_impacts(d, "region_impact", _("Region failure impact"),
                  _("r:#|l:region"),
                  r->region_impact, r->region_impact_count, 1, CY_GROUP_REGION,
                  r->final_demand_total);
    write_concentration(d, r);
    write_local_supply(d, r);
    write_outside(d, r);
    write_region_dependence(d, r);
    write_cross_region(d, r);
    write_recommendations(d, r);
    shared_done(d, made);
}
