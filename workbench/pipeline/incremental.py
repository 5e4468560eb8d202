"""Incremental builds: a notebook is re-executed only when one of its inputs changed.

A notebook's inputs are its template, its parameters, its region's profile (the summary: every
profile of the regions folder), the data snapshot, `templates/`, the workbench package source
with its version and the versions of the libraries that render reports, and the result
documents it reads (the proposals: its region's assessment; the summary: every result of the
run, with the status of each region notebook). Each input is fingerprinted by hashing file
bytes (SHA-256), never by modification time.

When a notebook's report is published, a stamp `<folder>/.<notebook>.inputs.json` records its
input fingerprints, its run record and the size and modification time of each of its outputs.
The stamp is written last, atomically, and only for a notebook that ran and rendered without
error; it is removed before a notebook is executed again. So a killed run, a partial output or
a failed notebook leaves no stamp that a later run would accept, and a stamp whose outputs were
replaced or truncated since (other size or time) is refused. A reused notebook's files are not
touched: its HTML stays byte-identical.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable

from workbench import __version__, paths
from workbench.pipeline.task import NotebookTask
from workbench.pipeline.manifest import NotebookError, NotebookRecord
from workbench.results import result_path, write_atomic

STAMP_SCHEMA = 1
# Libraries whose version changes what a report shows (rendering, numbers, charts).
RENDERING_LIBRARIES = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "pandas", "numpy",
                       "matplotlib", "seaborn", "jinja2")
INPUT_LABELS = {  # input name -> reader text for "re-executed: ... changed"
    "notebook": "notebook template", "parameters": "parameters", "profile": "region profile",
    "profiles": "region profiles", "snapshot": "data snapshot", "templates": "templates and catalogues",
    "package": "workbench package", "results": "results it reads",
}


@dataclass(frozen=True)
class Decision:
    """Whether a notebook's earlier outputs are reused, and why (reader text)."""

    reuse: bool
    reason: str
    record: NotebookRecord | None = None  # the earlier run's record, when reused


def digest_files(files: Iterable[Path], root: Path) -> str:
    """SHA-256 over the files' paths (relative to `root`) and bytes, in path order."""
    total = hashlib.sha256()
    for path in sorted(files):
        total.update(path.relative_to(root).as_posix().encode() + b"\0")
        total.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"absent")
    return total.hexdigest()


def digest_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Fingerprints:
    """The input fingerprints of a run's notebooks; the shared ones are hashed once per run."""

    def __init__(self, regions_dir: Path, region_notebooks: tuple[str, ...],
                 snapshot_dir: Path = paths.SNAPSHOT_DIR, templates_dir: Path = paths.TEMPLATES_DIR,
                 package_dir: Path = paths.PACKAGE_DIR):
        self.regions_dir = Path(regions_dir)
        self.region_notebooks = region_notebooks
        self.snapshot_dir, self.templates_dir, self.package_dir = snapshot_dir, templates_dir, package_dir

    @cached_property
    def shared(self) -> dict[str, str]:
        snapshot = [p for p in self.snapshot_dir.iterdir() if p.is_file()]
        templates = [p for p in self.templates_dir.rglob("*") if p.is_file()]
        source = [p for p in self.package_dir.rglob("*.py") if self.snapshot_dir not in p.parents]
        versions = json.dumps({"workbench": __version__, **{name: _version(name) for name in RENDERING_LIBRARIES}})
        return {"snapshot": digest_files(snapshot, self.snapshot_dir),
                "templates": digest_files(templates, self.templates_dir),
                "package": digest_text(digest_files(source, self.package_dir) + versions)}

    @cache
    def _template(self, template: Path) -> str:
        return digest_files([template], template.parent)

    @cached_property
    def profiles(self) -> str:
        return digest_files(self.regions_dir.glob("*.yaml"), self.regions_dir)

    def inputs(self, task: NotebookTask) -> dict[str, str]:
        """The input fingerprints of `task` other than the results it reads."""
        inputs = {"notebook": self._template(task.template),
                  "parameters": digest_text(json.dumps(task.parameters, sort_keys=True)), **self.shared}
        if task.region:
            inputs["profile"] = digest_files([self.regions_dir / f"{task.region}.yaml"], self.regions_dir)
        else:
            inputs["profiles"] = self.profiles
        return inputs

    def results(self, task: NotebookTask, statuses: dict[str, str] | None = None) -> dict[str, str]:
        """The fingerprint of the result documents `task` reads, now (empty if it reads none);
        `statuses` (label -> status of this run's region notebooks) for the summary, which shows them."""
        reads = self.results_read(task)
        if not reads:
            return {}
        files = [result_path(task.reports_dir, region, kind) for region in task.covers for kind in reads]
        return {"results": digest_text(digest_files(files, task.reports_dir)
                                       + json.dumps(sorted((statuses or {}).items())))}

    def results_read(self, task: NotebookTask) -> tuple[str, ...]:
        """Kinds of result document the notebook reads: those of the region notebooks before it
        in the chain; the summary reads all of them."""
        if task.region is None:
            return self.region_notebooks
        return self.region_notebooks[:self.region_notebooks.index(task.name)]


def stamp_path(task: NotebookTask) -> Path:
    return task.folder / f".{task.name}.inputs.json"


