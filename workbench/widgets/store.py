"""The workshop store: every participant input, saved at once in an embedded SQLite database.

One row per (region, participant, item) and kind of input: a rating of a joint challenge
(1-5), a vote on a proposed measure (support or not), a weight of a scoreboard dimension.
A new input replaces the participant's earlier one for the same item. Each input is its own
transaction, so several participants (one Voilà kernel each, i.e. several processes) can
write at once: the database runs in WAL mode and waits up to `busy_timeout` seconds for a
lock before it reports the database as busy.

The database is created by `WorkshopStore(path)`; afterwards a missing file is an error
(`StoreError`), never silently replaced by an empty database.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import pandas as pd

from workbench import paths
from workbench.results import write_atomic

Kind = Literal["rating", "vote", "weight"]
KINDS: tuple[Kind, ...] = ("rating", "vote", "weight")
RATING_MIN, RATING_MAX = 1, 5
DB_ENV = "WORKBENCH_WORKSHOP_DB"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    region TEXT NOT NULL,
    participant TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rating', 'vote', 'weight')),
    item TEXT NOT NULL,
    value REAL NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (region, participant, kind, item)
)
"""


class StoreError(RuntimeError):
    """The database cannot be read or written now (locked, missing, unwritable)."""


def default_path() -> Path:
    """`$WORKBENCH_WORKSHOP_DB`, else `workshops/workshop.sqlite` under the project."""
    return Path(os.environ.get(DB_ENV) or paths.PROJECT_DIR / "workshops" / "workshop.sqlite")


@dataclass(frozen=True)
class Input:
    """One participant input, checked before it reaches the database."""

    region: str
    participant: str
    kind: Kind
    item: str
    value: float

    def __post_init__(self) -> None:
        problem = check_participant(self.participant) or check_value(self.kind, self.value)
        if problem:
            raise ValueError(problem)


def check_participant(name: str) -> str | None:
    """A message when the participant name is unusable, else None."""
    return None if name.strip() else "enter your name first"


def check_value(kind: Kind, value: float) -> str | None:
    """A message saying why this value is not allowed for this kind of input, or None."""
    if kind not in KINDS:
        return f"unknown kind of input {kind!r}; allowed: {', '.join(KINDS)}"
    if value != value:
        return "a value is required"
    if kind == "rating" and not (RATING_MIN <= value <= RATING_MAX and value == int(value)):
        return f"a rating is a whole number from {RATING_MIN} to {RATING_MAX}, got {value:g}"
    if kind == "vote" and value not in (0, 1):
        return f"a vote is 1 (support) or 0 (no support), got {value:g}"
    if kind == "weight" and value < 0:
        return f"a weight cannot be negative, got {value:g}"
    return None


class WorkshopStore:
    """Read and write workshop inputs in one SQLite file (safe across processes)."""

    def __init__(self, path: Path | str | None = None, busy_timeout: float = 5.0):
        self.path = Path(path) if path else default_path()
        self.busy_timeout = busy_timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=busy_timeout)) as db:
                db.execute("PRAGMA journal_mode=WAL")
                with db:
                    db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the workshop database {self.path}: {error}") from None

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise StoreError(f"the workshop database {self.path.name} is missing (moved or deleted?)")
        db = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=self.busy_timeout)
        db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        return db

    def save(self, entry: Input) -> None:
        """Store one input in its own transaction (replacing the participant's earlier one)."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        row = (entry.region, entry.participant.strip(), entry.kind, entry.item, float(entry.value), now)
        try:
            with closing(self._connect()) as db, db:
                db.execute("INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?)", row)
        except sqlite3.Error as error:
            raise StoreError(_describe(error, self.path)) from None

    def inputs(self, region: str | None = None) -> pd.DataFrame:
        """All stored inputs (of one region): region, participant, kind, item, value, saved_at."""
        sql, args = "SELECT * FROM inputs", ()
        if region is not None:
            sql, args = sql + " WHERE region = ?", (region,)
        try:
            with closing(self._connect()) as db:
                rows = db.execute(sql + " ORDER BY region, participant, kind, item", args).fetchall()
        except sqlite3.Error as error:
            raise StoreError(_describe(error, self.path)) from None
        columns = ["region", "participant", "kind", "item", "value", "saved_at"]
        return pd.DataFrame(rows, columns=columns)

    def participant_inputs(self, region: str, participant: str) -> dict[Kind, dict[str, float]]:
        """One participant's latest inputs by kind and item (to restore the controls)."""
        frame = self.inputs(region)
        mine = frame[frame["participant"] == participant.strip()]
        return {kind: dict(zip(group["item"], group["value"])) for kind, group in mine.groupby("kind")}

    def summary(self, region: str) -> pd.DataFrame:
        """Inputs aggregated across participants: kind, item, n, mean, total."""
        frame = self.inputs(region)
        grouped = frame.groupby(["kind", "item"])["value"]
        out = grouped.agg(n="count", mean="mean", total="sum").reset_index()
        return out

    def export_csv(self, path: Path | str, region: str | None = None) -> Path:
        """Write the stored inputs (of one region) to a CSV file, atomically."""
        return write_atomic(path, self.inputs(region).to_csv(index=False))


def _describe(error: sqlite3.Error, path: Path) -> str:
    """Reader text for a participant's page: the file's name, not its folder."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"the workshop database {path.name} is busy (locked by another process): {text}"
    if "unable to open" in text:
        return f"the workshop database {path.name} is missing or unreadable: {text}"
    return f"the workshop database {path.name} failed: {text}"
