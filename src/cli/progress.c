/*
 * progress.c - the progress bar, the time estimate and --max-seconds of
 * the long computations (centrality, resilience curves, every single
 * failure).
 *
 * The library reports the share of the work done (a cy_progress_fn); the
 * estimate of the whole is the time so far divided by that share, that
 * is, it assumes the rest goes at the pace of what is done.  It is made
 * once a computation has run for CLI_PROGRESS_SETTLE seconds or done a
 * tenth of its work, whichever comes first.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
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

void cli_progress_format_seconds(double seconds, char *buf, size_t size)
{
    double s = seconds < 0.0 ? 0.0 : seconds;
    if (s < 60.0)
        snprintf(buf, size, "%.0f s", s < 1.0 ? 1.0 : s);
    else if (s < 3600.0)
        snprintf(buf, size, "%.0f min %02.0f s", floor(s / 60.0), fmod(floor(s), 60.0));
    else if (s < 86400.0 * 1000.0)
        snprintf(buf, size, "%.0f h %02.0f min", floor(s / 3600.0),
                 fmod(floor(s / 60.0), 60.0));
    else
        snprintf(buf, size, "more than 1000 days");
}

void cli_progress_clear(cli_progress *p)
{
    if (p->drawn) {
        fprintf(stderr, "\r%*s\r", CLI_PROGRESS_WIDTH + 60, "");
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
        cli_progress_format_seconds(total - elapsed, span, sizeof span);
        snprintf(left, sizeof left, ", about %s left", span);
    }
    fprintf(stderr, "\rchengyu: %.20s [%.*s%*s] %3d%%%-28s", p->what, filled,
            "########################", CLI_PROGRESS_WIDTH - filled, "",
            (int)percent, left);
    fflush(stderr);
    p->drawn = 1;
}

/* The estimate is known: print it once if long, stop if over the limit. */
static void judge(cli_progress *p, double percent, double elapsed, double total)
{
    char span[32];
    cli_progress_format_seconds(total, span, sizeof span);
    if (p->max_seconds > 0.0 && total > p->max_seconds) {
        cli_progress_clear(p);
        cli_error("%s: %s: about %s in all (estimated after %.2g%% in %.1f s), "
                  "more than --max-seconds %g: stopped", p->command, p->what, span,
                  percent, elapsed, p->max_seconds);
        /* The library cannot be interrupted, and nothing has been written
         * yet (outputs are opened after the computation): end here. */
        exit(CY_EXIT_FAILURE);
    }
    if (!p->noted && !p->quiet && total >= CLI_PROGRESS_NOTE_SECONDS) {
        cli_progress_clear(p);
        cli_error("note: %s: %s: about %s in all (estimated after %.2g%%)%s",
                  p->command, p->what, span, percent,
                  p->max_seconds > 0.0 ? "" : "; --max-seconds S stops longer runs");
    }
    p->noted = 1;
}

void cli_progress_update(const char *what, double percent, void *data)
{
    cli_progress *p = data;
    double t = now_seconds(), elapsed, total = 0.0;

    /* A stage's clock starts at its first report: the library reports 0
     * when it starts. */
    if (!p->what || strcmp(what, p->what) != 0) {
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
    if (p->max_seconds > 0.0 && elapsed > p->max_seconds && percent < 100.0)
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
