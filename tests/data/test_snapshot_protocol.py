"""The committed snapshot and the tests' shared fake implement the `Snapshot` protocol the
analysis is typed against, with the same method signatures."""
from __future__ import annotations

import inspect

import pandas as pd
import pytest

from fake_snapshot import FakeSnapshot
from workbench.data import protocol
from workbench.data.snapshot_api import Snapshot as ConcreteSnapshot, load_snapshot


def test_committed_snapshot_is_a_protocol_snapshot():
    assert isinstance(load_snapshot(), protocol.Snapshot)


def test_shared_fake_is_a_protocol_snapshot():
    values = pd.DataFrame({"indicator": ["population"], "nace": [""], "geo": ["AA11"], "year": [2019],
                           "value": [1.0], "flag": [""], "method": ["reported"]})
    assert isinstance(FakeSnapshot(values), protocol.Snapshot)


@pytest.mark.parametrize("implementation", [ConcreteSnapshot, FakeSnapshot])
def test_protocol_methods_have_the_signatures_of_each_implementation(implementation):
    members = [n for n, v in vars(protocol.Snapshot).items() if inspect.isfunction(v) and not n.startswith("_")]
    assert members, "the protocol declares methods"
    for name in members:
        assert (inspect.signature(getattr(protocol.Snapshot, name))
                == inspect.signature(getattr(implementation, name))), name
