"""The cluster explorer: the four modules of the EOCIC Cluster Mapping Tool as tabs.

1. Region overview — a region's sectors and context indicators, by year and indicator.
2. Regional cluster portfolio — the most productive, most specialised, most employing sectors.
3. Data by sector — one sector across all EU-27 NUTS 2 regions: ranking and map.
4. Cluster strength by sector — one sector's stars across regions under a rule preset.

Every view exports its chart (PNG, SVG) and table (CSV). Figures come from
`workbench.analysis.clusters` through `workbench.widgets.sources.ExplorerData`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from workbench.analysis.indicators import KEY_INDICATORS
from workbench.data import load_snapshot
from workbench.data.protocol import Snapshot
from workbench.widgets.charts import RankingChart, RankingMapChart
from workbench.widgets.sources import (FORMATS, HEADLINE_PRESET, PORTFOLIO, SECTOR_INDICATORS, ExplorerData,
                                       reader_table)
from workbench.widgets.view import View, html_table

TOP_SECTORS = 15
TOP_REGIONS = 20
SECTOR_COLUMNS = ["label", "nace", "category_label", "year", "employment", "share", "lq",
                  "wage_per_employee", "local_units", "growth_pct", "headline_stars"]
ACROSS_COLUMNS = ["region", "country", "employment", "share", "lq", "wage_per_employee", "local_units", "pilot"]
STAR_COLUMNS = ["region", "country", "stars", "employment", "lq", "wage_per_employee", "reasons", "pilot"]


def _dropdown(description: str, options: Any, value: Any = None, width: str = "auto") -> w.Dropdown:
    dropdown = w.Dropdown(description=description, options=options, style={"description_width": "initial"},
                          layout=w.Layout(width=width))
    if value is not None:
        dropdown.value = value
    return dropdown


def _year_dropdown(data: ExplorerData) -> w.Dropdown:
    """Years with sector data, newest first; the default is the latest year with a complete EU-27."""
    years = data.years()
    default = data.across_year(None)
    return _dropdown("Year", [(str(y), y) for y in years], default if default in years else years[0])


def _fmt(column: str) -> str:
    return FORMATS.get(column, "{:,.0f}")


class RegionView(View):
    """Base of the two region modules: region and year controls plus their own."""

    def __init__(self, data: ExplorerData, region_id: str, extra: list[w.ValueWidget],
                 export_dir: Path | str | None):
        self.data = data
        regions = [(p.name, p.id) for p in data.profiles.values()]
        self.region = _dropdown("Region", regions, region_id)
        self.year = _year_dropdown(data)
        self.chart = RankingChart()
        super().__init__([self.region, self.year, *extra], export_dir)

    def sectors(self) -> pd.DataFrame:
        return self.data.region_sectors(self.region.value, self.year.value)

    def source(self, frame: pd.DataFrame) -> str:
        return self.data.source(int(frame["year"].iloc[0])) if len(frame) else ""


class OverviewView(RegionView):
    title = "region overview"

    def __init__(self, data: ExplorerData, region_id: str, export_dir: Path | str | None = None):
        options = [(label, key) for key, label in SECTOR_INDICATORS.items()]
        self.indicator = _dropdown("Indicator", options, "employment")
        self.context = w.HTML()
        super().__init__(data, region_id, [self.indicator], export_dir)
        self.widget.children += (w.HTML("<h4>Regional context indicators</h4>"), self.context)

    def render(self) -> tuple[Figure, pd.DataFrame]:
        frame = self.sectors().sort_values(self.indicator.value, ascending=False)
        top = frame.dropna(subset=[self.indicator.value]).head(TOP_SECTORS)
        name = self.region.label
        fig = self.chart.update(list(top["label"].astype(str)), list(top[self.indicator.value]),
                                xlabel=self.indicator.label, title=f"{name}: sectors by {self.indicator.label}",
                                source=self.source(frame), fmt=_fmt(self.indicator.value))
        context = self.data.context(self.region.value, self.year.value, KEY_INDICATORS)
        self.context.value = (html_table(context) if len(context) else
                              f"<p><i>No context indicator has data for {self.year.value}.</i></p>")
        return fig, reader_table(frame, SECTOR_COLUMNS)


class PortfolioView(RegionView):
    title = "cluster portfolio"

    def __init__(self, data: ExplorerData, region_id: str, export_dir: Path | str | None = None):
        self.criterion = w.ToggleButtons(options=list(PORTFOLIO), description="Show")
        self.n = w.IntSlider(value=10, min=3, max=25, description="Sectors", continuous_update=False)
        super().__init__(data, region_id, [self.criterion, self.n], export_dir)

    def render(self) -> tuple[Figure, pd.DataFrame]:
        by = PORTFOLIO[self.criterion.value]
        top = self.data.clusters.top_sectors(self.sectors(), by, self.n.value)
        fig = self.chart.update(list(top["label"].astype(str)), list(top[by]), xlabel=SECTOR_INDICATORS[by],
                                title=f"{self.region.label}: the {self.n.value} {self.criterion.value} sectors",
                                source=self.source(top), fmt=_fmt(by))
        return fig, reader_table(top, SECTOR_COLUMNS)


class SectorView(View):
    """Base of the two sector modules: one sector across all EU-27 NUTS 2 regions."""

    stars = False
    columns = ACROSS_COLUMNS

    def __init__(self, data: ExplorerData, region_id: str, extra: list[w.ValueWidget],
                 export_dir: Path | str | None):
        self.data = data
        sectors = [(f"{label} ({nace})", nace) for nace, label in data.sectors().items()]
        self.sector = _dropdown("Sector", sectors, data.leading_sector(region_id, data.across_year(None)))
        self.year = _year_dropdown(data)
        self.chart: RankingMapChart | None = None  # built at the first draw (the shapes load then)
        super().__init__([self.sector, self.year, *extra], export_dir)

    def across(self, preset: str) -> pd.DataFrame:
        return self.data.sector_across(self.sector.value, preset, self.year.value)

    def draw(self, frame: pd.DataFrame, column: str, xlabel: str, title: str) -> tuple[Figure, pd.DataFrame]:
        """Ranking of the top regions (pilot regions always listed) beside the map."""
        ordered = frame.dropna(subset=[column]).sort_values([column, "employment"], ascending=False)
        shown = pd.concat([ordered.head(TOP_REGIONS), ordered[ordered["pilot"]]]).drop_duplicates("geo")
        ranking = pd.DataFrame({"label": shown["region"],
                                "value": shown[column], "pilot": shown["pilot"]})
        source = self.data.source(self.data.across_year(self.year.value))
        if self.chart is None:
            self.chart = RankingMapChart(self.data.shapes(), highlight=self.data.pilot_parts(), stars=self.stars)
        fig = self.chart.update(ranking, frame.set_index("geo")[column], title=title, xlabel=xlabel,
                                source=source, fmt=_fmt(column))
        return fig, reader_table(ordered, self.columns)


class DataBySectorView(SectorView):
    title = "data by sector"

    def __init__(self, data: ExplorerData, region_id: str, export_dir: Path | str | None = None):
        options = [(SECTOR_INDICATORS[k], k) for k in ("employment", "lq", "wage_per_employee", "local_units")]
        self.indicator = _dropdown("Indicator", options, "lq")
        super().__init__(data, region_id, [self.indicator], export_dir)

    def render(self) -> tuple[Figure, pd.DataFrame]:
        frame = self.across(HEADLINE_PRESET)
        title = f"{self.sector.label}: {self.indicator.label}"
        return self.draw(frame, self.indicator.value, self.indicator.label, title)


class StrengthView(SectorView):
    title = "cluster strength"
    stars = True
    columns = STAR_COLUMNS

    def __init__(self, data: ExplorerData, region_id: str, export_dir: Path | str | None = None):
        self.preset = _dropdown("Star rules", data.preset_options())
        super().__init__(data, region_id, [self.preset], export_dir)

    def render(self) -> tuple[Figure, pd.DataFrame]:
        frame = self.across(self.preset.value)
        if not self.data.star_eligible(self.sector.value):
            title = (f"{self.sector.label}: a local (non-traded) sector; stars are given to traded sectors "
                     "only, as in the reports")
        else:
            starred = int((frame["stars"] > 0).sum())
            title = f"{self.sector.label}: stars ({self.preset.label}); {starred} regions with at least one star"
        return self.draw(frame, "stars", "stars", title)


@dataclass
class Explorer:
    """The explorer's views and the tab widget that shows them."""

    views: list[View]
    widget: w.Tab


def build_explorer(region_id: str = "saxony", *, snap: Snapshot | None = None, clusters: ModuleType | None = None,
                   export_dir: Path | str | None = None) -> Explorer:
    """Build the four-module explorer (snapshot and cluster analysis loaded when not given)."""
    data = ExplorerData(snap if snap is not None else load_snapshot(), clusters)
    views: list[View] = [OverviewView(data, region_id, export_dir), PortfolioView(data, region_id, export_dir),
                         DataBySectorView(data, region_id, export_dir), StrengthView(data, region_id, export_dir)]
    for view in views:
        view.redraw()
    tabs = w.Tab(children=[v.widget for v in views], titles=[v.title.capitalize() for v in views])
    return Explorer(views, tabs)
