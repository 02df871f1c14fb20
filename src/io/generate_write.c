/*
 * generate_write.c - the synthetic network as chengyu/1: the id and
 * part-name tables, then the document streamed record by record (one
 * record per line) through a buffer in front of the caller's stream.
 */
#include "generate_internal.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* Every firm id and part name fits in this many bytes with its NUL: the
 * longest is "terminal-" or "t1-part-" followed by at most 7 digits. */
#define NAME_STRIDE 24

/*
 * Format every firm id and part name once into fixed-stride tables: each
 * is written many times (a hub supplier's id once per link it has), and
 * formatting them per link dominated the run time.  Ids: "oem-007",
 * "brand-1".."brand-5", "odm-1".."odm-6", "terminal-0012", "t2-sup-0042",
 * "mat-0003"; parts: "t2-part-0137".  Numbers are 1-based and zero-padded
 * to a width that depends only on the counts, so ids sort naturally.
 */
cy_status cy_i_gen_make_names(gen_model *m)
{
    m->firm_ids = cy_malloc(m->firm_count * NAME_STRIDE);
    m->part_names = cy_malloc((m->part_count + 1) * NAME_STRIDE);
    if (m->firm_ids == NULL || m->part_names == NULL)
        return CY_ENOMEM;

    for (size_t i = 0; i < m->firm_count; i++) {
        const gen_firm *f = &m->firms[i];
        char *buf = m->firm_ids + i * NAME_STRIDE;
        size_t rank = i - m->tier_begin[f->tier];
        if (i < m->auto_oems)
            snprintf(buf, NAME_STRIDE, "oem-%0*zu", m->id_width[0], i + 1);
        else if (f->tier == 0 && (rank -= m->auto_oems) < CQ_TERMINAL_BRANDS)
            snprintf(buf, NAME_STRIDE, "brand-%zu", rank + 1);
        else if (f->tier == 0 && rank < CQ_TERMINAL_BRANDS + CQ_TERMINAL_ODMS)
            snprintf(buf, NAME_STRIDE, "odm-%zu", rank - CQ_TERMINAL_BRANDS + 1);
        else if (f->tier == 0)
            snprintf(buf, NAME_STRIDE, "terminal-%0*zu", m->id_width[TIER_COUNT], rank + 1);
        else if (f->tier == MATERIAL_TIER)
            snprintf(buf, NAME_STRIDE, "mat-%0*zu", m->id_width[f->tier], rank + 1);
        else
            snprintf(buf, NAME_STRIDE, "t%u-sup-%0*zu", (unsigned)f->tier,
                     m->id_width[f->tier], rank + 1);
    }
    for (size_t p = 0; p < m->part_count; p++) {
        int t = m->part_tier[p];
        snprintf(m->part_names + p * NAME_STRIDE, NAME_STRIDE, "t%d-part-%0*zu", t,
                 m->part_width[t], p - m->tier_part_begin[t] + 1);
    }
    return CY_OK;
}

static const char *firm_id(const gen_model *m, size_t i)
{
    return m->firm_ids + i * NAME_STRIDE;
}

static const char *part_name(const gen_model *m, int32_t part)
{
    return m->part_names + (size_t)part * NAME_STRIDE;
}

/* Park p's id: "demo-park-01".."demo-park-20", then "park-0001"... */
static void park_id(const gen_model *m, size_t p, char *buf, size_t size)
{
    int width = max_int(4, digits_of(m->park_count));
    if (width > 12) /* never: parks are few; bounds snprintf for the compiler */
        width = 12;
    if (p < DEMO_PARKS)
        snprintf(buf, size, "demo-park-%02zu", p + 1);
    else
        snprintf(buf, size, "park-%0*zu", width, p - DEMO_PARKS + 1);
}

/* Cluster ids: the four named ones, then "<region>-auto" and
 * "<region>-electronics" for every region beyond the two poles. */
