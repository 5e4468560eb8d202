"""The EU overview's region table: one row per region, sortable keys, missing shown as missing."""
from __future__ import annotations

from workbench.concepts import CHALLENGE_IDS
from workbench.regions import load_profile
from workbench.report.overview import _table_row, region_row


def _assessment() -> dict:
    return {"indicators": [{"id": "gdp_pps_per_head_index", "value": 91.568, "year": 2019},
                           {"id": "unemployment_rate", "value": None, "year": None}],
            "challenges": [{"id": cid, "verdict": "indicated" if i == 1 else "not_indicated"}
                           for i, cid in enumerate(CHALLENGE_IDS)]}


def test_row_of_a_region_with_results_has_values_years_verdicts_and_links():
    row = region_row(load_profile("saxony"), _assessment(), {"measures": [{}, {}, {}]}, "ok")
    assert (row["n_indicated"], row["n_measures"], row["parts"]) == (1, 3, ["DED2", "DED4", "DED5"])
    html = _table_row(row)
    assert '<td data-sort="91.568">91.6 (2019)</td>' in html
    assert '<td data-sort="">n/a</td>' in html  # unemployment missing: shown and sorted as missing
    assert 'href="saxony/assessment.html"' in html and 'href="saxony/proposals.html"' in html


def test_row_of_a_failed_region_says_why_and_links_nothing():
    row = region_row(load_profile("cantabria"), None, None, "missing: assessment notebook failed - ValueError: <no data>")
    html = _table_row(row)
    assert row["n_indicated"] is None and "href" not in html
    assert "&lt;no data&gt;" in html and "<no data>" not in html


def test_the_strongest_traded_cluster_column_rates_only_traded_plausible_sectors_and_says_when_data_lack():
    sectors = [
        {"nace": "G47", "label": "Retail trade, except of motor vehicles", "traded": False, "suspect": "",
         "headline_stars": 3, "employment": 90_000, "year": 2014},  # local: never a cluster
        {"nace": "C26", "label": "Manufacture of computer, electronic and optical products", "traded": True,
         "suspect": "wages 22 % of the national value", "headline_stars": 3, "employment": 50_000, "year": 2014},
        {"nace": "C29", "label": "Manufacture of motor vehicles, trailers and semi-trailers", "traded": True,
         "suspect": "", "headline_stars": 2, "employment": 40_000, "year": 2014},
    ]
    row = region_row(load_profile("saxony"), {**_assessment(), "sectors": sectors}, None, "ok")
    assert row["strongest_cluster"] == "Motor vehicles (C29): 2/3 stars, 2014"
    assert "Motor vehicles (C29): 2/3 stars, 2014</td>" in _table_row(row)
    gap = {**_assessment(), "sectors": [], "sector_gap": {"reason": "no SBS for LT01"}}
    assert region_row(load_profile("lithuania"), gap, None, "ok")["strongest_cluster"] == "no regional sector data"
    assert region_row(load_profile("lithuania"), _assessment(), None, "ok")["strongest_cluster"] == "none rated"
    assert region_row(load_profile("cantabria"), None, None, "missing")["strongest_cluster"] is None
    head_offices = {**sectors[2], "nace": "M70", "label": "Activities of head offices; management consultancy activities"}
    row = region_row(load_profile("saxony"), {**_assessment(), "sectors": [head_offices]}, None, "ok")
    assert row["strongest_cluster"] == "Activities of head offices (M70): 2/3 stars, 2014"
