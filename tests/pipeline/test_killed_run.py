"""kill -9 of `workbench run` takes its workers and kernels with it; the next run on the folder
removes what the killed one left (temporary reports files, kernel connection files)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from workbench.pipeline.runner import run_reports

GRACE = 10.0  # seconds the orphans get to notice (workers poll every 0.5 s, kernels every 1 s)


def _kernels(process: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in process.children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def _alive(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{process.pid} {' '.join(process.cmdline())[:120]}")
        except psutil.NoSuchProcess:
            continue
    return alive


def _kill_while_notebooks_run(reports: Path) -> tuple[list[psutil.Process], list[Path]]:
    """Start `workbench run` on two regions, kill -9 it once both workers' kernels run; its
    process tree at that moment and the kernels' connection files."""
    run = subprocess.Popen([sys.executable, "-m", "workbench", "run", "--region", "saxony", "--region",
                            "cantabria", "--jobs", "2", "--no-progress", "--reports-dir", str(reports)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        main = psutil.Process(run.pid)
        deadline = time.monotonic() + 150
        while len(_kernels(main)) < 2:
            assert run.poll() is None, "the run ended before its kernels started"
            assert time.monotonic() < deadline, "the kernels did not start"
            time.sleep(0.2)
        time.sleep(1.0)  # the notebooks are running
        tree = main.children(recursive=True)
        connection_files = [Path(kernel.cmdline()[kernel.cmdline().index("-f") + 1]) for kernel in _kernels(main)]
    finally:
        run.kill()
        run.wait()
    return tree, connection_files


@pytest.mark.timeout(240)
def test_a_killed_run_takes_its_workers_and_kernels_and_the_next_run_cleans_up(tmp_path, fixtures_dir):
    reports = tmp_path / "reports"
    tree, connection_files = _kill_while_notebooks_run(reports)
    assert len(tree) >= 4  # two workers, two kernels (and the forkserver, the resource tracker)

    deadline = time.monotonic() + GRACE
    while _alive(tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(tree) == [], f"still running {GRACE:.0f} s after the kill"

    kernel_files = [p for file in connection_files for p in file.parent.glob(f"{file.stem}*")]
    assert kernel_files  # the killed kernels' connection and socket files
    left = [reports / "saxony" / ".proposals.partial.ipynb", reports / ".index.html.k1ll3d.tmp"]
    for path in left:  # what a run killed a little later would have left
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")

    outcome = run_reports(["saxony"], reports_dir=reports, jobs=1, progress=False, notebooks_dir=fixtures_dir)
    assert outcome.ok, outcome.describe()
    assert [p for p in [*left, *kernel_files] if p.exists()] == []
    kept = {".dashboard-map.json"}  # the index's map, kept until the regions or the data change
    assert [p.name for p in reports.rglob(".*") if not p.name.endswith(".inputs.json") and p.name not in kept] == []
