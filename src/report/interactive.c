/*
 * interactive.c - the parts every interactive page shares: see
 * interactive.h.  The script and style are src/report/interactive.js and
 * .css, embedded at build time with the script's SHA-256.
 */
#include "interactive.h"
#include "internal.h"

#include <string.h>

void cy_interactive_csp(FILE *out)
{
    fprintf(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
            "'none'; script-src 'sha256-%s'; style-src 'unsafe-inline'; img-src data:; "
            "connect-src 'none'; base-uri 'none'; form-action 'none'\">\n",
            cy_asset_interactive_js_sha256);
}

void cy_interactive_style(FILE *out)
{
    fwrite(cy_asset_interactive_css, 1, cy_asset_interactive_css_size, out);
}

void cy_interactive_script(FILE *out)
{
    /* Nothing between the tags but the hashed bytes. */
    fputs("<script>", out);
    fwrite(cy_asset_interactive_js, 1, cy_asset_interactive_js_size, out);
    fputs("</script>\n", out);
}

/* Jansson's dump callback: '<', '>' and '&' (which only occur inside
 * strings) as \u escapes; JSON_ENSURE_ASCII has already escaped every
 * non-ASCII character, U+2028 and U+2029 among them. */
static int dump_escaped(const char *buffer, size_t size, void *data)
{
    FILE *out = data;
    for (size_t k = 0; k < size; k++) {
        switch (buffer[k]) {
        case '<': fputs("\\u003c", out); break;
        case '>': fputs("\\u003e", out); break;
        case '&': fputs("\\u0026", out); break;
        default: fputc(buffer[k], out); break;
        }
    }
    return 0;
}

cy_status cy_interactive_data(FILE *out, size_t key, const json_t *doc)
{
    cy_status status = CY_OK;
    fprintf(out, "<script type=\"application/json\" id=\"cy-data-%zu\">", key);
    if (json_dump_callback(doc, dump_escaped, out, JSON_COMPACT | JSON_ENSURE_ASCII) != 0)
        status = CY_ENOMEM;
    fputs("</script>\n", out);
    return status;
}

json_t *cy_interactive_labels(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "search", _("find a firm: id, name or Chinese name"),
                     "notfound", _("no firm matches"),
                     "upstream", _("upstream (suppliers, all tiers)"),
                     "downstream", _("downstream (customers, all tiers)"),
                     "register", _("risk register"),
                     "norow", _("not in the risk register: its failure stops no other firm"),
                     "fit", _("fit"), "clear", _("clear"));
}
