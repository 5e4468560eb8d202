"""Recent Eurostat API files: both CSV layouts, NUTS 2021/2024 -> 2016 conversion, the splice."""
from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from workbench import paths
from workbench.data import load_snapshot
from workbench.data.errors import RawDataError
from workbench.data.nuts import EU27_2020, Conversion
from workbench.data.parsers import read_eurostat_api_csv
from workbench.data.recent import splice
from workbench.data.sources import convert
from workbench.regions import load_profiles

RECENT = paths.DEFAULT_RAW_DIR / "recent" / "eucohesion"
needs_raw = pytest.mark.skipif(not RECENT.is_dir(), reason=f"raw folder {RECENT} is absent")


@needs_raw
def test_sdmx_csv_keeps_values_and_flags():
    table = read_eurostat_api_csv(RECENT / "eurostat_tgs00042_gerd_rd_expenditure.csv.gz",
                                  {"sectperf": "TOTAL", "unit": "PC_GDP"})
    burgenland = table[table["geo"] == "AT11"].set_index("year")
    assert burgenland.loc[2013, "value"] == 0.89 and burgenland.loc[2013, "flag"] == "b"
    stuttgart = table[(table["geo"] == "DE11") & (table["year"] == 2023)]
    assert stuttgart["value"].item() == pytest.approx(7.83)  # the EU's most R&D-intensive region


@needs_raw
def test_slim_layout_and_filters():
    table = read_eurostat_api_csv(RECENT / "eurostat_gdp_real_nuts2.csv.gz", {"na_item": "B1GQ", "unit": "I15"})
    assert set(table.columns) == {"geo", "year", "value", "flag", "line"}
    assert table["flag"].eq("").all() and table["year"].max() == 2023
    assert read_eurostat_api_csv(RECENT / "eurostat_gdp_real_nuts2.csv.gz", {"unit": "PC"}).empty


@needs_raw
def test_truncated_download_names_file_and_line(tmp_path):
    text = gzip.decompress((RECENT / "eurostat_tgs00010_unemployment_rate.csv.gz").read_bytes()).decode()
    lines = text.splitlines()
    cut = tmp_path / "tgs00010.csv"
    cut.write_text("\n".join(lines[:40]) + "\n" + lines[40][:60], encoding="utf-8")
    with pytest.raises(RawDataError, match=r"tgs00010\.csv, line 41: row has \d+ cells"):
        read_eurostat_api_csv(cut)
    broken_gzip = tmp_path / "tgs00010.csv.gz"
    broken_gzip.write_bytes((RECENT / "eurostat_tgs00010_unemployment_rate.csv.gz").read_bytes()[:5000])
    with pytest.raises(RawDataError, match="truncated"):
        read_eurostat_api_csv(broken_gzip)


def test_conversion_sums_counts_and_weights_rates():
    pt16 = Conversion("PT16", "2024", (("PT19", 1_653_511.0, 1_653_511.0), ("PT1D", 573_689.0, 809_598.0)))
    frame = pd.DataFrame({"indicator": ["gdp_meur", "gdp_meur", "unemployment_rate", "unemployment_rate",
                                        "gdp_meur"],
                          "geo": ["PT19", "PT1D", "PT19", "PT1D", "PT19"], "year": [2023, 2023, 2023, 2023, 2022],
                          "value": [40_000.0, 15_000.0, 6.0, 8.0, 39_000.0], "flag": ["p", "", "", "b", ""]})
    out = convert(frame, pt16).set_index("indicator")
    assert out.loc["gdp_meur", "value"] == pytest.approx(40_000 + 15_000 * 573_689 / 809_598)
    assert out.loc["unemployment_rate", "value"] == pytest.approx(
        (6 * 1_653_511 + 8 * 573_689) / (1_653_511 + 573_689))
    assert out.loc["gdp_meur", "flag"] == "p" and out.loc["unemployment_rate", "flag"] == "b"
    assert len(out) == 2  # 2022: PT1D has no value, so PT16 is not converted (never a partial sum)
    assert out.loc["gdp_meur", "method"] == ("NUTS 2024 PT19 + 71 % of PT1D = PT16 (NUTS 2016); split and "
                                             "merged, weighted by 2021 population (JRC converter)")


