"""The committed snapshot implements the `Snapshot` protocol the analysis is typed against."""
from __future__ import annotations

import inspect

from workbench.data import protocol
from workbench.data.snapshot_api import Snapshot as ConcreteSnapshot, load_snapshot


def test_committed_snapshot_is_a_protocol_snapshot():
    assert isinstance(load_snapshot(), protocol.Snapshot)


def test_protocol_methods_have_the_concrete_signatures():
    members = [n for n, v in vars(protocol.Snapshot).items() if inspect.isfunction(v) and not n.startswith("_")]
    assert members, "the protocol declares methods"
    for name in members:
        assert (inspect.signature(getattr(protocol.Snapshot, name))
                == inspect.signature(getattr(ConcreteSnapshot, name))), name
