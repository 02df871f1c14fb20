/*
 * format.c - the formats and options every writer takes, and the one
 * check of a requested format against the formats a writer has.
 */
#include "writer.h"

const char *cy_format_name(cy_format format)
{
    static const char *const names[] = {"text", "csv", "json", "md", "html"};
    return (unsigned)format < sizeof names / sizeof names[0] ? names[format] : "unknown";
}

void cy_write_options_init(cy_write_options *options, cy_format format)
{
    options->format = format;
    options->top = 0;
    options->csv_raw = 0;
}

cy_status cy_r_options(const cy_write_options *given, unsigned formats,
                       const char *what, cy_write_options *options, cy_error *err)
{
    unsigned first = 0;
    while (first < 8 && !(formats & (1u << first)))
        first++;
    if (given)
        *options = *given;
    else
        cy_write_options_init(options, (cy_format)first);
    if ((unsigned)options->format >= 8 || !(formats & (1u << options->format))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "the %s has no %s format", what,
                     cy_format_name(options->format));
        return CY_EUSAGE;
    }
    return CY_OK;
}

cy_status cy_r_stream_status(FILE *out, const char *what, cy_error *err)
{
    if (ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the %s failed", what);
        return CY_EIO;
    }
    return CY_OK;
}
