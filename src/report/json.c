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
 *
 * A large report says the same things many times: the same firm ids, the
 * same impact figures on every row of a firm, the same keys on every row.
 * So the writer spells each of them once and copies the bytes afterwards:
 * enterprise ids when asked (cy_r_json_spell_ids), keys by the address of
 * their text (checked against that text, so a reused buffer is spelled
 * again), non-integral reals in a small cache keyed by their bits.  The
 * bytes are those the direct spelling gives.
 */
#include "writer.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JSON_BUFFER 65536
#define JSON_MAX_DEPTH 32
#define REAL_SLOTS 4096   /* a power of two */

#define KEY_SLOTS 256     /* a power of two */

/* A key already spelled: quote, key, quote, colon, space. */
typedef struct {
    const char *key;
    unsigned char length;  /* 0: empty slot */
    char text[55];
} key_slot;

/* A real already spelled: large reports repeat the same impact figures
 * on many rows, and a non-integral real costs a printf. */
typedef struct {
    uint64_t bits;
    unsigned char length;  /* 0: empty slot */
    char text[39];         /* cy_i_real_spell needs 32 */
} real_slot;

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
    const cy_network *id_net; /* whose enterprise ids id_text holds */
    char *id_text;         /* every id quoted and escaped, back to back */
    size_t *id_start;      /* id i is id_text[id_start[i] .. id_start[i + 1]) */
    real_slot reals[REAL_SLOTS];
    key_slot keys[KEY_SLOTS];
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
    cy_free(w->id_text);
    cy_free(w->id_start);
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

/* A byte JSON strings cannot hold as is: `"`, `\` or a control character. */
static int needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

/*
 * The escape of a byte for which needs_escape holds, as Jansson writes it
 * (\b \f \n \r \t, else \u00XX with upper-case hex: its "\\u%04X"),
 * stored at `out` (room for 6 bytes); returns its length.
 */
static size_t escape_byte(char *out, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char letter = 0;

    switch (c) {
    case '"': letter = '"'; break;
    case '\\': letter = '\\'; break;
    case '\b': letter = 'b'; break;
    case '\f': letter = 'f'; break;
    case '\n': letter = 'n'; break;
    case '\r': letter = 'r'; break;
    case '\t': letter = 't'; break;
    default: break;
    }
    out[0] = '\\';
    if (letter) {
        out[1] = letter;
        return 2;
    }
    memcpy(out + 1, "u00", 3);
    out[4] = hex[c >> 4];
    out[5] = hex[c & 0xF];
    return 6;
}

static void put_escape(cy_r_json *w, unsigned char c)
{
    char escape[6];
    emit(w, escape, escape_byte(escape, c));
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
    while (!needs_escape(p[clean]))
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
        if (needs_escape(*p)) {
            emit(w, run, (size_t)((const char *)p - run));
            put_escape(w, *p);
            run = (const char *)p + 1;
        }
    emit(w, run, (size_t)((const char *)p - run));
    emit(w, "\"", 1);
}

/* The length of s as put_string writes it, quotes included. */
static size_t spelled_length(const char *s)
{
    char escape[6];
    size_t length = 2;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        length += needs_escape(*p) ? escape_byte(escape, *p) : 1;
    return length;
}

/* s as put_string writes it, stored at `out`; returns its length. */
static size_t spell_string(char *out, const char *s)
{
    size_t n = 0;
    out[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (needs_escape(*p))
            n += escape_byte(out + n, *p);
        else
            out[n++] = (char)*p;
    }
    out[n++] = '"';
    return n;
}

int cy_r_json_spell_ids(cy_r_json *w, const cy_network *net)
{
    size_t n = net->enterprise_count, total = 0;
    size_t *start = cy_malloc((n + 1) * sizeof *start);
    char *text;

    if (!start)
        return 0;
    for (size_t i = 0; i < n; i++)
        total += spelled_length(net->enterprises[i].id);
    if (!(text = cy_malloc(total + 1))) {
        cy_free(start);
        return 0;
    }
    start[0] = 0;
    for (size_t i = 0; i < n; i++)
        start[i + 1] = start[i] + spell_string(text + start[i], net->enterprises[i].id);
    cy_free(w->id_text);
    cy_free(w->id_start);
    w->id_net = net;
    w->id_text = text;
    w->id_start = start;
    return 1;
}

void cy_r_json_enterprise(cy_r_json *w, const cy_network *net, size_t i)
{
    before_item(w);
    if (w->id_net == net)
        emit(w, w->id_text + w->id_start[i], w->id_start[i + 1] - w->id_start[i]);
    else
        put_string(w, net->enterprises[i].id);
}

/* The slot of the key at `key`: keys are mostly the writers' literals,
 * so the address finds them again. */
static key_slot *key_slot_of(cy_r_json *w, const char *key)
{
    uint64_t address = (uint64_t)(uintptr_t)key;
    return &w->keys[(address * UINT64_C(0x9E3779B97F4A7C15)) >> 56 & (KEY_SLOTS - 1)];
}

void cy_r_json_key(cy_r_json *w, const char *key)
{
    key_slot *slot = key_slot_of(w, key);
    size_t clean = 0;

    before_item(w);
    /* Seen before at this address, and still the same text. */
    if (slot->key == key && slot->length &&
        strncmp(slot->text + 1, key, slot->length - 4u) == 0 && !key[slot->length - 4u]) {
        emit(w, slot->text, slot->length);
        w->after_key = 1;
        return;
    }
    while (!needs_escape((unsigned char)key[clean]))
        clean++;
    if (!key[clean] && clean + 4 <= sizeof slot->text) {
        /* Nothing to escape: quotes and separator around it, kept. */
        slot->key = key;
        slot->text[0] = '"';
        memcpy(slot->text + 1, key, clean);
        memcpy(slot->text + clean + 1, "\": ", 3);
        slot->length = (unsigned char)(clean + 4);
        emit(w, slot->text, slot->length);
    } else {
        put_string(w, key);
        emit(w, ": ", 2);
    }
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

/* The spelling of a real that is not integral, from the writer's cache
 * when it was spelled before; 0 when it has none (NaN, infinities). */
static size_t cached_spelling(cy_r_json *w, double value, const char **text)
{
    uint64_t bits;
    real_slot *slot;

    memcpy(&bits, &value, sizeof bits);
    slot = &w->reals[(bits * UINT64_C(0x9E3779B97F4A7C15)) >> 52 & (REAL_SLOTS - 1)];
    if (!slot->length || slot->bits != bits) {
        size_t length = cy_i_real_spell(slot->text, value);
        if (!length) {
            slot->length = 0;
            return 0;
        }
        slot->bits = bits;
        slot->length = (unsigned char)length;
    }
    *text = slot->text;
    return slot->length;
}

void cy_r_json_real(cy_r_json *w, double value)
{
    char spelled[32];
    const char *text = spelled;
    size_t length;

    if (fabs(value) < 9007199254740992.0 && value == (double)(int64_t)value)
        length = cy_i_real_spell(spelled, value);
    else
        length = cached_spelling(w, value, &text);
    before_item(w);
    if (length)
        emit(w, text, length);
    else
        put(w, "null");
}

void cy_r_json_spelled(cy_r_json *w, const char *text)
{
    before_item(w);
    put(w, text[0] ? text : "null");
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
        cy_r_json_enterprise(w, net, items[k]);
    cy_r_json_array_end(w);
}

void cy_r_json_raw(cy_r_json *w, const char *text)
{
    put(w, text);
}
