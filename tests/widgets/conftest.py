"""Fixtures for the widget tests: a copy of the region profiles, constructed results, a store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from widget_fakes import write_constructed_results

from workbench import paths
from workbench.widgets.store import WorkshopStore


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_constructed_results(folder)
    return folder


@pytest.fixture
def regions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "regions"
    folder.mkdir()
    for source in paths.REGIONS_DIR.glob("*.yaml"):
        shutil.copy(source, folder / source.name)
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workshop.sqlite"


@pytest.fixture
def store(db_path: Path) -> WorkshopStore:
    return WorkshopStore(db_path, busy_timeout=0.2)


@pytest.fixture
def no_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    """No region results and no data snapshot: the live assessment fails."""
    def fail(*args: object, **kwargs: object) -> None:
        raise LookupError("no data snapshot")

    monkeypatch.setattr("workbench.widgets.sources.assess", fail)
