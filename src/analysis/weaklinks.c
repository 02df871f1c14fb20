/*
 * weaklinks.c - the weak-link report model behind `chengyu weak-links`.
 *
 * One pass per section over the model's adjacency indexes: single-sourced
 * (customer, part) pairs, supply concentration per part, local supply of
 * OEMs and clusters, cross-region flows and second-source recommendations
 * are computed here; the cascade impacts, chokepoints, articulation points
 * and bridges come from the resilience module (cascade.c, structure.c) and
 * are only ranked and cross-referenced here.  The formulas are documented
 * in docs/analyses.md ("Weak links").  The writers live in report_*.c.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cy_weak_type_name(cy_weak_type type)
{
    switch (type) {
    case CY_WEAK_SINGLE_SOURCE: return "single_source";
    case CY_WEAK_CHOKEPOINT: return "chokepoint";
    case CY_WEAK_ARTICULATION_POINT: return "articulation_point";
    case CY_WEAK_BRIDGE: return "bridge";
    default: return "unknown";
    }
}

/* ---- the Chengdu-Chongqing circle ------------------------------------ */

/*
 * The places of the Chengdu-Chongqing economic circle as defined by the
 * 2021 plan (成渝地区双城经济圈建设规划纲要): 27 districts and counties of
 * Chongqing plus parts of Kaizhou and Yunyang, and 15 cities of Sichuan.
 * A region whose id or name is one of these names (or starts with it
 * followed by '-') is inside the circle.  "sichuan" stands for a region
 * that covers Sichuan without naming a city; it is counted inside because
 * 15 of Sichuan's 21 prefecture-level divisions, and nearly all of its
 * manufacturing, are in the circle (documented as an approximation).
 */
typedef struct {
    const char *latin;
    const char *zh;
    cy_circle_zone zone;
} circle_place;

static const circle_place circle_places[] = {
    {"chongqing", "重庆", CY_CIRCLE_CHONGQING},
    {"liangjiang", "两江", CY_CIRCLE_CHONGQING},
    {"yuzhong", "渝中", CY_CIRCLE_CHONGQING},
    {"dadukou", "大渡口", CY_CIRCLE_CHONGQING},
    {"jiangbei", "江北", CY_CIRCLE_CHONGQING},
    {"shapingba", "沙坪坝", CY_CIRCLE_CHONGQING},
    {"jiulongpo", "九龙坡", CY_CIRCLE_CHONGQING},
    {"nanan", "南岸", CY_CIRCLE_CHONGQING},
    {"beibei", "北碚", CY_CIRCLE_CHONGQING},
    {"yubei", "渝北", CY_CIRCLE_CHONGQING},
    {"banan", "巴南", CY_CIRCLE_CHONGQING},
    {"wanzhou", "万州", CY_CIRCLE_CHONGQING},
    {"fuling", "涪陵", CY_CIRCLE_CHONGQING},
    {"qijiang", "綦江", CY_CIRCLE_CHONGQING},
    {"dazu", "大足", CY_CIRCLE_CHONGQING},
    {"qianjiang", "黔江", CY_CIRCLE_CHONGQING},
    {"changshou", "长寿", CY_CIRCLE_CHONGQING},
    {"jiangjin", "江津", CY_CIRCLE_CHONGQING},
    {"hechuan", "合川", CY_CIRCLE_CHONGQING},
    {"yongchuan", "永川", CY_CIRCLE_CHONGQING},
    {"nanchuan", "南川", CY_CIRCLE_CHONGQING},
    {"bishan", "璧山", CY_CIRCLE_CHONGQING},
    {"tongliang", "铜梁", CY_CIRCLE_CHONGQING},
    {"tongnan", "潼南", CY_CIRCLE_CHONGQING},
    {"rongchang", "荣昌", CY_CIRCLE_CHONGQING},
    {"liangping", "梁平", CY_CIRCLE_CHONGQING},
    {"fengdu", "丰都", CY_CIRCLE_CHONGQING},
    {"dianjiang", "垫江", CY_CIRCLE_CHONGQING},
    {"zhongxian", "忠县", CY_CIRCLE_CHONGQING},
    {"kaizhou", "开州", CY_CIRCLE_CHONGQING},
    {"yunyang", "云阳", CY_CIRCLE_CHONGQING},
    {"chengdu", "成都", CY_CIRCLE_CHENGDU},
    {"tianfu", "天府", CY_CIRCLE_CHENGDU},
    {"zigong", "自贡", CY_CIRCLE_SICHUAN},
    {"luzhou", "泸州", CY_CIRCLE_SICHUAN},
    {"deyang", "德阳", CY_CIRCLE_SICHUAN},
    {"mianyang", "绵阳", CY_CIRCLE_SICHUAN},
    {"suining", "遂宁", CY_CIRCLE_SICHUAN},
    {"neijiang", "内江", CY_CIRCLE_SICHUAN},
    {"leshan", "乐山", CY_CIRCLE_SICHUAN},
    {"nanchong", "南充", CY_CIRCLE_SICHUAN},
    {"meishan", "眉山", CY_CIRCLE_SICHUAN},
    {"yibin", "宜宾", CY_CIRCLE_SICHUAN},
    {"guangan", "广安", CY_CIRCLE_SICHUAN},
    {"dazhou", "达州", CY_CIRCLE_SICHUAN},
    {"yaan", "雅安", CY_CIRCLE_SICHUAN},
    {"ziyang", "资阳", CY_CIRCLE_SICHUAN},
    {"sichuan", "四川", CY_CIRCLE_SICHUAN},
};

#define CIRCLE_PLACE_COUNT (sizeof circle_places / sizeof circle_places[0])

/*
 * Compare a Latin id or name with a place name: ASCII letters are compared
 * case-insensitively, apostrophes (' and U+2019) are skipped, and ' ', '_'
 * and '.' count as '-'.  Matches when the text equals the place or
 * continues with '-' (a district or sub-area: "chengdu-tianfu").
 */
static int latin_place_matches(const char *text, const char *place)
{
    const unsigned char *t = (const unsigned char *)text;
    for (;;) {
        unsigned char c = *t;
        if (c == '\'') {
            t++;
            continue;
        }
        if (c == 0xE2 && t[1] == 0x80 && t[2] == 0x99) {
            t += 3;
            continue;
        }
        if (c == ' ' || c == '_' || c == '.')
            c = '-';
        else if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (*place == '\0')
            return c == '\0' || c == '-';
        if (c != (unsigned char)*place)
            return 0;
        t++;
        place++;
    }
}

static cy_circle_zone zone_of_text(const char *text)
{
    if (!text)
        return CY_CIRCLE_OUTSIDE;
    for (size_t k = 0; k < CIRCLE_PLACE_COUNT; k++) {
        const char *zh = circle_places[k].zh;
        if (latin_place_matches(text, circle_places[k].latin) ||
            strncmp(text, zh, strlen(zh)) == 0)
            return circle_places[k].zone;
    }
    return CY_CIRCLE_OUTSIDE;
}

