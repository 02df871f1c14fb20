/*
 * xlsx_read.c - a streaming .xlsx reader: libzip opens the package, expat
 * parses each part as it is decompressed, and a sheet reaches the caller
 * one row at a time.  Only what a row needs is held: the shared strings
 * (which every sheet may refer to) and the cells of the current row.
 *
 * Hostile workbooks: every byte decompressed counts against the caller's
 * input limit (a zip bomb stops there); a DOCTYPE is refused before expat
 * reads a single declaration, so no entity can be defined, let alone
 * expanded; columns past XFD, rows past 1048576, cells past 128 KiB and
 * rows past 16 MiB of text are refused; libzip checks each part's CRC.
 */
#include "xlsx_read.h"

#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#define CHUNK (64u * 1024u)
#define MAX_ROW_TEXT (16u * 1024u * 1024u)
#define NS_SEP '|'
/*
 * Spreadsheet XML deflates about tenfold (chengyu's and openpyxl's
 * workbooks: 10-11); deflate cannot pass about 1030.  A part that
 * inflates past MAX_RATIO times its compressed size, beyond its first
 * RATIO_FREE bytes, is a bomb, refused long before the input limit.
 */
#define MAX_RATIO 250u
#define RATIO_FREE (16u * 1024u * 1024u)

struct cy_xlsx {
    zip_t *zip;
    const char *label;
    size_t used, max_bytes;   /* decompressed bytes so far, and the limit */
    size_t sheet_count;
    char **sheet_names;
    char **sheet_parts;       /* zip entry of each sheet, NULL if unresolved */
    unsigned char *sheet_hidden;
    int date1904;             /* dates count from 1904 (workbookPr) */
    unsigned char *xf_date;   /* per cell format (cellXfs): shown as a date */
    size_t xf_count;
    char *strings;            /* shared strings, each NUL-terminated */
    size_t strings_size, strings_cap;
    size_t *string_offsets;
    size_t string_count, string_cap;
    const cy_sheet_progress *progress;  /* of the sheets read, or NULL */
};

/* ---- small helpers ---------------------------------------------------- */

/* Year, month and day of a count of days since 1970-01-01 (Howard
 * Hinnant's civil_from_days: the proleptic Gregorian calendar). */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    long era, yoe, doy, mp, doe;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int cy_sheet_date_text(const char *text, int date1904, char out[40])
{
    char *end;
    double serial = strtod(text, &end);
    long day, seconds;
    size_t n = 0;

    if (end == text || *end || !(serial >= 0 && serial < 2958466))
        return 0;
    day = (long)serial;
    seconds = lround((serial - (double)day) * 86400.0);
    if (seconds == 86400) {
        day++;
        seconds = 0;
    }
    if (day > 0) {
        long y;
        unsigned m, d;
        if (!date1904 && day == 60) {
            /* Lotus 1-2-3's leap day, which Excel keeps. */
            y = 1900, m = 2, d = 29;
        } else {
            civil_from_days(date1904 ? day - 24107 : day - (day < 60 ? 25568 : 25569), &y, &m,
                            &d);
        }
        n = (size_t)snprintf(out, 40, "%04ld-%02u-%02u", y, m, d);
    }
    if (seconds || day == 0)
        n += (size_t)snprintf(out + n, 40 - n, "%s%02ld:%02ld", n ? " " : "", seconds / 3600,
                              seconds / 60 % 60);
    if (seconds % 60)
        snprintf(out + n, 40 - n, ":%02ld", seconds % 60);
    return 1;
}

