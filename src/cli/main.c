/*
 * main.c - the chengyu command: a table of subcommands, git-style.  Each
 * row is a command's spec (src/cli/cmd_<name>.c); `help` and `completion`
 * are specs too, defined here because they read the table.
 */
#include "cli.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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
    if (!(spec = find_command(operands[0]))) {
        cli_error("'%s' is not a chengyu command; see 'chengyu --help'", cli_echo(operands[0]));
        return CY_EXIT_USAGE;
    }
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

/* Whether a launcher (mpirun, srun) started this process as one of
 * several: the MPI build run alone behaves as any other build. */
static int launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK");
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

/* 0 when MPI could not start (the message is printed). */
static int mpi_start(int *argc, char ***argv)
{
    int provided = 0;
    cy_error err;

    if (!launched_by_mpi())
        return 1;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        cli_error("cannot start MPI");
        return 0;
    }
    cy_error_init(&err);
    if (cy_dist_attach(&err) != CY_OK) {
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
    if (!mpi_start(&argc, &argv))
        return CY_EXIT_FAILURE;
    if (launched_by_mpi())
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
    cli_error("'%s' is not a chengyu command; see 'chengyu --help'", cli_echo(name));
    return CY_EXIT_USAGE;
}
