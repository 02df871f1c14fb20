/*
 * test_scenarios.c - scenario files and their comparison on the
 * hand-checked graphs/scenarios-network.json with
 * graphs/scenarios-example.json (answers worked out in graphs/README.md,
 * "Scenario examples"), bad scenario files with their JSON paths, and every
 * allocation failure of loading and running them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chengyu.h"
#include "chengyu_test.h"
#include "helpers.h"

static char network_path[1024], example_path[1024];

static int setup(void **state)
{
    snprintf(network_path, sizeof network_path, "%s/graphs/scenarios-network.json",
             CY_SOURCE_DIR);
    snprintf(example_path, sizeof example_path, "%s/graphs/scenarios-example.json",
             CY_SOURCE_DIR);
    *state = load_graph("scenarios-network.json");
    return 0;
}

static int teardown(void **state)
{
    cy_network_free(*state);
    return 0;
}

static const char *id_of(const cy_network *net, size_t v)
{
    return cy_enterprise_id(net, v);
}

/*
 * Second cell source: cell fails but pack keeps cell-2, so only cell
 * fails; the register loses cell, the single-source pair (pack, cell, cell)
 * and the chokepoint (oem, cell) go.  chip-b lost: oem buys chip only from
 * chip-a now, so chip-a is a new register row, single-source pair and
 * chokepoint, and its failure stops oem (100 of 400).  两江 flood: cell and
 * chip-a fail, pack (its only cell) and oem (no pack) follow.  chip-a at
 * 40%: oem gets 0.5 x 0.4 + 0.5 = 0.7 of its chips: 30 of 400 lost.
 */
static void test_example(void **state)
{
    cy_network *net = *state;
    cy_scenarios set;
    cy_scenarios_result r;
    cy_scenarios_options options = {0.0, -1, NULL, 0};
    cy_error err;
    const cy_scenario_outcome *o;

    cy_error_init(&err);
    assert_int_equal(cy_scenarios_load(example_path, net, network_path, NULL, &set, &err), CY_OK);
    assert_int_equal(set.count, 4);
    assert_string_equal(set.items[2].name, "两江 flood");
    assert_close(set.items[0].days, 30.0, 0);
    assert_true(isnan(set.items[3].days));
    assert_int_equal(cy_scenarios_run(net, &set, &options, &r, &err), CY_OK);
    assert_int_equal(r.baseline->register_count, 3);

    o = &r.items[0];
    assert_int_equal(o->cascade.failed_count, 1);
    assert_close(o->cascade.final_demand_lost, 0.0, 0);
    assert_int_equal(o->register_rows.removed_count, 1);
    assert_string_equal(id_of(net, o->register_rows.removed[0].a), "cell");
    assert_int_equal(o->register_rows.added_count, 0);
    assert_int_equal(o->single_source.removed_count, 1);
    assert_string_equal(id_of(net, o->single_source.removed[0].a), "pack");
    assert_string_equal(id_of(net, o->single_source.removed[0].b), "cell");
    assert_int_equal(o->single_source.added_count, 0);
    assert_int_equal(o->chokepoints.removed_count, 1);
    assert_string_equal(id_of(net, o->chokepoints.removed[0].a), "oem");
    assert_string_equal(id_of(net, o->chokepoints.removed[0].b), "cell");
    assert_int_equal(o->chokepoints.added_count, 0);

    o = &r.items[1];
    assert_int_equal(o->cascade.failed_count, 2);
    assert_close(o->cascade.final_demand_lost, 100.0, 0);
    assert_int_equal(o->cascade.demand_nodes_failed, 1);
    assert_int_equal(o->register_rows.removed_count, 0);
    assert_int_equal(o->register_rows.added_count, 1);
    assert_string_equal(id_of(set.items[1].net, o->register_rows.added[0].a), "chip-a");
    assert_int_equal(o->single_source.added_count, 1);
    assert_string_equal(id_of(set.items[1].net, o->single_source.added[0].a), "oem");
    assert_string_equal(id_of(set.items[1].net, o->single_source.added[0].b), "chip-a");
    assert_int_equal(o->chokepoints.added_count, 1);
    assert_string_equal(id_of(set.items[1].net, o->chokepoints.added[0].b), "chip-a");

    o = &r.items[2];
    assert_null(o->weaklinks);
    assert_int_equal(o->cascade.failed_count, 4);
    assert_string_equal(id_of(net, o->cascade.failed[2]), "pack");
    assert_string_equal(id_of(net, o->cascade.failed[3]), "oem");
    assert_close(o->cascade.final_demand_lost, 100.0, 0);

    o = &r.items[3];
    assert_int_equal(o->cascade.model, CY_CASCADE_FRACTIONAL);
    assert_int_equal(o->cascade.failed_count, 0);
    assert_close(o->cascade.final_demand_lost, 30.0, 1e-12);

    cy_scenarios_result_destroy(&r);
    /* An explicit threshold model cannot run a partial capacity. */
    options.model = CY_CASCADE_THRESHOLD;
    assert_int_equal(cy_scenarios_run(net, &set, &options, &r, &err), CY_EUSAGE);
    assert_null(r.items);
    cy_scenarios_destroy(&set);
    cy_error_destroy(&err);
}

