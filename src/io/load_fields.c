/*
 * load_fields.c - the loader's small tools: values quoted for messages,
 * the type of a JSON value in words, and the readers of one field of a
 * record (keys allowed and required, strings, names, numbers in a range,
 * locations, interned sources, duplicate marks).  Every reader reports a
 * problem with the field's JSON path and lets the loader go on.
 */
#include "load_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- message helpers ------------------------------------------------- */

/*
 * Quote a user string for a message: at most ~80 bytes (cut on a UTF-8
 * boundary, "..." appended), with '"' and '\' escaped.  Control bytes are
 * left for cy_error_format to neutralise.
 */
const char *cy_l_show(const char *s, char buf[SHOW_SIZE])
{
    size_t out = 0, i = 0;
    buf[out++] = '"';
    while (s[i] && out < 84) {
        if (s[i] == '"' || s[i] == '\\')
            buf[out++] = '\\';
        buf[out++] = s[i++];
    }
    if (s[i]) {
        /* Step back to the start of a UTF-8 sequence before cutting. */
        while (out > 1 && ((unsigned char)buf[out - 1] & 0xc0) == 0x80)
            out--;
        if (out > 1 && (unsigned char)buf[out - 1] >= 0xc0)
            out--;
        memcpy(buf + out, "...", 3);
        out += 3;
    }
    buf[out++] = '"';
    buf[out] = '\0';
    return buf;
}

/*
 * A number as the user would have written it: the shortest %g form that
 * reads back as the same double (29.6, not 29.600000000000001), a whole
 * number without an exponent when that is no longer (90, not 9e+01).
 */
const char *cy_l_show_number(double x, char buf[NUMBER_SIZE])
{
    char plain[NUMBER_SIZE];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, NUMBER_SIZE, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    /* A whole number whose exponent form is no shorter is written plainly:
     * 90, not 9e+01 (but 1.2e+11, not 120000000000). */
    if (strchr(buf, 'e') && x == floor(x) && fabs(x) < 1e15 &&
        (size_t)snprintf(plain, sizeof plain, "%.0f", x) <= strlen(buf))
        memcpy(buf, plain, strlen(plain) + 1);
    return buf;
}

const char *cy_l_did_you_mean(const char *suggestion, char hint[SHOW_SIZE + 32])
{
    char shown[SHOW_SIZE];
    if (!suggestion)
        return "";
    snprintf(hint, SHOW_SIZE + 32, "; did you mean %s?", cy_l_show(suggestion, shown));
    return hint;
}

const char *cy_l_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/*
 * The path of an unknown key: $.a.key for plain keys, $.a["odd key"]
 * otherwise, with the key shortened like a shown value.
 */
static void path_unknown_key(char out[PATH_SIZE], const char *base,
                             const char *key)
{
    char shown[SHOW_SIZE];
    int plain = (key[0] != '\0');
    for (const char *p = key; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            plain = 0;
    }
    if (plain && strlen(key) <= 64)
        snprintf(out, PATH_SIZE, "%s.%s", base, key);
    else
        snprintf(out, PATH_SIZE, "%s[%s]", base, cy_l_show(key, shown));
}

/* ---- field readers --------------------------------------------------- */

/*
 * Report keys outside `allowed` (in the object's order) and required keys
 * that are missing (in `required` order), keeping the value of each
 * allowed key for cy_l_field().  Records usually list their keys in the order
 * of `allowed`, so the search for each key starts after the previous
 * match and mostly succeeds at once.
 */
/* The allowed key nearest to an unknown one (a typo: "nmae"), or NULL. */
static const char *nearest_key(const char *key, const char *const *allowed)
{
    cy_suggester s;
    cy_suggester_init(&s, key, CY_SUGGEST_DISTANCE);
    for (; *allowed; allowed++)
        cy_suggester_offer(&s, *allowed);
    return cy_suggester_best(&s);
}

