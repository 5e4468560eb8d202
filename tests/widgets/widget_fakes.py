"""CONSTRUCTED inputs for the widget tests: stand-ins for results and analyses, not figures of any region."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from fake_snapshot import FakeSnapshot
from workbench.results import result_path, write_result

REGION = "saxony"
# Measure ids of templates/measures.yaml (folding checks them); titles are test labels.
MEASURES = [{"id": i, "title": f"Test measure {i}"} for i in
            ("evidence_base", "value_chain_portfolio_review", "research_access_audit",
             "skills_needs_assessment", "partnership_competence_analysis", "joint_partnership_strategy")]
DIMENSIONS = [("dim_one", "Dimension one", 0.6), ("dim_two", "Dimension two", 0.2),
              ("dim_none", "Dimension without data", None)]
PEERS = {"XX01": {"dim_one": 0.3, "dim_two": 0.7, "dim_none": None},
         "XX02": {"dim_one": 0.5, "dim_two": 0.5, "dim_none": None}}


def write_constructed_results(reports_dir: Path, region: str = REGION) -> None:
    """Write constructed proposals.json and assessment.json for `region` into `reports_dir`."""
    proposals = {"measures": MEASURES}
    scoreboard = {"dimensions": [{"id": d, "label": label, "score": score} for d, label, score in DIMENSIONS],
                  "peers": [{"geo": g, "name": f"Peer {g}", "reason": "constructed"} for g in PEERS],
                  "peer_scores": PEERS}
    write_result(result_path(reports_dir, region, "proposals"), "proposals", region, proposals, "test")
    write_result(result_path(reports_dir, region, "assessment"), "assessment", region,
                 {"scoreboard": scoreboard}, "test")


class FakeClusters:
    """A stand-in for `workbench.analysis.clusters` with CONSTRUCTED numbers (same columns)."""

    PRESETS = {"eco": None, "eocic": None}

    @staticmethod
    def eu_complete_years(snap: object) -> list[int]:
        return [2014]

    @staticmethod
    def is_traded(nace: str, categories: object) -> bool:
        return True

    @staticmethod
    def division_table(categories: object) -> pd.DataFrame:
        return pd.DataFrame({"nace": ["C10", "C29"], "label": ["Food products", "Motor vehicles"]})

    @staticmethod
    def region_sectors(snap: object, code: str, parts: tuple[str, ...], year: int | None = None, *,
                       categories: object) -> pd.DataFrame:
        rows = []
        for i, (nace, label) in enumerate([("C10", "Food products"), ("C29", "Motor vehicles"), ("C28", "Machinery")]):
            rows.append({"nace": nace, "label": label, "category": "x", "category_label": "X", "year": year or 2014,
                         "employment": 1000.0 * (i + 1), "share": 1.0 + i, "lq": 0.5 + i, "wage_per_employee": 30000.0 - i,
                         "local_units": 10.0 * i, "growth_pct": float(i), "stars_eco": i, "stars_eocic": i, "stars_us": 0})
        return pd.DataFrame(rows)

    @staticmethod
    def top_sectors(sectors: pd.DataFrame, by: str, n: int = 10) -> pd.DataFrame:
        return sectors.nlargest(n, by)

    @staticmethod
    def sector_across_regions(snap: object, nace: str, preset: str = "eocic", year: int | None = None, *,
                              categories: object) -> pd.DataFrame:
        geos = ["DED2", "DED4", "XX01", "XX02"]
        return pd.DataFrame({"geo": geos, "name": [f"Unit {g}" for g in geos], "country": ["DE", "DE", "XX", "XX"],
                             "employment": [4000.0, 3000.0, 2000.0, 1000.0], "share": [1.0, 2.0, 3.0, 4.0],
                             "lq": [2.0, 1.5, 0.5, float("nan")], "wage_per_employee": [1.0, 2.0, 3.0, 4.0],
                             "local_units": [1.0, 2.0, 3.0, 4.0], "stars": [3, 2, 0, 0],
                             "reasons": [["constructed"]] * 4})


def widget_snapshot() -> FakeSnapshot:
    """The shared fake: four square NUTS 2 units, employment in C10 for DED2, and population of
    Saxony (DED), Germany and the EU-27 in 2014."""
    geo = pd.DataFrame({"geo": ["DED2", "DED4", "XX01", "XX02"], "level": 2,
                        "country": ["DE", "DE", "FR", "FR"], "name": ["a", "b", "c", "d"]})
    values = pd.DataFrame({"indicator": ["sbs_persons_employed"] * 2 + ["population"] * 2,
                           "nace": ["C10", "C10", "", ""], "geo": ["DED2", "DED2", "DED", "DE"],
                           "year": [2013, 2014, 2014, 2014], "value": [1.0, 1.0, 1.0, 2.0], "flag": "",
                           "method": "reported"})
    eu = pd.DataFrame({"indicator": ["population"], "nace": [""], "year": [2014], "value": [3.0]})
    catalogue = pd.DataFrame({"label": ["Population"]}, index=["population"])
    return FakeSnapshot(values, eu, geo, catalogue)
