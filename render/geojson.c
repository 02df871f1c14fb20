/*
 * geojson.c - outlines for the map view from a GeoJSON file the user
 * provides (administrative boundaries, park perimeters): Polygon and
 * MultiPolygon geometries, alone, in a Feature or in a FeatureCollection.
 *
 * The file comes from elsewhere, so every limit is checked before the work
 * it bounds: the file size before parsing, Jansson's own nesting limit
 * while parsing, the number of positions, rings and features while
 * walking; every error names the JSON path of the offending value.
 */
#include "render_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct cy_boundaries {
    double *lon, *lat;      /* every kept position */
    size_t point_count, point_cap;
    size_t *ring_start;     /* ring r is points [ring_start[r], ring_start[r+1]) */
    size_t *ring_feature;   /* the feature (index into names) of ring r */
    unsigned char *ring_hole; /* 1 for the inner rings of a polygon */
    size_t ring_count, ring_cap;
    char **names;           /* per feature: properties.name, or NULL */
    size_t feature_count, feature_cap;
};

typedef struct {
    cy_boundaries *b;
    cy_error *err;
    char path[256];         /* JSON path of the value being read */
    cy_status status;
} reader;

/* ---- paths ------------------------------------------------------------ */

static size_t path_push_index(reader *r, size_t k)
{
    size_t len = strlen(r->path);
    snprintf(r->path + len, sizeof r->path - len, "[%zu]", k);
    return len;
}

static size_t path_push_key(reader *r, const char *key)
{
    size_t len = strlen(r->path);
    snprintf(r->path + len, sizeof r->path - len, ".%s", key);
    return len;
}

static void path_pop(reader *r, size_t len)
{
    r->path[len] = '\0';
}

static cy_status fail(reader *r, cy_status status, const char *fmt, const char *a)
{
    if (r->status == CY_OK) {
        cy_error_add(r->err, CY_SEV_ERROR, r->path, fmt, a);
        r->status = status;
    }
    return status;
}

static cy_status oom(reader *r)
{
    return fail(r, CY_ENOMEM, "out of memory reading the boundaries%s", "");
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* ---- building --------------------------------------------------------- */

static cy_status add_point(reader *r, double lon, double lat)
{
    cy_boundaries *b = r->b;
    if (b->point_count >= CY_BOUNDARIES_MAX_POINTS) {
        char limit[32];
        snprintf(limit, sizeof limit, "%d", CY_BOUNDARIES_MAX_POINTS);
        return fail(r, CY_EINPUT, "more than %s positions in the boundaries "
                    "(the limit; simplify the outlines first)", limit);
    }
    if (b->point_count == b->point_cap) {
        size_t cap = b->point_cap;
        if (!cy_i_grow((void **)&b->lon, &cap, b->point_count + 1, sizeof *b->lon) ||
            !cy_i_grow((void **)&b->lat, &b->point_cap, b->point_count + 1,
                       sizeof *b->lat))
            return oom(r);
    }
    b->lon[b->point_count] = lon;
    b->lat[b->point_count] = lat;
    b->point_count++;
    return CY_OK;
}

/* Open a ring (its points follow); the sentinel ring_start[ring_count] is
 * kept up to date so a ring is complete as soon as its points are added. */
static cy_status add_ring(reader *r, int hole)
{
    cy_boundaries *b = r->b;
    if (b->ring_count >= CY_BOUNDARIES_MAX_RINGS) {
        char limit[32];
        snprintf(limit, sizeof limit, "%d", CY_BOUNDARIES_MAX_RINGS);
        return fail(r, CY_EINPUT, "more than %s rings in the boundaries (the limit)",
                    limit);
    }
    if (b->ring_count + 2 > b->ring_cap) {
        size_t c1 = b->ring_cap, c2 = b->ring_cap;
        if (!cy_i_grow((void **)&b->ring_feature, &c1, b->ring_count + 2,
                       sizeof *b->ring_feature) ||
            !cy_i_grow((void **)&b->ring_hole, &c2, b->ring_count + 2,
                       sizeof *b->ring_hole) ||
            !cy_i_grow((void **)&b->ring_start, &b->ring_cap, b->ring_count + 2,
                       sizeof *b->ring_start))
            return oom(r);
    }
    b->ring_start[b->ring_count] = b->point_count;
    b->ring_feature[b->ring_count] = b->feature_count - 1;
    b->ring_hole[b->ring_count] = (unsigned char)hole;
    b->ring_count++;
    return CY_OK;
}

static cy_status add_feature(reader *r, const json_t *properties)
{
    cy_boundaries *b = r->b;
    const json_t *name = json_is_object(properties)
                             ? json_object_get(properties, "name") : NULL;
    if (b->feature_count >= CY_BOUNDARIES_MAX_RINGS) {
        char limit[32];
        snprintf(limit, sizeof limit, "%d", CY_BOUNDARIES_MAX_RINGS);
        return fail(r, CY_EINPUT, "more than %s features in the boundaries (the limit)",
                    limit);
    }
    if (!cy_i_grow((void **)&b->names, &b->feature_cap, b->feature_count + 1,
                   sizeof *b->names))
        return oom(r);
    b->names[b->feature_count] = NULL;
    if (json_is_string(name) && json_string_length(name) > 0) {
        size_t len = json_string_length(name);
        if (len > 200) /* a label, not a document */
            len = 200;
        if (!(b->names[b->feature_count] = cy_malloc(len + 1)))
            return oom(r);
        memcpy(b->names[b->feature_count], json_string_value(name), len);
        b->names[b->feature_count][len] = '\0';
    }
    b->feature_count++;
    return CY_OK;
}

/* ---- reading ---------------------------------------------------------- */

static cy_status read_position(reader *r, const json_t *v)
{
    double lon, lat;
    if (!json_is_array(v) || json_array_size(v) < 2 ||
        !json_is_number(json_array_get(v, 0)) || !json_is_number(json_array_get(v, 1)))
        return fail(r, CY_EINPUT, "expected a position [longitude, latitude], "
                    "found %s", json_is_array(v) ? "another array" : type_name(v));
    lon = json_number_value(json_array_get(v, 0));
    lat = json_number_value(json_array_get(v, 1));
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
        return fail(r, CY_EINPUT, "position out of range (longitude in [-180, 180], "
                    "latitude in [-90, 90])%s", "");
    return add_point(r, lon, lat);
}

static cy_status read_ring(reader *r, const json_t *ring, int hole)
{
    size_t n;
    if (!json_is_array(ring))
        return fail(r, CY_EINPUT, "expected a linear ring (an array of positions), "
                    "found %s", type_name(ring));
    n = json_array_size(ring);
    if (n < 4)
        return fail(r, CY_EINPUT, "a linear ring needs at least 4 positions%s", "");
    if (add_ring(r, hole) != CY_OK)
        return r->status;
    for (size_t k = 0; k < n; k++) {
        size_t mark = path_push_index(r, k);
        if (read_position(r, json_array_get(ring, k)) != CY_OK)
            return r->status;
        path_pop(r, mark);
    }
    r->b->ring_start[r->b->ring_count] = r->b->point_count;
    return CY_OK;
}

/* A Polygon's coordinates: an outer ring, then holes. */
static cy_status read_polygon(reader *r, const json_t *rings)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        return fail(r, CY_EINPUT, "expected a Polygon's rings (a non-empty array), "
                    "found %s", json_is_array(rings) ? "an empty array" : type_name(rings));
    for (size_t k = 0; k < json_array_size(rings); k++) {
        size_t mark = path_push_index(r, k);
        if (read_ring(r, json_array_get(rings, k), k > 0) != CY_OK)
            return r->status;
        path_pop(r, mark);
    }
    return CY_OK;
}

