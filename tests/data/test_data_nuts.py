"""NUTS 2013 -> 2016 harmonisation: the French recodes and the Lithuanian split."""
from __future__ import annotations

import pandas as pd
import pytest

from nuts_fixtures import write_nuts_files
from workbench.data import load_snapshot
from workbench.data.errors import RawDataError


@pytest.fixture()
def nuts(tmp_path):
    return write_nuts_files(tmp_path)


def frame(*geos: str) -> pd.DataFrame:
    return pd.DataFrame({"geo": list(geos), "value": range(len(geos)), "line": range(2, len(geos) + 2)})


def test_french_codes_are_recoded_one_to_one(nuts, tmp_path):
    out, dropped = nuts.harmonise(frame("FR24", "FR30", "FR22", "FRB0"), tmp_path / "x.tsv")
    assert out["geo"].tolist() == ["FRB0", "FRE1", "FRE2", "FRB0"]
    assert out["method"].tolist() == ["recoded from FR24 (NUTS 2013)", "recoded from FR30 (NUTS 2013)",
                                      "recoded from FR22 (NUTS 2013)", "reported"]
    assert out["value"].tolist() == [0, 1, 2, 3]  # values carry over unchanged
    assert dropped == set()


def test_fr22_sliver_of_51_inhabitants_is_ignored(nuts):
    # FR22 -> FRF2 holds 51 of 1.9 million inhabitants: below SLIVER_SHARE, so FR22 is a 1:1 recode
    assert nuts.recodes["FR22"].new == "FRE2"


def test_lt00_goes_to_the_union_lt_not_apportioned(nuts, tmp_path):
    out, _ = nuts.harmonise(frame("LT00"), tmp_path / "x.tsv")
    assert out["geo"].tolist() == ["LT"] and out["value"].tolist() == [0]
    assert "LT01+LT02" in out["method"].iloc[0] and "not apportioned" in out["method"].iloc[0]
    assert nuts.nuts2_parts("LT") == ["LT01", "LT02"]


def test_aggregates_and_other_versions_dropped_unknown_code_raises(nuts, tmp_path):
    out, dropped = nuts.harmonise(frame("EU28", "FRZZ", "DED1", "DED2", "DED21", "JP"), tmp_path / "x.tsv")
    assert out["geo"].tolist() == ["DED2"]
    assert dropped == {"DED1"}  # a code of an older NUTS version: listed, not converted
    with pytest.raises(RawDataError) as error:
        nuts.harmonise(frame("DED2", "QQ12"), tmp_path / "bad.tsv")
    assert "bad.tsv, line 3" in str(error.value) and "'QQ12'" in str(error.value)


def test_snapshot_uses_recoded_french_and_lithuanian_values():
    snap = load_snapshot()
    # sbs_r_nuts06_r2, C,V16110,FR24 is a NUTS 2013 row: it appears under FRB0
    series = snap.region_series("sbs_persons_employed", "FRB0", ["FRB0"], nace="C")
    assert set(series["method"]) == {"recoded from FR24 (NUTS 2013)"}
    # i40 R&D: LT00 only (2008-2014), assigned to LT, the union of LT01 and LT02
    lt = snap.region_series("rd_expenditure_pct_gdp", "LT", ["LT01", "LT02"])
    assert lt.loc[lt["year"] == 2010, "method"].item().startswith("LT00 (NUTS 2013) = LT01+LT02")
