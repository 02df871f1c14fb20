/*
 * options.h - one option table per command.
 *
 * Each command describes itself once, in a cli_spec: its name, synopsis,
 * description, operands and a table of options.  That one table drives
 * parsing (getopt_long, built from it), `--help` and `chengyu help CMD`,
 * the man page (`chengyu help --man`) and bash completion (`chengyu
 * completion bash`), so the four can never disagree.
 *
 * Parsed values land in a per-command struct: each option names the offset
 * of its field.  Every such struct starts with a cli_common, the options
 * every command shares (-f/--format, -o/--output, -q/--quiet, and
 * --csv-raw where CSV is offered); the meaning of a short letter is the
 * same in every command (see docs/cli.md, "Conventions").
 */
#ifndef CHENGYU_CLI_OPTIONS_H
#define CHENGYU_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The formats any command can write; each command lists those it offers. */
typedef enum {
    CLI_FORMAT_NONE = 0, /* not given: the command picks its default */
    CLI_FORMAT_TABLE,    /* the human format (alias "text") */
    CLI_FORMAT_CSV,
    CLI_FORMAT_JSON,
    CLI_FORMAT_MD,
    CLI_FORMAT_HTML,
    CLI_FORMAT_XLSX,
    CLI_FORMAT_SVG,
    CLI_FORMAT_PNG,
    CLI_FORMAT_PDF,
    CLI_FORMAT_DOT,
    CLI_FORMAT_GRAPHML
} cli_format;

/* A name a value may be given as; `help` NULL marks an alias, accepted but
 * not listed as a choice of its own. */
typedef struct {
    const char *name;
    int value;
    const char *help;
} cli_choice;

/* Every occurrence of a repeatable option, in command-line order. */
typedef struct {
    const char **items;
    size_t count;
} cli_strings;

/* The options every command has; the first member of every args struct. */
typedef struct {
    int format;        /* a cli_format; CLI_FORMAT_NONE when not given */
    const char *output;/* -o; NULL or "-" for standard output */
    int quiet;
    int csv_raw;       /* CSV cells written as they are (no formula guard) */
    int lang;          /* a cli_lang; CLI_LANG_ENV when not given */
    size_t threads;    /* --threads; CLI_THREADS_UNSET when not given */
} cli_common;

/* cli_common.threads when --threads is not given (CHENGYU_THREADS or one
 * thread per processor then). */
#define CLI_THREADS_UNSET ((size_t)-1)

/* --lang: the language of the output for people (docs/languages.md). */
typedef enum { CLI_LANG_ENV = 0, CLI_LANG_EN, CLI_LANG_ZH } cli_lang;

typedef enum {
    CLI_FLAG,    /* int, set to 1 */
    CLI_STRING,  /* const char *, the last occurrence wins */
    CLI_STRINGS, /* cli_strings, every occurrence kept (repeatable) */
    CLI_SIZE,    /* size_t within [min, max] */
    CLI_U64,     /* uint64_t (seeds) */
    CLI_REAL,    /* double within [min, max] */
    CLI_CHOICE   /* int, the value of one of `choices` */
} cli_type;

/* Option flags. */
#define CLI_HIDDEN 1u  /* an alias: parsed, left out of help and man page */
#define CLI_FILE 2u    /* its value is a file name (completion offers files) */
#define CLI_ONCE 4u    /* a second occurrence is a usage error, not a silent
                        * replacement of the first */
#define CLI_ABOVE_MIN 8u /* a real must be above `min`, not equal to it */

typedef struct {
    int short_name;            /* 0: long only */
    const char *long_name;
    cli_type type;
    size_t offset;             /* of the field in the command's args struct */
    const char *arg;           /* the value's name in help ("N"); NULL for flags */
    const char *help;          /* lines separated by '\n' */
    const cli_choice *choices; /* CLI_CHOICE: ends with {NULL, 0, NULL} */
    double min, max;           /* CLI_SIZE, CLI_REAL */
    unsigned flags;
} cli_option;

/* Shorthands for table rows; T is the args struct type, F its field. */
#define CLI_OPT_FLAG(s, l, T, F, h) \
    {s, l, CLI_FLAG, offsetof(T, F), NULL, h, NULL, 0, 0, 0}
#define CLI_OPT_STRING(s, l, T, F, a, h) \
    {s, l, CLI_STRING, offsetof(T, F), a, h, NULL, 0, 0, 0}
#define CLI_OPT_FILE(s, l, T, F, a, h) \
    {s, l, CLI_STRING, offsetof(T, F), a, h, NULL, 0, 0, CLI_FILE}
#define CLI_OPT_STRINGS(s, l, T, F, a, h) \
    {s, l, CLI_STRINGS, offsetof(T, F), a, h, NULL, 0, 0, 0}
#define CLI_OPT_SIZE(s, l, T, F, a, lo, hi, h) \
    {s, l, CLI_SIZE, offsetof(T, F), a, h, NULL, lo, hi, 0}
#define CLI_OPT_U64(s, l, T, F, a, h) \
    {s, l, CLI_U64, offsetof(T, F), a, h, NULL, 0, 0, 0}
#define CLI_OPT_REAL(s, l, T, F, a, lo, hi, h) \
    {s, l, CLI_REAL, offsetof(T, F), a, h, NULL, lo, hi, 0}
/* A real in (0, hi]: a duration, say. */
#define CLI_OPT_POSITIVE(s, l, T, F, a, hi, h) \
    {s, l, CLI_REAL, offsetof(T, F), a, h, NULL, 0, hi, CLI_ABOVE_MIN}