cy_circle_zone cy_circle_zone_of(const char *id, const char *name)
{
    cy_circle_zone zone = zone_of_text(id);
    return zone != CY_CIRCLE_OUTSIDE ? zone : zone_of_text(name);
}

/* ---- ordering helpers ------------------------------------------------ */

typedef struct {
    const char *key;
    size_t index;
} keyed_index;

static int keyed_index_cmp(const void *a, const void *b)
{
    const keyed_index *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/*
 * rank[i] = position of keys[i] in ascending byte order (ids are unique, so
 * ranks are a permutation).  Ranks let every later sort compare ids as
 * integers.  Returns NULL on OOM.
 */
static size_t *rank_by_key(const char *const *keys, size_t count)
{
    keyed_index *order = cy_calloc(count, sizeof *order);
    size_t *rank = cy_calloc(count, sizeof *rank);
    if (!order || !rank) {
        cy_free(order);
        cy_free(rank);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        order[i].key = keys[i];
        order[i].index = i;
    }
    qsort(order, count, sizeof *order, keyed_index_cmp);
    for (size_t r = 0; r < count; r++)
        rank[order[r].index] = r;
    cy_free(order);
    return rank;
}

/* Ranks of enterprises, parts and groups by id (or name for parts). */
typedef struct {
    size_t *enterprise;
    size_t *part;
    size_t *group[CY_GROUP_KIND_COUNT];
} wl_ranks;

static void ranks_destroy(wl_ranks *r)
{
    cy_free(r->enterprise);
    cy_free(r->part);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        cy_free(r->group[k]);
}

static int ranks_init(const cy_network *net, wl_ranks *r)
{
    const char **keys;
    size_t most = net->enterprise_count;
    int ok = 1;

    memset(r, 0, sizeof *r);
    if (net->parts.count > most)
        most = net->parts.count;
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        if (net->group_count[k] > most)
            most = net->group_count[k];
    keys = cy_calloc(most, sizeof *keys);
    if (!keys)
        return 0;
    for (size_t i = 0; i < net->enterprise_count; i++)
        keys[i] = net->enterprises[i].id;
    ok &= (r->enterprise = rank_by_key(keys, net->enterprise_count)) != NULL;
    ok &= (r->part = rank_by_key((const char *const *)net->parts.strings,
                                 net->parts.count)) != NULL;
    for (int k = 0; k < CY_GROUP_KIND_COUNT && ok; k++) {
        for (size_t g = 0; g < net->group_count[k]; g++)
            keys[g] = net->groups[k][g].id;
        ok &= (r->group[k] = rank_by_key(keys, net->group_count[k])) != NULL;
    }
    cy_free(keys);
    if (!ok)
        ranks_destroy(r);
    return ok;
}

/* Sort `count` indices ascending by rank[index]. */
static int rank_cmp_value(size_t a, size_t b)
{
    return a < b ? -1 : (a > b);
}

typedef struct {
    size_t rank;
    size_t index;
} ranked_index;

static int ranked_index_cmp(const void *a, const void *b)
{
    const ranked_index *x = a, *y = b;
    return rank_cmp_value(x->rank, y->rank);
}

/* Fill out[0..count) with 0..count-1 ordered by rank; 0 on OOM. */
static int order_by_rank(const size_t *rank, size_t count, size_t *out)
{
    ranked_index *tmp = cy_calloc(count, sizeof *tmp);
    if (!tmp)
        return 0;
    for (size_t i = 0; i < count; i++) {
        tmp[i].rank = rank[i];
        tmp[i].index = i;
    }
    qsort(tmp, count, sizeof *tmp, ranked_index_cmp);
    for (size_t i = 0; i < count; i++)
        out[i] = tmp[i].index;
    cy_free(tmp);
    return 1;
}

/* Descending by a double, NaN last. */
static int desc_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return a > b ? -1 : (a < b);
}

/* ---- the report ------------------------------------------------------ */

void cy_weaklinks_free(cy_weaklinks *report)
{
    if (!report)
        return;
    cy_free(report->single_source);
    for (size_t i = 0; i < report->chokepoint_count; i++)
        cy_free(report->chokepoints[i].enterprises);
    cy_free(report->chokepoints);
    cy_free(report->articulation_points);
    cy_free(report->bridges);
    cy_free(report->cascade_impact);
    cy_free(report->park_impact);
    cy_free(report->region_impact);
    cy_free(report->concentration);
    cy_free(report->region_zone);
    cy_free(report->local_oem);
    cy_free(report->local_cluster);
    cy_free(report->region_flows);
    for (size_t i = 0; i < report->recommendation_count; i++) {
        cy_free(report->recommendations[i].customers);
        cy_free(report->recommendations[i].oems);
    }
    cy_free(report->recommendations);
    cy_free(report->weak_links);
    cy_free(report);
}

/* Everything the sections share while the report is built. */
typedef struct {
    const cy_network *net;
    cy_weaklinks *report;
    wl_ranks ranks;
    cy_error *err;
} wl_build;

/* 1 when the sorted array holds value (binary search). */
static int sorted_contains(const size_t *array, size_t count, size_t value)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (array[mid] < value)
            lo = mid + 1;
        else if (array[mid] > value)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

/*
 * single_source: walk each customer's incoming links, which are sorted by
 * (part, supplier), so a run of one part is that part's suppliers and a run
 * of length one is a single source.  Only required parts count (a link for
 * a part outside an explicit `requires` supplies nothing the customer
 * needs); a required part with no run at all is a pre-existing gap.
 * output_at_risk is filled in once the cascade impacts are known.
 */
static cy_status section_single_source(wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t count = 0, cap = 0;

    for (size_t c = 0; c < net->enterprise_count; c++) {
        const cy_i_enterprise *e = &net->enterprises[c];
        size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
        size_t supplied = 0;
        for (size_t k = begin; k < end;) {
            const cy_i_link *first = &net->links[net->in_links[k]];
            size_t run = k + 1;
            while (run < end && net->links[net->in_links[run]].part == first->part)
                run++;
            if (sorted_contains(e->requires, e->requires_count, first->part)) {
                supplied++;
                if (run - k == 1) {
                    if (!cy_i_grow((void **)&rep->single_source, &cap, count + 1,
                                   sizeof *rep->single_source))
                        return CY_ENOMEM;
                    rep->single_source[count].enterprise = c;
                    rep->single_source[count].part = first->part;
                    rep->single_source[count].supplier = first->from;
                    rep->single_source[count].volume = first->volume;
                    rep->single_source[count].output_at_risk = 0.0;
                    count++;
                }
            }
            k = run;
        }
        rep->unsupplied_count += e->requires_count - supplied;
    }
    rep->single_source_count = count;
    return CY_OK;
}

