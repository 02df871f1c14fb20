/*
 * main.c - the chengyu command: a table of subcommands, git-style.  Each
 * row is a command's spec (src/cli/cmd_<name>.c); `help` and `completion`
 * are specs too, defined here because they read the table.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef CHENGYU_MPI
#include <mpi.h>
#endif

extern const cli_spec cli_spec_help, cli_spec_completion;

static const cli_spec *const commands[] = {
    &cli_spec_validate, &cli_spec_info, &cli_spec_generate,
    &cli_spec_centrality, &cli_spec_cascade, &cli_spec_resilience,
    &cli_spec_weaklinks, &cli_spec_stress, &cli_spec_diff, &cli_spec_render, &cli_spec_export,
    &cli_spec_import, &cli_spec_scenarios,
    &cli_spec_help, &cli_spec_completion,
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static int main_help(FILE *stream)
{
    fprintf(stream,
            "usage: chengyu [--version] [--help] COMMAND [options] [FILE]\n\n"
            "Analyse the supply-chain network of the Chengdu-Chongqing economic "
            "circle.\n\ncommands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(stream, "   %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(stream,
            "\n'chengyu help COMMAND' or 'chengyu COMMAND --help' describes a "
            "command; FILE may be - for standard input.\n"
            "Exit status: 0 success, 1 bad input or failed I/O, 2 usage error.\n");
    return 0;
}

static const cli_spec *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(name, commands[i]->name) == 0)
            return commands[i];
    return NULL;
}

/* "'NAME' is not a chengyu command", with the nearest command's name when
 * one is within CY_SUGGEST_DISTANCE edits. */
static int not_a_command(const char *name)
{
    cy_suggester near;
    cy_suggester_init(&near, name, CY_SUGGEST_DISTANCE);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        cy_suggester_offer(&near, commands[i]->name);
    if (cy_suggester_best(&near))
        cli_error("'%s' is not a chengyu command (did you mean '%s'?); see 'chengyu --help'",
                  cli_echo(name), cy_suggester_best(&near));
    else
        cli_error("'%s' is not a chengyu command; see 'chengyu --help'", cli_echo(name));
    return CY_EXIT_USAGE;
}

/* ---- chengyu help [--man] [COMMAND] --------------------------------------- */

typedef struct {
    cli_common common;
    int man;
} help_args;

static int run_help(void *args_, int count, char **operands)
{
    help_args *args = args_;
    const cli_spec *spec;
    if (args->man) {
        cli_print_man(commands, COMMAND_COUNT, stdout);
        return cli_check_stdout();
    }
    if (count == 0) {
        main_help(stdout);
        return cli_check_stdout();
    }
    if (!(spec = find_command(operands[0])))
        return not_a_command(operands[0]);
    cli_print_help(spec, stdout);
    return cli_check_stdout();
}

static const char *const help_synopsis[] = {"[COMMAND]", "--man", NULL};

static const cli_option help_options[] = {
    CLI_OPT_FLAG(0, "man", help_args, man,
                 "print the manual page chengyu(1) in roff (man -l - reads it)"),
    CLI_OPT_END};

const cli_spec cli_spec_help = {
    "help", "describe chengyu or one of its commands", help_synopsis,
    "Without COMMAND, list the commands; with one, print its help, the same "
    "text as 'chengyu COMMAND --help'.",
    help_options, sizeof(help_args), NULL, "COMMAND", 0, 1, run_help};

/* ---- chengyu completion bash ---------------------------------------------- */

typedef struct {
    cli_common common;
} completion_args;

static int run_completion(void *args, int count, char **operands)
{
    (void)args;
    (void)count;
    if (strcmp(operands[0], "bash") != 0) {
        cli_error("completion: only bash is supported, got '%s'", cli_echo(operands[0]));
        return CY_EXIT_USAGE;
    }
    cli_print_bash_completion(commands, COMMAND_COUNT, stdout);
    return cli_check_stdout();
}

static const char *const completion_synopsis[] = {"bash", NULL};

static const cli_option completion_options[] = {CLI_OPT_END};

