"""The constructed regions' countries count as EU-27 members, as the real snapshot's do."""
from __future__ import annotations

import pytest

from assessment_fakes import CONSTRUCTED_COUNTRIES
from workbench.data import nuts


@pytest.fixture(autouse=True)
def eu_members(monkeypatch):
    monkeypatch.setattr(nuts, "EU27_2020", (*nuts.EU27_2020, *CONSTRUCTED_COUNTRIES))