static cy_status read_geometry(reader *r, const json_t *geometry)
{
    const json_t *type = json_object_get(geometry, "type");
    const json_t *coords = json_object_get(geometry, "coordinates");
    const char *t;
    size_t mark;
    if (!json_is_object(geometry))
        return fail(r, CY_EINPUT, "expected a geometry object, found %s",
                    type_name(geometry));
    if (!json_is_string(type)) {
        mark = path_push_key(r, "type");
        return fail(r, CY_EINPUT, "expected the geometry type, a string, found %s",
                    type ? type_name(type) : "nothing");
    }
    t = json_string_value(type);
    mark = path_push_key(r, "coordinates");
    if (strcmp(t, "Polygon") == 0) {
        if (read_polygon(r, coords) != CY_OK)
            return r->status;
    } else if (strcmp(t, "MultiPolygon") == 0) {
        if (!json_is_array(coords))
            return fail(r, CY_EINPUT, "expected a MultiPolygon's polygons (an array), "
                        "found %s", coords ? type_name(coords) : "nothing");
        for (size_t k = 0; k < json_array_size(coords); k++) {
            size_t inner = path_push_index(r, k);
            if (read_polygon(r, json_array_get(coords, k)) != CY_OK)
                return r->status;
            path_pop(r, inner);
        }
    } else {
        path_pop(r, mark);
        path_push_key(r, "type");
        return fail(r, CY_EINPUT, "unsupported geometry type \"%.40s\" (Polygon or "
                    "MultiPolygon)", t);
    }
    path_pop(r, mark);
    return CY_OK;
}

/* A Feature: its geometry may be null (a feature without a place). */
static cy_status read_feature(reader *r, const json_t *feature)
{
    const json_t *geometry;
    size_t mark;
    if (!json_is_object(feature) ||
        !json_is_string(json_object_get(feature, "type")) ||
        strcmp(json_string_value(json_object_get(feature, "type")), "Feature") != 0)
        return fail(r, CY_EINPUT, "expected a Feature object, found %s",
                    json_is_object(feature) ? "another object" : type_name(feature));
    if (add_feature(r, json_object_get(feature, "properties")) != CY_OK)
        return r->status;
    geometry = json_object_get(feature, "geometry");
    if (!geometry || json_is_null(geometry))
        return CY_OK;
    mark = path_push_key(r, "geometry");
    if (read_geometry(r, geometry) != CY_OK)
        return r->status;
    path_pop(r, mark);
    return CY_OK;
}