void cy_l_check_keys(loader *L, json_t *obj, const char *path,
                     const char *const *allowed, const char *const *required)
{
    const char *key;
    json_t *value;
    char at[PATH_SIZE];
    size_t count = 0, hint = 0;

    while (allowed[count])
        count++;
    L->fields_of = obj;
    L->fields_keys = allowed;
    memset(L->fields, 0, sizeof L->fields);
    json_object_foreach(obj, key, value) {
        size_t k = hint, tries = 0;
        for (; tries < count; tries++, k = (k + 1 == count) ? 0 : k + 1) {
            if (allowed[k][0] == key[0] && strcmp(allowed[k], key) == 0)
                break;
        }
        if (tries == count) {
            char hint[SHOW_SIZE + 32];
            path_unknown_key(at, path, key);
            ERROR(L, at, "unknown key%s", cy_l_did_you_mean(nearest_key(key, allowed), hint));
            continue;
        }
        L->fields[k] = value;
        hint = (k + 1 == count) ? 0 : k + 1;
    }
    for (const char *const *r = required; *r; r++) {
        if (!cy_l_field(L, obj, *r)) {
            char shown[SHOW_SIZE];
            ERROR(L, path, "missing required field %s", cy_l_show(*r, shown));
        }
    }
}

/*
 * Read an optional string field.  Returns 1 and sets *out when present and
 * valid, 0 when absent, -1 after reporting a problem.  Strings with an
 * embedded NUL are refused (Jansson already refuses "\u0000" unless asked
 * not to; this guards the C-string view).
 */
int cy_l_get_string(loader *L, json_t *obj, const char *key,
                    const char *path, const char **out)
{
    json_t *v = cy_l_field(L, obj, key);
    char at[PATH_SIZE];
    if (!v)
        return 0;
    cy_l_path_key(at, path, key);
    if (!json_is_string(v)) {
        ERROR(L, at, "expected a string, got %s", cy_l_type_name(v));
        return -1;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        ERROR(L, at, "string contains a NUL character");
        return -1;
    }
    *out = json_string_value(v);
    return 1;
}

/* A string that names something: non-empty, at most CY_ID_MAX_BYTES. */
int cy_l_check_name_like(loader *L, const char *at, const char *s,
                         const char *what)
{
    size_t len = strlen(s);
    if (len == 0) {
        ERROR(L, at, "%s must not be empty", what);
        return 0;
    }
    if (len > CY_ID_MAX_BYTES) {
        char shown[SHOW_SIZE];
        ERROR(L, at, "%s %s is %zu bytes long (at most %d)", what,
              cy_l_show(s, shown), len, CY_ID_MAX_BYTES);
        return 0;
    }
    return 1;
}

int cy_l_get_name_like(loader *L, json_t *obj, const char *key,
                       const char *path, const char *what, const char **out)
{
    char at[PATH_SIZE];
    int got = cy_l_get_string(L, obj, key, path, out);
    if (got <= 0)
        return got;
    cy_l_path_key(at, path, key);
    return cy_l_check_name_like(L, at, *out, what) ? 1 : -1;
}

/*
 * Read an optional number in [min, max] (min excluded when min_open).
 * Returns 1/0/-1 like cy_l_get_string.
 */
int cy_l_get_number(loader *L, json_t *obj, const char *key,
                    const char *path, double min, int min_open, double max,
                    double *out)
{
    json_t *v = cy_l_field(L, obj, key);
    char at[PATH_SIZE], a[NUMBER_SIZE], b[NUMBER_SIZE], c[NUMBER_SIZE];
    double x;
    if (!v)
        return 0;
    cy_l_path_key(at, path, key);
    if (!json_is_number(v)) {
        ERROR(L, at, "expected a number, got %s", cy_l_type_name(v));
        return -1;
    }
    x = json_number_value(v);
    if (!isfinite(x)) {
        ERROR(L, at, "number is not finite");
        return -1;
    }
    if (x < min || (min_open && x == min) || x > max) {
        if (min == 0 && max == HUGE_VAL)
            ERROR(L, at, "must be %s 0, got %s", min_open ? ">" : ">=",
                  cy_l_show_number(x, a));
        else
            ERROR(L, at, "must be in %s%s, %s], got %s", min_open ? "(" : "[",
                  cy_l_show_number(min, a), cy_l_show_number(max, b),
                  cy_l_show_number(x, c));
        return -1;
    }
    *out = x;
    return 1;
}

