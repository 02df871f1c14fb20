/*
 * internal.h - definitions shared by the modules of libchengyu.  Not
 * installed, not part of the API: analyses may read these structures
 * directly; the CLI and the outside world use the accessors in chengyu.h.
 */
#ifndef CHENGYU_INTERNAL_H
#define CHENGYU_INTERNAL_H

#include "chengyu.h"
#include "chengyu_test.h"

#include <igraph/igraph.h>
#include <jansson.h>
#include <pthread.h>

/* ---- the language of the output for people (lang.c) ----------------- */

/*
 * Text for people in the language set (cy_tr, cy_ntr): _() marks a
 * string for xgettext and translates it; N_() only marks it (for tables
 * of strings translated where they are used); P_() picks a counted
 * phrase's plural form.
 */
#define _(s) cy_tr(s)
#define N_(s) s
#define P_(one, many, n) cy_ntr(one, many, (unsigned long)(n))

/* ---- interned strings ------------------------------------------------ */

/*
 * A string table: each distinct string gets a dense index (0, 1, ...) in
 * order of first insertion, and lookups are O(length) expected (open
 * addressing, keyed SipHash-1-3; see network.c).  Strings are copied and
 * owned by the table.
 */
#define CY_I_SLOT_INLINE 24
typedef struct {
    uint32_t tag;         /* high 32 bits of the string's hash */
    uint32_t index;       /* index + 1, 0 = empty slot */
    /* A string shorter than CY_I_SLOT_INLINE bytes, NUL-padded; for a
     * longer one all NUL but the last byte, which is 1. */
    char key[CY_I_SLOT_INLINE];
} cy_i_strslot;

typedef struct {
    char **strings;
    size_t count;
    size_t capacity;      /* of strings */
    cy_i_strslot *slots;
    size_t slot_count;    /* power of two */
} cy_i_strtab;

void cy_i_strtab_init(cy_i_strtab *tab);
void cy_i_strtab_destroy(cy_i_strtab *tab);
/* Index of s, or -1. */
long cy_i_strtab_find(const cy_i_strtab *tab, const char *s, size_t len);
/* Index of s, inserting it if new; *inserted says which.  -1 on OOM. */
long cy_i_strtab_intern(cy_i_strtab *tab, const char *s, size_t len,
                        int *inserted);
/*
 * The tag of s (the high half of its keyed hash, the same in every table
 * of the process), and the two calls above given it: the load computes
 * the tags of the ids a record names on the thread that parsed the
 * record, and the thread that validates in file order only probes.
 * `tag` must be cy_i_strtab_tag(s, len).
 * Time complexity: O(len) for the tag, O(len) expected for the others.
 */
uint32_t cy_i_strtab_tag(const char *s, size_t len);
long cy_i_strtab_find_tagged(const cy_i_strtab *tab, const char *s, size_t len,
                             uint32_t tag);
long cy_i_strtab_intern_tagged(cy_i_strtab *tab, const char *s, size_t len,
                               uint32_t tag, int *inserted);
/*
 * Ask the processor for the slot where a probe for `tag` starts, ahead of
 * a lookup it would miss in the cache; changes nothing and fails never
 * (no-op without GCC's builtins).  `tab` must not change meanwhile on
 * another thread.
 * Time complexity: O(1).
 */
void cy_i_strtab_prefetch(const cy_i_strtab *tab, uint32_t tag);
/*
 * A read-only view of `tab` as it is now, for lookups on other threads
 * while the owner goes on inserting into `tab`: its own copy of the slots
 * and of the array of string pointers (the strings themselves stay
 * `tab`'s, which never moves or frees them before it is destroyed).  A
 * string in the view has the index it has in `tab`; a string inserted
 * later is not in the view.  Only cy_i_strtab_find_tagged may be used on
 * it, and cy_i_strtab_view_free releases it (never cy_i_strtab_destroy).
 * 0 on OOM.
 * Time complexity: O(slots + strings) to make.
 */
int cy_i_strtab_view(const cy_i_strtab *tab, cy_i_strtab *view);
void cy_i_strtab_view_free(cy_i_strtab *view);

/* ---- numbers (number.c) ---------------------------------------------- */

/*
 * The shortest of "%.15g", "%.16g" and "%.17g" that strtod reads back as
 * exactly `value`, spelled as snprintf spells it in the C locale (a
 * non-finite value as snprintf spells it).  Under a locale whose decimal
 * point is not '.' (the CLI never sets one) the answer is still exact, but
 * may have 17 digits and, when the C library is asked (a tie in the 17
 * digits), carries that locale's point.  Under a rounding mode other than
 * round-to-nearest the C library's loop answers, in that mode.
 * `text` has room for 32 bytes; returns the length.
 * Time complexity: O(1); one snprintf, rarely a strtod.
 */
size_t cy_i_real_text(char *text, double value);

/*
 * The one spelling of a real in every output of chengyu (JSON, CSV, text,
 * Markdown, HTML): integral values below 2^53 in magnitude with all their
 * digits and ".0" ("1500.0", "-0.0"); others with cy_i_real_text's
 * fewest digits, the exponent without '+' or leading zeros ("0.7",
 * "1.5e-7", "1e20").  It is the text Jansson's json_dump writes for the
 * value, with the fewest digits that read back exactly instead of 17.
 * A non-finite value gives "" (each format says what it writes instead).
 * `text` has room for 32 bytes; returns the length.
 * Time complexity: O(1).
 */
