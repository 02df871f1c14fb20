/*
 * harness.h - what the in-process timing programs of bench/overhead share:
 * a CPU clock, a median, their common command line, how many times to
 * repeat a call, and the line for a skipped measure.  Header-only (static
 * functions): each program is one file.
 */
#ifndef CHENGYU_BENCH_HARNESS_H
#define CHENGYU_BENCH_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HARNESS_MAX_REPEAT 100

/* The command line: [--repeat N] [--exact-limit X] [--json] FILE. */
typedef struct {
    const char *path;
    int repeat;         /* timed calls per measure (at least) */
    double exact_limit; /* exact all-pairs measures only when n x m <= this */
    int json;           /* JSON Lines output */
} harness_args;

/* Parse the command line; 0 (print the usage) when it is wrong. */
static int harness_parse(int argc, char **argv, harness_args *args)
{
    args->path = NULL;
    args->repeat = 3;
    args->exact_limit = 5e9;
    args->json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            args->repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--exact-limit") == 0 && i + 1 < argc)
            args->exact_limit = atof(argv[++i]);
        else if (strcmp(argv[i], "--json") == 0)
            args->json = 1;
        else if (argv[i][0] != '-' && !args->path)
            args->path = argv[i];
        else
            return 0;
    }
    return args->path && args->repeat >= 1 && args->repeat <= HARNESS_MAX_REPEAT;
}

/*
 * Parse the command line and load the network (not timed): 0 and *net,
 * *cells (vertices x edges of the firm graph) set, or the exit status after
 * a message (2: usage, 1: the file does not load).  Needs internal.h.
 */
static int harness_start(int argc, char **argv, const char *program,
                         harness_args *args, cy_network **net, double *cells)
{
    cy_error err;
    cy_status status;
    if (!harness_parse(argc, argv, args)) {
        fprintf(stderr, "usage: %s [--repeat N (1-%d)] [--exact-limit X] "
                        "[--json] FILE\n", program, HARNESS_MAX_REPEAT);
        return 2;
    }
    cy_error_init(&err);
    status = cy_network_load(args->path, NULL, net, &err);
    cy_error_destroy(&err);
    if (status != CY_OK) {
        fprintf(stderr, "%s: cannot load %s\n", program, args->path);
        return 1;
    }
    *cells = (double)igraph_vcount(&(*net)->firm_graph) *
             (double)igraph_ecount(&(*net)->firm_graph);
    return 0;
}

static double harness_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int harness_double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y);
}

/* The median of v[0..n) (v is sorted in place). */
static double harness_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, harness_double_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * How many times to time a call whose first timing took `first` seconds:
 * calls of a few milliseconds are timed more often, so that the clock's
 * resolution and one interruption do not decide the result (up to
 * HARNESS_MAX_REPEAT calls or about 0.5 s), and never fewer than `repeat`.
 */
static int harness_runs(double first, int repeat)
{
    double want;
    int runs;
    if (first >= 0.05)
        return repeat;
    want = 0.5 / (first > 1e-6 ? first : 1e-6);
    runs = want > HARNESS_MAX_REPEAT ? HARNESS_MAX_REPEAT : (int)want;
    return runs < repeat ? repeat : runs;
}

/*
 * Whether an exact all-pairs measure is skipped on this network (n x m
 * over --exact-limit); if so, say so on stdout, as a JSON line with
 * `key` naming it (report.py reads "task" or "analysis") or as a text
 * line with the name padded to `width`.
 */
static int harness_skipped(const harness_args *args, int needs_exact,
                           double cells, const char *key, const char *name,
                           int width)
{
    if (!needs_exact || cells <= args->exact_limit)
        return 0;
    if (args->json)
        printf("{\"%s\": \"%s\", \"status\": \"skipped\", "
               "\"note\": \"vertices x edges = %.3g over %.3g\"}\n",
               key, name, cells, args->exact_limit);
    else
        printf("%-*s skipped (vertices x edges = %.3g)\n", width, name, cells);
    fflush(stdout);
    return 1;
}

#endif
