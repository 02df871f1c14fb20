#!/usr/bin/python3
"""environment.py CHENGYU COMMAND_LINE RUNS TIMEOUT EXACT_LIMIT PRESETS PEERS

Print, as JSON, the machine and the versions a benchmark run used: nproc,
CPU model, RAM, kernel, load average, chengyu, igraph, Jansson, Graphviz,
cairo, the compiler, Python and the three peer libraries, the timing tools,
and the git commit of the tree.  Anything that cannot be found is "?".
"""
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "?"
    text = (r.stdout or r.stderr).strip()
    return text.splitlines()[0] if r.returncode == 0 and text else "?"


def strip_name(text, *names):
    """'hyperfine 1.15.0' -> '1.15.0'."""
    for name in names:
        if text.lower().startswith(name.lower() + " "):
            return text[len(name) + 1:]
    return text


def python_module_version(module, attribute="__version__"):
    code = (f"import warnings; warnings.simplefilter('ignore'); "
            f"import {module} as m; print(str(m.{attribute}).split()[0])")
    return run(["/usr/bin/python3", "-c", code])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def memory_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def main(argv):
    chengyu, command_line, runs, timeout, exact_limit, presets, peers = argv
    commit = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    env = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "command_line": command_line,
        "runs": int(runs), "timeout": float(timeout),
        "exact_limit": float(exact_limit),
        "presets": presets, "peers": peers,
        "commit": commit + (" (with uncommitted changes)" if dirty not in ("?", "") else ""),
        "machine": {
            "nproc": os.cpu_count(), "cpu": cpu_model(),
            "memory_gib": memory_gib(), "kernel": platform.release(),
            "os": run(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "load_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {
            "chengyu": strip_name(run([chengyu, "--version"]), "chengyu"),
            "compiler": run(["cc", "--version"]),
            "igraph": run(["pkg-config", "--modversion", "igraph"]),
            "Jansson": run(["pkg-config", "--modversion", "jansson"]),
            "Graphviz": run(["pkg-config", "--modversion", "libgvc"]),
            "cairo": run(["pkg-config", "--modversion", "cairo"]),
            "Python": strip_name(run(["/usr/bin/python3", "--version"]), "Python"),
            "NetworkX": python_module_version("networkx"),
            "python-igraph": python_module_version("igraph"),
            "graph-tool": python_module_version("graph_tool"),
            "SciPy": python_module_version("scipy"),
            "hyperfine": strip_name(run(["hyperfine", "--version"]), "hyperfine"),
            "GNU time": run(["sh", "-c", "dpkg-query -W -f='${Version}' time"]),
        },
    }
    json.dump(env, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 8:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