size_t cy_i_real_spell(char *text, double value);

/* ---- text for people (utf8.c) ---------------------------------------- */

/*
 * Decode one UTF-8 sequence at `text` (not at its NUL): returns its length
 * (>= 1) and sets *cp, or sets *cp to -1 for a byte that starts no valid
 * sequence (overlong forms, surrogates and values above U+10FFFF
 * included), which is then consumed alone.
 * Time complexity: O(1).
 */
size_t cy_i_utf8_next(const char *text, long *cp);

/*
 * 1 for a code point no writer for people shows as it is: C0 controls,
 * DEL, C1 controls, the bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), the line and paragraph separators
 * (U+2028, U+2029); and -1, an invalid byte.
 */
int cy_i_codepoint_hostile(long cp);

/* Terminal columns of a code point: 2 for East Asian wide and full-width
 * characters, 0 for combining marks and zero-width spaces, 1 otherwise (a
 * compact table of the main blocks, not full East_Asian_Width). */
int cy_i_codepoint_width(long cp);

/*
 * The visible escape of a hostile code point: "\n", "\r", "\t", "\x1B"
 * for other ASCII controls, "\u202E" for the others, and "\xFF" for an
 * invalid byte (cp -1, the byte in `byte`).  Returns the length.
 */
#define CY_I_ESCAPE_SIZE 12
size_t cy_i_visible_escape(long cp, unsigned char byte, char out[CY_I_ESCAPE_SIZE]);

/*
 * `text` with every hostile code point replaced by its visible escape, cut
 * to at most `max_columns` terminal columns (0: no limit) with U+2026
 * marking the cut, into out (NUL-terminated, at most size - 1 bytes; a
 * text that does not fit is cut the same way).  Returns the length.
 * cy_i_safe_columns gives the columns of the whole escaped text.
 * Time complexity: O(length of text).
 */
size_t cy_i_safe_text(char *out, size_t size, const char *text, size_t max_columns);
size_t cy_i_safe_columns(const char *text);

/* A user string quoted in a message: cy_i_safe_text cut at
 * CY_I_ECHO_COLUMNS columns, into buf.  Returns buf. */
#define CY_I_ECHO_COLUMNS 80
#define CY_I_ECHO_SIZE (4 * CY_I_ECHO_COLUMNS + 8)
const char *cy_i_echo(char buf[CY_I_ECHO_SIZE], const char *text);

/* ---- the model ------------------------------------------------------- */

typedef struct {
    const char *id;       /* owned by net->ids */
    char *name;
    const char *source;   /* owned by net->sources, may be NULL */
    long region;          /* region index or -1 */
    char *sector;         /* clusters only, may be NULL */
    int demonstration;    /* parks only */
    int has_location;
    double lon, lat;
    int implicit;         /* a region created by reference, not declared */
    int inside;           /* regions only: in the Chengdu-Chongqing circle */
    json_t *meta;         /* kept, never interpreted; may be NULL */
} cy_i_group;

typedef struct {
    const char *id;       /* owned by net->ids */
    char *name;
    char *name_zh;
    char *uscc;
    const char *source;   /* owned by net->sources, may be NULL */
    cy_kind kind;
    int tier;             /* -1 when not given */
    long region, park;    /* group indices or -1 */
    size_t *clusters;
    size_t cluster_count;
    size_t *produces;     /* part indices */
    size_t produces_count;
    size_t *requires;     /* part indices, sorted ascending */
    size_t requires_count;
    int requires_explicit;
    double output_value;  /* 0 when not given */
    int has_output_value;
    /* The stress fields as given (has_* says whether they were). */
    double final_demand_given;
    int has_final_demand;
    double capacity_given;
    int has_capacity;
    double inventory_days; /* 0 when not given */
    int has_inventory_days;
    double recovery_days;  /* -1 when not given */
    /* Computed once the links are loaded (load_rules.c, format.md):
     * output = output_value, else the outgoing volumes + final_demand;
     * final_demand = the field, else output_value minus the outgoing
     * volumes floored at 0, else 0; capacity = the field, else output. */
    double out_volume;    /* sum of the volumes of its outgoing links */
    double output;
    double final_demand;
    double capacity;
    int demand_node;
    int has_location;
    double lon, lat;
    json_t *meta;
} cy_i_enterprise;

typedef struct {
    size_t from, to, part;
    double volume;        /* 0 when not given */
    int has_volume;       /* the file gave `volume` */
    double share;         /* -1 when not given */
    const char *source;   /* owned by net->sources, may be NULL */
    json_t *meta;
} cy_i_link;

/* Which kind of record an id names. */
typedef enum {
    CY_I_OWNER_REGION = CY_GROUP_REGION,
    CY_I_OWNER_CLUSTER = CY_GROUP_CLUSTER,
    CY_I_OWNER_PARK = CY_GROUP_PARK,
    CY_I_OWNER_ENTERPRISE
} cy_i_owner_kind;

typedef struct {
    cy_i_owner_kind kind;
    size_t index;         /* into the groups/enterprises array */
    size_t json_index;    /* position in the file's array (for messages) */
} cy_i_owner;

struct cy_network {
    char *name;
    char *description;
    char currency[4];     /* ISO 4217, "CNY" by default */
    json_t *meta;

    cy_i_strtab ids;      /* every id; owners[k] says what id k names */
    cy_i_owner *owners;
    cy_i_strtab parts;    /* part names, index = part index */
    cy_i_strtab sources;  /* interned `source` strings */