void cy_sheet_column_name(uint32_t column, char out[8])
{
    char rev[8];
    size_t n = 0;
    uint32_t c = column + 1;
    while (c > 0 && n < 7) {
        rev[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (size_t k = 0; k < n; k++)
        out[k] = rev[n - 1 - k];
    out[n] = '\0';
}

void cy_sheet_diag(cy_error *err, cy_severity severity, const char *place,
                   const char *fmt, ...)
{
    char message[1024];
    const char *file;
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    file = err->file;
    err->file = NULL;
    cy_error_add(err, severity, place, "%s", message);
    err->file = file;
}

/* "LABEL:PART" into out. */
static void part_place(const cy_xlsx *book, const char *part, char *out, size_t size)
{
    snprintf(out, size, "%s:%s", book->label, part);
}

static int grow(void **array, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;
    void *p;
    if (need <= *cap)
        return 1;
    while (n < need)
        n *= 2;
    p = cy_realloc(*array, n * size);
    if (!p)
        return 0;
    *array = p;
    *cap = n;
    return 1;
}

static const char *local_name(const char *name)
{
    const char *sep = strrchr(name, NS_SEP);
    return sep ? sep + 1 : name;
}

/* The value of the attribute with this local name and, when `qualified`,
 * some namespace (r:id), or without one (sheetId, name). */
static const char *attribute(const char **atts, const char *local, int qualified)
{
    for (size_t k = 0; atts[k]; k += 2) {
        const char *sep = strrchr(atts[k], NS_SEP);
        if ((sep != NULL) == qualified &&
            strcmp(sep ? sep + 1 : atts[k], local) == 0)
            return atts[k + 1];
    }
    return NULL;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/*
 * Decode Excel's escapes in place: "_xHHHH_" is the character U+HHHH
 * (how OOXML carries characters XML cannot, such as control characters).
 * NUL and surrogates stay as written.  Returns the new length.
 */
static size_t decode_escapes(char *s, size_t n)
{
    size_t in = 0, out = 0;
    while (in < n) {
        unsigned cp = 0;
        int ok = in + 7 <= n && s[in] == '_' && s[in + 1] == 'x' && s[in + 6] == '_';
        for (size_t k = 2; ok && k < 6; k++) {
            int h = hex_value(s[in + k]);
            ok = h >= 0;
            cp = cp * 16 + (unsigned)(h < 0 ? 0 : h);
        }
        if (!ok || cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
            s[out++] = s[in++];
            continue;
        }
        if (cp < 0x80) {
            s[out++] = (char)cp;
        } else if (cp < 0x800) {
            s[out++] = (char)(0xc0 | (cp >> 6));
            s[out++] = (char)(0x80 | (cp & 0x3f));
        } else {
            s[out++] = (char)(0xe0 | (cp >> 12));
            s[out++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            s[out++] = (char)(0x80 | (cp & 0x3f));
        }
        in += 7;
    }
    s[out] = '\0';
    return out;
}

/* ---- parsing one part --------------------------------------------------- */

/* What every part parser shares; each parser's state begins with it. */
typedef struct {
    XML_Parser parser;
    cy_xlsx *book;
    cy_error *err;
    const char *place;       /* the part, or the sheet, for messages */
    int failed;              /* a handler reported a problem and stopped */
    int stopped;             /* the row callback asked to stop */
    int oom;
} xml_base;

static void fail(xml_base *x, const char *fmt, const char *arg)
{
    if (!x->failed && !x->stopped)
        cy_sheet_diag(x->err, CY_SEV_ERROR, x->place, fmt, arg);
    x->failed = 1;
    XML_StopParser(x->parser, XML_FALSE);
}

static void fail_oom(xml_base *x)
{
    x->oom = 1;
    fail(x, "%s", "out of memory");
}

static void XMLCALL refuse_doctype(void *data, const XML_Char *name,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    fail(data, "%s", "a document type declaration (DOCTYPE) is not allowed in a workbook");
}

static void XMLCALL refuse_entity(void *data, const XML_Char *name, int is_pe,
                                  const XML_Char *value, int value_length,
                                  const XML_Char *base, const XML_Char *sysid,
                                  const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)is_pe, (void)value, (void)value_length, (void)base;
    (void)sysid, (void)pubid, (void)notation;
    fail(data, "%s", "an entity declaration is not allowed in a workbook");
}

/*
 * Expat allocates through cy_malloc, and an allocation that fails is
 * remembered here: expat does not always say so itself (a failed namespace
 * binding comes back as "unbound prefix").
 */
static _Thread_local int expat_oom;

static void *expat_malloc(size_t size)
{
    void *p = cy_malloc(size);
    expat_oom |= !p;
    return p;
}

static void *expat_realloc(void *ptr, size_t size)
{
    void *p = cy_realloc(ptr, size);
    expat_oom |= !p;
    return p;
}

static XML_Parser new_parser(void)
{
    static const XML_Memory_Handling_Suite memory = {expat_malloc, expat_realloc, cy_free};
    expat_oom = 0;
    return XML_ParserCreate_MM(NULL, &memory, "|");
}

/* The progress of a sheet (when asked for) after `done` of its bytes;
 * st from zip_stat, zeroed when it failed. */
static void report_part(const cy_xlsx *book, const zip_stat_t *st, size_t done)
{
    const cy_sheet_progress *sp = book->progress;
    double share;
    if (!sp || !(st->valid & ZIP_STAT_SIZE) || st->size == 0)
        return;
    share = (double)done / (double)st->size;
    cy_i_progress_at(sp->progress, sp->what, sp->from + sp->span * (share < 1.0 ? share : 1.0));
}

/*
 * Parse zip entry `name` with the handlers already set on x->parser.
 * Returns CY_OK, or CY_EINPUT/CY_EIO/CY_ENOMEM after one diagnostic.
 */
static cy_status parse_part(xml_base *x, const char *name)
{
    const char *place = x->place;
    char *chunk = NULL;
    zip_file_t *file;
    zip_int64_t got;
    zip_stat_t st;
    size_t part_bytes = 0, ratio_limit = SIZE_MAX;
    cy_status status = CY_OK;

    if (zip_stat(x->book->zip, name, ZIP_FL_NOCASE, &st) != 0)
        memset(&st, 0, sizeof st);
    if (st.valid & ZIP_STAT_COMP_SIZE)
        ratio_limit = (size_t)st.comp_size * MAX_RATIO;
    file = zip_fopen(x->book->zip, name, ZIP_FL_NOCASE);
    if (!file) {
        cy_sheet_diag(x->err, CY_SEV_ERROR, place, "cannot read the part: %s",
                      zip_strerror(x->book->zip));
        return CY_EINPUT;
    }
    if (!(chunk = cy_malloc(CHUNK))) {
        zip_fclose(file);
        cy_sheet_diag(x->err, CY_SEV_ERROR, place, "out of memory");
        return CY_ENOMEM;
    }
    XML_SetStartDoctypeDeclHandler(x->parser, refuse_doctype);
    XML_SetEntityDeclHandler(x->parser, refuse_entity);
    XML_SetUserData(x->parser, x);
    do {
        got = zip_fread(file, chunk, CHUNK);
        if (got < 0) {
            cy_sheet_diag(x->err, CY_SEV_ERROR, place, "damaged or truncated: %s",
                          zip_file_strerror(file));
            status = CY_EINPUT;
            break;
        }
        x->book->used += (size_t)got;
        part_bytes += (size_t)got;
        report_part(x->book, &st, part_bytes);
        if (part_bytes > RATIO_FREE && part_bytes > ratio_limit) {
            cy_sheet_diag(x->err, CY_SEV_ERROR, place,
                          "decompresses to more than %u times its compressed size: "
                          "refused as a zip bomb", MAX_RATIO);
            status = CY_EINPUT;
            break;
        }
        if (x->book->used > x->book->max_bytes) {
            cy_sheet_diag(x->err, CY_SEV_ERROR, place,
                          "the workbook decompresses to more than the input limit "
                          "of %zu bytes", x->book->max_bytes);
            status = CY_EINPUT;
            break;
        }
        if (XML_Parse(x->parser, chunk, (int)got, got == 0) == XML_STATUS_ERROR) {
            if ((expat_oom || XML_GetErrorCode(x->parser) == XML_ERROR_NO_MEMORY) &&
                !x->failed) {
                x->oom = 1;
                cy_sheet_diag(x->err, CY_SEV_ERROR, place, "out of memory");
            } else if (!x->failed && !x->stopped)
                cy_sheet_diag(x->err, CY_SEV_ERROR, place, "not valid XML: line %lu, "
                              "column %lu: %s",
                              (unsigned long)XML_GetCurrentLineNumber(x->parser),
                              (unsigned long)XML_GetCurrentColumnNumber(x->parser) + 1,
                              XML_ErrorString(XML_GetErrorCode(x->parser)));
            status = x->oom ? CY_ENOMEM : CY_EINPUT;
            break;
        }
    } while (got > 0);
    cy_free(chunk);
    zip_fclose(file);
    return status;
}


/* ---- relationships and the sheet list -------------------------------------- */

typedef struct {
    xml_base base;
    char **ids, **targets;
    size_t count, cap;
    char *shared_strings;    /* the target of the sharedStrings relationship */
    char *styles;            /* the target of the styles relationship */
} rels_state;

static char *resolve_target(const char *target)
{
    size_t len;
    char *out;
    if (target[0] == '/')
        return cy_strdup(target + 1);
    len = strlen(target);
    if (!(out = cy_malloc(len + 4)))
        return NULL;
    memcpy(out, "xl/", 3);
    memcpy(out + 3, target, len + 1);
    return out;
}

static void XMLCALL rels_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    rels_state *r = data;
    const char *id, *target, *type;
    size_t cap = r->cap;
    if (strcmp(local_name(name), "Relationship") != 0)
        return;
    id = attribute(atts, "Id", 0);
    target = attribute(atts, "Target", 0);
    type = attribute(atts, "Type", 0);
    if (!id || !target)
        return;
    if (type && strlen(type) >= 13 &&
        strcmp(type + strlen(type) - 13, "sharedStrings") == 0 && !r->shared_strings) {
        if (!(r->shared_strings = resolve_target(target)))
            fail_oom(&r->base);
        return;
    }
    if (type && strlen(type) >= 7 && strcmp(type + strlen(type) - 7, "/styles") == 0 &&
        !r->styles) {
        if (!(r->styles = resolve_target(target)))
            fail_oom(&r->base);
        return;
    }
    if (!grow((void **)&r->ids, &cap, r->count + 1, sizeof *r->ids) ||
        !grow((void **)&r->targets, &r->cap, r->count + 1, sizeof *r->targets)) {
        fail_oom(&r->base);
        return;
    }
    r->ids[r->count] = cy_strdup(id);
    r->targets[r->count] = resolve_target(target);
    if (!r->ids[r->count] || !r->targets[r->count]) {
        cy_free(r->ids[r->count]);
        cy_free(r->targets[r->count]);
        fail_oom(&r->base);
        return;
    }
    r->count++;
}

static void rels_destroy(rels_state *r)
{
    for (size_t k = 0; k < r->count; k++) {
        cy_free(r->ids[k]);
        cy_free(r->targets[k]);
    }
    cy_free(r->ids);
    cy_free(r->targets);
    cy_free(r->shared_strings);
    cy_free(r->styles);
}

typedef struct {
    xml_base base;
    const rels_state *rels;
    size_t cap;
} workbook_state;

static const char *rels_target(const rels_state *r, const char *id)
{
    for (size_t k = 0; id && k < r->count; k++)
        if (strcmp(r->ids[k], id) == 0)
            return r->targets[k];
    return NULL;
}

static void XMLCALL workbook_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    workbook_state *w = data;
    cy_xlsx *book = w->base.book;
    const char *sheet_name, *target, *state;
    size_t cap = w->cap, hidden_cap = w->cap;
    if (strcmp(local_name(name), "workbookPr") == 0) {
        const char *d = attribute(atts, "date1904", 0);
        book->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
        return;
    }
    if (strcmp(local_name(name), "sheet") != 0)
        return;
    sheet_name = attribute(atts, "name", 0);
    target = rels_target(w->rels, attribute(atts, "id", 1));
    state = attribute(atts, "state", 0);
    if (!sheet_name)
        return;
    if (!grow((void **)&book->sheet_names, &cap, book->sheet_count + 1, sizeof(char *)) ||
        !grow((void **)&book->sheet_hidden, &hidden_cap, book->sheet_count + 1, 1) ||
        !grow((void **)&book->sheet_parts, &w->cap, book->sheet_count + 1, sizeof(char *))) {
        fail_oom(&w->base);
        return;
    }
    book->sheet_hidden[book->sheet_count] =
        state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
    book->sheet_names[book->sheet_count] = cy_strdup(sheet_name);
    book->sheet_parts[book->sheet_count] = target ? cy_strdup(target) : NULL;
    if (!book->sheet_names[book->sheet_count] ||
        (target && !book->sheet_parts[book->sheet_count])) {
        cy_free(book->sheet_names[book->sheet_count]);
        cy_free(book->sheet_parts[book->sheet_count]);
        fail_oom(&w->base);
        return;
    }
    book->sheet_count++;
}

/* Run one parser over a part; `state` begins with an xml_base. */
static cy_status run_parser(cy_xlsx *book, xml_base *x, const char *part,
                            XML_StartElementHandler start, XML_EndElementHandler end,
                            XML_CharacterDataHandler text, cy_error *err)
{
    cy_status status;
    char place[512];
    if (!x->place) {
        part_place(book, part, place, sizeof place);
        x->place = place;
    }
    x->book = book;
    x->err = err;
    if (!(x->parser = new_parser())) {
        cy_sheet_diag(err, CY_SEV_ERROR, place, "out of memory");
        return CY_ENOMEM;
    }
    XML_SetElementHandler(x->parser, start, end);
    if (text)
        XML_SetCharacterDataHandler(x->parser, text);
    status = parse_part(x, part);
    XML_ParserFree(x->parser);
    x->parser = NULL;
    x->place = NULL;
    return status;
}

/* ---- cell formats: which show numbers as dates ----------------------------- */

/*
 * Whether Excel's built-in number format `id` shows a date or a time:
 * 14-22 (m/d/yyyy ... h:mm:ss), 45-47 (mm:ss, [h]:mm:ss, mmss.0) and the
 * East Asian date formats 27-36 and 50-58.
 */
static int builtin_date(unsigned long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/*
 * Whether a custom format code shows a date or a time: a y, m, d, h or s
 * outside quoted text ("年"), escapes (\x), padding and fill (_x, *x) and
 * bracketed parts ([Red], [$¥-804]) other than elapsed time ([h], [mm]).
 * "0.00", "#,##0", "0%" and "General" have none.
 */
static int code_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if ((*p == '\\' || *p == '_' || *p == '*') && p[1]) {
            p++;
        } else if (*p == '[') {
            const char *end = strchr(p, ']');
            if (!end)
                return 0;
            if (strchr("hHmMsS", p[1]) && end > p + 1 &&
                strspn(p + 1, "hHmMsS") == (size_t)(end - p - 1))
                return 1;
            p = end;
        } else if (strchr("yYmMdDhHsS", *p)) {
            return 1;
        }
    }
    return 0;
}

