/*
 * chengyu_io.h - networks in and out other than the loader: the synthetic generator.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_IO_H
#define CHENGYU_IO_H

#include "chengyu_network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* generate                                                            */
/* ------------------------------------------------------------------ */

/*
 * The synthetic networks.  REGIONAL, PROVINCE, NATIONAL and XL (about
 * 1,645, 20,000, 200,000 and 1,000,000 firms) are layered: OEMs at tier 0,
 * suppliers at tiers 1-4, materials at tier 5, parks and clusters, links
 * from one tier to the next.  DENSE (800 firms, about 2,900 links) is
 * unlayered, like a real inter-firm transaction network: no tiers, no
 * parks, one part name, many mutual supplier-customer pairs.
 */
typedef enum {
    CY_PRESET_REGIONAL = 0,
    CY_PRESET_PROVINCE,
    CY_PRESET_NATIONAL,
    CY_PRESET_XL,
    CY_PRESET_DENSE
} cy_preset;

typedef struct {
    cy_preset preset;
    uint64_t seed;
    long oem_count;       /* <= 0: the preset's default */
    long supplier_count;  /* <= 0: the preset's default */
} cy_generate_params;

/*
 * Write a synthetic chengyu/1 network to `out`.  The same params give a
 * byte-identical file on every machine.  Returns CY_EIO if writing fails,
 * CY_EUSAGE for counts out of range.
 * Time complexity: O(n + m log n) for the generated n firms and m links
 * (each weighted supplier pick is a binary search); memory O(n + m), the
 * JSON streamed.
 */
cy_status cy_generate(const cy_generate_params *params, FILE *out,
                      cy_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_IO_H */
