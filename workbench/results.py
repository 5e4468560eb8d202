"""JSON results passed between notebooks, and atomic writes for every output file.

Each region notebook writes one schema-versioned JSON document next to its HTML
(`reports/<id>/assessment.json`, `reports/<id>/proposals.json`). Later notebooks read these
documents, never other notebooks. A document is an envelope::

    {"schema": "assessment", "schema_version": 1, "region_id": "saxony",
     "generated_at": "...", "workbench_version": "...", "data_vintage": "...",
     "payload": {...}}

`read_result` refuses a document of another kind or schema version with a clear message.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench import __version__

SCHEMA_VERSIONS: dict[str, int] = {"assessment": 1, "proposals": 1}


class ResultError(ValueError):
    """A result document that is missing, malformed or of the wrong kind or version."""


class WriteError(OSError):
    """A file could not be written (full disk, read-only folder, no permission); the file that
    stood at the path, if any, is unchanged."""

    def __str__(self) -> str:
        if self.filename is None:
            return f"{self.strerror}; the files already in the folder stay whole"
        return f"cannot write {self.filename}: {self.strerror}; the file already there, if any, is unchanged"


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write `data` to `path` so that readers see either the old file or the whole new one.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the
    temporary file is renamed over the target (an atomic step on POSIX and Windows). A write
    that fails (full disk, read-only folder) raises `WriteError` and leaves no temporary file.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WriteError(error.errno, error.strerror or str(error), str(path)) from error
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; reports are for readers
        os.replace(tmp_name, path)
    except OSError as error:
        Path(tmp_name).unlink(missing_ok=True)
        raise WriteError(error.errno, error.strerror or str(error), str(path)) from error
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from numpy/pandas scalars; NaN and infinities become null."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_result(path: Path | str, kind: str, region_id: str, payload: dict[str, Any],
                 data_vintage: str) -> Path:
    """Write a result document atomically and return its path."""
    if kind not in SCHEMA_VERSIONS:
        raise ResultError(f"unknown result kind {kind!r}; known: {', '.join(SCHEMA_VERSIONS)}")
    document = {
        "schema": kind,
        "schema_version": SCHEMA_VERSIONS[kind],
        "region_id": region_id,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "workbench_version": __version__,
        "data_vintage": data_vintage,
        "payload": to_jsonable(payload),
    }
    text = json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False)
    return write_atomic(path, text + "\n")


def read_result(path: Path | str, kind: str) -> dict[str, Any]:
    """Read and check a result document; return the whole envelope."""
    path = Path(path)
    if not path.is_file():
        raise ResultError(f"{path}: no {kind} result (has the {kind} notebook run for this region?)")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ResultError(f"{path}: not valid JSON ({error})") from None
    if document.get("schema") != kind:
        raise ResultError(f"{path}: expected a {kind!r} result, found {document.get('schema')!r}")
    expected = SCHEMA_VERSIONS[kind]
    if document.get("schema_version") != expected:
        raise ResultError(
            f"{path}: schema version {document.get('schema_version')!r}, this workbench reads "
            f"version {expected}; rebuild the reports with `workbench run`"
        )
    return document


def result_path(reports_dir: Path | str, region_id: str, kind: str) -> Path:
    """Where a region's result of this kind lives: reports/<id>/<kind>.json."""
    return Path(reports_dir) / region_id / f"{kind}.json"
