/*
 * export_xlsx.c - a network as a workbook (one sheet per record kind, one
 * column per chengyu/1 key, the importer's own table of columns), and the
 * empty template workbook that `chengyu import --template` writes.
 * The workbook is written from the document, not from the model, so what
 * the JSON said is what the sheets say: `requires` given or not, meta.
 */
#include "import_internal.h"
#include "scenario_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

/* libxlsxwriter takes the list as char ** but only reads it. */
static char *KINDS[] = {"oem", "supplier", "material", "service", NULL};

static cy_xlsx_format column_format(const cy_column_info *c)
{
    switch (c->type) {
    case CY_COL_INTEGER: return CY_XLSX_INTEGER;
    case CY_COL_NUMBER: return CY_XLSX_YUAN;
    case CY_COL_SHARE: return CY_XLSX_PERCENT;
    case CY_COL_LONGITUDE:
    case CY_COL_LATITUDE: return CY_XLSX_NUMBER;
    case CY_COL_BOOLEAN: return CY_XLSX_BOOLEAN;
    default: return CY_XLSX_TEXT;
    }
}

/* The columns of a sheet, in the table's order; returns how many. */
static size_t sheet_columns(cy_sheet_kind sheet, cy_xlsx_column *columns, size_t *fields)
{
    size_t n = 0;
    for (size_t f = 0; f < cy_column_count; f++) {
        if (!(cy_columns[f].sheets & CY_SHEET_BIT(sheet)))
            continue;
        columns[n].header = cy_columns[f].key;
        columns[n].format = column_format(&cy_columns[f]);
        columns[n].width = cy_columns[f].width;
        fields[n++] = f;
    }
    return n;
}

/* A drop-down list of the four kinds on the kind column. */
static void kind_dropdown(cy_workbook *wb, const size_t *fields, size_t count)
{
    lxw_data_validation validation = {0};
    validation.validate = LXW_VALIDATION_TYPE_LIST;
    validation.value_list = KINDS;
    validation.input_title = (char *)"kind / 类型";
    validation.input_message = (char *)"oem, supplier, material, service";
    for (size_t c = 0; c < count; c++)
        if (strcmp(cy_columns[fields[c]].key, "kind") == 0)
            worksheet_data_validation_range(cy_i_workbook_sheet(wb), 1, (lxw_col_t)c,
                                            LXW_ROW_MAX - 1, (lxw_col_t)c, &validation);
}

/* ---- cells ---------------------------------------------------------------- */

static int grow_text(char **buf, size_t *cap, size_t need)
{
    char *p;
    if (need <= *cap)
        return 1;
    if (!(p = cy_realloc(*buf, need * 2)))
        return 0;
    *buf = p;
    *cap = need * 2;
    return 1;
}

/* A list as the importer splits it: "a; b", separators escaped; "[]" empty. */
static char *join_list(const json_t *array)
{
    size_t cap = 0, used = 0, k;
    char *out = NULL;
    json_t *item;
    if (json_array_size(array) == 0)
        return cy_strdup("[]");
    json_array_foreach(array, k, item) {
        const char *s = json_string_value(item);
        if (!s || !grow_text(&out, &cap, used + 2 * json_string_length(item) + 3))
            continue;
        if (k) {
            memcpy(out + used, "; ", 2);
            used += 2;
        }
        for (const char *p = s; *p; p++) {
            if (*p == ';' || *p == '\\' || strncmp(p, "\xef\xbc\x9b", 3) == 0 ||
                strncmp(p, "\xe3\x80\x81", 3) == 0)
                out[used++] = '\\';
            out[used++] = *p;
        }
    }
    if (out)
        out[used] = '\0';
    return out ? out : cy_strdup("");
}

/* meta: a string that does not read as JSON is written as it is (the
 * importer keeps such text as a string); anything else as JSON text. */
