/*
 * csv.c - the CSV writer every CSV of chengyu goes through (docs/cli.md,
 * "CSV").  RFC 4180 fields, LF line ends, and text cells guarded against
 * spreadsheet formula injection: a cell such as =HYPERLINK("http://...")
 * in a name would otherwise run as a formula when the file is opened in
 * Excel or LibreOffice (OWASP, "CSV Injection").
 */
#include "writer.h"

#include <string.h>

void cy_r_csv_init(cy_r_csv *csv, FILE *out, int raw)
{
    csv->out = out;
    csv->raw = raw;
    csv->fields = 0;
}

void cy_r_csv_header(cy_r_csv *csv, const char *names)
{
    fputs(names, csv->out);
    fputc('\n', csv->out);
    csv->fields = 0;
}

static void separator(cy_r_csv *csv)
{
    if (csv->fields++)
        fputc(',', csv->out);
}

int cy_r_csv_needs_guard(const char *s)
{
    return s[0] && strchr("=+-@\t\r'", s[0]) != NULL;
}

void cy_r_csv_text(cy_r_csv *csv, const char *s)
{
    FILE *out = csv->out;
    int guard;

    separator(csv);
    if (!s)
        return;
    guard = !csv->raw && cy_r_csv_needs_guard(s);
    if (!strpbrk(s, ",\"\r\n")) {
        if (guard)
            fputc('\'', out);
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (guard)
        fputc('\'', out);
    for (const char *run = s;;) {
        const char *quote = strchr(run, '"');
        if (!quote) {
            fputs(run, out);
            break;
        }
        fwrite(run, 1, (size_t)(quote - run) + 1, out);
        fputc('"', out);
        run = quote + 1;
    }
    fputc('"', out);
}

void cy_r_csv_real(cy_r_csv *csv, double value)
{
    char text[32];
    separator(csv);
    fwrite(text, 1, cy_i_real_spell(text, value), csv->out);
}

void cy_r_csv_count(cy_r_csv *csv, size_t value)
{
    separator(csv);
    fprintf(csv->out, "%zu", value);
}

void cy_r_csv_number(cy_r_csv *csv, const char *text)
{
    separator(csv);
    fputs(text, csv->out);
}

void cy_r_csv_integer(cy_r_csv *csv, long long value)
{
    separator(csv);
    fprintf(csv->out, "%lld", value);
}

void cy_r_csv_empty(cy_r_csv *csv)
{
    separator(csv);
}

void cy_r_csv_row_end(cy_r_csv *csv)
{
    fputc('\n', csv->out);
    csv->fields = 0;
}
