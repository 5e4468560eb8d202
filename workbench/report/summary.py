"""The cross-region summary report: one method per cell of `notebooks/summary.ipynb`.

`load` reads the run manifest, the regions' result documents and all region profiles once and
computes every table (`workbench.analysis.compare`); each method of the returned `SummaryReport`
then displays one table or figure with its sentence and source line and returns nothing, so no
object repr leaks into the report. `write_result` (the last cell) writes the tables as
`summary_*.csv` (`export_tables`).

The run manifest (`<reports_dir>/run.json`, written by the pipeline) is read tolerantly, see
`read_manifest`. A requested region whose notebook failed or whose result is absent is listed
as missing with the reason, never dropped.
"""
from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd
from IPython.display import Markdown, display
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from workbench import paths, templates
from workbench.analysis import compare, diagnosis, since
from workbench.concepts import CHALLENGE_IDS, SUMMARY_REPORT_SOURCE, VERDICT_WORDS, challenge
from workbench.data import load_snapshot
from workbench.regions import load_profiles
from workbench.report import style
from workbench.report.base import Report, file_link
from workbench.report.style import EU_COLOUR, PALETTE, REGION_COLOUR, SEQUENTIAL, escape, fmt_number, subplots
from workbench.results import ResultError, read_result, result_path, write_atomic

KINDS = ("assessment", "proposals")
PANELS_TOP, PANELS_ROW_GAP = 1.0, 1.0  # inches above the first row of bar panels and between rows (3-line titles)
MANIFEST_NAME = "run.json"
MANIFEST_COLUMNS = ["region", "notebook", "status", "error_name", "error_message", "failing_cell",
                    "cell_source"]
VERDICT_STYLE = {  # fill colour, hatch, legend text (Okabe-Ito orange / sky blue, greys)
    "indicated": ("#E69F00", "", "indicated by the data"),
    "not_indicated": ("#56B4E9", "", "not indicated by the data"),
    "insufficient_data": ("#DDDDDD", "///", "insufficient data"),
    compare.MISSING: ("#FFFFFF", "x", "requested, result missing"),
    compare.NOT_IN_RUN: ("#FFFFFF", "", "not in this run"),
}
DERIVED = "workbench summary of the regions' assessment results"