static void cluster_id(size_t region, int electronics, char *buf, size_t size)
{
    if (region == REGION_CHONGQING)
        snprintf(buf, size, "%s", electronics ? "cq-smart-terminal" : "cq-auto");
    else if (region == REGION_CHENGDU)
        snprintf(buf, size, "%s", electronics ? "cd-electronics" : "cd-auto");
    else
        snprintf(buf, size, "%s-%s", cy_i_gen_regions[region].id,
                 electronics ? "electronics" : "auto");
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* The opening of the document: name, description and meta. */
static cy_status write_header(const gen_model *m, gen_writer *w)
{
    char name[160], description[1024], seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, m->seed);
    snprintf(name, sizeof name,
             "Synthetic Chengdu-Chongqing supply network (%s preset, seed %s)",
             m->preset->name, seed);
    snprintf(description, sizeof description,
             "Synthetic network made by chengyu generate (preset %s, seed %s). "
             "Every enterprise, park, cluster and link is illustrative: no record "
             "describes a real firm. Sizes follow published counts for Sichuan and "
             "Chongqing (45 automakers and about 1,600 suppliers, 20 cooperation "
             "demonstration parks, the Chongqing 1+10+1000 automobile and 5+6+800 "
             "smart-terminal clusters); tiers: 0 finished products, 1-4 parts, "
             "5 materials.",
             m->preset->name, seed);

    gen_record meta;
    cy_i_gen_record_begin(&meta);
    cy_i_gen_put_string(&meta, "generator", "chengyu generate");
    cy_i_gen_put_string(&meta, "preset", m->preset->name);
    /* A string: a uint64 seed may not fit Jansson's signed integers. */
    cy_i_gen_put_string(&meta, "seed", seed);
    cy_i_gen_put_integer(&meta, "automotive_oems", (int64_t)m->auto_oems);
    cy_i_gen_put_integer(&meta, "terminal_oems", (int64_t)m->terminal_oems);
    cy_i_gen_put_integer(&meta, "suppliers",
                       (int64_t)(m->tier_begin[MATERIAL_TIER] - m->tier_begin[1]));
    cy_i_gen_put_integer(&meta, "material_firms",
                       (int64_t)(m->firm_count - m->tier_begin[MATERIAL_TIER]));
    cy_i_gen_put_integer(&meta, "links", (int64_t)m->link_count);

    return cy_i_gen_write_header(w, name, description, &meta);
}

