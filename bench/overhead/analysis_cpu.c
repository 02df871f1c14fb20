/*
 * analysis_cpu.c - the CPU time of each chengyu analysis alone, in-process.
 *
 * bench/run times whole processes: for chengyu that is start-up + loading
 * the JSON file + the analysis + writing the result, and on `regional` the
 * load is most of it.  The peer scripts also record, inside their process,
 * the CPU time of the analysis alone (`task_cpu`: after their graph is
 * built, before their result is written).  This program gives chengyu's
 * side of that comparison: it loads FILE once (not timed), then for each
 * benchmark task times the library call(s) the command makes, with the
 * command's options, `--repeat` times (more for calls under 50 ms, up to
 * 100 or about 0.5 s), and prints the median CPU time.  Writing the result
 * is not timed, as for the peers.
 *
 * usage: analysis_cpu [--repeat N] [--exact-limit X] [--json] FILE
 *   --exact-limit X  run exact betweenness and harmonic only when
 *                    vertices x edges <= X (default 5e9), as bench/run
 *   --json           one JSON object per task and line (JSON Lines)
 * Exit 0 when every call succeeded, 1 otherwise, 2 on usage errors.
 */
#include "internal.h"

#include <stdio.h>

#include "harness.h"

typedef enum {
    CALL_INFO,
    CALL_CENTRALITY,
    CALL_RESILIENCE,
    CALL_STRUCTURE,
    CALL_CASCADE_EACH,
    CALL_WEAK_LINKS
} call_kind;

typedef struct {
    const char *task;  /* bench/run's task name */
    call_kind call;
    cy_measure measure; /* CALL_CENTRALITY */
    long approx;        /* CALL_CENTRALITY: approx_sources as the command sets it */
    cy_attack attack;   /* CALL_RESILIENCE */
    int needs_exact;    /* skipped above --exact-limit */
} task;

/* The bench tasks, with the options of their commands (bench/run). */
static const task TASKS[] = {
    {"info", CALL_INFO, CY_MEASURE_COUNT, 0, CY_ATTACK_RANDOM, 0},
    {"degree", CALL_CENTRALITY, CY_MEASURE_DEGREE, -1, CY_ATTACK_RANDOM, 0},
    {"pagerank", CALL_CENTRALITY, CY_MEASURE_PAGERANK, -1, CY_ATTACK_RANDOM, 0},
    {"betweenness", CALL_CENTRALITY, CY_MEASURE_BETWEENNESS, 0, CY_ATTACK_RANDOM, 1},
    {"betweenness_approx", CALL_CENTRALITY, CY_MEASURE_BETWEENNESS, 256,
     CY_ATTACK_RANDOM, 0},
    {"harmonic", CALL_CENTRALITY, CY_MEASURE_HARMONIC, -1, CY_ATTACK_RANDOM, 1},
    {"coreness", CALL_CENTRALITY, CY_MEASURE_CORENESS, -1, CY_ATTACK_RANDOM, 0},
    {"resilience_random", CALL_RESILIENCE, CY_MEASURE_COUNT, 0, CY_ATTACK_RANDOM, 0},
    {"resilience_degree", CALL_RESILIENCE, CY_MEASURE_COUNT, 0, CY_ATTACK_DEGREE, 0},
    {"resilience_adaptive_degree", CALL_RESILIENCE, CY_MEASURE_COUNT, 0,
     CY_ATTACK_ADAPTIVE_DEGREE, 0},
    {"structure", CALL_STRUCTURE, CY_MEASURE_COUNT, 0, CY_ATTACK_RANDOM, 0},
    {"cascade_each", CALL_CASCADE_EACH, CY_MEASURE_COUNT, 0, CY_ATTACK_RANDOM, 0},
    {"weak_links", CALL_WEAK_LINKS, CY_MEASURE_COUNT, 0, CY_ATTACK_RANDOM, 0},
};

/*
 * The library calls of task `t`'s command, results released at once.
 * Returns the status of the first call that failed, or CY_OK.
 */