@dataclass
class SummaryReport(Report):
    """Everything the summary shows, computed once from the run's results; one method per cell."""

    requested: list[str]
    reports_dir: Path
    status: pd.DataFrame
    facts: pd.DataFrame
    published: pd.DataFrame
    assessments: dict[str, dict[str, Any]]
    proposals: dict[str, dict[str, Any]]
    vintages: list[str]
    sector_sources: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    calibration_source: str = ""

    @property
    def names(self) -> dict[str, str]:
        return self.facts["name"].to_dict()

    # --- the notebook's cells, in its order ---------------------------------------------

    def run_status(self) -> None:
        """Which requested regions have results, and why the others are missing."""
        missing = self.status[self.status["assessment"] != "ok"]
        sentence = (f"This summary covers {len(self.assessments)} of the {len(self.requested)} requested regions "
                    f"({len(self.facts)} pilot regions have a profile).")
        if len(missing):
            sentence += " Missing: " + "; ".join(f"{escape(r.name)} ({escape(r.assessment)})"
                                                 for r in missing.itertuples()) + "."
        _show_table(self.status.rename(columns=str.capitalize),
                    [f"run manifest {MANIFEST_NAME} and the result files of this run"], sentence)

    def characteristics_table(self) -> None:
        """Key characteristics per region with NUTS level and composition; a year is shown with each value."""
        table = self.tables["characteristics"].set_index("region")
        labels = self.tables["indicators"].drop_duplicates("id").set_index("id")
        shown = table[["name", "level"]].rename(columns={"name": "Region", "level": "NUTS level"})
        shown["NUTS 2016 units"] = [code if parts == code else f"{code} = {parts}"
                                    for code, parts in zip(table["code"], table["parts"])]
        for ind in compare.CHARACTERISTICS:
            scale, unit = _scale(table[ind].dropna(), str(labels["unit"].get(ind, "")))
            head = f"{labels['label'].get(ind, ind)} ({unit})"
            digits = _digits(table[ind] / scale)
            shown[head] = [f"{fmt_number(v / scale, digits)} ({y:.0f})" if pd.notna(v) else "n/a"
                           for v, y in zip(table[ind], table[ind + "_year"])]
        for column in [c for c in table.columns if c.startswith("strong_clusters_")]:
            shown[f"Strong clusters ({column.removeprefix('strong_clusters_')})"] = table[column]
        _show_table(shown, _data_sources(self, compare.CHARACTERISTICS) + self.sector_sources,
                    characteristics_sentence(self))

    def characteristics_chart(self) -> None:
        """Bar panels of the key characteristics across the regions."""
        if not self.assessments:
            return display(Markdown("No region of this run has an assessment result."))
        fig = _bar_panels(self, compare.CHARACTERISTICS, "Key characteristics of the pilot regions")
        _show_figure(fig, _data_sources(self, compare.CHARACTERISTICS))

    def strong_clusters_chart(self) -> None:
        """Strong clusters (sectors with at least one star) per region and star preset."""
        table = self.tables["characteristics"].set_index("region")
        columns = [c for c in table.columns if c.startswith("strong_clusters_")]
        if not columns:
            return display(Markdown("No sector star ratings are available for the regions of this run."))
        counts = table[columns].rename(columns=lambda c: c.removeprefix("strong_clusters_"),
                                       index=self.names)
        fig, ax = subplots(figsize=(8, 0.45 * len(counts) + 1.5))
        counts.plot.barh(ax=ax, color=PALETTE[: len(columns)], width=0.8)
        ax.invert_yaxis()
        ax.set_xlabel(f"sectors with at least {compare.STRONG_MIN_STARS} star")
        ax.set_ylabel("")
        ax.legend(title="star preset", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title("Strong clusters per region and star preset")
        _show_figure(fig, self.sector_sources or [DERIVED])

    def challenge_matrix(self) -> None:
        """All regions x the five joint challenges: colour = data-driven verdict, 'EOCIC' = published listing."""
        matrix = self.tables["challenge_matrix"]
        regions = list(self.facts.index)
        fig, ax = subplots(figsize=(10, 0.55 * len(regions) + 2.2))
        for row in matrix.itertuples():
            x, y = CHALLENGE_IDS.index(row.challenge), regions.index(row.region)
            colour, hatch, _ = VERDICT_STYLE[row.verdict]
            ax.add_patch(Rectangle((x, y), 1, 1, facecolor=colour, hatch=hatch, hatchcolor="#888888",
                                   edgecolor="white", linewidth=2))
            note = {compare.NOT_IN_RUN: "not in run", compare.MISSING: "result missing"}.get(row.verdict, "")
            note = "≠ disagree" if row.agreement is False else note
            text = "\n".join(filter(None, ["EOCIC ✓" if row.published else "", note]))
            if text:
                ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=8, color="#222222",
                        fontweight="bold" if row.agreement is False else "normal",
                        bbox=dict(facecolor="white", edgecolor="none", pad=1.5) if hatch else None)
        ax.set_xlim(0, len(CHALLENGE_IDS))
        ax.set_ylim(len(regions), 0)
        ax.set_xticks([i + 0.5 for i in range(len(CHALLENGE_IDS))],
                      [_wrap(challenge(c).label, 20) for c in CHALLENGE_IDS], fontsize=8.5)
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(len(regions))], [self.names[r] for r in regions])
        ax.grid(False)
        ax.tick_params(length=0)
        handles = [Patch(facecolor=c, hatch=h, hatchcolor="#888888", edgecolor="#888888", label=t)
                   for c, h, t in VERDICT_STYLE.values()]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=8)
        ax.set_title("Joint challenges: EOCIC Summary Report (✓) and data-driven verdicts (colour)", pad=12)
        _show_figure(fig, [SUMMARY_REPORT_SOURCE, _vintage(self)])

    def published_lists(self) -> None:
        """For each challenge, the regions the Summary Report lists (all of them) and those the data indicate."""
        table = self.tables["published_lists"].drop(columns="challenge").rename(columns={
            "label": "Joint challenge", "listed_by_eocic": "Listed by the Summary Report",
            "n_listed": "Number listed", "indicated_by_data": "Indicated by the data (this run)"})
        _show_table(table, [SUMMARY_REPORT_SOURCE, _vintage(self)])

    def agreement_counts(self) -> None:
        """Per challenge: listed, assessed, indicated, agreeing, disagreeing, insufficient data."""
        table = self.tables["agreement"].drop(columns="challenge").rename(columns={
            "label": "Joint challenge", "listed_by_eocic": "Listed by EOCIC", "assessed": "Assessed",
            "indicated_by_data": "Indicated by the data", "agree": "Agree", "disagree": "Disagree",
            "insufficient_data": "Insufficient data"})
        _show_table(table, [SUMMARY_REPORT_SOURCE, _vintage(self)], agreement_sentence(self))

    def rule_calibration(self) -> None:
        """Per rule: k of n, EU NUTS 2 regions flagged, and regions of this run indicated and listed."""
        table = self.tables["calibration"]
        shown = pd.DataFrame({
            "Joint challenge": table["label"], "Rule": [f"{k} of {n} tests" for k, n in zip(table["k"], table["n"])],
            "EU NUTS 2 regions with a verdict": table["with_verdict"],
            "Flagged": table["indicated"], "Flagged %": [fmt_number(v, 0) for v in table["indicated_pct"]],
            "Regions of this run indicated": [f"{int(i)} of {int(n)}" for i, n in
                                              zip(table["run_indicated"], table["run_with_verdict"])],
            "Listed by EOCIC": table["run_listed"].astype(int)})
        _show_table(shown, [self.calibration_source, SUMMARY_REPORT_SOURCE, _vintage(self)],
                    calibration_sentence(self))

    def disagreements(self) -> None:
        """The evidence behind every data-driven verdict that disagrees with the Summary Report."""
        table = self.tables["disagreements"]
        if table.empty:
            return display(Markdown("The data-driven verdicts agree with the Summary Report wherever the data "
                                    "allow a verdict."))
        shown = pd.DataFrame({
            "Region": table["name"], "Joint challenge": [challenge(c).label for c in table["challenge"]],
            "Summary Report": table["published"].map({True: "listed", False: "not listed"}),
            "Data": table["verdict"].map(VERDICT_WORDS), "Evidence": table["label"],
            "Value (year)": [f"{fmt_number(v, 2)} ({y:.0f})" if pd.notna(y) else fmt_number(v, 2)
                             for v, y in zip(pd.to_numeric(table["value"]), pd.to_numeric(table["year"]))],
            "Test": table["test"], "Benchmark": [f"{b}: {fmt_number(v, 2)}" for b, v in
                                                 zip(table["benchmark"], pd.to_numeric(table["benchmark_value"]))],
            "Test met": table["met"].map({True: "yes", False: "no"}).fillna("no data")})
        _show_table(shown, sorted(set(table["source"].dropna())) + [_vintage(self)])

    def convergence(self) -> None:
        """Regions ranked by how many indicators improved their position against the EU since the baseline."""
        table = self.tables["convergence"]
        if table.empty or not table["n_compared"].any():
            return display(Markdown("No region of this run has indicators comparable between the baseline "
                                    "and the latest year."))
        shown = pd.DataFrame({
            "Rank": range(1, len(table) + 1), "Region": table["name"],
            "Indicators compared": table["n_compared"],
            "Position against the EU improved": table["n_improved"],
            "Position against the EU worsened": table["n_worsened"],
            "Mean change of EU NUTS 2 rank (places, + = up)": [
                "n/a" if pd.isna(v) else f"{v:+.1f}" for v in table["mean_rank_change"]],
        })
        top, bottom = table.iloc[0], table.iloc[-1]
        sentence = (f"Since the EOCIC baseline ({_baselines(self)}), {escape(top['name'])} improved its "
                    f"position against the EU on {top['n_improved']} of {top['n_compared']} comparable key "
                    f"indicators and {escape(bottom['name'])} on {bottom['n_improved']} of "
                    f"{bottom['n_compared']}. Regions are ranked by improved minus worsened indicators, "
                    f"then by mean rank change.")
        _show_table(shown, [_vintage(self)], sentence)

    def persistence(self) -> None:
        """Per joint challenge: indicated by the data at the baseline, now, and in both."""
        table = self.tables["persistence"]
        shown = table.drop(columns="challenge").rename(columns={
            "label": "Joint challenge", "n_regions": "Regions", "indicated_then": "Indicated at the baseline",
            "indicated_now": "Indicated now", "persisted": "Indicated in both (persisted)",
            "changed": "Verdicts that changed", "listed_by_eocic": "Listed by EOCIC (2018-2019)"})
        persisted = table.sort_values("persisted", ascending=False).iloc[0] if len(table) else None
        sentence = ("" if persisted is None or not persisted["persisted"] else
                    f"The most persistent joint challenge is {escape(persisted['label'].lower())}: indicated "
                    f"by the data for {persisted['persisted']} of {persisted['n_regions']} regions both at "
                    f"the baseline and now. ") + (
            f"{int(table['changed'].sum())} of {int(table['n_regions'].sum())} verdicts changed between the "
            f"data as they stood at the baseline and the latest data.")
        _show_table(shown, [_vintage(self), SUMMARY_REPORT_SOURCE], sentence)

    def peer_pairs(self) -> None:
        """Proposed joint peer review pairings per challenge with the reason for each."""
        pairs = self.tables["peer_pairs"]
        if pairs.empty:
            return display(Markdown("No pairing can be proposed: fewer than two assessed regions share a challenge."))
        kinds = pairs["kind"].value_counts()
        sentence = (f"{len(pairs)} pairings are proposed: {kinds.get('learn from', 0)} where one region can learn "
                    f"from a stronger peer on the challenge's indicators and {kinds.get('shared challenge', 0)} "
                    f"between regions facing the same challenge, each with its structurally nearest such region.")
        shown = pd.DataFrame({"Joint challenge": pairs["challenge_label"], "Pairing": pairs["kind"],
                              "Region": pairs["region"].map(self.names), "Peer": pairs["partner"].map(self.names),
                              "Reason": pairs["reason"]})
        related = {i for ids in compare.related_indicators(self.assessments).values() for i in ids}
        _show_table(shown, _data_sources(self, sorted(related)) + [_vintage(self)], sentence)

    def similarity_groups(self) -> None:
        """Groups of structurally similar regions and each region's nearest neighbour."""
        groups = self.tables["similarity_groups"]
        shown = pd.DataFrame({"Region": groups["region"].map(self.names), "Group": groups["group"],
                              "Nearest region": groups["nearest"].map(self.names),
                              "Distance": [fmt_number(d, 2) for d in groups["distance"]]})
        _show_table(shown, _data_sources(self, compare.STRUCTURE), groups_sentence(self))

    def distance_chart(self) -> None:
        """Heatmap of structural distances, regions ordered by group."""
        groups = self.tables["similarity_groups"]
        if len(groups) < 2:
            return display(Markdown("Distances need at least two assessed regions."))
        order = groups.sort_values(["group", "region"])["region"].tolist()
        distances = self.tables["distances"].loc[order, order]
        fig, ax = subplots(figsize=(0.7 * len(order) + 3, 0.6 * len(order) + 1.5))
        image = ax.imshow(distances.to_numpy(), cmap=SEQUENTIAL)
        labels = [self.names[r] for r in order]
        ax.set_xticks(range(len(order)), labels, rotation=40, ha="right")
        ax.set_yticks(range(len(order)), labels)
        for (i, j), value in pd.DataFrame(distances.to_numpy()).stack().items():
            ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=8,
                    color="white" if value < distances.to_numpy().max() * 0.5 else "black")
        ax.grid(False)
        fig.colorbar(image, ax=ax, label="distance (root mean square of z-score differences)")
        ax.set_title("Structural distance between regions (lower = more similar)")
        _show_figure(fig, _data_sources(self, compare.STRUCTURE))

    def steps_chart(self) -> None:
        """Measures proposed per step, split into those that work through clusters and the others."""
        steps = self.tables["steps"]
        display(Markdown(steps_sentence(self)))
        if not steps["proposed"].sum():
            return None
        labels = [_wrap(label, 28) for label in steps["label"]]
        fig, ax = subplots(figsize=(8, 3.6))
        ax.barh(labels, steps["with_clusters"], color=PALETTE[2], label="works through clusters")
        ax.barh(labels, steps["proposed"] - steps["with_clusters"], left=steps["with_clusters"],
                color=PALETTE[5], label="other measures")
        for y, total in enumerate(steps["proposed"]):
            ax.text(total, y, f" {total}", va="center", fontsize=8)
        ax.margins(x=0.1)
        ax.invert_yaxis()
        ax.set_xlabel("measures proposed, summed over regions")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title("Proposed measures along the five steps of industrial transition")
        _show_figure(fig, [_proposals_source(self), f"steps: {SUMMARY_REPORT_SOURCE}"])

    def measures_by_step(self, top: int = 3) -> None:
        """The measures proposed by most regions, `top` per step."""
        measures = self.tables["measures_by_step"]
        shown = measures.groupby("step", sort=False).head(top)
        shown = pd.DataFrame({"Step": shown["step_label"], "Measure": shown["title"],
                              "Regions proposing": shown["n_regions"], "Which": shown["regions"],
                              "Mean priority (1 = highest)": [fmt_number(p, 1) for p in shown["mean_priority"]],
                              "Through clusters": shown["clusters"].map({True: "yes", False: "no"})})
        _show_table(shown, [_proposals_source(self)])

    def theme_chart(self) -> None:
        """Bar panels of the skills and digitalisation indicators across the regions, EU line for reference."""
        display(Markdown(themes_sentence()))
        ids = [i for ids in compare.THEMES.values() for i in ids]
        if not self.assessments:
            return None
        fig = _bar_panels(self, ids, "World Café themes: skills and digitalisation")
        _show_figure(fig, _data_sources(self, ids))

    def theme_table(self) -> None:
        """Theme indicators per region (value and year), with the EU-27 value in the last row."""
        themes = self.tables["themes"]
        if themes.empty:
            return display(Markdown("No theme indicator is available for the regions of this run."))
        cells = themes.assign(
            column=[f"{t}: {label} ({unit})" for t, label, unit in zip(themes["theme"], themes["label"], themes["unit"])],
            cell=[f"{fmt_number(v)} ({y:.0f})" if pd.notna(v) else "n/a" for v, y in zip(themes["value"], themes["year"])])
        wide = cells.pivot_table(index="region", columns="column", values="cell", aggfunc="first", sort=False)
        wide = wide.reindex(list(self.assessments)).rename(index=self.names)
        eu = cells.groupby("column", sort=False)["eu"].agg(lambda v: "/".join(fmt_number(x) for x in v.dropna().unique()))
        wide.loc["EU-27"] = eu.reindex(wide.columns).replace("", "n/a")
        _show_table(wide.rename_axis(None, axis=1).rename_axis("Region").reset_index(),
                    sorted(set(themes["source"].dropna())))

    def write_result(self) -> None:
        """Export the tables and link the files (they sit next to the summary HTML)."""
        written = export_tables(self)
        display(Markdown("Tables exported next to this report: " + ", ".join(map(file_link, written)) + "."))


