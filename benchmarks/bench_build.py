"""Time a full build of every region's reports into a temporary folder.

Prints the wall time, the CPU time of the process tree, the time per notebook kind and the
peak memory of the process tree (this process, the worker processes and their kernels),
against the target: the full build (20 region notebooks, the summary, HTML and index) in
under 30 s on 2 cores. On a shared virtual machine the wall time varies by 10-20 % between
runs; `--repeat N` runs N builds and reports the median, and the CPU time stolen by the
hypervisor (Linux /proc/stat) is shown when known.

    .venv/bin/python benchmarks/bench_build.py [--jobs N] [--keep DIR] [--repeat N]
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


class TreeSampler:
    """Samples this process and all its descendants: the peak of their summed resident memory,
    and their CPU time (`cpu`: each process's own user + system time as last sampled, summed;
    a process's last fraction of a sampling interval before it ends is missed). Sampling, not
    `RUSAGE_CHILDREN`: a forkserver's workers are not children of the run, nor waited for by it."""

    def __init__(self) -> None:
        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())

    def _sample(self) -> None:
        import psutil  # a dependency of IPython, hence installed with the workbench

        me = psutil.Process()
        start = sum(me.cpu_times()[:2])
        while not self._stop.wait(SAMPLE_EVERY):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    with process.oneshot():
                        total += process.memory_info().rss
                        times = process.cpu_times()
                except psutil.Error:  # the process ended between listing and reading
                    continue
                self._cpu[process.pid] = times.user + times.system - (start if process.pid == me.pid else 0)
            self.peak = max(self.peak, total)


def largest_process_mib() -> float:
    """Peak RSS of the largest single process: this one or any waited-for descendant (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def steal_seconds() -> float | None:
    """CPU time the hypervisor took from this machine since boot (all cores), None where unknown."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def build(jobs: int, folder: Path) -> tuple[RunOutcome, float, float, float | None, float]:
    """One full build: outcome, wall s, CPU s of the tree, stolen CPU s, peak tree memory MiB."""
    steal = steal_seconds()
    with TreeSampler() as tree:
        started = time.perf_counter()
        outcome = run_reports(region_ids(), reports_dir=folder, jobs=jobs, progress=False)
        wall = time.perf_counter() - started
    stolen = steal_seconds()
    return (outcome, wall, tree.cpu, None if steal is None or stolen is None else stolen - steal,
            tree.peak / 2**20)


def report(outcome: RunOutcome, wall: float, cpu: float, stolen: float | None, tree_peak_mib: float,
           jobs: int) -> str:
    per_kind: dict[str, list[float]] = {}
    for record in outcome.records:
        if record.status == "ok":
            per_kind.setdefault(record.notebook, []).append(record.seconds)
    lines = [f"full build: {len(outcome.records)} notebooks on {jobs} workers ({os.cpu_count()} cores)",
             f"wall time: {wall:.1f} s (target < {TARGET_SECONDS:.0f} s: "
             f"{'met' if wall < TARGET_SECONDS else 'NOT met'})",
             f"CPU time, whole process tree: {cpu:.1f} s"
             + (f"; CPU stolen by the hypervisor meanwhile: {stolen:.1f} s" if stolen is not None else "")]
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
    parser.add_argument("--repeat", type=int, default=1, help="run N builds, report each and the median")
    args = parser.parse_args()
    walls, ok = [], True
    for run in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory(prefix="workbench-bench-") as tmp:
            outcome, wall, cpu, stolen, peak = build(args.jobs, args.keep or Path(tmp))
        walls.append(wall)
        ok = ok and outcome.ok
        print(f"run {run} of {args.repeat}\n" if args.repeat > 1 else "", end="")
        print(report(outcome, wall, cpu, stolen, peak, args.jobs), flush=True)
    if args.repeat > 1:
        median = statistics.median(walls)
        print(f"median wall time of {args.repeat} builds: {median:.1f} s (runs: "
              f"{', '.join(f'{w:.1f}' for w in walls)}; target < {TARGET_SECONDS:.0f} s: "
              f"{'met' if median < TARGET_SECONDS else 'NOT met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