/* Excel's own limits: 64,000 cell formats, and about 250 custom number
 * formats (a hostile styles.xml holds millions; more than these is refused
 * rather than read). */
#define MAX_CELL_FORMATS 65536
#define MAX_CUSTOM_FORMATS 4096

typedef struct {
    xml_base base;
    unsigned long *custom_ids;   /* numFmt ids whose code shows a date, sorted */
    size_t custom_count, custom_cap, custom_seen;
    int in_cell_xfs;
    size_t xf_cap;
} styles_state;

/* The place of `id` in the sorted custom_ids: where it is or would go. */
static size_t custom_place(const styles_state *st, unsigned long id)
{
    size_t lo = 0, hi = st->custom_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->custom_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int custom_date(const styles_state *st, unsigned long id)
{
    size_t k = custom_place(st, id);
    return k < st->custom_count && st->custom_ids[k] == id;
}

static void XMLCALL styles_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    styles_state *st = data;
    cy_xlsx *book = st->base.book;
    const char *local = local_name(name), *id = attribute(atts, "numFmtId", 0);
    unsigned long n = id ? strtoul(id, NULL, 10) : 0;

    if (strcmp(local, "cellXfs") == 0) {
        st->in_cell_xfs = 1;
    } else if (strcmp(local, "numFmt") == 0 && id) {
        const char *code = attribute(atts, "formatCode", 0);
        size_t at;
        if (++st->custom_seen > MAX_CUSTOM_FORMATS) {
            fail(&st->base, "%s", "more custom number formats than Excel allows");
            return;
        }
        if (!code || !code_is_date(code) || custom_date(st, n))
            return;
        if (!grow((void **)&st->custom_ids, &st->custom_cap, st->custom_count + 1,
                  sizeof *st->custom_ids)) {
            fail_oom(&st->base);
            return;
        }
        at = custom_place(st, n);
        memmove(st->custom_ids + at + 1, st->custom_ids + at,
                (st->custom_count - at) * sizeof *st->custom_ids);
        st->custom_ids[at] = n;
        st->custom_count++;
    } else if (strcmp(local, "xf") == 0 && st->in_cell_xfs) {
        if (book->xf_count >= MAX_CELL_FORMATS) {
            fail(&st->base, "%s", "more cell formats than Excel allows");
            return;
        }
        if (!grow((void **)&book->xf_date, &st->xf_cap, book->xf_count + 1, 1)) {
            fail_oom(&st->base);
            return;
        }
        book->xf_date[book->xf_count++] = id && (builtin_date(n) || custom_date(st, n));
    }
}

