#!/usr/bin/python3
"""An independent reference for `chengyu stress`: the linear programs of
docs/analyses.md ("Time to survive and time to recover") built from the
chengyu/1 file with numpy/scipy and solved with scipy.optimize.linprog
(HiGHS), on the whole network, written from the definitions only (no code
shared with chengyu, no reduction).

Usage:
  stress_reference.py FILE [--fail ID ...] [--each-enterprise] [--sample K]
                      [--seed S] [--days T] [--horizon H]

Writes {"horizon_days": H, "disruptions": [{"failed": [...], "tts_days":
number|null, "ttr_days": T, "impact": yuan}]} to standard output, one
disruption per --fail list (ids joined by commas) or per enterprise.
"""
import argparse
import json
import random
import sys

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

H_DEFAULT, T_DEFAULT = 365.0, 30.0


class Network:
    """Every figure the programs need, in yuan per year and days."""

    def __init__(self, doc):
        ents, links = doc["enterprises"], doc["links"]
        self.ids = [e["id"] for e in ents]
        self.index = {v: i for i, v in enumerate(self.ids)}
        n = len(ents)
        self.frm = [self.index[l["from"]] for l in links]
        self.to = [self.index[l["to"]] for l in links]
        self.part = [l["part"] for l in links]
        self.vol = [float(l["volume"]) for l in links]
        delivered = [0.0] * n
        for f, v in zip(self.frm, self.vol):
            delivered[f] += v
        self.fd, self.out, self.cap, self.inv, self.rec = [], [], [], [], []
        for i, e in enumerate(ents):
            if "final_demand" in e:
                fd = float(e["final_demand"])
            elif "output_value" in e:
                fd = max(0.0, float(e["output_value"]) - delivered[i])
            else:
                fd = 0.0
            out = float(e["output_value"]) if "output_value" in e else delivered[i] + fd
            self.fd.append(fd)
            self.out.append(out)
            self.cap.append(float(e.get("capacity", out)))
            self.inv.append(float(e.get("inventory_days", 0.0)))
            self.rec.append(float(e.get("recovery_days", 0.0)))
        # Money in units of the largest figure, as a careful user of an LP
        # solver would write it; impacts are scaled back to yuan.
        self.unit = max(self.out + self.cap + [1.0])
        self.vol = [v / self.unit for v in self.vol]
        for a in (self.fd, self.out, self.cap):
            a[:] = [v / self.unit for v in a]
        # need_{i,p} and stock_{i,p}: one row per (customer, part) on links.
        self.pairs = {}
        for j, (c, p) in enumerate(zip(self.to, self.part)):
            self.pairs.setdefault((c, p), []).append(j)


def build(net, failed, t_fixed):
    """The program for failed set F.  t_fixed None: TTS (variables P, X, S,
    t; maximise t); else impact over t_fixed days (P, X, S, L; minimise
    sum L).  Returns (c, A_ub, b_ub, bounds, layout)."""
    n, m = len(net.ids), len(net.vol)
    tts = t_fixed is None
    P, X, S = 0, n, n + m
    extra = n + m + n          # t (one column) or L (n columns)
    ncol = extra + (1 if tts else n)
    rows, cols, vals, rhs = [], [], [], []
    r = 0

    def row(entries, b):
        nonlocal r
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        rhs.append(b)
        r += 1

    w = None if tts else t_fixed / 365.0
    for i in range(n):
        # (b) P_i <= cap_i t / 365 (a column bound when t is fixed)
        if tts:
            row([(P + i, 1.0), (extra, -net.cap[i] / 365.0)], 0.0)
        # (c) sum X out + S_i <= P_i (the X are added below)
        row([(S + i, 1.0), (P + i, -1.0)], 0.0)
    # Outgoing X into the (c) rows: rows 0..n-1 (or 2i+1 with tts).
    c_row = [(2 * i + 1 if tts else i) for i in range(n)]
    for j in range(m):
        rows.append(c_row[net.frm[j]])
        cols.append(X + j)
        vals.append(1.0)
    # (d) need P_i <= sum X in (p) + stock
    for (c, p), js in net.pairs.items():
        vol = sum(net.vol[j] for j in js)
        if vol == 0:
            continue
        if net.out[c] > 0:
            need = vol / net.out[c]
            row([(P + c, need)] + [(X + j, -1.0) for j in js],
                net.inv[c] * vol / 365.0)
        else:
            row([(P + c, 1.0)], 0.0)   # infinite need: cannot produce
    # demand: S_i >= fd_i t/365 (TTS) or L_i >= fd_i T/365 - S_i (impact)
    for i in range(n):
        if i in failed:
            continue
        if tts:
            row([(S + i, -1.0), (extra, net.fd[i] / 365.0)], 0.0)
        else:
            row([(S + i, -1.0), (extra + i, -1.0)], -net.fd[i] * w)
    A = coo_matrix((vals, (rows, cols)), shape=(r, ncol)).tocsr()
    bounds = []
    for i in range(n):
        if i in failed:
            bounds.append((0.0, 0.0))
        elif tts:
            bounds.append((0.0, None))
        else:
            bounds.append((0.0, net.cap[i] * w))
    bounds += [(0.0, None)] * m + [(0.0, None)] * n
    c = np.zeros(ncol)
    if tts:
        bounds.append((0.0, None))
        c[extra] = -1.0
    else:
        bounds += [(0.0, None)] * n
        c[extra:extra + n] = 1.0
    return c, A, np.array(rhs), bounds


def solve(net, failed, t_fixed, horizon):
    c, A, b, bounds = build(net, failed, t_fixed)
    if t_fixed is None:
        bounds[-1] = (0.0, horizon)
    res = linprog(c, A_ub=A, b_ub=b, bounds=bounds, method="highs",
                  options={"primal_feasibility_tolerance": 1e-10,
                           "dual_feasibility_tolerance": 1e-10})
    if res.status != 0:
        raise RuntimeError(f"linprog failed for {sorted(failed)}: {res.message}")
    return -res.fun if t_fixed is None else res.fun


def disruption(net, failed, days, horizon):
    recovery = max([net.rec[i] for i in failed] + [0.0])
    ttr = recovery if recovery > 0 else days
    loss = solve(net, failed, ttr, horizon) + sum(net.fd[i] for i in failed) * ttr / 365.0
    t = solve(net, failed, None, horizon)
    return {"failed": [net.ids[i] for i in sorted(failed)],
            "tts_days": None if t >= horizon * (1 - 1e-9) else t,
            "ttr_days": ttr, "impact": loss * net.unit}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--each-enterprise", action="store_true")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=float, default=T_DEFAULT)
    ap.add_argument("--horizon", type=float, default=H_DEFAULT)
    a = ap.parse_args()
    net = Network(json.load(open(a.file)))
    sets = [{net.index[x] for x in f.split(",")} for f in a.fail]
    if a.each_enterprise:
        firms = list(range(len(net.ids)))
        if a.sample:
            firms = sorted(random.Random(a.seed).sample(firms, min(a.sample, len(firms))))
        sets += [{i} for i in firms]
    out = {"horizon_days": a.horizon,
           "disruptions": [disruption(net, f, a.days, a.horizon) for f in sets]}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
