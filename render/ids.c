/*
 * ids.c - a cgraph ID discipline that makes graphs write deterministically.
 *
 * cgraph's default discipline uses the address of the pooled name string
 * as a named object's ID, and keeps subgraphs in a dictionary ordered by
 * ID: agwrite then lists clusters in malloc address order, which changes
 * from run to run.  Here named objects get even IDs 2, 4, 6, ... in order
 * of first use and anonymous ones odd IDs, so subgraphs come out in
 * creation order and the same graph always writes the same bytes.
 */
#include "render_internal.h"

#include <string.h>

typedef struct {
    Agraph_t *g;
    cy_i_strtab names; /* name k has ID 2 (k + 1) */
    char **pooled;     /* name k in cgraph's string pool (agwrite checks
                          whether a name is HTML by its pool header) */
    size_t pooled_cap;
    IDTYPE next_anonymous;
    int failed;        /* a name could not be mapped (out of memory) */
} id_state;

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
    id_state *state = cy_calloc(1, sizeof *state);
    (void)disc;
    if (state) {
        state->g = g;
        cy_i_strtab_init(&state->names);
        state->next_anonymous = 1;
    }
    return state;
}

static long ids_map(void *closure, int objtype, char *name, IDTYPE *id,
                    int createflag)
{
    id_state *state = closure;
    long k;
    int inserted;
    (void)objtype;
    if (!state)
        return 0;
    /* After a failed name, cgraph asks for an anonymous ID and keeps the
     * name in its internal map, which agclose does not free: refuse it,
     * so that the object is not created and the caller sees the failure. */
    if (!name) {
        if (state->failed)
            return 0;
        *id = state->next_anonymous;
        state->next_anonymous += 2;
        return 1;
    }
    if (!createflag) {
        k = cy_i_strtab_find(&state->names, name, strlen(name));
        if (k >= 0 && !state->pooled[k])
            return 0;
    } else {
        if (!cy_i_grow((void **)&state->pooled, &state->pooled_cap,
                       state->names.count + 1, sizeof *state->pooled))
            goto fail;
        k = cy_i_strtab_intern(&state->names, name, strlen(name), &inserted);
        if (k < 0)
            goto fail;
        if (inserted)
            state->pooled[k] = NULL;
        if (!state->pooled[k] && !(state->pooled[k] = agstrdup(state->g, name)))
            goto fail;
    }
    if (k < 0)
        return 0;
    *id = 2 * ((IDTYPE)k + 1);
    return 1;
fail:
    state->failed = 1;
    return 0;
}

static long ids_alloc(void *closure, int objtype, IDTYPE id)
{
    (void)closure;
    (void)objtype;
    (void)id;
    return 0; /* objects are never created by ID */
}

static void ids_free(void *closure, int objtype, IDTYPE id)
{
    (void)closure;
    (void)objtype;
    (void)id; /* names live until the graph is closed */
}

static char *ids_print(void *closure, int objtype, IDTYPE id)
{
    id_state *state = closure;
    (void)objtype;
    if (state && id % 2 == 0 && id / 2 >= 1 && id / 2 <= state->names.count)
        return state->pooled[id / 2 - 1];
    return NULL;
}

static void ids_close(void *closure)
{
    id_state *state = closure;
    if (!state)
        return;
    /* The pooled copies go with the graph's string pool. */
    cy_i_strtab_destroy(&state->names);
    cy_free(state->pooled);
    cy_free(state);
}

static void ids_register(void *closure, int objtype, void *obj)
{
    (void)closure;
    (void)objtype;
    (void)obj;
}

static Agiddisc_t id_discipline = {ids_open, ids_map, ids_alloc, ids_free,
                                   ids_print, ids_close, ids_register};

Agraph_t *cy_r_graph_open(const char *name)
{
    static Agdisc_t discipline;
    Agraph_t *g;
    discipline.mem = &AgMemDisc;
    discipline.id = &id_discipline;
    discipline.io = &AgIoDisc;
    g = agopen((char *)name, Agdirected, &discipline);
    /* agopen goes on when the discipline's state could not be allocated;
     * such a graph could name nothing. */
    if (g && !g->clos->state.id) {
        agclose(g);
        return NULL;
    }
    return g;
}
