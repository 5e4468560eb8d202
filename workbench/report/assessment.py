"""The assessment report: one method per cell of `notebooks/assessment.ipynb`.

`load(region_id, reports_dir)` reads the region profile and the data snapshot and computes
the whole assessment once (`workbench.analysis.assessment.assess`). Each method of the
returned `AssessmentReport` then shows one table (HTML + source line) or returns one figure,
with sentences built from the computed values. Missing values are written "no data".
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from workbench.analysis import clusters as cluster_analysis
from workbench.analysis.assessment import Assessment, assess
from workbench.analysis.since import BASELINE_YEAR
from workbench.analysis.indicators import TREND_INDICATORS, sourced, trends
from workbench.analysis.scoreboard import DIMENSIONS
from workbench.concepts import SUMMARY_REPORT_SOURCE
from workbench.data import load_snapshot
from workbench.regions import RegionProfile, load_profile
from workbench.report import clusters as cluster_report
from workbench.report import since as since_report
from workbench.report.brief import brief_html, key_numbers
from workbench.report.charts import Panel, dimension_dots, trend_grid
from workbench.report import style
from workbench.report.style import escape, fmt_number, show_figure, source_line
from workbench import paths
from workbench.results import result_path, write_result

NO_DATA = "no data"
NO_DIMENSION_DATA = "no data in the snapshot"
VERDICT_TEXT = {"indicated": "indicated", "not_indicated": "not indicated",
                "insufficient_data": "insufficient data"}
HEADLINE = ("gdp_pps_per_head_index", "productivity", "unemployment_rate", "rd_expenditure_pct_gdp")


def number(value: Any) -> str:
    """A value for a table: digits by magnitude, 'no data' when missing."""
    if value is None or pd.isna(value):
        return NO_DATA
    size = abs(float(value))
    return fmt_number(float(value), 0 if size >= 1000 else 1 if size >= 10 else 2)


def show_table(frame: pd.DataFrame, sources: str | list[str]) -> None:
    """A table with missing values written as "no data", and its source line."""
    style.show_table(frame, sources, na_rep=NO_DATA)


@dataclass
class AssessmentReport:
    """The computed assessment of one region and what the notebook shows of it."""

    profile: RegionProfile
    snap: Any
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
            f"**{escape(p.nuts.code)}**: {escape(p.nuts.composition)}.{pop_text}"))

    def brief(self) -> None:
        """The one-screen brief: key numbers, strongest traded clusters, challenges, priorities, limits."""
        from workbench.analysis.proposals import build_plan  # the plan is only needed here

        payload = self.result.payload()
        plan = build_plan(payload, self.profile, snapshot=self.snap)
        measures = [{"title": p.measure.title} for p in plan.measures]
        numbers = key_numbers(payload, self.snap, list(self.result.scoreboard.peers["geo"]))
        display(HTML(brief_html(payload, numbers, measures, "proposals.html")))

    # ---- 2. key indicators -----------------------------------------------------------------
    def key_indicators_table(self) -> None:
        t = self.result.indicators
        table = pd.DataFrame({
            "Indicator": t["label"], "Unit": t["unit"].fillna(""),
            "Year": [NO_DATA if pd.isna(y) else str(y) for y in t["year"]],
            self.profile.name: t["value"].map(number),
            self.profile.country_name: t["national"].map(number),
            "EU-27": t["eu"].map(number),
            "Percentile among EU NUTS 2": t["percentile"].map(
                lambda v: "–" if v is None or pd.isna(v) else f"{v:.0f}"),
            "Source": t["source"],
        })
        show_table(table, list(t.loc[t["year"].notna(), "source"]))
        display(Markdown(
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
        long = trends(self.snap, self.profile, TREND_INDICATORS)
        catalogue = self.snap.catalogue
        panels = []
        for indicator_id, data in long.groupby("indicator", sort=False):
            years = data.loc[data["region"].notna(), "year"]
            data = data.set_index("year").reindex(range(int(data["year"].min()),
                                                        int(data["year"].max()) + 1))
            data = data.rename_axis("year").reset_index()  # a missing year breaks the line
            span = f"{int(years.min())}-{int(years.max())}"
            panels.append(Panel(data, catalogue.loc[indicator_id, "label"],
                                catalogue.loc[indicator_id, "unit"],
                                f"{self.snap.source(indicator_id)}, {span}"))
        national = None if self.profile.nuts.level == 0 else self.profile.country_name
        first = int(long["year"].min()) if not long.empty else None
        last = int(long["year"].max()) if not long.empty else None
        show_figure(trend_grid(panels, self.profile.name, national,
                               f"{self.profile.name}: trends {first}-{last}, region vs "
                               f"{'country vs ' if national else ''}EU-27"))

    # ---- 3-4. industrial structure, clusters -------------------------------------------------
    def cluster_caveat(self) -> None:
        display(Markdown(
            "NACE Rev. 2 divisions stand in for the 51 European cluster categories: the category "
            "definitions work on 4-digit industries, which the regional SBS data do not have. "
            + escape(cluster_analysis.category_caveat())))

    def structure_sentence(self) -> None:
        display(Markdown(cluster_report.structure_sentence(self.result.sectors, self.profile.name)))

    def employment_chart(self) -> None:
        show_figure(cluster_report.employment_chart(self.result.sectors, self.profile.name))

    def portfolio_chart(self) -> None:
        show_figure(cluster_report.portfolio_chart(self.result.sectors, self.profile.name))

    def star_table(self, preset: str) -> None:
        styled, source = cluster_report.star_table(self.result.sectors, preset)
        display(styled)
        display(Markdown(source))

    # ---- 5. scoreboard ---------------------------------------------------------------------
    def scoreboard_method(self) -> None:
        board = self.result.scoreboard
        empty = [d.label for d in DIMENSIONS if not d.indicators]
        used = board.indicators[board.indicators["geo"] == board.region]
        how = ("set in the region profile" if self.profile.peers else
               "chosen by structural similarity (z-scored GDP per head, industry share of "
               "employment, population and R&D intensity; regions of the same country excluded)")
        display(Markdown(
            f"Scores are RIS-style normalised positions among EU-27 NUTS 2 regions (0 = lowest, "
            f"1 = highest; outliers beyond mean ± 3 s.d. excluded from min and max, square root "
            f"for skewed levels, lower-is-better indicators inverted). A dimension score is the "
            f"unweighted mean of its {used['indicator'].nunique()} available indicators. "
            f"{len(board.peers)} peer regions, {how}. Without data in the snapshot: "
            f"{escape(', '.join(empty)) or 'none'} (shown as missing, not as zero). "
            f"Method: docs/methods-assessment.md §2."))

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
        table = pd.DataFrame({"Dimension": [d.label for d in DIMENSIONS]})
        for geo in dims.columns:
            table[names[geo]] = [number(dims.loc[d.id, geo]) if d.indicators else NO_DIMENSION_DATA
                                 for d in DIMENSIONS]
        used = board.indicators[board.indicators["geo"] == board.region]
        table["Indicators (year)"] = [
            "; ".join(f"{r.label} ({r.year})" for r in used[used["dimension"] == d.id].itertuples())
            or NO_DIMENSION_DATA for d in DIMENSIONS]
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
            rows.append({"Joint challenge": v.label, "Verdict from the data": VERDICT_TEXT[v.verdict],
                         "Listed by the EOCIC Summary Report": "yes" if v.published else "no",
                         "Agreement": agreement})
        show_table(pd.DataFrame(rows), ["workbench diagnosis rules (docs/methods-assessment.md §4) "
                                        "on the data snapshot", SUMMARY_REPORT_SOURCE])
        counts = pd.Series([v.agreement for v in self.result.challenges])
        display(Markdown(
            f"The rules agree with the published finding for {int((counts == True).sum())} of "  # noqa: E712
            f"{len(counts)} challenges and disagree for {int((counts == False).sum())}; "  # noqa: E712
            f"{int(counts.isna().sum())} cannot be judged for lack of data. The rules were set "
            f"before this comparison and were not adjusted to it."))

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
        display(Markdown(
            f"#### {escape(verdict.label)}: {VERDICT_TEXT[verdict.verdict]}\n\n"
            f"**Rule.** {escape(verdict.rule)}\n\n**Published finding.** {finding} {agreement}"))
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
            "regions and NACE divisions with at least two stars (EOCIC preset); opportunities and "
            "threats: the region profile. " + source_line(
                [*self.result.indicators["source"][self.result.indicators["year"].notna()],
                 self.result.sector_source,
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
                         f"year, reference and source) is [{escape(path.name)}]({escape(path.name)})."))

    # ---- helpers ---------------------------------------------------------------------------
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


def load(region_id: str, reports_dir: str | Path, baseline_year: int = BASELINE_YEAR) -> AssessmentReport:
    """Load the profile and the snapshot and compute the region's assessment once;
    `baseline_year` is the year of the EOCIC assessment the region's movement is measured from."""
    profile = load_profile(region_id)
    snap = load_snapshot()
    return AssessmentReport(profile, snap, assess(snap, profile, baseline_year=baseline_year),
                            paths.reports_dir(reports_dir))
