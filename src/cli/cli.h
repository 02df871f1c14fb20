/*
 * cli.h - what the command files share: the command table entry, loading
 * with diagnostics, and output selection (stdout or an atomic file).
 * Only src/cli prints and chooses exit codes.
 */
#ifndef CHENGYU_CLI_H
#define CHENGYU_CLI_H

#include "chengyu.h"
#include "options.h"

#include <stdarg.h>
#include <stdio.h>

/* Exit codes of every command. */
/* Text for people in the language of --lang (cy_tr); CLI error messages
 * stay English (docs/languages.md). */
#define _(s) cy_tr(s)
#define P_(one, many, n) cy_ntr(one, many, (unsigned long)(n))

#define CY_EXIT_OK 0
#define CY_EXIT_FAILURE 1 /* bad input, failed I/O */
#define CY_EXIT_USAGE 2

/*
 * Print "chengyu: message" to stderr, with every control character and
 * bidirectional override of the message (a quoted id, an argument) shown
 * as a visible escape, so that nothing echoed can drive the terminal or
 * forge a line.  cli_verror takes a va_list and, unless `command` is
 * NULL, prints "chengyu: COMMAND: message".
 */
void cli_verror(const char *command, const char *fmt, va_list ap);
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Huge pages for glibc's heap (hugepages.c): called first in main, it
 * executes chengyu once more with GLIBC_TUNABLES=glibc.malloc.hugetlb=1
 * when an argument names a file of CLI_HUGE_INPUT bytes or more, the
 * kernel gives huge pages only where asked, and neither GLIBC_TUNABLES
 * nor CHENGYU_HUGE_PAGES=0 says otherwise; it returns when it does not.
 * cli_huge_pages_wanted is the decision alone (its parameters: the kernel's
 * mode text, the two variables, glibc's version).
 */
#define CLI_HUGE_INPUT ((long long)32 << 20)
void cli_huge_pages(int argc, char **argv);
int cli_huge_pages_wanted(int argc, char **argv, const char *thp_mode, const char *tunables,
                          const char *setting, const char *libc_version);
/*
 * glibc's heap keeps what is freed (hugepages.c): blocks under 32 MB come
 * from the heap rather than their own mappings, and free() hands the
 * heap's top back to the system only past 2 GB free (the library still
 * trims on purpose, with malloc_trim).  Called once in main; nothing
 * without glibc.
 */
void cli_heap_keep(void);

/*
 * Progress of a long computation (progress.c): a bar with the time left on
 * a terminal (nothing on a pipe or with -q), a note with the estimated
 * total once it is 10 s or more, and with max_seconds > 0 a stop (exit 1,
 * before any output is opened) as soon as the run's estimate exceeds it:
 * the time spent since cli_progress_run_start (loading, earlier stages),
 * the stage's estimate and the writing set by cli_progress_expect_write.
 * Pass cli_progress_update and the state as the library's progress
 * callback; cli_progress_clear before printing anything else.
 */
typedef struct {
    const char *command, *what;
    int quiet, terminal, drawn, noted;
    int steps;        /* cli_progress_steps: names are steps of one stage */
    double max_seconds, started, last_draw, delay, after;
    double ahead;     /* loading estimated by cli_progress_check_load */
    double ahead_bytes;      /* ... the bytes of the files it counted */
    const char *ahead_path;  /* ... the first of them */
    void (*on_stop)(void *);
    void *stop_data;
} cli_progress;

/* The pace of the writers, for cli_progress_expect_write: bytes of
 * output a second (docs/reliability.md section 2). */
#define CLI_WRITE_BYTES_PER_SECOND 25e6

/* The run's clock starts (main, before the command). */
void cli_progress_run_start(void);
void cli_progress_init(cli_progress *p, const char *command, int quiet,
                       double max_seconds);
void cli_progress_update(const char *what, double percent, void *data);
void cli_progress_clear(cli_progress *p);
/* The writing expected after the computation, counted in its estimate. */
void cli_progress_expect_write(cli_progress *p, double seconds);
/* Before loading `path` with --max-seconds: 0 after printing the refusal
 * when its size at the documented load rate, added to that of the files
 * checked before it, already exceeds the limit (the caller exits 1; the
 * refusal names the files and their sum); 1 otherwise, or for standard
 * input. */
int cli_progress_check_load(cli_progress *p, const char *path);
/* Work without a progress hook (a Graphviz layout), estimated at `seconds`
 * before it starts: 0 after printing the refusal when the run's estimate
 * exceeds --max-seconds; else 1, with the estimate shown on a terminal
 * until cli_progress_clear (a note on a pipe when 10 s or more). */
int cli_progress_expect(cli_progress *p, const char *what, double seconds);
/* Work with a progress hook, estimated at `seconds` before it starts
 * (from the size of what it reads or writes): 0 after printing the
 * refusal when the run's estimate exceeds --max-seconds; else 1, and the
 * library's reports take over (the bar, the estimate from the pace). */
int cli_progress_check(cli_progress *p, const char *what, double seconds);
/*
 * The library's percentages are of the whole work and its names the steps
 * of it ("reading sheet links", "writing links"): a new name changes the
 * label, and keeps the clock and the estimate (the readers and writers).
 */
void cli_progress_steps(cli_progress *p);
/*
 * What to do before a --max-seconds stop exits in the middle of writing:
 * abort the open outputs (cli_output_end(out, 0)), so that nothing is left
 * behind on any file system.  The library is between two records then,
 * and never resumes.
 */
void cli_progress_on_stop(cli_progress *p, void (*fn)(void *), void *data);
/* An estimate for a message: "about 45 s", "about 3 min 05 s", "about 2 h
 * 10 min", and "under 1 s" rather than a rounding up to "about 1 s". */
void cli_progress_format_estimate(double seconds, char *buf, size_t size);
/* A file's size for a message: "640 bytes", "412 KB", "3.4 MB", "182 MB"
 * (decimal units, as the rates in MB/s). */
void cli_progress_format_bytes(double bytes, char *buf, size_t size);

/* How many terminal columns of an echoed value a message shows. */
#define CLI_ECHO_COLUMNS 80

/*
 * A value from the command line or a file (an argument, an id) for a
 * message: made safe for the terminal and cut to CLI_ECHO_COLUMNS columns
 * with "…" (cy_terminal_text).  The text lives until the fourth call
 * after this one.
 */
const char *cli_echo(const char *value);

/* The end of a message about an unknown id: "; did you mean \"x\"?"
 * (x through cli_echo) or "" when `suggestion` is NULL.  Lives as long
 * as cli_echo's text. */
const char *cli_did_you_mean(const char *suggestion);

/*
 * When `text`, refused as an id, is the `name` or `name_zh` of exactly one
 * enterprise (kinds bit 0), park (bit 1 + CY_GROUP_PARK) or region (bit
 * 1 + CY_GROUP_REGION): "it is the name of enterprise \"changan\": give its
 * id", else NULL.  Analysts copy names from their sheets; the options take
 * ids.  Lives as long as cli_echo's text.
 * Time complexity: O(enterprises + groups) (only on the error path).
 */
const char *cli_name_hint(const cy_network *net, const char *text, unsigned kinds);

/* Print every diagnostic of `err` to stderr, then "and N more ...". */
void cli_report(const cy_error *err);

/*
 * Load `path` (input size limit from CHENGYU_MAX_INPUT_BYTES), printing
 * warnings (unless quiet) and errors.  "-", a pipe or a character device
 * is read whole into memory (under the same limit) and loaded from there.
 * An .xlsx workbook or a folder of CSV tables is imported (CSV encoding
 * from cli_encoding, else CHENGYU_ENCODING, else detected).
 * Returns 1 on success.
 */
extern const char *cli_encoding;
/* The options of a spreadsheet input, from cli_encoding and the
 * environment; 0 after printing a bad CHENGYU_MAX_INPUT_BYTES. */
int cli_import_options(cy_import_options *options);
/* 1 when a binary output (a workbook) would go to a terminal. */
int cli_binary_to_terminal(const char *output_path);
int cli_load(const char *path, cy_network **net, int quiet);
/* The command's -q, which also hides the bar shown on a terminal while a
 * file loads (set by the option parser before the command runs). */
void cli_load_progress_quiet(int quiet);

/*
 * An input that a command reads twice (scenarios re-reads the network to
 * apply mitigations).  A stream ("-", a pipe) is copied into an anonymous
 * memory file that `path` names ("/proc/self/fd/N"); any other input keeps
 * its own path.  `name` is how messages call it ("<stdin>").
 */
typedef struct {
    const char *path; /* the input's path, or buf */
    const char *name;
    int fd;           /* the memory file, or -1 */
    char buf[64];
} cli_input;
/* cli_load that keeps a stream readable again through kept->path; release
 * with cli_input_close (also after a failure). */
int cli_load_kept(const char *path, cy_network **net, int quiet, cli_input *kept);
void cli_input_close(cli_input *kept);

/*
 * A second input (a scenarios file, GeoJSON boundaries) read as the
 * network input is.  cli_is_stream: whether `path` is "-" or a pipe or
 * FIFO; such an input is read whole by cli_read_stream (a FIFO gets 10 s
 * for its first byte, then "named pipe with no data after 10 s"; more than
 * `limit` bytes, 0 for CHENGYU_MAX_INPUT_BYTES' default, refused: with
 * `env_limit` the message says to raise CHENGYU_MAX_INPUT_BYTES) into
 * *data (cy_free).  Its messages start with the name ("<stdin>" for "-");
 * leave err->file NULL.  Any other path goes to the library's reader,
 * which refuses what is not a regular file.
 */
int cli_is_stream(const char *path);
cy_status cli_read_stream(const char *path, size_t limit, int env_limit, char **data,
                          size_t *size, cy_error *err);

/* cli_load without keeping the network (cy_network_check): for validate. */
int cli_check(const char *path, size_t *enterprise_count, size_t *link_count,
              int quiet);
/* cli_check into `err`, printing nothing (validate --format json). */
int cli_check_into(const char *path, size_t *enterprise_count,
                   size_t *link_count, cy_error *err);

/*
 * Where a command writes: stdout, or an atomic file for -o.  cli_output_begin
 * returns 1 and sets *stream, or 0 after printing an error.  cli_output_end
 * commits (or aborts when `ok` is 0) and checks stdout was really written;
 * it returns the exit code to use.
 */
typedef struct {
    cy_output *file;
    FILE *stream;
} cli_output;

int cli_output_begin(cli_output *out, const char *path, const char *input_path);
/* cli_output_begin protecting up to 4 inputs (NULL or "-" entries
 * skipped): the main one first, then a command's second inputs (a
 * scenarios file, boundaries); with `scenarios`, a second input that is a
 * folder protects its scenarios.csv too. */
int cli_output_begin_inputs(cli_output *out, const char *path, const char *const *inputs,
                            size_t count, int scenarios);
int cli_output_end(cli_output *out, int ok);
/*
 * cli_output_end for the outputs of one run together (at most
 * CLI_OUTPUTS_MAX): when `ok` and standard output (if one of them is it)
 * was written, the files are committed together (cy_output_commit_all),
 * so that a failure keeps every earlier file; else they are all aborted.
 */
#define CLI_OUTPUTS_MAX 8
int cli_outputs_end(cli_output *const *outs, size_t count, int ok);

/*
 * Refuse two outputs of one run that would write the same file (the same
 * path, a link, a hard link, a descriptor on it): prints the error and
 * returns CY_EXIT_USAGE, CY_EXIT_FAILURE if a path cannot be resolved, or
 * CY_EXIT_OK.  `labels` name the options ("-o", "--plot").  Call it before
 * any work.
 */
int cli_outputs_distinct(const char *const *paths, const char *const *labels,
                         size_t count);

/* Check that stdout was written (fflush + ferror); prints and returns
 * CY_EXIT_FAILURE if not. */
int cli_check_stdout(void);

/* Parse a non-negative integer option value; returns 0 on junk/overflow. */
int cli_parse_ulong(const char *text, unsigned long long max,
                    unsigned long long *value);
/* Parse a finite double; returns 0 on junk. */
int cli_parse_double(const char *text, double *value);

/* A growable list of enterprise indices named on the command line. */
typedef struct {
    size_t *items;
    size_t count, capacity;
} cli_index_list;

/* Append; 0 on OOM (the list is intact). */
int cli_index_list_push(cli_index_list *list, size_t value);

/*
 * Resolve one argument of `option` ("--fail", "--demand-of": named in the
 * messages; a park or region id is pointed to --fail-park or --fail-region
 * for --fail) into `list`.  An argument that is itself an
 * enterprise id is taken whole (ids may contain commas); otherwise it is
 * split on commas; an id already in `list` is not added again.  Returns
 * 1; 0 after printing the error (unknown or
 * overlong id: bad input; a park or region id says which option to use);
 * -1 after printing the usage error of `spec` for an empty id ("",
 * "a,,b", "a,"), which no file can make valid.
 */
int cli_resolve_ids(const cli_spec *spec, const cy_network *net, const char *input,
                    const char *option, const char *arg, cli_index_list *list);

/* A shock from the command line (cascade, stress): failed enterprises
 * (duplicates possible) and degraded ones with their capacity left. */
typedef struct {
    cli_index_list fail;
    cy_degrade *degrade;
    size_t degrade_count, degrade_capacity;
} cli_shock;

/* The shock options as parsed: --fail, --fail-park, --fail-region,
 * --degrade (each repeatable). */
typedef struct {
    const cli_strings *fail, *fail_park, *fail_region, *degrade;
} cli_shock_args;

void cli_shock_destroy(cli_shock *shock);

/* Split "ID=FRACTION" at its last '='; the fraction must be a number in
 * [0, 1].  Returns 1 with *id allocated (cy_free it), or the usage error's
 * exit code after printing it (usage of `spec`). */
int cli_shock_parse_degrade(const cli_spec *spec, const char *arg, char **id,
                            double *fraction);

/* Every --degrade well formed: -1, or the usage error's exit code. */
int cli_shock_check_degrade(const cli_spec *spec, const cli_strings *degrade);

/* Whether some --degrade (already checked) leaves a capacity strictly
 * between 0 and 1. */
int cli_shock_degrade_partial(const cli_strings *degrade);

/*
 * Resolve the shock options into `shock`: --fail ids (cli_resolve_ids),
 * every member of each --fail-park and --fail-region, and each --degrade
 * target (an enterprise, a park or a region) at its fraction.  Returns 1;
 * 0 after printing an error (an unknown id, with the nearest valid one);
 * -1 after printing a usage error.
 */
int cli_shock_build(const cli_spec *spec, const cy_network *net, const char *input,
                    const cli_shock_args *args, cli_shock *shock);

/* The result of a library writer: prints the diagnostics of a failure;
 * returns 1 when `status` is CY_OK (for cli_output_end). */
int cli_write(cy_status status, cy_error *err);

/* The library's write options for the parsed common options: the format
 * (CLI_FORMAT_TABLE is the library's TEXT; `fallback` when none was
 * given) and --csv-raw. */
void cli_write_options(const cli_common *common, cy_format fallback,
                       cy_write_options *options);


/* The commands, one spec each (src/cli/cmd_<name>.c), and main.c's own. */
extern const cli_spec cli_spec_validate, cli_spec_info, cli_spec_generate,
    cli_spec_centrality, cli_spec_cascade, cli_spec_resilience,
    cli_spec_weaklinks, cli_spec_stress, cli_spec_diff, cli_spec_render, cli_spec_export,
    cli_spec_import, cli_spec_scenarios;

#endif /* CHENGYU_CLI_H */
