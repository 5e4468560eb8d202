"""The data layer: raw files -> committed snapshot (`build`), and the Snapshot API (`load_snapshot`)."""
from workbench.data.snapshot_api import Snapshot, SnapshotError, load_snapshot

__all__ = ["Snapshot", "SnapshotError", "load_snapshot"]
