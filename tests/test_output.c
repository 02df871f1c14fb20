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
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chengyu.h"
#include "chengyu_test.h"
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
 * Output past the in-memory limit goes to the temporary file while it is
 * written, with the target's mode; the target stays untouched until the
 * commit renames the complete text over it.  `named`: the temporary file
 * is ".out.json.XXXXXX" (no O_TMPFILE), visible in the directory; else it
 * is unnamed, and the directory shows nothing but the old file until the
 * commit.
 */
static void check_large_commit(scratch *s, int named)
{
    cy_output *out = NULL;
    cy_error err;
    char tmp[128], tmp_path[256], line[64], *got, *p;
    struct stat st;
    size_t length;

    cy_output_test_disable_tmpfile(named);
    write_file(s->path, "old\n", 0640);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &out, &err), CY_OK);
    write_large(out);
    if (named) {
        find_entry(s->dir, ".out.json.", tmp, sizeof tmp);
        assert_int_equal(strlen(tmp), strlen(".out.json.XXXXXX"));
        snprintf(tmp_path, sizeof tmp_path, "%s/%s", s->dir, tmp);
        assert_int_equal(stat(tmp_path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0640);
        assert_true(st.st_size > 0);
    } else {
        assert_dir_holds(s->dir, "out.json");
    }
    assert_file_is(s->path, "old\n");
    assert_int_equal(cy_output_commit(out, &err), CY_OK);
    cy_output_test_disable_tmpfile(0);
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

static void test_large_output_commit(void **state)
{
    check_large_commit(*state, 1);
}

/* With O_TMPFILE (ext4 and tmpfs have it) the file being written has no
 * name: nothing a crash could leave behind. */
static void test_large_output_unnamed(void **state)
{
    check_large_commit(*state, 0);
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

/* ---- paths that are links, descriptors, devices ------------------------ */

/* Open `path`, write `text`, commit; the status of the commit (or of the
 * open when it fails), with the one error's text in `message` (may be
 * NULL). */
static cy_status write_through(const char *path, const char *text,
                               char *message, size_t size)
{
    cy_output *out = NULL;
    cy_error err;
    cy_status status;

    cy_error_init(&err);
    status = cy_output_open(path, NULL, &out, &err);
    if (status == CY_OK) {
        fputs(text, cy_output_stream(out));
        status = cy_output_commit(out, &err);
    }
    if (message) {
        message[0] = '\0';
        if (err.count > 0) {
            char *line = cy_error_format(&err, 0);
            snprintf(message, size, "%s", line ? line : "");
            cy_free(line);
        }
    }
    cy_error_destroy(&err);
    return status;
}

static void assert_is_link_to(const char *link, const char *target)
{
    char got[512];
    struct stat st;
    ssize_t n;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    n = readlink(link, got, sizeof got - 1);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, target);
}

/*
 * A link to /proc/self/fd/N (how /dev/stdout is made), a chain of links to
 * it, /dev/fd/N and /proc/self/fd/N themselves: the output goes to
 * descriptor N, at its offset, and every link stays a link.  N is a
 * capture file opened here (as a shell's `>` would), so the test never
 * touches the real /dev/stdout.
 */
static void test_descriptor_links(void **state)
{
    scratch *s = *state;
    char capture[128], link1[128], link2[128], target[64], direct[2][64];
    int fd;

    snprintf(capture, sizeof capture, "%s/captured.txt", s->dir);
    snprintf(link1, sizeof link1, "%s/stdout", s->dir);
    snprintf(link2, sizeof link2, "%s/out-link", s->dir);
    fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "before\n", 7), 7);
    snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
    assert_int_equal(symlink(target, link1), 0);
    assert_int_equal(symlink("stdout", link2), 0);
    assert_int_equal(write_through(link1, "one\n", NULL, 0), CY_OK);
    assert_int_equal(write_through(link2, "two\n", NULL, 0), CY_OK);
    snprintf(direct[0], sizeof direct[0], "/dev/fd/%d", fd);
    snprintf(direct[1], sizeof direct[1], "/proc/self/fd/%d", fd);
    assert_int_equal(write_through(direct[0], "three\n", NULL, 0), CY_OK);
    assert_int_equal(write_through(direct[1], "four\n", NULL, 0), CY_OK);
    assert_int_equal(close(fd), 0);
    assert_file_is(capture, "before\none\ntwo\nthree\nfour\n");
    assert_is_link_to(link1, target);
    assert_is_link_to(link2, "stdout");
    assert_dir_holds(s->dir, "captured.txt out-link stdout");
}

