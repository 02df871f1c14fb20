/*
 * test_output.c - the atomic output file (cy_output_open/commit/abort):
 * commit replaces, abort and failures leave an existing file byte-identical
 * and no temporary file behind, and the refusals (missing directory, a
 * directory, the input file, a read-only directory).  Output past the
 * in-memory limit is checked to go to the temporary file while written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chengyu.h"
#include "helpers.h"

/* ---- a scratch directory per test --------------------------------------- */

typedef struct {
    char dir[64];
    char path[128]; /* dir/out.json */
} scratch;

static int setup_scratch(void **state)
{
    scratch *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    strcpy(s->dir, "/tmp/chengyu-output-XXXXXX");
    if (!mkdtemp(s->dir)) {
        free(s);
        return -1;
    }
    snprintf(s->path, sizeof s->path, "%s/out.json", s->dir);
    *state = s;
    return 0;
}

/* Remove the scratch directory and everything in it (one level). */
static int teardown_scratch(void **state)
{
    scratch *s = *state;
    DIR *d;
    struct dirent *entry;
    char path[512];

    chmod(s->dir, 0700);
    if ((d = opendir(s->dir))) {
        while ((entry = readdir(d))) {
            if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", s->dir, entry->d_name);
                if (unlink(path) != 0)
                    rmdir(path);
            }
        }
        closedir(d);
    }
    rmdir(s->dir);
    free(s);
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

/* The whole content of a file (malloc'd, NUL-terminated). */
static void assert_file_is(const char *path, const char *text)
{
    char *got = read_text_file(path, NULL);
    assert_string_equal(got, text);
    free(got);
}

/* The entries of `dir` besides . and .., sorted, joined by spaces. */
static void list_dir(const char *dir, char *out, size_t size)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int k = 0; k < n; k++) {
        if (strcmp(names[k]->d_name, ".") && strcmp(names[k]->d_name, "..")) {
            if (out[0])
                strncat(out, " ", size - strlen(out) - 1);
            strncat(out, names[k]->d_name, size - strlen(out) - 1);
        }
        free(names[k]);
    }
    free(names);
}

static void assert_dir_holds(const char *dir, const char *entries)
{
    char got[512];
    list_dir(dir, got, sizeof got);
    assert_string_equal(got, entries);
}

/* Assert that err holds one error whose formatted text is `line`. */
static void assert_one_error(cy_error *err, const char *line)
{
    char *got;
    assert_int_equal(err->count, 1);
    assert_int_equal(err->error_count, 1);
    got = cy_error_format(err, 0);
    assert_string_equal(got, line);
    cy_free(got);
}

/* ---- commit and abort --------------------------------------------------- */

