/*
 * chengyu.h - the umbrella header of libchengyu: include this one.
 *
 * chengyu analyses the supply-chain network of the Chengdu-Chongqing
 * economic circle.  Data flows one way:
 *
 *     FILE.json --cy_network_load--> cy_network --analyses--> results --writers--> files
 *
 * The API is split by layer: chengyu_core.h (status, diagnostics, memory,
 * output files), chengyu_network.h (the model and the loader),
 * chengyu_io.h (the generator), chengyu_analysis.h (the analyses),
 * chengyu_report.h (the writers); chengyu_render.h (diagrams, needs
 * Graphviz and cairo) is separate.
 *
 * Ownership rule: every object returned through an `out` pointer belongs to
 * the caller and is released with the matching _free/_destroy function.
 * Strings returned by accessors (const char *) are owned by the object they
 * came from and live as long as it does.  Library functions never print and
 * never exit: they return a cy_status and, on failure, fill a cy_error.
 */
#ifndef CHENGYU_H
#define CHENGYU_H

#include "chengyu_core.h"
#include "chengyu_network.h"
#include "chengyu_io.h"
#include "chengyu_analysis.h"
#include "chengyu_report.h"

#endif /* CHENGYU_H */