# --- loading ------------------------------------------------------------------------------

def read_manifest(reports_dir: Path | str) -> pd.DataFrame | None:
    """The pipeline's run manifest as a table (columns `MANIFEST_COLUMNS`), None when absent.

    Tolerant by design: the entries may be the top-level list or sit under `notebooks`,
    `runs`, `results` or `entries`; the region under `region` or `region_id`; the notebook as
    a name or a path (`notebooks/assessment.ipynb` -> `assessment`) under `notebook`, `kind`
    or `name`; the error as a string, as `{"name", "message"}` (or `ename`/`evalue`), or as
    `error_name`/`error_message`; the failing cell under `failing_cell`, `cell` or
    `cell_index`, in the entry or in its error (with `cell_source`, its first line, when
    given). This covers `workbench.pipeline.manifest` (schema_version 1). Unknown keys are
    ignored; an unreadable manifest counts as absent.
    """
    path = Path(reports_dir) / MANIFEST_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    entries = document if isinstance(document, list) else next(
        (document[k] for k in ("notebooks", "runs", "results", "entries") if isinstance(document.get(k), list)), [])
    rows = [_manifest_row(e) for e in entries if isinstance(e, dict)]
    return pd.DataFrame(rows, columns=MANIFEST_COLUMNS, dtype=object)


