"""Time a full build of every region's reports into a temporary folder.

Prints the wall time, the time per notebook kind and the peak memory of the process tree
(this process, the worker processes and their kernels), against the target: the full build
(20 region notebooks, the summary, HTML and index) in under 30 s on 2 cores.

    .venv/bin/python benchmarks/bench_build.py [--jobs N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

from workbench.pipeline.runner import RunOutcome, run_reports
from workbench.regions import region_ids

TARGET_SECONDS = 30.0
SAMPLE_EVERY = 0.2  # seconds between memory samples of the process tree


class TreeMemory:
    """Samples the summed resident memory of this process and all its descendants."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import psutil  # a dependency of IPython, hence installed with the workbench

        me = psutil.Process()
        while not self._stop.wait(SAMPLE_EVERY):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:  # the process ended between listing and reading
                    continue
            self.peak = max(self.peak, total)


def largest_process_mib() -> float:
    """Peak RSS of the largest single process: this one or any waited-for descendant (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def report(outcome: RunOutcome, wall: float, tree_peak_mib: float, jobs: int) -> str:
    per_kind: dict[str, list[float]] = {}
    for record in outcome.records:
        if record.status == "ok":
            per_kind.setdefault(record.notebook, []).append(record.seconds)
    lines = [f"full build: {len(outcome.records)} notebooks on {jobs} workers ({os.cpu_count()} cores)",
             f"wall time: {wall:.1f} s (target < {TARGET_SECONDS:.0f} s: "
             f"{'met' if wall < TARGET_SECONDS else 'NOT met'})"]
    lines += [f"  {kind}: median {statistics.median(times):.1f} s, max {max(times):.1f} s, n={len(times)}"
              for kind, times in sorted(per_kind.items())]
    lines += [f"peak memory, whole process tree (sampled every {SAMPLE_EVERY} s): {tree_peak_mib:.0f} MiB",
              f"peak memory, largest single process: {largest_process_mib():.0f} MiB",
              f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"]
    if not outcome.ok:
        lines.append(outcome.describe())
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="build into DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as tmp, TreeMemory() as memory:
        started = time.perf_counter()
        outcome = run_reports(region_ids(), reports_dir=args.keep or Path(tmp), jobs=args.jobs, progress=False)
        wall = time.perf_counter() - started
    print(report(outcome, wall, memory.peak / 2**20, args.jobs))
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