#define CLI_OPT_CHOICE(s, l, T, F, a, c, h) \
    {s, l, CLI_CHOICE, offsetof(T, F), a, h, c, 0, 0, 0}
#define CLI_OPT_CHOICE_ONCE(s, l, T, F, a, c, h) \
    {s, l, CLI_CHOICE, offsetof(T, F), a, h, c, 0, 0, CLI_ONCE}

/* The shared rows: -f/--format with the command's formats, -o, -q. */
#define CLI_OPT_FORMAT(T, formats, h) \
    CLI_OPT_CHOICE('f', "format", T, common.format, "F", formats, h)
#define CLI_OPT_OUTPUT(T, h) \
    {'o', "output", CLI_STRING, offsetof(T, common.output), "OUT", h, NULL, 0, 0, CLI_FILE}
#define CLI_OPT_QUIET(T) \
    CLI_OPT_FLAG('q', "quiet", T, common.quiet, "do not print warnings and notes")
#define CLI_OPT_CSV_RAW(T) \
    CLI_OPT_FLAG(0, "csv-raw", T, common.csv_raw, \
                 "write CSV cells as they are, without the guard against\n" \
                 "spreadsheet formulas (docs/cli.md, \"CSV\")")
/* --lang en|zh, on every command that writes for people. */
#define CLI_OPT_LANG(T) \
    CLI_OPT_CHOICE(0, "lang", T, common.lang, "L", cli_langs, \
                   "language of the output for people (tables, Markdown,\n" \
                   "HTML, workbooks, legends, plots): en or zh; default\n" \
                   "from LC_ALL, LC_MESSAGES or LANG (zh_* gives zh);\n" \
                   "JSON and CSV do not change")
/* --threads N, on every command (cli_dispatch applies it). */
#define CLI_OPT_THREADS(T) \
    CLI_OPT_SIZE(0, "threads", T, common.threads, "N", 0, CY_MAX_THREADS, \
                 "threads for the parallel work (default: CHENGYU_THREADS,\n" \
                 "else 0: one per processor online); the output is the\n" \
                 "same for every count")
#define CLI_OPT_TOP(T, F, h) CLI_OPT_SIZE('n', "top", T, F, "N", 1, 1e18, h)
#define CLI_OPT_THRESHOLD(T, F) \
    CLI_OPT_REAL('t', "threshold", T, F, "T", 0, 1, \
                 "cascade threshold in [0, 1] (default 0: a firm fails\n" \
                 "only when a part loses every supplier)")
/* --max-seconds S: stop a computation estimated to take longer (progress.c). */
#define CLI_OPT_MAX_SECONDS(T, F) \
    CLI_OPT_REAL(0, "max-seconds", T, F, "S", 0, 1e9, \
                 "stop with exit 1 when the run (loading, computing,\n" \
                 "writing) is estimated to take more than S seconds\n" \
                 "(estimated from the file's size before loading, then\n" \
                 "after a second or a tenth of the work; default 0:\n" \
                 "no limit, an estimate of 10 s or more is printed)")
#define CLI_OPT_END {0, NULL, CLI_FLAG, 0, NULL, NULL, NULL, 0, 0, 0}

/*
 * A command.  `run` gets the parsed args struct and the operands; it
 * returns the exit code.  `init` sets defaults (may be NULL: all zero).
 */
typedef struct cli_spec {
    const char *name;
    const char *summary;               /* one line, for the command list */
    const char *const *synopsis;       /* usage lines after "chengyu NAME " */
    const char *description;           /* paragraphs separated by "\n\n" */
    const cli_option *options;         /* ends with CLI_OPT_END */
    size_t args_size;
    void (*init)(void *args);
    const char *operand;               /* "FILE", or NULL for none */
    int operands_min, operands_max;
    int (*run)(void *args, int operand_count, char **operands);
} cli_spec;

/*
 * Parse argv (argv[0] is the command name) against `spec`, run the command
 * and return its exit code: 2 for a usage error (unknown option, missing
 * or bad value, wrong number of operands), after printing the message and
 * a pointer to `chengyu help NAME`; 0 after --help.
 * Time complexity: O(argc x options).
 */
int cli_dispatch(const cli_spec *spec, int argc, char **argv);

/* Print the help of `spec` (the same text as `chengyu NAME --help`). */
void cli_print_help(const cli_spec *spec, FILE *out);

/*
 * The man page chengyu(1) in roff, and the bash completion script, from the
 * specs of every command (`count` of them).
 */
void cli_print_man(const cli_spec *const *specs, size_t count, FILE *out);
void cli_print_bash_completion(const cli_spec *const *specs, size_t count,
                               FILE *out);

/* The name of a format ("table", "csv", ...). */
const char *cli_format_name(int format);

/*
 * The format named by OUT's extension if the command offers it (".json" ->
 * json, ".md" -> md ...), else `fallback`.  NULL or "-" gives `fallback`.
 */
int cli_format_from_path(const cli_spec *spec, const char *path, int fallback);

/* Usage error for values checked after parsing; returns 2. */
int cli_usage(const cli_spec *spec, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The format choices, shared by the commands' tables. */
extern const cli_choice cli_formats_table_csv_json[];
extern const cli_choice cli_formats_table_json[];
/* The --lang choices. */
extern const cli_choice cli_langs[];

#endif /* CHENGYU_CLI_OPTIONS_H */