def decide(task: NotebookTask, inputs: dict[str, str]) -> Decision:
    """Reuse the earlier outputs only if a stamp records these very inputs and its outputs are
    still the files it recorded; otherwise say what changed."""
    try:
        stamp = json.loads(stamp_path(task).read_text(encoding="utf-8"))
        if stamp.get("schema_version") != STAMP_SCHEMA:
            return Decision(False, "re-executed: no stamp of this workbench's format")
        record = _record(stamp["record"])
    except (OSError, ValueError, KeyError, TypeError):
        record = None
    if record is None or record.status != "ok" or record.html_path is None:
        return Decision(False, "re-executed: no complete earlier output")
    recorded = stamp.get("inputs") if isinstance(stamp.get("inputs"), dict) else {}
    changed = [INPUT_LABELS.get(name, name) for name in sorted(set(inputs) | set(recorded))
               if inputs.get(name) != recorded.get(name)]
    if changed:
        return Decision(False, f"re-executed: {', '.join(changed)} changed")
    if stamp.get("outputs") != _outputs(task):
        return Decision(False, "re-executed: its earlier output files were changed or are missing")
    return Decision(True, "reused: inputs unchanged", replace(record, reused=True, reason="reused: inputs unchanged"))


def write_stamp(task: NotebookTask, inputs: dict[str, str], record: NotebookRecord) -> None:
    """Record the inputs of a notebook whose report was published; nothing for any other outcome."""
    if record.status != "ok" or record.html_path is None:
        return
    document = {"schema_version": STAMP_SCHEMA, "inputs": inputs, "outputs": _outputs(task),
                "record": asdict(replace(record, reused=False, reason=""))}
    write_atomic(stamp_path(task), json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def forget(task: NotebookTask) -> None:
    """Remove a notebook's stamp before it is executed again: what it records will be overwritten."""
    stamp_path(task).unlink(missing_ok=True)


def _outputs(task: NotebookTask) -> dict[str, list[int]] | None:
    """Size and modification time (ns) of the notebook's output files; None if one is missing."""
    outputs = {}
    for path in (task.notebook_path, *task.derived_outputs()):
        try:
            info = path.stat()
        except OSError:
            return None
        outputs[task.relative(path)] = [info.st_size, info.st_mtime_ns]
    return outputs


def _record(fields: dict) -> NotebookRecord:
    error = fields.pop("error", None)
    return NotebookRecord(**fields, error=NotebookError(**error) if error else None)


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


class IncrementalBuild:
    """The runner's side of incremental builds: which notebooks run, which are reused, and the
    stamps of those that ran. With `force`, every notebook runs."""

    def __init__(self, fingerprints: Fingerprints, force: bool = False):
        self.fingerprints = fingerprints
        self.force = force
        self._inputs: dict[str, dict[str, str]] = {}  # label -> inputs other than results, at the start
        self._reasons: dict[str, str] = {}

    def plan(self, chains: list[list[NotebookTask]]) -> tuple[list[list[NotebookTask]], list[NotebookRecord]]:
        """The chains cut to the notebooks that must run, and the records of the reused ones. A
        chain runs from its first notebook that cannot be reused: the later ones read its results."""
        to_run, reused = [], []
        for chain in chains:
            pending: list[NotebookTask] = []
            for task in chain:
                decision = self._decide(task) if not pending else Decision(
                    False, f"re-executed: it reads the results of {pending[0].name}, which is re-executed")
                if decision.reuse and decision.record is not None:
                    reused.append(decision.record)
                else:
                    pending.append(self._will_run(task, decision.reason))
            if pending:
                to_run.append(pending)
        return to_run, reused

    def plan_summary(self, task: NotebookTask, records: list[NotebookRecord]) -> NotebookRecord | None:
        """The summary's reused record, or None when it must run (after every region notebook)."""
        decision = self._decide(task, _statuses(records))
        if decision.reuse:
            return decision.record
        self._will_run(task, decision.reason)
        return None

    def annotate(self, record: NotebookRecord) -> NotebookRecord:
        """A record of a notebook that ran (or was skipped), with the reason it was not reused."""
        return replace(record, reason=self._reasons.get(record.label, "")) if record.status != "skipped" else record

    def stamped(self, task: NotebookTask, record: NotebookRecord, records: list[NotebookRecord]) -> NotebookRecord:
        """Write the stamp of a notebook whose report is published (`records`: the run's so far)."""
        results = self.fingerprints.results(task, _statuses(records) if task.region is None else None)
        write_stamp(task, {**self._inputs[task.label], **results}, record)
        return record

    def _decide(self, task: NotebookTask, statuses: dict[str, str] | None = None) -> Decision:
        self._inputs[task.label] = self.fingerprints.inputs(task)
        if self.force:
            return Decision(False, "re-executed: --force")
        return decide(task, {**self._inputs[task.label], **self.fingerprints.results(task, statuses)})

    def _will_run(self, task: NotebookTask, reason: str) -> NotebookTask:
        self._inputs.setdefault(task.label, self.fingerprints.inputs(task))
        self._reasons[task.label] = reason
        forget(task)
        return task


def _statuses(records: list[NotebookRecord]) -> dict[str, str]:
    return {r.label: r.status for r in records if r.region}
