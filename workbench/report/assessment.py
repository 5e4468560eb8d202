"""The assessment report: one method per cell of `notebooks/assessment.ipynb`.

`load(region_id, reports_dir)` reads the region profile and the data snapshot and computes
the whole assessment once (`workbench.analysis.assessment.assess`). Each method of the
returned `AssessmentReport` then shows one table (HTML + source line) or returns one figure,
with sentences built from the computed values. Missing values are written "no data".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from workbench.analysis import clusters as cluster_analysis
from workbench.analysis.assessment import SECTOR_INDICATOR, Assessment, assess
from workbench.analysis.evidence_age import MAX_AGE, stale_figures
from workbench.analysis.since import BASELINE_YEAR
from workbench.analysis.indicators import TREND_INDICATORS, sourced, trends
from workbench.analysis.sector_gap import growth_gap
from workbench.analysis.scoreboard import DIMENSIONS
from workbench.concepts import SUMMARY_REPORT_SOURCE, VERDICT_WORDS
from workbench.data import load_snapshot
from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile, load_profile
from workbench.report import clusters as cluster_report
from workbench.report import since as since_report
from workbench.report.base import Report, file_link
from workbench.report.brief import brief_html, key_numbers
from workbench.report.charts import Panel, dimension_dots, trend_grid
from workbench.report import style
from workbench.report.style import escape, escape_html, fmt_number, fmt_value, show_figure, source_line
from workbench import paths, templates
from workbench.results import result_path, write_result

NO_DATA = "no data"
NO_DIMENSION_DATA = "no data in the snapshot"
MIN_TREND_POINTS = 3  # fewer regional values than this make a table row, not a trend line
TOP_STARRED = 5  # strongest traded divisions shown on the page; all of them in an appendix
HEADLINE = ("gdp_pps_per_head_index", "productivity", "unemployment_rate", "rd_expenditure_pct_gdp")


def number(value: Any) -> str:
    """A value for a table: digits by magnitude, 'no data' when missing."""
    return fmt_value(value, NO_DATA)


def show_table(frame: pd.DataFrame, sources: str | list[str]) -> None:
    """A table with missing values written as "no data", and its source line."""
    style.show_table(frame, sources, na_rep=NO_DATA)


@dataclass
class AssessmentReport(Report):
    """The computed assessment of one region and what the notebook shows of it."""

    profile: RegionProfile
    snap: Snapshot
    result: Assessment
    reports_dir: Path

    # ---- 1. title and composition ----------------------------------------------------------
    def title(self) -> None:
        p = self.profile
        population = self._indicator("population")
        pop_text = ("" if population is None or pd.isna(population["value"]) else
                    f" Population: {fmt_number(population['value'] / 1e6, 2)} million "
                    f"({population['year']}).")
        country = "" if p.name == p.country_name else f" ({escape(p.country_name)})"
        display(Markdown(
            f"# {escape(p.name)}: assessment of industrial transition\n\n"
            f"{escape(p.name)}{country} is analysed as the NUTS level {p.nuts.level} unit "
            f"**{escape(p.nuts.code)}**: {escape(p.nuts.composition)}.{pop_text}{self._mapped_text()}"))

    def _mapped_text(self) -> str:
        """Which NUTS 2021 codes of the profile the data describe as which NUTS 2016 units."""
        if not self.result.nuts_mapped:
            return ""
        return (" The profile names NUTS 2021 codes; the data are NUTS 2016, so the analysis uses "
                + "; ".join(escape(m.sentence()) for m in self.result.nuts_mapped) + ".")

    def brief(self) -> None:
        """The one-screen brief: key numbers, strongest traded clusters, challenges, priorities, limits."""
        from workbench.analysis.proposals import build_plan  # the plan is only needed here

        payload = self.result.payload()
        plan = build_plan(payload, self.profile, catalogue=templates.load_catalogue(), snapshot=self.snap)
        measures = [{"title": p.measure.title} for p in plan.measures]
        numbers = key_numbers(payload, self.snap, list(self.result.scoreboard.peers["geo"]))
        display(HTML(brief_html(payload, numbers, measures, "proposals.html")))

    def data_age_banner(self, run_date: date | None = None) -> None:
        """A banner naming the figures more than three years older than the run date, and
        saying plainly where the regional sector statistics end."""
        run_date = run_date or date.today()
        sectors = self.result.sectors
        sector_year = int(sectors["year"].max()) if not sectors.empty else None
        stale = stale_figures(self.result.indicators, sector_year, run_date)
        last = int(self.snap.catalogue.loc[SECTOR_INDICATOR, "last_year"])
        sector_text = (f" Regional sector statistics (employment, wages and local units by industry) "
                       f"end in {last}"
                       + ("." if sector_year is None else
                          f": the cluster analysis describes {sector_year}, not today's economy."))
        if not stale:
            display(Markdown(f"> **Age of the evidence.** Every figure is at most {MAX_AGE} years "
                             f"older than this report ({run_date:%B %Y}).{sector_text}"))
            return
        oldest = min(stale, key=lambda f: f.year)
        named = "".join(f"<li>{escape_html(f.label)} ({f.year})</li>" for f in stale)
        display(HTML(
            f"<div class='wb-age'><strong>Age of the evidence.</strong> {len(stale)} figures are more "
            f"than {MAX_AGE} years older than this report ({run_date:%B %Y}), the oldest from "
            f"{oldest.year}; the snapshot has no newer regional data for them.{escape_html(sector_text)} "
            f"<details><summary>Which figures</summary><ul>{named}</ul></details></div>"))

    # ---- 2. key indicators -----------------------------------------------------------------
    def key_indicators_table(self) -> None:
        t = self.result.indicators
        table = pd.DataFrame({
            "Indicator": t["label"], "Unit": t["unit"].fillna(""),
            "Year": [NO_DATA if pd.isna(y) else str(y) for y in t["year"]],
            self.profile.name: t["value"].map(number),
            self.profile.country_name: t["national"].map(number),
            "EU reference": t["eu"].map(number),
            "Reference": t["reference_kind"].fillna("") if "reference_kind" in t else "EU-27",
            "Percentile among EU NUTS 2": t["percentile"].map(
                lambda v: "–" if v is None or pd.isna(v) else f"{v:.0f}"),
            "Source": t["source"],
        })
        show_table(table, list(t.loc[t["year"].notna(), "source"]))
        display(Markdown(
            "EU reference: one kind per indicator, the same for every region and year (the EU-27 "
            "value, or the median of the EU-27 NUTS 2 regions where an EU aggregate makes no sense "
            "or is not available for most years), always of the row's year. "
            "Percentile: share of EU-27 NUTS 2 regions with a lower value in the same year "
            "(– for counts and money, whose size depends on the size of the unit)."
            + (f" The region is larger than a NUTS 2 unit: its values are those Eurostat reports for "
               f"{escape(self.profile.nuts.code)} or, where it reports none, the aggregate of its NUTS 2 "
               f"parts ({escape(', '.join(self.profile.nuts.parts))}); its percentile places an aggregate "
               f"among NUTS 2 regions." if self.profile.nuts.level < 2 else "")))

    def key_indicators_summary(self) -> None:
        lines = []
        for indicator_id in HEADLINE:
            row = self._indicator(indicator_id)
            if row is None or pd.isna(row["value"]):
                continue
            eu = row["eu"]
            relative = (" (no EU-27 value in the snapshot)" if pd.isna(eu) or eu == 0 else
                        f" ({fmt_number(100 * row['value'] / eu, 0)}% of the EU-27 value "
                        f"{number(eu)})")
            lines.append(f"- {escape(row['label'])}: {number(row['value'])} {escape(row['unit'])} "
                         f"in {row['year']}{relative}.")
        display(Markdown("\n".join(lines) or "No headline indicator has data for the region."))

    def trend_charts(self) -> None:
        """Region, country and EU lines per indicator; an indicator with fewer than
        `MIN_TREND_POINTS` regional values is a table row under the chart, not a line."""
        long = trends(self.snap, self.profile, TREND_INDICATORS)
        catalogue = self.snap.catalogue
        panels, sparse = [], []
        for indicator_id, data in long.groupby("indicator", sort=False):
            present = data[data["region"].notna()]
            label, unit = catalogue.loc[indicator_id, "label"], catalogue.loc[indicator_id, "unit"]
            if len(present) < MIN_TREND_POINTS:
                sparse.append({"Indicator": label, "Unit": unit,
                               "Values of the region (year)": "; ".join(
                                   f"{number(v)} ({int(y)})" for y, v in zip(present["year"], present["region"])),
                               "Source": sourced(self.snap, indicator_id, None)})
                continue
            data = data.set_index("year").reindex(range(int(data["year"].min()),
                                                        int(data["year"].max()) + 1))
            data = data.rename_axis("year").reset_index()  # a missing year breaks the line
            span = f"{int(present['year'].min())}-{int(present['year'].max())}"
            panels.append(Panel(data, label, unit, f"{sourced(self.snap, indicator_id, None)}, {span}"))
        national = None if self.profile.nuts.level == 0 else self.profile.country_name
        first = int(long["year"].min()) if not long.empty else None
        last = int(long["year"].max()) if not long.empty else None
        if panels:
            show_figure(trend_grid(panels, self.profile.name, national,
                                   f"{self.profile.name}: trends {first}-{last}, region vs "
                                   f"{'country vs ' if national else ''}EU-27"))
        if sparse:
            display(Markdown(f"Fewer than {MIN_TREND_POINTS} yearly values for the region, so no line:"))
            show_table(pd.DataFrame(sparse), [row["Source"] for row in sparse])

    # ---- 3-4. industrial structure, clusters -------------------------------------------------
    def cluster_caveat(self) -> None:
        summary = self.result.payload_clusters()
        share = summary["traded_starred_share_pct"]
        display(Markdown(
            "Stars rate **traded** categories only, those that sell beyond the region and "
            "concentrate in some regions (Delgado, Porter & Stern 2016, as US Cluster Mapping and "
            "the European Cluster Observatory); local activities are described in their own table. "
            "The headline rating is the EOCIC three factors (size, specialisation, productivity); "
            "divisions with implausible data are flagged and not rated. "
            + (f"{fmt_number(share, 0)}% of the region's traded employment is in divisions with at "
               f"least one headline star ({summary['year']}). " if share is not None else "")
            + "NACE Rev. 2 divisions stand in for the 51 European cluster categories: the category "
            "definitions work on 4-digit industries, which the regional SBS data do not have. "
            + escape(cluster_analysis.category_caveat(templates.load_categories()))))

    def structure_sentence(self) -> None:
        if self._sector_gap_note("This section would name the largest, most specialised and best-paying "
                                 "traded sectors and chart employment and specialisation by NACE division; "
                                 "without the data there is no sector profile and no chart."):
            return
        display(Markdown(cluster_report.structure_sentence(self.result.sectors, self.profile.name)))

    def employment_chart(self) -> None:
        if not self._sector_gap_note("No employment chart.", full=False):
            show_figure(cluster_report.employment_chart(self.result.sectors, self.profile.name))

    def portfolio_chart(self) -> None:
        if self.result.sector_gap is not None:
            return
        if cluster_report.portfolio_divisions(self.result.sectors).empty:  # e.g. no second year for growth
            year = int(self.result.sectors["year"].iloc[0])
            why = growth_gap(self.snap, self.profile.nuts.code, self.profile.nuts.parts, self.profile.name, year)
            display(Markdown(f"No portfolio chart: it places each traded division by specialisation and "
                             f"employment growth, and "
                             + (f"{escape(why)}." if why else
                                f"no division of {escape(self.profile.name)} has both a location quotient and "
                                f"an employment growth rate in {escape(self.result.sector_source)}.")))
            return
        show_figure(cluster_report.portfolio_chart(self.result.sectors, self.profile.name))

    def star_table(self, n: int | None = TOP_STARRED) -> None:
        """The headline rating (EOCIC three factors) of the `n` strongest traded divisions (all
        when None)."""
        if self._sector_gap_note("The star table would rate each traded NACE division of the region on size, "
                                 "specialisation and productivity against all EU-27 NUTS 2 regions; without "
                                 "the region's employment by industry no division is rated."
                                 if n is not None else "No division is rated, so none is listed.", full=False):
            return
        styled, source = cluster_report.star_table(self.result.sectors, n)
        display(styled)
        display(Markdown(source))

    def star_table_all(self) -> None:
        """Every traded division with a headline star (for the appendix)."""
        self.star_table(None)

    def preset_appendix(self) -> None:
        if self.result.sector_gap is not None:
            return
        display(HTML(cluster_report.preset_appendix(self.result.sectors)))

    def dynamics(self) -> None:
        if self._sector_gap_note("The shift-share would split the change of traded employment into national "
                                 "growth, industry mix and a regional effect, and name emerging, declining "
                                 "and local-economy divisions; none of this can be computed without the "
                                 "region's employment by industry.", full=False):
            return
        summary = self.result.payload_clusters()
        display(Markdown(cluster_report.dynamics_sentence(
            self.result.shift, self.result.sectors, summary["emerging"], summary["declining"],
            self.profile.name)))

    def shift_share_table(self) -> None:
        if self.result.shift is not None and not self.result.shift.divisions.empty:
            show_table(*cluster_report.shift_share_table(self.result.shift))

    def local_economy_table(self) -> None:
        if self._sector_gap_note("No local-economy table.", full=False):
            return
        show_table(*cluster_report.local_economy_table(self.result.sectors))

    # ---- 5. scoreboard ---------------------------------------------------------------------
    def scoreboard_method(self) -> None:
        board = self.result.scoreboard
        how = ("set in the region profile" if self.profile.peers else
               f"the regions of the same NUTS level ({self.profile.nuts.level}) nearest in "
               f"structure, over the variables every candidate has for the same year (see the "
               f"reason of each)")
        missing = board.missing_dimensions
        absent = (f" {_listing(missing)} {'has' if len(missing) == 1 else 'have'} no indicator in "
                  f"the data snapshot, so {'it is' if len(missing) == 1 else 'they are'} not scored."
                  if missing else "")
        display(Markdown(
            f"Each indicator is normalised once over all EU-27 NUTS 2 regions of its common "
            f"reference year (RIS method: values beyond mean ± 3 s.d. left out of min and max "
            f"and capped, square root for skewed levels, min-max to 0-1, lower-is-better "
            f"indicators inverted), so every region is scored on the same scale. A dimension "
            f"score is the unweighted mean of its indicators (at least half of them needed), the "
            f"composite index the mean of the dimension scores; ranks are among EU-27 NUTS 2 "
            f"regions (1 = highest).{absent} {composite_sentence(board, self.profile.name)} "
            f"{len(board.peers)} peer regions: {escape(how)}."))

    def peers_table(self) -> None:
        peers = self.result.scoreboard.peers
        table = pd.DataFrame({"NUTS code": peers["geo"], "Region": peers["name"],
                              "Why": peers["reason"]})
        years = self.result.scoreboard.structural_years
        show_table(table, [sourced(self.snap, i, y) for i, y in years.items()])

    def scoreboard_table(self) -> None:
        board = self.result.scoreboard
        dims = board.dimensions
        names = self._unit_names()
        labels = {d.id: d.label for d in DIMENSIONS}
        table = pd.DataFrame({"Dimension": [labels[d] for d in dims.index] + ["Composite index"]})
        table[f"{names[board.region]}: rank among EU NUTS 2"] = [
            _rank_text(*board.ranks.get(d, (None, 0))) for d in [*dims.index, "composite"]]
        for geo in dims.columns:
            table[names[geo]] = [number(v) for v in [*dims[geo], board.composite.get(geo)]]
        used = board.indicators[board.indicators["geo"] == board.region].set_index("indicator")
        table["Indicators (year)"] = [
            "; ".join(f"{s.label} ({used.at[s.indicator, 'year'] if s.indicator in used.index else NO_DATA})"
                      for s in board.dimension_indicators(d)) for d in dims.index] + ["all dimensions above"]
        show_table(table, self._scoreboard_sources())

    def scoreboard_chart(self) -> None:
        show_figure(dimension_dots(
            self.result.scoreboard.dimensions, self._unit_names(),
            {d.id: d.label for d in DIMENSIONS},
            f"{self.profile.name} and peers: regional ecosystem dimensions",
            "; ".join(self._scoreboard_sources()), NO_DIMENSION_DATA))

    # ---- 6. challenges ---------------------------------------------------------------------
    def challenges_table(self) -> None:
        rows = []
        for v in self.result.challenges:
            agreement = {True: "agree", False: "disagree", None: "–"}[v.agreement]
            rows.append({"Joint challenge": v.label, "Verdict from the data": VERDICT_WORDS[v.verdict],
                         "Confidence": v.confidence,
                         "Tests without data": "; ".join(v.missing) or "none",
                         "Listed by the EOCIC Summary Report": "yes" if v.published else "no",
                         "Agreement": agreement})
        show_table(pd.DataFrame(rows), ["workbench diagnosis rules (docs/methods-assessment.md §4) "
                                        "on the data snapshot", SUMMARY_REPORT_SOURCE])
        counts = pd.Series([v.agreement for v in self.result.challenges])
        display(Markdown(
            f"The rules agree with the published finding for {int((counts == True).sum())} of "  # noqa: E712
            f"{len(counts)} challenges and disagree for {int((counts == False).sum())}; "  # noqa: E712
            f"{int(counts.isna().sum())} cannot be judged for lack of data. Each rule places the "
            f"region among all EU-27 NUTS 2 regions; its thresholds were set on the EU "
            f"distribution, never on the published findings."))

    def challenge_evidence_all(self) -> None:
        """The evidence behind every joint challenge's verdict, one after the other."""
        for verdict in self.result.challenges:
            self.challenge_evidence(verdict.challenge)

    def challenge_evidence(self, challenge_id: str) -> None:
        verdict = next(v for v in self.result.challenges if v.challenge == challenge_id)
        published = next((c for c in self.profile.published_challenges
                          if c.challenge == challenge_id), None)
        finding = (f"The EOCIC Summary Report lists {escape(self.profile.name)} under this "
                   f"challenge: “{escape(published.quote)}”" if published else
                   f"The EOCIC Summary Report, as summarised in the sources of this workbench, "
                   f"does not list {escape(self.profile.name)} under this challenge.")
        agreement = {True: "The data verdict agrees with it.",
                     False: "The data verdict disagrees with it.",
                     None: "With insufficient data there is no verdict to compare."}[verdict.agreement]
        missing = (f" Without data: {escape('; '.join(verdict.missing))}; "
                   f"{'the tests with data settle the verdict' if verdict.verdict != 'insufficient_data' else 'these tests could change the verdict'}."
                   if verdict.missing else "")
        display(Markdown(
            f"#### {escape(verdict.label)}: {VERDICT_WORDS[verdict.verdict]} "
            f"(confidence: {verdict.confidence})\n\n"
            f"**Rule.** {escape(verdict.rule)}{missing}\n\n**Published finding.** {finding} {agreement}"))
        table = pd.DataFrame([{
            "Evidence": e.label, "Value": number(e.value),
            "Year": NO_DATA if e.year is None else str(e.year),
            "Benchmark": f"{e.benchmark}: {number(e.benchmark_value)}", "Test": e.test,
            "Met": {True: "yes", False: "no", None: NO_DATA}[e.met], "Source": e.source,
        } for e in verdict.evidence])
        show_table(table, [e.source for e in verdict.evidence]
                   + ([published.source] if published else []))

    # ---- 7. SWOT ---------------------------------------------------------------------------
    def swot_table(self) -> None:
        swot = self.result.swot

        def cell(title: str, items: tuple) -> str:
            body = "".join(f"<li>{escape(i.text)}<br><small><em>{escape(i.evidence)}</em></small></li>"
                           for i in items) or "<li><em>none found in the data</em></li>"
            return f"<td style='vertical-align:top;width:50%'><strong>{title}</strong><ul>{body}</ul></td>"

        display(HTML(
            "<table class='wb-table wb-swot'>"
            f"<tr>{cell('Strengths', swot.strengths)}{cell('Weaknesses', swot.weaknesses)}</tr>"
            f"<tr>{cell('Opportunities', swot.opportunities)}{cell('Threats', swot.threats)}</tr>"
            "</table>"))
        display(Markdown(
            "Strengths and weaknesses: key indicators in the top or bottom quarter of EU-27 NUTS 2 "
            "regions and traded NACE divisions with at least two headline stars (EOCIC three "
            "factors); opportunities and "
            "threats: the region profile. " + source_line(
                [*self.result.indicators["source"][self.result.indicators["year"].notna()],
                 *([self.result.sector_source] if self.result.sector_gap is None else []),
                 *(i.evidence for i in swot.opportunities + swot.threats)])))

    # ---- 8. since the EOCIC assessment ----------------------------------------------------
    def since_summary(self) -> None:
        display(Markdown(since_report.movement_sentence(self.result.since, self.profile.name,
                                                        self.profile.nuts.level < 2)))

    def since_table(self) -> None:
        show_table(since_report.movement_table(self.result.since), self._since_sources())
        display(Markdown(since_report.not_comparable_sentence(self.result.since)))

    def since_chart(self) -> None:
        fig = since_report.gap_chart(self.result.since, self.profile.name)
        if fig is None:
            display(Markdown("No indicator has an EU reference at both the baseline and the latest year."))
            return
        show_figure(fig, "; ".join(self._since_sources(charted=True)))

    def since_verdicts(self) -> None:
        display(Markdown(since_report.verdict_sentence(self.result.since)))
        show_table(since_report.verdict_table(self.result.since),
                   ["workbench diagnosis rules on the data up to the baseline year and on all data",
                    SUMMARY_REPORT_SOURCE])

    # ---- 9. result -------------------------------------------------------------------------
    def write_result(self) -> None:
        path = result_path(self.reports_dir, self.profile.id, "assessment")
        write_result(path, "assessment", self.profile.id, self.result.payload(),
                     data_vintage=self.snap.vintage)
        display(Markdown(f"The structured result of this assessment (every figure above with its "
                         f"year, reference and source) is {file_link(path)}."))

    # ---- helpers ---------------------------------------------------------------------------
    def _sector_gap_note(self, would_show: str, full: bool = True) -> bool:
        """When the region has no sector table: say why (in full, or as a pointer to the
        industrial-structure section) and what the section would have shown; True then."""
        gap = self.result.sector_gap
        if gap is None:
            return False
        why = (gap.text() if full else
               f"{gap.reason()} (see the industrial structure above).")
        display(Markdown(f"**No sector data.** {escape(why)} {escape(would_show)}"))
        return True

    def _indicator(self, indicator_id: str) -> dict[str, Any] | None:
        rows = self.result.indicators[self.result.indicators["id"] == indicator_id]
        return None if rows.empty else rows.iloc[0].to_dict()

    def _unit_names(self) -> dict[str, str]:
        peers = self.result.scoreboard.peers
        return {self.result.scoreboard.region: self.profile.name, **dict(zip(peers["geo"], peers["name"]))}

    def _since_sources(self, charted: bool = False) -> list[str]:
        table = self.result.since.table
        shown = table["gap_then"].notna() & table["gap_now"].notna() if charted else table["comparable"]
        return list(table.loc[shown, "source"])

    def _scoreboard_sources(self) -> list[str]:
        board = self.result.scoreboard
        used = board.indicators[board.indicators["geo"] == board.region]
        return [sourced(self.snap, r.indicator, r.year) for r in used.itertuples()]


