/*
 * report_json.c - the weak-link report as JSON.
 *
 * The top-level keys are exactly the section names of issue 6, in a fixed
 * order.  The document is streamed as text straight into one 64 KiB
 * buffer, one list element per line: no Jansson value is built, so a
 * national-scale report costs no allocation beyond the writer itself.
 * Each row is the text Jansson's json_dump would give for it (separators
 * ", " and ": ", keys in the order written, strings escaped the same way),
 * except that reals are spelled with the fewest significant digits (15,
 * 16 or 17) that read back as the same double.  Numbers that are
 * undefined (a share of zero volume) are null.
 */
#include "report_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Output is gathered in a buffer and written in large blocks: a national
 * report has tens of millions of tokens, and one locked stdio call per
 * token would cost more than formatting them.
 */
#define JSON_BUFFER 65536

typedef struct {
    FILE *out;
    const cy_network *net;
    int io_failed;
    size_t items;   /* elements written in the current list */
    size_t used;
    char buffer[JSON_BUFFER];
} json_writer;

static void flush(json_writer *w)
{
    if (w->used && fwrite(w->buffer, 1, w->used, w->out) != w->used)
        w->io_failed = 1;
    w->used = 0;
}

/* The one way bytes reach the output.  A block larger than the buffer
 * (a very long network name) bypasses it. */
static void emit(json_writer *w, const char *bytes, size_t size)
{
    if (size > JSON_BUFFER - w->used) {
        flush(w);
        if (size > JSON_BUFFER) {
            if (fwrite(bytes, 1, size, w->out) != size)
                w->io_failed = 1;
            return;
        }
    }
    memcpy(w->buffer + w->used, bytes, size);
    w->used += size;
}

/* Literal JSON text (keys, separators); the compiler folds strlen. */
static void put(json_writer *w, const char *text)
{
    emit(w, text, strlen(text));
}

/*
 * The escape of a byte that JSON strings cannot hold as is: `"`, `\` and
 * the control characters, as Jansson writes them (\b \f \n \r \t, else
 * \u00XX with upper-case hex: its "\\u%04X").
 */
static void put_escape(json_writer *w, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
    size_t length = 2;

    switch (c) {
    case '"': escape[1] = '"'; break;
    case '\\': escape[1] = '\\'; break;
    case '\b': escape[1] = 'b'; break;
    case '\f': escape[1] = 'f'; break;
    case '\n': escape[1] = 'n'; break;
    case '\r': escape[1] = 'r'; break;
    case '\t': escape[1] = 't'; break;
    default: length = 6; break;
    }
    emit(w, escape, length);
}

/*
 * A string as Jansson writes it without flags: put_escape's bytes
 * escaped, every other byte as is ('/', DEL and UTF-8 included: the
 * model's strings are UTF-8 that Jansson validated at load).  Runs with
 * nothing to escape are copied in one piece.  NULL (a CY_WL_NONE id) is
 * written as null.
 */
static void put_string(json_writer *w, const char *s)
{
    const char *run = s;
    const unsigned char *p;
    size_t clean = 0;

    if (!s) {
        put(w, "null");
        return;
    }
    /* The common case, an id with nothing to escape, in one copy. */
    p = (const unsigned char *)s;
    while (p[clean] >= 0x20 && p[clean] != '"' && p[clean] != '\\')
        clean++;
    if (!p[clean] && clean + 2 <= JSON_BUFFER - w->used) {
        char *out = w->buffer + w->used;
        out[0] = '"';
        memcpy(out + 1, s, clean);
        out[clean + 1] = '"';
        w->used += clean + 2;
        return;
    }
    /* The clean prefix needs no second look. */
    emit(w, "\"", 1);
    for (p = (const unsigned char *)s + clean; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == '\\') {
            emit(w, run, (size_t)((const char *)p - run));
            put_escape(w, *p);
            run = (const char *)p + 1;
        }
    emit(w, run, (size_t)((const char *)p - run));
    emit(w, "\"", 1);
}

/* The decimal digits of `value`, written backwards ending just before
 * `end`; returns where they start.  Room for 20 digits is needed. */
