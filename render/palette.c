/*
 * palette.c - colours of the diagrams.
 *
 * Categories (sector, region, tier, kind) take light ColorBrewer colours
 * (Set3, with its red and grey left out: red is reserved for weak links,
 * grey for "other"), so black labels stay readable.  Measures take the
 * sequential YlGnBu scale (light = low, dark blue = high; labels on the
 * dark end are drawn white).  Weak links take Reds, graded by the final
 * demand a firm's failure stops.  ColorBrewer: Cynthia Brewer, colorbrewer2.org.
 */
#include "render_internal.h"

#include <stdio.h>

static const cy_r_rgb categorical[] = {
    {0x80, 0xb1, 0xd3}, {0xfd, 0xb4, 0x62}, {0xb3, 0xde, 0x69},
    {0xbe, 0xba, 0xda}, {0xff, 0xff, 0xb3}, {0x8d, 0xd3, 0xc7},
    {0xfc, 0xcd, 0xe5}, {0xe5, 0xc4, 0x94}, {0xbc, 0x80, 0xbd},
    {0xcc, 0xeb, 0xc5}, {0xf6, 0xe8, 0xc3}, {0xc7, 0xea, 0xe5}};
static const cy_r_rgb other_grey = {0xd9, 0xd9, 0xd9};

/* YlGnBu, 9 classes. */
static const cy_r_rgb sequential[] = {
    {0xff, 0xff, 0xd9}, {0xed, 0xf8, 0xb1}, {0xc7, 0xe9, 0xb4},
    {0x7f, 0xcd, 0xbb}, {0x41, 0xb6, 0xc4}, {0x1d, 0x91, 0xc0},
    {0x22, 0x5e, 0xa8}, {0x25, 0x34, 0x94}, {0x08, 0x1d, 0x58}};

/* Reds, 9 classes, without the two lightest (too close to white to read
 * as a mark); each class darker than the one before. */
static const cy_r_rgb reds[] = {
    {0xfc, 0xbb, 0xa1}, {0xfc, 0x92, 0x72}, {0xfb, 0x6a, 0x4a},
    {0xef, 0x3b, 0x2c}, {0xcb, 0x18, 0x1d}, {0xa5, 0x0f, 0x15}, {0x67, 0x00, 0x0d}};

cy_r_rgb cy_r_categorical(size_t k)
{
    _Static_assert(sizeof categorical / sizeof categorical[0] ==
                       CY_R_CATEGORICAL_COUNT,
                   "palette size");
    return k < CY_R_CATEGORICAL_COUNT ? categorical[k] : other_grey;
}

/* Linear interpolation along `count` colours for t in [0, 1]. */
static cy_r_rgb ramp(const cy_r_rgb *colors, size_t count, double t)
{
    const size_t last = count - 1;
    double x;
    size_t k;
    cy_r_rgb a, b, c;
    if (!(t > 0)) /* also NaN */
        return colors[0];
    if (t >= 1)
        return colors[last];
    x = t * (double)last;
    k = (size_t)x;
    x -= (double)k;
    a = colors[k];
    b = colors[k + 1];
    c.r = (unsigned char)(a.r + (b.r - a.r) * x + 0.5);
    c.g = (unsigned char)(a.g + (b.g - a.g) * x + 0.5);
    c.b = (unsigned char)(a.b + (b.b - a.b) * x + 0.5);
    return c;
}

cy_r_rgb cy_r_sequential(double t)
{
    return ramp(sequential, sizeof sequential / sizeof sequential[0], t);
}

cy_r_rgb cy_r_reds(double t)
{
    return ramp(reds, sizeof reds / sizeof reds[0], t);
}

cy_r_rgb cy_r_kind_color(cy_kind kind)
{
    switch (kind) {
    case CY_KIND_OEM: return categorical[1];      /* orange */
    case CY_KIND_SUPPLIER: return categorical[0]; /* blue */
    case CY_KIND_MATERIAL: return categorical[2]; /* green */
    case CY_KIND_SERVICE: return categorical[3];  /* lavender */
    default: return other_grey;
    }
}

void cy_r_rgb_hex(cy_r_rgb c, char out[8])
{
    snprintf(out, 8, "#%02x%02x%02x", c.r, c.g, c.b);
}

int cy_r_is_dark(cy_r_rgb c)
{
    /* Relative luminance (ITU-R BT.709 weights on the gamma-encoded
     * values, close enough for choosing black or white text). */
    double y = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    return y < 110.0;
}