def _manifest_row(entry: dict[str, Any]) -> dict[str, Any]:
    error = entry.get("error")
    error = error if isinstance(error, dict) else {"message": error} if error else {}
    cell = _first(entry, "failing_cell", "cell", "cell_index")
    return {"region": _first(entry, "region", "region_id"),
            "notebook": Path(str(_first(entry, "notebook", "kind", "name") or "")).stem,
            "status": str(entry.get("status") or "").lower(),
            "error_name": _first(error, "name", "ename") or entry.get("error_name"),
            "error_message": _first(error, "message", "evalue") or entry.get("error_message"),
            "failing_cell": cell if cell is not None else _first(error, "cell_index", "cell"),
            "cell_source": _first(error, "cell_source") or entry.get("cell_source")}


def _first(mapping: dict[str, Any], *keys: str) -> Any:
    return next((mapping[k] for k in keys if mapping.get(k) not in (None, "")), None)


def load(region_ids: Sequence[str], reports_dir: Path | str) -> SummaryReport:
    """Read the run (manifest, results, all profiles) and compute every table of the summary."""
    reports_dir = paths.reports_dir(reports_dir)
    profiles = load_profiles()
    facts, published = compare.region_facts(profiles), compare.published_findings(profiles)
    manifest = read_manifest(reports_dir)
    results: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    status_rows, vintages = [], []
    for region in region_ids:
        row = {"region": region, "name": facts["name"].get(region, region)}
        for kind in KINDS:
            document, row[kind] = _result(reports_dir, region, kind, manifest, region in facts.index)
            if document is not None:
                results[kind][region] = document["payload"]
                vintages.append(document.get("data_vintage") or "")
        status_rows.append(row)
    data = SummaryReport(
        requested=list(region_ids), reports_dir=reports_dir,
        status=pd.DataFrame(status_rows, columns=["region", "name", *KINDS]),
        facts=facts, published=published, assessments=results["assessment"],
        proposals=results["proposals"], vintages=sorted(set(filter(None, vintages))),
        sector_sources=sorted({p.get("sector_source") for p in results["assessment"].values()} - {None}))
    data.tables = _compute(data)
    return data


