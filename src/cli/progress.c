/*
 * progress.c - the progress bar, the time estimate and --max-seconds of
 * the long computations (centrality, resilience curves, every single
 * failure).
 *
 * The library reports the share of the work done (a cy_progress_fn); the
 * estimate of the stage is the time so far divided by that share, that
 * is, it assumes the rest goes at the pace of what is done.  It is made
 * once a computation has run for CLI_PROGRESS_SETTLE seconds or done a
 * tenth of its work, whichever comes first.  The run's estimate, the one
 * --max-seconds is compared with, adds the time spent before the stage
 * (loading, earlier stages: measured from cli_progress_run_start) and the
 * writing the command expects after it (cli_progress_expect_write).  Work
 * without a progress hook (loading a file, a Graphviz layout) is
 * estimated before it starts (cli_progress_check_load,
 * cli_progress_expect).
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The bar appears after this long, so quick runs print nothing;
 * CHENGYU_PROGRESS_DELAY (seconds) changes it. */
#define CLI_PROGRESS_DELAY 0.5
/* Before this long (or a tenth of the work) no estimate is trusted. */
#define CLI_PROGRESS_SETTLE 1.0
/* An estimate at least this long is printed once, even on a pipe. */
#define CLI_PROGRESS_NOTE_SECONDS 10.0
#define CLI_PROGRESS_WIDTH 24
/* The longest step name shown ("reading sheet enterprises"). */
#define CLI_PROGRESS_NAME 32
/* Wider than the longest line drawn. */
#define CLI_PROGRESS_CLEAR_COLUMNS 110
/* Loading: below the parse's pace on the national file, so that the
 * up-front estimate holds on a slower machine (docs/performance.md, "The
 * loader is most of every command" and "The estimates before a run"). */
#define CLI_LOAD_BYTES_PER_SECOND 20e6

/* When the run started (cli_progress_run_start); 0 before. */
static double run_origin;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CLI_PROGRESS_DELAY, or CHENGYU_PROGRESS_DELAY when it is a number of
 * seconds from 0 to 3600. */
static double progress_delay(void)
{
    const char *text = getenv("CHENGYU_PROGRESS_DELAY");
    char *end;
    double seconds;
    if (!text || !*text)
        return CLI_PROGRESS_DELAY;
    seconds = strtod(text, &end);
    return *end == '\0' && seconds >= 0.0 && seconds <= 3600.0 ? seconds
                                                               : CLI_PROGRESS_DELAY;
}

void cli_progress_run_start(void)
{
    run_origin = now_seconds();
}

/* The seconds the run has spent up to `t`. */
static double spent_until(double t)
{
    return run_origin > 0.0 && t > run_origin ? t - run_origin : 0.0;
}

void cli_progress_init(cli_progress *p, const char *command, int quiet,
                       double max_seconds)
{
    memset(p, 0, sizeof *p);
    p->command = command;
    p->quiet = quiet;
    p->terminal = !quiet && isatty(STDERR_FILENO);
    p->max_seconds = max_seconds;
    p->delay = progress_delay();
}

void cli_progress_format_estimate(double seconds, char *buf, size_t size)
{
    double s = seconds < 0.0 ? 0.0 : seconds;
    if (s < 1.0)
        snprintf(buf, size, "under 1 s");
    else if (s < 60.0)
        snprintf(buf, size, "about %.0f s", s);
    else if (s < 3600.0)
        snprintf(buf, size, "about %.0f min %02.0f s", floor(s / 60.0), fmod(floor(s), 60.0));
    else if (s < 86400.0 * 1000.0)
        snprintf(buf, size, "about %.0f h %02.0f min", floor(s / 3600.0),
                 fmod(floor(s / 60.0), 60.0));
    else
        snprintf(buf, size, "more than 1000 days");
}

void cli_progress_format_bytes(double bytes, char *buf, size_t size)
{
    double b = bytes < 0.0 ? 0.0 : bytes;
    if (b < 999.5)
        snprintf(buf, size, "%.0f %s", b, b >= 0.5 && b < 1.5 ? "byte" : "bytes");
    else if (b < 999.5e3)
        snprintf(buf, size, "%.0f KB", b / 1e3);
    else if (b < 9.95e6)
        snprintf(buf, size, "%.1f MB", b / 1e6);
    else
        snprintf(buf, size, "%.0f MB", b / 1e6);
}