static char *meta_text(const json_t *meta)
{
    json_t *probe;
    if (json_is_string(meta)) {
        probe = json_loadb(json_string_value(meta), json_string_length(meta),
                           JSON_DECODE_ANY, NULL);
        if (!probe && json_string_value(meta)[0] != '\0')
            return cy_strdup(json_string_value(meta));
        json_decref(probe);
    }
    return json_dumps(meta, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
}

static void write_cell(cy_workbook *wb, const json_t *record, size_t f)
{
    const cy_column_info *c = &cy_columns[f];
    const json_t *v;
    char *text;
    if (c->type == CY_COL_LONGITUDE || c->type == CY_COL_LATITUDE) {
        v = json_array_get(json_object_get(record, "location"),
                           c->type == CY_COL_LATITUDE);
    } else {
        v = json_object_get(record, c->key);
    }
    if (!v) {
        cy_workbook_blank(wb);
    } else if (c->type == CY_COL_JSON || c->type == CY_COL_LIST) {
        text = c->type == CY_COL_JSON ? meta_text(v) : join_list(v);
        cy_workbook_text(wb, text ? text : "");
        /* meta_text's JSON text comes from Jansson's allocator, which is
         * cy_malloc once the library is initialised. */
        cy_free(text);
    } else if (json_is_number(v)) {
        cy_workbook_number(wb, json_number_value(v));
    } else if (json_is_boolean(v)) {
        cy_workbook_boolean(wb, json_is_true(v));
    } else {
        cy_workbook_text(wb, json_string_value(v));
    }
}

/* ---- progress ----------------------------------------------------------------- */

/*
 * The shares of a workbook export's work, in percent, from the national
 * preset (docs/performance.md, "The estimates before a run"): reading the
 * document, writing the rows (libxlsxwriter streams each sheet's XML to a
 * temporary file), then packing the workbook (workbook_close deflates the
 * sheets into the zip, without reports; the bar waits at its start
 * meanwhile).
 */
#define XLSX_SHARE_READ 30.0
#define XLSX_SHARE_ROWS 38.0

static const char *const writing_sheet[CY_SHEET_COUNT] = {
    "writing sheet network", "writing sheet regions", "writing sheet clusters",
    "writing sheet parks", "writing sheet enterprises", "writing sheet links"};

/* Where the rows of each sheet begin in the progress: the sheets share
 * XLSX_SHARE_ROWS by their record counts. */
typedef struct {
    const cy_i_progress *progress;  /* NULL: none */
    double from[CY_SHEET_COUNT], span[CY_SHEET_COUNT];
} rows_progress;

/* Sheets in the order a person fills them: firms and links first. */
static const cy_sheet_kind SHEET_ORDER[] = {
    CY_SHEET_ENTERPRISES, CY_SHEET_LINKS, CY_SHEET_PARKS, CY_SHEET_CLUSTERS,
    CY_SHEET_REGIONS, CY_SHEET_NETWORK};
#define SHEET_ORDER_COUNT (sizeof SHEET_ORDER / sizeof *SHEET_ORDER)

static void rows_progress_init(rows_progress *rp, const cy_i_progress *p, const json_t *doc)
{
    double total = 0, from = XLSX_SHARE_READ;
    rp->progress = p;
    for (int s = 0; s < CY_SHEET_COUNT; s++)
        total += (double)json_array_size(json_object_get(doc, cy_sheets[s].name));
    for (size_t k = 0; k < SHEET_ORDER_COUNT; k++) {
        cy_sheet_kind s = SHEET_ORDER[k];
        size_t n = json_array_size(json_object_get(doc, cy_sheets[s].name));
        rp->from[s] = from;
        rp->span[s] = total > 0 ? XLSX_SHARE_ROWS * (double)n / total : 0;
        from += rp->span[s];
    }
}

/* A JSON file read through Jansson's callback, reporting the bytes read. */
typedef struct {
    FILE *in;
    double size;
    size_t done;
    const cy_i_progress *progress;
} json_reading;

static size_t read_json_piece(void *buffer, size_t length, void *data)
{
    json_reading *r = data;
    size_t got = fread(buffer, 1, length, r->in);
    if (got == 0 && ferror(r->in))
        return (size_t)-1;
    if (r->done / (1u << 20) != (r->done + got) / (1u << 20))
        cy_i_progress_at(r->progress, "reading the network",
                         XLSX_SHARE_READ * (double)r->done / (r->size > 0 ? r->size : 1));
    r->done += got;
    return got;
}

/* The JSON document in `path` (duplicate keys refused), with the progress
 * of the reading; NULL after a diagnostic. */
static json_t *load_json(const char *path, const cy_i_progress *p, cy_error *err)
{
    json_reading r = {NULL, 0, 0, p};
    json_error_t jerr;
    struct stat st;
    json_t *doc;
    if (!(r.in = fopen(path, "rb"))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    r.size = fstat(fileno(r.in), &st) == 0 ? (double)st.st_size : 0;
    cy_i_progress_at(p, "reading the network", 0.0);
    doc = json_load_callback(read_json_piece, &r, JSON_REJECT_DUPLICATES, &jerr);
    fclose(r.in);
    if (!doc)
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: %s", path, jerr.text);
    return doc;
}

/* ---- sheets ------------------------------------------------------------------- */

static cy_status write_records(cy_workbook *wb, cy_sheet_kind sheet, const json_t *doc,
                               const rows_progress *rp, cy_error *err)
{
    cy_xlsx_column columns[CY_COLUMN_MAX];
    size_t fields[CY_COLUMN_MAX], count = sheet_columns(sheet, columns, fields), i;
    const json_t *records = json_object_get(doc, cy_sheets[sheet].name);
    json_t *record;
    cy_status status = cy_workbook_sheet(wb, cy_sheets[sheet].name, columns, count, err);
    if (status != CY_OK)
        return status;
    if (sheet == CY_SHEET_ENTERPRISES)
        kind_dropdown(wb, fields, count);
    if (sheet == CY_SHEET_NETWORK) {
        for (size_t c = 0; c < count; c++)
            write_cell(wb, doc, fields[c]);
        cy_workbook_row_end(wb);
        return CY_OK;
    }
    json_array_foreach(records, i, record) {
        if (rp->progress)
            cy_i_progress_step(rp->progress, writing_sheet[sheet], rp->from[sheet],
                               rp->span[sheet], i, json_array_size(records));
        for (size_t c = 0; c < count; c++)
            write_cell(wb, record, fields[c]);
        cy_workbook_row_end(wb);
    }
    return CY_OK;
}

/* ---- the explanation sheet ------------------------------------------------------ */

static const cy_xlsx_column README_COLUMNS[] = {
    {"sheet / 工作表", CY_XLSX_TEXT, 14}, {"column / 列", CY_XLSX_TEXT, 16},
    {"中文列名", CY_XLSX_TEXT, 16}, {"required / 必填", CY_XLSX_TEXT, 10},
    {"说明", CY_XLSX_TEXT, 60}, {"meaning", CY_XLSX_TEXT, 70}};

static void readme_sheet_rows(cy_workbook *wb, cy_sheet_kind s)
{
    char aliases[200];
    cy_workbook_text(wb, cy_sheets[s].name);
    cy_workbook_blank(wb);
    snprintf(aliases, sizeof aliases, "%s", cy_sheets[s].aliases);
    cy_workbook_text(wb, aliases);
    cy_workbook_text(wb, cy_sheets[s].required ? "yes / 是" : "no / 否");
    cy_workbook_text(wb, cy_sheets[s].zh);
    cy_workbook_text(wb, cy_sheets[s].en);
    cy_workbook_row_end(wb);
    for (size_t f = 0; f < cy_column_count; f++) {
        const cy_column_info *c = &cy_columns[f];
        if (!(c->sheets & CY_SHEET_BIT(s)))
            continue;
        cy_workbook_text(wb, cy_sheets[s].name);
        cy_workbook_text(wb, c->key);
        cy_workbook_text(wb, c->aliases);
        cy_workbook_text(wb, (c->required & CY_SHEET_BIT(s)) ? "yes / 是" : "");
        cy_workbook_text(wb, c->zh);
        cy_workbook_text(wb, c->en);
        cy_workbook_row_end(wb);
    }
}

static cy_status readme_sheet(cy_workbook *wb, int template, cy_error *err)
{
    static const char *const notes[][2] = {
        {"每个工作表第一行是列名：chengyu/1 的键或其中文别名；空单元格表示“未填写”。",
         "The first row of each sheet names the columns: chengyu/1 keys or their "
         "Chinese aliases; an empty cell means absent."},
        {"多个值（clusters、produces、requires）用 ; 或 ； 或 、 分隔；值中本身的分隔符写作 \\;",
         "Lists are separated by ; or ； or 、; a separator inside a value is written \\;"},
        {"数字可以是数字单元格，也可以是带千位分隔符的文字（1,234,567）；份额可写成 60%。",
         "Numbers may be numeric cells or text with thousands separators; a share may be 60%."},
        {"chengyu import 工作簿.xlsx -o network.json；各命令也可直接读取工作簿。",
         "chengyu import book.xlsx -o network.json; every command also reads the workbook directly."},
    };
    cy_status status = cy_workbook_sheet(wb, "说明 README", README_COLUMNS,
                                         sizeof README_COLUMNS / sizeof *README_COLUMNS, err);
    if (status != CY_OK)
        return status;
    for (size_t k = 0; k < sizeof notes / sizeof *notes; k++) {
        cy_workbook_blank(wb);
        cy_workbook_blank(wb);
        cy_workbook_blank(wb);
        cy_workbook_blank(wb);
        cy_workbook_text(wb, notes[k][0]);
        cy_workbook_text(wb, notes[k][1]);
        cy_workbook_row_end(wb);
    }
    for (int s = CY_SHEET_ENTERPRISES; s < CY_SHEET_COUNT; s++)
        readme_sheet_rows(wb, (cy_sheet_kind)s);
    for (int s = CY_SHEET_NETWORK; s < CY_SHEET_ENTERPRISES; s++)
        readme_sheet_rows(wb, (cy_sheet_kind)s);
    if (template)
        cy_sc_template_readme(wb);
    return CY_OK;
}

/* ---- whole workbooks --------------------------------------------------------------- */

static cy_status write_book(const json_t *doc, int readme_first, const cy_i_progress *p,
                            FILE *out, cy_error *err)
{
    cy_workbook *wb;
    rows_progress rp;
    cy_status status = cy_workbook_new(&wb, err);
    if (status != CY_OK)
        return status;
    rows_progress_init(&rp, p, doc);
    cy_i_workbook_data(wb);
    if (readme_first)
        status = readme_sheet(wb, 1, err);
    for (size_t k = 0; k < SHEET_ORDER_COUNT && status == CY_OK; k++) {
        cy_sheet_kind s = SHEET_ORDER[k];
        if (s == CY_SHEET_NETWORK || s == CY_SHEET_ENTERPRISES || s == CY_SHEET_LINKS ||
            json_object_get(doc, cy_sheets[s].name) || readme_first)
            status = write_records(wb, s, doc, &rp, err);
    }
    if (status == CY_OK && readme_first)
        status = cy_sc_template_sheet(wb, err);
    if (status == CY_OK && !readme_first)
        status = readme_sheet(wb, 0, err);
    if (status != CY_OK) {
        cy_workbook_free(wb);
        return status;
    }
    cy_i_progress_at(p, "packing the workbook", XLSX_SHARE_READ + XLSX_SHARE_ROWS);
    return cy_workbook_write(wb, out, err);
}

/* The template's two example rows per sheet: a valid network on its own. */
static const char TEMPLATE[] =
    "{\"format\": \"chengyu/1\", \"name\": \"示例网络 Example network\","
    " \"description\": \"把示例行换成自己的数据 / replace the example rows with your own data\","
    " \"regions\": [{\"id\": \"chongqing\", \"name\": \"重庆 Chongqing\"},"
    "  {\"id\": \"chengdu\", \"name\": \"成都 Chengdu\"}],"
    " \"clusters\": [{\"id\": \"cq-auto\", \"name\": \"重庆汽车产业集群\", \"sector\": \"automotive\","
    "  \"region\": \"chongqing\"}, {\"id\": \"cd-ev\", \"name\": \"成都新能源汽车产业集群\","
    "  \"sector\": \"automotive\", \"region\": \"chengdu\"}],"
    " \"parks\": [{\"id\": \"example-park-a\", \"name\": \"示例园区甲 Example park A\","
    "  \"region\": \"chongqing\", \"demonstration\": true, \"location\": [106.55, 29.56]},"
    "  {\"id\": \"example-park-b\", \"name\": \"示例园区乙 Example park B\", \"region\": \"chengdu\","
    "  \"demonstration\": false}],"
    " \"enterprises\": [{\"id\": \"example-carmaker\", \"name\": \"Example Automobile\","
    "  \"name_zh\": \"示例汽车\", \"kind\": \"oem\", \"tier\": 0, \"region\": \"chongqing\","
    "  \"park\": \"example-park-a\", \"clusters\": [\"cq-auto\"], \"output_value\": 120000000000,"
    "  \"produces\": [\"vehicle\"], \"requires\": [\"power-battery\", \"battery-management\"],"
    "  \"source\": \"illustrative\"},"
    "  {\"id\": \"example-battery\", \"name\": \"Example Battery\", \"name_zh\": \"示例电池\","
    "  \"kind\": \"supplier\", \"tier\": 1, \"region\": \"chengdu\", \"park\": \"example-park-b\","
    "  \"clusters\": [\"cd-ev\"], \"output_value\": 30000000000,"
    "  \"produces\": [\"power-battery\", \"battery-management\"], \"source\": \"illustrative\"}],"
    " \"links\": [{\"from\": \"example-battery\", \"to\": \"example-carmaker\","
    "  \"part\": \"power-battery\", \"volume\": 10000000000, \"share\": 0.6,"
    "  \"source\": \"illustrative\"},"
    "  {\"from\": \"example-battery\", \"to\": \"example-carmaker\", \"part\": \"battery-management\","
    "  \"volume\": 800000000, \"share\": 1, \"source\": \"illustrative\"}]}";

cy_status cy_write_template(FILE *out, cy_error *err)
{
    json_error_t jerr;
    json_t *doc;
    cy_status status;
    cy_library_init();
    if (!(doc = json_loads(TEMPLATE, 0, &jerr))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    status = write_book(doc, 1, NULL, out, err);
    json_decref(doc);
    return status;
}

cy_status cy_export_xlsx(const char *path, const cy_import_options *options, FILE *out,
                         cy_error *err)
{
    return cy_export_xlsx_run(path, options, NULL, NULL, out, err);
}

cy_status cy_export_xlsx_run(const char *path, const cy_import_options *options,
                             cy_progress_fn progress, void *progress_data, FILE *out,
                             cy_error *err)
{
    cy_i_progress p = {progress, progress_data};
    cy_sheet_progress reading = {&p, NULL, 0.0, XLSX_SHARE_READ};
    json_t *doc = NULL;
    cy_import_places *places = NULL;
    cy_status status = CY_OK;
    cy_library_init();
    if (cy_import_is_spreadsheet(path)) {
        status = cy_i_import_document(path, options, progress ? &reading : NULL, &doc,
                                      &places, err);
        cy_import_places_free(places);
    } else if (!(doc = load_json(path, &p, err))) {
        status = CY_EINPUT;
    }
    if (status == CY_OK)
        status = write_book(doc, 0, &p, out, err);
    json_decref(doc);
    if (status == CY_OK)
        cy_i_progress_at(&p, "packing the workbook", 100.0);
    return status;
}