    cy_i_group *groups[CY_GROUP_KIND_COUNT];
    size_t group_count[CY_GROUP_KIND_COUNT];

    cy_i_enterprise *enterprises;
    size_t enterprise_count;
    cy_i_link *links;
    size_t link_count;

    /* Demand (computed at load, see cy_i_enterprise and format.md). */
    cy_demand_rule demand_rule;
    double final_demand_total;
    size_t demand_node_count;
    int has_stress_data;  /* a firm gives capacity, inventory or recovery */
    int single_part;      /* 10+ firms, all links carry one part */

    /*
     * Incoming links of each customer, sorted by (part, supplier):
     * in_links[in_offset[c] .. in_offset[c+1]) are link indices.  Outgoing
     * links of each supplier, sorted by (customer, part), likewise.
     */
    size_t *in_offset, *in_links;
    size_t *out_offset, *out_links;

    /*
     * The firm graph: vertex i = enterprise i, one directed edge per
     * distinct (supplier, customer) pair, in ascending (supplier, customer)
     * order; firm_volume[e] is the summed volume of its links and
     * link_firm_edge[j] the firm edge that link j belongs to.
     */
    igraph_t firm_graph;
    igraph_vector_t firm_volume;
    size_t *link_firm_edge;
    /* 1 when two firms supply each other (a -> b and b -> a): read as
     * undirected, the firm graph then has two parallel edges between them
     * (structure.c merges them first only in that case). */
    int firm_has_mutual;
    int graphs_ready;
    /* Where the network was read from, when that was not JSON (a workbook
     * or CSV folder, src/io/import_load.c): what turns the JSON paths of
     * later diagnostics into sheets and cells (cy_i_network_translate). */
    void *origin;
    void (*origin_translate)(const void *origin, cy_error *err, size_t first);
    void (*origin_free)(void *origin);
    /* Built by the streaming pass, not the DOM path (load_stream.c); for
     * tests. */
    int streamed;
    /* Records checked on the parsing threads and put in as they were
     * (load_prepare.c); for tests. */
    size_t prepared;
};

/* Allocate an empty network (all counts zero). NULL on OOM. */
cy_network *cy_i_network_new(void);

/*
 * Build the adjacency indexes from the records and, with `with_graphs`,
 * the mutual-supply flag and the igraph firm graph.  Called once by the loader
 * after validation; a network built without graphs is only for
 * cy_network_check and must not reach an analysis.
 */
cy_status cy_i_network_build(cy_network *net, int with_graphs, cy_error *err);

/*
 * Serial work run on a helper thread beside the caller's own (threads.c):
 * the firm graph beside the loader's checks, the chokepoint lists beside
 * the impact ranking, the weak-link report's structure, single-source
 * ranking and risk register beside its sections.  work(arg, err) may
 * write only what the caller leaves alone until cy_i_beside_finish, and
 * must not call igraph while the caller may (igraph is not thread-safe).
 * Its messages go to the job's own cy_error and are moved into the
 * caller's at the finish, so they come out in the same place wherever it
 * ran.
 */
typedef struct {
    cy_status (*work)(void *arg, cy_error *err);
    void *arg;
    cy_status status;
    cy_error err;
    pthread_t thread;
    int running, done;
} cy_i_beside;

/* A job that has not run.  Time complexity: O(1). */
void cy_i_beside_init(cy_i_beside *job, cy_status (*work)(void *arg, cy_error *err),
                      void *arg);

/*
 * Start the work on a helper thread when `worth` (the caller's judgement
 * that a thread's start costs less than it saves) and
 * cy_i_par_can_overlap(); 1 if it started.  Otherwise (or when the thread
 * cannot be made) nothing is done: the work runs in place at the finish,
 * or wherever the caller chooses to do it itself.
 * Time complexity: O(1) here; the work's on the helper.
 */
int cy_i_beside_start(cy_i_beside *job, int worth);

/*
 * The work's status: the helper joined and its messages moved into `err`
 * (NULL: dropped), or, if it never started, the work run here with `err`.
 * Once done, later calls return the same status.
 * Time complexity: the work's, or the wait for the helper.
 */
cy_status cy_i_beside_finish(cy_i_beside *job, cy_error *err);

/*
 * Wait for a helper still running and drop its messages (the caller
 * failed meanwhile and will not read its result); 1 if there was one, so
 * that the caller frees what the work made.  Never runs the work.
 * Time complexity: the wait for the helper.
 */
int cy_i_beside_join(cy_i_beside *job);

/*
 * The same build in two halves, so that the loader's own checks can run
 * beside the graph half on another thread (load_rules.c):
 * cy_i_network_build_indexes builds the indexes; cy_i_network_build_graphs
 * then finds the mutual pair and builds link_firm_edge and the firm graph
 * (igraph_create sorts every edge), reading only the indexes and the
 * links and writing only those fields.  Work beside it may read the
 * indexes and the records, never the graph fields nor firm_has_mutual,
 * and must not call igraph.  cy_i_network_build is the two in turn.
 * CY_I_PARALLEL_GRAPH_MIN_LINKS: the links from which running the two
 * sides on two threads pays for the thread's start.
 * Time complexity: O(n + m) for the indexes; the graph, O(m log m).
 */
#define CY_I_PARALLEL_GRAPH_MIN_LINKS 65536
cy_status cy_i_network_build_indexes(cy_network *net, cy_error *err);
cy_status cy_i_network_build_graphs(cy_network *net, cy_error *err);