/* The regions, clusters and parks arrays. */
static cy_status write_groups(const gen_model *m, gen_writer *w)
{
    cy_status status;
    int first = 1;
    gen_record rec;
    char id[64], name[160];

    if ((status = cy_i_gen_open_array(w, "regions")) != CY_OK)
        return status;
    for (size_t r = 0; r < m->region_count; r++) {
        cy_i_gen_record_begin(&rec);
        cy_i_gen_put_string(&rec, "id", cy_i_gen_regions[r].id);
        cy_i_gen_put_string(&rec, "name", cy_i_gen_regions[r].name);
        cy_i_gen_put_string(&rec, "source", "illustrative");
        if ((status = cy_i_gen_record_emit(&rec, w, &first)) != CY_OK)
            return status;
    }
    if ((status = cy_i_gen_close_array(w, first)) != CY_OK)
        return status;

    first = 1;
    if ((status = cy_i_gen_open_array(w, "clusters")) != CY_OK)
        return status;
    for (size_t r = 0; r < m->region_count; r++) {
        for (int electronics = 0; electronics < 2; electronics++) {
            cluster_id(r, electronics, id, sizeof id);
            if (r == REGION_CHONGQING)
                snprintf(name, sizeof name, "%s",
                         electronics ? "Chongqing smart-terminal cluster (5+6+800)"
                                     : "Chongqing automobile cluster (1+10+1000)");
            else if (r == REGION_CHENGDU)
                snprintf(name, sizeof name, "%s",
                         electronics ? "Chengdu electronic information cluster"
                                     : "Chengdu automotive cluster");
            else
                snprintf(name, sizeof name, "%s %s cluster", cy_i_gen_regions[r].name,
                         electronics ? "electronics" : "automotive");
            cy_i_gen_record_begin(&rec);
            cy_i_gen_put_string(&rec, "id", id);
            cy_i_gen_put_string(&rec, "name", name);
            cy_i_gen_put_string(&rec, "sector", electronics ? "electronics" : "automotive");
            cy_i_gen_put_string(&rec, "region", cy_i_gen_regions[r].id);
            cy_i_gen_put_string(&rec, "source", "illustrative");
            if ((status = cy_i_gen_record_emit(&rec, w, &first)) != CY_OK)
                return status;
        }
    }
    if ((status = cy_i_gen_close_array(w, first)) != CY_OK)
        return status;

    first = 1;
    if ((status = cy_i_gen_open_array(w, "parks")) != CY_OK)
        return status;
    for (size_t p = 0; p < m->park_count; p++) {
        const gen_park *park = &m->parks[p];
        park_id(m, p, id, sizeof id);
        if (park->demonstration)
            snprintf(name, sizeof name,
                     "Sichuan-Chongqing cooperation demonstration park %02zu", p + 1);
        else
            snprintf(name, sizeof name, "%s industrial park %s",
                     cy_i_gen_regions[park->region].name, id + strlen("park-"));
        cy_i_gen_record_begin(&rec);
        cy_i_gen_put_string(&rec, "id", id);
        cy_i_gen_put_string(&rec, "name", name);
        cy_i_gen_put_string(&rec, "region", cy_i_gen_regions[park->region].id);
        cy_i_gen_put(&rec, "demonstration",
                   rec.failed ? NULL : json_boolean(park->demonstration));
        cy_i_gen_put_string(&rec, "source", "illustrative");
        if ((status = cy_i_gen_record_emit(&rec, w, &first)) != CY_OK)
            return status;
    }
    return cy_i_gen_close_array(w, first);
}

/* Append a string to a JSON array; nonzero when array is NULL (an earlier
 * allocation failed) or appending fails. */
static int append_string(json_t *array, const char *value)
{
    return array == NULL || json_array_append_new(array, json_string_nocheck(value)) != 0;
}

/*
 * One enterprise record.  Key order: id, name (OEMs only; the others are
 * named by their id, the format's default), kind, tier, region, park,
 * clusters (absent when none), output_value, then capacity, inventory_days
 * and recovery_days (drawn from `stress`; absent when m->stress_fields is
 * 0, recovery_days on about half the firms), produces, requires (absent
 * for material firms, which need nothing), source.
 */
