#!/usr/bin/python3
"""measure.py - time one whole-process command for bench/run.

usage: measure.py --out RESULT.json --runs N --timeout SECONDS -- CMD [ARG...]

1. One warm-up run under `/usr/bin/time -v` (GNU time; falls back to the
   kernel's rusage through os.wait4 when it is not installed) gives the peak
   resident memory and tells whether the command works at all: a run over
   the timeout is killed (its whole process group) and recorded as
   "timeout", a non-zero exit as "failed (exit N)", and nothing more is run.
2. Then N timed runs with hyperfine (`hyperfine -N --runs N`, output to
   /dev/null) when it is installed, else with a plain loop over os.wait4.
   Recorded: median / min / max wall time and the mean user + system CPU
   time (the machine is shared, so CPU time is the steadier figure).
The load average is recorded before and after.  Exit status 0 whatever
happened to the command (the result file says); 2 on a usage error.
"""
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

GNU_TIME = "/usr/bin/time"


def run_once(cmd, timeout, verbose_time):
    """Run cmd once.  Returns a dict: wall, user, sys, rss_kb, exit, timeout,
    stderr tail."""
    argv = ([GNU_TIME, "-v"] + cmd) if verbose_time else cmd
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err,
                                stdin=subprocess.DEVNULL,
                                start_new_session=True)
        fired = []

        def kill():
            fired.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        timer.cancel()
        timed_out = bool(fired)
        wall = time.perf_counter() - start
        proc.returncode = 0  # reaped by wait4 above
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    res = {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
           "rss_kb": ru.ru_maxrss, "exit": code, "timeout": timed_out}
    if verbose_time:
        # GNU time reports the command's own status and memory.
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if m:
            res["rss_kb"] = int(m.group(1))
        m = re.search(r"Exit status: (\d+)", text)
        if m:
            res["exit"] = int(m.group(1))
        m = re.search(r"Command terminated by signal (\d+)", text)
        if m and not timed_out:
            res["exit"] = -int(m.group(1))
        text = re.split(r"\s*Command being timed:", text, maxsplit=1)[0]
        text = re.sub(r"Command (exited with non-zero status|terminated by "
                      r"signal) \d+\s*$", "", text.strip())
    res["stderr_tail"] = text.strip()[-400:]
    return res


def hyperfine_runs(cmd, runs, timeout):
    """Timed runs with hyperfine; None if hyperfine failed."""
    with tempfile.TemporaryDirectory() as tmp:
        export = os.path.join(tmp, "h.json")
        argv = ["hyperfine", "-N", "--style", "none", "--warmup", "0",
                "--runs", str(runs), "--export-json", export, shlex.join(cmd)]
        # Its own process group, so that a timeout also ends the command
        # hyperfine is running, not only hyperfine.
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=timeout * runs + 30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return {"timeout": True}
        try:
            if code != 0:
                return None
            with open(export) as f:
                r = json.load(f)["results"][0]
        except (OSError, ValueError, KeyError, IndexError):
            return None
    return {"tool": "hyperfine", "times": r["times"], "user": r["user"],
            "sys": r["system"]}


def loop_runs(cmd, runs, timeout):
    times, users, syss, rss = [], [], [], 0
    for _ in range(runs):
        r = run_once(cmd, timeout, False)
        if r["timeout"]:
            return {"timeout": True}
        if r["exit"] != 0:
            return None
        times.append(r["wall"])
        users.append(r["user"])
        syss.append(r["sys"])
        rss = max(rss, r["rss_kb"])
    return {"tool": "wait4 loop", "times": times,
            "user": statistics.mean(users), "sys": statistics.mean(syss),
            "rss_kb": rss}


def main(argv):
    out, runs, timeout = None, 3, 600.0
    try:
        sep = argv.index("--")
    except ValueError:
        sep = -1
    opts, cmd = argv[:sep], argv[sep + 1:]
    i = 0
    while i < len(opts):
        if opts[i] == "--out":
            out = opts[i + 1]
        elif opts[i] == "--runs":
            runs = int(opts[i + 1])
        elif opts[i] == "--timeout":
            timeout = float(opts[i + 1])
        else:
            sep = -1
        i += 2
    if sep < 0 or not out or not cmd or runs < 1:
        print("usage: measure.py --out RESULT.json --runs N --timeout S -- CMD...",
              file=sys.stderr)
        return 2
    verbose_time = os.access(GNU_TIME, os.X_OK)
    result = {"command": shlex.join(cmd), "runs": runs, "timeout": timeout,
              "load_before": os.getloadavg()[0]}
    probe = run_once(cmd, timeout, verbose_time)
    result["warmup"] = probe
    result["rss_tool"] = "/usr/bin/time -v" if verbose_time else "wait4 rusage"
    if probe["timeout"]:
        result["status"] = "timeout"
    elif probe["exit"] != 0:
        result["status"] = f"failed (exit {probe['exit']})"
    else:
        timed = None
        if shutil.which("hyperfine"):
            timed = hyperfine_runs(cmd, runs, timeout)
        if timed is None:
            timed = loop_runs(cmd, runs, timeout)
        if timed is not None and timed.get("timeout"):
            result["status"] = "timeout"
        elif timed is None:
            result["status"] = "failed in a timed run"
        else:
            times = timed["times"]
            result.update({
                "status": "ok", "tool": timed["tool"], "times": times,
                "wall_median": statistics.median(times),
                "wall_min": min(times), "wall_max": max(times),
                "user": timed["user"], "sys": timed["sys"],
                "cpu": timed["user"] + timed["sys"],
                "rss_kb": max(probe["rss_kb"], timed.get("rss_kb", 0))})
    result["load_after"] = os.getloadavg()[0]
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