/*
 * concentration: links bucketed by part (a counting sort, O(m + parts)),
 * then per part the volume of each supplier, park and region accumulated in
 * scratch arrays that are reset through a touched list, so a part costs
 * O(its links).  Shares are of the part's total link volume (0..1); when
 * that total is 0 the shares are undefined and reported as NaN.
 */
typedef struct {
    double *volume;     /* per key */
    size_t *touched;    /* keys with volume set */
    size_t touched_count;
    unsigned char *seen;
} wl_accumulator;

static int accumulator_init(wl_accumulator *a, size_t keys)
{
    a->volume = cy_calloc(keys, sizeof *a->volume);
    a->touched = cy_calloc(keys, sizeof *a->touched);
    a->seen = cy_calloc(keys, 1);
    a->touched_count = 0;
    return a->volume && a->touched && a->seen;
}

static void accumulator_destroy(wl_accumulator *a)
{
    cy_free(a->volume);
    cy_free(a->touched);
    cy_free(a->seen);
}

static void accumulator_add(wl_accumulator *a, size_t key, double volume)
{
    if (!a->seen[key]) {
        a->seen[key] = 1;
        a->touched[a->touched_count++] = key;
    }
    a->volume[key] += volume;
}

/*
 * The key with the largest volume (ties: smallest rank) and its share of
 * `total`; resets the accumulator.  *best = CY_WL_NONE when nothing was
 * added.
 */
static void accumulator_take_max(wl_accumulator *a, const size_t *rank,
                                 double total, size_t *best, double *share,
                                 double *hhi)
{
    size_t top = CY_WL_NONE;
    double sum_squares = 0.0;
    for (size_t t = 0; t < a->touched_count; t++) {
        size_t key = a->touched[t];
        double v = a->volume[key];
        if (top == CY_WL_NONE || v > a->volume[top] ||
            (v == a->volume[top] && rank[key] < rank[top]))
            top = key;
        if (total > 0) {
            double s = v / total;
            sum_squares += s * s;
        }
    }
    *best = top;
    *share = top == CY_WL_NONE ? 0.0 : (total > 0 ? a->volume[top] / total : NAN);
    if (hhi)
        *hhi = total > 0 ? sum_squares : NAN;
    for (size_t t = 0; t < a->touched_count; t++) {
        a->volume[a->touched[t]] = 0.0;
        a->seen[a->touched[t]] = 0;
    }
    a->touched_count = 0;
}

/* Links bucketed by part: part_links[part_offset[p] .. part_offset[p+1]). */
typedef struct {
    size_t *offset;
    size_t *links;
} wl_part_index;

static int part_index_init(const cy_network *net, wl_part_index *ix)
{
    size_t parts = net->parts.count;
    ix->offset = cy_calloc(parts + 1, sizeof *ix->offset);
    ix->links = cy_calloc(net->link_count, sizeof *ix->links);
    if (!ix->offset || !ix->links)
        return 0;
    for (size_t j = 0; j < net->link_count; j++)
        ix->offset[net->links[j].part + 1]++;
    for (size_t p = 0; p < parts; p++)
        ix->offset[p + 1] += ix->offset[p];
    {
        size_t *fill = cy_calloc(parts + 1, sizeof *fill);
        if (!fill)
            return 0;
        memcpy(fill, ix->offset, (parts + 1) * sizeof *fill);
        for (size_t j = 0; j < net->link_count; j++)
            ix->links[fill[net->links[j].part]++] = j;
        cy_free(fill);
    }
    return 1;
}

static void part_index_destroy(wl_part_index *ix)
{
    cy_free(ix->offset);
    cy_free(ix->links);
}

typedef struct {
    cy_wl_concentration row;
    size_t part_rank;
} concentration_sort;

static int concentration_cmp(const void *a, const void *b)
{
    const concentration_sort *x = a, *y = b;
    int c = desc_double(x->row.hhi, y->row.hhi);
    if (!c)
        c = desc_double(x->row.volume, y->row.volume);
    return c ? c : rank_cmp_value(x->part_rank, y->part_rank);
}

static cy_status section_concentration(wl_build *b, const wl_part_index *ix)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    wl_accumulator by_supplier, by_park, by_region;
    concentration_sort *rows = NULL;
    size_t count = 0;
    cy_status status = CY_ENOMEM;
    int ok = accumulator_init(&by_supplier, net->enterprise_count);
    ok &= accumulator_init(&by_park, net->group_count[CY_GROUP_PARK]);
    ok &= accumulator_init(&by_region, net->group_count[CY_GROUP_REGION]);
    if (!ok)
        goto cleanup;
    rows = cy_calloc(net->parts.count, sizeof *rows);
    if (!rows)
        goto cleanup;
    for (size_t p = 0; p < net->parts.count; p++) {
        concentration_sort *r = &rows[count];
        size_t begin = ix->offset[p], end = ix->offset[p + 1];
        double total = 0.0;
        if (begin == end)
            continue;
        for (size_t k = begin; k < end; k++) {
            const cy_i_link *l = &net->links[ix->links[k]];
            const cy_i_enterprise *s = &net->enterprises[l->from];
            total += l->volume;
            accumulator_add(&by_supplier, l->from, l->volume);
            if (s->park >= 0)
                accumulator_add(&by_park, (size_t)s->park, l->volume);
            if (cy_i_enterprise_region(net, l->from) >= 0)
                accumulator_add(&by_region, (size_t)cy_i_enterprise_region(net, l->from),
                                l->volume);
        }
        r->row.part = p;
        r->part_rank = b->ranks.part[p];
        r->row.link_count = end - begin;
        r->row.volume = total;
        r->row.supplier_count = by_supplier.touched_count;
        accumulator_take_max(&by_supplier, b->ranks.enterprise, total,
                             &r->row.top_supplier, &r->row.top_supplier_share,
                             &r->row.hhi);
        accumulator_take_max(&by_park, b->ranks.group[CY_GROUP_PARK], total,
                             &r->row.top_park, &r->row.top_park_share, NULL);
        accumulator_take_max(&by_region, b->ranks.group[CY_GROUP_REGION], total,
                             &r->row.top_region, &r->row.top_region_share, NULL);
        if (r->row.hhi >= CY_WL_HHI_HIGH)
            rep->concentrated_part_count++;
        count++;
    }
    qsort(rows, count, sizeof *rows, concentration_cmp);
    rep->concentration = cy_calloc(count, sizeof *rep->concentration);
    if (!rep->concentration)
        goto cleanup;
    for (size_t i = 0; i < count; i++)
        rep->concentration[i] = rows[i].row;
    rep->concentration_count = count;
    status = CY_OK;
cleanup:
    cy_free(rows);
    accumulator_destroy(&by_supplier);
    accumulator_destroy(&by_park);
    accumulator_destroy(&by_region);
    return status;
}

