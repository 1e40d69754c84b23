"""Helpers shared by the bench/ scripts: locating binaries and data, running and timing commands."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def bin_dir(arg):
    d = Path(arg or os.environ.get("DATELINE_BIN") or ROOT / "build" / "bin")
    for b in ("dateline-index", "dateline-search"):
        if not (d / b).exists():
            sys.exit(f"bench: {d / b} not found; build first (cmake --build build) or pass --bin DIR")
    return d


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_timed(cmd, stdin=None, stdout=None, env=None):
    """Runs cmd under /usr/bin/time -v; returns (exit code, wall s, cpu s, max RSS MB, stderr text)."""
    time_bin = shutil.which("time") and "/usr/bin/time"
    full = ([time_bin, "-v"] if time_bin and Path(time_bin).exists() else []) + [str(c) for c in cmd]
    t0 = time.perf_counter()
    p = subprocess.run(full, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    err = p.stderr.decode("utf-8", "replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    sys_ = re.search(r"System time \(seconds\): ([\d.]+)", err)
    cpu = (float(user.group(1)) + float(sys_.group(1))) if user and sys_ else float("nan")
    return p.returncode, wall, cpu, (int(rss.group(1)) / 1024 if rss else float("nan")), err


def dir_size_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def machine():
    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "commit": commit, "date": time.strftime("%Y-%m-%dT%H:%M:%S")}


def emit(result, as_json):
    if as_json:
        print(json.dumps(result, indent=1))
