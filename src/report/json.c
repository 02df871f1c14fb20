/*
 * json.c - the streaming JSON writer every JSON output of chengyu goes
 * through.
 *
 * Text is appended to one 64 KiB buffer and written in large blocks: a
 * national weak-link report has tens of millions of tokens, and one locked
 * stdio call per token would cost more than formatting them.  No Jansson
 * value is built, so memory stays at the writer itself however large the
 * document.  The layout reproduces Jansson's json_dump byte for byte (its
 * separators, indentation and string escapes), so documents that Jansson
 * used to write keep their bytes, except that reals have the fewest digits
 * that read back exactly (cy_i_real_spell) instead of 17.
 */
#include "writer.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JSON_BUFFER 65536
#define JSON_MAX_DEPTH 32

typedef struct {
    unsigned char lines;   /* cy_r_json_layout */
    unsigned char object;  /* closes with '}' */
    size_t items;
} json_level;

struct cy_r_json {
    FILE *out;
    int io_failed;
    int misused;           /* nesting too deep or unbalanced */
    int after_key;         /* the next value completes a member */
    int depth;
    json_level level[JSON_MAX_DEPTH];
    size_t used;
    char buffer[JSON_BUFFER];
};

static void flush(cy_r_json *w)
{
    if (w->used && fwrite(w->buffer, 1, w->used, w->out) != w->used)
        w->io_failed = 1;
    w->used = 0;
}

/* The one way bytes reach the output.  A block larger than the buffer
 * (a very long network name) bypasses it. */
static void emit(cy_r_json *w, const char *bytes, size_t size)
{
    if (size > JSON_BUFFER - w->used) {
        flush(w);
        if (size > JSON_BUFFER) {
            if (fwrite(bytes, 1, size, w->out) != size)
                w->io_failed = 1;
            return;
        }
    }
    memcpy(w->buffer + w->used, bytes, size);
    w->used += size;
}

static void put(cy_r_json *w, const char *text)
{
    emit(w, text, strlen(text));
}

cy_r_json *cy_r_json_open(FILE *out, const char *what, cy_error *err)
{
    cy_r_json *w = cy_malloc(sizeof *w);
    if (!w) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the %s", what);
        return NULL;
    }
    memset(w, 0, offsetof(cy_r_json, buffer));
    w->out = out;
    return w;
}

cy_status cy_r_json_close(cy_r_json *w, const char *what, cy_error *err)
{
    cy_status status = CY_OK;
    flush(w);
    if (w->misused || w->depth) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "internal error: unbalanced JSON in the %s", what);
        status = CY_EINTERNAL;
    } else if (w->io_failed || ferror(w->out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the %s failed", what);
        status = CY_EIO;
    }
    cy_free(w);
    return status;
}

/* A newline and the indentation of elements at `depth`. */
static void newline(cy_r_json *w, int depth)
{
    static const char spaces[] = "                                ";
    emit(w, "\n", 1);
    for (int left = 2 * depth; left > 0; left -= (int)sizeof spaces - 1)
        emit(w, spaces, (size_t)(left < (int)sizeof spaces - 1 ? left : (int)sizeof spaces - 1));
}

/* What comes before a value or a key: nothing after a key or at the top
 * level, else the separator of the current container. */
static void before_item(cy_r_json *w)
{
    json_level *l;
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->depth)
        return;
    l = &w->level[w->depth - 1];
    if (l->items++)
        emit(w, l->lines ? "," : ", ", l->lines ? 1 : 2);
    if (l->lines)
        newline(w, w->depth);
}

static void begin(cy_r_json *w, cy_r_json_layout layout, int object)
{
    before_item(w);
    emit(w, object ? "{" : "[", 1);
    if (w->depth == JSON_MAX_DEPTH) {
        w->misused = 1;
        return;
    }
    w->level[w->depth].lines = (unsigned char)layout;
    w->level[w->depth].object = (unsigned char)object;
    w->level[w->depth].items = 0;
    w->depth++;
}

static void end(cy_r_json *w, int object)
{
    json_level *l;
    if (!w->depth || w->level[w->depth - 1].object != object || w->after_key) {
        w->misused = 1;
        return;
    }
    l = &w->level[--w->depth];
    if (l->lines && l->items)
        newline(w, w->depth);
    emit(w, object ? "}" : "]", 1);
}

void cy_r_json_object_begin(cy_r_json *w, cy_r_json_layout layout)
{
    begin(w, layout, 1);
}

void cy_r_json_object_end(cy_r_json *w)
{
    end(w, 1);
}

