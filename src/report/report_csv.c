/*
 * report_csv.c - the weak-link report as CSV: one row per weak link, in
 * severity order, with a `type` column (single_source, chokepoint,
 * articulation_point, bridge).  Fields are quoted per RFC 4180 when they
 * hold a comma, a double quote, CR or LF (quotes doubled); rows end in
 * CRLF as the RFC says.  Columns that do not apply to a type are empty.
 */
#include "report_internal.h"

#include <math.h>
#include <string.h>

static const char csv_header[] =
    "type,rank,severity,output_at_risk,failed_count,enterprise,enterprise_name,"
    "supplier,supplier_name,part,oem,volume,backups";

/* Text inside a quoted field: double quotes doubled. */
static void csv_quoted_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
}

static void csv_field(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    csv_quoted_text(out, s);
    fputc('"', out);
}

static void csv_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
}

static void csv_enterprise(FILE *out, const cy_network *net, size_t i, int with_name)
{
    fputc(',', out);
    csv_field(out, cy_r_enterprise(net, i));
    if (with_name) {
        fputc(',', out);
        csv_field(out, i == CY_WL_NONE ? NULL : net->enterprises[i].name);
    }
}

/*
 * The backups cell of a weak link, always quoted (RFC 4180 allows it):
 * for a single-source pair the backup ids separated by ';'; for a
 * chokepoint "part: id;id" per part it supplies, joined by " | ";
 * "none in the network" where a part has none.
 */
static void backups_cell(FILE *out, const cy_network *net, const cy_weaklinks *r,
                         const cy_wl_weak_link *l)
{
    fputc('"', out);
    for (size_t k = 0; k < l->recommendation_count; k++) {
        const cy_wl_recommendation *rec = &r->recommendations[l->recommendation + k];
        if (k)
            fputs(" | ", out);
        if (rec->type == CY_WEAK_CHOKEPOINT) {
            csv_quoted_text(out, net->parts.strings[rec->part]);
            fputs(": ", out);
        }
        if (!rec->backup_count)
            fputs(CY_REPORT_NO_BACKUP, out);
        for (size_t b = 0; b < rec->backup_shown; b++) {
            if (b)
                fputc(';', out);
            csv_quoted_text(out, net->enterprises[rec->backups[b].firm].id);
        }
    }
    fputc('"', out);
}

cy_status cy_weaklinks_write_csv(const cy_network *net,
                                 const cy_weaklinks *r, size_t top,
                                 FILE *out, cy_error *err)
{
    size_t shown = cy_r_limit(r->weak_link_count, top);

    fprintf(out, "%s\r\n", csv_header);
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_weak_link *l = &r->weak_links[i];
        fprintf(out, "%s,%zu,", cy_weak_type_name(l->type), i + 1);
        csv_number(out, l->severity);
        fputc(',', out);
        csv_number(out, l->output_at_risk);
        fprintf(out, ",%zu", l->failed_count);
        csv_enterprise(out, net, l->enterprise, 1);
        csv_enterprise(out, net, l->type == CY_WEAK_SINGLE_SOURCE || l->type == CY_WEAK_BRIDGE
                                     ? l->supplier : CY_WL_NONE, 1);
        fputc(',', out);
        csv_field(out, cy_r_part(net, l->part));
        csv_enterprise(out, net, l->oem, 0);
        fputc(',', out);
        if (l->type == CY_WEAK_SINGLE_SOURCE || l->type == CY_WEAK_BRIDGE)
            csv_number(out, l->volume);
        fputc(',', out);
        if (l->recommendation_count)
            backups_cell(out, net, r, l);
        fputs("\r\n", out);
    }
    if (ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the CSV report failed");
        return CY_EIO;
    }
    return CY_OK;
}
