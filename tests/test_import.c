/*
 * test_import.c - the spreadsheet importer in-process: a workbook and a CSV
 * folder give the document of the JSON they were made from; JSON paths
 * become cells; every allocation made to fail in turn gives CY_ENOMEM (or,
 * where the failure is absorbed, the same document), never a crash or a
 * leak (ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "import_internal.h"
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char NETWORK[] =
    "{\"format\": \"chengyu/1\", \"name\": \"t\", \"regions\": [{\"id\": \"cq\"}],"
    " \"parks\": [{\"id\": \"p1\", \"region\": \"cq\", \"demonstration\": true,"
    " \"location\": [106.5, 29.5]}],"
    " \"enterprises\": [{\"id\": \"oem\", \"name_zh\": \"整车\", \"kind\": \"oem\", \"tier\": 0,"
    " \"park\": \"p1\", \"output_value\": 1000, \"requires\": [\"seat\", \"battery\"]},"
    " {\"id\": \"sup\", \"kind\": \"supplier\", \"produces\": [\"seat\", \"battery\"]}],"
    " \"links\": [{\"from\": \"sup\", \"to\": \"oem\", \"part\": \"seat\", \"volume\": 2.5,"
    " \"share\": 0.5}, {\"from\": \"sup\", \"to\": \"oem\", \"part\": \"battery\"}]}";

typedef struct {
    char dir[64];
    char json[96], xlsx[96], csv[96];
    json_t *expected;
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    cy_error err;
    FILE *out;
    char path[160];
    strcpy(fx->dir, "/tmp/chengyu-import.XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->json, sizeof fx->json, "%s/net.json", fx->dir);
    snprintf(fx->xlsx, sizeof fx->xlsx, "%s/net.xlsx", fx->dir);
    snprintf(fx->csv, sizeof fx->csv, "%s/tables", fx->dir);
    write_file(fx->json, NETWORK);
    cy_error_init(&err);
    out = fopen(fx->xlsx, "wb");
    if (!out || cy_export_xlsx(fx->json, NULL, out, &err) != CY_OK || fclose(out) != 0)
        return -1;
    cy_error_destroy(&err);
    mkdir(fx->csv, 0700);
    snprintf(path, sizeof path, "%s/enterprises.csv", fx->csv);
    write_file(path, "\xef\xbb\xbfid,name_zh,kind,tier,park,output_value,requires,produces\r\n"
                     "oem,整车,oem,0,p1,\"1,000\",seat、battery,\r\n"
                     "sup,,supplier,,,,,\"seat; battery\"\r\n");
    snprintf(path, sizeof path, "%s/links.csv", fx->csv);
    write_file(path, "from,to,part,volume,share\nsup,oem,seat,2.5,50%\nsup,oem,battery,,\n");
    snprintf(path, sizeof path, "%s/parks.csv", fx->csv);
    write_file(path, "id,region,demonstration,longitude,latitude\np1,cq,是,106.5,29.5\n");
    snprintf(path, sizeof path, "%s/regions.csv", fx->csv);
    write_file(path, "编号\ncq\n");
    snprintf(path, sizeof path, "%s/network.csv", fx->csv);
    write_file(path, "name\nt\n");
    fx->expected = json_loads(NETWORK, 0, NULL);
    *state = fx;
    return fx->expected ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char command[200];
    json_decref(fx->expected);
    snprintf(command, sizeof command, "rm -rf '%s'", fx->dir);
    if (system(command) != 0)
        return -1;
    free(fx);
    return 0;
}

/* The imported document equals the JSON (Jansson's equality: an integer 1000
 * read from "1,000" is json_integer like the JSON's). */
static void check_import(const char *input, const json_t *expected)
{
    cy_import_places *places;
    json_t *doc;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_import_document(input, NULL, &doc, &places, &err), CY_OK);
    assert_int_equal(err.error_count, 0);
    if (!json_equal(doc, (json_t *)expected)) {
        char *text = json_dumps(doc, JSON_COMPACT);
        print_error("got %s\n", text);
        free(text);
        fail();
    }
    json_decref(doc);
    cy_import_places_free(places);
    cy_error_destroy(&err);
}