static char *digits(char *end, uint64_t value)
{
    do {
        *--end = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    return end;
}

/* A count as a JSON integer. */
static void put_count(json_writer *w, size_t value)
{
    char text[24];
    char *start = digits(text + sizeof text, value);
    emit(w, start, (size_t)(text + sizeof text - start));
}

/*
 * cy_i_real_text's shortest exact spelling, post-processed like Jansson's
 * jsonp_dtostr: ".0" appended when there is neither '.' nor 'e' (so the
 * number reads back as a real), '+' and leading zeros removed from the
 * exponent.  A decimal point other than '.' (cy_i_real_text's rare
 * snprintf answer under another locale: one byte, as Jansson assumes
 * too) is made '.'.  `text` has room for 32 bytes; returns the length.
 */
static size_t shortest_real(char *text, double value)
{
    size_t length = cy_i_real_text(text, value), dot = 0, exponent = 0;

    for (size_t i = 0; i < length; i++) {
        if (text[i] == 'e')
            exponent = i + 1;
        else if (!exponent && text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
            text[i] = '.';
            dot = i + 1;
        }
    }
    if (!dot && !exponent) {
        memcpy(text + length, ".0", 3);
        return length + 2;
    }
    if (exponent) {
        size_t from = exponent, to = exponent;
        if (text[from] == '-')
            from = ++to;
        else if (text[from] == '+')
            from++;
        while (text[from] == '0' && from + 1 < length)
            from++;
        memmove(text + to, text + from, length - from + 1);
        length -= from - to;
    }
    return length;
}

/*
 * A real: null when not finite.  Integral values below 2^53 in magnitude
 * (most volumes and output values) are written as their digits and ".0"
 * without printf, which is what "%.17g" plus Jansson's ".0" gives for
 * them, "-0.0" included.
 */
static void put_real(json_writer *w, double value)
{
    char text[32];
    char *start;

    if (!isfinite(value)) {
        put(w, "null");
        return;
    }
    if (fabs(value) < 9007199254740992.0 && value == (double)(int64_t)value) {
        memcpy(text + sizeof text - 2, ".0", 2);
        start = digits(text + sizeof text - 2, (uint64_t)fabs(value));
        if (signbit(value))
            *--start = '-';
        emit(w, start, (size_t)(text + sizeof text - start));
        return;
    }
    emit(w, text, shortest_real(text, value));
}

/* `"key": [` of a top-level list whose elements go one per line. */
static void list_begin(json_writer *w, const char *key)
{
    put(w, "  \"");
    put(w, key);
    put(w, "\": [");
    w->items = 0;
}

/* Start the next element of the current list, on its own line indented
 * by `indent` (a string of spaces). */
static void list_item(json_writer *w, const char *indent)
{
    put(w, w->items++ ? ",\n" : "\n");
    put(w, indent);
}

/* Close the current list: `]` on its own line unless it is empty (`[]`),
 * as Jansson's indented dump does.  `indent` is that of the key. */
static void list_end(json_writer *w, const char *indent)
{
    if (w->items) {
        put(w, "\n");
        put(w, indent);
    }
    put(w, "]");
}

/* Close a top-level list and the line it ends. */
static void top_list_end(json_writer *w, int last)
{
    list_end(w, "  ");
    put(w, last ? "\n" : ",\n");
}

/* Enterprise ids on one line: ["a", "b"], or []. */
static void put_id_array(json_writer *w, const size_t *ids, size_t count)
{
    put(w, "[");
    for (size_t i = 0; i < count; i++) {
        if (i)
            put(w, ", ");
        put_string(w, w->net->enterprises[ids[i]].id);
    }
    put(w, "]");
}

/* One required (enterprise, part) pair with a single supplier. */
static void write_single_source(json_writer *w, const cy_wl_single_source *s)
{
    const cy_network *net = w->net;
    put(w, "{\"enterprise\": ");
    put_string(w, net->enterprises[s->enterprise].id);
    put(w, ", \"part\": ");
    put_string(w, net->parts.strings[s->part]);
    put(w, ", \"supplier\": ");
    put_string(w, net->enterprises[s->supplier].id);
    put(w, ", \"volume\": ");
    put_real(w, s->volume);
    put(w, ", \"output_at_risk\": ");
    put_real(w, s->output_at_risk);
    put(w, "}");
}

/* An impact list; kind CY_GROUP_KIND_COUNT means enterprises, and
 * `id_key` is the quoted key of the failing thing's id. */
static void write_impacts(json_writer *w, const char *key, const char *id_key,
                          cy_group_kind kind, const cy_impact *rows, size_t count,
                          size_t top)
{
    const cy_network *net = w->net;
    size_t shown = cy_r_limit(count, top);
    list_begin(w, key);
    for (size_t i = 0; i < shown; i++) {
        list_item(w, "    ");
        put(w, "{\"");
        put(w, id_key);
        put(w, "\": ");
        put_string(w, kind == CY_GROUP_KIND_COUNT ? net->enterprises[rows[i].index].id
                                                  : net->groups[kind][rows[i].index].id);
        put(w, ", \"failed_count\": ");
        put_count(w, rows[i].failed_count);
        put(w, ", \"output_value_lost\": ");
        put_real(w, rows[i].output_value_lost);
        put(w, "}");
    }
    top_list_end(w, 0);
}

/* How concentrated the supply of one part is; shares of parks and
 * regions name no group (null) when no supplier has one. */
static void write_concentration(json_writer *w, const cy_wl_concentration *c)
{
    const cy_network *net = w->net;
    put(w, "{\"part\": ");
    put_string(w, net->parts.strings[c->part]);
    put(w, ", \"suppliers\": ");
    put_count(w, c->supplier_count);
    put(w, ", \"links\": ");
    put_count(w, c->link_count);
    put(w, ", \"volume\": ");
    put_real(w, c->volume);
    put(w, ", \"hhi\": ");
    put_real(w, c->hhi);
    put(w, ", \"top_supplier\": ");
    put_string(w, net->enterprises[c->top_supplier].id);
    put(w, ", \"top_supplier_share\": ");
    put_real(w, c->top_supplier_share);
    put(w, ", \"top_park\": ");
    put_string(w, cy_r_group(net, CY_GROUP_PARK, c->top_park));
    put(w, ", \"top_park_share\": ");
    put_real(w, c->top_park_share);
    put(w, ", \"top_region\": ");
    put_string(w, cy_r_group(net, CY_GROUP_REGION, c->top_region));
    put(w, ", \"top_region_share\": ");
    put_real(w, c->top_region_share);
    put(w, "}");
}

/* Local supply of one OEM or cluster: `key` is "oem" or "cluster" and
 * `id` its id.  The own-region share is null when it has no region. */
static void write_local_row(json_writer *w, const char *key, const char *id,
                            const cy_wl_local_supply *row)
{
    put(w, "{\"");
    put(w, key);
    put(w, "\": ");
    put_string(w, id);
    put(w, ", \"region\": ");
    put_string(w, cy_r_group(w->net, CY_GROUP_REGION, row->region));
    put(w, ", \"links\": ");
    put_count(w, row->link_count);
    put(w, ", \"inbound_volume\": ");
    put_real(w, row->inbound_volume);
    put(w, ", \"circle_volume\": ");
    put_real(w, row->circle_volume);
    put(w, ", \"circle_share\": ");
    put_real(w, cy_r_ratio(row->circle_volume, row->inbound_volume));
    put(w, ", \"own_region_volume\": ");
    put_real(w, row->own_region_volume);
    put(w, ", \"own_region_share\": ");
    put_real(w, row->region == CY_WL_NONE ? NAN
                                          : cy_r_ratio(row->own_region_volume, row->inbound_volume));
    put(w, ", \"unknown_region_volume\": ");
    put_real(w, row->unknown_volume);
    put(w, "}");
}

/* local_supply: the circle rule, the regions it puts in the circle (on
 * one line), then the OEM and cluster lists one row per line. */
static void write_local_supply(json_writer *w, const cy_weaklinks *rep)
{
    const cy_network *net = w->net;
    size_t circle = 0;

    put(w, "  \"local_supply\": {\n    \"circle_rule\": ");
    put_string(w, CY_REPORT_CIRCLE_RULE);
    put(w, ",\n    \"circle_regions\": [");
    for (size_t g = 0; g < net->group_count[CY_GROUP_REGION]; g++)
        if (rep->region_inside[g]) {
            put(w, circle++ ? ", " : "");
            put_string(w, net->groups[CY_GROUP_REGION][g].id);
        }
    put(w, "],\n    \"oems\": [");
    w->items = 0;
    for (size_t i = 0; i < rep->local_oem_count; i++) {
        list_item(w, "      ");
        write_local_row(w, "oem", net->enterprises[rep->local_oem[i].subject].id,
                        &rep->local_oem[i]);
    }
    list_end(w, "    ");
    put(w, ",\n    \"clusters\": [");
    w->items = 0;
    for (size_t i = 0; i < rep->local_cluster_count; i++) {
        list_item(w, "      ");
        write_local_row(w, "cluster",
                        net->groups[CY_GROUP_CLUSTER][rep->local_cluster[i].subject].id,
                        &rep->local_cluster[i]);
    }
    list_end(w, "    ");
    put(w, "\n  },\n");
}

/*
 * cross_region, on one line: the two pole-to-pole totals the issue asks
 * for, the same with the whole Sichuan side of the circle, and every
 * (from, to) region pair ranked by volume (the ranked part: --top applies).
 */
static void write_cross_region(json_writer *w, const cy_weaklinks *rep, size_t top)
{
    const cy_network *net = w->net;
    const double (*v)[4] = rep->cross_volume;
    const size_t (*l)[4] = rep->cross_links;
    size_t shown = cy_r_limit(rep->region_flow_count, top);

    put(w, "  \"cross_region\": {\"chengdu_to_chongqing\": ");
    put_real(w, v[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING]);
    put(w, ", \"chongqing_to_chengdu\": ");
    put_real(w, v[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU]);
    put(w, ", \"chengdu_to_chongqing_links\": ");
    put_count(w, l[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING]);
    put(w, ", \"chongqing_to_chengdu_links\": ");
    put_count(w, l[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU]);
    put(w, ", \"sichuan_to_chongqing\": ");
    put_real(w, v[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING] +
                    v[CY_CIRCLE_SICHUAN][CY_CIRCLE_CHONGQING]);
    put(w, ", \"chongqing_to_sichuan\": ");
    put_real(w, v[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU] +
                    v[CY_CIRCLE_CHONGQING][CY_CIRCLE_SICHUAN]);
    put(w, ", \"into_circle\": ");
    put_real(w, v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHONGQING] +
                    v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHENGDU] +
                    v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_SICHUAN]);
    put(w, ", \"out_of_circle\": ");
    put_real(w, v[CY_CIRCLE_CHONGQING][CY_CIRCLE_OUTSIDE] +
                    v[CY_CIRCLE_CHENGDU][CY_CIRCLE_OUTSIDE] +
                    v[CY_CIRCLE_SICHUAN][CY_CIRCLE_OUTSIDE]);
    put(w, ", \"flow_count\": ");
    put_count(w, rep->region_flow_count);
    put(w, ", \"flows\": [");
    for (size_t k = 0; k < shown; k++) {
        const cy_wl_region_flow *f = &rep->region_flows[k];
        put(w, k ? ", {\"from\": " : "{\"from\": ");
        put_string(w, net->groups[CY_GROUP_REGION][f->from_region].id);
        put(w, ", \"to\": ");
        put_string(w, net->groups[CY_GROUP_REGION][f->to_region].id);
        put(w, ", \"links\": ");
        put_count(w, f->link_count);
        put(w, ", \"volume\": ");
        put_real(w, f->volume);
        put(w, "}");
    }
    put(w, "]},\n");
}

