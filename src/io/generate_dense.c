/*
 * generate_dense.c - the dense preset: an unlayered network in the shape of
 * a real inter-firm transaction network (the kind a bank's payment records
 * or a credit bureau's supplier lists give), where nothing says which tier
 * a firm is on, firms sit in no park, every link carries one part name, and
 * many pairs of firms buy from each other.
 *
 *   firms   n firms, the first `oems` of kind "oem" (makers of final goods),
 *           the others "supplier".  Each has a heavy-tailed size (tail
 *           exponent 4/3; OEMs start ten times larger) and a region drawn
 *           by the preset's weights (the two poles).
 *   links   Every firm first trades with one partner picked by size, in a
 *           random direction, so that no firm is without a link; then
 *           links whose supplier and customer are both picked by size
 *           (a hub sells and buys a lot) until there are DENSE_LINKS_PERMILLE
 *           / 1000 per firm; then DENSE_MUTUAL_PERMILLE of those are
 *           answered by a link the other way: firms that supply each other.
 *           Every link carries the part DENSE_PART.
 *   money   A link's volume is sqrt(size of supplier x size of customer)
 *           times 500-1,500 yuan; a firm's output value is what it sells in
 *           the network plus its sales outside it (final sales for OEMs).
 *
 * Like the layered model, every draw is an integer one from the seeded
 * streams, so the same parameters give the same bytes on every machine.
 */
#include "generate_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one part name of every link. */
#define DENSE_PART "goods"
/* Links per firm before the mutual ones, per mille: 2,300 for 800 firms. */
#define DENSE_LINKS_PERMILLE 2875
/* Links answered by one the other way, per mille: about 600 for 800 firms
 * so that about 2,900 links come out, 40% of them in mutual pairs. */
#define DENSE_MUTUAL_PERMILLE 285
/* Firm sizes: the scale of suppliers and OEMs, and the cap of both. */
#define DENSE_SIZE_SCALE 1000
#define DENSE_OEM_SIZE_SCALE 10000
#define DENSE_SIZE_CAP 100000

typedef struct {
    int32_t from, to;
    int64_t volume;
} dense_link;

typedef struct {
    const gen_model *m;
    size_t n;
    uint64_t *size;      /* per firm */
    uint64_t *cum;       /* cumulative sizes, for picks by size */
    int64_t *output;     /* per firm: sales in the network, then output value */
    uint16_t *region;
    unsigned char *linked;
    dense_link *links;
    size_t link_count, link_capacity;
    uint64_t *pairs;     /* open addressing: (from << 32 | to) + 1, 0 = empty */
    size_t pair_mask;
} dense_net;

static void dense_free(dense_net *d)
{
    cy_free(d->size);
    cy_free(d->cum);
    cy_free(d->output);
    cy_free(d->region);
    cy_free(d->linked);
    cy_free(d->links);
    cy_free(d->pairs);
}

static uint64_t pair_key(size_t from, size_t to)
{
    return (((uint64_t)from << 32) | (uint64_t)to) + 1;
}

/* The slot of key in the pair set: where it is, or the empty one where it
 * would go.  The set is never more than half full. */
static size_t pair_slot(const dense_net *d, uint64_t key)
{
    size_t h = (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & d->pair_mask;
    while (d->pairs[h] != 0 && d->pairs[h] != key)
        h = (h + 1) & d->pair_mask;
    return h;
}

static int has_link(const dense_net *d, size_t from, size_t to)
{
    return d->pairs[pair_slot(d, pair_key(from, to))] != 0;
}

/* Add the link from -> to unless it is a loop or exists; 1 when added. */
static int add_link(dense_net *d, size_t from, size_t to)
{
    uint64_t key = pair_key(from, to);
    size_t slot = pair_slot(d, key);
    if (from == to || d->pairs[slot] != 0 || d->link_count == d->link_capacity)
        return 0;
    d->pairs[slot] = key;
    d->links[d->link_count].from = (int32_t)from;
    d->links[d->link_count].to = (int32_t)to;
    d->link_count++;
    d->linked[from] = d->linked[to] = 1;
    return 1;
}

/* Sizes and regions of the firms; then room for the links: the base links
 * and at most as many mutual ones. */
static cy_status dense_firms(dense_net *d)
{
    gen_rng rng;
    size_t n = d->n, base = n * DENSE_LINKS_PERMILLE / 1000, slots = 4;

    d->size = cy_malloc(n * sizeof *d->size);
    d->cum = cy_malloc(n * sizeof *d->cum);
    d->output = cy_calloc(n, sizeof *d->output);
    d->region = cy_malloc(n * sizeof *d->region);
    d->linked = cy_calloc(n, 1);
    d->link_capacity = 2 * (base > n ? base : n);
    d->links = cy_malloc(d->link_capacity * sizeof *d->links);
    while (slots < 2 * d->link_capacity)
        slots *= 2;
    d->pairs = cy_calloc(slots, sizeof *d->pairs);
    d->pair_mask = slots - 1;
    if (!d->size || !d->cum || !d->output || !d->region || !d->linked || !d->links ||
        !d->pairs)
        return CY_ENOMEM;

    rng_seed(&rng, d->m->seed, STREAM_DENSE_FIRMS);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t scale = i < d->m->auto_oems ? DENSE_OEM_SIZE_SCALE : DENSE_SIZE_SCALE;
        d->size[i] = draw_pareto43(&rng, scale, DENSE_SIZE_CAP);
        total += d->size[i];
        d->cum[i] = total;
        d->region[i] = cy_i_gen_draw_region(d->m, &rng);
    }
    return CY_OK;
}