static void test_xlsx_and_csv(void **state)
{
    fixture *fx = *state;
    check_import(fx->xlsx, fx->expected);
    check_import(fx->csv, fx->expected);
}

static void test_places(void **state)
{
    fixture *fx = *state;
    cy_import_places *places;
    json_t *doc;
    cy_error err;
    char place[700], want[300];
    cy_error_init(&err);
    assert_int_equal(cy_import_document(fx->xlsx, NULL, &doc, &places, &err), CY_OK);
    assert_true(cy_i_place_of(places, "$.links[1].part", place, sizeof place));
    snprintf(want, sizeof want, "%s:links!C3 (column \"part\")", fx->xlsx);
    assert_string_equal(place, want);
    assert_true(cy_i_place_of(places, "$.enterprises[0].requires[1]", place, sizeof place));
    /* A..P: id name name_zh uscc kind tier region park clusters output_value
     * final_demand capacity inventory_days recovery_days produces requires. */
    snprintf(want, sizeof want, "%s:enterprises!P2 (column \"requires\", entry 2)", fx->xlsx);
    assert_string_equal(place, want);
    assert_true(cy_i_place_of(places, "$.parks[0].location[1]", place, sizeof place));
    snprintf(want, sizeof want, "%s:parks!F2 (column \"latitude\")", fx->xlsx);
    assert_string_equal(place, want);
    assert_true(cy_i_place_of(places, "$.enterprises[1]", place, sizeof place));
    snprintf(want, sizeof want, "%s:enterprises!3:3", fx->xlsx);
    assert_string_equal(place, want);
    assert_false(cy_i_place_of(places, "$.links[7].part", place, sizeof place));
    json_decref(doc);
    cy_import_places_free(places);
    cy_import_places_free(NULL);
    cy_error_destroy(&err);
}

/* Every allocation of an import, made to fail alone: CY_ENOMEM, or (when
 * the failure was absorbed) the right document; ASan finds any leak. */
static void fail_each_allocation(const char *input, const json_t *expected)
{
    cy_import_places *places;
    json_t *doc;
    cy_error err;
    long total;
    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_import_document(input, NULL, &doc, &places, &err), CY_OK);
    total = cy_alloc_count();
    json_decref(doc);
    cy_import_places_free(places);
    assert_true(total > 20);
    for (long k = 0; k < total; k++) {
        cy_status status;
        cy_error_clear(&err);
        cy_alloc_fail_after(k, 0);
        status = cy_import_document(input, NULL, &doc, &places, &err);
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK) {
            assert_true(json_equal(doc, (json_t *)expected));
            json_decref(doc);
            cy_import_places_free(places);
        } else {
            if (status != CY_ENOMEM)
                print_error("allocation %ld of %ld: status %d: %s\n", k, total, (int)status,
                            err.count ? err.items[0].message : "");
            assert_int_equal(status, CY_ENOMEM);
            assert_null(doc);
            assert_null(places);
        }
    }
    cy_error_destroy(&err);
}

static void test_allocation_failures(void **state)
{
    fixture *fx = *state;
    fail_each_allocation(fx->xlsx, fx->expected);
    fail_each_allocation(fx->csv, fx->expected);
}

