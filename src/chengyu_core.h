/*
 * chengyu_core.h - status codes, diagnostics, allocation, library set-up and atomic output files: what every other part of libchengyu stands on.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_CORE_H
#define CHENGYU_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "chengyu_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CY_FORMAT "chengyu/1"

/* ------------------------------------------------------------------ */
/* Status codes                                                        */
/* ------------------------------------------------------------------ */

typedef enum {
    CY_OK = 0,
    CY_EINPUT,    /* the input is malformed or violates chengyu/1 */
    CY_EIO,       /* reading or writing a file failed */
    CY_ENOMEM,    /* an allocation failed */
    CY_EUSAGE,    /* a parameter is out of its domain (bad id, bad option value) */
    CY_EINTERNAL  /* a library (igraph, Graphviz) reported an unexpected error */
} cy_status;

/* A short lowercase English name for a status ("bad input", ...). */
const char *cy_status_string(cy_status status);

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

typedef enum { CY_SEV_ERROR = 0, CY_SEV_WARNING = 1 } cy_severity;

/*
 * One problem found in an input or during a run.  `file` may be NULL.
 * `path` is a JSON path such as "$.links[12].to" (may be NULL when the
 * problem concerns the whole file).  `line`/`column` are 1-based positions
 * in the file, 0 when unknown (only parse errors know them).
 */
typedef struct {
    cy_severity severity;
    char *file;
    char *path;
    int line;
    int column;
    char *message;
} cy_diag;

/*
 * A list of diagnostics.  Stack-allocate it, cy_error_init() it, pass its
 * address to library calls, cy_error_destroy() it.  Errors beyond
 * `max_errors` (default CY_MAX_ERRORS) are counted but not stored, and
 * `limit_reached`, set by the first of them, tells loaders to stop (so
 * error_count > the errors stored means "there were more"); warnings
 * beyond `max_warnings` likewise.  If recording a diagnostic itself runs
 * out of memory, the diagnostic is dropped and `oom` is set: the caller
 * reports "out of memory".
 */
#define CY_MAX_ERRORS 50
#define CY_MAX_WARNINGS 50

typedef struct cy_error {
    cy_diag *items;
    size_t count;
    size_t capacity;
    size_t error_count;    /* all errors seen, stored or not */
    size_t warning_count;  /* all warnings seen, stored or not */
    size_t max_errors;
    size_t max_warnings;
    int limit_reached;
    int oom;
    const char *file;      /* attached to every diagnostic added; not owned */
} cy_error;

void cy_error_init(cy_error *err);
void cy_error_destroy(cy_error *err);
/* Forget every diagnostic; keeps limits and file. */
void cy_error_clear(cy_error *err);

/*
 * Record a diagnostic.  `path` may be NULL; `fmt` is printf-style.
 * Returns nothing: a failure to record is remembered in err->oom.
 * Time complexity: O(length of the message).
 */