/*
 * The incoming links of customer c for one part: their count (= the number
 * of distinct suppliers, as (from, to, part) is unique) and, when `first`
 * is not NULL, the position in in_links of the first one; they are
 * in_links[*first .. *first + count).  Binary search in c's in_links,
 * which are sorted by part: O(log in-degree).
 */
size_t cy_i_part_suppliers(const cy_network *net, size_t c, size_t part,
                           size_t *first);

/*
 * The size of the downstream cone of the `root_count` firms at `roots`
 * (the roots and every firm they reach along outgoing links; with
 * `volume_only`, only links with a volume), counted up to `cap` (>= 1):
 * the result is min(size, cap), and the walk stops there, so a large cone
 * costs O(cap) firms and their links, not the network.  `mark` holds one
 * stamp per firm, none equal to `stamp` (the walk sets the cone's to it:
 * a new stamp per call saves clearing); `queue` has room for `cap` firms
 * (and for every root).  Both the stress programs' hand-out order and the
 * weak-link time section's cone limit count cones this way.  Hand-written:
 * igraph's neighbourhood size starts from one vertex, cannot stop at a
 * cap and would follow every link.
 * Time complexity: O(roots + the firms counted and their outgoing links).
 */
size_t cy_i_cone_count(const cy_network *net, const size_t *roots, size_t root_count,
                       size_t cap, int volume_only, size_t *mark, size_t stamp,
                       size_t *queue);

/*
 * Report an igraph failure code as a diagnostic and map it to a status
 * (IGRAPH_ENOMEM -> CY_ENOMEM, anything else -> CY_EINTERNAL).
 */
cy_status cy_i_igraph_status(igraph_error_t code, cy_error *err,
                             const char *what);

/*
 * Read the whole regular file `path` into *data (cy_free; *size bytes, one
 * more allocated), as the loader reads a chengyu/1 file: opened without
 * blocking, refused when it is not a regular file ("not a regular file (it
 * is a FIFO)") or larger than `limit` bytes ("file is N bytes, over the
 * input limit of L bytes" then `raise`, CY_I_RAISE_LIMIT for the
 * CHENGYU_MAX_INPUT_BYTES limit, "" for a fixed one), a read error said as
 * such ("cannot read: Input/output error").  Messages carry no file name:
 * the caller sets err->file.  CY_EINPUT, CY_EIO or CY_ENOMEM on failure.
 * Time complexity: O(size of the file).
 */
#define CY_I_RAISE_LIMIT " (raise it with CHENGYU_MAX_INPUT_BYTES)"
cy_status cy_i_read_input(const char *path, size_t limit, const char *raise,
                          char **data, size_t *size, cy_error *err);

/*
 * The number of allocations through cy_malloc/cy_calloc/cy_realloc that
 * returned NULL so far (injected or real).  Lets a caller notice that a
 * library which hides its allocation failures (Jansson's parser) ran out
 * of memory.
 */
unsigned long cy_i_alloc_failures(void);

/* Whether cy_alloc_fail_after is injecting failures now: parallel loops
 * then run on one thread, so the Nth allocation is always the same one. */
int cy_i_alloc_injecting(void);

/*
 * Hand the free memory of malloc's heaps back to the system (glibc's
 * malloc_trim: the whole free pages of every arena, not only the top).
 * For the end of a stage whose scratch blocks were freed before a larger
 * one is made: freed heap memory stays resident otherwise, and the next
 * large block (mmap'd) cannot reuse it.  A no-op without glibc.
 * Time complexity: O(free blocks of every arena).
 */
void cy_i_mem_release(void);

/* Append src's diagnostics to dst (with src's count of those it did not
 * store and its oom flag) and clear src.  Time complexity: O(messages). */
void cy_i_error_move(cy_error *dst, cy_error *src);
/* The same, each message said to be about the `kind` named `name`
 * ("KIND \"NAME\": message"; `kind` NULL: as it is) and put at `path`
 * when it has no place of its own. */
void cy_i_error_move_within(cy_error *dst, cy_error *src, const char *path,
                            const char *kind, const char *name);

/* ---- results moved between processes (dist.c) ------------------------ */

/* A packing buffer: `at` NULL counts the bytes (the first pass), else
 * they are written at at + size. */
typedef struct {
    unsigned char *at;
    size_t size;
} cy_i_pack;

/* Reading a packed buffer; `bad` is set by a read past its end. */
typedef struct {
    const unsigned char *at;
    size_t size, pos;
    int bad;
} cy_i_unpack;

/* Append/read `size` raw bytes.  Time complexity: O(size). */
void cy_i_pack_put(cy_i_pack *out, const void *data, size_t size);
void cy_i_unpack_get(cy_i_unpack *in, void *data, size_t size);

/* Whether the loops are spread over several processes now (never inside
 * an item of a loop, nor while allocation failures are injected).
 * Time complexity: O(1). */
int cy_i_dist_active(void);

/*
 * Every process's `size` bytes at `mine` (its status `status`, messages
 * `mine_err`), a collective: on success `each(ctx, rank, in, err)` for every
 * other process's bytes, in rank order; on any failure, the status and
 * messages of the failing process with the lowest `failed_at` (ties: the
 * lowest rank), the same on every process.
 * Time complexity: O(processes + the bytes moved).
 */
cy_status cy_i_dist_exchange(const void *mine, size_t size, cy_status status,
                             size_t failed_at, cy_error *mine_err,
                             cy_status (*each)(void *ctx, size_t rank, cy_i_unpack *in,
                                               cy_error *err),
                             void *ctx, cy_error *err);

