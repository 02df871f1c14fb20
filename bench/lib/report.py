#!/usr/bin/python3
"""report.py OUT RESULTS.md - write the benchmark report from bench/run's
output directory: machine, versions, target verdicts, one table per preset
(chengyu and each peer, ratio peer/chengyu), agreement, igraph overhead,
and the exact commands.
"""
import glob
import json
import os
import sys

from compare import read_json  # bench/lib is the script directory

IMPLS = ("chengyu", "networkx", "igraph", "graphtool")
PEER_NAMES = {"networkx": "NetworkX", "igraph": "python-igraph",
              "graphtool": "graph-tool"}
TASK_LABELS = [
    ("validate", "validate (peers: json.load + graph, no validation)"),
    ("info", "info"),
    ("degree", "centrality degree"),
    ("pagerank", "centrality pagerank"),
    ("betweenness", "centrality betweenness (exact)"),
    ("betweenness_approx", "centrality betweenness --approx 256"),
    ("harmonic", "centrality harmonic"),
    ("coreness", "centrality coreness"),
    ("resilience_random", "resilience random, 10 trials (lcc)"),
    ("resilience_degree", "resilience degree (lcc)"),
    ("resilience_adaptive_degree", "resilience adaptive-degree (lcc)"),
    ("structure", "resilience --structure"),
    ("cascade_each", "cascade --each enterprise (all single failures)"),
    ("weak_links", "weak-links --format json"),
    ("render_parks", "render --view parks (svg)"),
    ("render", "render (default view, svg)"),
]
# The analyses the "every analysis" targets are judged on: everything with
# a peer counterpart except validate (the peers do not validate).
ANALYSES = [t for t, _ in TASK_LABELS
            if t not in ("validate", "render_parks", "render")]
PRESET_ORDER = ("tiny", "regional", "province", "national")




def load_json_lines(path):
    """The objects of a JSON Lines file (a run cut short keeps its lines)."""
    rows = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    pass
    except OSError:
        return None
    return rows or None


def fmt_s(x):
    if x is None:
        return "?"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 10:
        return f"{x:.1f} s"
    if x >= 1:
        return f"{x:.2f} s"
    return f"{x:.3f} s"


def fmt_cpu(x):
    """A CPU time that may be microseconds."""
    if x < 0.001:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1e3:.1f} ms" if x < 0.1 else f"{x * 1e3:.0f} ms"
    return fmt_s(x)


def fmt_mb(kb):
    return f"{kb / 1024:.0f} MB" if kb else "? MB"


def fmt_ratio(x):
    if x is None:
        return ""
    return f"×{x:.0f}" if x >= 100 else f"×{x:.1f}" if x >= 10 else f"×{x:.2f}"


def status_text(r, timeout):
    if r is None:
        return "—"
    st = r.get("status", "?")
    if st == "timeout":
        return f"timeout (> {timeout:.0f} s)"
    if st in ("skipped", "not available"):
        return f"{st}"
    if st != "ok":
        tail = r.get("warmup", {}).get("stderr_tail", "")
        last = tail.strip().splitlines()[-1] if tail.strip() else ""
        return f"{st}: {last[:100]}" if last else st
    return None