def _result(reports_dir: Path, region: str, kind: str, manifest: pd.DataFrame | None,
            known: bool) -> tuple[dict[str, Any] | None, str]:
    """The region's result document of this kind, or None with the reason it is missing."""
    if not known:
        return None, "missing: no region profile with this id"
    if manifest is not None:
        entries = manifest[(manifest["region"] == region) & (manifest["notebook"] == kind)]
        if not entries.empty and entries.iloc[-1]["status"] in ("failed", "skipped"):
            return None, _failure(entries.iloc[-1], kind)
    path = result_path(reports_dir, region, kind)
    if not path.is_file():
        return None, f"missing: no {kind} result found"
    try:
        return read_result(path, kind), "ok"
    except ResultError as error:
        return None, f"missing: {error}"


def _failure(entry: pd.Series, kind: str) -> str:
    error = ": ".join(str(entry[k]) for k in ("error_name", "error_message") if pd.notna(entry[k]) and entry[k])
    source = f" `{entry['cell_source']}`" if pd.notna(entry["cell_source"]) and entry["cell_source"] else ""
    cell = f" (cell {entry['failing_cell']}{source})" if pd.notna(entry["failing_cell"]) else ""
    return f"missing: {kind} notebook {entry['status']}" + (f" - {error}" if error else "") + cell


