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