/* The links: one for every firm, the base links by size, the mutual ones
 * (see the top of the file). */
static void dense_links(dense_net *d)
{
    gen_rng rng;
    size_t n = d->n, target = n * DENSE_LINKS_PERMILLE / 1000;
    rng_seed(&rng, d->m->seed, STREAM_DENSE_LINKS);

    for (size_t i = 0; i < n; i++) {
        for (int attempt = 0; !d->linked[i] && attempt < SAMPLE_ATTEMPTS; attempt++) {
            size_t j = pick_weighted(&rng, d->cum, 0, 0, n);
            if (rng_chance(&rng, 500))
                add_link(d, i, j);
            else
                add_link(d, j, i);
        }
        if (!d->linked[i]) /* a firm without links has every pair free */
            add_link(d, i, (i + 1) % n);
    }
    for (size_t budget = SAMPLE_ATTEMPTS * target; d->link_count < target && budget > 0;
         budget--) {
        size_t from = pick_weighted(&rng, d->cum, 0, 0, n);
        add_link(d, from, pick_weighted(&rng, d->cum, 0, 0, n));
    }
    size_t base = d->link_count;
    for (size_t k = 0; k < base; k++)
        if (rng_chance(&rng, DENSE_MUTUAL_PERMILLE))
            add_link(d, (size_t)d->links[k].to, (size_t)d->links[k].from);
}

/* Links grouped by customer, suppliers in firm order. */
static int link_cmp(const void *a, const void *b)
{
    const dense_link *x = a, *y = b;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return x->from < y->from ? -1 : (x->from > y->from);
}

/* Volumes (in file order) and output values. */
static void dense_money(dense_net *d)
{
    gen_rng rng;
    rng_seed(&rng, d->m->seed, STREAM_DENSE_MONEY);
    qsort(d->links, d->link_count, sizeof *d->links, link_cmp);
    for (size_t k = 0; k < d->link_count; k++) {
        dense_link *l = &d->links[k];
        uint64_t base = isqrt64(d->size[l->from] * d->size[l->to]);
        l->volume = (int64_t)(base * rng_range(&rng, 500, 1500));
        d->output[l->from] += l->volume;
    }
    for (size_t i = 0; i < d->n; i++)
        d->output[i] += (int64_t)(i < d->m->auto_oems
                                      ? draw_pareto43(&rng, UINT64_C(2500000000),
                                                      UINT64_C(300000000000))
                                      : draw_pareto2(&rng, 5000000, 500000000));
}

/* Pairs of firms with links both ways. */
static size_t mutual_pairs(const dense_net *d)
{
    size_t both = 0;
    for (size_t k = 0; k < d->link_count; k++)
        both += has_link(d, (size_t)d->links[k].to, (size_t)d->links[k].from);
    return both / 2;
}

static void firm_id(const dense_net *d, size_t i, char *buf, size_t size)
{
    int width = max_int(3, digits_of(d->n));
    snprintf(buf, size, "firm-%0*zu", width > 12 ? 12 : width, i + 1);
}

static cy_status write_header(const dense_net *d, gen_writer *w)
{
    char name[160], description[768], seed[32];
    const char *preset = d->m->preset->name;
    snprintf(seed, sizeof seed, "%" PRIu64, d->m->seed);
    snprintf(name, sizeof name, "Synthetic dense transaction network (%s preset, seed %s)",
             preset, seed);
    snprintf(description, sizeof description,
             "Synthetic network made by chengyu generate (preset %s, seed %s) in the "
             "shape of a real inter-firm transaction network: heavy-tailed degrees, "
             "many mutual supplier-customer pairs, no tiers, no parks, and one part "
             "name (\"%s\") on every link. Every enterprise and link is illustrative: "
             "no record describes a real firm.", preset, seed, DENSE_PART);

    gen_record meta;
    cy_i_gen_record_begin(&meta);
    cy_i_gen_put_string(&meta, "generator", "chengyu generate");
    cy_i_gen_put_string(&meta, "preset", preset);
    cy_i_gen_put_string(&meta, "seed", seed);
    cy_i_gen_put_integer(&meta, "oems", (int64_t)d->m->auto_oems);
    cy_i_gen_put_integer(&meta, "firms", (int64_t)d->n);
    cy_i_gen_put_integer(&meta, "links", (int64_t)d->link_count);
    cy_i_gen_put_integer(&meta, "mutual_pairs", (int64_t)mutual_pairs(d));
    return cy_i_gen_write_header(w, name, description, &meta);
}