/* Write `text` to a temporary scenario file and load it: the status, and
 * every message joined with "|" into `joined`. */
static cy_status load_text(const cy_network *net, const char *text, char *joined, size_t size)
{
    char path[] = "/tmp/chengyu-scenarios-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    cy_scenarios set;
    cy_error err;
    cy_status status;
    size_t used = 0;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    cy_error_init(&err);
    status = cy_scenarios_load(path, net, network_path, NULL, &set, &err);
    joined[0] = '\0';
    for (size_t k = 0; k < err.count; k++)
        used += (size_t)snprintf(joined + used, size - used, "%s%s: %s", k ? "|" : "",
                                 err.items[k].path ? err.items[k].path : "",
                                 err.items[k].message);
    if (status == CY_OK)
        cy_scenarios_destroy(&set);
    else
        assert_null(set.items);
    cy_error_destroy(&err);
    remove(path);
    return status;
}

static void expect(const char *joined, const char *part)
{
    if (!strstr(joined, part))
        fail_msg("expected \"%s\" in: %s", part, joined);
}

static void test_bad_files(void **state)
{
    cy_network *net = *state;
    char m[4096];

    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"a\", \"shocks\": [{\"firms\": [\"cel\"], "
                                    "\"capacity_left\": 1.5, \"days\": -3}], \"colour\": 1}]}",
                               m, sizeof m), CY_EINPUT);
    expect(m, "$.scenarios[0].colour: unknown key \"colour\"");
    expect(m, "$.scenarios[0].shocks[0].capacity_left: \"capacity_left\" must be in [0, 1], got 1.5");
    expect(m, "$.scenarios[0].shocks[0].days: \"days\" must be in [0, 1e+09], got -3");
    expect(m, "$.scenarios[0].shocks[0].firms[0]: unknown enterprise \"cel\" (did you mean \"cell\"?)");
    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"a\", \"shocks\": [{\"firms\": [\"cell\"], "
                                    "\"days\": 1e300}]}]}", m, sizeof m), CY_EINPUT);
    expect(m, "$.scenarios[0].shocks[0].days: \"days\" must be in [0, 1e+09], got 1e+300");

    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"p\", \"shocks\": [{\"parks\": [\"两江新\"], "
                                    "\"regions\": [\"成都x\"]}]}]}", m, sizeof m), CY_EINPUT);
    expect(m, "$.scenarios[0].shocks[0].parks[0]: unknown park \"两江新\" (did you mean \"两江新区\"?)");
    expect(m, "$.scenarios[0].shocks[0].regions[0]: unknown region \"成都x\" (did you mean \"成都\"?)");

    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"m\", \"mitigations\": ["
                                    "{\"action\": \"add_link\", \"link\": {\"from\": \"chip-a\", "
                                    "\"to\": \"pack\", \"part\": \"chip\", \"share\": 2}}]},"
                                    "{\"name\": \"m\", \"mitigations\": [{\"action\": \"remove_lnk\"},"
                                    "{\"action\": \"remove_link\", \"from\": \"cell\", \"to\": \"oem\", \"part\": \"x\"},"
                                    "{\"action\": \"set_enterprise\", \"id\": \"pak\", \"capacity\": 1},"
                                    "{\"action\": \"move_enterprise\", \"id\": \"seat\", \"park\": \"天府\"}]}]}",
                               m, sizeof m), CY_EINPUT);
    expect(m, "$.scenarios[0].mitigations[0]: the network after the mitigations: $.links[5].share:");
    expect(m, "$.scenarios[1].mitigations[0].action: unknown action \"remove_lnk\" (did you mean \"remove_link\"?)");
    expect(m, "$.scenarios[1].mitigations[1].part: no link from \"cell\" to \"oem\" for part \"x\"");
    expect(m, "$.scenarios[1].mitigations[2].id: unknown enterprise \"pak\" (did you mean \"pack\"?)");
    expect(m, "$.scenarios[1].mitigations[3].park: unknown park \"天府\" (did you mean \"天府新区\"?)");
    expect(m, "$.scenarios[1].name: duplicate scenario name \"m\"");

    /* A mitigation that breaks a rule over the whole network: removing
     * pack's only cell supplier leaves a gap only if requires is explicit;
     * here a duplicate link is the loader's error. */
    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"d\", \"mitigations\": [{\"action\": \"add_link\", "
                                    "\"link\": {\"from\": \"cell\", \"to\": \"pack\", \"part\": \"cell\"}}]}]}",
                               m, sizeof m), CY_EINPUT);
    expect(m, "$.scenarios[0].mitigations");
    expect(m, "the network after the mitigations");

    /* A record a mitigation changed (not added): its problem is reported at
     * that mitigation, also after a removed link shifted the links. */
    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"s\", \"mitigations\": ["
                                    "{\"action\": \"remove_link\", \"from\": \"chip-b\", \"to\": \"oem\", \"part\": \"chip\"},"
                                    "{\"action\": \"set_link\", \"from\": \"cell\", \"to\": \"pack\", \"part\": \"cell\", \"share\": 2}]},"
                                    "{\"name\": \"e\", \"mitigations\": ["
                                    "{\"action\": \"move_enterprise\", \"id\": \"seat\", \"park\": \"两江新区\"},"
                                    "{\"action\": \"set_enterprise\", \"id\": \"cell\", \"capacity\": -5}]}]}",
                               m, sizeof m), CY_EINPUT);
    expect(m, "$.scenarios[0].mitigations[1]: the network after the mitigations: $.links[0].share:");
    expect(m, "$.scenarios[1].mitigations[1]: the network after the mitigations: $.enterprises[0].capacity:");

    assert_int_equal(load_text(net, "{\"format\": \"chengyu/1\", \"scenarios\": []}", m, sizeof m),
                     CY_EINPUT);
    expect(m, "$.format: \"format\" must be \"chengyu-scenarios/1\"");
    expect(m, "$.scenarios: no scenario");
    assert_int_equal(load_text(net, "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": "
                                    "[{\"name\": \"\", \"shocks\": [{\"days\": 2}]}]}", m, sizeof m),
                     CY_EINPUT);
    expect(m, "$.scenarios[0].name: a scenario's name must not be empty");
    expect(m, "$.scenarios[0].shocks[0]: a shock needs at least one id");
    assert_int_equal(load_text(net, "{\"format\": ", m, sizeof m), CY_EINPUT);
}

