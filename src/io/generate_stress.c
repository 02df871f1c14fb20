/*
 * generate_stress.c - the fields of the stress test (`chengyu stress`) on
 * every generated enterprise: a capacity above its output, days of stock,
 * and on about half the firms a time to recover.  The figures are
 * synthetic: ranges by kind chosen to be plausible, not measured.
 *
 *   kind                 spare capacity   inventory_days   recovery_days
 *   oem (tier 0)         0-15% of output  0-5              10-45
 *   supplier (tier 1-4)  5-30%            2-10             5-60
 *   material (tier 5)    10-30%           5-14             20-90
 *
 * Finished-product makers assemble just in time and run their lines close
 * to full; material firms (furnaces, chemical plants) keep larger stocks,
 * have more headroom and take longest to restart.  recovery_days is given
 * with probability 1/2.  The dense preset has no material firms: its firms
 * of kind "oem" and "supplier" follow the first two rows.
 *
 * The draws come from their own stream (STREAM_STRESS), taken firm by firm
 * in the order the enterprises are written, so the rest of the network is
 * the same bytes with or without these fields.  Integer arithmetic only.
 */
#include "generate_internal.h"

/* One row of the table above; capacity in per mille of the output. */
typedef struct {
    unsigned spare_lo, spare_hi;       /* per mille above the output */
    unsigned stock_lo, stock_hi;       /* inventory days */
    unsigned recovery_lo, recovery_hi; /* recovery days */
} stress_rule;

static const stress_rule stress_rules[] = {
    [GEN_STRESS_OEM] = {0, 150, 0, 5, 10, 45},
    [GEN_STRESS_SUPPLIER] = {50, 300, 2, 10, 5, 60},
    [GEN_STRESS_MATERIAL] = {100, 300, 5, 14, 20, 90},
};

/* Per mille of the firms that give recovery_days. */
#define RECOVERY_PERMILLE 500

void cy_i_gen_stress_init(gen_rng *rng, uint64_t seed)
{
    rng_seed(rng, seed, STREAM_STRESS);
}

/*
 * Draw the fields of one firm of class `kind` with output `output` (>= 0,
 * < 2^61) and add them to rec: capacity = output + spare, never below the
 * output; inventory_days; recovery_days when the coin says so.  Always
 * four draws in the same order, so a firm's figures depend only on the
 * seed and its place in the file.
 */
void cy_i_gen_put_stress(gen_record *rec, gen_rng *rng, gen_stress_kind kind,
                         int64_t output)
{
    const stress_rule *rule = &stress_rules[kind];
    unsigned spare = rng_range(rng, rule->spare_lo, rule->spare_hi);
    unsigned stock = rng_range(rng, rule->stock_lo, rule->stock_hi);
    int recovers = rng_chance(rng, RECOVERY_PERMILLE);
    unsigned recovery = rng_range(rng, rule->recovery_lo, rule->recovery_hi);

    cy_i_gen_put_integer(rec, "capacity", output + proportion(output, spare, 1000));
    cy_i_gen_put_integer(rec, "inventory_days", stock);
    if (recovers)
        cy_i_gen_put_integer(rec, "recovery_days", recovery);
}
