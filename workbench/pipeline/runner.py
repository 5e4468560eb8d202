"""Run the report notebooks of several regions and the summary; write run.json and index.html.

Each region's `assessment` then `proposals` notebook (the proposals only after the region's
assessment ran), then the cross-region `summary` once, each in a worker process
(`pool.NotebookPool`), at most `jobs` at a time; each worker keeps one warm kernel whose
namespace is reset between notebooks (`kernel.WarmKernel`). The reports of the notebooks that
ran are rendered here, in one background thread (`execute.publish`), while the workers run the
next notebooks: a core left idle by a worker (the summary runs alone) renders reports meanwhile.
A failing notebook never stops the others; `RunOutcome` lists the failures. A notebook none of
whose inputs changed since its last complete run is not executed again: its outputs are reused
(`incremental`; `force` rebuilds everything).
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from tqdm import tqdm

from workbench import paths
from workbench.pipeline.incremental import Fingerprints, IncrementalBuild
from workbench.pipeline.leftovers import remove_leftovers
from workbench.pipeline.lock import holding_reports_lock
from workbench.pipeline.manifest import Manifest, NotebookError, NotebookRecord, write_manifest
from workbench.pipeline.site import write_index
from workbench.pipeline.start import prestart_workers
from workbench.pipeline.task import NotebookTask
from workbench.regions import load_profiles

if TYPE_CHECKING:
    from workbench.pipeline.pool import NotebookPool

REGION_NOTEBOOKS = ("assessment", "proposals")  # each runs after the previous one succeeded
SUMMARY_NOTEBOOK = "summary"
BASELINE_NOTEBOOKS = ("assessment",)  # the notebooks that take `baseline_year`
CELL_TIMEOUT = 600  # seconds per cell


class TemplateError(ValueError):
    """A notebook template is missing or lacks a parameter the pipeline passes."""


@dataclass(frozen=True)
class RunOutcome:
    """What a run produced: one record per notebook, in the order they finished."""

    reports_dir: Path
    records: tuple[NotebookRecord, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.records)

    @property
    def failures(self) -> list[NotebookRecord]:
        return [r for r in self.records if r.status == "failed"]

    def describe(self) -> str:
        """A summary line, skipped notebooks, then each failure: region, notebook, cell, error."""
        counts = Counter(r.status for r in self.records)
        reused = sum(r.reused for r in self.records)
        lines = [f"{counts['ok']} of {len(self.records)} notebooks ok ({counts['failed']} failed, "
                 f"{counts['skipped']} skipped{f'; {reused} reused, inputs unchanged' if reused else ''}) "
                 f"in {self.seconds:.1f} s; "
                 f"reports: {self.reports_dir / 'index.html'}"]
        lines += [f"skipped {r.label}: {r.error.message}" for r in self.records
                  if r.status == "skipped" and r.error]
        if self.failures:
            lines.append("failures:")
        for record in self.failures:
            where = self.reports_dir / record.notebook_path if record.notebook_path else "(no output notebook)"
            lines.append(f"  {record.region or 'summary'}: {where}")
            lines.append(f"    {record.error.describe() if record.error else 'unknown error'}")
        return "\n".join(lines)


@holding_reports_lock  # one run per reports folder (lock.py)
def run_reports(region_ids: list[str], reports_dir: Path, jobs: int, progress: bool = True,
                notebooks_dir: Path = paths.NOTEBOOKS_DIR, cell_timeout: int = CELL_TIMEOUT,
                baseline_year: int | None = None, force: bool = False, regions_dir: Path | None = None,
                summary_notebook: str = SUMMARY_NOTEBOOK,
                preflight: Callable[[list[str]], None] | None = None) -> RunOutcome:
    """Build every requested region's reports, the summary, `run.json` and `index.html`;
    notebooks whose inputs did not change are reused unless `force`. `baseline_year` (default:
    the notebooks' own, 2018) is the year movements are measured from; `regions_dir`: where the
    profiles are (default `regions/`); `summary_notebook`: the cross-region notebook to run;
    `preflight`: called with the regions whose notebooks will run, before any runs (may raise)."""
    if not region_ids:
        raise ValueError("no regions to run")
    started = time.perf_counter()
    reports_dir, notebooks_dir = Path(reports_dir).resolve(), Path(notebooks_dir).resolve()
    remove_leftovers(reports_dir)  # of a killed earlier run
    regions_dir = Path(regions_dir or paths.REGIONS_DIR).resolve()
    names = {p.id: p.name for p in load_profiles(list(region_ids), regions_dir)}
    now = datetime.now(timezone.utc)
    manifest = Manifest(started_at=now.isoformat(timespec="seconds"), region_ids=list(region_ids))
    run_date = now.strftime("%Y-%m-%d %H:%M UTC")

    def task(notebook: str, region: str | None) -> NotebookTask:
        parameters = {"region_id": region} if region else {"region_ids": list(region_ids)}
        if baseline_year is not None and notebook in BASELINE_NOTEBOOKS:
            parameters["baseline_year"] = baseline_year
        return NotebookTask(
            template=notebooks_dir / f"{notebook}.ipynb", reports_dir=reports_dir, region=region,
            region_name=names[region] if region else _summary_name(list(names.values()), summary_notebook),
            parameters={**parameters, "reports_dir": str(reports_dir)},
            covers=(region,) if region else tuple(region_ids), run_date=run_date,
            cell_timeout=cell_timeout,
        )

    chains = [[task(notebook, region) for notebook in REGION_NOTEBOOKS] for region in region_ids]
    summary = task(summary_notebook, None)
    templates = [*chains[0], summary]
    tasks = {t.label: t for t in [*(t for chain in chains for t in chain), summary]}
    lock = threading.Lock()  # the pool's loop and the publishing thread both record
    build = IncrementalBuild(Fingerprints(regions_dir, REGION_NOTEBOOKS), force)
    chains, reused = build.plan(chains)
    summary_reused = None if chains else build.plan_summary(summary, reused)
    notebook_runs = bool(chains) or not summary_reused
    if notebook_runs:
        prestart_workers()  # the workers' server imports the pipeline meanwhile, on another core
    if preflight:
        preflight(list(dict.fromkeys(chain[0].region for chain in chains)))
    if notebook_runs:
        _check_templates(templates)  # before any kernel starts or file is written

    with tqdm(total=len(tasks), desc="notebooks", unit="nb", file=sys.stderr, disable=not progress) as bar:
        def record(result: NotebookRecord, done: bool) -> None:
            with lock:
                manifest.record(result)
                write_manifest(reports_dir, manifest)  # the summary notebook reads it
                if done:
                    bar.update()
                    bar.set_postfix(failed=sum(r.status == "failed" for r in manifest.notebooks), refresh=False)

        with lock:  # one write of the manifest for all reused notebooks
            for result in reused:
                manifest.record(result)
            write_manifest(reports_dir, manifest)
            bar.update(len(reused))

        def stamped(future: Future[NotebookRecord], ran: NotebookRecord) -> NotebookRecord:
            with lock:
                records = list(manifest.notebooks)
            return build.stamped(tasks[ran.label], _published(future, ran), records)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish") as publisher, \
                _regions_folder(regions_dir), ExitStack() as started_pool:
            def finished(result: NotebookRecord) -> None:
                from workbench.pipeline.execute import check_written, publish

                check_written(result)  # a full or read-only reports folder stops the run
                result = build.annotate(result)
                record(result, done=result.status != "ok")
                if result.status == "ok":
                    published = publisher.submit(publish, tasks[result.label], result)
                    published.add_done_callback(lambda future: record(stamped(future, result), done=True))

            @cache
            def pool() -> NotebookPool:
                """Started only when a notebook runs: papermill and nbconvert take 2 s to import."""
                from workbench.pipeline.pool import NotebookPool

                return started_pool.enter_context(NotebookPool(jobs))

            if chains:
                pool().run(chains, finished)
                summary_reused = build.plan_summary(summary, list(manifest.notebooks))
            if summary_reused:
                record(summary_reused, done=True)
            else:
                pool().run([[summary]], finished)

    manifest.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    write_manifest(reports_dir, manifest)
    write_index(reports_dir, manifest, REGION_NOTEBOOKS, summary_notebook)
    return RunOutcome(reports_dir, tuple(manifest.notebooks), round(time.perf_counter() - started, 1))


def _published(future: Future[NotebookRecord], ran: NotebookRecord) -> NotebookRecord:
    """The record `publish` returned, or the notebook failed if publishing itself broke."""
    try:
        return future.result()
    except Exception as exc:  # publish catches report errors; this is a last resort
        return replace(ran, status="failed", error=NotebookError(type(exc).__name__, str(exc)))


@contextmanager
def _regions_folder(regions_dir: Path) -> Iterator[None]:
    """The notebooks' kernels (started by the workers, which inherit the environment) read the
    profiles from `regions_dir` (`$WORKBENCH_REGIONS_DIR`, see `paths`) during the run."""
    before = os.environ.get("WORKBENCH_REGIONS_DIR")
    os.environ["WORKBENCH_REGIONS_DIR"] = str(regions_dir)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("WORKBENCH_REGIONS_DIR", None)
        else:
            os.environ["WORKBENCH_REGIONS_DIR"] = before


def _check_templates(tasks: list[NotebookTask]) -> None:
    """Every template exists and declares the parameters it will get, before any kernel starts
    (papermill only warns about unknown parameters: a missing `reports_dir` would write elsewhere)."""
    import papermill as pm

    for task in tasks:
        if not task.template.is_file():
            raise TemplateError(f"{task.template}: notebook template not found")
        declared = pm.inspect_notebook(str(task.template))
        missing = sorted(set(task.parameters) - set(declared))
        if missing:
            raise TemplateError(f"{task.template}: the parameters cell lacks {', '.join(missing)}")


def _summary_name(region_names: list[str], summary_notebook: str) -> str:
    which = "pilot regions" if summary_notebook == SUMMARY_NOTEBOOK else "regions"
    return ", ".join(region_names) if len(region_names) <= 3 else f"{len(region_names)} {which}"