/* Every allocation of loading and running the example made to fail, alone
 * and with all after it: CY_ENOMEM and nothing held, or the clean run. */
static void test_out_of_memory(void **state)
{
    cy_network *net = *state;
    cy_scenarios_options options = {0.0, -1, NULL, 0};
    cy_error err;
    long total;

    cy_error_init(&err);
    for (int persistent = 0; persistent < 2; persistent++) {
        cy_scenarios set;
        cy_scenarios_result r;
        cy_alloc_fail_after(-1, 0);
        assert_int_equal(cy_scenarios_load(example_path, net, network_path, NULL, &set, &err), CY_OK);
        assert_int_equal(cy_scenarios_run(net, &set, &options, &r, &err), CY_OK);
        total = cy_alloc_count();
        cy_scenarios_result_destroy(&r);
        cy_scenarios_destroy(&set);
        for (long n = 0; n < total; n++) {
            cy_status status;
            cy_error_destroy(&err);
            cy_error_init(&err);
            cy_alloc_fail_after(n, persistent);
            status = cy_scenarios_load(example_path, net, network_path, NULL, &set, &err);
            if (status == CY_OK) {
                status = cy_scenarios_run(net, &set, &options, &r, &err);
                if (status == CY_OK) {
                    assert_int_equal(r.count, 4);
                    cy_scenarios_result_destroy(&r);
                } else {
                    assert_null(r.items);
                }
                cy_scenarios_destroy(&set);
            } else {
                assert_null(set.items);
            }
            cy_alloc_fail_after(-1, 0);
            assert_true(status == CY_OK || status == CY_ENOMEM || status == CY_EINPUT);
        }
    }
    cy_error_destroy(&err);
}