/* The loader's diagnostics moved to cells, while allocations fail. */
static void test_load_allocation_failures(void **state)
{
    fixture *fx = *state;
    char path[160];
    cy_network *net;
    cy_error err;
    long total;
    snprintf(path, sizeof path, "%s/links.csv", fx->csv);
    write_file(path, "from,to,part\nsup,oem,seat\nnobody,oem,battery\n");
    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_import_load(fx->csv, NULL, &net, NULL, NULL, NULL, &err), CY_EINPUT);
    total = cy_alloc_count();
    assert_null(net);
    assert_true(err.count >= 1);
    snprintf(path, sizeof path, "%s/links.csv:3:1 (column \"from\")", fx->csv);
    assert_string_equal(err.items[0].path, path);
    assert_null(err.items[0].file);
    for (long k = 0; k < total; k++) {
        cy_status status;
        cy_error_clear(&err);
        cy_alloc_fail_after(k, 0);
        status = cy_import_load(fx->csv, NULL, &net, NULL, NULL, NULL, &err);
        cy_alloc_fail_after(-1, 0);
        assert_true(status == CY_EINPUT || status == CY_ENOMEM);
        assert_null(net);
    }
    cy_error_destroy(&err);
    snprintf(path, sizeof path, "%s/links.csv", fx->csv);
    write_file(path, "from,to,part,volume,share\nsup,oem,seat,2.5,50%\nsup,oem,battery,,\n");
}

/* A valid import loads the network the JSON loads, counts and all. */
static void test_load(void **state)
{
    fixture *fx = *state;
    cy_network *net;
    size_t ec = 0, lc = 0;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_import_load(fx->xlsx, NULL, &net, &ec, &lc, NULL, &err), CY_OK);
    assert_int_equal(ec, 2);
    assert_int_equal(lc, 2);
    assert_string_equal(cy_enterprise_name_zh(net, 0), "整车");
    assert_true(cy_link_share(net, 0) == 0.5 && cy_link_volume(net, 0) == 2.5);
    cy_network_free(net);
    assert_int_equal(cy_network_load_any(fx->csv, NULL, NULL, &ec, &lc, &err), CY_OK);
    assert_int_equal(ec + lc, 4);
    cy_error_destroy(&err);
}

/* The import's steps: each table's reading (by bytes), the check, the
 * JSON; the workbook export's reading, sheets and packing. */
static void test_progress(void **state)
{
    fixture *fx = *state;
    step_log log = {{0}, {0}, 0};
    char *json = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&json, &size), *book;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_import_load_run(fx->xlsx, NULL, log_step, &log, NULL, NULL, NULL, out,
                                        &err), CY_OK);
    fclose(out);
    check_steps(&log, "reading sheet links");
    assert_string_equal(log.what[log.count - 3], "checking the network");
    assert_true(log.percent[log.count - 3] == 83.0);
    assert_string_equal(log.what[log.count - 2], "writing JSON");
    assert_true(log.percent[log.count - 2] == 98.0);
    assert_true(size > 0);
    free(json);

    log.count = 0;
    assert_int_equal(cy_import_load_run(fx->csv, NULL, log_step, &log, NULL, NULL, NULL, NULL,
                                        &err), CY_OK);
    check_steps(&log, "reading links.csv");
    assert_string_equal(log.what[log.count - 1], "checking the network");

    log.count = 0;
    book = tmpfile();
    assert_non_null(book);
    assert_int_equal(cy_export_xlsx_run(fx->json, NULL, log_step, &log, book, &err), CY_OK);
    fclose(book);
    check_steps(&log, "writing sheet links");
    assert_string_equal(log.what[0], "reading the network");
    assert_string_equal(log.what[log.count - 2], "packing the workbook");
    assert_true(log.percent[log.count - 2] == 68.0);
    cy_error_destroy(&err);
}

/* ---- worksheets past their rows ---------------------------------------- */

typedef struct {
    uint32_t rows;      /* rows seen, header included */
    long last;          /* the last number of column A */
    int ordered;        /* each data row's number is the previous + 1 */
} sheet_seen;

static int count_row(void *ctx, uint32_t row, const cy_sheet_cell *cells, size_t count)
{
    sheet_seen *s = ctx;
    (void)row;
    if (s->rows++ > 0 && count > 0) {
        long v = strtol(cells[0].text, NULL, 10);
        s->ordered &= v == s->last + 1;
        s->last = v;
    }
    return 0;
}

/* Write `rows` numbered rows under a 2-column header into sheet `name`
 * of a workbook (a data workbook when `data`), with sheets of 5 rows. */