static cy_status write_regions(const dense_net *d, gen_writer *w)
{
    int first = 1;
    cy_status status = cy_i_gen_open_array(w, "regions");
    for (size_t r = 0; status == CY_OK && r < d->m->region_count; r++) {
        gen_record rec;
        cy_i_gen_record_begin(&rec);
        cy_i_gen_put_string(&rec, "id", cy_i_gen_regions[r].id);
        cy_i_gen_put_string(&rec, "name", cy_i_gen_regions[r].name);
        cy_i_gen_put_string(&rec, "source", "illustrative");
        status = cy_i_gen_record_emit(&rec, w, &first);
    }
    return status == CY_OK ? cy_i_gen_close_array(w, first) : status;
}

/* Enterprise records: id, kind, region, output_value, the stress-test
 * fields (capacity, inventory_days, recovery_days on about half; unless
 * left out), produces, source; no tier, park or clusters, and no requires
 * (the links' part). */
static cy_status write_enterprises(const dense_net *d, gen_writer *w)
{
    int first = 1;
    char id[32];
    gen_rng stress;
    cy_i_gen_stress_init(&stress, d->m->seed);
    cy_status status = cy_i_gen_open_array(w, "enterprises");
    for (size_t i = 0; status == CY_OK && i < d->n; i++) {
        gen_record rec;
        json_t *produces = json_array();
        firm_id(d, i, id, sizeof id);
        cy_i_gen_record_begin(&rec);
        cy_i_gen_put_string(&rec, "id", id);
        cy_i_gen_put_string(&rec, "kind", cy_kind_name(i < d->m->auto_oems ? CY_KIND_OEM
                                                                          : CY_KIND_SUPPLIER));
        cy_i_gen_put_string(&rec, "region", cy_i_gen_regions[d->region[i]].id);
        cy_i_gen_put_integer(&rec, "output_value", d->output[i]);
        if (d->m->stress_fields)
            cy_i_gen_put_stress(&rec, &stress,
                                i < d->m->auto_oems ? GEN_STRESS_OEM : GEN_STRESS_SUPPLIER,
                                d->output[i]);
        if (produces != NULL &&
            json_array_append_new(produces, json_string_nocheck(DENSE_PART)) != 0)
            rec.failed = 1;
        cy_i_gen_put(&rec, "produces", produces);
        cy_i_gen_put_string(&rec, "source", "illustrative");
        status = cy_i_gen_record_emit(&rec, w, &first);
    }
    return status == CY_OK ? cy_i_gen_close_array(w, first) : status;
}

static cy_status write_links(const dense_net *d, gen_writer *w)
{
    int first = 1;
    char from[32], to[32];
    cy_status status = cy_i_gen_open_array(w, "links");
    for (size_t k = 0; status == CY_OK && k < d->link_count; k++) {
        gen_record rec;
        firm_id(d, (size_t)d->links[k].from, from, sizeof from);
        firm_id(d, (size_t)d->links[k].to, to, sizeof to);
        cy_i_gen_record_begin(&rec);
        cy_i_gen_put_string(&rec, "from", from);
        cy_i_gen_put_string(&rec, "to", to);
        cy_i_gen_put_string(&rec, "part", DENSE_PART);
        cy_i_gen_put_integer(&rec, "volume", d->links[k].volume);
        cy_i_gen_put_string(&rec, "source", "illustrative");
        status = cy_i_gen_record_emit(&rec, w, &first);
    }
    return status == CY_OK ? cy_i_gen_close_array(w, first) : status;
}

cy_status cy_i_gen_dense(const gen_model *m, gen_writer *w)
{
    dense_net d;
    memset(&d, 0, sizeof d);
    d.m = m;
    d.n = m->firm_count;
    cy_status status = dense_firms(&d);
    if (status == CY_OK) {
        dense_links(&d);
        dense_money(&d);
        status = write_header(&d, w);
    }
    if (status == CY_OK)
        status = write_regions(&d, w);
    if (status == CY_OK)
        status = write_enterprises(&d, w);
    if (status == CY_OK)
        status = write_links(&d, w);
    if (status == CY_OK)
        status = cy_i_gen_finish(w);
    dense_free(&d);
    return status;
}