/* A backup: its id and where it is (the order's two keys compare these
 * with the current supplier's park and region). */
static void write_backup(json_writer *w, size_t firm)
{
    const cy_network *net = w->net;
    const cy_i_enterprise *c = &net->enterprises[firm];
    long region = cy_i_enterprise_region(net, firm);
    put(w, "{\"id\": ");
    put_string(w, c->id);
    put(w, ", \"park\": ");
    put_string(w, c->park >= 0 ? net->groups[CY_GROUP_PARK][c->park].id : NULL);
    put(w, ", \"region\": ");
    put_string(w, region >= 0 ? net->groups[CY_GROUP_REGION][region].id : NULL);
    put(w, "}");
}

/* A second-source recommendation, its backups on the same line; a single
 * source's customers are its one enterprise. */
static void write_recommendation(json_writer *w, const cy_wl_recommendation *r)
{
    const cy_network *net = w->net;
    put(w, "{\"type\": ");
    put_string(w, cy_weak_type_name(r->type));
    put(w, ", \"enterprise\": ");
    put_string(w, net->enterprises[r->enterprise].id);
    put(w, ", \"part\": ");
    put_string(w, net->parts.strings[r->part]);
    put(w, ", \"supplier\": ");
    put_string(w, net->enterprises[r->supplier].id);
    put(w, ", \"customers\": ");
    if (r->type == CY_WEAK_SINGLE_SOURCE)
        put_id_array(w, &r->enterprise, 1);
    else
        put_id_array(w, r->customers, r->customer_count);
    put(w, ", \"oems\": ");
    put_id_array(w, r->oems, r->oem_count);
    put(w, ", \"severity\": ");
    put_real(w, r->severity);
    put(w, ", \"backup_count\": ");
    put_count(w, r->backup_count);
    put(w, ", \"backups\": [");
    for (size_t k = 0; k < r->backup_shown; k++) {
        put(w, k ? ", " : "");
        write_backup(w, r->backups[k].firm);
    }
    put(w, "], \"note\": ");
    put_string(w, r->backup_count ? NULL : CY_REPORT_NO_BACKUP);
    put(w, "}");
}

