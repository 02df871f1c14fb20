/*
 * cmd_validate.c - chengyu validate FILE
 */
#include "cli.h"

#include <getopt.h>

static const char *const validate_usage[] = {
    "usage: chengyu validate [--quiet] FILE",
    "",
    "Check FILE against the chengyu/1 format and print 'ok: N enterprises,",
    "M links' or every problem found (up to 50 errors), each with its JSON",
    "path.  Warnings do not fail validation.",
    "",
    "    -q, --quiet    do not print warnings",
    "    -h, --help     show this help",
    NULL};

int cmd_validate(int argc, char **argv)
{
    static const struct option options[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    size_t enterprise_count, link_count;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': return cli_help(validate_usage);
        default:
            return cli_usage_error(validate_usage, "validate: unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(validate_usage, "validate: expected one FILE");
    if (!cli_check(argv[optind], &enterprise_count, &link_count, quiet))
        return CY_EXIT_FAILURE;
    printf("ok: %zu enterprises, %zu links\n", enterprise_count, link_count);
    return cli_check_stdout();
}
