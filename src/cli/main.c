/*
 * main.c - the chengyu command: a table of subcommands, git-style.
 */
#include "cli.h"

#include <string.h>

static const cli_command commands[] = {
    {"validate", cmd_validate, "check a network file against chengyu/1"},
    {"info", cmd_info, "counts and summary statistics of a network"},
    {"generate", cmd_generate, "write a synthetic network (regional, province, national)"},
    {"centrality", cmd_centrality, "centrality of firms, parks, clusters or regions"},
    {"cascade", cmd_cascade, "follow a disruption (firms, a park, a region) downstream"},
    {"resilience", cmd_resilience, "robustness curves under attack; structural weak points"},
    {"weak-links", cmd_weaklinks, "report weak links: single sources, chokepoints, concentration, local supply"},
    {"render", cmd_render, "draw the network with Graphviz (svg, png, pdf, dot)"},
    {"export", cmd_export, "write the network as GraphML, CSV, DOT or an .xlsx workbook"},
    {"import", cmd_import, "read an .xlsx workbook or CSV tables into chengyu/1 JSON"},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static int main_help(FILE *stream)
{
    fprintf(stream,
            "usage: chengyu [--version] [--help] COMMAND [options] [FILE]\n\n"
            "Analyse the supply-chain network of the Chengdu-Chongqing economic "
            "circle.\n\ncommands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(stream, "   %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(stream,
            "\n'chengyu COMMAND --help' describes a command.\n"
            "Exit status: 0 success, 1 bad input or failed I/O, 2 usage error.\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *name;

    if (argc < 2) {
        main_help(stderr);
        return CY_EXIT_USAGE;
    }
    name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        main_help(stdout);
        return cli_check_stdout();
    }
    if (strcmp(name, "--version") == 0) {
        printf("chengyu %s (format %s)\n", CY_VERSION, CY_FORMAT);
        return cli_check_stdout();
    }
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp(name, commands[i].name) == 0) {
            cy_library_init();
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    cli_error("'%s' is not a chengyu command; see 'chengyu --help'", name);
    return CY_EXIT_USAGE;
}