/*
 * local_supply and cross_region.  Every region gets its circle zone; an
 * OEM's inbound supply is its incoming links, a cluster's the incoming
 * links of all its members (links between members included: they are
 * local supply too).  A supplier without a region is neither inside the
 * circle nor in the customer's region; its volume is also reported apart
 * (unknown_volume).  Cross-region flows: every link whose two ends have
 * different known regions, summed by (from region, to region) through a
 * sort of the region pairs, and by (from zone, to zone).
 */
static void add_inbound(const cy_network *net, const cy_weaklinks *rep,
                        cy_wl_local_supply *row, const cy_i_link *l)
{
    long r = cy_i_enterprise_region(net, l->from);
    row->link_count++;
    row->inbound_volume += l->volume;
    if (r < 0) {
        row->unknown_volume += l->volume;
        return;
    }
    if (rep->region_zone[r] != CY_CIRCLE_OUTSIDE)
        row->circle_volume += l->volume;
    if (row->region != CY_WL_NONE && (size_t)r == row->region)
        row->own_region_volume += l->volume;
}

typedef struct {
    size_t from_rank, to_rank;
    size_t link;
} flow_key;

static int flow_key_cmp(const void *a, const void *b)
{
    const flow_key *x = a, *y = b;
    int c = rank_cmp_value(x->from_rank, y->from_rank);
    return c ? c : rank_cmp_value(x->to_rank, y->to_rank);
}

typedef struct {
    cy_wl_region_flow row;
    size_t from_rank, to_rank;
} flow_sort;

static int flow_sort_cmp(const void *a, const void *b)
{
    const flow_sort *x = a, *y = b;
    int c = desc_double(x->row.volume, y->row.volume);
    if (!c)
        c = rank_cmp_value(x->from_rank, y->from_rank);
    return c ? c : rank_cmp_value(x->to_rank, y->to_rank);
}

static cy_status section_local_supply(wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t n = net->enterprise_count, regions = net->group_count[CY_GROUP_REGION];
    size_t clusters = net->group_count[CY_GROUP_CLUSTER];
    size_t *order = NULL, *cluster_row = NULL, oems = 0;
    flow_key *keys = NULL;
    flow_sort *flows = NULL;
    size_t key_count = 0, flow_count = 0;
    cy_status status = CY_ENOMEM;

    rep->region_zone = cy_calloc(regions, sizeof *rep->region_zone);
    order = cy_calloc(n > clusters ? n : clusters, sizeof *order);
    cluster_row = cy_calloc(clusters, sizeof *cluster_row);
    if (!rep->region_zone || !order || !cluster_row)
        goto cleanup;
    for (size_t g = 0; g < regions; g++)
        rep->region_zone[g] = cy_circle_zone_of(net->groups[CY_GROUP_REGION][g].id,
                                                net->groups[CY_GROUP_REGION][g].name);

    for (size_t i = 0; i < n; i++)
        oems += net->enterprises[i].kind == CY_KIND_OEM;
    rep->local_oem = cy_calloc(oems, sizeof *rep->local_oem);
    rep->local_cluster = cy_calloc(clusters, sizeof *rep->local_cluster);
    if (!rep->local_oem || !rep->local_cluster || !order_by_rank(b->ranks.enterprise, n, order))
        goto cleanup;
    for (size_t k = 0; k < n; k++) {
        size_t o = order[k];
        const cy_i_enterprise *e = &net->enterprises[o];
        cy_wl_local_supply *row;
        if (e->kind != CY_KIND_OEM)
            continue;
        row = &rep->local_oem[rep->local_oem_count++];
        row->subject = o;
        row->region = cy_i_enterprise_region(net, o) >= 0
                          ? (size_t)cy_i_enterprise_region(net, o) : CY_WL_NONE;
        for (size_t j = net->in_offset[o]; j < net->in_offset[o + 1]; j++)
            add_inbound(net, rep, row, &net->links[net->in_links[j]]);
    }

    if (!order_by_rank(b->ranks.group[CY_GROUP_CLUSTER], clusters, order))
        goto cleanup;
    for (size_t k = 0; k < clusters; k++) {
        cy_wl_local_supply *row = &rep->local_cluster[k];
        long r = net->groups[CY_GROUP_CLUSTER][order[k]].region;
        row->subject = order[k];
        row->region = r >= 0 ? (size_t)r : CY_WL_NONE;
        cluster_row[order[k]] = k;
    }
    rep->local_cluster_count = clusters;
    for (size_t c = 0; c < n; c++) {
        const cy_i_enterprise *e = &net->enterprises[c];
        for (size_t m = 0; m < e->cluster_count; m++) {
            cy_wl_local_supply *row = &rep->local_cluster[cluster_row[e->clusters[m]]];
            for (size_t j = net->in_offset[c]; j < net->in_offset[c + 1]; j++)
                add_inbound(net, rep, row, &net->links[net->in_links[j]]);
        }
    }

    keys = cy_calloc(net->link_count, sizeof *keys);
    if (!keys)
        goto cleanup;
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        long from = cy_i_enterprise_region(net, l->from), to = cy_i_enterprise_region(net, l->to);
        if (from < 0 || to < 0 || from == to)
            continue;
        rep->cross_volume[rep->region_zone[from]][rep->region_zone[to]] += l->volume;
        rep->cross_links[rep->region_zone[from]][rep->region_zone[to]]++;
        keys[key_count].from_rank = b->ranks.group[CY_GROUP_REGION][from];
        keys[key_count].to_rank = b->ranks.group[CY_GROUP_REGION][to];
        keys[key_count].link = j;
        key_count++;
    }
    qsort(keys, key_count, sizeof *keys, flow_key_cmp);
    flows = cy_calloc(key_count, sizeof *flows);
    if (!flows)
        goto cleanup;
    for (size_t k = 0; k < key_count; k++) {
        const cy_i_link *l = &net->links[keys[k].link];
        if (k == 0 || flow_key_cmp(&keys[k - 1], &keys[k]) != 0) {
            flow_sort *f = &flows[flow_count++];
            f->row.from_region = (size_t)cy_i_enterprise_region(net, l->from);
            f->row.to_region = (size_t)cy_i_enterprise_region(net, l->to);
            f->from_rank = keys[k].from_rank;
            f->to_rank = keys[k].to_rank;
        }
        flows[flow_count - 1].row.link_count++;
        flows[flow_count - 1].row.volume += l->volume;
    }
    qsort(flows, flow_count, sizeof *flows, flow_sort_cmp);
    rep->region_flows = cy_calloc(flow_count, sizeof *rep->region_flows);
    if (!rep->region_flows)
        goto cleanup;
    for (size_t k = 0; k < flow_count; k++)
        rep->region_flows[k] = flows[k].row;
    rep->region_flow_count = flow_count;
    status = CY_OK;
cleanup:
    cy_free(order);
    cy_free(cluster_row);
    cy_free(keys);
    cy_free(flows);
    return status;
}

/* ---- second-source recommendations ----------------------------------- */

