"""Result documents between notebooks: schema-versioned, atomic, and strict when read."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from workbench.results import ResultError, read_result, result_path, write_atomic, write_result


def test_result_round_trip_keeps_payload_and_turns_nan_into_null(tmp_path):
    path = result_path(tmp_path, "saxony", "assessment")
    write_result(path, "assessment", "saxony", {"lq": np.float64(1.25), "gap": float("nan"),
                                                "n": np.int64(3)}, data_vintage="v1")
    document = read_result(path, "assessment")
    assert document["payload"] == {"lq": 1.25, "gap": None, "n": 3}
    assert document["schema_version"] == 1 and document["region_id"] == "saxony"
    assert document["data_vintage"] == "v1"


def test_reading_a_result_of_another_version_asks_for_a_rebuild(tmp_path):
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps({"schema": "assessment", "schema_version": 99}), encoding="utf-8")
    with pytest.raises(ResultError, match="rebuild the reports"):
        read_result(path, "assessment")


def test_reading_a_missing_result_names_the_notebook_to_run(tmp_path):
    with pytest.raises(ResultError, match="has the proposals notebook run"):
        read_result(tmp_path / "x" / "proposals.json", "proposals")


def test_failed_atomic_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old complete report", encoding="utf-8")

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, "new report")
    assert target.read_text(encoding="utf-8") == "old complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left behind
