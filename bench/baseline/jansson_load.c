/*
 * jansson_load.c - the floor for loading a chengyu/1 file with our parser:
 * json_load_file() with the flag chengyu uses (JSON_REJECT_DUPLICATES),
 * then json_decref() of the document, and nothing else.  No validation, no
 * model, no graph.  chengyu validate does all of this plus everything else,
 * so bench/run compares the two on the same file (the target: validate
 * within 1.3x of this program, docs/performance.md).
 *
 * usage: jansson_load [--no-free] [--times] FILE
 *   --no-free  exit without json_decref (the OS reclaims the memory)
 *   --times    print parse and free times (CPU seconds) on stderr
 * Exit 0 when the file parses, 1 with the parser's message otherwise,
 * 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int free_document = 1, print_times = 0;
    const char *path = NULL;
    json_error_t error;
    json_t *root;
    double t0, t1, t2;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-free") == 0)
            free_document = 0;
        else if (strcmp(argv[i], "--times") == 0)
            print_times = 1;
        else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "usage: jansson_load [--no-free] [--times] FILE\n");
            return 2;
        } else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: jansson_load [--no-free] [--times] FILE\n");
        return 2;
    }
    t0 = cpu_seconds();
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    t1 = cpu_seconds();
    if (!root) {
        fprintf(stderr, "jansson_load: %s:%d:%d: %s\n", path, error.line,
                error.column, error.text);
        return 1;
    }
    if (free_document)
        json_decref(root);
    t2 = cpu_seconds();
    if (print_times)
        fprintf(stderr, "parse %.3f s, free %.3f s (CPU)\n", t1 - t0, t2 - t1);
    return 0;
}