/*
 * Before a step no process can undo (process 0 renaming an output over
 * its target), a collective: every process gives its status so far
 * (`mine_err` its messages, cleared) and gets the first failure of all, or
 * when a process has left, the line it printed last; CY_OK when every
 * process is still running and none failed.  Without an MPI run of
 * several processes: `status`, with mine_err's messages moved to err.
 * Time complexity: O(processes + the messages moved).
 */
cy_status cy_i_dist_agree(cy_status status, cy_error *mine_err, cy_error *err);

/*
 * The network keeps `origin` (freed with it by origin_free) to translate
 * the JSON paths of diagnostics an analysis reports later (the stress
 * data's "$.enterprises[12].output_value") into the places of the file
 * it was read from ("企业!H15"): cy_i_network_translate rewrites
 * err's items from `first` on; without an origin it does nothing.
 * Time complexity: O(1); the translation O(the messages' length).
 */
void cy_i_network_set_origin(cy_network *net, void *origin,
                             void (*translate)(const void *origin, cy_error *err, size_t first),
                             void (*origin_free)(void *origin));
void cy_i_network_translate(const cy_network *net, cy_error *err, size_t first);

/* ---- parallel loops (threads.c) --------------------------------------- */

/*
 * A loop of `count` independent items run by cy_i_par_run.  Each worker
 * (thread) first makes its state with worker_init (may be NULL: no state),
 * then runs items, each `item(ctx, state, index, err)`.  An item reads
 * ctx and writes only its own result slot (in ctx, by index) and its
 * worker's state; it must not call igraph (Debian's build is not
 * thread-safe) nor add messages to err unless it fails.  worker_destroy
 * (may be NULL) gets whatever worker_init left, also after it failed;
 * both run on the calling thread.
 * `progress` (may be NULL) is called from the calling thread only, with
 * `what` and the share of items done.
 */
typedef struct {
    size_t count;
    size_t threads; /* 0: cy_threads_get() */
    void *ctx;
    cy_status (*worker_init)(void *ctx, void **state, cy_error *err);
    void (*worker_destroy)(void *ctx, void *state);
    /* Called on each thread the loop started, as it ends (may be NULL):
     * GLPK keeps per-thread state that only its thread can free. */
    void (*thread_end)(void *ctx);
    cy_status (*item)(void *ctx, void *state, size_t index, cy_error *err);
    /* The loop's conclusion (may be NULL): called once on the calling
     * thread after every item succeeded and every worker_destroy ran (they
     * may join the workers' lists); its failure is the loop's.  Under MPI
     * it runs before the exchange, so that its status travels with this
     * process's results: a process whose conclusion failed makes every
     * process fail the loop, never sends an incomplete share as complete. */
    cy_status (*after)(void *ctx, cy_error *err);
    cy_progress_fn progress;
    const char *what;
    void *progress_data;
    /* Spreading the loop over the processes of an MPI run (dist.c): either
     * every item writes only its own `slot_size` bytes at slots + index *
     * slot_size (no pointers in them), or pack and unpack move the results
     * of the items first, first + step, ... < count.  Neither: every
     * process runs every item. */
    void *slots;
    size_t slot_size;
    void (*pack)(void *ctx, size_t first, size_t step, cy_i_pack *out);
    cy_status (*unpack)(void *ctx, size_t first, size_t step, cy_i_unpack *in,
                        cy_error *err);
} cy_i_par_job;

/*
 * Run job's items 0 .. count-1 on up to `threads` threads, the calling
 * thread being one of them; returns when all are done.  Items are handed
 * out in increasing order.  When an item fails, no later item is started
 * and the earlier ones still run, so the status and messages returned are
 * those of the lowest failing item: what one thread would have met first.
 * Answers thus never depend on the thread count.  One thread is used
 * inside an item (nested loops) and while allocation failures are
 * injected.  A thread that cannot be started, or whose worker_init fails
 * (other than the calling thread's), leaves its share to the others.
 * When the items succeeded, the result is that of job->after (if any).
 * Time complexity: O(sum of the items' costs / threads + threads).
 */
cy_status cy_i_par_run(const cy_i_par_job *job, cy_error *err);

/* Whether the calling thread is running an item of a loop.
 * Time complexity: O(1). */
int cy_i_par_inside_item(void);

/*
 * Whether serial work may run on a helper thread beside the calling
 * thread's (the firm graph beside the loader's checks, the chokepoint
 * lists beside the impact ranking, the weak-link report's helpers, the
 * parts of cy_i_sort): two threads or more, no allocation failures
 * injected (their count must not depend on thread timing), and not inside
 * an item of a loop (which has one thread).  Otherwise the work runs in
 * place, with the same answers.
 * Time complexity: O(1).
 */
int cy_i_par_can_overlap(void);

/*
 * qsort(base, count, size, cmp) on the library's threads (sort.c): parts
 * sorted by qsort at once, then merged.  `cmp` must be a total order on
 * the elements (0 only for two copies of the same bytes: break ties by a
 * unique rank or index), as the order of equal elements is not qsort's.
 * It runs on other threads, so it must read nothing but its two
 * arguments (and data no thread changes meanwhile): a comparator that
 * takes its context from a _Thread_local variable the caller sets, as
 * several of the library's qsort comparators do, would find it unset
 * there.  Arrays under cy_i_sort_parallel_min() elements (65,536), one
 * thread, an item of a loop, injected allocation failures or no memory
 * for a copy of the array: qsort itself.  Needs a copy of the array
 * besides qsort's own.  Never fails.
 * Time complexity: O(n log n / threads + n log threads).
 */