/* The summary's counts, one key per line, ending with the comma before
 * its weak_links list. */
static void write_summary_counts(json_writer *w, const cy_weaklinks *rep)
{
    const cy_network *net = w->net;
    put(w, "  \"summary\": {\n    \"network\": ");
    put_string(w, net->name);
    put(w, ",\n    \"enterprises\": ");
    put_count(w, net->enterprise_count);
    put(w, ",\n    \"links\": ");
    put_count(w, net->link_count);
    put(w, ",\n    \"threshold\": ");
    put_real(w, rep->threshold);
    put(w, ",\n    \"output_value_total\": ");
    put_real(w, rep->output_value_total);
    put(w, ",\n    \"single_source_pairs\": ");
    put_count(w, rep->single_source_count);
    put(w, ",\n    \"unsupplied_requirements\": ");
    put_count(w, rep->unsupplied_count);
    put(w, ",\n    \"chokepoint_pairs\": ");
    put_count(w, rep->chokepoint_pair_count);
    put(w, ",\n    \"chokepoint_firms\": ");
    put_count(w, rep->chokepoint_firm_count);
    put(w, ",\n    \"oems_with_chokepoints\": ");
    put_count(w, rep->oems_with_chokepoints);
    put(w, ",\n    \"articulation_points\": ");
    put_count(w, rep->articulation_point_count);
    put(w, ",\n    \"bridges\": ");
    put_count(w, rep->bridge_count);
    put(w, ",\n    \"concentrated_parts\": ");
    put_count(w, rep->concentrated_part_count);
    put(w, ",\n    \"recommendations\": ");
    put_count(w, rep->recommendation_count);
    put(w, ",\n    \"recommendations_without_backup\": ");
    put_count(w, rep->no_backup_count);
    put(w, ",\n    \"weak_link_count\": ");
    put_count(w, rep->weak_link_count);
    put(w, ",\n    \"max_severity\": ");
    put_real(w, rep->weak_link_count ? rep->weak_links[0].severity : 0.0);
    put(w, ",\n    \"severity_formula\": ");
    put_string(w, CY_REPORT_SEVERITY_FORMULA);
    put(w, ",\n");
}

