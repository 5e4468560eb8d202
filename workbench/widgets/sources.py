"""What the interactive tools read: results of `workbench run`, the snapshot, the analyses.

Nothing is computed here that `workbench.analysis` or `workbench.data` already computes;
this module only calls them (with caching, so that a control change redraws fast) and
shapes their output for the widgets.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pandas as pd

from workbench import paths, templates
from workbench.analysis import indicators
from workbench.analysis.assessment import assess
from workbench.analysis.proposals import build_plan
from workbench.data import load_snapshot
from workbench.data.nuts import EU27_2020
from workbench.data.protocol import Snapshot
from workbench.regions import ProfileError, RegionProfile, load_profile, load_profiles, profile_path, region_ids
from workbench.results import ResultError, read_result, result_path
from workbench.widgets.maps import Shapes, project_shapes

SECTOR_INDICATORS: dict[str, str] = {
    "employment": "persons employed",
    "share": "share of the region's employment (%)",
    "lq": "location quotient (EU-27 = 1)",
    "wage_per_employee": "wages and salaries per person employed (EUR)",
    "local_units": "local units",
    "growth_pct": "employment growth (%)",
}
FORMATS: dict[str, str] = {"lq": "{:,.2f}", "share": "{:,.1f}", "growth_pct": "{:,.1f}", "stars": "{:,.0f}"}
HEADLINE_PRESET = "eocic"  # the reports' headline star rule: EOCIC three factors, traded categories only
STARS_LABEL = "stars (EOCIC three factors, traded sectors)"
COLUMN_LABELS: dict[str, str] = {
    "nace": "NACE", "label": "sector", "category_label": "cluster category", "year": "year",
    "employment": "persons employed", "share": "share of the region's employment (%)",
    "lq": "location quotient (EU-27 = 1)", "wage_per_employee": "wages per person employed (EUR)",
    "local_units": "local units", "growth_pct": "employment growth (% a year)", "stars": "stars",
    "headline_stars": STARS_LABEL, "region": "region", "country": "country", "reasons": "why",
    "pilot": "pilot region",
}
PORTFOLIO: dict[str, str] = {
    "most productive": "wage_per_employee",
    "most specialised": "lq",
    "most employing": "employment",
}


def reader_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The `columns` of `frame` that exist, renamed to reader labels; lists joined into sentences."""
    shown = frame[[c for c in columns if c in frame.columns]].copy()
    if "wage_per_employee" in shown.columns:
        shown["wage_per_employee"] = shown["wage_per_employee"].round()  # whole euros
    for column in shown.columns:
        values = shown[column]
        if values.dtype == bool:
            shown[column] = values.map({True: "yes", False: ""})
        elif values.dtype == object and len(values) and isinstance(values.iloc[0], list):
            shown[column] = values.map(lambda v: " ".join(map(str, v)) if isinstance(v, list) else v)
    return shown.rename(columns=COLUMN_LABELS)


@dataclass(frozen=True)
class WorkshopData:
    """A region's measures and scoreboard, as the workshop tool shows them."""

    profile: RegionProfile
    measures: pd.DataFrame  # id, title
    scores: pd.DataFrame  # dimension ids (rows) × geo codes (columns), region first
    dimension_labels: dict[str, str]
    geo_names: dict[str, str]
    source: str


def workshop_data(region_id: str, reports_dir: Path | None = None,
                  regions_dir: Path | None = None) -> WorkshopData:
    """Measures and scoreboard from reports/<id>/{proposals,assessment}.json of `workbench run`.

    When those results are absent, the assessment and the measure selection are computed
    live (`analysis.assessment.assess`, `analysis.proposals.build_plan`), which takes longer.
    """
    profile = load_profile(region_id, regions_dir)
    folder = reports_dir or paths.REPORTS_DIR
    try:
        measures = read_result(result_path(folder, region_id, "proposals"), "proposals")["payload"]["measures"]
        document = read_result(result_path(folder, region_id, "assessment"), "assessment")
        board = document["payload"]["scoreboard"]
        built = str(document.get("generated_at", ""))[:10]
        source = f"regional ecosystem scoreboard of the {profile.name} assessment (reports built {built})"
    except ResultError:
        assessment = assess(load_snapshot(), profile, categories=templates.load_categories()).payload()
        measures = build_plan(assessment, profile, catalogue=templates.load_catalogue(),
                              profile_file=profile_path(region_id, regions_dir)).payload("")["measures"]
        board = assessment["scoreboard"]
        source = (f"regional ecosystem scoreboard computed now from the data snapshot "
                  f"(the {profile.name} reports have not been built)")
    region = profile.nuts.code
    columns = {region: {d["id"]: d["score"] for d in board["dimensions"]}}
    columns |= {geo: board["peer_scores"].get(geo, {}) for geo in (p["geo"] for p in board["peers"])}
    labels = {d["id"]: d["label"] for d in board["dimensions"]}
    table = pd.DataFrame([{"id": m["id"], "title": m["title"]} for m in measures], columns=["id", "title"])
    names = {region: profile.name} | {p["geo"]: p["name"] for p in board["peers"]}
    return WorkshopData(profile, table, pd.DataFrame(columns, index=list(labels), dtype=float), labels, names, source)


def region_choices(regions_dir: Path | None = None) -> list[tuple[str, str]]:
    """(name, id) of every region profile that loads, sorted by name (a broken profile is left out)."""
    choices = []
    for region_id in region_ids(regions_dir):
        try:
            choices.append((load_profile(region_id, regions_dir).name, region_id))
        except ProfileError:
            continue
    return sorted(choices)