void cli_progress_clear(cli_progress *p)
{
    if (p->drawn) {
        fprintf(stderr, "\r%*s\r", CLI_PROGRESS_CLEAR_COLUMNS, "");
        fflush(stderr);
        p->drawn = 0;
    }
}

static void draw(cli_progress *p, double percent, double elapsed, double total)
{
    int filled = (int)(percent * CLI_PROGRESS_WIDTH / 100.0);
    char left[48] = "";
    if (total > 0.0) {
        char span[32];
        cli_progress_format_estimate(total - elapsed, span, sizeof span);
        snprintf(left, sizeof left, ", %s left", span);
    }
    fprintf(stderr, "\rchengyu: %.*s [%.*s%*s] %3d%%%-28s", CLI_PROGRESS_NAME, p->what, filled,
            "########################", CLI_PROGRESS_WIDTH - filled, "",
            (int)percent, left);
    fflush(stderr);
    p->drawn = 1;
}

/* "COMMAND: WHAT" for a message, WHAT alone when it repeats the command. */
static void label(const cli_progress *p, char *buf, size_t size)
{
    if (strcmp(p->command, p->what) == 0)
        snprintf(buf, size, "%s", p->command);
    else
        snprintf(buf, size, "%s: %s", p->command, p->what);
}

/* What the run adds to a stage of `stage` seconds: "" or ", with 6.1 s
 * spent before it and about 3 s of writing". */
static void extra(const cli_progress *p, double before, char *buf, size_t size)
{
    char span[32];
    int n = 0;
    buf[0] = '\0';
    if (before >= 0.05)
        n = snprintf(buf, size, ", with %.1f s spent before it", before);
    if (p->after > 0.0 && n >= 0 && (size_t)n < size) {
        cli_progress_format_estimate(p->after, span, sizeof span);
        snprintf(buf + n, size - (size_t)n, "%s %s to write", n ? " and" : ", with",
                 span);
    }
}

/* The run's estimate is known (`total`: the stage's): print it once if
 * long, stop if over the limit. */
static void judge(cli_progress *p, double percent, double elapsed, double total)
{
    char span[32], name[96], more[96];
    double before = spent_until(p->started), all = before + total + p->after;
    cli_progress_format_estimate(all, span, sizeof span);
    label(p, name, sizeof name);
    extra(p, before, more, sizeof more);
    if (p->max_seconds > 0.0 && all > p->max_seconds) {
        cli_progress_clear(p);
        cli_error("%s: %s in all (estimated after %.2g%% in %.1f s%s), "
                  "more than --max-seconds %g: stopped", name, span, percent, elapsed,
                  more, p->max_seconds);
        /* The library cannot be interrupted: end here.  A computation has
         * written nothing yet (outputs are opened after it); a writer's
         * outputs are aborted by its on_stop.  Streams are flushed first:
         * a writer's filter stream (GraphML's) must have nothing left for
         * exit() to flush into an output on_stop has freed. */
        fflush(NULL);
        if (p->on_stop)
            p->on_stop(p->stop_data);
        exit(CY_EXIT_FAILURE);
    }
    if (!p->noted && !p->quiet && all >= CLI_PROGRESS_NOTE_SECONDS) {
        cli_progress_clear(p);
        cli_error("note: %s: %s in all (estimated after %.2g%%%s)%s", name, span,
                  percent, more,
                  p->max_seconds > 0.0 ? "" : "; --max-seconds S stops longer runs");
    }
    p->noted = 1;
}

void cli_progress_expect_write(cli_progress *p, double seconds)
{
    p->after = seconds > 0.0 ? seconds : 0.0;
}

void cli_progress_steps(cli_progress *p)
{
    p->steps = 1;
}

void cli_progress_on_stop(cli_progress *p, void (*fn)(void *), void *data)
{
    p->on_stop = fn;
    p->stop_data = data;
}

