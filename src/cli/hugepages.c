/*
 * hugepages.c - transparent huge pages for glibc's heap on a big input,
 * and glibc's heap told to keep what is freed (cli_heap_keep, at the end).
 *
 * A load or analysis of a big network writes hundreds of megabytes once.
 * With 4 KB pages every first touch is a page fault (15-20 us of CPU each
 * in a virtual machine, where the page tables are the hypervisor's to
 * check) and every random probe of an id table a TLB miss.  libchengyu
 * asks for huge pages on its own blocks of 4 MB or more (src/core/alloc.c),
 * but most of the memory is smaller blocks from glibc's heap and igraph's
 * vectors, which only glibc can place on huge pages.  glibc does so with
 * its tunable glibc.malloc.hugetlb=1 (glibc 2.35 and later), and reads
 * tunables only from the environment, at start-up: so chengyu, about to
 * read a file of CLI_HUGE_INPUT bytes or more on a kernel that gives huge
 * pages only where asked ("madvise" mode, Debian's), executes itself once
 * more with the tunable set.  Measurements: docs/performance.md, "Huge
 * pages for glibc's heap".
 */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#include <malloc.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HUGE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define HUGE_SANITIZED 1
#endif
#endif

/* Where the second start is possible at all. */
#if defined(__GLIBC__) && defined(__linux__) && !defined(HUGE_SANITIZED)
#define HUGE_REEXEC 1
#endif

#define HUGE_TUNABLE "glibc.malloc.hugetlb"
#define THP_MODE_FILE "/sys/kernel/mm/transparent_hugepage/enabled"

/* Whether `arg`, or the value after '=' of an option written --name=value,
 * names a regular file of at least CLI_HUGE_INPUT bytes.  stat only: no
 * file is opened. */
static int big_file(const char *arg)
{
    struct stat st;
    const char *eq;
    if (stat(arg, &st) == 0)
        return S_ISREG(st.st_mode) && st.st_size >= CLI_HUGE_INPUT;
    if (arg[0] == '-' && arg[1] == '-' && (eq = strchr(arg, '=')))
        return big_file(eq + 1);
    return 0;
}

/* Whether glibc (at run time, not the headers') has the tunable: 2.35. */
static int glibc_has_tunable(const char *version)
{
    char *end;
    long major = strtol(version, &end, 10), minor;
    if (*end != '.')
        return 0;
    minor = strtol(end + 1, NULL, 10);
    return major > 2 || (major == 2 && minor >= 35);
}

/*
 * The decision, apart from the process so that it can be tested:
 * `thp_mode` is the text of THP_MODE_FILE (NULL when unreadable),
 * `tunables` the GLIBC_TUNABLES variable and `setting` CHENGYU_HUGE_PAGES
 * (NULL when unset), `libc_version` glibc's version at run time.  Yes when
 * the kernel is in "madvise" mode (in "always" mode the heap has huge pages
 * already; in "never" mode asking is useless), glibc has the tunable, the
 * user has not set it either way (which also ends the recursion), the user
 * has not said CHENGYU_HUGE_PAGES=0, and an argument after the command
 * names a big file.
 */
int cli_huge_pages_wanted(int argc, char **argv, const char *thp_mode, const char *tunables,
                          const char *setting, const char *libc_version)
{
    if ((setting && strcmp(setting, "0") == 0) || !thp_mode || !strstr(thp_mode, "[madvise]"))
        return 0;
    if ((tunables && strstr(tunables, HUGE_TUNABLE)) || !libc_version ||
        !glibc_has_tunable(libc_version))
        return 0;
    for (int i = 2; i < argc; i++)
        if (big_file(argv[i]))
            return 1;
    return 0;
}

#ifdef HUGE_REEXEC
/* The first line of THP_MODE_FILE in buf, or NULL. */
static const char *thp_mode(char *buf, size_t size)
{
    FILE *f = fopen(THP_MODE_FILE, "r");
    const char *line;
    if (!f)
        return NULL;
    line = fgets(buf, (int)size, f);
    fclose(f);
    return line;
}

