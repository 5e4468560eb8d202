"""Run one notebook (`execute`, in a worker process), then publish its report (`publish`).

papermill writes the executed notebook to `.<name>.partial.ipynb` in the output folder (once,
see `engine`). `publish` then writes the report HTML atomically and moves the notebook into
place (`os.replace`); the runner calls it in its own process, so that a worker goes on to the
next notebook meanwhile. A failed notebook is moved into place at once (it is the debugging
artefact, with papermill's error banner), and its HTML and result document are removed so
that no stale output of an earlier run passes for this run's. Only whole files are left: a
notebook that could not be written (full disk, read-only folder) is discarded and the
previous complete outputs stay as they were.
"""
from __future__ import annotations

import errno
import os
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import papermill as pm
from papermill.exceptions import PapermillExecutionError

from workbench.pipeline.engine import ENGINE_NAME
from workbench.pipeline.kernel import WarmKernel
from workbench.pipeline.manifest import NotebookError, NotebookRecord
from workbench.pipeline.render import ReportContext, report_html
from workbench.pipeline.task import NotebookTask
from workbench.results import SCHEMA_VERSIONS, ResultError, WriteError, read_result, result_path, write_atomic

KERNEL_NAME = "python3"
WORKER_KERNEL = WarmKernel(KERNEL_NAME)  # one per worker process (module state is per process)
PAPERMILL_CELL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}
WRITE_ERROR = "WriteError"  # NotebookError.name of a notebook the reports folder could not take
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM}


def execute(task: NotebookTask) -> NotebookRecord:
    """Run the notebook with papermill; never raises for a failing notebook (the record says
    what failed and where). An "ok" notebook waits at the partial path for `publish`."""
    started = time.perf_counter()
    task.folder.mkdir(parents=True, exist_ok=True)
    error = _run_papermill(task)
    if error is None:
        return task.record("ok", seconds=round(time.perf_counter() - started, 2),
                           notebook_path=task.relative(task.notebook_path))
    vintage = data_vintage(task.reports_dir, task.covers)  # of what the notebook read before failing
    if error.name == WRITE_ERROR:  # the folder, not the notebook, failed: keep the last complete outputs
        _remove([task.partial_path])
        return task.record("failed", seconds=round(time.perf_counter() - started, 2), data_vintage=vintage,
                           error=error)
    _remove(task.derived_outputs())
    if task.partial_path.exists():
        os.replace(task.partial_path, task.notebook_path)
    else:
        _remove([task.notebook_path])
    return task.record(
        "failed", seconds=round(time.perf_counter() - started, 2), data_vintage=vintage,
        notebook_path=task.relative(task.notebook_path) if task.notebook_path.exists() else None,
        error=error,
    )


def publish(task: NotebookTask, record: NotebookRecord) -> NotebookRecord:
    """Render the report of a notebook that ran, write it atomically, move the notebook into
    place. A report that cannot be rendered fails the notebook (its result document stays:
    the notebook itself ran); never raises."""
    started = time.perf_counter()
    vintage = data_vintage(task.reports_dir, task.covers)
    try:
        notebook = nbformat.read(task.partial_path, as_version=4)
        html = report_html(notebook, ReportContext(task.region_name, task.run_date, vintage),
                           fallback_title=task.name.title())
        write_atomic(task.html_path, html)
        error = None
    except Exception as exc:  # a report that cannot be rendered fails like a notebook that cannot run
        if not isinstance(exc, WriteError):  # a report that could not be written left the last one whole
            _remove([task.html_path])
        error = NotebookError(type(exc).__name__, str(exc))
    try:
        os.replace(task.partial_path, task.notebook_path)
    except OSError as exc:
        error = error or NotebookError(type(exc).__name__, str(exc))
    return replace(record, status="ok" if error is None else "failed", data_vintage=vintage,
                   seconds=round(record.seconds + time.perf_counter() - started, 2),
                   html_path=task.relative(task.html_path) if error is None else None, error=error)


def check_written(record: NotebookRecord) -> None:
    """`WriteError` if the reports folder refused the notebook: a full or read-only folder would
    fail every notebook after it (and skipping them would remove their last complete outputs),
    so the run stops there; the files already in the folder stay whole."""
    if record.error is not None and record.error.name == WRITE_ERROR:
        raise WriteError(errno.EIO, record.error.message)


def skip(task: NotebookTask, reason: str) -> NotebookRecord:
    """Record a notebook that is not run because one it depends on failed; remove its old outputs."""
    _remove([task.notebook_path, *task.derived_outputs()])
    return task.record("skipped", error=NotebookError("Skipped", reason))


def data_vintage(reports_dir: Path, regions: tuple[str, ...]) -> str:
    """The distinct data vintages of the regions' result documents, or "unknown"."""
    vintages = []
    for region in regions:
        for kind in SCHEMA_VERSIONS:
            try:
                vintages.append(read_result(result_path(reports_dir, region, kind), kind)["data_vintage"])
            except ResultError:
                continue
    return "; ".join(dict.fromkeys(vintages)) or "unknown"


def failing_cell(notebook_path: Path) -> tuple[int | None, str]:
    """Index in the template (papermill's own cells not counted) and first source line of the
    cell that failed: the one papermill flagged, else the last one it started (kernel death,
    timeout); (None, "") when no cell ran."""
    try:
        notebook = nbformat.read(notebook_path, as_version=4)
    except (OSError, ValueError):
        return None, ""
    cells = [c for c in notebook.cells if not PAPERMILL_CELL_TAGS & set(c.metadata.get("tags", []))]
    states = [c.metadata.get("papermill", {}) for c in cells]
    flagged = [i for i, state in enumerate(states) if state.get("exception")]
    started = [i for i, state in enumerate(states) if state.get("start_time")]
    if flagged:
        index = flagged[0]
    elif started:
        index = started[-1]
    else:
        return None, ""
    lines = cells[index].source.strip().splitlines()
    return index, lines[0] if lines else ""


def _run_papermill(task: NotebookTask) -> NotebookError | None:
    """Execute the template into the partial path; the error that stopped it, if any."""
    try:
        pm.execute_notebook(
            str(task.template), str(task.partial_path), parameters=task.parameters,
            engine_name=ENGINE_NAME, kernel_name=KERNEL_NAME, progress_bar=False,
            execution_timeout=task.cell_timeout, km=WORKER_KERNEL.acquire(),
        )
    except PapermillExecutionError as exc:
        WORKER_KERNEL.discard()
        return NotebookError(exc.ename, exc.evalue, *failing_cell(task.partial_path))
    except Exception as exc:  # kernel death, cell timeout, unreadable template: this notebook fails, the run goes on
        WORKER_KERNEL.discard()
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:  # writing the notebook failed
            return NotebookError(WRITE_ERROR, f"cannot write to {task.folder}: {exc.strerror}")
        return NotebookError(type(exc).__name__, str(exc) or repr(exc), *failing_cell(task.partial_path))
    WORKER_KERNEL.release()  # the kernel resets while the worker returns and takes the next notebook
    return None


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