void cy_r_json_array_begin(cy_r_json *w, cy_r_json_layout layout)
{
    begin(w, layout, 0);
}

void cy_r_json_array_end(cy_r_json *w)
{
    end(w, 0);
}

/*
 * The escape of a byte that JSON strings cannot hold as is: `"`, `\` and
 * the control characters, as Jansson writes them (\b \f \n \r \t, else
 * \u00XX with upper-case hex: its "\\u%04X").
 */
static void put_escape(cy_r_json *w, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
    size_t length = 2;

    switch (c) {
    case '"': escape[1] = '"'; break;
    case '\\': escape[1] = '\\'; break;
    case '\b': escape[1] = 'b'; break;
    case '\f': escape[1] = 'f'; break;
    case '\n': escape[1] = 'n'; break;
    case '\r': escape[1] = 'r'; break;
    case '\t': escape[1] = 't'; break;
    default: length = 6; break;
    }
    emit(w, escape, length);
}

/*
 * A string as Jansson writes it without flags: put_escape's bytes
 * escaped, every other byte as is ('/', DEL and UTF-8 included: the
 * model's strings are UTF-8 that Jansson validated at load).  Runs with
 * nothing to escape are copied in one piece.
 */
static void put_string(cy_r_json *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const char *run = s;
    size_t clean = 0;

    /* The common case, an id with nothing to escape, in one copy. */
    while (p[clean] >= 0x20 && p[clean] != '"' && p[clean] != '\\')
        clean++;
    if (!p[clean] && clean + 2 <= JSON_BUFFER - w->used) {
        char *out = w->buffer + w->used;
        out[0] = '"';
        memcpy(out + 1, s, clean);
        out[clean + 1] = '"';
        w->used += clean + 2;
        return;
    }
    /* The clean prefix needs no second look. */
    emit(w, "\"", 1);
    for (p += clean; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == '\\') {
            emit(w, run, (size_t)((const char *)p - run));
            put_escape(w, *p);
            run = (const char *)p + 1;
        }
    emit(w, run, (size_t)((const char *)p - run));
    emit(w, "\"", 1);
}

void cy_r_json_key(cy_r_json *w, const char *key)
{
    before_item(w);
    put_string(w, key);
    emit(w, ": ", 2);
    w->after_key = 1;
}

void cy_r_json_string(cy_r_json *w, const char *s)
{
    before_item(w);
    if (s)
        put_string(w, s);
    else
        put(w, "null");
}

void cy_r_json_real(cy_r_json *w, double value)
{
    char text[32];
    size_t length = cy_i_real_spell(text, value);
    before_item(w);
    if (length)
        emit(w, text, length);
    else
        put(w, "null");
}

/* The decimal digits of `value`, written backwards ending just before
 * `end`; returns where they start.  Room for 20 digits is needed. */
static char *digits(char *end, uint64_t value)
{
    do {
        *--end = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    return end;
}

void cy_r_json_count(cy_r_json *w, size_t value)
{
    char text[24];
    char *start = digits(text + sizeof text, value);
    before_item(w);
    emit(w, start, (size_t)(text + sizeof text - start));
}

void cy_r_json_integer(cy_r_json *w, long long value)
{
    char text[24];
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    char *start = digits(text + sizeof text, magnitude);
    if (value < 0)
        *--start = '-';
    before_item(w);
    emit(w, start, (size_t)(text + sizeof text - start));
}

void cy_r_json_bool(cy_r_json *w, int value)
{
    before_item(w);
    put(w, value ? "true" : "false");
}

void cy_r_json_null(cy_r_json *w)
{
    before_item(w);
    put(w, "null");
}

void cy_r_json_member_string(cy_r_json *w, const char *key, const char *s)
{
    cy_r_json_key(w, key);
    cy_r_json_string(w, s);
}

void cy_r_json_member_real(cy_r_json *w, const char *key, double value)
{
    cy_r_json_key(w, key);
    cy_r_json_real(w, value);
}

void cy_r_json_member_count(cy_r_json *w, const char *key, size_t value)
{
    cy_r_json_key(w, key);
    cy_r_json_count(w, value);
}

void cy_r_json_ids(cy_r_json *w, const cy_network *net, const size_t *items,
                   size_t count, cy_r_json_layout layout)
{
    cy_r_json_array_begin(w, layout);
    for (size_t k = 0; k < count; k++)
        cy_r_json_string(w, net->enterprises[items[k]].id);
    cy_r_json_array_end(w);
}

void cy_r_json_raw(cy_r_json *w, const char *text)
{
    put(w, text);
}