static cy_status write_enterprise(const gen_model *m, size_t i, gen_rng *stress,
                                  gen_writer *w, int *first)
{
    const gen_firm *f = &m->firms[i];
    const char *id = firm_id(m, i);
    char buf[160];
    gen_record rec;
    int failed = 0;

    cy_i_gen_record_begin(&rec);
    cy_i_gen_put_string(&rec, "id", id);
    if (f->tier == 0) {
        size_t rank = i - m->auto_oems;
        if (i == 0)
            snprintf(buf, sizeof buf, "Leading automaker %s (synthetic)", id);
        else if (i < m->auto_oems)
            snprintf(buf, sizeof buf, "Automaker %s (synthetic)", id);
        else if (rank < CQ_TERMINAL_BRANDS)
            snprintf(buf, sizeof buf, "Smart-terminal brand %s (synthetic)", id);
        else if (rank < CQ_TERMINAL_BRANDS + CQ_TERMINAL_ODMS)
            snprintf(buf, sizeof buf, "Smart-terminal ODM maker %s (synthetic)", id);
        else
            snprintf(buf, sizeof buf, "Smart-terminal maker %s (synthetic)", id);
        cy_i_gen_put_string(&rec, "name", buf);
    }
    cy_i_gen_put_string(&rec, "kind",
                      cy_kind_name(f->tier == 0               ? CY_KIND_OEM
                                   : f->tier == MATERIAL_TIER ? CY_KIND_MATERIAL
                                                              : CY_KIND_SUPPLIER));
    cy_i_gen_put_integer(&rec, "tier", f->tier);
    cy_i_gen_put_string(&rec, "region", cy_i_gen_regions[f->region].id);
    if (f->park >= 0) {
        park_id(m, (size_t)f->park, buf, sizeof buf);
        cy_i_gen_put_string(&rec, "park", buf);
    }

    /* The named Chongqing clusters by explicit choice; the others by region
     * and sector (Chongqing firms outside the named two are in none). */
    int cluster_count = 0;
    json_t *clusters = json_array();
    if (f->flags & FLAG_CQ_AUTO) {
        failed |= append_string(clusters, "cq-auto");
        cluster_count++;
    }
    if (f->flags & FLAG_CQ_TERMINAL) {
        failed |= append_string(clusters, "cq-smart-terminal");
        cluster_count++;
    }
    for (int electronics = 0; f->region != REGION_CHONGQING && electronics < 2;
         electronics++) {
        if (f->sectors & sector_of_index(electronics)) {
            cluster_id(f->region, electronics, buf, sizeof buf);
            failed |= append_string(clusters, buf);
            cluster_count++;
        }
    }
    if (cluster_count > 0 || clusters == NULL)
        cy_i_gen_put(&rec, "clusters", clusters); /* NULL marks the record failed */
    else
        json_decref(clusters);

    cy_i_gen_put_integer(&rec, "output_value", f->output_value);
    if (m->stress_fields)
        cy_i_gen_put_stress(&rec, stress,
                            f->tier == 0               ? GEN_STRESS_OEM
                            : f->tier == MATERIAL_TIER ? GEN_STRESS_MATERIAL
                                                       : GEN_STRESS_SUPPLIER,
                            f->output_value);

    json_t *produces = json_array();
    if (f->tier == 0)
        failed |= append_string(produces, i < m->auto_oems ? "vehicle" : "smart-terminal");
    for (unsigned k = 0; k < f->part_count; k++)
        failed |= append_string(produces, part_name(m, f->parts[k]));
    cy_i_gen_put(&rec, "produces", produces);

    if (f->tier != MATERIAL_TIER) {
        json_t *requires = json_array();
        for (int32_t r = first_req(f); r >= 0; r = next_req(m, f, r))
            failed |= append_string(requires, part_name(m, m->reqs[r].part));
        cy_i_gen_put(&rec, "requires", requires);
    }
    cy_i_gen_put_string(&rec, "source", "illustrative");
    if (failed)
        rec.failed = 1;
    return cy_i_gen_record_emit(&rec, w, first);
}

/*
 * One link object reused for every link: only its values change, which
 * spares a dozen allocations per link.  share_whole (the integer 1) and
 * share_split (a real) take turns under "share", so a whole need prints as
 * 1 and a split as k / 10000.
 */
typedef struct {
    json_t *object;
    json_t *from;
    json_t *to;
    json_t *part;
    json_t *volume;
    json_t *share_whole;
    json_t *share_split;
} gen_link_template;

static void link_template_free(gen_link_template *t)
{
    json_decref(t->object);
    json_decref(t->from);
    json_decref(t->to);
    json_decref(t->part);
    json_decref(t->volume);
    json_decref(t->share_whole);
    json_decref(t->share_split);
}

/* Build the template, key order from, to, part, volume, share, source.
 * CY_ENOMEM (with everything released) when an allocation fails. */
static cy_status link_template_init(gen_link_template *t)
{
    memset(t, 0, sizeof *t);
    t->object = json_object();
    t->from = json_string_nocheck("");
    t->to = json_string_nocheck("");
    t->part = json_string_nocheck("");
    t->volume = json_integer(0);
    t->share_whole = json_integer(1);
    t->share_split = json_real(0.5);
    if (t->object == NULL || t->from == NULL || t->to == NULL || t->part == NULL ||
        t->volume == NULL || t->share_whole == NULL || t->share_split == NULL ||
        json_object_set_nocheck(t->object, "from", t->from) != 0 ||
        json_object_set_nocheck(t->object, "to", t->to) != 0 ||
        json_object_set_nocheck(t->object, "part", t->part) != 0 ||
        json_object_set_nocheck(t->object, "volume", t->volume) != 0 ||
        json_object_set_nocheck(t->object, "share", t->share_whole) != 0 ||
        json_object_set_new_nocheck(t->object, "source",
                                    json_string_nocheck("illustrative")) != 0) {
        link_template_free(t);
        memset(t, 0, sizeof *t);
        return CY_ENOMEM;
    }
    return CY_OK;
}