void cy_i_sort(void *base, size_t count, size_t size,
               int (*cmp)(const void *, const void *));

/* The fewest elements cy_i_sort spreads over threads; tests lower it
 * (cy_i_sort_set_parallel_min, 0 restores 65,536) so that small inputs
 * take the threaded path.  Time complexity: O(1). */
size_t cy_i_sort_parallel_min(void);
void cy_i_sort_set_parallel_min(size_t count);

/*
 * For tests: the weak-link report fails as if out of memory right after
 * its section k (0 to 8) succeeded, while the helper threads started
 * before it may still run (the structure's until section 2, the
 * single-source ranking's from 3 to 4, the risk register's from 7 to 8);
 * -1 (the default): never.  Not thread-safe; set it between reports.
 * Time complexity: O(1).
 */
void cy_i_wl_fail_after_section(int k);

/*
 * Run `job` spread over the processes (cy_i_par_run calls it when
 * cy_i_dist_active and the job has slots or pack/unpack): this process
 * runs items rank, rank + size, ... on its threads; then every process
 * receives the others' results, and the status and messages are those of
 * the lowest failing item of all, on every process (a failure of a
 * process's job->after counts as a failure after every item: the lowest
 * such process's, when no item failed).
 * Time complexity: O(items / (processes * threads) + the bytes moved).
 */
cy_status cy_i_dist_run(const cy_i_par_job *job, cy_error *err);

/*
 * The record arena: while one is active on the calling thread, everything
 * Jansson allocates on that thread is carved from it and Jansson's frees of
 * it are no-ops; cy_i_arena_end releases it all at once.  The streaming
 * loader parses each record into the arena, so a record costs a few pointer
 * bumps instead of a malloc and a free per value, and no json_decref walk.
 * Nothing allocated in the arena may outlive cy_i_arena_end (the loader
 * deep-copies a record's "meta" out of it).  The arena's own blocks come
 * from cy_malloc, so allocation-failure injection still reaches it.  Not
 * in igraph 0.10 or Jansson: Jansson's allocator hook is the only seam.
 */
typedef struct cy_i_arena_chunk cy_i_arena_chunk;
typedef struct {
    cy_i_arena_chunk *chunks; /* newest first; the newest is the largest */
    /* What the record being carved is charged to Jansson's budget: the
     * blocks a fresh arena would take for it (see arena_alloc), so that
     * the charge depends on the record alone, not on the blocks earlier
     * records left, nor on the thread that parsed it. */
    size_t fresh_size, fresh_used, charged;
    size_t carved; /* bytes handed out since the arena was last ended */
    /* The size of the arena's first block (0: 64 KB, enough for a record);
     * each further block is twice the last.  A batch arena of the parallel
     * load asks for about a whole batch at once (load_parallel.c). */
    size_t first_bytes;
} cy_i_arena;

/* Route this thread's Jansson allocations to `arena` (NULL: to cy_malloc). */
void cy_i_arena_use(cy_i_arena *arena);
/* Whether this thread's Jansson allocations go to an arena now. */
int cy_i_arena_in_use(void);
/* Stop using the arena and release everything carved from it, keeping one
 * block for the next record. */
void cy_i_arena_end(cy_i_arena *arena);
void cy_i_arena_destroy(cy_i_arena *arena);
/* Start the budget charge of a new record in an arena that goes on
 * holding the earlier ones (the loader's batches of records): what the
 * last record was charged is credited back on this thread, and
 * cy_i_arena_charged counts from zero again. */
void cy_i_arena_next_record(cy_i_arena *arena);
/* What the arena's current record is charged to Jansson's budget. */
size_t cy_i_arena_charged(const cy_i_arena *arena);
/* The allocator hook installed into Jansson by cy_library_init. */
void *cy_i_json_malloc(size_t size);
void cy_i_json_free(void *ptr);

/*
 * Jansson's memory budget.  Jansson's trees take many times the text they
 * come from (an empty object `{}`, 3 bytes with its comma, takes over 200
 * bytes), so the loader caps what Jansson may hold while it reads a file
 * at a multiple of the file's size.  cy_i_json_budget_set(limit) starts
 * counting on the calling thread from zero (SIZE_MAX: no limit): every
 * block Jansson allocates (at the size malloc really gives, and the record
 * arena's blocks) is charged, every block it frees is credited, and once a
 * request would pass `limit` it and every later one fail (Jansson sees an
 * allocation failure) until the budget is set again.  These refusals are
 * not counted by cy_i_alloc_failures: cy_i_json_budget_exceeded says
 * whether one happened, so the loader can say "too large", not "out of
 * memory".
 */
void cy_i_json_budget_set(size_t limit);
int cy_i_json_budget_exceeded(void);
/* Charge `bytes` to this thread's budget as if Jansson had allocated them
 * (0, and the budget exceeded, when they do not fit), and credit them
 * back: the loader charges a record parsed on another thread to the
 * thread that validates it. */
int cy_i_json_budget_charge(size_t bytes);
void cy_i_json_budget_credit(size_t bytes);
/* This thread's budget (what is charged, the ceiling, whether it was
 * passed), saved and put back around work that must not count. */