const cli_spec cli_spec_completion = {
    "completion", "print a shell completion script (bash)", completion_synopsis,
    "Print the bash completion script of chengyu, generated from the same "
    "option tables as the help and the man page.  'cmake --install' installs "
    "it; to use it at once: source <(chengyu completion bash).",
    completion_options, sizeof(completion_args), NULL, "SHELL", 1, 1,
    run_completion};

/* ---- MPI (docs/scaling.md) ------------------------------------------------ */

#ifdef CHENGYU_MPI
/* Set once the run has ended through mpi_end. */
static int mpi_ended;
/* The process that started MPI: a child forked later (Graphviz's
 * isolation, which exit()s when Graphviz runs out of memory) shares the
 * parent's connections and must make no MPI call of its own. */
static pid_t mpi_pid;

/* Whether variable `name` holds a whole number from 0 to INT_MAX, in
 * *value. */
static int env_count(const char *name, long *value)
{
    const char *text = getenv(name);
    char *end;
    if (!text || *text < '0' || *text > '9')
        return 0;
    errno = 0;
    *value = strtol(text, &end, 10);
    return *end == '\0' && errno == 0 && *value <= INT_MAX;
}

/* Whether variable `name` is set and not empty. */
static int env_set(const char *name)
{
    const char *text = getenv(name);
    return text && *text;
}

/* A directory the launcher made for the job, named by variable `name`:
 * 1 when it exists, 0 when it does not (the job has ended: its launcher
 * removes it), -1 when the variable is not set. */
static int env_live_dir(const char *name)
{
    struct stat st;
    if (!env_set(name))
        return -1;
    return stat(getenv(name), &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether a PMIx server (mpirun's, Open MPI 5's prterun, Slurm's srun
 * --mpi=pmix) started this process: its namespace, rank and address;
 * its session directory, when named, still exists. */
static int pmix_launched(int *stale)
{
    long rank;
    if (!env_set("PMIX_NAMESPACE") || !env_count("PMIX_RANK", &rank) ||
        !(env_set("PMIX_SERVER_URI41") || env_set("PMIX_SERVER_URI4") ||
          env_set("PMIX_SERVER_URI3") || env_set("PMIX_SERVER_URI21") ||
          env_set("PMIX_SERVER_URI2") || env_set("PMIX_SERVER_URI")))
        return 0;
    if (env_live_dir("PMIX_SERVER_TMPDIR") == 0) {
        *stale = 1;
        return 0;
    }
    return 1;
}

/*
 * Whether a launcher started this process as one of an MPI job, judged by
 * the whole set of variables a launcher gives the process it starts, not
 * one of them: a lone variable (a profile's, a batch script's) or the
 * variables of a job that has ended (copied into a shell, inherited by a
 * later process) must not start MPI, which then cannot reach the launcher
 * and aborts the process (Open MPI's MPI_Init_thread on a session that is
 * gone: tests/cli/test_mpi.sh).  *stale: the set was whole but its job has
 * ended.  CHENGYU_MPI=0 runs without MPI whatever the environment says.
 */
static int launched_by_mpi(int *stale)
{
    const char *off = getenv("CHENGYU_MPI");
    long rank, size;
    int fd;

    *stale = 0;
    if (off && strcmp(off, "0") == 0)
        return 0;
    /* Open MPI's mpirun: its rank and size agree, the PMIx server (4.x,
     * 5.x) or the ORTE daemon (older) is named, and the job's session
     * directory, which mpirun removes at its end, exists. */
    if (env_count("OMPI_COMM_WORLD_RANK", &rank) && env_count("OMPI_COMM_WORLD_SIZE", &size) &&
        rank < size) {
        if (env_live_dir("OMPI_MCA_orte_jobfam_session_dir") == 0) {
            *stale = 1;
            return 0;
        }
        return pmix_launched(stale) || (!*stale && env_set("OMPI_MCA_orte_hnp_uri"));
    }
    if (pmix_launched(stale))
        return 1;
    /* PMI-1/2 (MPICH's Hydra, srun --mpi=pmi2): rank and size agree, and
     * the launcher's socket is open in this process (or its port named). */
    if (!*stale && env_count("PMI_RANK", &rank) && env_count("PMI_SIZE", &size) &&
        rank < size) {
        long value;
        if (env_set("PMI_PORT"))
            return 1;
        fd = env_count("PMI_FD", &value) ? (int)value : -1;
        if (fd >= 0 && fcntl(fd, F_GETFD) != -1)
            return 1;
        *stale = fd >= 0;
    }
    return 0;
}

static int mpi_end(int code)
{
    if (mpi_ended)
        return code;
    mpi_ended = 1;
    code = cy_dist_finish(code);
    /* Another process stopped the run after this one's last loop (its
     * error went to /dev/null): process 0 says why, in that process's
     * words, already made safe for a terminal there. */
    if (cy_dist_rank() == 0 && cy_dist_stop_reason())
        fprintf(stderr, "chengyu: %s\n", cy_dist_stop_reason());
    /* How a user (and tests/cli/test_mpi.sh) sees that the work was shared. */
    if (getenv("CHENGYU_MPI_VERBOSE") && cy_dist_rank() == 0)
        cli_error("MPI: %zu processes; %zu loops spread over them", cy_dist_size(),
                  cy_dist_exchanges());
    MPI_Finalize();
    return code;
}

/* exit() from inside a command (--max-seconds): leave the run cleanly,
 * so that the other processes fail their loop instead of waiting. */
static void mpi_atexit(void)
{
    if (getpid() == mpi_pid)
        mpi_end(CY_EXIT_FAILURE);
}

/* Only process 0 speaks: the others' standard output and error go to
 * /dev/null (the library discards their output files). */
static void mpi_silence(void)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0)
        return;
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
}