static void XMLCALL styles_end(void *data, const XML_Char *name)
{
    styles_state *st = data;
    if (strcmp(local_name(name), "cellXfs") == 0)
        st->in_cell_xfs = 0;
}

/*
 * The cell formats of the workbook: which show a number as a date.  A
 * styles part that cannot be read (not XML, more formats than Excel
 * allows) costs only the telling of dates from numbers: a warning says
 * so, and the workbook is read on (it was before dates were told apart).
 * Running out of memory still fails.
 */
static cy_status read_styles(cy_xlsx *book, const char *part, cy_error *err)
{
    styles_state st = {0};
    cy_error quiet;
    cy_status status;
    char *why;

    cy_error_init(&quiet);
    status = run_parser(book, &st.base, part, styles_start, styles_end, NULL, &quiet);
    cy_free(st.custom_ids);
    if (status != CY_OK && status != CY_ENOMEM) {
        why = quiet.count ? cy_error_format(&quiet, 0) : NULL;
        cy_sheet_diag(err, CY_SEV_WARNING, book->label, "the cell formats cannot be read (%s): "
                      "a date typed into a number column cannot be told from a number",
                      why ? why : part);
        cy_free(why);
        cy_free(book->xf_date);
        book->xf_date = NULL;
        book->xf_count = 0;
        status = CY_OK;
    } else if (status == CY_ENOMEM) {
        cy_sheet_diag(err, CY_SEV_ERROR, book->label, "out of memory");
    }
    cy_error_destroy(&quiet);
    return status;
}