typedef struct {
    size_t live, limit;
    int over;
} cy_i_json_budget_state;
void cy_i_json_budget_save(cy_i_json_budget_state *state);
void cy_i_json_budget_restore(const cy_i_json_budget_state *state);

/* Exactly-sized helpers for growing arrays: double `*cap` until it holds
 * `need` elements of `size` bytes.  Returns 0 on OOM (the array is intact). */
int cy_i_grow(void **array, size_t *cap, size_t need, size_t size);

/* ---- resilience, cascade, structure ------------------------------------ */

/*
 * The cascade engine shared by cascade.c (one cascade, all single failures,
 * group failures) and resilience.c (the output curve, run incrementally
 * along a removal order).  Pairs are the (customer, required part)
 * requirements: the pairs of customer c are pair_offset[c] ..
 * pair_offset[c + 1], in the order of c's sorted `requires`.  The counters
 * lost_count/lost_share of a pair are non-zero only for pairs in `touched`,
 * and `failed` is set only for enterprises in `order`, so
 * cy_i_cascade_reset costs only what the last cascade touched.
 */
#define CY_I_NO_PAIR SIZE_MAX

typedef struct {
    const cy_network *net;
    double threshold;
    size_t pair_count;
    size_t *pair_offset;     /* n + 1 */
    size_t *pair_suppliers;  /* suppliers of each pair (0 = a gap) */
    double *pair_share;      /* summed effective shares of its suppliers */
    size_t *link_pair;       /* pair of each link, CY_I_NO_PAIR if none */
    double *link_share;      /* effective share of each link */
    size_t *lost_count;
    double *lost_share;
    size_t *touched;
    size_t touched_count;
    unsigned char *failed;
    size_t *order;           /* failed enterprises in failure order */
    size_t *order_round;     /* round of order[k] */
    size_t order_count;
    size_t head;             /* order[head..] not yet propagated */
    double output_lost;      /* output value of the failed enterprises */
    double oem_output_lost;  /* ... of the failed OEMs */
    size_t oem_failed;       /* failed OEMs */
    double final_demand_lost; /* final demand of the failed enterprises */
    size_t demand_failed;    /* failed demand nodes */
    int borrowed;            /* the index (pair_* and link_*) is another's */
} cy_i_cascade;

/* Index the network for cascades.  CY_EUSAGE for a threshold outside
 * [0, 1].  Time complexity: O(n + m). */
cy_status cy_i_cascade_init(cy_i_cascade *c, const cy_network *net,
                            double threshold, cy_error *err);
void cy_i_cascade_destroy(cy_i_cascade *c);
/* An engine for one worker of a parallel loop: it reads the index of
 * `index` (which must outlive it and is not changed) and has its own
 * counters, failed flags and order, all clear.  Time complexity: O(n + pairs). */
cy_status cy_i_cascade_init_borrowed(cy_i_cascade *c, const cy_i_cascade *index,
                                     cy_error *err);
/* worker_init/worker_destroy of a cy_i_par_job whose workers each need an
 * engine borrowing `index`'s (*state: a cy_i_cascade).  */
cy_status cy_i_cascade_worker_make(const cy_i_cascade *index, void **state, cy_error *err);
void cy_i_cascade_worker_free(void *state);
/* Mark enterprise v (not failed yet) failed in `round`: appended to
 * `order`, its losses added.  O(1). */
void cy_i_cascade_fail(cy_i_cascade *c, size_t v, size_t round);
/* The fractional model on an indexed engine: seeds the shock's failures
 * and degradations, propagates to the fixed point and writes every
 * enterprise's fraction into fraction[0 .. n).  Returns how many
 * enterprises failed in round 0, or SIZE_MAX when out of memory. */
size_t cy_i_fraction_run(cy_i_cascade *c, const cy_shock *shock, double *fraction);
/* Fail enterprise v in round 0 unless it already failed; 1 if it was new. */
int cy_i_cascade_seed(cy_i_cascade *c, size_t v);
/* Seed members[0 .. count) (a group failing as a whole) and spread the
 * failures; then write what failed into `row` (index: `index`).
 * Time complexity: O(count + the links leaving the failed firms). */
void cy_i_cascade_group(cy_i_cascade *c, const size_t *members, size_t count,
                        size_t index, cy_impact *row);
/* Spread the failures seeded so far until nothing changes. */
void cy_i_cascade_propagate(cy_i_cascade *c);
/* Undo everything since the last reset.  O(what it touched). */
void cy_i_cascade_reset(cy_i_cascade *c);
/* Whether pair p, which has just lost a supplier, now stops its customer
 * (the rule of chengyu_analysis.h, on the pair's counters).  O(1). */
int cy_i_pair_stops(const cy_i_cascade *c, size_t p);

/*
 * A progress relay for a parallel loop: passes a report on to `fn` when it
 * is the first, or reaches 100, or moved by at least `step` percent since
 * the last one passed on; never the same percent twice in a row.  Keeps
 * the reports of a loop of many small items few.  Time complexity: O(1).
 */
typedef struct {
    cy_progress_fn fn;
    void *data;
    double step, last;
    int started;
} cy_i_progress_relay;

void cy_i_progress_relay_fn(const char *what, double percent, void *data);

/* Sort impacts by final demand lost, then demand nodes failed, then firms
 * failed, all descending; ties by the id of the enterprise (group_kind -1)
 * or group.  `rank` (may be NULL) gives each
 * one's position in ascending id byte order (the same order, compared as
 * integers instead of strings).  O(count log count). */
