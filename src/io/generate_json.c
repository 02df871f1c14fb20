/*
 * generate_json.c - how the generators write chengyu/1: a write buffer in
 * front of the caller's stream, records built with Jansson and dumped one
 * per line, arrays opened and closed around them, and the document's
 * opening and end.  The JSON is streamed and never held whole.
 */
#include "generate_internal.h"

#include <errno.h>
#include <string.h>

static int writer_flush(gen_writer *w)
{
    if (!w->failed && w->used > 0) {
        errno = 0;
        if (fwrite(w->buf, 1, w->used, w->out) != w->used) {
            w->failed = 1;
            w->saved_errno = errno;
        }
    }
    w->used = 0;
    return w->failed ? -1 : 0;
}

/* Append size bytes; also Jansson's dump callback (returns -1 on error). */
static int writer_write(const char *data, size_t size, void *context)
{
    gen_writer *w = context;
    if (w->failed)
        return -1;
    if (w->used + size > WRITER_CAPACITY && writer_flush(w) != 0)
        return -1;
    if (size > WRITER_CAPACITY) {
        errno = 0;
        if (fwrite(data, 1, size, w->out) != size) {
            w->failed = 1;
            w->saved_errno = errno;
            return -1;
        }
        return 0;
    }
    memcpy(w->buf + w->used, data, size);
    w->used += size;
    return 0;
}

cy_status cy_i_gen_puts(gen_writer *w, const char *text)
{
    return writer_write(text, strlen(text), w) == 0 ? CY_OK : CY_EIO;
}

/* Compact, key order as inserted, shares k / 10000 printed exactly (they
 * have at most four significant digits). */
#define DUMP_FLAGS \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(4))

/* Serialise json (any value) to the writer.  CY_EIO when writing fails. */
cy_status cy_i_gen_dump(gen_writer *w, const json_t *json, size_t extra_flags)
{
    return json_dump_callback(json, writer_write, w, DUMP_FLAGS | extra_flags) == 0
               ? CY_OK
               : CY_EIO;
}

void cy_i_gen_record_begin(gen_record *rec)
{
    rec->object = json_object();
    rec->failed = rec->object == NULL;
}

/* Adds key: value, stealing value (which may be NULL after a failed
 * allocation: json_object_set_new then fails and the record is marked). */
void cy_i_gen_put(gen_record *rec, const char *key, json_t *value)
{
    if (rec->failed) {
        json_decref(value);
        return;
    }
    /* set_new releases value itself when it fails. */
    if (json_object_set_new_nocheck(rec->object, key, value) != 0)
        rec->failed = 1;
}

void cy_i_gen_put_string(gen_record *rec, const char *key, const char *value)
{
    cy_i_gen_put(rec, key, rec->failed ? NULL : json_string_nocheck(value));
}

void cy_i_gen_put_integer(gen_record *rec, const char *key, int64_t value)
{
    cy_i_gen_put(rec, key, rec->failed ? NULL : json_integer((json_int_t)value));
}

/* "\n" before the first element of an array, ",\n" before the others. */
cy_status cy_i_gen_separator(gen_writer *w, int *first)
{
    cy_status status = cy_i_gen_puts(w, *first ? "\n" : ",\n");
    *first = 0;
    return status;
}

/*
 * Write record `rec` as the next element of an array and release it.
 * CY_ENOMEM when building it failed, CY_EIO when writing did.
 */
cy_status cy_i_gen_record_emit(gen_record *rec, gen_writer *w, int *first)
{
    cy_status status = CY_ENOMEM;
    if (!rec->failed) {
        status = cy_i_gen_separator(w, first);
        if (status == CY_OK)
            status = cy_i_gen_dump(w, rec->object, 0);
    }
    json_decref(rec->object);
    rec->object = NULL;
    return status;
}

/* ",\n\"key\":[": every array follows the header's members. */
cy_status cy_i_gen_open_array(gen_writer *w, const char *key)
{
    cy_status status = cy_i_gen_puts(w, ",\n\"");
    if (status == CY_OK)
        status = cy_i_gen_puts(w, key);
    if (status == CY_OK)
        status = cy_i_gen_puts(w, "\":[");
    return status;
}

cy_status cy_i_gen_close_array(gen_writer *w, int empty)
{
    return cy_i_gen_puts(w, empty ? "]" : "\n]");
}


/*
 * The opening of the document: "{" and the members format, name,
 * description and meta, dumped from one object with JSON_EMBED so that its
 * braces are left off and the arrays can follow as further members.  Takes
 * `meta` (released, also when it failed).
 */
cy_status cy_i_gen_write_header(gen_writer *w, const char *name, const char *description,
                                gen_record *meta)
{
    gen_record rec;
    cy_i_gen_record_begin(&rec);
    cy_i_gen_put_string(&rec, "format", CY_FORMAT);
    cy_i_gen_put_string(&rec, "name", name);
    cy_i_gen_put_string(&rec, "description", description);
    if (meta->failed) {
        json_decref(meta->object);
        rec.failed = 1;
    } else {
        cy_i_gen_put(&rec, "meta", meta->object);
    }
    meta->object = NULL;

    cy_status status = CY_ENOMEM;
    if (!rec.failed) {
        status = cy_i_gen_puts(w, "{");
        if (status == CY_OK)
            status = cy_i_gen_dump(w, rec.object, JSON_EMBED);
    }
    json_decref(rec.object);
    return status;
}

/* The end of the document, then a final flush of the caller's stream so
 * that a full disk shows up here. */
cy_status cy_i_gen_finish(gen_writer *w)
{
    cy_status status = cy_i_gen_puts(w, "}\n");
    if (status == CY_OK && writer_flush(w) != 0)
        status = CY_EIO;
    if (status == CY_OK) {
        errno = 0;
        if (fflush(w->out) != 0 || ferror(w->out)) {
            w->failed = 1;
            w->saved_errno = errno;
            status = CY_EIO;
        }
    }
    return status;
}