class Preset:
    def __init__(self, out, name, timeout):
        self.name = name
        self.dir = os.path.join(out, name)
        self.timeout = timeout
        self.network = read_json(os.path.join(self.dir, "network.json")) or {}
        self.timing = {}
        for path in glob.glob(os.path.join(self.dir, "timing", "*.json")):
            task, impl = os.path.basename(path)[:-5].rsplit(".", 1)
            self.timing[(task, impl)] = read_json(path)
        self.agreement = read_json(os.path.join(self.dir, "agreement.json")) or []
        self.overhead = load_json_lines(os.path.join(self.dir, "overhead.jsonl"))
        # The analysis alone, in-process: chengyu's library calls
        # (analysis_cpu) and the peers' own task_cpu.
        self.analysis_cpu = {r["task"]: r for r in
                             load_json_lines(os.path.join(self.dir, "analysis_cpu.jsonl")) or []
                             if r.get("status") == "ok"}
        self.task_cpu = {}
        for impl in IMPLS[1:]:
            for path in glob.glob(os.path.join(self.dir, impl, "*.json")):
                doc = read_json(path)
                if isinstance(doc, dict) and isinstance(doc.get("task_cpu"), (int, float)):
                    self.task_cpu[(doc.get("task"), impl)] = doc["task_cpu"]
        self.run = read_json(os.path.join(self.dir, "run.json")) or {}
        try:
            with open(os.path.join(self.dir, "generate.cmd")) as f:
                self.generate = f.read().strip()
        except OSError:
            self.generate = "?"

    def get(self, task, impl):
        r = self.timing.get((task, impl))
        return r if r and r.get("status") == "ok" else None

    def wall(self, task, impl):
        r = self.get(task, impl)
        return r["wall_median"] if r else None

    def cpu(self, task, impl):
        r = self.get(task, impl)
        return r["cpu"] if r else None

    def ratio(self, task, impl, key="wall"):
        """peer / chengyu; a peer timeout gives a lower bound (">")."""
        ours = (self.wall if key == "wall" else self.cpu)(task, "chengyu")
        if not ours:
            return None, False
        r = self.timing.get((task, impl))
        if r and r.get("status") == "timeout":
            return r["timeout"] / ours, True
        theirs = (self.wall if key == "wall" else self.cpu)(task, impl)
        return (theirs / ours, False) if theirs else (None, False)

    def inprocess_ratio(self, task, impl):
        """The peer's task_cpu / chengyu's analysis_cpu, as ratio() returns
        it (never a bound)."""
        ours, theirs = self.analysis_cpu.get(task), self.task_cpu.get((task, impl))
        if not ours or theirs is None or ours["cpu"] <= 0:
            return None, False
        return theirs / ours["cpu"], False

    def loads(self):
        xs = []
        for r in self.timing.values():
            if r:
                xs += [r[k] for k in ("load_before", "load_after") if k in r]
        return (min(xs), max(xs)) if xs else (None, None)

    def cell(self, task, impl):
        r = self.timing.get((task, impl))
        text = status_text(r, self.timeout)
        if text is not None:
            if r and r.get("status") == "timeout" and impl != "chengyu":
                ratio, _ = self.ratio(task, impl)
                if ratio:
                    text += f" (> {fmt_ratio(ratio)})"
            return text
        s = f"{fmt_s(r['wall_median'])}"
        if impl != "chengyu":
            rw, _ = self.ratio(task, impl, "wall")
            if rw:
                s += f" ({fmt_ratio(rw)})"
        s += f" · cpu {fmt_s(r['cpu'])}"
        if impl != "chengyu":
            rc, _ = self.ratio(task, impl, "cpu")
            if rc:
                s += f" ({fmt_ratio(rc)})"
        s += f" · {fmt_mb(r.get('rss_kb'))}"
        return s


def verdict(ok, text):
    return f"- **{'met' if ok else 'NOT MET'}**: {text}"


def targets(presets, env):
    lines = []
    P = {p.name: p for p in presets}

    def target_time(preset, task, limit, label):
        p = P.get(preset)
        if not p:
            return
        r = p.timing.get((task, "chengyu"))
        if not r or r.get("status") != "ok":
            lines.append(f"- **not measured**: {label} ({preset}): "
                         f"{status_text(r, p.timeout) or 'no result'}")
            return
        w, c = r["wall_median"], r["cpu"]
        text = (f"{label} ({preset}): {fmt_s(w)} wall median, {fmt_s(c)} CPU "
                f"(target < {limit:g} s)")
        if w >= limit and c < limit:
            lo, hi = p.loads()
            lines.append(f"- **met on CPU time only**: {text}; the wall time "
                         f"is over on this shared machine (load {lo:.1f} to "
                         f"{hi:.1f} during the run)")
        else:
            lines.append(verdict(w < limit, text))

    def target_ratio(preset, impl, minimum, label, inprocess=False):
        """With `inprocess`, the ratios of the in-process table, reported as
        a comparison, not as the target's verdict."""
        p = P.get(preset)
        if not p:
            return
        bad, good, missing = [], 0, []
        for task in ANALYSES:
            ratio, bound = (p.inprocess_ratio if inprocess else p.ratio)(task, impl)
            if ratio is None:
                if not inprocess and (p.get(task, "chengyu") or (task, impl) in p.timing):
                    missing.append(task)
                continue
            if ratio >= minimum:
                good += 1
            else:
                bad.append(f"{task} {fmt_ratio(ratio)}")
        if not good and not bad:
            if not inprocess:
                lines.append(f"- **not measured**: {label} ({preset})")
            return
        text = f"{label} ({preset}): {good} of {good + len(bad)} analyses"
        if bad:
            text += "; below: " + ", ".join(bad)
        if missing:
            text += "; not compared: " + ", ".join(missing)
        lines.append(f"- {text}; see the in-process table of each preset"
                     if inprocess else verdict(not bad, text))

    target_time("regional", "weak_links", 0.25, "whole weak-links report")
    target_ratio("regional", "networkx", 20.0,
                 "every analysis at least 20x faster than NetworkX (wall)")
    target_ratio("regional", "igraph", 1.0,
                 "every analysis not slower than python-igraph's whole process (wall)")
    target_ratio("regional", "networkx", 20.0,
                 "(not the target's measure, for comparison) the analysis alone, "
                 "in-process CPU, at least 20x faster than NetworkX's",
                 inprocess=True)
    target_time("province", "weak_links", 2.0, "whole weak-links report")
    target_time("national", "weak_links", 15.0, "whole weak-links report")
    p = P.get("national")
    if p:
        r = p.get("weak_links", "chengyu")
        if r:
            lines.append(verdict(r["rss_kb"] < 2 * 1024 * 1024,
                                 f"weak-links peak memory (national): "
                                 f"{fmt_mb(r['rss_kb'])} (target < 2048 MB)"))
        v, j = p.get("validate", "chengyu"), p.get("jansson_load", "baseline")
        if v and j:
            rw, rc = v["wall_median"] / j["wall_median"], v["cpu"] / j["cpu"]
            lines.append(verdict(rc <= 1.3 and rw <= 1.3,
                                 f"validate within 1.3x of the bare Jansson load "
                                 f"(national): ×{rw:.2f} wall ({fmt_s(v['wall_median'])}"
                                 f" vs {fmt_s(j['wall_median'])}), ×{rc:.2f} CPU "
                                 f"({fmt_s(v['cpu'])} vs {fmt_s(j['cpu'])})"))
        else:
            lines.append("- **not measured**: validate vs bare Jansson load (national)")
        target_time("national", "render", 60.0, "default render")
        target_time("national", "render_parks", 60.0, "render --view parks")
    for p in presets:
        if not p.overhead:
            continue
        worst = [o for o in p.overhead if o.get("status") == "ok"]
        bad = [f"{o['analysis']} ×{o['ratio']:.2f}" for o in worst if o["ratio"] > 1.2]
        failed = [o["analysis"] for o in p.overhead if o.get("status") == "failed"]
        if not worst:
            continue
        text = (f"each igraph-backed measure within 1.2x of the bare igraph call "
                f"({p.name}): {len(worst) - len(bad)} of {len(worst)}")
        if bad:
            text += "; over: " + ", ".join(bad)
        if failed:
            text += "; failed: " + ", ".join(failed)
        lines.append(verdict(not bad and not failed, text))
    return lines