static cy_status read_sheet_list(cy_xlsx *book, cy_error *err)
{
    rels_state rels = {0};
    workbook_state wb = {0};
    cy_status status;
    status = run_parser(book, &rels.base, "xl/_rels/workbook.xml.rels", rels_start,
                        NULL, NULL, err);
    if (status == CY_OK) {
        wb.rels = &rels;
        status = run_parser(book, &wb.base, "xl/workbook.xml", workbook_start, NULL,
                            NULL, err);
    }
    if (status == CY_OK && rels.shared_strings &&
        zip_name_locate(book->zip, rels.shared_strings, ZIP_FL_NOCASE) >= 0) {
        /* Read below by read_shared_strings, from this part. */
        book->strings = rels.shared_strings;
        rels.shared_strings = NULL;
    }
    if (status == CY_OK && rels.styles &&
        zip_name_locate(book->zip, rels.styles, ZIP_FL_NOCASE) >= 0)
        status = read_styles(book, rels.styles, err);
    rels_destroy(&rels);
    return status;
}

/* ---- shared strings ------------------------------------------------------ */

/* Text being collected: one cell's or one shared string's. */
typedef struct {
    char *text;
    size_t length, cap;
} text_buf;

static int text_append(text_buf *t, const char *s, size_t n)
{
    if (t->length + n + 1 > CY_SHEET_MAX_CELL_BYTES)
        return -1;
    if (!grow((void **)&t->text, &t->cap, t->length + n + 1, 1))
        return 0;
    memcpy(t->text + t->length, s, n);
    t->length += n;
    t->text[t->length] = '\0';
    return 1;
}

typedef struct {
    xml_base base;
    text_buf text;
    int in_item, in_phonetic, in_t;
} strings_state;

static void XMLCALL strings_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    strings_state *s = data;
    const char *local = local_name(name);
    (void)atts;
    if (strcmp(local, "si") == 0) {
        s->in_item = 1;
        s->text.length = 0;
    } else if (strcmp(local, "rPh") == 0) {
        s->in_phonetic = 1;
    } else if (strcmp(local, "t") == 0 && s->in_item && !s->in_phonetic) {
        s->in_t = 1;
    }
}

static int strings_push(cy_xlsx *book, const char *text, size_t length)
{
    size_t need = book->strings_size + length + 1;
    if (!grow((void **)&book->string_offsets, &book->string_cap,
              book->string_count + 1, sizeof(size_t)) ||
        !grow((void **)&book->strings, &book->strings_cap, need, 1))
        return 0;
    memcpy(book->strings + book->strings_size, text, length);
    book->strings[book->strings_size + length] = '\0';
    book->string_offsets[book->string_count++] = book->strings_size;
    book->strings_size = need;
    return 1;
}