static cy_status tall_workbook(const char *path, const char *name, int rows, int data,
                               cy_error *err)
{
    static const cy_xlsx_column columns[] = {{"n", CY_XLSX_INTEGER, 8}, {"firm", CY_XLSX_TEXT, 12}};
    cy_workbook *wb;
    FILE *out = fopen(path, "wb");
    cy_status status;
    assert_non_null(out);
    cy_i_workbook_row_limit(5);
    assert_int_equal(cy_workbook_new(&wb, err), CY_OK);
    if (data)
        cy_i_workbook_data(wb);
    assert_int_equal(cy_workbook_sheet(wb, name, columns, 2, err), CY_OK);
    for (int k = 1; k <= rows; k++) {
        cy_workbook_number(wb, k);
        cy_workbook_text(wb, "firm");
        cy_workbook_row_end(wb);
    }
    status = cy_workbook_write(wb, out, err);
    fclose(out);
    cy_i_workbook_row_limit(0);
    return status;
}

/*
 * A report table of 10 rows with sheets of 5 rows (header + 4): sheets
 * "t", "t (2)", "t (3)" with 4, 4 and 2 rows, numbered on without a gap;
 * a long name is cut so that "name (2)" keeps to Excel's 31 characters;
 * a data workbook past its rows fails, naming the sheet and the limit.
 */
static void test_sheet_rows(void **state)
{
    const char *path = "test_import_tall.xlsx";
    const char *names[3] = {"t", "t (2)", "t (3)"};
    const uint32_t rows[3] = {5, 5, 3};
    cy_xlsx *book;
    cy_error err;
    long last = 0;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(tall_workbook(path, "t", 10, 0, &err), CY_OK);
    assert_int_equal(cy_xlsx_open(path, path, 1 << 24, &book, &err), CY_OK);
    assert_int_equal(cy_xlsx_sheet_count(book), 3);
    for (size_t k = 0; k < 3; k++) {
        sheet_seen seen = {0, last, 1};
        assert_string_equal(cy_xlsx_sheet_name(book, k), names[k]);
        assert_int_equal(cy_xlsx_read_sheet(book, k, count_row, &seen, &err), CY_OK);
        assert_int_equal(seen.rows, rows[k]);
        assert_true(seen.ordered);
        last = seen.last;
    }
    assert_int_equal(last, 10);
    cy_xlsx_close(book);

    assert_int_equal(tall_workbook(path, "abcdefghijklmnopqrstuvwxyz0123456789", 5, 0, &err),
                     CY_OK);
    assert_int_equal(cy_xlsx_open(path, path, 1 << 24, &book, &err), CY_OK);
    assert_int_equal(cy_xlsx_sheet_count(book), 2);
    assert_string_equal(cy_xlsx_sheet_name(book, 0), "abcdefghijklmnopqrstuvwxyz01234");
    assert_string_equal(cy_xlsx_sheet_name(book, 1), "abcdefghijklmnopqrstuvwxyz0 (2)");
    cy_xlsx_close(book);

    assert_int_equal(tall_workbook(path, "links", 4, 1, &err), CY_OK);
    assert_int_equal(tall_workbook(path, "links", 5, 1, &err), CY_EIO);
    assert_non_null(strstr(err.items[err.count - 1].message,
                           "sheet \"links\" would have more than 5 rows"));
    cy_error_destroy(&err);
    unlink(path);
}

/* The entries of `dir` besides . and .. */
static int entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    int n = 0;
    if (!d)
        return -1;
    while ((entry = readdir(d)))
        n += strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
    closedir(d);
    return n;
}

enum { END_WRITE, END_SIGTERM, END_SIGPIPE, END_SIGKILL };

/*
 * In a child process with TMPDIR = `dir`: a workbook with rows written
 * (built in a named file when `named`, as without /proc), then ended by
 * `end`.  While it is open, `dir` holds nothing (unnamed) or the one
 * named file.  Afterwards `dir` must be empty, whatever the end.
 */
