/*
 * options.c - parsing, help, man page and completion from the commands'
 * option tables (options.h).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- formats -------------------------------------------------------------- */

static const char *const format_names[] = {
    [CLI_FORMAT_NONE] = "", [CLI_FORMAT_TABLE] = "table",
    [CLI_FORMAT_CSV] = "csv", [CLI_FORMAT_JSON] = "json",
    [CLI_FORMAT_MD] = "md", [CLI_FORMAT_HTML] = "html",
    [CLI_FORMAT_XLSX] = "xlsx", [CLI_FORMAT_SVG] = "svg",
    [CLI_FORMAT_PNG] = "png", [CLI_FORMAT_PDF] = "pdf",
    [CLI_FORMAT_DOT] = "dot", [CLI_FORMAT_GRAPHML] = "graphml"};

const cli_choice cli_formats_table_csv_json[] = {
    {"table", CLI_FORMAT_TABLE, "aligned columns for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"csv", CLI_FORMAT_CSV, "RFC 4180"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {NULL, 0, NULL}};

const cli_choice cli_formats_table_json[] = {
    {"table", CLI_FORMAT_TABLE, "lines for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {NULL, 0, NULL}};

const cli_choice cli_langs[] = {
    {"en", CLI_LANG_EN, "English"},
    {"zh", CLI_LANG_ZH, "Chinese (simplified): headings, legends, amounts in 万元/亿元"},
    {NULL, 0, NULL}};

const char *cli_format_name(int format)
{
    if (format < 0 || (size_t)format >= sizeof format_names / sizeof *format_names)
        return "";
    return format_names[format];
}

static const cli_option *find_format_option(const cli_spec *spec)
{
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (strcmp(o->long_name, "format") == 0 && o->choices)
            return o;
    return NULL;
}

int cli_format_from_path(const cli_spec *spec, const char *path, int fallback)
{
    const cli_option *opt = find_format_option(spec);
    const char *dot;
    if (!opt || !path || strcmp(path, "-") == 0 || !(dot = strrchr(path, '.')))
        return fallback;
    for (const cli_choice *c = opt->choices; c->name; c++)
        if (c->help && strcmp(c->name, dot + 1) == 0)
            return c->value;
    if (strcmp(dot + 1, "markdown") == 0 || strcmp(dot + 1, "htm") == 0 ||
        strcmp(dot + 1, "gv") == 0)
        for (const cli_choice *c = opt->choices; c->name; c++)
            if (strcmp(c->name, dot + 1) == 0)
                return c->value;
    return fallback;
}

/* ---- usage errors --------------------------------------------------------- */

/* The synopsis lines; a line starting with a space continues the one
 * before it and is aligned under its first option. */
static void print_synopsis(const cli_spec *spec, FILE *out)
{
    int indent = (int)strlen("usage: chengyu  ") + (int)strlen(spec->name);
    for (size_t k = 0; spec->synopsis[k]; k++) {
        const char *line = spec->synopsis[k];
        if (*line == ' ')
            fprintf(out, "%*s%s\n", indent, "", line + strspn(line, " "));
        else
            fprintf(out, "%s chengyu %s %s\n", k ? "      " : "usage:", spec->name, line);
    }
}

int cli_usage(const cli_spec *spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(spec->name, fmt, ap);
    va_end(ap);
    print_synopsis(spec, stderr);
    fprintf(stderr, "See 'chengyu help %s'.\n", spec->name);
    return CY_EXIT_USAGE;
}

/* "--top" or "-n" as the user may have typed it, for messages. */
static const char *option_label(const cli_option *o, char buf[64])
{
    snprintf(buf, 64, "--%s", o->long_name);
    return buf;
}

/* ---- values --------------------------------------------------------------- */

static const char *range_words(const cli_option *o, char buf[96])
{
    if (o->type == CLI_SIZE && o->min == 1 && o->max >= 1e18)
        return "a positive integer";
    if (o->type == CLI_SIZE && o->min == 0 && o->max >= 1e18)
        return "a non-negative integer";
    if (o->type == CLI_SIZE)
        snprintf(buf, 96, "an integer in [%.0f, %.0f]", o->min, o->max);
    else if ((o->flags & CLI_ABOVE_MIN) && o->min == 0)
        snprintf(buf, 96, "a positive number up to %g", o->max);
    else if (o->max >= 1e300)
        snprintf(buf, 96, "a number of at least %g", o->min);
    else
        snprintf(buf, 96, "a number in [%g, %g]", o->min, o->max);
    return buf;
}

/* The problem message of a refused value; `msg` has MESSAGE_SIZE bytes. */
#define MESSAGE_SIZE 512

static int set_choice(const cli_option *o, const char *text, void *field, char *msg)
{
    char label[64];
    size_t used;
    cy_suggester near;
    for (const cli_choice *c = o->choices; c->name; c++)
        if (strcmp(c->name, text) == 0) {
            *(int *)field = c->value;
            return 1;
        }
    cy_suggester_init(&near, text, CY_SUGGEST_DISTANCE);
    used = (size_t)snprintf(msg, MESSAGE_SIZE, "%s expects one of", option_label(o, label));
    for (const cli_choice *c = o->choices; c->name && used < MESSAGE_SIZE; c++)
        if (c->help) {
            used += (size_t)snprintf(msg + used, MESSAGE_SIZE - used, " %s", c->name);
            cy_suggester_offer(&near, c->name);
        }
    if (used < MESSAGE_SIZE)
        used += (size_t)snprintf(msg + used, MESSAGE_SIZE - used, "; got '%.64s'", text);
    if (used < MESSAGE_SIZE && cy_suggester_best(&near))
        snprintf(msg + used, MESSAGE_SIZE - used, " (did you mean '%s'?)",
                 cy_suggester_best(&near));
    return 0;
}

static int push_string(cli_strings *list, const char *text)
{
    const char **grown = cy_realloc(list->items, (list->count + 1) * sizeof *grown);
    if (!grown)
        return 0;
    grown[list->count++] = text;
    list->items = grown;
    return 1;
}

/*
 * Store `text` as the value of option `o` in `args`.  Returns 1, or 0 with
 * what was wrong in `msg` (MESSAGE_SIZE bytes).
 */
static int set_value(const cli_option *o, const char *text, void *args, char *msg)
{
    void *field = (char *)args + o->offset;
    unsigned long long u;
    double d;
    char label[64], words[96];

    switch (o->type) {
    case CLI_FLAG: *(int *)field = 1; return 1;
    case CLI_STRING: *(const char **)field = text; return 1;
    case CLI_STRINGS:
        if (push_string(field, text))
            return 1;
        snprintf(msg, MESSAGE_SIZE, "out of memory");
        return 0;
    case CLI_SIZE:
        if (cli_parse_ulong(text, (unsigned long long)SIZE_MAX, &u) &&
            (double)u >= o->min && (double)u <= o->max) {
            *(size_t *)field = (size_t)u;
            return 1;
        }
        break;
    case CLI_U64:
        if (cli_parse_ulong(text, UINT64_MAX, &u)) {
            *(uint64_t *)field = u;
            return 1;
        }
        snprintf(msg, MESSAGE_SIZE, "%s expects a non-negative integer, got '%.64s'",
                 option_label(o, label), text);
        return 0;
    case CLI_REAL:
        if (cli_parse_double(text, &d) && d >= o->min && d <= o->max &&
            !((o->flags & CLI_ABOVE_MIN) && d == o->min)) {
            *(double *)field = d;
            return 1;
        }
        break;
    case CLI_CHOICE: return set_choice(o, text, field, msg);
    }
    snprintf(msg, MESSAGE_SIZE, "%s expects %s, got '%.64s'", option_label(o, label),
             range_words(o, words), text);
    return 0;
}

/* ---- parsing -------------------------------------------------------------- */

static size_t option_count(const cli_spec *spec)
{
    size_t n = 0;
    while (spec->options[n].long_name)
        n++;
    return n;
}

/* getopt_long's tables from the spec.  Long options return 256 + index;
 * the short string starts with ':' so a missing value is told apart. */
static int build_getopt(const cli_spec *spec, struct option **longs, char **shorts)
{
    size_t n = option_count(spec), s = 0;
    *longs = cy_calloc(n + 2, sizeof **longs);
    *shorts = cy_malloc(3 * n + 4);
    if (!*longs || !*shorts)
        return 0;
    (*shorts)[s++] = ':';
    for (size_t k = 0; k < n; k++) {
        const cli_option *o = &spec->options[k];
        int has_arg = o->type == CLI_FLAG ? no_argument : required_argument;
        (*longs)[k] = (struct option){o->long_name, has_arg, NULL, 256 + (int)k};
        if (o->short_name) {
            (*shorts)[s++] = (char)o->short_name;
            if (has_arg)
                (*shorts)[s++] = ':';
        }
    }
    (*longs)[n] = (struct option){"help", no_argument, NULL, 'h'};
    (*shorts)[s++] = 'h';
    (*shorts)[s] = '\0';
    return 1;
}

static const cli_option *by_short(const cli_spec *spec, int c)
{
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

/* How many long options start with the `len` bytes of `name`; the first
 * two go to `first` and `second`. */
static int prefix_matches(const cli_spec *spec, const char *name, size_t len,
                          const char **first, const char **second)
{
    int n = 0;
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (strncmp(o->long_name, name, len) == 0 && n++ < 2)
            *(n == 1 ? first : second) = o->long_name;
    return n;
}

/* How much of an unknown option a message quotes: up to its '=', at most
 * 64 bytes. */
static int echo_length(const char *arg)
{
    size_t length = strcspn(arg, "=");
    return length < 64 ? (int)length : 64;
}

/* The long option nearest to the unknown `arg` ("--name" or
 * "--name=value"): within CY_SUGGEST_DISTANCE edits, "help" included;
 * NULL when none is. */
static const char *nearest_option(const cli_spec *spec, const char *arg)
{
    char name[65];
    cy_suggester near;
    if (strncmp(arg, "--", 2) != 0)
        return NULL;
    snprintf(name, sizeof name, "%.*s", echo_length(arg + 2), arg + 2);
    cy_suggester_init(&near, name, CY_SUGGEST_DISTANCE);
    for (const cli_option *o = spec->options; o->long_name; o++)
        cy_suggester_offer(&near, o->long_name);
    cy_suggester_offer(&near, "help");
    return cy_suggester_best(&near);
}

/* The message for getopt's '?' (unknown or ambiguous) and ':' (value
 * missing). */
static int getopt_problem(const cli_spec *spec, int c, char **argv)
{
    const char *arg = argv[optind - 1], *first = NULL, *second = NULL;
    if (c == ':') {
        const cli_option *o = optopt >= 256 ? &spec->options[optopt - 256]
                                           : by_short(spec, optopt);
        char label[64];
        return cli_usage(spec, "%s needs a value",
                         o ? option_label(o, label) : arg);
    }
    if (optopt && optopt < 256)
        return cli_usage(spec, "unknown option '-%c'", optopt);
    if (strncmp(arg, "--", 2) == 0 &&
        prefix_matches(spec, arg + 2, strcspn(arg + 2, "="), &first, &second) > 1)
        return cli_usage(spec, "ambiguous option '%.*s' (--%s, --%s, ...)",
                         echo_length(arg), arg, first, second);
    if ((first = nearest_option(spec, arg)) != NULL)
        return cli_usage(spec, "unknown option '%.*s' (did you mean '--%s'?)",
                         echo_length(arg), arg, first);
    return cli_usage(spec, "unknown option '%.*s'", echo_length(arg), arg);
}

static int parse_options(const cli_spec *spec, int argc, char **argv, void *args,
                         int *help)
{
    struct option *longs = NULL;
    char *shorts = NULL;
    unsigned char *seen = cy_calloc(option_count(spec) + 1, 1);
    int c, code = -1;

    if (!seen || !build_getopt(spec, &longs, &shorts)) {
        cli_error("out of memory");
        code = CY_EXIT_FAILURE;
        goto cleanup;
    }
    optind = 0;
    opterr = 0;
    while (code < 0 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const cli_option *o;
        char msg[MESSAGE_SIZE];
        if (c == 'h')
            *help = 1;
        else if (c == '?' || c == ':')
            code = getopt_problem(spec, c, argv);
        else if (!(o = c >= 256 ? &spec->options[c - 256] : by_short(spec, c)))
            code = cli_usage(spec, "unknown option '%s'", cli_echo(argv[optind - 1]));
        else if ((o->flags & CLI_ONCE) && seen[o - spec->options]++)
            code = cli_usage(spec, "--%s may be given only once", o->long_name);
        else if (!set_value(o, optarg, args, msg))
            code = cli_usage(spec, "%s", msg);
    }
cleanup:
    cy_free(longs);
    cy_free(shorts);
    cy_free(seen);
    return code;
}

static void free_lists(const cli_spec *spec, void *args)
{
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (o->type == CLI_STRINGS)
            cy_free((void *)((cli_strings *)((char *)args + o->offset))->items);
}

static int check_operands(const cli_spec *spec, int count, char **operands)
{
    if (count > spec->operands_max)
        return cli_usage(spec, "unexpected argument '%s'",
                         cli_echo(operands[spec->operands_max]));
    if (count < spec->operands_min)
        return cli_usage(spec, "expected %s%s", spec->operands_max == 1 ? "one " : "",
                         spec->operand ? spec->operand : "argument");
    return -1;
}

/* Without -f, an output file's extension names the format when the command
 * offers it (-o report.json); commands pick their own default otherwise. */
static void default_format(const cli_spec *spec, void *args)
{
    cli_common *common = args;
    if (common->format == CLI_FORMAT_NONE)
        common->format = cli_format_from_path(spec, common->output, CLI_FORMAT_NONE);
}

/* An output named *.xlsx must be a workbook: text under that name opens
 * in Excel as a damaged file.  Returns -1 or the usage error's exit code. */
static int check_workbook_name(const cli_spec *spec, const void *args)
{
    const cli_common *common = args;
    const char *out = common->output;
    size_t n = out ? strlen(out) : 0;
    if (n < 5 || strcasecmp(out + n - 5, ".xlsx") != 0 || common->format == CLI_FORMAT_XLSX)
        return -1;
    return cli_usage(spec, "-o '%s': the name ends in .xlsx but the output is %s, not a "
                           "workbook%s", cli_echo(out),
                     common->format == CLI_FORMAT_NONE ? "text"
                                                       : cli_format_name(common->format),
                     cli_format_from_path(spec, out, CLI_FORMAT_NONE) == CLI_FORMAT_XLSX
                         ? " (--format xlsx writes one)" : "");
}

/* Whether `spec` has --lang. */
static int has_lang(const cli_spec *spec)
{
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (strcmp(o->long_name, "lang") == 0)
            return 1;
    return 0;
}

/* The language of a command with --lang: the option's, else the
 * environment's.  Chinese asked for by the environment falls back to
 * English with a warning when the catalog is missing; asked for by --lang
 * it is an error (exit 1).  Returns -1 to go on, else the exit code. */
static int set_language(const cli_spec *spec, const cli_common *common)
{
    cy_language lang;
    cy_error err;
    int code = -1;
    if (!has_lang(spec))
        return -1;
    lang = common->lang == CLI_LANG_ENV ? cy_language_from_environment()
           : common->lang == CLI_LANG_ZH ? CY_LANG_ZH : CY_LANG_EN;
    cy_error_init(&err);
    if (cy_language_set(lang, &err) != CY_OK) {
        if (common->lang != CLI_LANG_ENV || !common->quiet)
            cli_report(&err);
        if (common->lang == CLI_LANG_ENV && !common->quiet)
            cli_error("warning: the locale asks for Chinese; writing English");
        code = common->lang == CLI_LANG_ENV ? -1 : CY_EXIT_FAILURE;
        cy_language_set(CY_LANG_EN, NULL);
    }
    cy_error_destroy(&err);
    return code;
}

/* Whether the command has option --`name` (help, say, has no --threads). */
static int has_option(const cli_spec *spec, const char *name)
{
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (strcmp(o->long_name, name) == 0)
            return 1;
    return 0;
}

/* The thread count: --threads N (N > 0), else CHENGYU_THREADS (a number
 * from 0 to CY_MAX_THREADS; anything else is a usage error, not silently
 * ignored, also under --threads 0, which defers to it), else one per
 * processor.  A command without --threads (help) reads no variable.
 * Returns -1 to go on, else the exit code. */
static int set_threads(const cli_spec *spec, const cli_common *common)
{
    const char *text = getenv("CHENGYU_THREADS");
    unsigned long long n;
    char *end;

    if (common->threads != CLI_THREADS_UNSET && common->threads != 0) {
        cy_threads_set(common->threads);
        return -1;
    }
    if (!text || !*text || !has_option(spec, "threads")) {
        cy_threads_set(0);
        return -1;
    }
    errno = 0;
    n = strtoull(text, &end, 10);
    if (*end != '\0' || errno != 0 || text[0] == '-' || n > CY_MAX_THREADS)
        return cli_usage(spec, "CHENGYU_THREADS='%s': expected a number of threads from 0 to %d",
                         cli_echo(text), CY_MAX_THREADS);
    cy_threads_set((size_t)n);
    return -1;
}

int cli_dispatch(const cli_spec *spec, int argc, char **argv)
{
    void *args = cy_calloc(1, spec->args_size);
    int help = 0, code;

    if (!args) {
        cli_error("out of memory");
        return CY_EXIT_FAILURE;
    }
    ((cli_common *)args)->threads = CLI_THREADS_UNSET;
    if (spec->init)
        spec->init(args);
    code = parse_options(spec, argc, argv, args, &help);
    if (code < 0 && help) {
        cli_print_help(spec, stdout);
        code = cli_check_stdout();
    }
    if (code < 0)
        code = check_operands(spec, argc - optind, argv + optind);
    if (code < 0)
        default_format(spec, args);
    if (code < 0)
        code = check_workbook_name(spec, args);
    if (code < 0)
        code = set_language(spec, args);
    if (code < 0)
        code = set_threads(spec, args);
    if (code < 0) {
        cli_load_progress_quiet(((const cli_common *)args)->quiet);
        code = spec->run(args, argc - optind, argv + optind);
    }
    free_lists(spec, args);
    cy_free(args);
    return code;
}

/* ---- help ----------------------------------------------------------------- */

/* Print `text` wrapped at `width` columns, each line indented by `indent`;
 * paragraphs ("\n\n") stay apart, single '\n's are kept as line breaks. */
static void print_wrapped(FILE *out, const char *text, int indent, int width)
{
    while (*text) {
        int col = indent;
        fprintf(out, "%*s", indent, "");
        while (*text && *text != '\n') {
            size_t word = strcspn(text, " \n");
            if (col > indent && col + 1 + (int)word > width) {
                fprintf(out, "\n%*s", indent, "");
                col = indent;
            } else if (col > indent) {
                fputc(' ', out);
                col++;
            }
            fwrite(text, 1, word, out);
            col += (int)word;
            text += word;
            while (*text == ' ')
                text++;
        }
        fputc('\n', out);
        if (*text == '\n')
            text++;
    }
}

/* "-f, --format F" as the help's left column. */
static void option_left(const cli_option *o, char *buf, size_t size)
{
    char shorty[8] = "    ";
    if (o->short_name)
        snprintf(shorty, sizeof shorty, "-%c, ", o->short_name);
    snprintf(buf, size, "%s--%s%s%s", shorty, o->long_name, o->arg ? " " : "",
             o->arg ? o->arg : "");
}

static void print_option_help(const cli_option *o, FILE *out)
{
    char left[64];
    const char *h = o->help;
    option_left(o, left, sizeof left);
    fprintf(out, "    %-24s", left);
    if (strlen(left) >= 24)
        fprintf(out, "\n    %-24s", "");
    while (*h) {
        size_t n = strcspn(h, "\n");
        fwrite(h, 1, n, out);
        fputc('\n', out);
        h += n;
        if (*h == '\n' && *++h)
            fprintf(out, "    %-24s", "");
    }
}

void cli_print_help(const cli_spec *spec, FILE *out)
{
    print_synopsis(spec, out);
    fputc('\n', out);
    print_wrapped(out, spec->description, 0, 78);
    fprintf(out, "\noptions:\n");
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (!(o->flags & CLI_HIDDEN))
            print_option_help(o, out);
    fprintf(out, "    %-24s%s\n", "-h, --help", "show this help");
}

/* ---- man page ------------------------------------------------------------- */

/* Text for roff: backslashes doubled as \e, '-' as \-, and a line that would
 * start with '.' or '\'' guarded by \&. */
static void roff_text(FILE *out, const char *s, size_t n, int line_start)
{
    for (size_t k = 0; k < n; k++, line_start = 0) {
        char ch = s[k];
        if (line_start && (ch == '.' || ch == '\''))
            fputs("\\&", out);
        if (ch == '\\')
            fputs("\\e", out);
        else if (ch == '-')
            fputs("\\-", out);
        else
            fputc(ch, out);
    }
}

static void roff_line(FILE *out, const char *s)
{
    roff_text(out, s, strlen(s), 1);
    fputc('\n', out);
}

/* Paragraphs of `text` as roff: "\n\n" starts a new paragraph, and a single
 * '\n' becomes a line break. */
static void roff_paragraphs(FILE *out, const char *text)
{
    fputs(".PP\n", out);
    while (*text) {
        size_t n = strcspn(text, "\n");
        roff_text(out, text, n, 1);
        fputc('\n', out);
        text += n;
        if (text[0] == '\n' && text[1] == '\n') {
            fputs(".PP\n", out);
            text += 2;
        } else if (*text == '\n') {
            text++;
            if (*text)
                fputs(".br\n", out);
        }
    }
}

static void man_option(FILE *out, const cli_option *o)
{
    const char *h = o->help;
    fputs(".TP\n.B ", out);
    if (o->short_name)
        fprintf(out, "\\-%c, ", o->short_name);
    fputs("\\-\\-", out);
    roff_text(out, o->long_name, strlen(o->long_name), 0);
    if (o->arg) {
        fputs(" \\fI", out);
        roff_text(out, o->arg, strlen(o->arg), 0);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    while (*h) {
        size_t n = strcspn(h, "\n");
        roff_text(out, h, n, 1);
        fputc('\n', out);
        h += n + (h[n] == '\n');
    }
}

static void man_command(FILE *out, const cli_spec *spec)
{
    fprintf(out, ".SS \"chengyu %s\"\n", spec->name);
    roff_line(out, spec->summary);
    fputs(".PP\n.nf\n", out);
    for (size_t k = 0; spec->synopsis[k]; k++) {
        fprintf(out, "\\fBchengyu %s\\fR ", spec->name);
        roff_line(out, spec->synopsis[k]);
    }
    fputs(".fi\n", out);
    roff_paragraphs(out, spec->description);
    for (const cli_option *o = spec->options; o->long_name; o++)
        if (!(o->flags & CLI_HIDDEN))
            man_option(out, o);
    fputs(".TP\n.B \\-h, \\-\\-help\nshow this help\n", out);
}

void cli_print_man(const cli_spec *const *specs, size_t count, FILE *out)
{
    fprintf(out, ".TH CHENGYU 1 \"\" \"chengyu %s\" \"User Commands\"\n", CY_VERSION);
    fputs(".SH NAME\nchengyu \\- analyse the supply\\-chain network of the "
          "Chengdu\\-Chongqing economic circle\n.SH SYNOPSIS\n"
          ".B chengyu\n.I COMMAND\n[\\fIoptions\\fR] [\\fIFILE\\fR]\n.br\n"
          ".B chengyu help\n[\\fICOMMAND\\fR]\n.br\n"
          ".B chengyu \\-\\-version\n.SH DESCRIPTION\n", out);
    roff_paragraphs(out,
        "chengyu loads a network of enterprises (automakers, electronics "
        "makers), multi-tier parts suppliers, industrial parks, clusters and "
        "regions from a chengyu/1 JSON file, computes centrality and "
        "resilience analyses, draws Graphviz diagrams and writes weak-link "
        "reports.\n\nA FILE of - reads the network from standard input; a "
        "named pipe is read the same way.  Every -o file is written "
        "atomically: a failed run leaves no partial file behind.");
    fputs(".SH COMMANDS\n", out);
    for (size_t k = 0; k < count; k++)
        man_command(out, specs[k]);
    fputs(".SH EXIT STATUS\n.TP\n.B 0\nsuccess\n.TP\n.B 1\nbad input or failed "
          "I/O\n.TP\n.B 2\nusage error (unknown option, bad option value)\n"
          ".SH ENVIRONMENT\n.TP\n.B CHENGYU_MAX_INPUT_BYTES\nthe largest input "
          "file read, in bytes (default 2 GiB)\n.TP\n.B CHENGYU_THREADS\nthe thread "
          "count when --threads is not given (0: one per processor)\n.TP\n"
          ".B CHENGYU_HUGE_PAGES\n0: never execute chengyu a second time to give "
          "glibc's heap huge pages on an input of 32 MB or more\n.SH SEE ALSO\n"
          "The chengyu documentation: docs/cli.md, docs/format.md, "
          "docs/analyses.md and docs/rendering.md in the source tree.\n", out);
}

/* ---- bash completion ------------------------------------------------------ */

static void bash_words(FILE *out, const cli_spec *spec)
{
    for (const cli_option *o = spec->options; o->long_name; o++) {
        if (o->flags & CLI_HIDDEN)
            continue;
        if (o->short_name)
            fprintf(out, "-%c ", o->short_name);
        fprintf(out, "--%s ", o->long_name);
    }
    fputs("-h --help", out);
}

/* The case arm completing the value of each option that takes one. */
static void bash_values(FILE *out, const cli_spec *spec)
{
    for (const cli_option *o = spec->options; o->long_name; o++) {
        if (o->type == CLI_FLAG)
            continue;
        fprintf(out, "        ");
        if (o->short_name)
            fprintf(out, "-%c|", o->short_name);
        fprintf(out, "--%s)\n            ", o->long_name);
        if (o->choices) {
            fputs("COMPREPLY=($(compgen -W \"", out);
            for (const cli_choice *c = o->choices; c->name; c++)
                fprintf(out, "%s%s", c == o->choices ? "" : " ", c->name);
            fputs("\" -- \"$cur\")); return;;\n", out);
        } else if (o->flags & CLI_FILE) {
            fputs("COMPREPLY=($(compgen -f -- \"$cur\")); return;;\n", out);
        } else {
            fputs("return;;\n", out);
        }
    }
}

/* What completes an operand of `spec`: the command names for help, "bash"
 * for completion, file names for the commands that read a FILE. */
static void bash_operands(FILE *out, const cli_spec *spec,
                          const cli_spec *const *specs, size_t count)
{
    if (strcmp(spec->name, "help") == 0 || strcmp(spec->name, "completion") == 0) {
        fputs("            COMPREPLY=($(compgen -W \"", out);
        if (strcmp(spec->name, "completion") == 0)
            fputs("bash", out);
        for (size_t k = 0; spec->name[0] == 'h' && k < count; k++)
            fprintf(out, "%s%s", k ? " " : "", specs[k]->name);
        fputs("\" -- \"$cur\"))\n", out);
    } else if (spec->operand) {
        fputs("            COMPREPLY=($(compgen -f -- \"$cur\"))\n", out);
    } else {
        fputs("            :\n", out);
    }
}

void cli_print_bash_completion(const cli_spec *const *specs, size_t count,
                               FILE *out)
{
    fputs("# bash completion for chengyu; generated by 'chengyu completion bash'\n"
          "_chengyu()\n{\n    local cur=${COMP_WORDS[COMP_CWORD]}\n"
          "    local prev=${COMP_WORDS[COMP_CWORD-1]}\n    COMPREPLY=()\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"", out);
    for (size_t k = 0; k < count; k++)
        fprintf(out, "%s ", specs[k]->name);
    fputs("--help --version\" -- \"$cur\"))\n        return\n    fi\n"
          "    case ${COMP_WORDS[1]} in\n", out);
    for (size_t k = 0; k < count; k++) {
        fprintf(out, "    %s)\n        case $prev in\n", specs[k]->name);
        bash_values(out, specs[k]);
        fputs("        esac\n        if [[ $cur == -* ]]; then\n"
              "            COMPREPLY=($(compgen -W \"", out);
        bash_words(out, specs[k]);
        fputs("\" -- \"$cur\"))\n        else\n", out);
        bash_operands(out, specs[k], specs, count);
        fputs("        fi;;\n", out);
    }
    fputs("    esac\n}\ncomplete -o filenames -F _chengyu chengyu\n", out);
}