/* A descriptor that is a pipe gets the bytes; one that is not open, open
 * for reading only, or another process's, is refused. */
static void test_descriptor_pipe_and_refusals(void **state)
{
    scratch *s = *state;
    char link[128], target[64], message[512], want[512], got[16];
    int fds[2], ro;
    pid_t child;

    assert_int_equal(pipe(fds), 0);
    snprintf(link, sizeof link, "%s/to-pipe", s->dir);
    snprintf(target, sizeof target, "/proc/self/fd/%d", fds[1]);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(write_through(link, "piped\n", NULL, 0), CY_OK);
    assert_int_equal(read(fds[0], got, sizeof got), 6);
    assert_memory_equal(got, "piped\n", 6);
    close(fds[0]);
    close(fds[1]);
    assert_is_link_to(link, target);
    /* fds[1] is closed now. */
    assert_int_equal(write_through(link, "x", message, sizeof message), CY_EIO);
    snprintf(want, sizeof want, "cannot write '%s': descriptor %d is not open",
             link, fds[1]);
    assert_string_equal(message, want);
    ro = open(s->dir, O_RDONLY);
    assert_true(ro >= 0);
    snprintf(target, sizeof target, "/dev/fd/%d", ro);
    assert_int_equal(write_through(target, "x", message, sizeof message), CY_EIO);
    snprintf(want, sizeof want,
             "cannot write '%s': descriptor %d is open for reading only",
             target, ro);
    assert_string_equal(message, want);
    close(ro);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    snprintf(target, sizeof target, "/proc/%ld/fd/1", (long)child);
    assert_int_equal(write_through(target, "x", message, sizeof message), CY_EIO);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    snprintf(want, sizeof want,
             "cannot write '%s': it is a descriptor of another process", target);
    assert_string_equal(message, want);
    assert_dir_holds(s->dir, "to-pipe");
}

/*
 * A link to a regular file, through a chain and a relative path: the file
 * the last link names is replaced in its own directory, keeping its mode;
 * the links stay links and no temporary file is left in either directory.
 * A dangling link creates its target.
 */