/* The example's scenarios as one row per shock or mitigation (blank
 * names continue the scenario above), written to a temporary .csv. */
static const char SHEET[] =
    "scenario,description,action,firms,parks,capacity_left,days,id,kind,region,produces,"
    "from,to,part\n"
    "second cell source,\"cell fails; a second cell maker in Yibin supplies pack\",,cell,,,"
    "30,,,,,,,\n"
    ",,add_enterprise,,,,,cell-2,supplier,成都,cell,,,\n"
    ",,新增供应关系,,,,,,,,,cell-2,pack,cell\n"
    "chip-b lost,,,chip-a,,,,,,,,,,\n"
    ",,remove_link,,,,,,,,,chip-b,oem,chip\n"
    "两江 flood,,冲击,,两江新区,,14,,,,,,,\n"
    "chip-a at 40%,,,chip-a,,40%,,,,,,,,\n";

static void write_temp_as(char *path, size_t size, const char *text, const char *suffix)
{
    int fd;
    snprintf(path, size, "/tmp/cy-scenarios-XXXXXX%s", suffix);
    fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void write_temp(char *path, size_t size, const char *text)
{
    write_temp_as(path, size, text, ".csv");
}

/* The sheet gives the JSON file's scenarios: names, shocks, mitigations
 * (the mitigated copies have cell-2 and lose chip-b's link), days, the
 * 40% capacity. */
static void test_sheet(void **state)
{
    cy_network *net = *state;
    cy_scenarios set;
    cy_error err;
    char path[64];

    write_temp(path, sizeof path, SHEET);
    cy_error_init(&err);
    assert_int_equal(cy_scenarios_load(path, net, network_path, NULL, &set, &err), CY_OK);
    assert_int_equal(set.count, 4);
    assert_string_equal(set.items[0].name, "second cell source");
    assert_string_equal(set.items[0].description,
                        "cell fails; a second cell maker in Yibin supplies pack");
    assert_string_equal(set.items[3].name, "chip-a at 40%");
    assert_close(set.items[0].days, 30.0, 0);
    assert_close(set.items[2].days, 14.0, 0);
    assert_true(set.items[0].net && set.items[1].net && !set.items[2].net);
    assert_int_equal(cy_network_enterprise_count(set.items[0].net),
                     cy_network_enterprise_count(net) + 1);
    assert_int_equal(cy_network_link_count(set.items[1].net), cy_network_link_count(net) - 1);
    cy_scenarios_destroy(&set);
    cy_error_destroy(&err);
    unlink(path);
}

/* A checker's JSON path comes back as the cell: row 2, column C, the
 * list's second entry. */
static void test_sheet_places(void **state)
{
    cy_network *net = *state;
    cy_scenarios set;
    cy_error err;
    char path[64], want[128];

    write_temp(path, sizeof path, "scenario,days,firms\nx,,cell;cel\n");
    cy_error_init(&err);
    assert_int_equal(cy_scenarios_load(path, net, network_path, NULL, &set, &err), CY_EINPUT);
    assert_int_equal(err.error_count, 1);
    snprintf(want, sizeof want, "%s:2:3 (column \"firms\", entry 2)", path);
    assert_string_equal(err.items[0].path, want);
    assert_null(err.items[0].file);
    assert_null(set.items);
    cy_error_destroy(&err);
    unlink(path);
}

/*
 * "-" reads standard input within the input limit, as a file is read: the
 * example at exactly its size loads, one byte less is refused with the
 * limit in the message.
 */
static void test_stdin_limit(void **state)
{
    cy_network *net = *state;
    cy_import_options import = {0, NULL, NULL};
    cy_scenarios set;
    cy_error err;
    FILE *f = fopen(example_path, "rb");
    long size;
    char want[128];

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    fclose(f);
    assert_true(size > 100);
    cy_error_init(&err);
    import.max_input_bytes = (size_t)size;
    assert_non_null(freopen(example_path, "rb", stdin));
    assert_int_equal(cy_scenarios_load("-", net, network_path, &import, &set, &err), CY_OK);
    assert_int_equal(set.count, 4);
    cy_scenarios_destroy(&set);
    import.max_input_bytes = (size_t)size - 1;
    assert_non_null(freopen(example_path, "rb", stdin));
    assert_int_equal(cy_scenarios_load("-", net, network_path, &import, &set, &err),
                     CY_EINPUT);
    assert_null(set.items);
    assert_int_equal(err.error_count, 1);
    snprintf(want, sizeof want, "standard input is over the input limit of %ld bytes", size - 1);
    assert_non_null(strstr(err.items[0].message, want));
    cy_error_destroy(&err);
}

/* Every allocation of reading the sheet failing: CY_ENOMEM, nothing held. */
static void test_sheet_out_of_memory(void **state)
{
    cy_network *net = *state;
    cy_scenarios set;
    cy_error err;
    char path[64];
    long total;

    write_temp(path, sizeof path, SHEET);
    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_scenarios_load(path, net, network_path, NULL, &set, &err), CY_OK);
    total = cy_alloc_count();
    cy_scenarios_destroy(&set);
    for (long n = 0; n < total; n++) {
        cy_status status;
        cy_error_destroy(&err);
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_scenarios_load(path, net, network_path, NULL, &set, &err);
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK)
            cy_scenarios_destroy(&set);
        else
            assert_null(set.items);
        assert_true(status == CY_OK || status == CY_ENOMEM || status == CY_EINPUT);
    }
    cy_error_destroy(&err);
    unlink(path);
}