/*
 * Producers of each part: enterprises that list it in `produces` or supply
 * it on an outgoing link, each part's list sorted by id and deduplicated:
 * producer[producer_offset[p] .. producer_offset[p+1]).
 */
typedef struct {
    size_t *offset;
    size_t *firms;
} wl_producers;

static void producers_destroy(wl_producers *pr)
{
    cy_free(pr->offset);
    cy_free(pr->firms);
}

static int producers_init(const wl_build *b, const wl_part_index *ix,
                          wl_producers *pr)
{
    const cy_network *net = b->net;
    size_t parts = net->parts.count, total = net->link_count, *fill = NULL;
    ranked_index *tmp = NULL;
    int ok = 0;

    for (size_t i = 0; i < net->enterprise_count; i++)
        total += net->enterprises[i].produces_count;
    pr->offset = cy_calloc(parts + 1, sizeof *pr->offset);
    pr->firms = cy_calloc(total, sizeof *pr->firms);
    fill = cy_calloc(parts + 1, sizeof *fill);
    tmp = cy_calloc(total, sizeof *tmp);
    if (!pr->offset || !pr->firms || !fill || !tmp)
        goto cleanup;
    for (size_t i = 0; i < net->enterprise_count; i++)
        for (size_t k = 0; k < net->enterprises[i].produces_count; k++)
            fill[net->enterprises[i].produces[k] + 1]++;
    for (size_t p = 0; p < parts; p++)
        fill[p + 1] += fill[p] + (ix->offset[p + 1] - ix->offset[p]);
    /* fill[p] is where part p's candidates start; gather them, then sort
     * each part's slice by id rank and drop repeats. */
    {
        size_t *cursor = cy_calloc(parts + 1, sizeof *cursor);
        if (!cursor)
            goto cleanup;
        memcpy(cursor, fill, (parts + 1) * sizeof *cursor);
        for (size_t i = 0; i < net->enterprise_count; i++)
            for (size_t k = 0; k < net->enterprises[i].produces_count; k++) {
                size_t slot = cursor[net->enterprises[i].produces[k]]++;
                tmp[slot].index = i;
                tmp[slot].rank = b->ranks.enterprise[i];
            }
        for (size_t p = 0; p < parts; p++)
            for (size_t k = ix->offset[p]; k < ix->offset[p + 1]; k++) {
                size_t s = net->links[ix->links[k]].from, slot = cursor[p]++;
                tmp[slot].index = s;
                tmp[slot].rank = b->ranks.enterprise[s];
            }
        cy_free(cursor);
    }
    for (size_t p = 0, out = 0; p < parts; p++) {
        size_t begin = fill[p], end = fill[p + 1];
        qsort(tmp + begin, end - begin, sizeof *tmp, ranked_index_cmp);
        pr->offset[p] = out;
        for (size_t k = begin; k < end; k++)
            if (k == begin || tmp[k].index != tmp[k - 1].index)
                pr->firms[out++] = tmp[k].index;
        pr->offset[p + 1] = out;
    }
    ok = 1;
cleanup:
    cy_free(fill);
    cy_free(tmp);
    return ok;
}

/*
 * Classes of a candidate relative to the current supplier, in order of
 * preference: another park first, then another region.  "Another" means
 * "not the supplier's": a firm outside any park is in another park than a
 * supplier in a park, and when the supplier has no park (region) every
 * candidate counts as being in another park (region) — a failure of that
 * park cannot reach the supplier either.
 */
static int candidate_class(const cy_network *net, size_t cand, long park, long region)
{
    int same_park = park >= 0 && net->enterprises[cand].park == park;
    int same_region = region >= 0 && cy_i_enterprise_region(net, cand) == region;
    return same_park * 2 + same_region;
}

/* What a recommendation asks for while the backups are looked up. */
typedef struct {
    size_t part;
    long park, region;        /* of the current supplier */
    size_t recommendation;    /* index into report->recommendations */
} backup_request;

static int backup_request_cmp(const void *a, const void *b)
{
    const backup_request *x = a, *y = b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    if (x->park != y->park)
        return x->park < y->park ? -1 : 1;
    if (x->region != y->region)
        return x->region < y->region ? -1 : 1;
    return rank_cmp_value(x->recommendation, y->recommendation);
}

/* 1 when `firm` is among the producers of `part` (binary search on the
 * id ranks the lists are sorted by). */
static size_t producer_listed(const wl_build *b, const wl_producers *pr,
                              size_t part, size_t firm)
{
    size_t lo = pr->offset[part], hi = pr->offset[part + 1];
    size_t want = b->ranks.enterprise[firm];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, rank = b->ranks.enterprise[pr->firms[mid]];
        if (rank < want)
            lo = mid + 1;
        else if (rank > want)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

/* Per class, the first KEEP producers in id order: enough for
 * CY_WL_MAX_BACKUPS after excluding the supplier and the customer. */
#define BACKUP_KEEP (CY_WL_MAX_BACKUPS + 2)

/*
 * Fill the backups of every recommendation.  Requests are grouped by
 * (part, supplier park, supplier region), the only things the order
 * depends on besides the two excluded firms, and each group scans the
 * part's producers in id order once, stopping as soon as the best class
 * holds BACKUP_KEEP firms (nothing later can enter the first
 * CY_WL_MAX_BACKUPS).  backup_count = producers - excluded, exactly.
 */
static cy_status fill_backups(wl_build *b, const wl_producers *pr)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count;
    backup_request *req = cy_calloc(count, sizeof *req);
    size_t keep[4][BACKUP_KEEP], kept[4];

    if (!req)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const cy_i_enterprise *s = &net->enterprises[rep->recommendations[i].supplier];
        req[i].part = rep->recommendations[i].part;
        req[i].park = s->park;
        req[i].region = cy_i_enterprise_region(net, rep->recommendations[i].supplier);
        req[i].recommendation = i;
    }
    qsort(req, count, sizeof *req, backup_request_cmp);
    for (size_t g = 0; g < count;) {
        size_t end = g + 1, p = req[g].part;
        while (end < count && req[end].part == p && req[end].park == req[g].park &&
               req[end].region == req[g].region)
            end++;
        memset(kept, 0, sizeof kept);
        for (size_t k = pr->offset[p]; k < pr->offset[p + 1]; k++) {
            size_t firm = pr->firms[k];
            int cls = candidate_class(net, firm, req[g].park, req[g].region);
            if (kept[cls] < BACKUP_KEEP)
                keep[cls][kept[cls]++] = firm;
            if (kept[0] == BACKUP_KEEP)
                break;
        }
        for (size_t r = g; r < end; r++) {
            cy_wl_recommendation *rec = &rep->recommendations[req[r].recommendation];
            size_t producers = pr->offset[p + 1] - pr->offset[p];
            size_t customer = rec->type == CY_WEAK_SINGLE_SOURCE ? rec->enterprise : CY_WL_NONE;
            producers -= producer_listed(b, pr, p, rec->supplier);
            if (customer != CY_WL_NONE)
                producers -= producer_listed(b, pr, p, customer);
            rec->backup_count = producers;
            rec->backup_shown = 0;
            for (int cls = 0; cls < 4; cls++)
                for (size_t k = 0; k < kept[cls] && rec->backup_shown < CY_WL_MAX_BACKUPS; k++)
                    if (keep[cls][k] != rec->supplier && keep[cls][k] != customer)
                        rec->backups[rec->backup_shown++] = keep[cls][k];
        }
        g = end;
    }
    cy_free(req);
    return CY_OK;
}

