/*
 * io_progress.c - the progress reports of the readers and writers
 * (io_progress.h).
 */
#include "io_progress.h"

void cy_i_progress_step(const cy_i_progress *p, const char *what, double from,
                        double span, size_t done, size_t total)
{
    if (p && p->fn && done % CY_I_PROGRESS_EVERY == 0)
        p->fn(what, from + span * (double)done / (double)(total ? total : 1), p->data);
}

void cy_i_progress_at(const cy_i_progress *p, const char *what, double percent)
{
    if (p && p->fn)
        p->fn(what, percent, p->data);
}
