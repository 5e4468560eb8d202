"""SWOT from constructed indicator and sector tables and a profile."""
from __future__ import annotations

import pandas as pd

from assessment_fakes import profile
from workbench.analysis.swot import swot


def _indicators() -> pd.DataFrame:
    rows = [("gdp", "higher_better", 80.0), ("unemployment", "lower_better", 10.0),
            ("rd", "higher_better", 20.0), ("crime", "lower_better", 90.0),
            ("pop", "neutral", 95.0), ("middle", "higher_better", 50.0),
            ("gdp_meur", "higher_better", None)]
    return pd.DataFrame([{"id": i, "label": f"Label {i}", "unit": "%", "direction": d,
                          "year": 2018, "value": 1.5, "eu": 2.0, "percentile": p,
                          "source": f"Source {i}, 2018"} for i, d, p in rows])


def _sectors() -> pd.DataFrame:
    return pd.DataFrame({"nace": ["C29", "C28", "C10", "G47", "H51"],
                         "label": ["Motor vehicles", "Machinery", "Food", "Retail", "Air transport"],
                         "traded": [True, True, True, False, True],
                         "suspect": ["", "", "", "", "wage per person employed 3,000 EUR"],
                         "year": 2015, "headline_stars": [3, 2, 1, 3, 3], "lq": [2.5, 1.6, 1.1, 3.0, 4.0],
                         "employment": [50000.0, 70000.0, 20000.0, 90000.0, 80000.0]})


def test_strengths_and_weaknesses_by_percentile_and_direction():
    result = swot(_indicators(), pd.DataFrame(), "SBS, 2015", profile("AA11"))
    assert [s.evidence for s in result.strengths] == ["Source gdp, 2018", "Source unemployment, 2018"]
    assert [w.evidence for w in result.weaknesses] == ["Source crime, 2018", "Source rd, 2018"]
    assert "higher than in 80% of EU-27 NUTS 2 regions" in result.strengths[0].text


def test_strong_clusters_are_strengths_largest_first_traded_and_plausible_only():
    result = swot(_indicators().iloc[0:0], _sectors(), "SBS, 2015", profile("AA11"))
    texts = [s.text for s in result.strengths]
    assert len(texts) == 2 and texts[0].startswith("Strong traded cluster in NACE C28 Machinery")
    assert not any("Retail" in t or "Air transport" in t for t in texts)  # local; suspect
    assert "location quotient 2.50" in texts[1] and result.strengths[0].evidence == "SBS, 2015"


def test_opportunities_and_threats_come_from_profile_with_sources():
    region = profile("AA11", opportunities=[{"text": "Circular economy", "source": "Newsletter 3"}],
                     threats=[{"text": "Skills gap", "source": "Newsletter 3, Turin"}])
    payload = swot(_indicators(), _sectors(), "SBS, 2015", region).payload()
    assert payload["opportunities"] == [{"text": "Circular economy", "evidence": "Newsletter 3"}]
    assert payload["threats"] == [{"text": "Skills gap", "evidence": "Newsletter 3, Turin"}]
    assert set(payload) == {"strengths", "weaknesses", "opportunities", "threats"}