static void XMLCALL strings_end(void *data, const XML_Char *name)
{
    strings_state *s = data;
    const char *local = local_name(name);
    if (strcmp(local, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(local, "rPh") == 0) {
        s->in_phonetic = 0;
    } else if (strcmp(local, "si") == 0 && s->in_item) {
        s->in_item = 0;
        size_t length = s->text.length ? decode_escapes(s->text.text, s->text.length) : 0;
        if (!strings_push(s->base.book, length ? s->text.text : "", length))
            fail_oom(&s->base);
    }
}

static void XMLCALL strings_text(void *data, const XML_Char *text, int len)
{
    strings_state *s = data;
    int rc;
    if (!s->in_t)
        return;
    rc = text_append(&s->text, text, (size_t)len);
    if (rc < 0)
        fail(&s->base, "%s", "a shared string is longer than 128 KiB");
    else if (rc == 0)
        fail_oom(&s->base);
}

static cy_status read_shared_strings(cy_xlsx *book, cy_error *err)
{
    strings_state s = {0};
    char *part = book->strings;
    cy_status status;
    if (!part) {
        if (zip_name_locate(book->zip, "xl/sharedStrings.xml", ZIP_FL_NOCASE) < 0)
            return CY_OK;
        if (!(part = cy_strdup("xl/sharedStrings.xml"))) {
            cy_sheet_diag(err, CY_SEV_ERROR, book->label, "out of memory");
            return CY_ENOMEM;
        }
    }
    book->strings = NULL;
    status = run_parser(book, &s.base, part, strings_start, strings_end,
                        strings_text, err);
    cy_free(s.text.text);
    cy_free(part);
    return status;
}

/* ---- opening and closing ---------------------------------------------------- */

void cy_xlsx_close(cy_xlsx *book)
{
    if (!book)
        return;
    for (size_t k = 0; k < book->sheet_count; k++) {
        cy_free(book->sheet_names[k]);
        cy_free(book->sheet_parts[k]);
    }
    cy_free(book->sheet_names);
    cy_free(book->sheet_parts);
    cy_free(book->sheet_hidden);
    cy_free(book->xf_date);
    cy_free(book->strings);
    cy_free(book->string_offsets);
    if (book->zip)
        zip_discard(book->zip);
    cy_free(book);
}

static cy_status open_zip(cy_xlsx *book, const char *path, cy_error *err)
{
    int code = 0;
    zip_error_t error;
    book->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (book->zip)
        return CY_OK;
    zip_error_init_with_code(&error, code);
    cy_sheet_diag(err, CY_SEV_ERROR, book->label,
                  "not a readable .xlsx workbook (zip: %s)", zip_error_strerror(&error));
    zip_error_fini(&error);
    return CY_EINPUT;
}

cy_status cy_xlsx_open(const char *path, const char *label, size_t max_bytes,
                       cy_xlsx **out, cy_error *err)
{
    cy_xlsx *book = cy_calloc(1, sizeof *book);
    cy_status status;
    *out = NULL;
    if (!book) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "out of memory");
        return CY_ENOMEM;
    }
    book->label = label;
    book->max_bytes = max_bytes;
    status = open_zip(book, path, err);
    if (status == CY_OK)
        status = read_sheet_list(book, err);
    if (status == CY_OK)
        status = read_shared_strings(book, err);
    if (status != CY_OK) {
        cy_xlsx_close(book);
        return status;
    }
    *out = book;
    return CY_OK;
}

size_t cy_xlsx_sheet_count(const cy_xlsx *book)
{
    return book->sheet_count;
}

const char *cy_xlsx_sheet_name(const cy_xlsx *book, size_t sheet)
{
    return book->sheet_names[sheet];
}

int cy_xlsx_sheet_hidden(const cy_xlsx *book, size_t sheet)
{
    return book->sheet_hidden[sheet];
}

size_t cy_xlsx_sheet_bytes(const cy_xlsx *book, size_t sheet)
{
    zip_stat_t st;
    if (!book->sheet_parts[sheet] ||
        zip_stat(book->zip, book->sheet_parts[sheet], ZIP_FL_NOCASE, &st) != 0 ||
        !(st.valid & ZIP_STAT_SIZE))
        return 0;
    return (size_t)st.size;
}

/* ---- one sheet, row by row ---------------------------------------------------- */

typedef struct {
    xml_base base;
    cy_sheet_row_fn fn;
    void *ctx;
    int in_data, in_row, in_cell, in_inline, in_phonetic, collecting, has_value, has_formula;
    uint32_t row, last_row, column, last_column;
    int have_column;
    cy_cell_type type;
    int shared;                  /* the cell's value is a shared-string index */
    text_buf value;              /* the current cell's text */
    cy_sheet_cell *cells;        /* the current row's cells; text as offsets */
    size_t cell_count, cell_cap;
    text_buf row_text;           /* every cell text of the row, NUL-separated */
} sheet_state;