static void check_workbook_temporary(const char *dir, int named, int end)
{
    static const cy_xlsx_column columns[] = {{"n", CY_XLSX_INTEGER, 8}};
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        cy_workbook *wb;
        cy_error err;
        FILE *out = fopen("/dev/null", "wb");
        setenv("TMPDIR", dir, 1);
        cy_i_workbook_test_named(named);
        cy_error_init(&err);
        if (!out || cy_workbook_new(&wb, &err) != CY_OK ||
            cy_workbook_sheet(wb, "t", columns, 1, &err) != CY_OK)
            _exit(2);
        for (int k = 0; k < 1000; k++) {
            cy_workbook_number(wb, k);
            cy_workbook_row_end(wb);
        }
        if (entries_in(dir) != (named ? 1 : 0))
            _exit(3);
        switch (end) {
        case END_SIGTERM:
            raise(SIGTERM);
            break;
        case END_SIGPIPE:
            cy_output_exit_on_sigpipe(1);
            raise(SIGPIPE);
            break;
        case END_SIGKILL:
            raise(SIGKILL);
            break;
        default:
            break;
        }
        _exit(cy_workbook_write(wb, out, &err) == CY_OK ? 0 : 4);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    switch (end) {
    case END_WRITE:
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        break;
    case END_SIGPIPE:
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 1);
        break;
    default:
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), end == END_SIGTERM ? SIGTERM : SIGKILL);
    }
    assert_int_equal(entries_in(dir), 0);
}

/* The workbook being built leaves nothing in $TMPDIR: written, or ended
 * by SIGTERM, by the SIGPIPE exit, by SIGKILL (unnamed only). */
static void test_workbook_temporary(void **state)
{
    char dir[] = "/tmp/chengyu-xlsx-test-XXXXXX";
    (void)state;
    assert_non_null(mkdtemp(dir));
    for (int named = 0; named <= 1; named++) {
        check_workbook_temporary(dir, named, END_WRITE);
        check_workbook_temporary(dir, named, END_SIGTERM);
        check_workbook_temporary(dir, named, END_SIGPIPE);
    }
    check_workbook_temporary(dir, 0, END_SIGKILL);
    assert_int_equal(rmdir(dir), 0);
}

/*
 * Date serials as Excel shows them (checked against Python's datetime:
 * 1899-12-30 + 45474 days is 2024-07-01; 1904-01-01 + 43829 days is
 * 2023-12-31), Lotus's 1900-02-29 included, times alone and with dates,
 * and what is not a serial.
 */
static void test_date_text(void **state)
{
    static const struct {
        const char *serial;
        int date1904;
        const char *shown;
    } cases[] = {
        {"1", 0, "1900-01-01"},         {"59", 0, "1900-02-28"},
        {"60", 0, "1900-02-29"},        {"61", 0, "1900-03-01"},
        {"45474", 0, "2024-07-01"},     {"45474.5", 0, "2024-07-01 12:00"},
        {"0.29166666666666669", 0, "07:00"}, {"0.50001157407407", 0, "12:00:01"},
        {"45474.99999999", 0, "2024-07-02"}, {"2958465", 0, "9999-12-31"},
        {"43829", 1, "2023-12-31"},     {"1", 1, "1904-01-02"},
    };
    static const char *const not_serials[] = {"", "-1", "2958466", "1e400", "nan", "12x"};
    char out[40];
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        assert_int_equal(cy_sheet_date_text(cases[k].serial, cases[k].date1904, out), 1);
        assert_string_equal(out, cases[k].shown);
    }
    for (size_t k = 0; k < sizeof not_serials / sizeof *not_serials; k++)
        assert_int_equal(cy_sheet_date_text(not_serials[k], 0, out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_and_csv),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_load_allocation_failures),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_sheet_rows),
        cmocka_unit_test(test_date_text),
        cmocka_unit_test(test_workbook_temporary),
    };
    cy_library_init();
    return cmocka_run_group_tests(tests, setup, teardown);
}
