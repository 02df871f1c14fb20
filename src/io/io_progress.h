/*
 * io_progress.h - the progress of the readers and writers of src/io (the
 * generator has its own in its writer): the caller's cy_progress_fn, called
 * every few thousand records with the share of the whole run done.
 * Private to the library.
 */
#ifndef CHENGYU_IO_PROGRESS_H
#define CHENGYU_IO_PROGRESS_H

#include "chengyu.h"

#include <stddef.h>

/* Records between two reports: a report costs a call and a clock read, a
 * record a few microseconds. */
#define CY_I_PROGRESS_EVERY 4096

typedef struct {
    cy_progress_fn fn;  /* NULL: no progress */
    void *data;
} cy_i_progress;

/*
 * Step `what` at from + span x done / total percent of the whole run,
 * reported when done is a multiple of CY_I_PROGRESS_EVERY (so at 0 too).
 * `p` may be NULL.  Time complexity: O(1).
 */
void cy_i_progress_step(const cy_i_progress *p, const char *what, double from,
                        double span, size_t done, size_t total);
/* Step `what` at `percent`, whatever the count.  `p` may be NULL. */
void cy_i_progress_at(const cy_i_progress *p, const char *what, double percent);

#endif /* CHENGYU_IO_PROGRESS_H */