def _compute(data: SummaryReport) -> dict[str, pd.DataFrame]:
    a = data.assessments
    indicators = compare.indicator_frame(a)
    matrix = compare.challenge_matrix(data.facts, data.published, data.requested, a)
    distances = compare.structural_distances(indicators, list(a))
    labels = dict(zip(indicators["id"], indicators["label"]))
    measures = compare.measures_by_step(data.proposals, data.names)
    groups = compare.similarity_groups(distances) if a else pd.DataFrame(
        columns=["region", "group", "nearest", "distance"])
    return {
        "run_status": data.status,
        "characteristics": compare.key_characteristics(a, data.facts).reset_index(),
        "challenge_matrix": matrix,
        "published_lists": _published_lists(data, matrix),
        "agreement": compare.agreement_counts(matrix).reset_index(),
        "calibration": compare.rule_calibration(_eu_calibration(data), matrix),
        "disagreements": compare.disagreement_evidence(matrix, a),
        "peer_pairs": compare.peer_pairs(matrix, compare.challenge_performance(a), distances, labels,
                                         compare.related_indicators(a)),
        "similarity_groups": groups,
        "distances": distances,
        "measures_by_step": measures,
        "steps": compare.steps_overview(measures, data.proposals).reset_index(),
        "themes": compare.theme_indicators(indicators),
        "indicators": indicators,
        "convergence": since.convergence(a, data.names),
        "persistence": since.persistence(a, {c: challenge(c).label for c in CHALLENGE_IDS}),
    }


def _eu_calibration(data: SummaryReport) -> pd.DataFrame:
    """The rules run on every EU-27 NUTS 2 region of the data snapshot (cached per process)."""
    snap = load_snapshot()
    data.calibration_source = f"workbench diagnosis rules run on all EU-27 NUTS 2 regions ({snap.vintage})"
    return diagnosis.calibration(diagnosis.eu_verdicts(snap, templates.load_categories(),
                                                       diagnosis.default_sector_year(snap)))


def _published_lists(data: SummaryReport, matrix: pd.DataFrame) -> pd.DataFrame:
    """Per challenge: the Summary Report's full list, marked for regions outside this run, and the data's list."""
    names, in_run = data.names, set(data.assessments)
    rows = []
    for cid, regions in compare.published_lists(data.published).items():
        indicated = matrix[(matrix["challenge"] == cid) & (matrix["verdict"] == "indicated")]["name"]
        rows.append({"challenge": cid, "label": challenge(cid).label,
                     "listed_by_eocic": ", ".join(names[r] + ("" if r in in_run else " (not in this run)")
                                                  for r in regions),
                     "n_listed": len(regions), "indicated_by_data": ", ".join(indicated) or "none"})
    return pd.DataFrame(rows)


# --- display helpers ----------------------------------------------------------------------

def _merge_sources(sources: Iterable[str]) -> list[str]:
    """One entry per dataset with its years ('…, 2013, 2015'); entries without a year only if no year is known."""
    years: dict[str, set[str]] = {}
    for text in dict.fromkeys(s for s in sources if s):
        stem, _, year = text.rpartition(", ")
        stem, year = (stem, year) if year.isdigit() and len(year) == 4 else (text.split(": no value")[0], "")
        years.setdefault(stem, set()).update({year} - {""})
    return [f"{stem}, {', '.join(sorted(found))}" if found else stem for stem, found in years.items()]


def _show_table(frame: pd.DataFrame, sources: str | Iterable[str], sentence: str | None = None) -> None:
    if sentence:
        display(Markdown(sentence))
    style.show_table(frame, _merge_sources([sources] if isinstance(sources, str) else sources))


def _show_figure(fig: Figure, sources: Iterable[str]) -> None:
    style.show_figure(fig, "; ".join(_merge_sources(sources)))