def table(title, head, rows):
    """A headed Markdown table."""
    return ([f"### {title}", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)] +
            ["| " + " | ".join(r) + " |" for r in rows] + [""])


def preset_section(p, env):
    net = p.network
    lo, hi = p.loads()
    out = [f"## {p.name}", ""]
    if p.run:
        out.append(f"Measured by `{p.run.get('command_line')}` on {p.run.get('date')}: "
                   f"{p.run.get('runs')} timed run(s) after a warm-up, "
                   f"{p.run.get('timeout', 0):.0f} s limit per command, load "
                   f"average at the start {p.run.get('load_at_start')}.")
        out.append("")
    if net:
        out.append(f"`{p.generate}`: {net.get('enterprises')} enterprises, "
                   f"{net.get('links')} links, {net.get('firm_edges')} firm edges "
                   f"(supplier-customer pairs).  Load average during the "
                   f"measurements: {lo:.1f} to {hi:.1f}." if lo is not None else "")
    out.append("")
    peers = [i for i in IMPLS[1:] if any(k[1] == i for k in p.timing)]
    head = ["task", "chengyu"] + [PEER_NAMES[i] for i in peers]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for task, label in TASK_LABELS:
        if not any(k[0] == task for k in p.timing):
            continue
        cells = [label, p.cell(task, "chengyu")]
        for i in peers:
            cells.append(p.cell(task, i) if (task, i) in p.timing else "—")
        out.append("| " + " | ".join(cells) + " |")
    for task, label in (("jansson_load", "baseline: Jansson json_load_file + json_decref"),
                        ("cat", "baseline: cat FILE > /dev/null")):
        if (task, "baseline") in p.timing:
            out.append("| " + " | ".join([label, p.cell(task, "baseline")] +
                                         ["—"] * len(peers)) + " |")
    out.append("")
    out.append("Cells: median wall time of the timed runs (ratio peer/chengyu) · "
               "mean CPU time, user + system (ratio) · peak resident memory of "
               "the warm-up run.")
    out.append("")
    if p.agreement:
        out += table(f"Agreement with chengyu ({p.name})",
                     ["task", "implementation", "result", "detail"],
                     [[a["task"], PEER_NAMES.get(a["peer"], a["peer"]),
                       a["status"], a["detail"]] for a in p.agreement])
    if p.analysis_cpu:
        peers = [i for i in IMPLS[1:] if any(k[1] == i for k in p.task_cpu)]
        rows = []
        for task, label in TASK_LABELS:
            ours = p.analysis_cpu.get(task)
            if not ours and not any((task, i) in p.task_cpu for i in peers):
                continue
            cells = [label, fmt_cpu(ours["cpu"]) if ours else "—"]
            for i in peers:
                theirs = p.task_cpu.get((task, i))
                ratio, _ = p.inprocess_ratio(task, i)
                cells.append("—" if theirs is None else
                             f"{fmt_cpu(theirs)} ({fmt_ratio(ratio)})" if ratio else
                             fmt_cpu(theirs))
            rows.append(cells)
        if rows:
            out += table(f"The analysis alone, in-process CPU ({p.name})",
                         ["task", "chengyu library call (median)"] +
                         [PEER_NAMES[i] for i in peers], rows)
            out.append("chengyu: `bench/overhead/analysis_cpu` (the network loaded "
                       "once, the command's library calls timed alone, result not "
                       "written); peers: the `task_cpu` their script records "
                       "(after their graph is built, before the result is written; "
                       "one run).  Start-up, parsing and output are left out on "
                       "both sides: this is not what the targets measure.")
            out.append("")
    if p.overhead:
        out += table(f"chengyu library call vs bare igraph call ({p.name})",
                     ["analysis", "bare igraph (CPU, median)", "chengyu (CPU, median)",
                      "ratio", "pairs timed"],
                     [[o["analysis"], fmt_s(o["bare_cpu"]), fmt_s(o["chengyu_cpu"]),
                       f"×{o['ratio']:.2f}", str(o.get("repeat", ""))]
                      if o.get("status") == "ok" else
                      [o["analysis"], o.get("status", "?"), o.get("note", ""), "", ""]
                      for o in p.overhead])
    return out


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def commands_section(presets, out_dir):
    seen = {}
    for p in presets:
        for (task, impl), r in sorted(p.timing.items()):
            if r and r.get("command") and (task, impl) not in seen:
                cmd = r["command"].replace(os.path.join(out_dir, p.name), "OUT/PRESET")
                cmd = cmd.replace(os.path.join(out_dir, "data", p.name + ".json"),
                                  "OUT/data/PRESET.json")
                cmd = cmd.replace(ROOT + "/", "./")
                seen[(task, impl)] = cmd
    lines = ["## Exact commands", "",
             "Paths are relative to the source tree; OUT is the output directory "
             "(bench/out), PRESET the preset; each "
             "command is run once as a warm-up under `/usr/bin/time -v` (peak "
             "memory), then timed with `hyperfine -N --runs N` (output to "
             "/dev/null).", "", "```"]
    for (task, impl), cmd in sorted(seen.items(), key=lambda x: (x[0][1], x[0][0])):
        lines.append(f"{impl:9} {task:27} {cmd}")
    lines += ["```", ""]
    return lines