/* Parse "AB12": column letters (0-based result) then digits; 0 on junk. */
static int parse_ref(const char *ref, uint32_t *column, uint32_t *row)
{
    uint32_t c = 0, r = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z'; p++) {
        c = c * 26 + (uint32_t)(*p - 'A' + 1);
        if (c > CY_SHEET_MAX_COLUMNS)
            return -1;
    }
    if (c == 0)
        return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        r = r * 10 + (uint32_t)(*p - '0');
        if (r > CY_SHEET_MAX_ROWS)
            return -2;
    }
    if (*p || r == 0)
        return 0;
    *column = c - 1;
    *row = r;
    return 1;
}

static void sheet_row_start(sheet_state *s, const char **atts)
{
    const char *r = attribute(atts, "r", 0);
    char *end;
    unsigned long n = s->last_row + 1;
    if (r) {
        n = strtoul(r, &end, 10);
        if (*end || n == 0) {
            fail(&s->base, "row number \"%s\" is not a number", r);
            return;
        }
    }
    if (n > CY_SHEET_MAX_ROWS) {
        fail(&s->base, "%s", "more rows than Excel's 1048576");
        return;
    }
    if (n <= s->last_row && s->last_row)
        {
            fail(&s->base, "%s", "rows out of order");
            return;
        }
    s->row = (uint32_t)n;
    s->in_row = 1;
    s->cell_count = 0;
    s->row_text.length = 0;
    s->have_column = 0;
}

/* A failure at the current cell: the place gets its reference
 * ("book.xlsx:links!C12"). */
static void fail_cell(sheet_state *s, const char *fmt, const char *arg)
{
    char place[600], column[8];
    const char *sheet = s->base.place;
    cy_sheet_column_name(s->column, column);
    snprintf(place, sizeof place, "%s!%s%lu", sheet, column, (unsigned long)s->row);
    s->base.place = place;
    fail(&s->base, fmt, arg);
    s->base.place = sheet;
}

static cy_cell_type cell_type(const char *t, int *shared)
{
    *shared = 0;
    if (!t || strcmp(t, "n") == 0)
        return CY_CELL_NUMBER;
    if (strcmp(t, "s") == 0) {
        *shared = 1;
        return CY_CELL_STRING;
    }
    if (strcmp(t, "b") == 0)
        return CY_CELL_BOOL;
    if (strcmp(t, "e") == 0)
        return CY_CELL_ERROR;
    return CY_CELL_STRING; /* str, inlineStr, d (ISO 8601 text) */
}

static void sheet_cell_start(sheet_state *s, const char **atts)
{
    const char *ref = attribute(atts, "r", 0);
    uint32_t column = s->have_column ? s->last_column + 1 : 0, row;
    if (ref) {
        int rc = parse_ref(ref, &column, &row);
        if (rc == -1) {
            fail(&s->base, "cell %.40s is beyond column XFD, Excel's last", ref);
            return;
        }
        if (rc <= 0)
            {
                fail(&s->base, "cell reference \"%.40s\" is not valid", ref);
                return;
            }
    }
    if (column >= CY_SHEET_MAX_COLUMNS) {
        fail(&s->base, "%s", "a row has cells beyond column XFD, Excel's last");
        return;
    }
    if (s->have_column && column <= s->last_column)
        {
            fail(&s->base, "%s", "cells out of order or given twice in a row");
            return;
        }
    s->column = column;
    s->type = cell_type(attribute(atts, "t", 0), &s->shared);
    if (s->type == CY_CELL_NUMBER) {
        const char *style = attribute(atts, "s", 0);
        unsigned long xf = style ? strtoul(style, NULL, 10) : 0;
        cy_xlsx *book = s->base.book;
        if (style && xf < book->xf_count && book->xf_date[xf])
            s->type = CY_CELL_DATE;
    }
    s->in_cell = 1;
    s->has_value = s->has_formula = 0;
    s->value.length = 0;
}

static void XMLCALL sheet_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    sheet_state *s = data;
    const char *local = local_name(name);
    if (!s->in_data) {
        s->in_data = strcmp(local, "sheetData") == 0;
    } else if (!s->in_row) {
        if (strcmp(local, "row") == 0)
            sheet_row_start(s, atts);
    } else if (!s->in_cell) {
        if (strcmp(local, "c") == 0)
            sheet_cell_start(s, atts);
    } else if (strcmp(local, "v") == 0) {
        s->collecting = s->has_value = 1;
    } else if (strcmp(local, "f") == 0) {
        s->has_formula = 1;
    } else if (strcmp(local, "is") == 0) {
        s->in_inline = 1;
    } else if (strcmp(local, "rPh") == 0) {
        s->in_phonetic = 1;
    } else if (strcmp(local, "t") == 0 && s->in_inline && !s->in_phonetic) {
        s->collecting = s->has_value = 1;
    }
}

/* The cell's final text: its own, or the shared string it points to. */
static int cell_text(sheet_state *s, const char **text, size_t *length)
{
    cy_xlsx *book = s->base.book;
    char *end;
    unsigned long k;
    const char *v = s->value.length ? s->value.text : "";
    if (!s->shared && s->type == CY_CELL_STRING && s->value.length)
        s->value.length = decode_escapes(s->value.text, s->value.length);
    if (!s->shared) {
        *text = v;
        *length = s->value.length;
        return 1;
    }
    k = strtoul(v, &end, 10);
    if (!*v || *end || k >= book->string_count)
        return 0;
    *text = book->strings + book->string_offsets[k];
    *length = strlen(*text);
    return 1;
}