def _listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' (escaped)."""
    items = [escape(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _rank_text(position: int | None, n_ranked: int) -> str:
    return NO_DATA if position is None else f"{position} of {n_ranked}"


def composite_sentence(board: Any, name: str) -> str:
    """The composite index and its rank among EU NUTS 2 regions, in words."""
    position, n_ranked = board.ranks.get("composite", (None, 0))
    score = board.composite.get(board.region)
    if position is None or score is None or pd.isna(score):
        return (f"{escape(name)} has no composite index: a dimension with data has too few of "
                f"its indicators for the region.")
    aggregate = (f" ({escape(board.aggregate)}: it is placed among them, not one of them)"
                 if board.aggregate else "")
    return (f"{escape(name)}'s composite index is {number(score)}, rank {position} of "
            f"{n_ranked} EU-27 NUTS 2 regions{aggregate}.")


def load(region_id: str, reports_dir: str | Path, baseline_year: int = BASELINE_YEAR) -> AssessmentReport:
    """Load the profile, the snapshot and the cluster category mapping and compute the region's
    assessment once; `baseline_year` is the year of the EOCIC assessment the region's movement
    is measured from."""
    snap = load_snapshot()
    result = assess(snap, load_profile(region_id), baseline_year=baseline_year,
                    categories=templates.load_categories())
    return AssessmentReport(result.profile, snap, result, paths.reports_dir(reports_dir))