/* GLIBC_TUNABLES with the huge-page tunable added (glibc separates
 * tunables with ':'), or NULL when out of memory. */
static char *with_tunable(const char *tunables)
{
    static const char add[] = HUGE_TUNABLE "=1";
    size_t old = tunables && *tunables ? strlen(tunables) + 1 : 0;
    char *text = malloc(old + sizeof add);
    if (!text)
        return NULL;
    if (old) {
        memcpy(text, tunables, old - 1);
        text[old - 1] = ':';
    }
    memcpy(text + old, add, sizeof add);
    return text;
}

/* Whether Valgrind runs this process (its preloaded library is named in
 * LD_PRELOAD): a program it executes would run without it (Valgrind
 * follows an exec only with --trace-children=yes), so the checks of the
 * run would silently stop at the exec. */
static int under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload");
}

/* Whether the program was started by naming the dynamic loader
 * (`ld-linux-x86-64.so.2 chengyu ...`): /proc/self/exe is then the
 * loader, which would take the command's name for a program to load.  The
 * kernel gives a program it started through its interpreter that
 * interpreter's address (AT_BASE); the loader started as the program
 * itself gets none. */
static int started_by_loader(void)
{
    return getauxval(AT_BASE) == 0;
}

/* Whether the process runs with privileges it was given (setuid): glibc
 * then removes tunables from GLIBC_TUNABLES at start-up, so the second
 * program would not see the one added and would execute itself again. */
static int secure_mode(void)
{
    return getauxval(AT_SECURE) != 0;
}

#endif

/*
 * Before anything else in main: when cli_huge_pages_wanted says so,
 * execute /proc/self/exe with the same arguments and the tunable added.
 * Returns only when it does not (not wanted, or the exec failed: the run
 * goes on without huge pages, with the environment as it was).  Under a
 * sanitizer, whose allocator replaces glibc's, Valgrind, setuid, or a
 * start through the dynamic loader named on the command line, it never
 * does.
 */
void cli_huge_pages(int argc, char **argv)
{
#ifdef HUGE_REEXEC
    char mode[128];
    const char *tunables = getenv("GLIBC_TUNABLES");
    char *saved = tunables ? strdup(tunables) : NULL, *text;

    if ((tunables && !saved) || under_valgrind() || secure_mode() || started_by_loader() ||
        !cli_huge_pages_wanted(argc, argv, thp_mode(mode, sizeof mode), tunables,
                               getenv("CHENGYU_HUGE_PAGES"), gnu_get_libc_version()))
        goto cleanup;
    if (!(text = with_tunable(saved)))
        goto cleanup;
    if (setenv("GLIBC_TUNABLES", text, 1) == 0)
        execv("/proc/self/exe", argv);
    free(text);
    /* The exec failed: leave the environment as the user gave it. */
    if (saved)
        setenv("GLIBC_TUNABLES", saved, 1);
    else
        unsetenv("GLIBC_TUNABLES");
cleanup:
    free(saved);
#else
    (void)argc;
    (void)argv;
#endif
}

/*
 * A run allocates and frees large arrays all along (a sort's copy, a
 * section's scratch, the per-firm arrays of one analysis after another).
 * By default glibc gives a block over its mmap threshold (128 KB at
 * first, raised as such blocks are freed, up to 32 MB) a mapping of its
 * own, unmapped at free, and trims the heap's top once 128 KB of it are
 * free: the next array then takes fresh pages, each a fault and a page to
 * zero (slow in a virtual machine), and with several threads every unmap
 * interrupts the other processors to flush their TLBs.  Fixing the
 * threshold at its ceiling and trimming only past 2 GB (INT_MAX), glibc
 * reuses the memory instead.  What is kept is free for the next
 * allocation, and the library trims on purpose before its largest arrays
 * (cy_i_mem_release), so the peak moves little (national weak-links
 * together with session 10's other changes: 591-620 MB against 565-604).
 * Measurements: docs/performance.md, "Weak links on two threads: session
 * 10".
 */
#define HEAP_MMAP_THRESHOLD (32 << 20) /* glibc's ceiling on 64-bit */

void cli_heap_keep(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}