/* The links of one requirement, one per supplier, in supplier order.
 * Setting an existing key keeps its place, so the key order holds. */
static cy_status write_requirement_links(const gen_model *m, const gen_requirement *req,
                                         gen_link_template *t, gen_writer *w, int *first)
{
    if (json_string_set_nocheck(t->to, firm_id(m, (size_t)req->customer)) != 0 ||
        json_string_set_nocheck(t->part, part_name(m, req->part)) != 0)
        return CY_ENOMEM;
    for (unsigned k = 0; k < req->supplier_count; k++) {
        json_t *share = t->share_whole;
        if (req->share_bp[k] != 10000) {
            share = t->share_split;
            json_real_set(share, req->share_bp[k] / 10000.0);
        }
        if (json_string_set_nocheck(t->from, firm_id(m, (size_t)req->supplier[k])) != 0 ||
            json_integer_set(t->volume, (json_int_t)link_volume(req, k)) != 0 ||
            json_object_set_nocheck(t->object, "share", share) != 0)
            return CY_ENOMEM;
        cy_status status = cy_i_gen_separator(w, first);
        if (status == CY_OK)
            status = cy_i_gen_dump(w, t->object, 0);
        if (status != CY_OK)
            return status;
    }
    return CY_OK;
}

/* The whole document: header, groups, enterprises in index order (tier by
 * tier), links grouped by customer in the same order, then the end and a
 * final flush of the caller's stream. */
cy_status cy_i_gen_write_network(const gen_model *m, gen_writer *w)
{
    gen_link_template link;
    gen_rng stress;
    cy_status status = link_template_init(&link);
    if (status != CY_OK)
        return status;

    /* The links are written customer by customer: their share of the
     * work goes by customers done (a customer has a few requirements). */
    const double firms = m->firm_count ? (double)m->firm_count : 1.0;
    const double links_at = GEN_SHARE_BUILD + GEN_SHARE_ENTERPRISES;
    status = write_header(m, w);
    if (status == CY_OK)
        status = write_groups(m, w);
    if (status == CY_OK)
        status = cy_i_gen_open_array(w, "enterprises");
    int first = 1;
    cy_i_gen_stress_init(&stress, m->seed);
    for (size_t i = 0; status == CY_OK && i < m->firm_count; i++) {
        if (i % GEN_PROGRESS_EVERY == 0)
            cy_i_gen_progress(w, "writing enterprises",
                              GEN_SHARE_BUILD + GEN_SHARE_ENTERPRISES * (double)i / firms);
        status = write_enterprise(m, i, &stress, w, &first);
    }
    if (status == CY_OK)
        status = cy_i_gen_close_array(w, first);

    if (status == CY_OK)
        status = cy_i_gen_open_array(w, "links");
    first = 1;
    for (size_t i = 0; status == CY_OK && i < m->firm_count; i++) {
        const gen_firm *c = &m->firms[i];
        if (i % GEN_PROGRESS_EVERY == 0)
            cy_i_gen_progress(w, "writing links",
                              links_at + (100.0 - links_at) * (double)i / firms);
        for (int32_t r = first_req(c); status == CY_OK && r >= 0; r = next_req(m, c, r))
            status = write_requirement_links(m, &m->reqs[r], &link, w, &first);
    }
    if (status == CY_OK)
        status = cy_i_gen_close_array(w, first);
    if (status == CY_OK)
        status = cy_i_gen_finish(w);
    link_template_free(&link);
    return status;
}
