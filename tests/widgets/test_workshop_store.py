"""The SQLite workshop store and the save queue: validation, concurrency, locks, reload, export."""
from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from workbench.widgets.saving import SaveQueue
from workbench.widgets.store import Input, StoreError, WorkshopStore, check_value

N_PROCESSES, N_INPUTS = 4, 40


def _write_many(db_path: str, worker: int) -> None:
    store = WorkshopStore(db_path, busy_timeout=30)
    for i in range(N_INPUTS):
        store.save(Input("saxony", f"p{worker}", "vote", f"m{i}", i % 2))
        store.save(Input("saxony", "shared", "rating", "c", 1 + (i + worker) % 5))


def test_inputs_are_stored_replaced_and_summarised(store: WorkshopStore) -> None:
    store.save(Input("saxony", "Ana", "rating", "c1", 4))
    store.save(Input("saxony", "Ana", "rating", "c1", 2))
    store.save(Input("saxony", "Bo ", "rating", "c1", 5))
    store.save(Input("saxony", "Bo", "vote", "m1", 1))
    store.save(Input("wallonia", "Ana", "vote", "m1", 1))
    summary = store.summary("saxony").set_index(["kind", "item"])
    assert summary.loc[("rating", "c1"), "mean"] == pytest.approx(3.5)
    assert summary.loc[("rating", "c1"), "n"] == 2
    assert summary.loc[("vote", "m1"), "total"] == 1
    assert store.participant_inputs("saxony", "Bo") == {"rating": {"c1": 5.0}, "vote": {"m1": 1.0}}


def test_database_is_in_wal_mode_and_survives_a_restart(db_path: Path) -> None:
    WorkshopStore(db_path).save(Input("saxony", "Ana", "weight", "d1", 2.5))
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened = WorkshopStore(db_path)
    assert reopened.participant_inputs("saxony", "Ana") == {"weight": {"d1": 2.5}}


@pytest.mark.parametrize(("kind", "value"), [("rating", 0), ("rating", 6), ("rating", 2.5),
                                             ("vote", 2), ("weight", -1), ("weight", float("nan"))])
def test_impossible_values_are_refused(kind: str, value: float) -> None:
    assert check_value(kind, value)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Input("saxony", "Ana", kind, "x", value)  # type: ignore[arg-type]


def test_empty_participant_is_refused() -> None:
    with pytest.raises(ValueError, match="name"):
        Input("saxony", "  ", "rating", "c1", 3)


def test_several_processes_write_at_once(db_path: Path) -> None:
    WorkshopStore(db_path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(db_path), k)) for k in range(N_PROCESSES)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
        assert process.exitcode == 0
    inputs = WorkshopStore(db_path).inputs("saxony")
    votes = inputs[inputs["kind"] == "vote"]
    assert len(votes) == N_PROCESSES * N_INPUTS
    assert set(votes["participant"]) == {f"p{k}" for k in range(N_PROCESSES)}
    assert len(inputs[inputs["participant"] == "shared"]) == 1


def test_locked_database_is_reported_and_queued_inputs_are_saved_later(store: WorkshopStore) -> None:
    statuses: list[tuple[str, bool]] = []
    queue = SaveQueue(store, lambda text, ok: statuses.append((text, ok)))
    blocker = sqlite3.connect(store.path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        assert queue.submit(Input("saxony", "Ana", "vote", "m1", 1)) is False
        assert queue.submit(Input("saxony", "Ana", "rating", "c1", 3)) is False
        assert "NOT SAVED YET (2 inputs waiting)" in statuses[-1][0] and "busy" in statuses[-1][0]
        assert len(queue.pending) == 2
    finally:
        blocker.rollback()
        blocker.close()
    assert queue.retry() is True
    assert statuses[-1][1] is True and queue.pending == []
    assert len(store.inputs("saxony")) == 2


def test_missing_database_is_reported_not_recreated(store: WorkshopStore) -> None:
    store.path.unlink()
    with pytest.raises(StoreError, match="missing"):
        store.save(Input("saxony", "Ana", "vote", "m1", 1))
    assert not store.path.exists()


def test_unwritable_location_is_reported(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open"):
        WorkshopStore(blocked / "workshop.sqlite")


def test_export_csv_reads_back(store: WorkshopStore, tmp_path: Path) -> None:
    store.save(Input("saxony", "Ana", "rating", "c1", 4))
    path = store.export_csv(tmp_path / "out" / "inputs.csv", "saxony")
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["region", "participant", "kind", "item", "value", "saved_at"]
    assert frame.loc[0, "value"] == 4