/*
 * A scenario's days are the recovery time of the stress programs
 * (graphs/stress-partial.json, worked out in graphs/README.md): cell-a at
 * half its capacity for 60 days survives 30 days and loses 1.2 M of the
 * 24 M of final demand over the 60, exposed; for 20 days it loses nothing;
 * failed for 30 days: TTS 7.5, 3.6 M (30%).  Without days, no figures.
 */
static void test_days_stress(void **state)
{
    cy_network *net = load_graph("stress-partial.json");
    cy_scenarios set;
    cy_scenarios_result r;
    cy_scenarios_options options = {0.0, -1, NULL, 0};
    cy_error err;
    char path[64], net_path[1024];
    (void)state;

    snprintf(net_path, sizeof net_path, "%s/graphs/stress-partial.json", CY_SOURCE_DIR);
    write_temp_as(path, sizeof path,
                  "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": ["
                  "{\"name\": \"a\", \"shocks\": [{\"firms\": [\"cell-a\"], "
                  "\"capacity_left\": 0.5, \"days\": 60}]},"
                  "{\"name\": \"b\", \"shocks\": [{\"firms\": [\"cell-a\"], "
                  "\"capacity_left\": 0.5, \"days\": 20}]},"
                  "{\"name\": \"c\", \"shocks\": [{\"firms\": [\"cell-a\"], \"days\": 30}]},"
                  "{\"name\": \"d\", \"shocks\": [{\"firms\": [\"cell-a\"]}]}]}",
                  ".json");
    cy_error_init(&err);
    assert_int_equal(cy_scenarios_load(path, net, net_path, NULL, &set, &err), CY_OK);
    assert_int_equal(cy_scenarios_run(net, &set, &options, &r, &err), CY_OK);
    assert_true(r.items[0].stressed && !r.items[0].survives && r.items[0].exposed);
    assert_close(r.items[0].tts_days, 30.0, 1e-9);
    assert_close(r.items[0].ttr_days, 60.0, 0);
    assert_close(r.items[0].impact, 1.2e6, 1e-9);
    assert_close(r.items[0].impact_fraction, 0.05, 1e-9);
    assert_true(r.items[1].stressed && !r.items[1].exposed);
    assert_close(r.items[1].impact, 0.0, 1e-9);
    assert_close(r.items[2].tts_days, 7.5, 1e-9);
    assert_close(r.items[2].impact, 3.6e6, 1e-9);
    assert_close(r.items[2].impact_fraction, 0.3, 1e-9);
    assert_false(r.items[3].stressed);
    cy_scenarios_result_destroy(&r);
    cy_scenarios_destroy(&set);
    cy_error_destroy(&err);
    cy_network_free(net);
    unlink(path);
}

/*
 * --demand-of (graphs/stress-park.json, graphs/README.md): park-east fails
 * for 30 days.  Counting only the carmaker's final demand, cell-c's
 * 0.15 M of cells a day all go to it, short by 0.05 M of the 0.2 M it
 * needs: its 1 M of stock lasts 1 / 0.05 = 20 days (the network's own
 * TTS is 20/3, cell-c serving its buyers first), and over the 30 days it
 * makes 11 M of its 12 M: impact 1 M, 1/12.  The same in a scenario whose
 * mitigation adds a firm (the carmaker found by id in the copy); every
 * allocation failing in turn: CY_ENOMEM, or the same answer.
 */
static void test_demand_of(void **state)
{
    cy_network *net = load_graph("stress-park.json");
    cy_scenarios set;
    cy_scenarios_result r;
    size_t carmaker;
    cy_scenarios_options options = {0.0, -1, &carmaker, 1};
    cy_error err;
    char path[64], net_path[1024];
    long total;
    (void)state;

    assert_true(cy_network_find_enterprise(net, "carmaker", &carmaker));
    snprintf(net_path, sizeof net_path, "%s/graphs/stress-park.json", CY_SOURCE_DIR);
    write_temp_as(path, sizeof path,
                  "{\"format\": \"chengyu-scenarios/1\", \"scenarios\": ["
                  "{\"name\": \"east\", \"shocks\": [{\"parks\": [\"park-east\"], \"days\": 30}]},"
                  "{\"name\": \"east+\", \"shocks\": [{\"parks\": [\"park-east\"], \"days\": 30}],"
                  " \"mitigations\": [{\"action\": \"add_enterprise\", \"enterprise\": "
                  "{\"id\": \"aa\", \"kind\": \"supplier\", \"park\": \"park-west\"}}]}]}",
                  ".json");
    cy_error_init(&err);
    assert_int_equal(cy_scenarios_load(path, net, net_path, NULL, &set, &err), CY_OK);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_scenarios_run(net, &set, &options, &r, &err), CY_OK);
    total = cy_alloc_count();
    assert_int_equal(r.demand_of_count, 1);
    assert_int_equal(r.demand_of[0], carmaker);
    for (size_t k = 0; k < 2; k++) {
        assert_true(r.items[k].stressed && r.items[k].exposed);
        assert_close(r.items[k].tts_days, 20.0, 1e-9);
        assert_close(r.items[k].impact, 1e6, 1e-9);
        assert_close(r.items[k].impact_fraction, 1.0 / 12.0, 1e-9);
    }
    cy_scenarios_result_destroy(&r);
    for (long n = 0; n < total; n++) {
        cy_status status;
        cy_alloc_fail_after(n, 0);
        status = cy_scenarios_run(net, &set, &options, &r, &err);
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK) {
            assert_close(r.items[1].tts_days, 20.0, 1e-9);
            cy_scenarios_result_destroy(&r);
        } else {
            assert_int_equal(status, CY_ENOMEM);
            assert_null(r.items);
            assert_null(r.demand_of);
        }
        cy_error_destroy(&err);
        cy_error_init(&err);
    }
    cy_scenarios_destroy(&set);
    cy_error_destroy(&err);
    cy_network_free(net);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_example, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet_places, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stdin_limit, setup, teardown),
        cmocka_unit_test(test_days_stress),
        cmocka_unit_test(test_demand_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