void cy_i_rank_impacts(const cy_network *net, int group_kind, const size_t *rank,
                       cy_impact *impacts, size_t count);
/* Fill out->chokepoints from (oem, enterprise) pairs meaning "enterprise
 * alone stops oem": one entry per OEM by id, each list by id.  `rank` as
 * for cy_i_rank_impacts (enterprises; may be NULL: one sort of the
 * enterprises by id then).  `stops` is only read.
 * O(n + pairs) with `rank`, O(n log n + pairs) without. */
cy_status cy_i_build_chokepoints(const cy_network *net, const size_t *rank,
                                 size_t (*stops)[2], size_t stop_count,
                                 cy_single_failures *out, cy_error *err);
/* cy_single_failures_run with the enterprises' id ranks (`rank`, as for
 * cy_i_rank_impacts, may be NULL) for its sorts, and the cascade index of
 * `index` (may be NULL; else of `net` at options->threshold, which it must
 * outlive) instead of building its own: the same answer. */
cy_status cy_i_single_failures_ranked(const cy_network *net,
                                      const cy_single_failure_options *options,
                                      const size_t *rank, const cy_i_cascade *index,
                                      cy_single_failures *out, cy_error *err);
/* cy_group_impacts_run on the cascade index of `index` (may be NULL; else
 * of `net` at options->threshold) instead of its own: the same answer. */
cy_status cy_i_group_impacts_indexed(const cy_network *net, cy_group_kind kind,
                                     const cy_group_impact_options *options,
                                     const cy_i_cascade *index, cy_impact **impacts,
                                     size_t *count, cy_error *err);

/* The region an enterprise belongs to: its own, else its park's, else -1. */
long cy_i_enterprise_region(const cy_network *net, size_t i);

/*
 * The members of every group of `kind` as a CSR index: members of group g
 * are members[offset[g] .. offset[g + 1]), in index order (a firm without
 * a region in its park's region).  Both arrays are cy_free'd by the
 * caller.  Returns 0 on OOM.  O(n + groups + memberships).
 */
int cy_i_group_members(const cy_network *net, cy_group_kind kind,
                       size_t **offset_out, size_t **members_out);

/*
 * Union-find (disjoint sets) with union by size and path halving, for the
 * Newman-Ziff reverse percolation of resilience.c: igraph 0.10 has no
 * incremental connected components.  Only elements made with
 * cy_i_dsu_make are valid.
 */
typedef struct {
    size_t *parent;
    size_t *size;
} cy_i_dsu;

int cy_i_dsu_init(cy_i_dsu *dsu, size_t n); /* 0 on OOM */
void cy_i_dsu_destroy(cy_i_dsu *dsu);
void cy_i_dsu_make(cy_i_dsu *dsu, size_t v);
size_t cy_i_dsu_find(cy_i_dsu *dsu, size_t v);
/* Merge the sets of a and b; returns the size of the merged set. */
size_t cy_i_dsu_unite(cy_i_dsu *dsu, size_t a, size_t b);

/* The undirected simple adjacency of a graph (each neighbour once). */
typedef struct {
    size_t n;
    size_t *offset;    /* n + 1 */
    size_t *neighbor;  /* offset[n] entries */
} cy_i_adjacency;

/* From an undirected graph without multi-edges or loops. */
cy_status cy_i_adjacency_init(cy_i_adjacency *adj, const igraph_t *graph,
                              cy_error *err);
void cy_i_adjacency_destroy(cy_i_adjacency *adj);

/*
 * Newman-Ziff: lcc_after[k] (k = 0..n) = the largest connected component
 * once order[0..k) are removed, by adding the vertices back in reverse
 * order and merging with union-find.  `present` (n bytes) and `dsu` are
 * scratch.  Time complexity: O((n + E) alpha(n)).
 */
void cy_i_lcc_curve(const cy_i_adjacency *adj, const size_t *order,
                    cy_i_dsu *dsu, unsigned char *present, size_t *lcc_after);

/*
 * The attack curve of a bare graph (largest component only; directed
 * graphs are read as undirected, multi-edges merged).  cy_resilience_run on
 * a network is this plus the output metric; tests use it on igraph's
 * random graphs.
 */
cy_status cy_i_attack_curve_graph(const igraph_t *graph,
                                  const cy_resilience_params *params,
                                  cy_resilience_curve *curve, cy_error *err);

/* ---- temporary files of other writers (output.c) -------------------- */

/*
 * An unnamed temporary file, open for reading and writing, in directory
 * `dir`: O_TMPFILE where the file system has it, else `prefix`XXXXXX made
 * and unlinked at once with the catchable fatal signals blocked in
 * between, so that no signal, not even SIGKILL, can leave it behind.
 * Returns the descriptor, or -1 with errno set.
 */
int cy_i_temporary_unnamed(const char *dir, const char *prefix);
/*
 * A named temporary file: `path` is a mkstemp template ("DIR/NAMEXXXXXX"),
 * filled in.  It is registered, as the output layer's own temporary files
 * are, so that a fatal signal or the SIGPIPE exit removes it; *slot is for
 * cy_i_temporary_forget (-1 when the table is full: nothing removes it
 * then).  Returns the descriptor, or -1 with errno set and nothing made.
 */
int cy_i_temporary_named(char *path, int *slot);
/* The file is removed (or about to be): no signal handler removes it. */
void cy_i_temporary_forget(int slot);

#endif /* CHENGYU_INTERNAL_H */
