"""`workbench data refresh` with a recorded Eurostat answer (the tests never use the network)."""
from __future__ import annotations

import gzip
import itertools
import shutil
import sys
import types

import pytest

from workbench import paths
from workbench.data import refresh
from workbench.data.build import build_snapshot
from workbench.data.errors import RawDataError
from workbench.data.parsers import read_csv_table, read_eurostat_api_csv, read_eurostat_tsv
from workbench.data.recent import API_FILES, POPULATION_FILE
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


def recorded_api(code: str, key: str) -> bytes:
    """Recorded Eurostat API answers: the SDMX-CSV (or slim) files of shared/data/recent, and a
    demo_r_d2jan answer in SDMX-CSV made from the population extract's first rows."""
    if code == "demo_r_d2jan":
        return (b"STRUCTURE,STRUCTURE_ID,freq,unit,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                b"dataflow,ESTAT:DEMO_R_D2JAN(1.0),A,NR,T,TOTAL,ES13,2023,588387,\n"
                b"dataflow,ESTAT:DEMO_R_D2JAN(1.0),A,NR,T,TOTAL,PT19,2024,2291000,p\n")
    name = next(relative for indicator, relative in RECENT_TARGETS.items() if refresh.RECENT_KEYS[indicator][1] == key)
    return gzip.decompress((paths.DEFAULT_RAW_DIR / name).read_bytes())


RECENT_TARGETS = {indicator: relative for relative, (indicator, _) in API_FILES.items()}
needs_recent = pytest.mark.skipif(not (paths.DEFAULT_RAW_DIR / "recent").is_dir(), reason="recorded answers absent")


@needs_recent
def test_refresh_writes_the_raw_layout_the_build_reads(fake_eurostat, tmp_path):
    for relative in refresh.COPIED:  # non-Eurostat files (NUTS tables, i40 rank) a user already has
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"kept as it is")
    report = refresh_raw(tmp_path, fetch=recorded_api)  # K1: also the recent API files (recorded answers)
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
    unemployment = read_eurostat_api_csv(tmp_path / RECENT_TARGETS["unemployment_rate"])
    assert unemployment.set_index(["geo", "year"]).loc[("ES61", 2023), "value"] == 18.3  # Andalucia
    population = read_csv_table(tmp_path / POPULATION_FILE, ["nuts2_id", "year", "population"], numeric=["population"])
    assert population.set_index("nuts2_id").loc["ES13", "population"] == 588387
    assert "`tgs00010` `A.TOTAL.T.Y15-74.PC.`" in (tmp_path / "recent/PROVENANCE.md").read_text()


@needs_recent
def test_truncated_download_names_file_and_line_and_writes_nothing(fake_eurostat, tmp_path):
    def truncated(code: str, key: str) -> bytes:
        answer = recorded_api(code, key)
        return answer[:len(answer) // 2] if code == "tgs00010" else answer  # connection lost mid-file

    with pytest.raises(RawDataError, match=r"eurostat_tgs00010_unemployment_rate\.csv, line \d+: row has"):
        refresh_raw(tmp_path, fetch=truncated)
    assert not any(tmp_path.iterdir())  # nothing written: the raw folder and the snapshot stay as they were


@needs_recent
def test_build_from_a_truncated_sdmx_file_keeps_the_old_snapshot(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for item in paths.DEFAULT_RAW_DIR.iterdir():
        if item.name != "recent":
            (raw / item.name).symlink_to(item)
    recent = paths.DEFAULT_RAW_DIR / "recent"
    shutil.copytree(recent, raw / "recent", symlinks=False)
    target = raw / RECENT_TARGETS["tertiary_attainment_pct"]
    target.chmod(0o644)
    text = gzip.decompress(target.read_bytes())
    target.write_bytes(gzip.compress(text[: len(text) * 2 // 3]))
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    (snapshot / "manifest.json").write_text('{"vintage": "previous"}')
    with pytest.raises(RawDataError, match=r"eurostat_tgs00109_tertiary_education_25_64\.csv\.gz, line \d+"):
        build_snapshot(raw, snapshot)
    assert [p.name for p in snapshot.iterdir()] == ["manifest.json"]
    assert (snapshot / "manifest.json").read_text() == '{"vintage": "previous"}'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


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
