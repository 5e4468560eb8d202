"""`workbench data refresh` with a recorded Eurostat answer (the tests never use the network)."""
from __future__ import annotations

import itertools
import sys
import types

import pytest

from workbench.data import refresh
from workbench.data.parsers import read_csv_table, read_eurostat_tsv
from workbench.data.refresh import RefreshError, refresh_raw
from workbench.data.sources import I40_COLUMNS


def recorded_get_data(code, flags=False, filter_pars=None):
    """A recorded answer of eurostat.get_data(code, flags=True): header, then one row per series
    (two regions for every combination of the filter values)."""
    filters = {k: v if isinstance(v, list) else [v] for k, v in filter_pars.items() if k != "startPeriod"}
    filters = {"freq": ["A"], "nace_r2": ["C"], "indic_sb": ["V16110"], **filters}  # one value per other dimension
    header = (*filters, "geo\\TIME_PERIOD", "2019_value", "2019_flag", "2020_value", "2020_flag")
    rows = [header]
    for key in itertools.product(*filters.values()):
        rows += [(*key, "DED2", 12.5, "p", None, ""), (*key, "ES13", 7.0, "", 8.0, "e")]
    return rows


@pytest.fixture()
def fake_eurostat(monkeypatch):
    module = types.SimpleNamespace(get_data=recorded_get_data, __version__="recorded")
    monkeypatch.setitem(sys.modules, "eurostat", module)
    return module


def test_refresh_writes_the_raw_layout_the_build_reads(fake_eurostat, tmp_path):
    for relative in refresh.COPIED:  # non-Eurostat files (NUTS tables, i40 rank) a user already has
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"kept as it is")
    report = refresh_raw(tmp_path)
    assert all((tmp_path / r).read_bytes() == b"kept as it is" for r in refresh.COPIED)
    assert "workbench data build --raw" in report
    tsv = read_eurostat_tsv(tmp_path / "eurostat/lfst_r_lfe2emp.tsv.gz", ["unit", "sex", "age"])
    assert tsv.set_index(["geo", "year"])[["value", "flag"]].to_dict("index") == {
        ("DED2", 2019): {"value": 12.5, "flag": "p"}, ("ES13", 2019): {"value": 7.0, "flag": ""},
        ("ES13", 2020): {"value": 8.0, "flag": "e"}}
    panel = read_csv_table(tmp_path / "i40/i40_index_db_nuts2_2008_2019.csv.gz", ["NUTS_ID", "YEAR", *I40_COLUMNS],
                           numeric=list(I40_COLUMNS))
    assert len(panel) == 3
    gdp = read_csv_table(tmp_path / "eurostat/regional_gdp_release_vintages_2015_2021.csv.gz",
                         ["geo", "vintage", "unit", "time", "values"], numeric=["values"])
    assert set(gdp["unit"]) == {"MIO_EUR", "MIO_PPS", "PPS_HAB", "PPS_HAB_EU27", "POP"}
    assert "### `sbs_r_nuts06_r2.tsv.gz`" in (tmp_path / "README.md").read_text()


def test_dataset_columns_match_the_build():
    assert set(refresh.I40_SOURCES) == set(I40_COLUMNS)


def test_missing_package_gives_install_hint(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "eurostat", None)  # import fails
    with pytest.raises(RefreshError, match=r"pip install -e \"\.\[refresh\]\""):
        refresh_raw(tmp_path)


def test_offline_gives_a_clear_message(monkeypatch, tmp_path):
    def offline(code, flags=False, filter_pars=None):
        raise ConnectionError("Failed to establish a new connection")

    monkeypatch.setitem(sys.modules, "eurostat", types.SimpleNamespace(get_data=offline))
    with pytest.raises(RefreshError, match="needs internet access"):
        refresh_raw(tmp_path)
    assert not any(tmp_path.iterdir())  # nothing written