/* A new file gets the data and mode 0666 less the umask (022 here). */
static void test_commit_creates(void **state)
{
    scratch *s = *state;
    cy_output *out = NULL;
    cy_error err;
    struct stat st;
    mode_t saved = umask(022);

    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    /* Nothing exists on disk before the commit. */
    assert_dir_holds(s->dir, "");
    fputs("{\"new\": true}\n", cy_output_stream(out));
    assert_int_equal(cy_output_commit(out, &err), CY_OK);
    umask(saved);
    assert_int_equal(err.count, 0);
    assert_file_is(s->path, "{\"new\": true}\n");
    assert_int_equal(stat(s->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_dir_holds(s->dir, "out.json");
    cy_error_destroy(&err);
}

/* Commit replaces an existing file and keeps its mode (0640). */
static void test_commit_replaces(void **state)
{
    scratch *s = *state;
    cy_output *out = NULL;
    cy_error err;
    struct stat st;

    write_file(s->path, "old content, longer than the new one\n", 0640);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    fputs("new\n", cy_output_stream(out));
    /* Until the commit the old file is untouched. */
    assert_file_is(s->path, "old content, longer than the new one\n");
    assert_int_equal(cy_output_commit(out, &err), CY_OK);
    assert_file_is(s->path, "new\n");
    assert_int_equal(stat(s->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_dir_holds(s->dir, "out.json");
    cy_error_destroy(&err);
}

/* Abort after writing leaves the old file byte-identical, nothing else. */
static void test_abort_keeps_existing(void **state)
{
    scratch *s = *state;
    cy_output *out = NULL;
    cy_error err;
    struct stat before, after;

    write_file(s->path, "precious\n", 0600);
    assert_int_equal(stat(s->path, &before), 0);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    for (int k = 0; k < 10000; k++)
        fputs("half-written output that must never reach the disk\n",
              cy_output_stream(out));
    cy_output_abort(out);
    assert_file_is(s->path, "precious\n");
    assert_int_equal(stat(s->path, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_int_equal(after.st_mode, before.st_mode);
    assert_dir_holds(s->dir, "out.json");
    cy_error_destroy(&err);
}

/* Abort with no existing file creates nothing. */
static void test_abort_creates_nothing(void **state)
{
    scratch *s = *state;
    cy_output *out = NULL;
    cy_error err;

    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    fputs("data\n", cy_output_stream(out));
    cy_output_abort(out);
    assert_dir_holds(s->dir, "");
    cy_error_destroy(&err);
}

/* ---- large output: spilled to the temporary file while it is written ---- */

/* Line k of the large test output; 8 MB in all, twice the in-memory limit. */
#define LARGE_LINES 200000
static void large_line(char *line, size_t size, long k)
{
    snprintf(line, size, "line %08ld of the large test output.\n", k);
}

static void write_large(cy_output *out)
{
    char line[64];
    for (long k = 0; k < LARGE_LINES; k++) {
        large_line(line, sizeof line, k);
        fputs(line, cy_output_stream(out));
    }
}

/* The one entry of `dir` whose name starts with `prefix`, or "" if none. */
static void find_entry(const char *dir, const char *prefix, char *out,
                       size_t size)
{
    char all[512], *name, *save = NULL;
    list_dir(dir, all, sizeof all);
    out[0] = '\0';
    for (name = strtok_r(all, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        if (strncmp(name, prefix, strlen(prefix)) == 0) {
            assert_string_equal(out, ""); /* only one */
            snprintf(out, size, "%s", name);
        }
    }
}

/*
 * The target's directory is removed after the open: before the first write
 * (`large`: 8 MB, so the spill fails while writing and sets the stream's
 * error flag) or after it (small output: the commit cannot create the
 * temporary file).  Either way the commit fails with a message naming the
 * directory, and nothing is left.
 */
static void check_directory_removed(scratch *s, int large)
{
    char sub[160], path[192], want[320];
    cy_output *out = NULL;
    cy_error err;

    snprintf(sub, sizeof sub, "%s/sub", s->dir);
    snprintf(path, sizeof path, "%s/out.json", sub);
    assert_int_equal(mkdir(sub, 0700), 0);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(path, NULL, &out, &err), CY_OK);
    if (large) {
        assert_int_equal(rmdir(sub), 0);
        write_large(out);
        assert_true(ferror(cy_output_stream(out)));
    } else {
        fputs("data\n", cy_output_stream(out));
        assert_int_equal(rmdir(sub), 0);
    }
    assert_int_equal(cy_output_commit(out, &err), CY_EIO);
    snprintf(want, sizeof want,
             "cannot create a temporary file in '%s': No such file or "
             "directory", sub);
    assert_one_error(&err, want);
    assert_dir_holds(s->dir, "");
    cy_error_destroy(&err);
}

/* The directory disappears between open and commit. */
static void test_commit_failure(void **state)
{
    check_directory_removed(*state, 0);
}

/*
 * Output past the in-memory limit goes to ".out.json.XXXXXX" while it is
 * written, with the target's mode; the target stays untouched until the
 * commit renames the complete text over it.
 */
static void test_large_output_commit(void **state)
{
    scratch *s = *state;
    cy_output *out = NULL;
    cy_error err;
    char tmp[128], tmp_path[256], line[64], *got, *p;
    struct stat st;
    size_t length;

    write_file(s->path, "old\n", 0640);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    write_large(out);
    find_entry(s->dir, ".out.json.", tmp, sizeof tmp);
    assert_int_equal(strlen(tmp), strlen(".out.json.XXXXXX"));
    snprintf(tmp_path, sizeof tmp_path, "%s/%s", s->dir, tmp);
    assert_int_equal(stat(tmp_path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_true(st.st_size > 0);
    assert_file_is(s->path, "old\n");
    assert_int_equal(cy_output_commit(out, &err), CY_OK);
    assert_int_equal(err.count, 0);
    assert_dir_holds(s->dir, "out.json");
    got = read_text_file(s->path, &length);
    assert_non_null(got);
    assert_int_equal(length, (size_t)LARGE_LINES * 40);
    p = got;
    for (long k = 0; k < LARGE_LINES; k++, p += 40) {
        large_line(line, sizeof line, k);
        assert_memory_equal(p, line, 40);
    }
    free(got);
    assert_int_equal(stat(s->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    cy_error_destroy(&err);
}

/* Abort after the spill removes the temporary file, keeps the target. */
static void test_large_output_abort(void **state)
{
    scratch *s = *state;
    cy_output *out = NULL;
    cy_error err;

    write_file(s->path, "precious\n", 0600);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    write_large(out);
    fputs("a tail still in stdio's buffer\n", cy_output_stream(out));
    cy_output_abort(out);
    assert_dir_holds(s->dir, "out.json");
    assert_file_is(s->path, "precious\n");
    cy_error_destroy(&err);
}

/* The directory disappears before the output outgrows memory. */
static void test_large_output_spill_failure(void **state)
{
    check_directory_removed(*state, 1);
}

/* ---- refusals ------------------------------------------------------------ */

static void test_refuses_missing_directory(void **state)
{
    scratch *s = *state;
    char path[160], want[400];
    cy_output *out = (cy_output *)&out;
    cy_error err;

    snprintf(path, sizeof path, "%s/missing/out.json", s->dir);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(path, NULL, &out, &err), CY_EIO);
    assert_null(out);
    snprintf(want, sizeof want,
             "cannot write '%s': directory '%s/missing' does not exist", path,
             s->dir);
    assert_one_error(&err, want);
    cy_error_destroy(&err);
}

/* A path under a regular file: the "directory" exists but is not one. */
static void test_refuses_file_as_directory(void **state)
{
    scratch *s = *state;
    char path[160], want[400];
    cy_output *out = NULL;
    cy_error err;

    write_file(s->path, "x", 0644);
    snprintf(path, sizeof path, "%s/out.json/inner.json", s->dir);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(path, NULL, &out, &err), CY_EIO);
    assert_null(out);
    snprintf(want, sizeof want,
             "cannot write '%s': '%s' is not a directory", path, s->path);
    assert_one_error(&err, want);
    cy_error_destroy(&err);
}

static void test_refuses_directory(void **state)
{
    scratch *s = *state;
    char want[200], slash[96];
    cy_output *out = NULL;
    cy_error err;

    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->dir, NULL, &out, &err), CY_EIO);
    assert_null(out);
    snprintf(want, sizeof want, "cannot write '%s': is a directory", s->dir);
    assert_one_error(&err, want);
    cy_error_clear(&err);
    /* A trailing slash names a directory even when none exists. */
    snprintf(slash, sizeof slash, "%s/new/", s->dir);
    assert_int_equal(cy_output_open(slash, NULL, &out, &err), CY_EIO);
    snprintf(want, sizeof want, "cannot write '%s': is a directory", slash);
    assert_one_error(&err, want);
    cy_error_destroy(&err);
}

/* The input file, named the same, by another path, a symlink or a hard
 * link, is refused: writing it would destroy the input. */
static void test_refuses_input_file(void **state)
{
    scratch *s = *state;
    char other[160], link_path[160], hard[160], want[400];
    const char *names[4];
    cy_output *out = NULL;
    cy_error err;

    write_file(s->path, "input\n", 0644);
    snprintf(other, sizeof other, "%s/./out.json", s->dir);
    snprintf(link_path, sizeof link_path, "%s/link.json", s->dir);
    snprintf(hard, sizeof hard, "%s/hard.json", s->dir);
    assert_int_equal(symlink("out.json", link_path), 0);
    assert_int_equal(link(s->path, hard), 0);
    names[0] = s->path;
    names[1] = other;
    names[2] = link_path;
    names[3] = hard;
    cy_error_init(&err);
    for (int k = 0; k < 4; k++) {
        cy_error_clear(&err);
        assert_int_equal(cy_output_open(names[k], s->path, &out, &err), CY_EIO);
        assert_null(out);
        snprintf(want, sizeof want, "cannot write '%s': it is the input file",
                 names[k]);
        assert_one_error(&err, want);
    }
    assert_file_is(s->path, "input\n");
    /* Another file in the same directory is fine. */
    cy_error_clear(&err);
    snprintf(other, sizeof other, "%s/result.json", s->dir);
    assert_int_equal(cy_output_open(other, s->path, &out, &err), CY_OK);
    cy_output_abort(out);
    cy_error_destroy(&err);
}

static void test_refuses_empty_name(void **state)
{
    cy_output *out = NULL;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_output_open("", NULL, &out, &err), CY_EUSAGE);
    assert_null(out);
    assert_one_error(&err, "empty output file name");
    cy_error_destroy(&err);
}

/*
 * A directory the process may not write to.  Root may write anywhere, so
 * as root the check runs in a child process that has dropped to the
 * unprivileged user "nobody" (uid/gid 65534) and faces a directory owned
 * by root with mode 0755; as another user the directory is made 0555.
 * Either way it is a real permission check, not a simulation.  The child
 * reports by exit status: 0 = refused with the expected message.
 */
static int check_read_only(const char *dir, const char *path)
{
    cy_output *out = NULL;
    cy_error err;
    char want[400], *got;
    int result;

    cy_error_init(&err);
    if (cy_output_open(path, NULL, &out, &err) != CY_EIO || out)
        return 1;
    if (err.count != 1 || !(got = cy_error_format(&err, 0)))
        return 2;
    snprintf(want, sizeof want,
             "cannot write '%s': directory '%s' is not writable (Permission "
             "denied)", path, dir);
    result = strcmp(got, want) == 0 ? 0 : 3;
    if (result)
        fprintf(stderr, "got  %s\nwant %s\n", got, want);
    cy_free(got);
    cy_error_destroy(&err);
    return result;
}

static void test_refuses_read_only_directory(void **state)
{
    scratch *s = *state;

    if (geteuid() != 0) {
        assert_int_equal(chmod(s->dir, 0555), 0);
        assert_int_equal(check_read_only(s->dir, s->path), 0);
        assert_int_equal(chmod(s->dir, 0700), 0);
    } else {
        pid_t pid;
        int status;
        /* nobody must be able to reach the directory, not write in it. */
        assert_int_equal(chmod(s->dir, 0755), 0);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(10);
            if (access(s->dir, W_OK) == 0) /* the drop did not work */
                _exit(11);
            _exit(check_read_only(s->dir, s->path));
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_dir_holds(s->dir, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_scratch, teardown_scratch)
    const struct CMUnitTest tests[] = {
        T(test_commit_creates),
        T(test_commit_replaces),
        T(test_abort_keeps_existing),
        T(test_abort_creates_nothing),
        T(test_commit_failure),
        T(test_large_output_commit),
        T(test_large_output_abort),
        T(test_large_output_spill_failure),
        T(test_refuses_missing_directory),
        T(test_refuses_file_as_directory),
        T(test_refuses_directory),
        T(test_refuses_input_file),
        cmocka_unit_test(test_refuses_empty_name),
        T(test_refuses_read_only_directory),
    };
#undef T
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
