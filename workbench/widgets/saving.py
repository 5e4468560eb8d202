"""Never lose an input: save at once, and keep what could not be saved in a visible queue.

`SaveQueue.submit` tries to store an input immediately. When the store refuses (database
locked, missing, unwritable) the input stays queued in memory, the status says
"not saved yet" with the reason, and every later submit or `retry()` tries the whole queue
again, oldest first, so inputs reach the database in the order they were made.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from workbench.widgets.store import Input, StoreError, WorkshopStore


class SaveQueue:
    """Inputs on their way to the store; `pending` holds those not saved yet."""

    def __init__(self, store: WorkshopStore, on_status: Callable[[str, bool], None]):
        self.store = store
        self.pending: list[Input] = []
        self._on_status = on_status

    def submit(self, entry: Input) -> bool:
        """Queue the input and try to save everything queued; True when all is saved."""
        self.pending = [p for p in self.pending if _key(p) != _key(entry)] + [entry]
        return self.retry()

    def retry(self) -> bool:
        """Try to save the queued inputs; report the outcome through `on_status`."""
        while self.pending:
            try:
                self.store.save(self.pending[0])
            except StoreError as error:
                n = len(self.pending)
                self._on_status(f"⚠ NOT SAVED YET ({n} input{'s' * (n > 1)} waiting): {error}. "
                                "Keep going; press 'Retry saving' or make another input.", False)
                return False
            self.pending.pop(0)
        self._on_status(f"✓ all inputs saved {datetime.now():%H:%M:%S}", True)
        return True


def _key(entry: Input) -> tuple[str, str, str, str]:
    """Inputs with the same key replace each other (the latest value wins)."""
    return entry.region, entry.participant, entry.kind, entry.item