static cy_status run_task(const cy_network *net, const task *t, cy_error *err)
{
    cy_status status = CY_OK;
    switch (t->call) {
    case CALL_INFO: {
        cy_info info;
        if ((status = cy_info_compute(net, &info, err)) == CY_OK)
            cy_info_destroy(&info);
        break;
    }
    case CALL_CENTRALITY: {
        cy_centrality_options options;
        cy_centrality_result *result = NULL;
        cy_centrality_options_init(&options);
        options.measures[0] = t->measure;
        options.measure_count = 1;
        if (t->measure == CY_MEASURE_BETWEENNESS)
            options.approx_sources = t->approx;
        options.seed = 1;
        if ((status = cy_centrality_compute(net, &options, &result, err)) == CY_OK)
            cy_centrality_free(result);
        break;
    }
    case CALL_RESILIENCE: {
        cy_resilience_params params;
        cy_resilience_curve curve;
        cy_resilience_params_init(&params);
        params.attack = t->attack;
        params.metric = CY_METRIC_LCC;
        params.trials = 10;
        params.seed = 1;
        if ((status = cy_resilience_run(net, &params, &curve, err)) == CY_OK)
            cy_resilience_curve_destroy(&curve);
        break;
    }
    case CALL_STRUCTURE: {
        /* resilience --structure: articulation points, bridges, chokepoints. */
        cy_structure structure;
        cy_single_failures singles;
        if ((status = cy_structure_compute(net, &structure, err)) != CY_OK)
            break;
        status = cy_single_failures_compute(net, 0.0, &singles, err);
        if (status == CY_OK)
            cy_single_failures_destroy(&singles);
        cy_structure_destroy(&structure);
        break;
    }
    case CALL_CASCADE_EACH: {
        cy_single_failures singles;
        if ((status = cy_single_failures_compute(net, 0.0, &singles, err)) == CY_OK)
            cy_single_failures_destroy(&singles);
        break;
    }
    case CALL_WEAK_LINKS: {
        cy_weaklinks *report = NULL;
        if ((status = cy_weaklinks_compute(net, NULL, &report, err)) == CY_OK)
            cy_weaklinks_free(report);
        break;
    }
    }
    return status;
}

int main(int argc, char **argv)
{
    harness_args args;
    int failures = 0, status;
    double cells;
    cy_network *net = NULL;
    cy_error err;

    if ((status = harness_start(argc, argv, "analysis_cpu", &args, &net, &cells)))
        return status;
    cy_error_init(&err);
    for (size_t k = 0; k < sizeof TASKS / sizeof TASKS[0]; k++) {
        const task *t = &TASKS[k];
        double cpu[HARNESS_MAX_REPEAT], c;
        int ok = 1, runs = args.repeat;
        if (harness_skipped(&args, t->needs_exact, cells, "task", t->task, 28))
            continue;
        for (int r = 0; r < runs && ok; r++) {
            double t0 = harness_cpu_now();
            /* Warnings (e.g. automatic sampling) are not failures; drop
             * them so that err does not fill up over the repetitions. */
            cy_error_destroy(&err);
            cy_error_init(&err);
            ok = run_task(net, t, &err) == CY_OK;
            cpu[r] = harness_cpu_now() - t0;
            if (r == 0)
                runs = harness_runs(cpu[0], args.repeat);
        }
        if (!ok) {
            failures++;
            if (args.json)
                printf("{\"task\": \"%s\", \"status\": \"failed\"}\n", t->task);
            else
                printf("%-28s FAILED\n", t->task);
            fflush(stdout);
            continue;
        }
        c = harness_median(cpu, runs);
        if (args.json)
            printf("{\"task\": \"%s\", \"status\": \"ok\", \"cpu\": %.6f, "
                   "\"repeat\": %d}\n", t->task, c, runs);
        else
            printf("%-28s %.6f s CPU (median of %d)\n", t->task, c, runs);
        fflush(stdout);
    }
    cy_network_free(net);
    cy_error_destroy(&err);
    if (fflush(stdout) != 0 || ferror(stdout))
        return 1;
    return failures ? 1 : 0;
}
