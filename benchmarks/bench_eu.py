"""Time a full build and then a no-change rebuild, as a user runs them (`workbench run`).

`--scope eu` (default): every EU-27 NUTS 2 region from generated profiles (`workbench run
--all-nuts2`, 240 regions, 480 region notebooks and the EU overview). `--scope pilot`: the ten
pilot regions (`workbench run`). Each build is the `workbench` command in a subprocess, so the
figures include Python's start-up and the profile checks. Printed: wall time, CPU time of the
process tree (the command, its workers and their kernels), peak memory of the process tree,
notebooks executed and reused, against the targets on 2 cores: EU-wide under 5 minutes and
4 GiB, the pilot build under 30 s, a no-change rebuild under 1 s.

    .venv/bin/python benchmarks/bench_eu.py [--scope eu|pilot] [--jobs N] [--keep DIR]

On a shared machine the figures are noisy: run it once, on an otherwise idle machine.

Measured on 2026-12-03 on the 2-core machine, with no other work running, at commit 3596fbc:
eu full build 241.0 s wall, 460 s CPU (process tree, sampled), peak 1.41 GiB, 481 notebooks
executed, none failed; eu no-change rebuild 0.8 s wall, 0.9 s CPU, 481 reused. Before the warm
kernels closed each notebook's client (e432669) and the benchmarks were cached per country, the
same run took 584 s wall and peaked at 5.67 GiB (under load 5), with 10 assessments failing.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_build import TreeSampler  # same folder: the process-tree measurements

TARGETS = {"eu": 300.0, "pilot": 30.0}  # seconds for the full build
MEMORY_TARGET_GIB = 4.0
NO_CHANGE_TARGET = 1.0


def build(scope: str, reports: Path, jobs: int, force: bool) -> dict[str, float | int]:
    """Run `workbench run` once; wall, CPU, peak memory and what the manifest says ran."""
    command = [str(Path(sys.executable).with_name("workbench")), "run", "--reports-dir", str(reports),
               "--jobs", str(jobs), "--no-progress", *(["--all-nuts2"] if scope == "eu" else []),
               *(["--force"] if force else [])]
    started = time.perf_counter()
    with TreeSampler() as tree:
        result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: some notebooks failed, reported below
        raise SystemExit(f"workbench run failed ({result.returncode}):\n{result.stderr[-2000:]}")
    notebooks = json.loads((reports / "run.json").read_text(encoding="utf-8"))["notebooks"]
    counts = Counter("reused" if n.get("reused") else n["status"] for n in notebooks)
    return {"wall": wall, "cpu": tree.cpu, "peak_gib": tree.peak / 2**30,
            "executed": counts["ok"], "reused": counts["reused"], "failed": counts["failed"],
            "skipped": counts["skipped"]}


def describe(name: str, figures: dict[str, float | int], target: float) -> str:
    verdict = "within" if figures["wall"] < target else "OVER"
    return (f"{name}: {figures['wall']:.1f} s wall ({verdict} the {target:g} s target), "
            f"{figures['cpu']:.1f} s CPU, peak {figures['peak_gib']:.2f} GiB; notebooks executed "
            f"{figures['executed']}, reused {figures['reused']}, failed {figures['failed']}, "
            f"skipped {figures['skipped']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scope", choices=sorted(TARGETS), default="eu")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-eu-") as scratch:
        reports = (args.keep or Path(scratch) / "reports").resolve()
        full = build(args.scope, reports, args.jobs, force=True)
        print(describe(f"full build ({args.scope}, {args.jobs} workers)", full, TARGETS[args.scope]))
        if full["peak_gib"] >= MEMORY_TARGET_GIB:
            print(f"  peak memory OVER the {MEMORY_TARGET_GIB:g} GiB target")
        again = build(args.scope, reports, args.jobs, force=False)
        print(describe("no-change rebuild (whole command)", again, NO_CHANGE_TARGET))


if __name__ == "__main__":
    main()