/* ---- ranking ----------------------------------------------------------- */

static double severity_of(const cy_weaklinks *rep, double at_risk)
{
    /* The fraction first: 100 x a value near the largest double is
     * infinite. */
    return rep->output_value_total > 0 ? 100.0 * (at_risk / rep->output_value_total)
                                       : 0.0;
}

/* The rank of an index field that may be CY_WL_NONE (sorts first). */
static size_t rank_or_none(const size_t *rank, size_t index)
{
    return index == CY_WL_NONE ? 0 : rank[index] + 1;
}

typedef struct {
    cy_wl_single_source row;
    size_t enterprise_rank, part_rank;
} single_source_sort;

static int single_source_cmp(const void *a, const void *b)
{
    const single_source_sort *x = a, *y = b;
    int c = desc_double(x->row.output_at_risk, y->row.output_at_risk);
    if (!c)
        c = desc_double(x->row.volume, y->row.volume);
    if (!c)
        c = rank_cmp_value(x->enterprise_rank, y->enterprise_rank);
    return c ? c : rank_cmp_value(x->part_rank, y->part_rank);
}

static cy_status rank_single_source(wl_build *b, const double *lost)
{
    cy_weaklinks *rep = b->report;
    single_source_sort *tmp = cy_calloc(rep->single_source_count, sizeof *tmp);
    if (!tmp)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->single_source_count; i++) {
        tmp[i].row = rep->single_source[i];
        tmp[i].row.output_at_risk = lost[tmp[i].row.supplier];
        tmp[i].enterprise_rank = b->ranks.enterprise[tmp[i].row.enterprise];
        tmp[i].part_rank = b->ranks.part[tmp[i].row.part];
    }
    qsort(tmp, rep->single_source_count, sizeof *tmp, single_source_cmp);
    for (size_t i = 0; i < rep->single_source_count; i++)
        rep->single_source[i] = tmp[i].row;
    cy_free(tmp);
    return CY_OK;
}

typedef struct {
    cy_wl_weak_link row;
    size_t keys[4];   /* ranks: enterprise, supplier, part, oem */
} weak_link_sort;

static int weak_link_cmp(const void *a, const void *b)
{
    const weak_link_sort *x = a, *y = b;
    int c = desc_double(x->row.severity, y->row.severity);
    if (!c)
        c = rank_cmp_value((size_t)x->row.type, (size_t)y->row.type);
    for (int k = 0; k < 4 && !c; k++)
        c = rank_cmp_value(x->keys[k], y->keys[k]);
    return c;
}

static void weak_link_keys(const wl_build *b, weak_link_sort *s)
{
    s->keys[0] = rank_or_none(b->ranks.enterprise, s->row.enterprise);
    s->keys[1] = rank_or_none(b->ranks.enterprise, s->row.supplier);
    s->keys[2] = rank_or_none(b->ranks.part, s->row.part);
    s->keys[3] = rank_or_none(b->ranks.enterprise, s->row.oem);
}

/*
 * The severity ranking of every weak link.  The output value a weak link
 * puts at risk is the cascade of the firm at its supplying end: the
 * supplier of a single-source pair, the chokepoint or articulation point
 * itself, the supplying end of a bridge.  severity = 100 * that / the
 * network's total output value (a percentage).
 */
static cy_status rank_weak_links(wl_build *b, const size_t *failed,
                                 const double *lost)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t total = rep->single_source_count + rep->chokepoint_pair_count +
                   rep->articulation_point_count + rep->bridge_count, k = 0;
    weak_link_sort *tmp = cy_calloc(total, sizeof *tmp);

    if (!tmp)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->single_source_count; i++, k++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        cy_wl_weak_link *w = &tmp[k].row;
        w->type = CY_WEAK_SINGLE_SOURCE;
        w->enterprise = s->enterprise;
        w->supplier = s->supplier;
        w->part = s->part;
        w->oem = CY_WL_NONE;
        w->volume = s->volume;
    }
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t j = 0; j < rep->chokepoints[i].count; j++, k++) {
            cy_wl_weak_link *w = &tmp[k].row;
            w->type = CY_WEAK_CHOKEPOINT;
            w->enterprise = w->supplier = rep->chokepoints[i].enterprises[j];
            w->part = CY_WL_NONE;
            w->oem = rep->chokepoints[i].oem;
        }
    for (size_t i = 0; i < rep->articulation_point_count; i++, k++) {
        cy_wl_weak_link *w = &tmp[k].row;
        w->type = CY_WEAK_ARTICULATION_POINT;
        w->enterprise = w->supplier = rep->articulation_points[i];
        w->part = w->oem = CY_WL_NONE;
    }
    for (size_t i = 0; i < rep->bridge_count; i++, k++) {
        cy_wl_weak_link *w = &tmp[k].row;
        w->type = CY_WEAK_BRIDGE;
        w->enterprise = rep->bridges[i].to;
        w->supplier = rep->bridges[i].from;
        w->part = w->oem = CY_WL_NONE;
        /* The volume traded across the bridge, both directions. */
        for (int dir = 0; dir < 2; dir++) {
            igraph_integer_t eid = -1;
            igraph_error_t rc = igraph_get_eid(
                &net->firm_graph, &eid, (igraph_integer_t)(dir ? w->enterprise : w->supplier),
                (igraph_integer_t)(dir ? w->supplier : w->enterprise), IGRAPH_DIRECTED, 0);
            if (rc != IGRAPH_SUCCESS) {
                cy_free(tmp);
                return cy_i_igraph_status(rc, b->err, "bridge volume");
            }
            if (eid >= 0)
                w->volume += VECTOR(net->firm_volume)[eid];
        }
    }
    for (size_t i = 0; i < total; i++) {
        cy_wl_weak_link *w = &tmp[i].row;
        w->failed_count = failed[w->supplier];
        w->output_at_risk = lost[w->supplier];
        w->severity = severity_of(rep, w->output_at_risk);
        weak_link_keys(b, &tmp[i]);
    }
    qsort(tmp, total, sizeof *tmp, weak_link_cmp);
    rep->weak_links = cy_calloc(total, sizeof *rep->weak_links);
    if (!rep->weak_links) {
        cy_free(tmp);
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < total; i++)
        rep->weak_links[i] = tmp[i].row;
    rep->weak_link_count = total;
    cy_free(tmp);
    return CY_OK;
}