static void sheet_cell_end(sheet_state *s)
{
    char date[40];
    const char *text;
    size_t length, offset = s->row_text.length;
    cy_sheet_cell *cell;
    int rc;
    s->in_cell = s->in_inline = s->in_phonetic = s->collecting = 0;
    s->have_column = 1;
    s->last_column = s->column;
    if (s->has_formula && (!s->has_value || (s->value.length == 0 && s->type != CY_CELL_STRING))) {
        /* Read as empty, the cell would silently drop what the formula
         * computes (a volume, a share).  An empty <v></v> (openpyxl writes
         * one) is no result either, unless the formula's result is a
         * string, which may be empty. */
        fail_cell(s, "%s", "a formula with no stored result (the program that wrote the "
                  "workbook did not calculate it): open and save it in Excel or "
                  "LibreOffice, or type the value");
        return;
    }
    if (!s->has_value)
        return; /* <c r="B2"/> or <c r="B2" t="s"/>: a formatted empty cell */
    if (!cell_text(s, &text, &length)) {
        fail_cell(s, "%s", "the cell points to a shared string that does not exist");
        return;
    }
    if (s->type == CY_CELL_DATE) {
        /* What Excel shows, not the serial: 45474 is 2024-07-01. */
        if (cy_sheet_date_text(text, s->base.book->date1904, date)) {
            text = date;
            length = strlen(date);
        } else {
            s->type = CY_CELL_NUMBER;
        }
    }
    if (s->row_text.length + length + 1 > MAX_ROW_TEXT) {
        fail(&s->base, "%s", "a row holds more than 16 MiB of text");
        return;
    }
    rc = grow((void **)&s->cells, &s->cell_cap, s->cell_count + 1, sizeof *s->cells);
    if (rc)
        rc = grow((void **)&s->row_text.text, &s->row_text.cap, offset + length + 1, 1);
    if (!rc) {
        fail_oom(&s->base);
        return;
    }
    memcpy(s->row_text.text + offset, text, length);
    s->row_text.text[offset + length] = '\0';
    s->row_text.length = offset + length + 1;
    cell = &s->cells[s->cell_count++];
    cell->column = s->column;
    cell->line = s->row;
    cell->type = s->type;
    cell->text = NULL;
    cell->length = length;
    /* The text's offset until the row ends (row_text may still move). */
    cell->text = (const char *)(uintptr_t)offset;
}

static void sheet_row_end(sheet_state *s)
{
    s->in_row = 0;
    s->last_row = s->row;
    if (s->cell_count == 0)
        return;
    for (size_t k = 0; k < s->cell_count; k++)
        s->cells[k].text = s->row_text.text + (uintptr_t)s->cells[k].text;
    if (s->fn(s->ctx, s->row, s->cells, s->cell_count) != 0) {
        s->base.stopped = 1;
        XML_StopParser(s->base.parser, XML_FALSE);
    }
}

static void XMLCALL sheet_end(void *data, const XML_Char *name)
{
    sheet_state *s = data;
    const char *local = local_name(name);
    if (s->in_cell) {
        if (strcmp(local, "c") == 0)
            sheet_cell_end(s);
        else if (strcmp(local, "v") == 0 || strcmp(local, "t") == 0)
            s->collecting = 0;
        else if (strcmp(local, "rPh") == 0)
            s->in_phonetic = 0;
    } else if (s->in_row && strcmp(local, "row") == 0) {
        sheet_row_end(s);
    } else if (s->in_data && strcmp(local, "sheetData") == 0) {
        s->in_data = 0;
    }
}

static void XMLCALL sheet_text(void *data, const XML_Char *text, int len)
{
    sheet_state *s = data;
    int rc;
    if (!s->collecting)
        return;
    rc = text_append(&s->value, text, (size_t)len);
    if (rc < 0)
        fail_cell(s, "%s", "the cell holds more than 128 KiB of text");
    else if (rc == 0)
        fail_oom(&s->base);
}

void cy_xlsx_set_progress(cy_xlsx *book, const cy_sheet_progress *sp)
{
    book->progress = sp;
}

cy_status cy_xlsx_read_sheet(cy_xlsx *book, size_t sheet, cy_sheet_row_fn fn,
                             void *ctx, cy_error *err)
{
    sheet_state s = {0};
    char place[512];
    cy_status status;
    snprintf(place, sizeof place, "%s:%s", book->label, book->sheet_names[sheet]);
    if (!book->sheet_parts[sheet]) {
        cy_sheet_diag(err, CY_SEV_ERROR, place, "the workbook does not say where "
                      "this sheet is stored");
        return CY_EINPUT;
    }
    s.fn = fn;
    s.ctx = ctx;
    s.base.place = place;
    status = run_parser(book, &s.base, book->sheet_parts[sheet], sheet_start,
                        sheet_end, sheet_text, err);
    cy_free(s.value.text);
    cy_free(s.cells);
    cy_free(s.row_text.text);
    return status;
}