void cy_error_add(cy_error *err, cy_severity severity, const char *path,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void cy_error_add_at(cy_error *err, cy_severity severity, int line,
                     int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/*
 * Format diagnostic `i` as one line, without a trailing newline:
 * "FILE: PATH: message", "FILE:LINE:COLUMN: message" ("LINE:COLUMN:
 * message" when there is no file), with "warning: " prefixed for warnings.
 * Control bytes and terminal escapes in any part are replaced by '?' so
 * that hostile input can never drive the terminal.
 * Returns a string from cy_malloc (free with cy_free) or NULL on OOM.
 * Time complexity: O(length of the line).
 */
char *cy_error_format(const cy_error *err, size_t i);

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

/*
 * Every allocation made by libchengyu (and by Jansson once
 * cy_library_init() has run) goes through these wrappers, so that tests can
 * make the Nth allocation fail.  cy_free(NULL) is a no-op.
 */
void *cy_malloc(size_t size);
void *cy_calloc(size_t count, size_t size);
void *cy_realloc(void *ptr, size_t size);
char *cy_strdup(const char *s);
char *cy_strndup(const char *s, size_t n);
void cy_free(void *ptr);

/*
 * Set up the libraries chengyu stands on: installs an igraph error handler
 * that returns errors instead of aborting (the message is kept for
 * cy_igraph_last_error()), silences igraph warnings, and routes Jansson's
 * allocations through cy_malloc (while the loader parses a record on a
 * thread, that thread's Jansson allocations come from a per-load arena
 * whose blocks come from cy_malloc; other threads are not affected).
 * Idempotent; called by cy_network_load and by every analysis entry point,
 * so callers rarely need it.
 * Time complexity: O(1).
 */
void cy_library_init(void);
/* The message of the last igraph error, "" if none. */
const char *cy_igraph_last_error(void);

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

/* The most threads the library's parallel work ever uses. */
#define CY_MAX_THREADS 64

/*
 * The number of threads the library's parallel work uses (the per-firm
 * loops of the analyses, the stress programs, the load): `count`, at most
 * CY_MAX_THREADS; 0 (the default) for one per processor online.  Answers
 * and output never depend on it.  Process-wide: set it before a library
 * call, not while one runs on another thread.
 * Time complexity: O(1).
 */
void cy_threads_set(size_t count);
/* The thread count in force (at least 1).  Time complexity: O(1). */
size_t cy_threads_get(void);

/* ------------------------------------------------------------------ */
/* Processes of an MPI run (docs/scaling.md)                           */
/* ------------------------------------------------------------------ */

/*
 * Spread the per-firm loops over the processes of MPI_COMM_WORLD.  The
 * caller has initialised MPI (at least MPI_THREAD_FUNNELED) and calls
 * every library function on the thread that did.  Afterwards every process
 * must make the same library calls on the same network: each loop is a
 * collective in which a process computes a fixed share of the items
 * (item k on process k mod size) and receives the others', so every
 * process ends with the results one process alone computes, bit for bit.
 * Outputs opened with cy_output_open on processes other than 0 are
 * written to /dev/null, and cy_output_commit is a collective: process 0
 * gives its output its name only when every process is still running
 * and none failed.  CY_EUSAGE when the library was built without
 * MPI (CHENGYU_MPI) or MPI is not initialised, and on every process when
 * any process's MPI gives less than MPI_THREAD_FUNNELED or is called off
 * the thread that started it (a collective: every process calls it).
 * Time complexity: O(log processes).
 */
cy_status cy_dist_attach(cy_error *err);
/* This process's rank (0 without cy_dist_attach).  Time complexity: O(1). */
size_t cy_dist_rank(void);
/* The number of processes (1 without cy_dist_attach).  Time complexity: O(1). */
size_t cy_dist_size(void);
/* How many loops this run has spread over the processes so far (each
 * exchange of results counts once).  Time complexity: O(1). */
size_t cy_dist_exchanges(void);
/*
 * End the distributed run: every process calls it once with its exit code
 * and gets the largest of all (1 at least when a process left while others
 * were still in a loop, who then failed that loop instead of waiting for
 * it).  Then call MPI_Finalize.  Without cy_dist_attach it returns `code`.
 * Time complexity: O(processes).
 */
int cy_dist_finish(int code);
/*
 * The line this process printed last about an error or a stop (without the
 * program's prefix; NULL forgets it; cut to 511 bytes at a character
 * boundary).  A process that leaves the run sends it: the processes still
 * in a loop fail that loop with it as their message, and cy_dist_finish
 * keeps it for cy_dist_stop_reason, so process 0, the one that prints, can
 * say why another process stopped the run.  No allocation.
 * Time complexity: O(length).
 */
void cy_dist_last_words(const char *line);
/*
 * After cy_dist_finish: the last words of the process that made the run's
 * exit code larger than this process's own (the lowest rank of those with
 * the largest code that said something; a line naming the process and its
 * code when none did), or NULL.  Time complexity: O(1).
 */
const char *cy_dist_stop_reason(void);

/* ------------------------------------------------------------------ */
/* Language of the output for people                                   */
/* ------------------------------------------------------------------ */

/*
 * The language the writers use for people's formats (table, Markdown,
 * HTML, xlsx, diagrams' legends, plots): headings, legends, notes and
 * amounts.  Machine formats (JSON, CSV keys, GraphML, DOT attributes)
 * never change with it.  English is the default and is the text of the
 * sources; Chinese comes from the gettext catalog chengyu.mo (docs/languages.md).
 */
typedef enum { CY_LANG_EN = 0, CY_LANG_ZH = 1 } cy_language;

/*
 * Make `lang` the language of every writer of the process (a process-wide
 * setting, like setlocale: set it before writing, not while another
 * thread writes).  CY_LANG_ZH binds the text domain "chengyu" to the
 * catalog directory ($CHENGYU_LOCALEDIR, else the installed locale
 * directory, else the build tree's) and selects zh_CN messages in a way
 * that needs no installed zh_CN locale: LC_MESSAGES is set to zh_CN.UTF-8
 * or, when the system lacks it, C.UTF-8, and LANGUAGE to zh_CN (GNU
 * gettext ignores LANGUAGE only in the "C" locale).  CY_EIO when no
 * catalog is found (the language is then left as it was); CY_EUSAGE for
 * an unknown language.  Time complexity: O(1) (the catalog is read once).
 */
cy_status cy_language_set(cy_language lang, cy_error *err);
/* The language set, CY_LANG_EN until cy_language_set. */
cy_language cy_language_get(void);
/*
 * The language the environment asks for: the first of LC_ALL,
 * LC_MESSAGES and LANG that is set and not empty gives CY_LANG_ZH when it
 * starts with "zh" ("zh_CN.UTF-8", "zh_TW", "zh"), CY_LANG_EN otherwise
 * or when none is set.  Time complexity: O(1).
 */
cy_language cy_language_from_environment(void);
/* The name of a language ("en", "zh"); "unknown" out of range. */
const char *cy_language_name(cy_language lang);
/*
 * Text for people in the language set: `msgid` itself in English, its
 * translation from the catalog in Chinese (`msgid` when the catalog has
 * none).  cy_ntr: the form of a counted phrase, `one` for n == 1 in
 * English, the catalog's plural form in Chinese.  The result is static
 * or `msgid`; never free it.  Time complexity: O(log catalog size).
 */
const char *cy_tr(const char *msgid);
const char *cy_ntr(const char *one, const char *many, unsigned long n);


/* ------------------------------------------------------------------ */
/* Suggestions ("did you mean")                                        */
/* ------------------------------------------------------------------ */

/* How far a name may be from the one asked for to be suggested. */
#define CY_SUGGEST_DISTANCE 2
/* Names longer than this (in characters) are never suggested nor matched
 * approximately (ids and part names have at most 256 bytes). */
#define CY_SUGGEST_MAX_CHARS 260

/*
 * The Levenshtein distance between a and b (the fewest insertions,
 * deletions and substitutions of one character, a character being a
 * UTF-8 code point) when it is at most `limit`, else limit + 1.  A byte
 * that is not valid UTF-8 counts as a character of its own.  Strings
 * longer than CY_SUGGEST_MAX_CHARS are at distance 0 when equal, else
 * limit + 1.
 * Time complexity: O(limit * (length of a + length of b)).
 */
size_t cy_edit_distance(const char *a, const char *b, size_t limit);

/*
 * The nearest of a set of names to `word`: init, offer every candidate,
 * then best is the candidate at the smallest distance, at most `limit`
 * (use CY_SUGGEST_DISTANCE), the first offered among equals, or NULL.  A
 * candidate equal to the word is at distance 0.  The suggester keeps
 * pointers to the candidates, not copies.  No allocation.
 * Time complexity: O(limit * length) per candidate offered.
 */
typedef struct {
    uint32_t word[CY_SUGGEST_MAX_CHARS];
    size_t length;        /* of word, CY_SUGGEST_MAX_CHARS + 1 if longer */
    size_t limit;
    const char *best;
    size_t distance;      /* of best */
} cy_suggester;

void cy_suggester_init(cy_suggester *s, const char *word, size_t limit);
void cy_suggester_offer(cy_suggester *s, const char *candidate);
const char *cy_suggester_best(const cy_suggester *s);

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/*
 * From now on, SIGPIPE (a reader of standard output or error that went
 * away: `chengyu ... | head -1`) ends the process quietly with exit
 * `status` instead of killing it (exit 141 in a shell): the named
 * temporary file of an output being written is removed first, an unnamed
 * one vanishes, the target is left as it was.  For programs, such as the
 * CLI, whose output is worthless once nobody reads it; a library user
 * that wants EPIPE from write(2) ignores SIGPIPE instead.
 * Time complexity: O(1).
 */
void cy_output_exit_on_sigpipe(int status);

/*
 * Atomic output file.  cy_output_open returns a stream to write to; what is
 * written stays in memory up to 4 MB and past that goes to a temporary
 * file in the directory of the file replaced, created then (at the commit
 * for smaller output): unnamed (O_TMPFILE) where the file system has it,
 * else ".NAME.XXXXXX" (NAME cut so that the whole stays within 255 bytes).
 * cy_output_commit flushes and fsyncs it, gives it its name and renames it
 * over the target, and fsyncs the directory; cy_output_abort drops what is
 * buffered and removes the temporary file.  A failure while writing (the
 * temporary file cannot be created, the disk is full) sets the stream's
 * error flag and is reported by the commit (or by cy_output_check).  Past
 * 4 MB a writer thread makes the write(2) calls, so the disk work overlaps
 * the caller's; it is joined by commit and abort.  Either commit or abort
 * must be called exactly once; both free the handle.
 *
 * What `path` names is decided at open, following its symbolic links:
 * - a descriptor of this process (/dev/stdout, /dev/stderr, /dev/fd/N,
 *   /proc/self/fd/N, or a link to one): the output is kept in memory and
 *   written to that descriptor at commit (stdout/stderr flushed first);
 * - a character device or FIFO (/dev/null, a named pipe): kept in memory
 *   and written to it at commit; a FIFO is opened without blocking and
 *   waits up to CY_OUTPUT_FIFO_WAIT_MS for a reader, then fails;
 * - a regular file, new or existing, directly or through symbolic links:
 *   the file the last link names is replaced (in its own directory), the
 *   links stay; a dangling link's target is created;
 * - refused (CY_EIO, with a clear message): a directory, a block device, a
 *   socket, a descriptor of another process or one not open for writing,
 *   a missing or read-only directory, more than 40 links, and a path that
 *   names the same file as `input_path` (may be NULL).
 * Nothing is ever renamed over a link, a device, a FIFO or a socket.
 * Without O_TMPFILE the named temporary file is removed before the process
 * dies of any signal whose default action ends it and that it does not
 * ignore or handle itself (SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT,
 * SIGALRM, SIGUSR1, ...; not SIGKILL).
 * Time complexity: O(bytes written).
 */
typedef struct cy_output cy_output;

cy_status cy_output_open(const char *path, const char *input_path,
                         cy_output **out, cy_error *err);
/* cy_output_open refusing a path that names any of the `count` files
 * `inputs` (a command's second input: a scenarios file, boundaries; NULL
 * entries skipped).  Time complexity: as cy_output_open. */
cy_status cy_output_open_inputs(const char *path, const char *const *inputs, size_t count,
                                cy_output **out, cy_error *err);
FILE *cy_output_stream(cy_output *output);
cy_status cy_output_commit(cy_output *output, cy_error *err);
void cy_output_abort(cy_output *output);

/*
 * Commit the outputs of one run together (NULL entries are skipped), so
 * that a failure leaves every one of their targets as it was: first every
 * output is flushed and, for a regular file, written whole to its
 * temporary file and fsynced; then descriptors, devices and FIFOs are
 * written (they cannot be taken back, so a failure of the second of two
 * such leaves the first written); only when all that succeeded are the
 * files renamed over their targets, in order, with the catchable fatal
 * signals blocked from the first rename to the last.  What cannot be made
 * atomic: a rename that fails after an earlier one succeeded (the
 * directory removed or broken in between), or SIGKILL or a power loss
 * between two renames, leaves the earlier targets new and the later ones
 * old.  Every handle is freed.  An MPI run agrees once per output, in
 * order, as cy_output_commit does.
 * Time complexity: O(bytes not yet written).
 */
cy_status cy_output_commit_all(cy_output *const *outputs, size_t count,
                               cy_error *err);

/* How long a FIFO output waits for a reader at commit. */
#define CY_OUTPUT_FIFO_WAIT_MS 10000

/*
 * If a write to the output's stream has failed, add the reason ("cannot
 * write 'OUT': No space left on device") to `err` and return CY_EIO (or
 * CY_ENOMEM); else CY_OK.  For callers that give up after a failed write
 * and abort instead of committing.  Time complexity: O(1).
 */
cy_status cy_output_check(const cy_output *output, cy_error *err);

/*
 * Check that no two of paths[0 .. count) would write the same file: the
 * same path, the same file through another name, a link or a hard link,
 * or a descriptor open on it.  NULL and "-" entries (standard output) are
 * skipped, and character devices (/dev/null) may be shared.  `labels`
 * (may be NULL) names each path in the message, e.g. "--plot".
 * Returns CY_EUSAGE with a message naming both when two coincide, CY_EIO
 * when a path cannot be resolved, CY_OK otherwise.  Call it before any
 * output of a run is opened.
 * Time complexity: O(count^2) comparisons plus one path resolution each.
 */
cy_status cy_output_check_distinct(const char *const *paths,
                                   const char *const *labels, size_t count,
                                   cy_error *err);

/* ------------------------------------------------------------------ */
/* Output formats                                                      */
/* ------------------------------------------------------------------ */

/*
 * The formats of the writers (chengyu_report.h, chengyu_io.h).  Each writer says which it writes and
 * refuses the others with CY_EUSAGE.  Conventions shared by all
 * (docs/cli.md, "Output conventions"): a real has one spelling in every
 * format (integral values below 2^53 with all digits and ".0", others with
 * the fewest of 15-17 significant digits that read back exactly: "0.7",
 * "1500.0", "1e20"); formats for people (TEXT, MD, HTML) write money as
 * "¥3.2 bn" and shares as "37.5%" and show control characters and
 * bidirectional overrides of user strings as visible escapes; CSV is RFC
 * 4180 with LF line ends and text cells guarded against formula injection.
 */
typedef enum {
    CY_FORMAT_TEXT = 0,  /* for a terminal: lines and aligned tables */
    CY_FORMAT_CSV,
    CY_FORMAT_JSON,
    CY_FORMAT_MD,        /* Markdown */
    CY_FORMAT_HTML
} cy_format;

/* "text", "csv", "json", "md", "html".  Time complexity: O(1). */
const char *cy_format_name(cy_format format);

typedef struct {
    cy_format format;
    size_t top;     /* ranked lists: keep the first `top` entries; 0 = all */
    int csv_raw;    /* CSV: write text cells as they are, without the
                       apostrophe that keeps spreadsheets from reading a
                       cell starting with = + - @ TAB or CR as a formula */
} cy_write_options;

/* `format`, top 0, csv_raw 0.  Time complexity: O(1). */
void cy_write_options_init(cy_write_options *options, cy_format format);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_CORE_H */