typedef struct {
    cy_wl_recommendation row;
    size_t keys[3];   /* ranks: type, enterprise, part */
} recommendation_sort;

static int recommendation_cmp(const void *a, const void *b)
{
    const recommendation_sort *x = a, *y = b;
    int c = desc_double(x->row.severity, y->row.severity);
    for (int k = 0; k < 3 && !c; k++)
        c = rank_cmp_value(x->keys[k], y->keys[k]);
    return c;
}

/* Order the recommendations by severity, then type, firm id, part name. */
static cy_status rank_recommendations(wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count;
    recommendation_sort *tmp = cy_calloc(count, sizeof *tmp);
    if (!tmp)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        tmp[i].row = rep->recommendations[i];
        tmp[i].keys[0] = (size_t)tmp[i].row.type;
        tmp[i].keys[1] = b->ranks.enterprise[tmp[i].row.enterprise];
        tmp[i].keys[2] = b->ranks.part[tmp[i].row.part];
    }
    qsort(tmp, count, sizeof *tmp, recommendation_cmp);
    for (size_t i = 0; i < count; i++)
        rep->recommendations[i] = tmp[i].row;
    cy_free(tmp);
    return CY_OK;
}

/* One recommendation per single-source pair: back up (part, supplier). */
static cy_status single_source_recommendations(wl_build *b, size_t *cap)
{
    cy_weaklinks *rep = b->report;
    for (size_t i = 0; i < rep->single_source_count; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        cy_wl_recommendation *r;
        if (!cy_i_grow((void **)&rep->recommendations, cap,
                       rep->recommendation_count + 1, sizeof *rep->recommendations))
            return CY_ENOMEM;
        r = &rep->recommendations[rep->recommendation_count++];
        memset(r, 0, sizeof *r);
        r->type = CY_WEAK_SINGLE_SOURCE;
        r->enterprise = s->enterprise;
        r->part = s->part;
        r->supplier = s->supplier;
        r->severity = severity_of(rep, s->output_at_risk);
    }
    return CY_OK;
}

typedef struct {
    size_t type, enterprise, part;
    size_t index;
} recommendation_key;

static int recommendation_key_cmp(const void *a, const void *b)
{
    const recommendation_key *x = a, *y = b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->enterprise != y->enterprise)
        return x->enterprise < y->enterprise ? -1 : 1;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    return rank_cmp_value(x->index, y->index);
}

/*
 * Point each weak link at its recommendations: a single-source pair has
 * one (same customer and part), a chokepoint firm one per part it is
 * critical for, and those are consecutive in the ranked list because they
 * share its severity, type and firm.  Articulation points and bridges have
 * none.  O(R log R + W log R).
 */
static cy_status link_recommendations(wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count;
    recommendation_key *keys = cy_calloc(count, sizeof *keys);
    if (!keys)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const cy_wl_recommendation *r = &rep->recommendations[i];
        keys[i].type = (size_t)r->type;
        keys[i].enterprise = r->enterprise;
        keys[i].part = r->type == CY_WEAK_SINGLE_SOURCE ? r->part : 0;
        keys[i].index = i;
    }
    qsort(keys, count, sizeof *keys, recommendation_key_cmp);
    for (size_t i = 0; i < rep->weak_link_count; i++) {
        cy_wl_weak_link *w = &rep->weak_links[i];
        recommendation_key want = {(size_t)w->type, w->enterprise,
                                   w->type == CY_WEAK_SINGLE_SOURCE ? w->part : 0, 0};
        size_t lo = 0, hi = count;
        w->recommendation = CY_WL_NONE;
        w->recommendation_count = 0;
        if (w->type != CY_WEAK_SINGLE_SOURCE && w->type != CY_WEAK_CHOKEPOINT)
            continue;
        while (lo < hi) {  /* first key >= want */
            size_t mid = lo + (hi - lo) / 2;
            if (recommendation_key_cmp(&keys[mid], &want) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < count && keys[k].type == want.type &&
                            keys[k].enterprise == want.enterprise &&
                            keys[k].part == want.part; k++) {
            if (w->recommendation == CY_WL_NONE || keys[k].index < w->recommendation)
                w->recommendation = keys[k].index;
            w->recommendation_count++;
        }
    }
    cy_free(keys);
    return CY_OK;
}

/*
 * The sections that come from the resilience module: every single failure
 * (cascade_impact, and the chokepoints of each OEM, which the same pass
 * finds), every park and region failing, articulation points and bridges.
 * Their arrays are moved into the report.  failed[i] and lost[i] get the
 * cascade of enterprise i, which output_at_risk and the severities use.
 */
static cy_status section_resilience(wl_build *b, size_t *failed, double *lost)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    cy_single_failures sf;
    cy_structure structure;
    unsigned char *seen = NULL;
    cy_status status;

    memset(&sf, 0, sizeof sf);
    memset(&structure, 0, sizeof structure);
    if ((status = cy_single_failures_compute(net, rep->threshold, &sf, b->err)) != CY_OK)
        return status;
    rep->cascade_impact = sf.impacts;
    rep->cascade_impact_count = sf.impact_count;
    rep->chokepoints = sf.chokepoints;
    rep->chokepoint_count = sf.chokepoint_count;
    for (size_t i = 0; i < sf.impact_count; i++) {
        failed[sf.impacts[i].index] = sf.impacts[i].failed_count;
        lost[sf.impacts[i].index] = sf.impacts[i].output_value_lost;
    }

    seen = cy_calloc(net->enterprise_count, 1);
    if (!seen)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->chokepoint_count; i++) {
        const cy_chokepoint *c = &rep->chokepoints[i];
        rep->chokepoint_pair_count += c->count;
        rep->oems_with_chokepoints += c->count > 0;
        for (size_t k = 0; k < c->count; k++)
            if (!seen[c->enterprises[k]]) {
                seen[c->enterprises[k]] = 1;
                rep->chokepoint_firm_count++;
            }
    }
    cy_free(seen);

    if ((status = cy_group_impacts_compute(net, CY_GROUP_PARK, rep->threshold,
                                           &rep->park_impact, &rep->park_impact_count,
                                           b->err)) != CY_OK ||
        (status = cy_group_impacts_compute(net, CY_GROUP_REGION, rep->threshold,
                                           &rep->region_impact, &rep->region_impact_count,
                                           b->err)) != CY_OK ||
        (status = cy_structure_compute(net, &structure, b->err)) != CY_OK)
        return status;
    rep->articulation_points = structure.articulation_points;
    rep->articulation_point_count = structure.articulation_point_count;
    rep->bridges = structure.bridges;
    rep->bridge_count = structure.bridge_count;
    return CY_OK;
}

/* A part a chokepoint supplies to a customer that cannot do without it. */
typedef struct {
    size_t part, customer_rank, customer;
} critical_supply;