static void test_link_to_regular_file(void **state)
{
    scratch *s = *state;
    char sub[128], real[160], link1[128], link2[128], dangling[128],
        created[160];
    struct stat st;

    snprintf(sub, sizeof sub, "%s/sub", s->dir);
    snprintf(real, sizeof real, "%s/real.json", sub);
    snprintf(link1, sizeof link1, "%s/link.json", s->dir);
    snprintf(link2, sizeof link2, "%s/latest.json", s->dir);
    snprintf(dangling, sizeof dangling, "%s/dangling.json", s->dir);
    snprintf(created, sizeof created, "%s/new.json", sub);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file(real, "old\n", 0640);
    assert_int_equal(symlink("sub/real.json", link1), 0);
    assert_int_equal(symlink("link.json", link2), 0);
    assert_int_equal(symlink("sub/new.json", dangling), 0);
    assert_int_equal(write_through(link2, "new\n", NULL, 0), CY_OK);
    assert_file_is(real, "new\n");
    assert_int_equal(stat(real, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_is_link_to(link1, "sub/real.json");
    assert_is_link_to(link2, "link.json");
    assert_int_equal(write_through(dangling, "created\n", NULL, 0), CY_OK);
    assert_file_is(created, "created\n");
    assert_is_link_to(dangling, "sub/new.json");
    assert_dir_holds(s->dir, "dangling.json latest.json link.json sub");
    assert_dir_holds(sub, "new.json real.json");
    assert_int_equal(unlink(real), 0);
    assert_int_equal(unlink(created), 0);
    assert_int_equal(rmdir(sub), 0);
}

/* Links to a character device and to a FIFO: written through, the links
 * and the nodes stay; a loop of links is refused. */
static void test_link_to_device_and_loop(void **state)
{
    scratch *s = *state;
    char link[128], loop_a[128], loop_b[128], message[512], want[512];
    struct stat st;

    snprintf(link, sizeof link, "%s/null-link", s->dir);
    assert_int_equal(symlink("/dev/null", link), 0);
    assert_int_equal(write_through(link, "dropped\n", NULL, 0), CY_OK);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_is_link_to(link, "/dev/null");
    snprintf(loop_a, sizeof loop_a, "%s/a", s->dir);
    snprintf(loop_b, sizeof loop_b, "%s/b", s->dir);
    assert_int_equal(symlink("b", loop_a), 0);
    assert_int_equal(symlink("a", loop_b), 0);
    assert_int_equal(write_through(loop_a, "x", message, sizeof message), CY_EIO);
    snprintf(want, sizeof want,
             "cannot write '%s': Too many levels of symbolic links", loop_a);
    assert_string_equal(message, want);
    assert_is_link_to(loop_a, "b");
    assert_dir_holds(s->dir, "a b null-link");
}

/* A FIFO nobody reads: the commit gives up after the wait, with a message,
 * instead of blocking forever; the FIFO stays. */
static void test_fifo_without_reader(void **state)
{
    scratch *s = *state;
    char fifo[128], link[128], message[512], want[512];
    struct timespec start, end;
    struct stat st;
    double seconds;

    snprintf(fifo, sizeof fifo, "%s/fifo", s->dir);
    snprintf(link, sizeof link, "%s/fifo-link", s->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(symlink("fifo", link), 0);
    cy_output_test_fifo_wait(200);
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(write_through(link, "x\n", message, sizeof message), CY_EIO);
    clock_gettime(CLOCK_MONOTONIC, &end);
    cy_output_test_fifo_wait(-1);
    seconds = (double)(end.tv_sec - start.tv_sec) +
              (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    assert_true(seconds >= 0.19 && seconds < 30);
    snprintf(want, sizeof want,
             "cannot write '%s': no process opened the FIFO for reading "
             "within 200 ms", link);
    assert_string_equal(message, want);
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_is_link_to(link, "fifo");
}

/* ---- long names ---------------------------------------------------------- */

/*
 * Output names of 248 to 255 bytes (NAME_MAX), ASCII and in 3-byte UTF-8
 * characters, with and without O_TMPFILE: the temporary name is cut to fit,
 * at a character boundary, and the file is written.
 */
static void test_long_names(void **state)
{
    scratch *s = *state;
    char name[256], path[400], tmp[300];

    for (int named = 0; named < 2; named++) {
        cy_output_test_disable_tmpfile(named);
        for (size_t len = 248; len <= 255; len++) {
            for (int utf8 = 0; utf8 < 2; utf8++) {
                cy_output *out = NULL;
                cy_error err;
                size_t k = 0;
                /* "水" is E6 B0 B4; pad with 'a' to the exact length. */
                for (; utf8 && k + 3 <= len; k += 3)
                    memcpy(name + k, "\xe6\xb0\xb4", 3);
                for (; k < len; k++)
                    name[k] = 'a';
                name[len] = '\0';
                snprintf(path, sizeof path, "%s/%s", s->dir, name);
                cy_error_init(&err);
                assert_int_equal(cy_output_open(path, NULL, &out, &err), CY_OK);
                write_large(out);
                if (named) {
                    /* The one hidden entry is the temporary file. */
                    find_entry(s->dir, ".", tmp, sizeof tmp);
                    /* ".", the name cut to 247 bytes (246 when that
                     * would split a character: from 249 bytes on, the
                     * 248th is inside one), ".", six characters. */
                    assert_int_equal(strlen(tmp),
                                     (utf8 && len >= 249 ? 246u : 247u) + 8);
                    assert_memory_equal(tmp + 1, name, strlen(tmp) - 8);
                }
                assert_int_equal(cy_output_commit(out, &err), CY_OK);
                assert_int_equal(err.count, 0);
                cy_error_destroy(&err);
                assert_dir_holds(s->dir, name);
                assert_int_equal(unlink(path), 0);
            }
        }
    }
    cy_output_test_disable_tmpfile(0);
}

/* ---- signals ------------------------------------------------------------- */

/*
 * A child writes 8 MB (so the temporary file exists), tells the parent,
 * and waits; the parent sends `sig`.  The child must die of it (or, with
 * `sigpipe_exit` >= 0 and SIGPIPE, exit with that status after
 * cy_output_exit_on_sigpipe), leaving the old file and nothing else.
 * `named`: without O_TMPFILE, where the handler removes the file; else the
 * file never had a name (SIGKILL included).
 */
static void check_signal_ending(scratch *s, int sig, int named, int sigpipe_exit)
{
    int ready[2], status;
    char byte;
    pid_t child;

    write_file(s->path, "precious\n", 0644);
    assert_int_equal(pipe(ready), 0);
    fflush(NULL);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        cy_output *out = NULL;
        cy_error err;
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        if (sigpipe_exit >= 0)
            cy_output_exit_on_sigpipe(sigpipe_exit);
        cy_output_test_disable_tmpfile(named);
        cy_error_init(&err);
        if (cy_output_open(s->path, NULL, &out, &err) != CY_OK)
            _exit(10);
        write_large(out);
        if (write(ready[1], "r", 1) != 1)
            _exit(11);
        for (;;)
            pause();
    }
    close(ready[1]);
    assert_int_equal(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    assert_int_equal(kill(child, sig), 0);
    assert_int_equal(waitpid(child, &status, 0), child);
    if (sigpipe_exit >= 0 && sig == SIGPIPE) {
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), sigpipe_exit);
    } else {
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sig);
    }
    assert_dir_holds(s->dir, "out.json");
    assert_file_is(s->path, "precious\n");
}

static void check_signal(scratch *s, int sig, int named)
{
    check_signal_ending(s, sig, named, -1);
}

/* The CLI's SIGPIPE: exit 1, the temporary file removed, named or not;
 * the other signals still kill. */
static void test_sigpipe_exits(void **state)
{
    check_signal_ending(*state, SIGPIPE, 1, 1);
    check_signal_ending(*state, SIGPIPE, 0, 1);
    check_signal_ending(*state, SIGTERM, 1, 1);
}

static void test_signals_remove_named_temporary(void **state)
{
    const int signals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGPIPE, SIGQUIT,
                           SIGALRM, SIGUSR1, SIGUSR2, SIGXFSZ, SIGVTALRM};
    for (size_t k = 0; k < sizeof signals / sizeof signals[0]; k++)
        check_signal(*state, signals[k], 1);
    check_signal(*state, SIGRTMIN + 1, 1);
}