int cli_progress_check_load(cli_progress *p, const char *path)
{
    struct stat st;
    char span[32], size[32];
    if (p->max_seconds <= 0.0 || !path || strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode))
        return 1;
    if (!p->ahead_path)
        p->ahead_path = path;
    p->ahead_bytes += (double)st.st_size;
    p->ahead = p->ahead_bytes / CLI_LOAD_BYTES_PER_SECOND;
    if (spent_until(now_seconds()) + p->ahead <= p->max_seconds)
        return 1;
    /* The refusal names every file counted: with diff's two files, each
     * alone may be under the limit. */
    cli_progress_format_estimate(p->ahead, span, sizeof span);
    cli_progress_format_bytes(p->ahead_bytes, size, sizeof size);
    if (p->ahead_path != path)
        cli_error("%s: loading %s and %s: %s for their %s (at %.0f MB/s), more than "
                  "--max-seconds %g: stopped", p->command, cli_echo(p->ahead_path),
                  cli_echo(path), span, size, CLI_LOAD_BYTES_PER_SECOND / 1e6,
                  p->max_seconds);
    else
        cli_error("%s: loading %s: %s for its %s (at %.0f MB/s), more than "
                  "--max-seconds %g: stopped", p->command, cli_echo(path), span, size,
                  CLI_LOAD_BYTES_PER_SECOND / 1e6, p->max_seconds);
    return 0;
}

/* Work of `seconds` named `what` is about to start: 0 after printing the
 * refusal when the run's estimate exceeds --max-seconds, else 1.  `all`
 * gets the run's estimate. */
static int refuse_before(cli_progress *p, const char *what, double seconds, double *all)
{
    char span[32], name[96], more[96];
    double t = now_seconds(), before = spent_until(t);
    cli_progress_clear(p);
    p->what = what;
    p->started = t;
    *all = before + seconds + p->after;
    cli_progress_format_estimate(*all, span, sizeof span);
    label(p, name, sizeof name);
    extra(p, before, more, sizeof more);
    if (p->max_seconds > 0.0 && *all > p->max_seconds) {
        cli_error("%s: %s in all (estimated before it starts%s), more than "
                  "--max-seconds %g: stopped", name, span, more, p->max_seconds);
        return 0;
    }
    return 1;
}

int cli_progress_check(cli_progress *p, const char *what, double seconds)
{
    double all;
    if (!refuse_before(p, what, seconds, &all))
        return 0;
    /* The library's first report starts the stage again. */
    p->what = NULL;
    return 1;
}

int cli_progress_expect(cli_progress *p, const char *what, double seconds)
{
    char span[32], name[96];
    double all;
    if (!refuse_before(p, what, seconds, &all))
        return 0;
    p->noted = 1;
    label(p, name, sizeof name);
    if (p->quiet || seconds < p->delay)
        return 1;
    cli_progress_format_estimate(seconds, span, sizeof span);
    if (p->terminal) {
        /* No progress comes from it: the estimate stays until cleared. */
        fprintf(stderr, "\rchengyu: %.48s: %s (estimated before it starts)", what, span);
        fflush(stderr);
        p->drawn = 1;
    } else if (all >= CLI_PROGRESS_NOTE_SECONDS) {
        cli_error("note: %s: %s (estimated before it starts)%s", name, span,
                  p->max_seconds > 0.0 ? "" : "; --max-seconds S stops longer runs");
    }
    return 1;
}

void cli_progress_update(const char *what, double percent, void *data)
{
    cli_progress *p = data;
    double t = now_seconds(), elapsed, total = 0.0;

    /* A stage's clock starts at its first report: the library reports 0
     * when it starts.  A new step of the same stage only relabels it. */
    if (p->steps && p->what && strcmp(what, p->what) != 0) {
        cli_progress_clear(p);
        p->what = what;
        p->last_draw = 0.0; /* a new step shows at once */
    } else if (!p->what || strcmp(what, p->what) != 0) {
        cli_progress_clear(p);
        p->started = t;
        p->what = what;
        p->last_draw = 0.0;
        p->noted = 0;
    }
    elapsed = t - p->started;
    if (percent > 0.0 && percent < 100.0 &&
        (elapsed >= CLI_PROGRESS_SETTLE || percent >= 10.0))
        total = elapsed * 100.0 / percent;
    if (total > 0.0 && !p->noted)
        judge(p, percent, elapsed, total);
    if (p->max_seconds > 0.0 && spent_until(t) + p->after > p->max_seconds &&
        percent < 100.0)
        judge(p, percent, elapsed, elapsed * 100.0 / (percent > 0.0 ? percent : 1e-9));
    if (!p->terminal || percent >= 100.0) {
        cli_progress_clear(p);
        return;
    }
    if (elapsed < p->delay || (p->last_draw > 0.0 && t - p->last_draw < 0.2))
        return;
    p->last_draw = t;
    draw(p, percent, elapsed, total);
}