def main(out_dir, results):
    env = read_json(os.path.join(out_dir, "environment.json")) or {}
    timeout = env.get("timeout", 600)
    # Every preset measured into OUT, also by an earlier bench/run (each
    # preset section says by which command and when).
    names = [n for n in PRESET_ORDER
             if os.path.isfile(os.path.join(out_dir, n, "network.json"))]
    presets = [Preset(out_dir, n, timeout) for n in names]
    m, v = env.get("machine", {}), env.get("versions", {})
    lines = ["# chengyu benchmark results", "",
             f"Written by `{env.get('command_line', 'bench/run')}` on "
             f"{env.get('date', '?')}, tree {env.get('commit', '?')}.  Each "
             "preset below says which run measured it.  Regenerate with "
             "`bench/run` (see bench/README.md).", "",
             "## Machine", "",
             f"- {m.get('nproc')} CPUs: {m.get('cpu')}; {m.get('memory_gib')} GiB "
             f"RAM; {m.get('os')}, Linux {m.get('kernel')}",
             f"- load average at the start: {m.get('load_at_start')} (the "
             "machine is shared: CPU time, user + system, is given next to "
             "wall time)", "",
             "## Versions", "",
             "- " + "; ".join(f"{k} {val}" for k, val in v.items()), "",
             "## Targets", ""]
    lines += targets(presets, env) or ["- no preset measured"]
    lines += ["", "Where the time goes in the commands that miss a target, and what "
              "it would take to meet it: [docs/performance.md](../docs/performance.md).  "
              "Wall times on this shared machine vary by about ±30% from run to run "
              "and CPU times by about ±15%: compare the ratios measured in the same "
              "run.", ""]
    for p in presets:
        lines += preset_section(p, env)
    lines += commands_section(presets, out_dir)
    with open(results, "w") as f:
        f.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: report.py OUT_DIR RESULTS.md", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
