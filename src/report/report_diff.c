/*
 * report_diff.c - the comparison of two versions of a network (cy_diff)
 * as Markdown and HTML (one section code, the two back ends of
 * report_md.c and report_html.c), JSON and CSV.
 *
 * Every id, name and text value comes from one of the two files and goes
 * through the destination's escaper; amounts of money (output_value,
 * final_demand, capacity, volume, final demand lost) are written for
 * people with cy_r_amount and as plain numbers in JSON and CSV.
 */
#include "report_internal.h"

#include <math.h>
#include <string.h>

/* The two networks and the diff, for every writer. */
typedef struct {
    const cy_network *old_net, *new_net;
    const cy_diff *diff;
} diff_view;

/* The network and index a record is read from: the new version when it
 * has the record, else the old. */
static const cy_network *record_net(const diff_view *v, const cy_diff_record *r, size_t *i)
{
    if (r->new_index != CY_DIFF_NONE) {
        *i = r->new_index;
        return v->new_net;
    }
    *i = r->old_index;
    return v->old_net;
}

/* The id of a record (a link's supplier); for a link also its customer and
 * part. */
static const char *record_id(const diff_view *v, const cy_diff_record *r, const char **to,
                             const char **part)
{
    size_t i;
    const cy_network *net = record_net(v, r, &i);
    *to = *part = NULL;
    switch (r->kind) {
    case CY_DIFF_LINK:
        *to = net->enterprises[net->links[i].to].id;
        *part = net->parts.strings[net->links[i].part];
        return net->enterprises[net->links[i].from].id;
    case CY_DIFF_PART: return net->parts.strings[i];
    case CY_DIFF_ENTERPRISE:
    case CY_DIFF_REGISTER: return net->enterprises[i].id;
    default: return net->groups[r->kind][i].id;
    }
}

static const char *record_name(const diff_view *v, const cy_diff_record *r)
{
    size_t i;
    const cy_network *net = record_net(v, r, &i);
    return net->enterprises[i].name;
}

/* The name a reader of the language knows the firm by: in Chinese its
 * Chinese name when it has one. */
static const char *record_name_shown(const diff_view *v, const cy_diff_record *r)
{
    size_t i;
    const cy_network *net = record_net(v, r, &i);
    if (cy_language_get() == CY_LANG_ZH && net->enterprises[i].name_zh)
        return net->enterprises[i].name_zh;
    return net->enterprises[i].name;
}

/* Whether a field is an amount of money (yuan). */
static int is_money(const char *field)
{
    return strcmp(field, "output_value") == 0 || strcmp(field, "final_demand") == 0 ||
           strcmp(field, "capacity") == 0 || strcmp(field, "volume") == 0;
}

/* The sections of the JSON and CSV, in their order. */
static const cy_diff_kind section_order[] = {CY_DIFF_REGISTER, CY_DIFF_ENTERPRISE,
                                            CY_DIFF_LINK, CY_DIFF_PART, CY_DIFF_PARK,
                                            CY_DIFF_CLUSTER, CY_DIFF_REGION};
#define SECTION_COUNT (sizeof section_order / sizeof section_order[0])

/* ---- Markdown and HTML ----------------------------------------------------- */

static void doc_text(cy_r_doc *d, const char *s)
{
    d->ops->text(d, s);
}

static void text_cell(cy_r_doc *d, const char *s)
{
    d->ops->cell_begin(d, NAN);
    if (s)
        doc_text(d, s);
    d->ops->cell_end(d);
}

static void amount_cell(cy_r_doc *d, double yuan, int signed_change)
{
    char amount[40];
    d->ops->cell_begin(d, yuan);
    amount[0] = '+';
    cy_r_amount(d->net, yuan, amount + (signed_change && yuan > 0), sizeof amount - 1);
    doc_text(d, amount);
    d->ops->cell_end(d);
}