def test_splice_keeps_older_years_and_reports_differences():
    def rows(values: dict[int, float], method: str) -> pd.DataFrame:
        return pd.DataFrame({"indicator": "gdp_meur", "nace": "", "geo": "ES13", "year": list(values),
                             "value": list(values.values()), "flag": "", "method": method})

    old = rows({2018: 100.0, 2019: 110.0}, "reported")
    recent = rows({2018: 101.0, 2019: 115.0, 2020: 120.0}, "reported")
    out, (report,) = splice(old, recent)
    assert out.set_index("year")["value"].to_dict() == {2018: 100.0, 2019: 110.0, 2020: 120.0}
    assert out.set_index("year").loc[2020, "method"].startswith("spliced from recent/eucohesion/")
    assert report.compared == 2 and report.overlap_years == "2018-2019" and report.filled == 1
    assert report.over_tolerance == ("ES13 2019: 110 -> 115 (+4.5 %)",)


def test_every_eu_nuts2_unit_and_pilot_region_has_recent_gdp_and_unemployment():
    snap = load_snapshot()
    units = snap.geo.loc[(snap.geo["level"] == 2) & snap.geo["country"].isin(EU27_2020), "geo"].astype(str)
    assert set(units) <= set(snap.distribution("gdp_pps_per_head", 2023).index)
    missing = set(units) - set(snap.distribution("unemployment_rate", 2024).index)
    assert missing == {"DEB2", "FI20", "FRY5", "PL43"}  # not published for 2024 (confidential or too small)
    for profile in load_profiles():
        nuts = profile.nuts
        assert {nuts.code, *nuts.parts} <= set(snap.geo["geo"].astype(str)), profile.id
        for indicator, year in (("gdp_pps_per_head", 2023), ("unemployment_rate", 2024)):
            series = snap.region_series(indicator, nuts.code, list(nuts.parts)).set_index("year")
            assert year in series.index and series.loc[year, "value"] > 0, (profile.id, indicator)


def test_later_nuts_codes_resolve_to_the_working_vintage():
    snap = load_snapshot()
    assert snap.working_units("DED2") == ["DED2"]
    assert snap.working_units("HR05") == ["HR04"]  # NUTS 2021 City of Zagreb lies in NUTS 2016 HR04
    assert snap.working_units("PT1D") == ["PT16", "PT18"]
    assert snap.aliases["NL35"]["nuts2016"] == {"NL31": 97.4, "NL33": 2.6}
    assert snap.working_units("XX99") == []
    hr04 = snap.indicator_rows("gdp_meur", ["HR04"]).set_index("year")
    assert hr04.loc[2023, "method"].startswith("NUTS 2021 HR02 + HR05 + HR06 = HR04 (NUTS 2016); merged")


def test_manifest_records_splices_and_conversions():
    manifest = json.loads((load_snapshot().folder / "manifest.json").read_text(encoding="utf-8"))
    splices = manifest["splices"]
    assert set(splices) == {"population", "gdp_meur", "gdp_pps_per_head", "gdp_pps_per_head_index",
                            "unemployment_rate", "rd_expenditure_pct_gdp", "tertiary_attainment_pct"}
    assert all(s["compared"] > 100 and s["differences_over_2_pct"] for s in splices.values())
    assert splices["unemployment_rate"]["overlap_years"] == "2013-2019"
    assert "PT17" in manifest["nuts_conversions"] and "panel_master_derived" not in " ".join(manifest["inputs"])



def test_source_line_names_the_file_of_the_values_year():
    snap = load_snapshot()
    assert snap.year_source("unemployment_rate", 2019) == "Eurostat tgs00010 (sex=T, age=Y_GE15, unit=PC)"
    assert snap.year_source("unemployment_rate", 2024) == (
        "Eurostat tgs00010 (isced11=TOTAL, sex=T, age=Y15-74, unit=PC; API download, December 2026 copy)")
    assert snap.year_source("unemployment_rate", None).endswith("December 2026 copy) from 2020")
    assert "DERIVED" in snap.year_source("population", 2023)
    assert snap.year_source("productivity", 2015) == snap.source("productivity")  # not spliced