def try_workshop_data(region_id: str, reports_dir: Path | None = None,
                      regions_dir: Path | None = None) -> tuple[WorkshopData | None, str]:
    """`workshop_data`, or None and a message saying what went wrong."""
    try:
        return workshop_data(region_id, reports_dir, regions_dir), ""
    except (LookupError, ValueError, OSError) as error:
        return None, (f"cannot prepare the workshop of {region_id}: {error}. Build the region's reports "
                      f"with `workbench run --region {region_id}` and reload this page.")


class ExplorerData:
    """Cached access to the sector analyses for the explorer's four modules (with the cluster
    category mapping of `workbench.templates`)."""

    def __init__(self, snap: Snapshot, clusters: ModuleType | None = None,
                 profiles: list[RegionProfile] | None = None):
        self.snap = snap
        self.clusters = clusters or importlib.import_module("workbench.analysis.clusters")
        self.categories = templates.load_categories()
        self.profiles = {p.id: p for p in (profiles or load_profiles())}

    @cache
    def region_sectors(self, region_id: str, year: int | None) -> pd.DataFrame:
        """The region's sectors with `headline_stars`: EOCIC stars of traded sectors (0 for local ones)."""
        profile = self.profiles[region_id]
        frame = self.clusters.region_sectors(self.snap, profile.nuts.code, profile.nuts.parts, year=year,
                                             categories=self.categories)
        if "headline_stars" not in frame.columns:
            eligible = frame["nace"].map(self.star_eligible)
            frame = frame.assign(headline_stars=frame[f"stars_{HEADLINE_PRESET}"].where(eligible, 0))
        return frame

    @cache
    def sector_across(self, nace: str, preset: str, year: int | None) -> pd.DataFrame:
        """One sector across the EU-27 NUTS 2 units; stars 0 everywhere for a local (non-traded) sector."""
        frame = self.clusters.sector_across_regions(self.snap, nace, preset, year=year, categories=self.categories)
        pilots = set(self.pilot_parts())
        frame = frame.assign(pilot=frame["geo"].isin(pilots), region=frame["name"] + " (" + frame["geo"] + ")")
        return frame if self.star_eligible(nace) else frame.assign(stars=0)

    @cache
    def star_eligible(self, nace: str) -> bool:
        """Whether a sector can get stars under the headline rule: traded categories only
        (`clusters.is_traded`, the one place that decides)."""
        return bool(self.clusters.is_traded(nace, self.categories))

    def leading_sector(self, region_id: str, year: int | None) -> str:
        """The region's leading sector (most headline stars, then most employment): the sector views' default."""
        frame = self.region_sectors(region_id, year)
        listed = frame[frame["nace"].isin(self.sectors())].dropna(subset=["employment"])
        ranked = listed.sort_values(["headline_stars", "employment"], ascending=False)
        return str(ranked["nace"].iloc[0]) if len(ranked) else next(iter(self.sectors()))

    def preset_options(self) -> list[tuple[str, str]]:
        """(label, name) of the star-rule presets, the headline preset first."""
        names = sorted(self.clusters.PRESETS, key=lambda name: name != HEADLINE_PRESET)
        return [(getattr(self.clusters.PRESETS[name], "label", "") or name.upper(), name) for name in names]

    def pilot_parts(self) -> tuple[str, ...]:
        """The NUTS 2 units of all pilot regions."""
        return tuple(part for p in self.profiles.values() for part in p.nuts.parts)

    def years(self) -> list[int]:
        """Years with sector employment in the snapshot, newest first."""
        values = self.snap.values
        years = values.loc[values["indicator"] == "sbs_persons_employed", "year"].unique()
        return sorted((int(y) for y in years), reverse=True)

    @cache
    def sectors(self) -> dict[str, str]:
        """NACE division -> label, for the sector lists (the cluster analysis' division table)."""
        table = self.clusters.division_table(self.categories)
        return dict(zip(table["nace"], table["label"]))

    @cache
    def shapes(self) -> Shapes:
        """NUTS 2 shapes of the EU-27 (2020) units (GISCO boundaries in the snapshot)."""
        geo = self.snap.geo
        units = set(geo.loc[(geo["level"] == 2) & geo["country"].isin(EU27_2020), "geo"])
        return project_shapes({g: p for g, p in self.snap.geometries(2).items() if g in units})

    def source(self, year: int) -> str:
        """The source line of the sector data of one year."""
        return indicators.sourced(self.snap, "sbs_persons_employed", year)

    def across_year(self, year: int | None) -> int:
        """The year `sector_across` uses: the chosen one, else the latest complete EU-27 year."""
        return year if year is not None else max(self.clusters.eu_complete_years(self.snap))

    @cache
    def context(self, region_id: str, year: int | None, ids: tuple[str, ...]) -> pd.DataFrame:
        """Context indicators of the region in one year (latest when None) with benchmarks (reader labels)."""
        profile, rows = self.profiles[region_id], []
        for indicator_id in ids:
            frame = indicators.benchmarks(self.snap, indicator_id, profile)
            frame = frame[frame["region"].notna()]
            if year is not None:
                frame = frame[frame["year"] == year]
            if frame.empty:
                continue
            row = frame.iloc[-1]
            catalogue = self.snap.catalogue.loc[indicator_id]
            rows.append({"indicator": catalogue["label"], "unit": catalogue.get("unit", ""),
                         "year": int(row["year"]), profile.name: row["region"], "country": row["national"],
                         "EU-27": row["eu"], "EU-27 reference": str(row.get("eu_kind", "EU-27")),
                         "percentile among EU-27 NUTS 2 regions": row["percentile"],
                         "source": indicators.sourced(self.snap, indicator_id, int(row["year"]))})
        return pd.DataFrame(rows).fillna({"unit": ""})