static void count_cell(cy_r_doc *d, size_t count)
{
    snprintf(d->scratch, sizeof d->scratch, "%zu", count);
    d->ops->cell_begin(d, (double)count);
    doc_text(d, d->scratch);
    d->ops->cell_end(d);
}

/* A field value for people: "—" when absent, money as an amount. */
static void value_cell(cy_r_doc *d, const char *field, const cy_diff_value *value)
{
    char text[40];
    d->ops->cell_begin(d, NAN);
    switch (value->type) {
    case CY_DV_ABSENT: doc_text(d, "\xE2\x80\x94"); break;
    case CY_DV_BOOL: doc_text(d, value->number ? "true" : "false"); break;
    case CY_DV_TEXT: doc_text(d, value->text); break;
    case CY_DV_NUMBER:
        if (is_money(field))
            cy_r_amount(d->net, value->number, text, sizeof text);
        else
            cy_i_real_spell(text, value->number);
        doc_text(d, text);
        break;
    }
    d->ops->cell_end(d);
}

static void summary_table(cy_r_doc *d, const cy_diff *diff)
{
    d->ops->heading(d, 2, "summary", _("Summary"));
    d->ops->table_begin(d, "summary",
                        _("l:records|r:added (new)|r:removed (resolved)|r:changed"));
    for (int kind = 0; kind < CY_DIFF_KIND_COUNT; kind++) {
        text_cell(d, _(cy_diff_kind_name((cy_diff_kind)kind)));
        for (int change = 0; change < 3; change++)
            count_cell(d, diff->count[kind][change]);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

static void register_table(cy_r_doc *d, const diff_view *v)
{
    const cy_diff *diff = v->diff;
    size_t shown = 0;

    d->ops->heading(d, 2, "register", _("Weak links: the risk register"));
    doc_text(d, _("Firms whose row in the risk register is new, resolved, or whose failure "
                  "stops a different final demand or number of firms, largest change first."));
    d->ops->paragraph_end(d);
    for (size_t k = 0; k < diff->record_count; k++) {
        const cy_diff_record *r = &diff->records[k];
        const char *to, *part;
        if (r->kind != CY_DIFF_REGISTER)
            continue;
        if (!shown++)
            d->ops->table_begin(d, "register",
                                _("l:change|l:id|l:name|r:final demand lost before|"
                                  "r:after|r:change|r:failed before|r:after"));
        text_cell(d, _(cy_diff_change_name(r->kind, r->change)));
        text_cell(d, record_id(v, r, &to, &part));
        text_cell(d, record_name_shown(v, r));
        amount_cell(d, r->old_final_demand_lost, 0);
        amount_cell(d, r->new_final_demand_lost, 0);
        amount_cell(d, r->delta_final_demand, 1);
        count_cell(d, r->old_failed_count);
        count_cell(d, r->new_failed_count);
        d->ops->row_end(d);
    }
    if (shown) {
        d->ops->table_end(d);
    } else {
        doc_text(d, _("No change in the risk register."));
        d->ops->paragraph_end(d);
    }
}

/* The rows of one record: one per changed field, or one for an added or
 * removed record. */
static void record_rows(cy_r_doc *d, const diff_view *v, const cy_diff_record *r)
{
    const char *to, *part, *id = record_id(v, r, &to, &part);
    size_t count = r->change == CY_DIFF_CHANGED ? r->field_count : 1;

    for (size_t f = 0; f < count; f++) {
        text_cell(d, _(cy_diff_change_name(r->kind, r->change)));
        text_cell(d, id);
        if (r->kind == CY_DIFF_LINK) {
            text_cell(d, to);
            text_cell(d, part);
        }
        if (r->change == CY_DIFF_CHANGED) {
            const cy_diff_field *field = &v->diff->fields[r->field_first + f];
            text_cell(d, field->name);
            value_cell(d, field->name, &field->old_value);
            value_cell(d, field->name, &field->new_value);
        } else {
            text_cell(d, NULL);
            text_cell(d, NULL);
            text_cell(d, NULL);
        }
        d->ops->row_end(d);
    }
}

static void records_table(cy_r_doc *d, const diff_view *v, cy_diff_kind kind)
{
    static const char *const titles[] = {N_("Regions"), N_("Clusters"), N_("Parks"),
                                         N_("Enterprises"), N_("Parts"), N_("Links")};
    size_t shown = 0;

    d->ops->heading(d, 2, cy_diff_kind_name(kind), _(titles[kind]));
    for (size_t k = 0; k < v->diff->record_count; k++) {
        const cy_diff_record *r = &v->diff->records[k];
        if (r->kind != kind)
            continue;
        if (!shown++)
            d->ops->table_begin(d, cy_diff_kind_name(kind),
                                kind == CY_DIFF_LINK
                                    ? _("l:change|l:from|l:to|l:part|l:field|l:before|l:after")
                                    : _("l:change|l:id|l:field|l:before|l:after"));
        record_rows(d, v, r);
    }
    if (shown) {
        d->ops->table_end(d);
    } else {
        doc_text(d, _("No change."));
        d->ops->paragraph_end(d);
    }
}

/* The introduction: what was compared and the totals. */
static void intro(cy_r_doc *d, const diff_view *v)
{
    char a[40], b[40], t[32];
    size_t total = 0;
    for (size_t k = 0; k < v->diff->record_count; k++)
        total += v->diff->records[k].kind != CY_DIFF_REGISTER;
    snprintf(d->scratch, sizeof d->scratch, "%zu", total);
    doc_text(d, d->scratch);
    /* In pieces, so that the names from the files go through the escaper
     * alone; each piece is translated in the order the sentence reads. */
    doc_text(d, _(" record differences from "));
    doc_text(d, v->old_net->name);
    doc_text(d, _(" (before) to "));
    doc_text(d, v->new_net->name);
    doc_text(d, _(" (after); records are matched by id, links by (from, to, part).  Total final "
                  "demand "));
    doc_text(d, cy_r_amount(v->old_net, v->diff->old_final_demand_total, a, sizeof a));
    doc_text(d, _(" before, "));
    doc_text(d, cy_r_amount(v->new_net, v->diff->new_final_demand_total, b, sizeof b));
    doc_text(d, _(" after; the weak links are computed at cascade threshold "));
    cy_i_real_spell(t, v->diff->threshold);
    doc_text(d, t);
    doc_text(d, _("."));
    d->ops->paragraph_end(d);
}

static void write_sections(cy_r_doc *d, const diff_view *v)
{
    static const cy_diff_kind order[] = {CY_DIFF_ENTERPRISE, CY_DIFF_LINK, CY_DIFF_PART,
                                         CY_DIFF_PARK, CY_DIFF_CLUSTER, CY_DIFF_REGION};
    summary_table(d, v->diff);
    register_table(d, v);
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        records_table(d, v, order[k]);
}

static cy_status write_md(FILE *out, const diff_view *v, cy_error *err)
{
    cy_r_doc doc;
    cy_r_md_doc(&doc, out, v->new_net, 0);
    fputs("# ", out);
    fputs(_("Changes: "), out);
    doc_text(&doc, v->new_net->name);
    fputs("\n\n", out);
    intro(&doc, v);
    write_sections(&doc, v);
    return cy_r_stream_status(out, "comparison", err);
}

static cy_status write_html(FILE *out, const diff_view *v, cy_error *err)
{
    cy_r_doc doc;
    cy_r_html_page_begin(&doc, out, v->new_net, 0, _("Changes: "), v->new_net->name);
    intro(&doc, v);
    fputs("</p></header>\n<p>", out);
    write_sections(&doc, v);
    cy_r_html_page_end(&doc);
    return cy_r_stream_status(out, "comparison", err);
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_value(cy_r_json *w, const char *key, const cy_diff_value *value)
{
    cy_r_json_key(w, key);
    switch (value->type) {
    case CY_DV_ABSENT: cy_r_json_null(w); break;
    case CY_DV_BOOL: cy_r_json_bool(w, value->number != 0); break;
    case CY_DV_TEXT: cy_r_json_string(w, value->text); break;
    case CY_DV_NUMBER: cy_r_json_real(w, value->number); break;
    }
}

static void json_record(cy_r_json *w, const diff_view *v, const cy_diff_record *r)
{
    const char *to, *part, *id = record_id(v, r, &to, &part);

    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_string(w, "change", cy_diff_change_name(r->kind, r->change));
    cy_r_json_member_string(w, r->kind == CY_DIFF_LINK ? "from" : "id", id);
    if (r->kind == CY_DIFF_LINK) {
        cy_r_json_member_string(w, "to", to);
        cy_r_json_member_string(w, "part", part);
    }
    if (r->kind == CY_DIFF_REGISTER) {
        cy_r_json_member_string(w, "name", record_name(v, r));
        cy_r_json_member_real(w, "old_final_demand_lost", r->old_final_demand_lost);
        cy_r_json_member_real(w, "new_final_demand_lost", r->new_final_demand_lost);
        cy_r_json_member_real(w, "final_demand_lost_change", r->delta_final_demand);
        cy_r_json_member_count(w, "old_failed_count", r->old_failed_count);
        cy_r_json_member_count(w, "new_failed_count", r->new_failed_count);
    } else if (r->change == CY_DIFF_CHANGED) {
        cy_r_json_key(w, "fields");
        cy_r_json_array_begin(w, CY_R_JSON_LINES);
        for (size_t f = 0; f < r->field_count; f++) {
            const cy_diff_field *field = &v->diff->fields[r->field_first + f];
            cy_r_json_object_begin(w, CY_R_JSON_INLINE);
            cy_r_json_member_string(w, "field", field->name);
            json_value(w, "old", &field->old_value);
            json_value(w, "new", &field->new_value);
            cy_r_json_object_end(w);
        }
        cy_r_json_array_end(w);
    }
    cy_r_json_object_end(w);
}

static void json_network(cy_r_json *w, const char *key, const cy_network *net, double total)
{
    cy_r_json_key(w, key);
    cy_r_json_object_begin(w, CY_R_JSON_INLINE);
    cy_r_json_member_string(w, "name", net->name);
    cy_r_json_member_count(w, "enterprises", net->enterprise_count);
    cy_r_json_member_count(w, "links", net->link_count);
    cy_r_json_member_real(w, "final_demand_total", total);
    cy_r_json_object_end(w);
}

static void json_summary(cy_r_json *w, const cy_diff *diff)
{
    cy_r_json_key(w, "summary");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    for (int kind = 0; kind < CY_DIFF_KIND_COUNT; kind++) {
        cy_r_json_key(w, cy_diff_kind_name((cy_diff_kind)kind));
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        for (int change = 0; change < 3; change++)
            cy_r_json_member_count(w, cy_diff_change_name((cy_diff_kind)kind,
                                                          (cy_diff_change)change),
                                   diff->count[kind][change]);
        cy_r_json_object_end(w);
    }
    cy_r_json_object_end(w);
}

/* {"old", "new", "threshold", "summary", "register", "enterprises",
 *  "links", "parts", "parks", "clusters", "regions"} */
static cy_status write_json(FILE *out, const diff_view *v, cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "comparison", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    json_network(w, "old", v->old_net, v->diff->old_final_demand_total);
    json_network(w, "new", v->new_net, v->diff->new_final_demand_total);
    cy_r_json_member_real(w, "threshold", v->diff->threshold);
    json_summary(w, v->diff);
    for (size_t k = 0; k < SECTION_COUNT; k++) {
        cy_r_json_key(w, cy_diff_kind_name(section_order[k]));
        cy_r_json_array_begin(w, CY_R_JSON_LINES);
        for (size_t q = 0; q < v->diff->record_count; q++)
            if (v->diff->records[q].kind == section_order[k])
                json_record(w, v, &v->diff->records[q]);
        cy_r_json_array_end(w);
    }
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "comparison", err);
}

/* ---- CSV ------------------------------------------------------------------- */

static void csv_value(cy_r_csv *csv, const cy_diff_value *value)
{
    switch (value->type) {
    case CY_DV_ABSENT: cy_r_csv_empty(csv); break;
    case CY_DV_BOOL: cy_r_csv_text(csv, value->number ? "true" : "false"); break;
    case CY_DV_TEXT: cy_r_csv_text(csv, value->text); break;
    case CY_DV_NUMBER: cy_r_csv_real(csv, value->number); break;
    }
}

/* The first cells of a row of record r: section, change, id, to, part,
 * field. */
static void csv_lead(cy_r_csv *csv, const diff_view *v, const cy_diff_record *r,
                     const char *field)
{
    const char *to, *part, *id = record_id(v, r, &to, &part);
    cy_r_csv_text(csv, cy_diff_kind_name(r->kind));
    cy_r_csv_text(csv, cy_diff_change_name(r->kind, r->change));
    cy_r_csv_text(csv, id);
    cy_r_csv_text(csv, to);
    cy_r_csv_text(csv, part);
    cy_r_csv_text(csv, field);
}

/* One row per changed field, one per added or removed record, two per
 * register row (final_demand_lost and failed_count, before and after). */
static void csv_record(cy_r_csv *csv, const diff_view *v, const cy_diff_record *r)
{
    if (r->kind == CY_DIFF_REGISTER) {
        csv_lead(csv, v, r, "final_demand_lost");
        cy_r_csv_real(csv, r->old_final_demand_lost);
        cy_r_csv_real(csv, r->new_final_demand_lost);
        cy_r_csv_row_end(csv);
        csv_lead(csv, v, r, "failed_count");
        cy_r_csv_count(csv, r->old_failed_count);
        cy_r_csv_count(csv, r->new_failed_count);
        cy_r_csv_row_end(csv);
        return;
    }
    if (r->change != CY_DIFF_CHANGED) {
        csv_lead(csv, v, r, NULL);
        cy_r_csv_empty(csv);
        cy_r_csv_empty(csv);
        cy_r_csv_row_end(csv);
        return;
    }
    for (size_t f = 0; f < r->field_count; f++) {
        const cy_diff_field *field = &v->diff->fields[r->field_first + f];
        csv_lead(csv, v, r, field->name);
        csv_value(csv, &field->old_value);
        csv_value(csv, &field->new_value);
        cy_r_csv_row_end(csv);
    }
}

static cy_status write_csv(FILE *out, const diff_view *v, int raw, cy_error *err)
{
    cy_r_csv csv;
    cy_r_csv_init(&csv, out, raw);
    cy_r_csv_header(&csv, "section,change,id,to,part,field,old,new");
    for (size_t k = 0; k < SECTION_COUNT; k++)
        for (size_t q = 0; q < v->diff->record_count; q++)
            if (v->diff->records[q].kind == section_order[k])
                csv_record(&csv, v, &v->diff->records[q]);
    return cy_r_stream_status(out, "comparison", err);
}

cy_status cy_diff_write(const cy_network *old_net, const cy_network *new_net,
                        const cy_diff *diff, const cy_write_options *given, FILE *out,
                        cy_error *err)
{
    diff_view v = {old_net, new_net, diff};
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_MD) |
                                               CY_R_FORMAT(CY_FORMAT_HTML) |
                                               CY_R_FORMAT(CY_FORMAT_JSON) |
                                               CY_R_FORMAT(CY_FORMAT_CSV),
                                    "comparison", &options, err);
    if (status != CY_OK)
        return status;
    switch (options.format) {
    case CY_FORMAT_JSON: return write_json(out, &v, err);
    case CY_FORMAT_HTML: return write_html(out, &v, err);
    case CY_FORMAT_CSV: return write_csv(out, &v, options.csv_raw, err);
    default: return write_md(out, &v, err);
    }
}