static int critical_supply_cmp(const void *a, const void *b)
{
    const critical_supply *x = a, *y = b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    return rank_cmp_value(x->customer_rank, y->customer_rank);
}

/*
 * One recommendation per (chokepoint firm, part) where the part is one the
 * firm supplies critically: a customer would stop when this one link goes,
 * by the cascade rule (the pair has no other supplier, or T > 0 and the
 * other suppliers' shares sum below T).  These are exactly the links that
 * carry the firm's failure into round 1 of its cascade, so a second source
 * for each of them is what would stop the OEMs from depending on it.  The
 * cascade engine's pair index (cy_i_cascade) gives the effective shares.
 */
static cy_status chokepoint_recommendations(wl_build *b, const double *lost,
                                            size_t *cap)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t n = net->enterprise_count, *oem_offset = NULL, *oem_list = NULL, *fill = NULL;
    critical_supply *items = NULL;
    cy_i_cascade engine;
    cy_status status;

    if ((status = cy_i_cascade_init(&engine, net, rep->threshold, b->err)) != CY_OK)
        return status;
    status = CY_ENOMEM;
    /* The OEMs each firm is a chokepoint of, in OEM id order (CSR). */
    oem_offset = cy_calloc(n + 1, sizeof *oem_offset);
    fill = cy_calloc(n + 1, sizeof *fill);
    oem_list = cy_calloc(rep->chokepoint_pair_count, sizeof *oem_list);
    items = cy_calloc(n ? net->link_count : 0, sizeof *items);
    if (!oem_offset || !fill || !oem_list || !items)
        goto cleanup;
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            oem_offset[rep->chokepoints[i].enterprises[k] + 1]++;
    for (size_t v = 0; v < n; v++)
        oem_offset[v + 1] += oem_offset[v];
    memcpy(fill, oem_offset, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            oem_list[fill[rep->chokepoints[i].enterprises[k]]++] = rep->chokepoints[i].oem;

    for (size_t e = 0; e < n; e++) {
        size_t count = 0;
        if (oem_offset[e] == oem_offset[e + 1])
            continue;
        for (size_t k = net->out_offset[e]; k < net->out_offset[e + 1]; k++) {
            size_t j = net->out_links[k], pair = engine.link_pair[j];
            if (pair == CY_I_NO_PAIR)
                continue;
            if (engine.pair_suppliers[pair] == 1 ||
                (rep->threshold > 0.0 &&
                 engine.pair_share[pair] - engine.link_share[j] <
                     rep->threshold - CY_CASCADE_EPSILON)) {
                items[count].part = net->links[j].part;
                items[count].customer = net->links[j].to;
                items[count].customer_rank = b->ranks.enterprise[net->links[j].to];
                count++;
            }
        }
        qsort(items, count, sizeof *items, critical_supply_cmp);
        for (size_t k = 0; k < count;) {
            size_t end = k + 1;
            cy_wl_recommendation *r;
            while (end < count && items[end].part == items[k].part)
                end++;
            if (!cy_i_grow((void **)&rep->recommendations, cap,
                           rep->recommendation_count + 1, sizeof *rep->recommendations))
                goto cleanup;
            r = &rep->recommendations[rep->recommendation_count++];
            memset(r, 0, sizeof *r);
            r->type = CY_WEAK_CHOKEPOINT;
            r->enterprise = r->supplier = e;
            r->part = items[k].part;
            r->severity = severity_of(rep, lost[e]);
            r->customers = cy_calloc(end - k, sizeof *r->customers);
            r->oems = cy_calloc(oem_offset[e + 1] - oem_offset[e], sizeof *r->oems);
            if (!r->customers || !r->oems)
                goto cleanup;
            for (size_t c = k; c < end; c++)
                r->customers[r->customer_count++] = items[c].customer;
            r->oem_count = oem_offset[e + 1] - oem_offset[e];
            memcpy(r->oems, oem_list + oem_offset[e], r->oem_count * sizeof *r->oems);
            k = end;
        }
    }
    status = CY_OK;
cleanup:
    cy_i_cascade_destroy(&engine);
    cy_free(oem_offset);
    cy_free(fill);
    cy_free(oem_list);
    cy_free(items);
    return status;
}

cy_status cy_weaklinks_compute(const cy_network *net,
                               const cy_weaklinks_options *options,
                               cy_weaklinks **out, cy_error *err)
{
    double threshold = options ? options->threshold : 0.0;
    size_t n = net->enterprise_count, rec_cap = 0;
    wl_build b;
    wl_part_index parts = {NULL, NULL};
    wl_producers producers = {NULL, NULL};
    size_t *failed = NULL;
    double *lost = NULL;
    cy_status status = CY_ENOMEM;
    int have_ranks = 0;

    cy_library_init();
    *out = NULL;
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "threshold %g is outside [0, 1]", threshold);
        return CY_EUSAGE;
    }
    memset(&b, 0, sizeof b);
    b.net = net;
    b.err = err;
    b.report = cy_calloc(1, sizeof *b.report);
    if (!b.report)
        goto fail;
    b.report->threshold = threshold;
    for (size_t i = 0; i < n; i++)
        b.report->output_value_total += net->enterprises[i].output_value;
    if (!ranks_init(net, &b.ranks))
        goto fail;
    have_ranks = 1;
    failed = cy_calloc(n, sizeof *failed);
    lost = cy_calloc(n, sizeof *lost);
    if (!failed || !lost || !part_index_init(net, &parts))
        goto fail;

    if ((status = section_single_source(&b)) != CY_OK ||
        (status = section_concentration(&b, &parts)) != CY_OK ||
        (status = section_local_supply(&b)) != CY_OK ||
        (status = section_resilience(&b, failed, lost)) != CY_OK ||
        (status = rank_single_source(&b, lost)) != CY_OK ||
        (status = single_source_recommendations(&b, &rec_cap)) != CY_OK ||
        (status = chokepoint_recommendations(&b, lost, &rec_cap)) != CY_OK)
        goto fail;
    status = CY_ENOMEM;
    if (!producers_init(&b, &parts, &producers))
        goto fail;
    if ((status = fill_backups(&b, &producers)) != CY_OK ||
        (status = rank_recommendations(&b)) != CY_OK ||
        (status = rank_weak_links(&b, failed, lost)) != CY_OK ||
        (status = link_recommendations(&b)) != CY_OK)
        goto fail;
    for (size_t i = 0; i < b.report->recommendation_count; i++)
        b.report->no_backup_count += b.report->recommendations[i].backup_count == 0;

    *out = b.report;
    b.report = NULL;
    status = CY_OK;
fail:
    if (status == CY_ENOMEM)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in the weak-link report");
    cy_weaklinks_free(b.report);
    if (have_ranks)
        ranks_destroy(&b.ranks);
    part_index_destroy(&parts);
    producers_destroy(&producers);
    cy_free(failed);
    cy_free(lost);
    return status;
}