static cy_status read_root(reader *r, const json_t *root)
{
    const json_t *type = json_object_get(root, "type");
    const char *t = json_is_string(type) ? json_string_value(type) : NULL;
    if (!json_is_object(root) || !t)
        return fail(r, CY_EINPUT, "expected a GeoJSON object with a \"type\", found %s",
                    json_is_object(root) ? "an object without one" : type_name(root));
    if (strcmp(t, "FeatureCollection") == 0) {
        const json_t *features = json_object_get(root, "features");
        size_t mark = path_push_key(r, "features");
        if (!json_is_array(features))
            return fail(r, CY_EINPUT, "expected an array of features, found %s",
                        features ? type_name(features) : "nothing");
        for (size_t k = 0; k < json_array_size(features); k++) {
            size_t inner = path_push_index(r, k);
            if (read_feature(r, json_array_get(features, k)) != CY_OK)
                return r->status;
            path_pop(r, inner);
        }
        path_pop(r, mark);
        return CY_OK;
    }
    if (strcmp(t, "Feature") == 0)
        return read_feature(r, root);
    if (add_feature(r, NULL) != CY_OK)
        return r->status;
    return read_geometry(r, root);
}

/* ---- entry points ----------------------------------------------------- */

void cy_boundaries_free(cy_boundaries *b)
{
    if (!b)
        return;
    for (size_t k = 0; k < b->feature_count; k++)
        cy_free(b->names[k]);
    cy_free(b->names);
    cy_free(b->lon);
    cy_free(b->lat);
    cy_free(b->ring_start);
    cy_free(b->ring_feature);
    cy_free(b->ring_hole);
    cy_free(b);
}

cy_status cy_boundaries_parse(const char *data, size_t size, cy_boundaries **out,
                              cy_error *err)
{
    reader r;
    json_error_t jerr;
    json_t *root = NULL;
    unsigned long failures;

    *out = NULL;
    cy_library_init();
    memset(&r, 0, sizeof r);
    r.err = err;
    snprintf(r.path, sizeof r.path, "$");
    if (size > CY_BOUNDARIES_MAX_BYTES) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "boundaries: %zu bytes, more than the "
                     "limit of %d MB", size, CY_BOUNDARIES_MAX_BYTES >> 20);
        return CY_EINPUT;
    }
    failures = cy_i_alloc_failures();
    root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
    /* Jansson may report a failed allocation as a syntax error, or drop a
     * character silently: any failure while parsing is out of memory. */
    if (cy_i_alloc_failures() != failures ||
        (!root && json_error_code(&jerr) == json_error_out_of_memory)) {
        json_decref(root);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory reading the boundaries");
        return CY_ENOMEM;
    }
    if (!root) {
        cy_error_add_at(err, CY_SEV_ERROR, jerr.line, jerr.column, "boundaries: %s",
                        json_error_code(&jerr) == json_error_stack_overflow
                            ? "nesting deeper than the parser's limit" : jerr.text);
        return CY_EINPUT;
    }
    if (!(r.b = cy_calloc(1, sizeof *r.b))) {
        json_decref(root);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory reading the boundaries");
        return CY_ENOMEM;
    }
    r.status = CY_OK;
    read_root(&r, root);
    json_decref(root);
    if (r.status != CY_OK) {
        cy_boundaries_free(r.b);
        return r.status;
    }
    *out = r.b;
    return CY_OK;
}

cy_status cy_boundaries_load(const char *path, cy_boundaries **out, cy_error *err)
{
    const char *saved_file = err->file;
    char *data = NULL;
    size_t size = 0;
    cy_status status;

    *out = NULL;
    cy_library_init();
    /* Read as the loader reads a network: a regular file only (a FIFO or
     * /dev/zero refused before anything is read), a read error said as
     * such; the limit is the boundaries' own, not CHENGYU_MAX_INPUT_BYTES. */
    err->file = path;
    status = cy_i_read_input(path, CY_BOUNDARIES_MAX_BYTES, " for boundaries", &data, &size,
                             err);
    /* The file names the parse's problems too ("b.geojson: $.features[2]"). */
    if (status == CY_OK)
        status = cy_boundaries_parse(data, size, out, err);
    err->file = saved_file;
    cy_free(data);
    return status;
}

size_t cy_boundaries_ring_count(const cy_boundaries *b)
{
    return b ? b->ring_count : 0;
}

size_t cy_boundaries_point_count(const cy_boundaries *b)
{
    return b ? b->point_count : 0;
}

/* ---- for map.c -------------------------------------------------------- */

size_t cy_r_boundaries_ring(const cy_boundaries *b, size_t r, const double **lon,
                            const double **lat, int *hole, const char **name)
{
    *lon = b->lon + b->ring_start[r];
    *lat = b->lat + b->ring_start[r];
    *hole = b->ring_hole[r];
    *name = b->names[b->ring_feature[r]];
    return b->ring_start[r + 1] - b->ring_start[r];
}

size_t cy_r_boundaries_feature(const cy_boundaries *b, size_t r)
{
    return b->ring_feature[r];
}