/*
 * Each output_value and volume is finite, but analyses add them up (totals,
 * the value lost in a cascade, volumes per firm edge): refuse a file whose
 * sum over all records is not finite, once, at the record where it stops
 * being so.  Values are >= 0, so then every partial sum stays finite too.
 */
void cy_l_add_to_total(loader *L, double *total, double value,
                       const char *path, const char *key)
{
    char at[PATH_SIZE];
    if (!isfinite(*total))
        return;
    *total += value;
    if (!isfinite(*total)) {
        cy_l_path_key(at, path, key);
        ERROR(L, at, "the %ss of the file sum to more than %g, the largest "
              "number: totals would be infinite", key, DBL_MAX);
    }
}

int cy_l_get_boolean(loader *L, json_t *obj, const char *key, const char *path,
                     int *out)
{
    json_t *v = cy_l_field(L, obj, key);
    char at[PATH_SIZE];
    if (!v)
        return 0;
    if (!json_is_boolean(v)) {
        cy_l_path_key(at, path, key);
        ERROR(L, at, "expected true or false, got %s", cy_l_type_name(v));
        return -1;
    }
    *out = json_is_true(v);
    return 1;
}

int cy_l_get_location(loader *L, json_t *obj, const char *path, double *lon,
                      double *lat)
{
    json_t *v = cy_l_field(L, obj, "location");
    char at[PATH_SIZE], a[NUMBER_SIZE], b[NUMBER_SIZE];
    if (!v)
        return 0;
    cy_l_path_key(at, path, "location");
    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1))) {
        ERROR(L, at, "expected [longitude, latitude]");
        return -1;
    }
    *lon = json_number_value(json_array_get(v, 0));
    *lat = json_number_value(json_array_get(v, 1));
    if (!(*lon >= -180 && *lon <= 180) || !(*lat >= -90 && *lat <= 90)) {
        ERROR(L, at, "longitude must be in [-180, 180] and latitude in "
                     "[-90, 90], got [%s, %s]", cy_l_show_number(*lon, a),
              cy_l_show_number(*lat, b));
        return -1;
    }
    return 1;
}

const char *cy_l_intern_source(loader *L, const char *s)
{
    long k;
    /* Most records of a file share one source ("illustrative"). */
    if (L->last_source && strcmp(s, L->last_source) == 0)
        return L->last_source;
    k = cy_i_strtab_intern(&L->net->sources, s, strlen(s), NULL);
    if (k < 0) {
        L->oom = 1;
        return NULL;
    }
    return L->last_source = L->net->sources.strings[k];
}

char *cy_l_dup(loader *L, const char *s)
{
    char *copy = cy_strdup(s);
    if (!copy)
        L->oom = 1;
    return copy;
}

/*
 * Mark item k (a part or cluster index) as seen in the list being read.
 * Returns 1 when it was already seen in this list, 0 when new, -1 on OOM.
 * Each list starts a new round (++L->mark_round) so that marks never need
 * clearing: duplicates cost O(1) per item, not a scan of the list (a list
 * of 50,000 parts took 13 s with the scan).
 */
int cy_l_mark_seen(loader *L, size_t **marks, size_t *cap, size_t k)
{
    if (k >= *cap) {
        size_t old = *cap;
        if (!cy_i_grow((void **)marks, cap, k + 1, sizeof **marks)) {
            L->oom = 1;
            return -1;
        }
        memset(*marks + old, 0, (*cap - old) * sizeof **marks);
    }
    if ((*marks)[k] == L->mark_round)
        return 1;
    (*marks)[k] = L->mark_round;
    return 0;
}