static void test_sigkill_leaves_nothing(void **state)
{
    check_signal(*state, SIGKILL, 0);
    check_signal(*state, SIGTERM, 0);
}

/* ---- every output of a run ------------------------------------------------ */

static void test_check_distinct(void **state)
{
    scratch *s = *state;
    char other[128], dot[128], hard[128], alias[128], fresh[128], fresh_dot[128],
        message[512];
    const char *labels[] = {"--plot", "-o"};
    cy_error err;
    char *line;

    write_file(s->path, "x", 0644);
    snprintf(other, sizeof other, "%s/other.json", s->dir);
    snprintf(dot, sizeof dot, "%s/./out.json", s->dir);
    snprintf(hard, sizeof hard, "%s/hard.json", s->dir);
    snprintf(alias, sizeof alias, "%s/link.json", s->dir);
    snprintf(fresh, sizeof fresh, "%s/p.svg", s->dir);
    snprintf(fresh_dot, sizeof fresh_dot, "%s/./p.svg", s->dir);
    assert_int_equal(link(s->path, hard), 0);
    assert_int_equal(symlink("out.json", alias), 0);
    cy_error_init(&err);
    {
        const char *same[][2] = {{s->path, s->path}, {s->path, dot},
                                 {s->path, hard},   {alias, s->path},
                                 {fresh, fresh_dot}};
        for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
            cy_error_clear(&err);
            assert_int_equal(cy_output_check_distinct(same[k], labels, 2, &err),
                             CY_EUSAGE);
            line = cy_error_format(&err, 0);
            snprintf(message, sizeof message,
                     "--plot '%s' and -o '%s' are the same file: one output "
                     "would overwrite the other", same[k][0], same[k][1]);
            assert_string_equal(line, message);
            cy_free(line);
        }
    }
    {
        const char *distinct[][3] = {{s->path, other, fresh},
                                     {"/dev/null", "/dev/null", NULL},
                                     {"-", "-", s->path}};
        for (size_t k = 0; k < sizeof distinct / sizeof distinct[0]; k++) {
            cy_error_clear(&err);
            assert_int_equal(cy_output_check_distinct(distinct[k], NULL, 3, &err),
                             CY_OK);
            assert_int_equal(err.count, 0);
        }
    }
    cy_error_destroy(&err);
}