/* One weak link of the ranking; `rank` counts from 1.  Ids a type does
 * not have (a bridge's part, ...) are null. */
static void write_weak_link(json_writer *w, size_t rank, const cy_wl_weak_link *l)
{
    const cy_network *net = w->net;
    put(w, "{\"rank\": ");
    put_count(w, rank);
    put(w, ", \"type\": ");
    put_string(w, cy_weak_type_name(l->type));
    put(w, ", \"enterprise\": ");
    put_string(w, cy_r_enterprise(net, l->enterprise));
    put(w, ", \"supplier\": ");
    put_string(w, cy_r_enterprise(net, l->supplier));
    put(w, ", \"part\": ");
    put_string(w, cy_r_part(net, l->part));
    put(w, ", \"oem\": ");
    put_string(w, cy_r_enterprise(net, l->oem));
    put(w, ", \"volume\": ");
    put_real(w, l->volume);
    put(w, ", \"failed_count\": ");
    put_count(w, l->failed_count);
    put(w, ", \"output_at_risk\": ");
    put_real(w, l->output_at_risk);
    put(w, ", \"severity\": ");
    put_real(w, l->severity);
    put(w, "}");
}

cy_status cy_weaklinks_write_json(const cy_network *net,
                                  const cy_weaklinks *rep, size_t top,
                                  FILE *out, cy_error *err)
{
    json_writer *w = cy_malloc(sizeof *w);
    size_t shown;
    cy_status status = CY_OK;

    if (!w) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the JSON report");
        return CY_ENOMEM;
    }
    memset(w, 0, offsetof(json_writer, buffer));
    w->out = out;
    w->net = net;
    put(w, "{\n");
    list_begin(w, "single_source");
    shown = cy_r_limit(rep->single_source_count, top);
    for (size_t i = 0; i < shown; i++) {
        list_item(w, "    ");
        write_single_source(w, &rep->single_source[i]);
    }
    top_list_end(w, 0);

    list_begin(w, "chokepoints");
    for (size_t i = 0; i < rep->chokepoint_count; i++) {
        list_item(w, "    ");
        put(w, "{\"oem\": ");
        put_string(w, net->enterprises[rep->chokepoints[i].oem].id);
        put(w, ", \"enterprises\": ");
        put_id_array(w, rep->chokepoints[i].enterprises, rep->chokepoints[i].count);
        put(w, "}");
    }
    top_list_end(w, 0);

    list_begin(w, "articulation_points");
    for (size_t i = 0; i < rep->articulation_point_count; i++) {
        list_item(w, "    ");
        put_string(w, net->enterprises[rep->articulation_points[i]].id);
    }
    top_list_end(w, 0);

    list_begin(w, "bridges");
    for (size_t i = 0; i < rep->bridge_count; i++) {
        list_item(w, "    ");
        put(w, "[");
        put_string(w, net->enterprises[rep->bridges[i].from].id);
        put(w, ", ");
        put_string(w, net->enterprises[rep->bridges[i].to].id);
        put(w, "]");
    }
    top_list_end(w, 0);

    write_impacts(w, "cascade_impact", "id", CY_GROUP_KIND_COUNT, rep->cascade_impact,
                  rep->cascade_impact_count, top);
    write_impacts(w, "park_impact", "park", CY_GROUP_PARK, rep->park_impact,
                  rep->park_impact_count, top);
    write_impacts(w, "region_impact", "region", CY_GROUP_REGION, rep->region_impact,
                  rep->region_impact_count, top);

    list_begin(w, "concentration");
    shown = cy_r_limit(rep->concentration_count, top);
    for (size_t i = 0; i < shown; i++) {
        list_item(w, "    ");
        write_concentration(w, &rep->concentration[i]);
    }
    top_list_end(w, 0);

    write_local_supply(w, rep);
    write_cross_region(w, rep, top);

    list_begin(w, "recommendations");
    shown = cy_r_limit(rep->recommendation_count, top);
    for (size_t i = 0; i < shown; i++) {
        list_item(w, "    ");
        write_recommendation(w, &rep->recommendations[i]);
    }
    top_list_end(w, 0);

    /* The summary's counts, then its ranked weak links one per line. */
    write_summary_counts(w, rep);
    put(w, "    \"weak_links\": [");
    w->items = 0;
    shown = cy_r_limit(rep->weak_link_count, top);
    for (size_t i = 0; i < shown; i++) {
        list_item(w, "      ");
        write_weak_link(w, i + 1, &rep->weak_links[i]);
    }
    list_end(w, "    ");
    put(w, "\n  }\n}\n");
    flush(w);

    if (w->io_failed || ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the JSON report failed");
        status = CY_EIO;
    }
    cy_free(w);
    return status;
}
