/*
 * load_document.c - a chengyu/1 document that an importer built in memory
 * (from a workbook or CSV tables) through the loader's DOM path, with
 * every rule and message of a JSON file; then each diagnostic's JSON path,
 * and each path its message cites, turned into the user's place (a sheet
 * and cell, a file, row and column) by the importer's callback.
 */
#include "load_internal.h"

#include <stdio.h>
#include <string.h>

/* Room for a place: a file name, a sheet, a cell and a quoted column. */
#define PLACE_SIZE 1024

/* Whether c may continue a JSON path the loader writes ($.a[3].b). */
static int path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '[' ||
           c == ']' || c == '$';
}

/* The place of `path`, or NULL when the importer has none for it. */
static const char *place_of(const cy_i_document_source *source,
                            const char *path, char out[PLACE_SIZE])
{
    if (!source->place(source->context, path, out, PLACE_SIZE))
        return NULL;
    out[PLACE_SIZE - 1] = '\0';
    return out;
}

/*
 * `message` with each JSON path it cites ("$.links[0]" after a space or
 * '(') replaced by its place.  Returns a new string (cy_malloc), NULL on
 * OOM, or `message` itself when nothing changed.
 */
static char *place_message(const cy_i_document_source *source, char *message)
{
    char *out = message, *copy;
    size_t length = strlen(message);

    for (size_t k = 0; out[k]; k++) {
        char path[PATH_SIZE], place[PLACE_SIZE];
        size_t end = k + 1, place_length;
        if (out[k] != '$' || (k > 0 && out[k - 1] != ' ' && out[k - 1] != '(') ||
            (out[k + 1] != '.' && out[k + 1] != '['))
            continue;
        while (out[end] && path_char(out[end]))
            end++;
        /* A path ends at its last name or index, not at a full stop. */
        while (end > k + 1 && out[end - 1] == '.')
            end--;
        if (end - k >= PATH_SIZE)
            continue;
        memcpy(path, out + k, end - k);
        path[end - k] = '\0';
        if (!place_of(source, path, place))
            continue;
        place_length = strlen(place);
        copy = cy_malloc(length - (end - k) + place_length + 1);
        if (!copy) {
            if (out != message)
                cy_free(out);
            return NULL;
        }
        memcpy(copy, out, k);
        memcpy(copy + k, place, place_length);
        memcpy(copy + k + place_length, out + end, length - end + 1);
        if (out != message)
            cy_free(out);
        out = copy;
        length = length - (end - k) + place_length;
        k += place_length - 1;
    }
    return out;
}

/* Diagnostic d in the user's terms: its place instead of file and path,
 * and the paths its message cites placed too.  0 on OOM (d unchanged or
 * partly placed, still whole). */
static int place_diagnostic(const cy_i_document_source *source, cy_diag *d)
{
    char place[PLACE_SIZE], *message;
    if (d->path && place_of(source, d->path, place)) {
        char *copy = cy_strdup(place);
        if (!copy)
            return 0;
        cy_free(d->path);
        cy_free(d->file);
        d->path = copy;
        d->file = NULL;
    }
    message = place_message(source, d->message);
    if (!message)
        return 0;
    if (message != d->message) {
        cy_free(d->message);
        d->message = message;
    }
    return 1;
}

cy_status cy_i_network_load_document(json_t *document,
                                     const cy_i_document_source *source,
                                     cy_network **out, cy_error *err)
{
    const char *saved_file = err->file;
    size_t first = err->count;
    cy_status status;

    cy_library_init();
    *out = NULL;
    err->file = source ? source->name : NULL;
    if (!document) {
        /* An importer that could not build its document ran out of memory. */
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        err->file = saved_file;
        return CY_ENOMEM;
    }
    status = cy_l_load_root(document, source && source->check_only, out, err);
    err->file = saved_file;
    if (source && source->place) {
        for (size_t i = first; i < err->count; i++)
            if (!place_diagnostic(source, &err->items[i]))
                err->oom = 1;
    }
    return status;
}
