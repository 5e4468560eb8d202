"""The EU overview report (`notebooks/overview.ipynb`): every region of a large run at a glance.

The pilot-region summary compares ten regions side by side (a column or bar per region); with
the 240 EU-27 NUTS 2 regions of `workbench run --all-nuts2` that no longer reads. The overview
shows instead a map of the joint challenges the data indicates, the number of regions per
challenge and verdict, and one sortable, filterable table with a row per region linking its
reports. It reads the same result documents and run manifest as the summary; a region whose
notebook failed is listed with the reason, never dropped. `load` returns an `OverviewReport`
with one method per cell; `write_result` (the last cell) exports the table as CSV.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from workbench import paths
from workbench.concepts import CHALLENGE_IDS, VERDICT_WORDS, challenge
from workbench.data import load_snapshot
from workbench.report import style
from workbench.report.base import Report, file_link
from workbench.report.brief import short_sector_label
from workbench.report.dashboard import headline_stars, strongest_traded
from workbench.report.style import escape, escape_html, fmt_number, subplots
from workbench.regions import RegionProfile, load_profiles
from workbench.report.summary import KINDS, VERDICT_STYLE, _merge_sources, _result, read_manifest
from workbench.results import write_atomic

# Headline indicators of the table: id -> column heading (units in the heading).
TABLE_INDICATORS: dict[str, str] = {
    "gdp_pps_per_head_index": "GDP per head (PPS, EU-27 = 100)",
    "unemployment_rate": "Unemployment rate (%)",
    "industry_employment_share": "Industry employment (% of total)",
    "rd_expenditure_pct_gdp": "R&D expenditure (% of GDP)",
    "tertiary_attainment_pct": "Tertiary attainment (% of 25-64)",
}
MAP_LON, MAP_LAT = (-25.0, 45.0), (34.0, 71.5)  # continental Europe; outermost regions are listed in the table
MAP_COLOURS = ["#fee6ce", "#fdd0a2", "#fdae6b", "#f16913", "#a63603", "#4a1486"]  # 0-5 challenges indicated
NO_RESULT, OUTSIDE, EDGE = "#bdbdbd", "#ffffff", "#9e9e9e"
BOUNDARIES = "GISCO NUTS 2016 boundaries, 1:60 million"
DERIVED = "workbench assessment and proposal results"


@dataclass
class OverviewReport(Report):
    """The run's regions: one row each (`table`), with their assessment and proposal payloads, and
    the NUTS 2 boundaries for the map; one method per cell."""

    requested: list[str]
    reports_dir: Path
    table: pd.DataFrame
    sources: list[str]
    vintages: list[str]
    geometries: dict[str, list[list[np.ndarray]]]

    @property
    def with_results(self) -> pd.DataFrame:
        return self.table[self.table["status"] == "ok"]

    @property
    def derived_source(self) -> str:
        """The source line of what the run's results show, with their data vintages."""
        return f"{DERIVED} ({'; '.join(self.vintages) or 'no results'})"

    # --- the notebook's cells, in its order ---------------------------------------------

    def coverage(self) -> None:
        """How many regions have results; the others with the reason."""
        done, missing = self.with_results, self.table[self.table["status"] != "ok"]
        text = f"This overview covers {len(done)} of the {_regions(len(self.requested))} of the run."
        if len(missing):
            text += f" {len(missing)} have no complete result; they are listed below with the reason."
            display(Markdown(text))
            style.show_table(missing[["name", "country", "code", "status"]].rename(
                columns={"name": "Region", "country": "Country", "code": "NUTS code", "status": "Why"}),
                "run manifest run.json and the result files of this run")
        else:
            display(Markdown(text + " Every region has its assessment and proposals."))

    def challenge_map(self) -> None:
        """Map: number of joint challenges the data indicates in each region (NUTS 2016, level 2)."""
        counts = {part: row.n_indicated for row in self.table.itertuples() for part in row.parts}
        fig, ax = subplots(figsize=(8.0, 7.2))
        polygons, colours = [], []
        for geo, shapes in self.geometries.items():
            count = counts.get(geo, "outside")
            colour = OUTSIDE if count == "outside" else NO_RESULT if count is None or _missing(count) \
                else MAP_COLOURS[int(count)]
            for shape in shapes:
                polygons.append(shape[0])
                colours.append(colour)
        ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors=EDGE, linewidths=0.2))
        ax.set_xlim(*MAP_LON)
        ax.set_ylim(*MAP_LAT)
        ax.set_aspect(1 / math.cos(math.radians(sum(MAP_LAT) / 2)))  # equirectangular, true to scale at 53° N
        ax.set_axis_off()
        handles = [Patch(facecolor=c, edgecolor=EDGE, label=f"{n} indicated") for n, c in enumerate(MAP_COLOURS)]
        handles += [Patch(facecolor=NO_RESULT, edgecolor=EDGE, label="no result"),
                    Patch(facecolor=OUTSIDE, edgecolor=EDGE, label="not in this run")]
        ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False, title="Joint challenges")
        ax.set_title("Joint challenges indicated by the data, per region", fontweight="bold")
        style.show_figure(fig, f"{self.derived_source}; {BOUNDARIES}")

    def challenge_counts(self) -> None:
        """Bars: per joint challenge, the number of regions by verdict."""
        done = self.with_results
        fig, ax = subplots(figsize=(8.0, 3.2))
        labels = [challenge(cid).label for cid in CHALLENGE_IDS]
        left = pd.Series(0, index=list(CHALLENGE_IDS))
        for verdict in VERDICT_WORDS:
            colour, hatch, text = VERDICT_STYLE[verdict]
            counts = pd.Series({cid: int((done[f"verdict_{cid}"] == verdict).sum()) for cid in CHALLENGE_IDS})
            ax.barh(labels, counts, left=left, color=colour, hatch=hatch, edgecolor="#666666", linewidth=0.3,
                    label=text)
            left += counts
        ax.invert_yaxis()
        ax.set_xlabel("regions")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=3, fontsize=8, frameon=False)
        ax.set_title(f"Verdicts per joint challenge, {_regions(len(done))}", fontweight="bold", pad=24)
        display(Markdown(_counts_sentence(done)))
        style.show_figure(fig, self.derived_source)

    def region_table(self) -> None:
        """Every region in one table: click a heading to sort, type to filter; links to its reports."""
        headings = ["Region", "Reports", "Country", "NUTS code", *TABLE_INDICATORS.values(),
                    "Strongest traded cluster", "Challenges indicated", "Which", "Measures proposed"]
        body = "\n".join(_table_row(row) for row in self.table.to_dict("records"))
        head = "".join(f'<th scope="col"><button type="button">{escape_html(h)}</button></th>' for h in headings)
        display(HTML(
            '<p><label>Filter the regions: <input type="search" id="wb-overview-filter" '
            'placeholder="name, country, NUTS code or challenge"></label> '
            '(click a column heading to sort; missing values sort last)</p>'
            f'<table class="wb-table" id="wb-overview-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>\n{body}\n</tbody></table><script>{SORT_AND_FILTER}</script>"))
        display(Markdown(style.source_line([*self.sources, self.derived_source])))

    def write_result(self) -> None:
        """Export the region table as CSV next to this report and link it."""
        columns = ["region", "name", "country", "code", "status", *[c for ind in TABLE_INDICATORS
                                                                    for c in (ind, f"{ind}_year")],
                   "strongest_cluster", *[f"verdict_{cid}" for cid in CHALLENGE_IDS], "n_indicated", "n_measures"]
        path = write_atomic(self.reports_dir / "overview_regions.csv", self.table[columns].to_csv(index=False))
        display(Markdown(f"The table above, with every verdict, is exported next to this report: {file_link(path)}."))


def load(region_ids: Sequence[str], reports_dir: Path | str) -> OverviewReport:
    """Read every region's results (missing ones with the reason) into one table, and the map's boundaries."""
    reports_dir = paths.reports_dir(reports_dir)
    manifest = read_manifest(reports_dir)
    profiles = {p.id: p for p in load_profiles(list(region_ids))}
    rows, sources, vintages = [], [], set()
    for region in region_ids:
        documents, status = {}, "ok"
        for kind in KINDS:
            document, found = _result(reports_dir, region, kind, manifest, known=True)
            if document is None:
                status = status if status != "ok" else found
            else:
                documents[kind] = document["payload"]
                vintages.add(document.get("data_vintage") or "")
        rows.append(region_row(profiles[region], documents.get("assessment"), documents.get("proposals"), status))
        sources += [i.get("source") or "" for i in (documents.get("assessment") or {}).get("indicators", [])
                    if i.get("id") in TABLE_INDICATORS and i.get("value") is not None]
    return OverviewReport(list(region_ids), reports_dir, pd.DataFrame(rows), _merge_sources(sources),
                          sorted(vintages - {""}), load_snapshot().geometries(2))


def region_row(profile: RegionProfile, assessment: dict[str, Any] | None, proposals: dict[str, Any] | None,
               status: str) -> dict[str, Any]:
    """One region of the table: identity, headline indicators (value and year), challenge
    verdicts, number of proposed measures; None where a result is missing."""
    row: dict[str, Any] = {"region": profile.id, "name": profile.name, "country": profile.country_name,
                           "code": profile.nuts.code, "parts": list(profile.nuts.parts), "status": status}
    indicators = {i["id"]: i for i in (assessment or {}).get("indicators", [])}
    for ind in TABLE_INDICATORS:
        row[ind], row[f"{ind}_year"] = (indicators.get(ind, {}).get(k) for k in ("value", "year"))
    row["strongest_cluster"] = strongest_cluster(assessment)
    verdicts = {c["id"]: c["verdict"] for c in (assessment or {}).get("challenges", [])}
    for cid in CHALLENGE_IDS:
        row[f"verdict_{cid}"] = verdicts.get(cid)
    indicated = [cid for cid in CHALLENGE_IDS if verdicts.get(cid) == "indicated"]
    row["n_indicated"] = len(indicated) if assessment else None
    row["indicated"] = "; ".join(challenge(cid).label for cid in indicated)
    row["n_measures"] = len(proposals.get("measures", [])) if proposals else None
    return row


def strongest_cluster(assessment: dict[str, Any] | None) -> str | None:
    """The region's strongest traded cluster in a few words ("Motor vehicles (C29): 3/3 stars,
    2014"), "none rated", "no regional sector data" (the payload's `sector_gap`), or None
    without an assessment."""
    if assessment is None:
        return None
    if assessment.get("sector_gap"):
        return "no regional sector data"
    top = next(iter(strongest_traded(assessment)), None)
    if top is None:
        return "none rated"
    return f"{short_sector_label(top)}: {headline_stars(top)}/3 stars, {top['year']}"


# --- helpers -------------------------------------------------------------------------------

def _counts_sentence(done: pd.DataFrame) -> str:
    if done.empty:
        return "No region has an assessment result."
    counts = {cid: int((done[f"verdict_{cid}"] == "indicated").sum()) for cid in CHALLENGE_IDS}
    top = max(counts, key=counts.get)
    return (f"The challenge the data indicates most often is {escape(challenge(top).label.lower())} "
            f"({counts[top]} of {_regions(len(done))}).")


def _table_row(row: dict[str, Any]) -> str:
    cells = [(row["name"], row["name"]), (row["country"], row["country"]), (row["code"], row["code"])]
    for ind in TABLE_INDICATORS:
        value, year = row[ind], row[f"{ind}_year"]
        shown = "n/a" if _missing(value) else f"{fmt_number(value)} ({year:.0f})"
        cells.append(("" if _missing(value) else f"{value:.6g}", shown))
    cells.append((row["strongest_cluster"] or "", row["strongest_cluster"] or "n/a"))
    n = row["n_indicated"]
    cells += [("" if _missing(n) else str(int(n)), "n/a" if _missing(n) else str(int(n))),
              (row["indicated"], row["indicated"] or ("none" if row["status"] == "ok" else "n/a")),
              ("" if _missing(row["n_measures"]) else str(int(row["n_measures"])),
               "n/a" if _missing(row["n_measures"]) else str(int(row["n_measures"])))]
    links = " · ".join(f'<a href="{escape_html(row["region"])}/{kind}.html">{kind}</a>' for kind in KINDS) \
        if row["status"] == "ok" else escape_html(row["status"])
    name, *rest = (f'<td data-sort="{escape_html(key)}">{escape_html(text)}</td>' for key, text in cells)
    return f'<tr>{name}<td data-sort="">{links}</td>{"".join(rest)}</tr>'


def _regions(n: int) -> str:
    return f"{n} region" if n == 1 else f"{n} regions"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


SORT_AND_FILTER = """
(function () {
  var table = document.getElementById("wb-overview-table");
  var filter = document.getElementById("wb-overview-filter");
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  filter.addEventListener("input", function () {
    var query = filter.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (row) {
      row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) < 0;
    });
  });
  Array.prototype.forEach.call(heads, function (head, column) {
    head.querySelector("button").addEventListener("click", function () {
      var ascending = head.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
      head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
        if (x === "" || y === "") { return (x === "") - (y === ""); }
        var nx = Number(x), ny = Number(y);
        var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
"""