/* cy_output_check reports the system's reason for a failed write, for a
 * caller that then aborts. */
static void test_check_reports_write_error(void **state)
{
    scratch *s = *state;
    char sub[128], path[160], want[400];
    cy_output *out = NULL;
    cy_error err;
    char *line;

    snprintf(sub, sizeof sub, "%s/sub", s->dir);
    snprintf(path, sizeof path, "%s/out.json", sub);
    assert_int_equal(mkdir(sub, 0700), 0);
    cy_error_init(&err);
    assert_int_equal(cy_output_open(path, NULL, &out, &err), CY_OK);
    assert_int_equal(cy_output_check(out, &err), CY_OK);
    assert_int_equal(rmdir(sub), 0);
    write_large(out);
    assert_int_equal(cy_output_check(out, &err), CY_EIO);
    cy_output_abort(out);
    line = cy_error_format(&err, 0);
    snprintf(want, sizeof want,
             "cannot create a temporary file in '%s': No such file or directory",
             sub);
    assert_string_equal(line, want);
    cy_free(line);
    cy_error_destroy(&err);
}

/* ---- outputs committed together ---------------------------------------- */

/*
 * Two outputs of one run: the second fails (a link to /dev/full, or its
 * directory gone before the commit); the first, complete in its temporary
 * file, must not replace its old file.  `large`: the first has spilled to
 * its temporary file (and `named`: without O_TMPFILE).
 */
static void check_commit_all_failure(scratch *s, int second_dir_gone, int large,
                                     int named)
{
    char second[160], sub[128];
    cy_output *outs[3] = {NULL, NULL, NULL};
    cy_error err;

    cy_output_test_disable_tmpfile(named);
    write_file(s->path, "old first\n", 0600);
    if (second_dir_gone) {
        snprintf(sub, sizeof sub, "%s/sub", s->dir);
        assert_int_equal(mkdir(sub, 0700), 0);
        snprintf(second, sizeof second, "%s/second.csv", sub);
    } else {
        snprintf(second, sizeof second, "%s/second.csv", s->dir);
        assert_int_equal(symlink("/dev/full", second), 0);
    }
    cy_error_init(&err);
    assert_int_equal(cy_output_open(s->path, NULL, &outs[0], &err), CY_OK);
    assert_int_equal(cy_output_open(second, NULL, &outs[2], &err), CY_OK);
    if (large)
        write_large(outs[0]);
    else
        fputs("new first\n", cy_output_stream(outs[0]));
    fputs("new second\n", cy_output_stream(outs[2]));
    if (second_dir_gone)
        assert_int_equal(rmdir(sub), 0);
    /* outs[1] NULL: skipped. */
    assert_int_equal(cy_output_commit_all(outs, 3, &err), CY_EIO);
    cy_output_test_disable_tmpfile(0);
    assert_int_equal(err.error_count, 1);
    assert_file_is(s->path, "old first\n");
    assert_dir_holds(s->dir, second_dir_gone ? "out.json" : "out.json second.csv");
    cy_error_destroy(&err);
}