/* 0 when MPI could not start (the message is printed, by process 0
 * alone when MPI started); *on: it did. */
static int mpi_start(int *argc, char ***argv, int *on)
{
    int provided = 0, rank = 0, stale;
    cy_error err;

    *on = 0;
    if (!launched_by_mpi(&stale)) {
        /* Said so that a real launch mistaken for a stale one (every
         * process then computing everything) does not go unnoticed. */
        if (stale)
            cli_error("note: the MPI variables in the environment are those of a job "
                      "that has ended: running as one process (CHENGYU_MPI=0 does so "
                      "without this note)");
        return 1;
    }
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        cli_error("cannot start MPI, although the environment says mpirun or srun "
                  "started chengyu; CHENGYU_MPI=0 runs it as one process");
        return 0;
    }
    *on = 1;
    /* cy_dist_attach checks `provided` (MPI_Query_thread) on every
     * process and refuses on all alike; only process 0 says so. */
    cy_error_init(&err);
    if (cy_dist_attach(&err) != CY_OK) {
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (rank == 0)
            cli_report(&err);
        cy_error_destroy(&err);
        MPI_Finalize();
        return 0;
    }
    cy_error_destroy(&err);
    mpi_pid = getpid();
    atexit(mpi_atexit);
    if (cy_dist_rank() != 0)
        mpi_silence();
    return 1;
}
#endif

static int run_main(int argc, char **argv);

int main(int argc, char **argv)
{
#ifdef CHENGYU_MPI
    int on;
#endif
    /* Before MPI and threads start: it may execute chengyu anew. */
    cli_huge_pages(argc, argv);
    cli_heap_keep();
#ifdef CHENGYU_MPI
    if (!mpi_start(&argc, &argv, &on))
        return CY_EXIT_FAILURE;
    if (on)
        return mpi_end(run_main(argc, argv));
#endif
    return run_main(argc, argv);
}

static int run_main(int argc, char **argv)
{
    const char *name;
    const cli_spec *spec;

    /* `chengyu ... | head -1`: exit 1 without a word (docs/cli.md). */
    cy_output_exit_on_sigpipe(CY_EXIT_FAILURE);
    cli_progress_run_start();
    if (argc < 2) {
        main_help(stderr);
        return CY_EXIT_USAGE;
    }
    name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        main_help(stdout);
        return cli_check_stdout();
    }
    if (strcmp(name, "--version") == 0) {
        printf("chengyu %s (format %s)\n", CY_VERSION, CY_FORMAT);
        return cli_check_stdout();
    }
    if ((spec = find_command(name))) {
        cy_library_init();
        return cli_dispatch(spec, argc - 1, argv + 1);
    }
    return not_a_command(name);
}