def _data_sources(data: SummaryReport, ids: Sequence[str]) -> list[str]:
    found = data.tables["indicators"]
    return sorted(set(found[found["id"].isin(ids)]["source"].dropna())) or ["no indicator found in the results"]


def _vintage(data: SummaryReport) -> str:
    return f"{DERIVED} ({'; '.join(data.vintages) or 'no results'})"


def _wrap(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _bar_panels(data: SummaryReport, ids: Sequence[str], title: str) -> Figure:
    """One horizontal bar panel per indicator with data, regions top-down, EU-27 line for intensive indicators."""
    found = data.tables["indicators"]
    ids = [i for i in ids if found[found["id"] == i]["value"].notna().any()]
    names = [data.names[r] for r in data.assessments]
    columns = min(3, len(ids))
    rows = -(-len(ids) // columns)
    axes_height = 0.3 * len(names) + 0.5
    height = PANELS_TOP + rows * axes_height + (rows - 1) * PANELS_ROW_GAP + 0.5
    fig, axes = subplots(rows, columns, figsize=(4.2 * columns, height), squeeze=False, sharey=True)
    fig.subplots_adjust(top=1 - PANELS_TOP / height, bottom=0.5 / height, hspace=PANELS_ROW_GAP / axes_height)
    for ax, ind in zip(axes.flat, ids):
        subset = found[found["id"] == ind].set_index("region").reindex(list(data.assessments))
        scale, unit = _scale(subset["value"], str(subset["unit"].dropna().iloc[0]))
        values = subset["value"] / scale
        digits = _digits(values)
        ax.barh(range(len(names)), values.fillna(0), color=REGION_COLOUR)
        ax.set_yticks(range(len(names)), names)
        intensive = subset["percentile"].notna().any()  # then the EU-27 value of the same year is marked
        ends = pd.concat([values, subset["eu"] / scale if intensive else values * 0], axis=1).max(axis=1)
        for y, (value, end) in enumerate(zip(values, ends.fillna(0))):  # label right of bar and EU mark
            ax.text(end, y, "  " + fmt_number(value, digits) if pd.notna(value) else " no data",
                    va="center", fontsize=8)
        if intensive:
            ax.scatter(subset["eu"] / scale, range(len(names)), marker="|", s=260, linewidths=2,
                       color=EU_COLOUR, zorder=3)
        years = subset["year"].dropna()
        span = f"{years.min():.0f}" + (f"-{years.max():.0f}" if years.max() > years.min() else "") if len(years) else ""
        ax.set_title(_wrap(f"{subset['label'].dropna().iloc[0]} ({unit}), {span}", 38), fontsize=9.5)
        ax.margins(x=0.18)
    axes.flat[0].invert_yaxis()  # shared y axis: regions top-down in run order
    for ax in list(axes.flat)[len(ids):]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold")
    fig.legend(handles=[Line2D([], [], color=EU_COLOUR, marker="|", markersize=12, markeredgewidth=2,
                                   linestyle="none", label="EU-27 value, same year")], loc="upper right", fontsize=8)
    return fig


def _digits(values: pd.Series) -> int:
    """Decimals for a column of numbers: none from 1,000 up, one below."""
    return 0 if values.abs().max() >= 1000 else 1


def _scale(values: pd.Series, unit: str) -> tuple[float, str]:
    """Show counts in millions when they run into millions."""
    return (1e6, f"million {unit}".strip()) if values.abs().max() >= 1e6 else (1.0, unit)


# --- 1. key characteristics ---------------------------------------------------------------

def characteristics_sentence(data: SummaryReport) -> str:
    """Ranges of GDP per head (EU = 100) and population across the regions, with the years."""
    table = data.tables["characteristics"].set_index("region")
    parts = []
    for ind, text, scale, unit in (("gdp_pps_per_head_index", "GDP per head in PPS (EU-27 = 100)", 1, ""),
                                   ("population", "Population", 1e6, " million")):
        values = table[ind].dropna()
        if len(values):
            low, high = values.idxmin(), values.idxmax()
            parts.append(" ".join([f"{text} ranges from", *(
                f"{fmt_number(values[r] / scale)}{unit} in {escape(data.names[r])} ({table.at[r, ind + '_year']:.0f})"
                + end for r, end in ((low, " to"), (high, ".")))]))
    return " ".join(parts) or "No key characteristic is available for the regions of this run."


# --- 2. joint challenges ------------------------------------------------------------------

def agreement_sentence(data: SummaryReport) -> str:
    """How often the data-driven verdicts agree with the published listings, beside chance."""
    counts = data.tables["agreement"]
    agree, disagree, unknown = (int(counts[c].sum()) for c in ("agree", "disagree", "insufficient_data"))
    stats = compare.agreement_statistics(data.tables["challenge_matrix"])
    sentence = (f"Of the {agree + disagree} region-challenge pairs with a yes/no verdict from the data, "
                f"{agree} agree with the Summary Report and {disagree} disagree; {unknown} pairs have "
                f"insufficient data for a verdict.")
    if not stats["pairs"]:
        return sentence
    chance = stats["expected"] * stats["pairs"]
    return (f"{sentence} Chance alone, with each side saying yes as often as it does, would give "
            f"{fmt_number(chance, 1)} agreements; Cohen's kappa is {fmt_number(stats['kappa'], 2)}, "
            f"that is {compare.kappa_words(stats['kappa'])}. The rules were set on "
            f"the distribution of all EU-27 NUTS 2 regions, not on these published listings, so "
            f"this is an independent check, not a fit.")


def calibration_sentence(data: SummaryReport) -> str:
    """How the rules were calibrated, with the shares of EU NUTS 2 regions each flags."""
    table = data.tables["calibration"]
    if table.empty:
        return "The calibration of the rules on EU-27 NUTS 2 regions is not available."
    shares = "; ".join(f"{escape(r.label)} {fmt_number(r.indicated_pct, 0)}%" for r in table.itertuples())
    return (f"Each rule places a region among all EU-27 NUTS 2 regions (weakest third on at least "
            f"k of n indicators). Run on every EU-27 NUTS 2 region with a verdict, the rules flag: "
            f"{shares}. The thresholds were chosen so that each rule flags between 15% and 60% of "
            f"them, never by comparison with the ten published listings.")


def _baselines(data: SummaryReport) -> str:
    years = sorted({int(y) for y in data.tables["convergence"]["baseline_year"].dropna()})
    return ", ".join(map(str, years)) or "no baseline"


# --- 3. peer learning ---------------------------------------------------------------------

def groups_sentence(data: SummaryReport) -> str:
    """The similarity groups in words."""
    groups = data.tables["similarity_groups"]
    if groups.empty:
        return "No region of this run has an assessment result, so no groups can be formed."
    members = groups.groupby("group")["region"].apply(lambda r: ", ".join(data.names[x] for x in r))
    indicators = data.tables["indicators"]
    labels = dict(zip(indicators["id"], indicators["label"]))
    used = compare.structural_features(indicators, list(data.assessments))
    features = ", ".join(escape(labels.get(f, f)) for f in used) or "no common characteristic"
    return (f"On z-scored structural characteristics that every region has for the same year "
            f"({features}) the {len(groups)} regions form {len(members)} group(s): "
            + "; ".join(f"group {g}: {escape(m)}" for g, m in members.items()) + ".")


# --- 4. lessons along the five steps and the World Café themes ----------------------------

def steps_sentence(data: SummaryReport) -> str:
    """How many measures are proposed, how many work through clusters, and the most proposed per step."""
    steps, measures = data.tables["steps"], data.tables["measures_by_step"]
    total, clustered = int(steps["proposed"].sum()), int(steps["with_clusters"].sum())
    if not total:
        return "No region of this run has a proposals result."
    top = measures.drop_duplicates("step")
    return (f"The {len(data.proposals)} regions' proposals hold {total} measures, of which {clustered} "
            f"({fmt_number(100 * clustered / total, 0)}%) work through clusters (title or instruments name "
            f"clusters). Most proposed per step: "
            + "; ".join(f"{escape(r.step_label)}: '{escape(r.title)}' ({r.n_regions} regions)"
                        for r in top.itertuples()) + ".")


def _proposals_source(data: SummaryReport) -> str:
    return f"workbench proposals of {len(data.proposals)} regions ({'; '.join(data.vintages) or 'no results'})"


def themes_sentence() -> str:
    """Which World Café themes have indicators in the snapshot, said plainly for those without."""
    without = [t for t, ids in compare.THEMES.items() if not ids]
    return ("The World Café sessions of the Joint Peer Review (Turin, 4 April 2019) discussed "
            + ", ".join(compare.THEMES) + "."
            + "".join(f" The data snapshot holds no {t} indicator, so that theme cannot be compared "
                      f"across regions with data here." for t in without))


# --- 5. exports ---------------------------------------------------------------------------

EXPORTS = ("run_status", "characteristics", "challenge_matrix", "published_lists", "agreement",
           "calibration", "disagreements", "peer_pairs", "similarity_groups", "measures_by_step", "steps", "themes")


def export_tables(data: SummaryReport) -> list[Path]:
    """Write each summary table as `<reports_dir>/summary_<name>.csv` (atomically) and return the paths."""
    return [write_atomic(data.reports_dir / f"summary_{name}.csv", data.tables[name].to_csv(index=False))
            for name in EXPORTS]


