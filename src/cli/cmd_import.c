/*
 * cmd_import.c - chengyu import [--encoding ENC] [-o OUT.json] INPUT;
 * chengyu import --template FILE.xlsx
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct {
    cli_common common;
    const char *template_path;
    const char *encoding;
    double max_seconds;
} import_args;

/*
 * The importer's pace for the estimate before it starts: seconds per byte
 * of the input (a workbook's zip, or the CSV tables), 1.5 times what the
 * national preset took, so that a slower machine is refused rather than
 * stopped (docs/performance.md, "The estimates before a run").
 */
#define IMPORT_SECONDS_PER_XLSX_BYTE 1.5e-6
#define IMPORT_SECONDS_PER_CSV_BYTE 1.5e-7

/* The bytes of the .csv files in `dir` (the importer reads at most
 * those). */
static double folder_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    double total = 0;
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcasecmp(e->d_name + n - 4, ".csv") == 0 &&
            fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode))
            total += (double)st.st_size;
    }
    closedir(d);
    return total;
}

/* The input's size in bytes: the workbook, or the tables of the folder. */
static double input_bytes(const char *input, int *folder)
{
    struct stat st;
    if (stat(input, &st) != 0)
        return 0;
    *folder = S_ISDIR(st.st_mode);
    if (!*folder)
        return (double)st.st_size;
    return folder_bytes(input);
}

/* A --max-seconds stop in the middle of the import: nothing is kept. */
static void abort_output(void *out)
{
    cli_output_end(out, 0);
}

static int write_template(const char *path)
{
    cli_output out;
    cy_error err;
    int ok;
    if (!cli_output_begin(&out, path, NULL))
        return CY_EXIT_FAILURE;
    cy_error_init(&err);
    ok = cy_write_template(out.stream, &err) == CY_OK;
    if (!ok)
        cli_report(&err);
    cy_error_destroy(&err);
    return cli_output_end(&out, ok);
}

/* Why `input` is no spreadsheet, as the other commands would say it: it
 * cannot be opened or read (the system's reason), it is not a regular
 * file or folder, or it is simply something else. */
static void not_a_spreadsheet(const char *input)
{
    struct stat st;
    FILE *f;
    char byte;
    if (stat(input, &st) != 0) {
        cli_error("%s: cannot open: %s", input, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        cli_error("%s: a folder without the tables of an import (enterprises.csv, "
                  "links.csv, ...; docs/spreadsheets.md)", input);
    } else if (!S_ISREG(st.st_mode)) {
        cli_error("%s: not a regular file", input);
    } else if (!(f = fopen(input, "rb"))) {
        cli_error("%s: cannot open: %s", input, strerror(errno));
    } else {
        errno = 0;
        if (fread(&byte, 1, 1, f) != 1 && ferror(f))
            cli_error("%s: cannot read: %s", input, strerror(errno ? errno : EIO));
        else
            cli_error("%s: not an .xlsx workbook or a folder of CSV tables", input);
        fclose(f);
    }
}

static int import_to_json(const char *input, const char *output_path, int quiet,
                          double max_seconds)
{
    cy_import_options options;
    size_t enterprises = 0, links = 0;
    cli_progress progress;
    cy_status status;
    cli_output out;
    cy_error err;
    double bytes;
    char what[64], size[32];
    int code, folder = 0;

    if (!cli_import_options(&options))
        return CY_EXIT_FAILURE;
    if (!cy_import_is_spreadsheet(input)) {
        not_a_spreadsheet(input);
        return CY_EXIT_FAILURE;
    }
    cli_progress_init(&progress, "import", quiet, max_seconds);
    cli_progress_steps(&progress);
    bytes = input_bytes(input, &folder);
    cli_progress_format_bytes(bytes, size, sizeof size);
    snprintf(what, sizeof what, "reading %s", size);
    if (!cli_progress_check(&progress, what,
                            bytes * (folder ? IMPORT_SECONDS_PER_CSV_BYTE
                                            : IMPORT_SECONDS_PER_XLSX_BYTE)))
        return CY_EXIT_FAILURE;
    if (!cli_output_begin(&out, output_path, input))
        return CY_EXIT_FAILURE;
    cli_progress_on_stop(&progress, abort_output, &out);
    cy_error_init(&err);
    status = cy_import_load_run(input, &options, cli_progress_update, &progress, NULL,
                                &enterprises, &links, out.stream, &err);
    cli_progress_clear(&progress);
    if (status != CY_OK || !quiet)
        cli_report(&err);
    if (status != CY_OK && err.error_count == 0)
        cli_error("%s: %s", input, cy_status_string(status));
    code = cli_output_end(&out, status == CY_OK);
    if (code == CY_EXIT_OK && output_path && strcmp(output_path, "-") != 0 && !quiet)
        cli_error("%s: %zu enterprises, %zu links written to %s", input, enterprises, links,
                  output_path);
    cy_error_destroy(&err);
    return code;
}

static int run_import(void *args_, int count, char **operands)
{
    import_args *args = args_;
    if (args->template_path) {
        if (count != 0 || args->common.output)
            return cli_usage(&cli_spec_import, "--template takes no INPUT and no -o");
        if (cli_binary_to_terminal(args->template_path))
            return cli_usage(&cli_spec_import, "--template -: a workbook is not for a "
                                               "terminal; give FILE.xlsx or redirect");
        return write_template(args->template_path);
    }
    if (count != 1)
        return cli_usage(&cli_spec_import, "expected one INPUT");
    cli_encoding = args->encoding;
    return import_to_json(operands[0], args->common.output, args->common.quiet,
                          args->max_seconds);
}

static const char *const import_synopsis[] = {
    "[--encoding ENC] [-f json] [-q] [--max-seconds S] [-o OUT.json] INPUT",
    "--template FILE.xlsx", NULL};

static const cli_choice import_formats[] = {
    {"json", CLI_FORMAT_JSON, "chengyu/1 JSON, one record per line"},
    {NULL, 0, NULL}};

static const cli_option import_options[] = {
    CLI_OPT_FORMAT(import_args, import_formats, "json (the only one: chengyu/1)"),
    CLI_OPT_OUTPUT(import_args, "write the JSON to OUT atomically (default: standard\n"
                                "output)"),
    CLI_OPT_FILE(0, "template", import_args, template_path, "FILE",
                 "write an empty workbook to fill in: every sheet and\n"
                 "column, explained in Chinese and English, a drop-down\n"
                 "list of the kinds, two example rows"),
    CLI_OPT_STRING(0, "encoding", import_args, encoding, "ENC",
                   "CSV files are in ENC (any iconv name: GB18030, GBK,\n"
                   "UTF-8, ...); default: UTF-8, or GB18030 when a file\n"
                   "is not UTF-8 (with a warning)"),
    CLI_OPT_MAX_SECONDS(import_args, max_seconds),
    CLI_OPT_QUIET(import_args),
    CLI_OPT_THREADS(import_args),
    CLI_OPT_END};

const cli_spec cli_spec_import = {
    "import", "read an .xlsx workbook or CSV tables into chengyu/1 JSON", import_synopsis,
    "Read a network from an .xlsx workbook (sheets enterprises, links and "
    "optionally parks, clusters, regions, network) or a folder of CSV tables "
    "(enterprises.csv, links.csv, ...), check it exactly as a chengyu/1 file is "
    "checked, and write it as chengyu/1 JSON.  Columns are chengyu/1 keys or their "
    "Chinese aliases (docs/spreadsheets.md).  Every problem is reported at its "
    "sheet and cell; nothing is written when there is one.",
    import_options, sizeof(import_args), NULL, "INPUT", 0, 1, run_import};