static void test_commit_all_second_device_fails(void **state)
{
    check_commit_all_failure(*state, 0, 0, 0);
}

static void test_commit_all_second_file_fails(void **state)
{
    check_commit_all_failure(*state, 1, 0, 0);
}

static void test_commit_all_spilled_first(void **state)
{
    check_commit_all_failure(*state, 1, 1, 0);
    check_commit_all_failure(*state, 0, 1, 1);
}

/* A failure of the first drops the second too, and both succeed together. */
static void test_commit_all(void **state)
{
    scratch *s = *state;
    char second[160], gone[160];
    cy_output *outs[2] = {NULL, NULL};
    cy_error err;

    snprintf(second, sizeof second, "%s/second.csv", s->dir);
    snprintf(gone, sizeof gone, "%s/sub", s->dir);
    write_file(s->path, "old first\n", 0600);
    write_file(second, "old second\n", 0600);
    cy_error_init(&err);
    assert_int_equal(mkdir(gone, 0700), 0);
    {
        char first[200];
        snprintf(first, sizeof first, "%s/first", gone);
        assert_int_equal(cy_output_open(first, NULL, &outs[0], &err), CY_OK);
    }
    assert_int_equal(cy_output_open(second, NULL, &outs[1], &err), CY_OK);
    fputs("new first\n", cy_output_stream(outs[0]));
    fputs("new second\n", cy_output_stream(outs[1]));
    assert_int_equal(rmdir(gone), 0);
    assert_int_equal(cy_output_commit_all(outs, 2, &err), CY_EIO);
    assert_int_equal(err.error_count, 1);
    assert_file_is(second, "old second\n");
    assert_dir_holds(s->dir, "out.json second.csv");
    cy_error_clear(&err);

    assert_int_equal(cy_output_open(s->path, NULL, &outs[0], &err), CY_OK);
    assert_int_equal(cy_output_open(second, NULL, &outs[1], &err), CY_OK);
    fputs("new first\n", cy_output_stream(outs[0]));
    fputs("new second\n", cy_output_stream(outs[1]));
    assert_int_equal(cy_output_commit_all(outs, 2, &err), CY_OK);
    assert_int_equal(err.count, 0);
    assert_file_is(s->path, "new first\n");
    assert_file_is(second, "new second\n");
    assert_dir_holds(s->dir, "out.json second.csv");
    cy_error_destroy(&err);
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
        T(test_large_output_unnamed),
        T(test_large_output_abort),
        T(test_large_output_spill_failure),
        T(test_refuses_missing_directory),
        T(test_refuses_file_as_directory),
        T(test_refuses_directory),
        T(test_refuses_input_file),
        cmocka_unit_test(test_refuses_empty_name),
        T(test_refuses_read_only_directory),
        T(test_descriptor_links),
        T(test_descriptor_pipe_and_refusals),
        T(test_link_to_regular_file),
        T(test_link_to_device_and_loop),
        T(test_fifo_without_reader),
        T(test_long_names),
        T(test_signals_remove_named_temporary),
        T(test_sigkill_leaves_nothing),
        T(test_sigpipe_exits),
        T(test_check_distinct),
        T(test_check_reports_write_error),
        T(test_commit_all_second_device_fails),
        T(test_commit_all_second_file_fails),
        T(test_commit_all_spilled_first),
        T(test_commit_all),
    };
#undef T
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
