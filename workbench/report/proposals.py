"""The proposals report: one method per cell of `notebooks/proposals.ipynb`.

`load` reads the region's assessment result and profile and builds the plan
(`workbench.analysis.proposals.build_plan`); it fails loudly on invalid overrides. Each method of
the returned `ProposalsReport` displays one text, table or figure with its source line and
returns nothing, so no object repr leaks into the report; `write_result` (the last cell) writes
the proposals result document. The builders they use (`strategy_text`, `roadmap_table`,
`measure_markdown`, `timeline_figure`, `kpi_table`, …) return plain values for tests.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from workbench import paths, templates
from workbench.analysis import proposal_evidence as ev
from workbench.analysis import proposals as ap
from workbench.concepts import STEP_IDS, STEPS, step
from workbench.data import SnapshotError, load_snapshot
from workbench.data.protocol import Snapshot
from workbench.regions import load_profile
from workbench.report.base import Report
from workbench.report.style import PALETTE, escape, fmt_number, show_figure, show_table, source_line, subplots
from workbench.results import read_result, result_path, write_result

STEP_COLOURS = dict(zip(STEP_IDS, PALETTE))
N_STRONG_SECTORS = 3   # strongest clusters in the five-line strategy (the paragraph names up to 5)
N_SHOWN = 5  # measures shown as cards; the others are folded (the page stays short)
N_LAGGING = 2          # weakest dimensions in the five-line strategy
N_WEAK_DIMENSIONS = 3  # weakest dimensions in the paragraph


def load_plan(region_id: str, reports_dir: str | Path) -> ap.ProposalPlan:
    """The region's proposal plan from its assessment result and profile."""
    envelope = read_result(result_path(paths.reports_dir(reports_dir), region_id, "assessment"), "assessment")
    return ap.build_plan(envelope["payload"], load_profile(region_id), catalogue=templates.load_catalogue(),
                         snapshot=available_snapshot(), data_vintage=envelope.get("data_vintage", ""))


def available_snapshot() -> Snapshot | None:
    """The data snapshot, or None when it has not been built (the plan then names no peers' values)."""
    try:
        return load_snapshot()
    except SnapshotError:
        return None


def load(region_id: str, reports_dir: str | Path) -> ProposalsReport:
    """The proposals report of a region: its plan, built once from its assessment result."""
    return ProposalsReport(load_plan(region_id, reports_dir), paths.reports_dir(reports_dir))


@dataclass
class ProposalsReport(Report):
    """The region's proposal plan and what the notebook shows of it, one method per cell."""

    plan: ap.ProposalPlan
    reports_dir: Path

    def title(self) -> None:
        display(Markdown(f"# Proposed measures: {escape(self.plan.region['name'])}, "
                         f"{self.plan.horizon.start}-{self.plan.horizon.end}"))

    def five_lines(self) -> None:
        display(Markdown("\n".join(f"{i}. {line}" for i, line in enumerate(strategy_lines(self.plan), 1))))
        display(Markdown(source_line(_evidence_sources(self.plan))))

    def measures(self) -> None:
        """The `N_SHOWN` first measures (by priority) as cards; the others folded under one summary."""
        cards = [measure_markdown(self.plan, p, i) for i, p in enumerate(self.plan.measures, 1)]
        folded = ""
        if len(cards) > N_SHOWN:
            folded = (f"<details class='wb-appendix'><summary>Measures {N_SHOWN + 1}-{len(cards)}: "
                      + escape("; ".join(p.measure.title for p in self.plan.measures[N_SHOWN:]))
                      + "</summary>\n\n" + "\n\n".join(cards[N_SHOWN:]) + "\n\n</details>")
        display(Markdown("\n\n".join([*cards[:N_SHOWN], folded])))

    def timeline(self) -> None:
        show_figure(timeline_figure(self.plan), "; ".join(_plan_sources(self.plan)) + ". P = priority (1 highest).")

    def strategy(self) -> None:
        display(Markdown(escape(strategy_text(self.plan))))
        display(Markdown(source_line(_evidence_sources(self.plan))))

    def roadmap(self) -> None:
        show_table(roadmap_table(self.plan), _plan_sources(self.plan))

    def kpis(self) -> None:
        table, sources = kpi_table(self.plan)
        name = self.plan.region["name"]
        show_table(table, [f"values of {name}"] + [f"[{i}] {s}" for i, s in enumerate(sources, 1)]
                   + [f"target rules: proposals method note, as applied to {name}"])

    def instruments(self) -> None:
        table, sources = instruments_table(self.plan)
        show_table(table, [f"instruments named for {self.plan.region['name']}"]
                   + [f"[{i}] {s}" for i, s in enumerate(sources, 1)]
                   + [f"status checked in {self.plan.run_year}; 2014-2020 instruments appear only as history "
                      "in the appendix"])

    def context(self) -> None:
        display(Markdown(context_markdown(self.plan)))

    def selection_rule(self) -> None:
        name = self.plan.region["name"]
        display(Markdown(escape(selection_rule_text(self.plan))))
        display(Markdown(source_line([f"rules: proposals method note of the workbench ({name})",
                                      f"challenge verdicts: {name}'s assessment",
                                      f"EOCIC findings: {name}'s profile"])))

    def measure_descriptions(self) -> None:
        display(Markdown(catalogue_appendix(self.plan)))

    def write_result(self) -> None:
        """Write the region's `proposals` result document and say so."""
        plan, region_id = self.plan, self.plan.region["id"]
        write_result(result_path(self.reports_dir, region_id, "proposals"), "proposals", region_id,
                     plan.payload(strategy_text(plan)), plan.data_vintage)
        display(Markdown(f"The {len(plan.measures)} measures of {escape(plan.region['name'])} are saved as the "
                         "structured proposals result that the summary report reads."))


# ---- texts ------------------------------------------------------------------------------------

def strongest_clusters(plan: ap.ProposalPlan) -> list[ev.Cluster]:
    return ev.strongest(list(plan.clusters))


def emerging_clusters(plan: ap.ProposalPlan) -> list[ev.Cluster]:
    return ev.emerging(plan.assessment, list(plan.clusters))


def weak_dimensions(plan: ap.ProposalPlan) -> list[ev.DimensionStanding]:
    return ev.weakest_dimensions(plan.assessment, N_WEAK_DIMENSIONS)


def dimension_measure(plan: ap.ProposalPlan, dimension: ev.DimensionStanding) -> ap.ProposedMeasure | None:
    """The best-placed proposed measure whose indicators include one behind the dimension."""
    return next((p for p in plan.measures
                 if {k.indicator for k in p.kpis} & set(dimension.indicators)
                 or {k.label for k in p.kpis} & set(dimension.indicators)), None)


def strategy_lines(plan: ap.ProposalPlan) -> list[str]:
    """The strategy in five lines (markdown, data escaped): build on, grow, fix, priorities,
    horizon and funding."""
    e = escape
    name = e(plan.region["name"])
    strong = strongest_clusters(plan)[:N_STRONG_SECTORS]
    growing = emerging_clusters(plan)
    weak = weak_dimensions(plan)
    top = [p for p in plan.measures if p.priority == min(q.priority for q in plan.measures)] if plan.measures else []
    funds = sorted({i.name.split(" (")[0] for p in plan.measures for i in p.funding if i.period != "2021-2027"})
    return [
        f"**Build on** {name}'s strongest traded clusters: "
        + ("; ".join(f"{e(_lower_first(c.label))} ({c.employment:,.0f} jobs, {c.stars} of 3 stars)" for c in strong)
           if strong else e(ev.unrated_text(plan.assessment, "no traded cluster earns a star in the data"))) + ".",
        "**Grow** " + ("; ".join(f"{e(_lower_first(c.label))} ({c.growth_pct:+.1f} % a year, {c.growth_years})"
                                 for c in growing) if growing else
                  "no traded cluster's growth can be measured without sector data" if plan.assessment.get("sector_gap")
                  else f"no emerging traded cluster of {name} is visible in the data") + ".",
        f"**Fix** {name}'s weakest dimensions: " + ("; ".join(e(d.text()) for d in weak[:N_LAGGING])
                                                     if weak else "no dimension has a score") + ".",
        f"**First**, at priority {top[0].priority if top else '-'}: "
        + "; ".join(e(_lower_first(p.measure.title)) for p in top[:4])
        + (f" and {len(top) - 4} more" if len(top) > 4 else "") + ".",
        f"**When and with what** for {name}: {plan.horizon.start}-{plan.horizon.end}, from the run year {plan.run_year}; "
        + (e(", ".join(funds)) + " (proposed for 2028-2034, not adopted)" if funds else "no instrument of that period yet") + ".",
    ]


def selection_rule_text(plan: ap.ProposalPlan) -> str:
    """The selection, ranking and target rules as they apply to this region, with its numbers."""
    name = plan.region["name"]
    weights = "; ".join(f"{w.label}: {w.evidence}, weight {w.weight}" for w in plan.challenges if w.weight)
    origins = {o: sum(p.origin == o for p in plan.measures) for o in ("always", "coverage", "ranked", "added")}
    top = max((p.score for p in plan.measures), default=0)
    results = [k for p in plan.measures for k in p.results]
    capped = sum("decile" in k.rule for k in results)
    peers = sum("best peer" in k.rule for k in results)
    return (
        f"{name}'s list holds {len(plan.measures)} of the {len(plan.catalogue.measures)} measures of the catalogue: "
        f"{origins['always']} monitoring measures every region gets, {origins['coverage']} chosen as the best "
        f"measure for one of {name}'s challenges, {origins['ranked']} ranked by score and {origins['added']} "
        f"added by the consultant, up to {ap.MAX_MEASURES} in all. "
        f"Challenge weights for {name} (a measure scores the sum over the challenges it addresses): "
        f"{weights or 'no challenge is indicated or listed'}. "
        f"{name}'s top score is {top}, which gives priority 1; lower scores get priorities down to 5 in "
        f"proportion, ties broken by the number of result indicators behind the EU-27 reference. "
        f"Of {name}'s {len(results)} result targets, {len(results) - peers} close {ap.GAP_SHARE} of the gap to the "
        f"EU-27 reference or grow by {ap.IMPROVEMENT:.0%}, {peers} aim at the best peer, and {capped} stop at the "
        f"best EU-27 decile. Overrides in {name}'s profile: {overrides_summary(plan)}."
    )


def overrides_summary(plan: ap.ProposalPlan) -> str:
    """The overrides the profile sets, e.g. 'added a, b; dropped c; 2 priorities'."""
    o = plan.overrides
    parts = [f"added {', '.join(o.add)}" if o.add else "", f"dropped {', '.join(o.drop)}" if o.drop else "",
             f"{len(o.priority)} priorities" if o.priority else "", f"{len(o.timing)} timings" if o.timing else "",
             f"{len(o.targets)} targets" if o.targets else "",
             f"{sum(map(len, o.outputs.values()))} output targets" if o.outputs else "",
             f"horizon {o.horizon.start}-{o.horizon.end}" if o.horizon != ap.DEFAULT_HORIZON else ""]
    return "; ".join(filter(None, parts)) or "none"


def strategy_text(plan: ap.ProposalPlan) -> str:
    """The proposed strategy in one paragraph: challenges, strongest and emerging traded clusters,
    weakest dimensions with numbers, and the priorities derived from them."""
    return " ".join(filter(None, (_challenge_sentence(plan), _sector_sentence(plan), _dimension_sentence(plan),
                                  _priority_sentence(plan), _measures_sentence(plan))))


def _challenge_sentence(plan: ap.ProposalPlan) -> str:
    name = plan.region["name"]
    present = [w for w in plan.challenges if w.weight]
    unclear = [w.label for w in plan.challenges if w.verdict == "insufficient_data" and not w.published]
    text = (f"{name} faces {len(present)} of the five joint challenges of the EOCIC pilot regions: "
            + "; ".join(f"{_lower_first(w.label)} ({w.evidence})" for w in present) + "."
            if present else f"Neither the data nor the EOCIC findings point to a joint challenge for {name}.")
    if unclear:
        text += f" The data are insufficient to test for {name}: {'; '.join(_lower_first(u) for u in unclear)}."
    return text


def _sector_sentence(plan: ap.ProposalPlan) -> str:
    name = plan.region["name"]
    strong = strongest_clusters(plan)
    source = plan.assessment.get("sector_source", "")
    if plan.assessment.get("sector_gap"):
        return ev.sentence(ev.unrated_text(plan.assessment, ""))
    if not strong:
        return f"No traded sector of {name} earns a cluster star in the data ({source})." if source else ""
    text = f"{name}'s strongest traded clusters are " + "; ".join(c.text() for c in strong) + f" ({source})."
    growing = emerging_clusters(plan)
    if growing:
        text += f" Emerging in {name}: " + "; ".join(c.text() for c in growing) + "."
    return text


def _dimension_sentence(plan: ap.ProposalPlan) -> str:
    weak = weak_dimensions(plan)
    if not weak:
        return ""
    return (f"Among the scoreboard dimensions with data, {plan.region['name']} is weakest on "
            + "; ".join(d.text() for d in weak) + ".")


def _priority_sentence(plan: ap.ProposalPlan) -> str:
    """Which proposed measure answers each weak dimension and builds on the strongest clusters."""
    name = plan.region["name"]
    parts = []
    for d in weak_dimensions(plan):
        measure = dimension_measure(plan, d)
        if measure:
            parts.append(f"{_lower_first(d.label)} through {_lower_first(measure.measure.title)} "
                         f"(priority {measure.priority})")
        else:
            fit = next((m for m in plan.catalogue.measures if set(m.kpis) & set(d.indicators)), None)
            parts.append(f"{_lower_first(d.label)}, which no proposed measure moves yet"
                         + (f" (the consultant may add {_lower_first(fit.title)})" if fit else ""))
    strong = strongest_clusters(plan)[:2]
    cluster_measures = [p for p in plan.measures if p.regional and {c.nace for c in strong} & {c.nace for c in p.regional.clusters}]
    if strong and cluster_measures:
        parts.append(f"{' and '.join(_lower_first(c.label) for c in strong)} through "
                     f"{_lower_first(cluster_measures[0].measure.title)} (priority {cluster_measures[0].priority})")
    return f"Hence {name}'s priorities: " + "; ".join(parts) + "." if parts else ""


def _measures_sentence(plan: ap.ProposalPlan) -> str:
    if not plan.measures:
        return ""
    steps = len({p.measure.step for p in plan.measures})
    return (f"{plan.region['name']}'s proposal sets out {len(plan.measures)} measures over {steps} of the five "
            f"transition steps, {plan.horizon.start}-{plan.horizon.end}, with clusters as catalysts.")


def _evidence_sources(plan: ap.ProposalPlan) -> list[str]:
    return [f"{plan.region['name']}'s assessment ({plan.data_vintage or 'data vintage not recorded'})",
            plan.assessment.get("sector_source", ""), f"scoreboard of {plan.region['name']} and its peers",
            f"EOCIC findings in {plan.region['name']}'s profile"]


# ---- roadmap and measures ---------------------------------------------------------------------

def roadmap_table(plan: ap.ProposalPlan) -> pd.DataFrame:
    """One row per measure along the five steps: step, measure, priority, years, challenges, funding."""
    rows = [{"Step": f"{STEP_IDS.index(p.measure.step) + 1}. {step(p.measure.step).label}",
             "Measure": p.measure.title, "Priority": p.priority, "Years": f"{p.start}-{p.end}",
             "Challenges addressed": "; ".join(w.label for w in plan.challenges if w.id in p.measure.challenges)
             or "all (monitoring backbone)",
             f"Funding {plan.horizon.start}-{plan.horizon.end}": "; ".join(i.name.split(" (")[0] for i in p.funding)}
            for p in _by_step(plan)]
    return pd.DataFrame(rows)


def _by_step(plan: ap.ProposalPlan) -> list[ap.ProposedMeasure]:
    return sorted(plan.measures, key=lambda p: (STEP_IDS.index(p.measure.step), p.start, p.priority))


def _plan_sources(plan: ap.ProposalPlan) -> list[str]:
    return ["measures catalogue of the workbench", f"timing and priority rules applied to {plan.region['name']}",
            f"overrides: {plan.region['name']}'s profile",
            "five steps: EOCIC Summary Report on Policy Lessons Learnt (2019)",
            "instruments: see the table of instruments below"]


def measure_markdown(plan: ap.ProposalPlan, proposed: ap.ProposedMeasure, number: int) -> str:
    """One measure, led by its regional part; the catalogue's generic text is in the appendix."""
    m = proposed.measure
    e = escape
    regional = proposed.regional
    name = plan.region["name"]
    lines = [
        f"### {number}. {e(m.title)}",
        f"**{e(name)}, {proposed.start}-{proposed.end}, priority {proposed.priority}** "
        f"({e(step(m.step).label)}).",
    ]
    if regional is not None:
        lines += [f"**Clusters:** {e(regional.texts['clusters'])}", f"**Gaps:** {e(regional.texts['gaps'])}"]
    detail = ([f"**Peers:** {e(regional.texts['peers'])}", f"**Why here, why this rank:** {e(regional.texts['why'])}"]
              if regional is not None else []) + [
        f"**Outputs for {e(name)}:** " + e("; ".join(_output_text(o) for o in proposed.outputs)) + ".",
        f"**Results for {e(name)}:** " + e("; ".join(_result_text(k) for k in proposed.results)
                                           or "no result indicator with data") + ".",
        f"**Actors in {e(name)}:** {e(_actors_text(plan))}"]
    lines.append(f"<details class='wb-appendix'><summary>Peers, why this rank, outputs, results and actors</summary>\n\n"
                 + "\n\n".join(detail) + "\n\n</details>")
    sources = [k.source for k in proposed.results if k.source]
    if sources:
        lines.append(source_line([f"values of {name}: {sources[0]}", *dict.fromkeys(sources[1:])]))
    return "\n\n".join(lines)


def _output_text(output: ap.OutputRow) -> str:
    return f"{output.label}: {fmt_number(output.target, 0)}" if output.target is not None else f"{output.label}: target to be set by the consultant"


def _result_text(row: ap.KpiRow) -> str:
    if row.baseline is None:
        return f"{_lower_first(row.label)}: no baseline in the data"
    digits = _digits(row.baseline, row.target)
    target = (f"target {fmt_number(row.target, digits)} by {row.target_year} ({row.rule})"
              if row.target is not None else row.rule)
    return f"{_lower_first(row.label)} from {fmt_number(row.baseline, digits)} in {row.baseline_year}, {target}"


def _actors_text(plan: ap.ProposalPlan) -> str:
    context = plan.context
    named = [*context.agencies_programmes] if context else []
    if not named:
        return (f"{plan.region['name']}'s profile names no agency or programme yet; the consultant should add "
                "the lead agency and the programme that would run this measure, with sources.")
    return "; ".join(ev.entry_text(e) for e in named) + "."


def catalogue_appendix(plan: ap.ProposalPlan) -> str:
    """What each measure is (the catalogue's generic text), each in a collapsed block."""
    blocks = []
    for number, p in enumerate(plan.measures, 1):
        m = p.measure
        e = escape
        history = "; ".join(plan.instrument_names(m))
        body = "\n\n".join([
            f"**Description.** {e(m.description)}", f"**Role of clusters.** {e(m.cluster_role)}",
            f"**Benefits and costs.** Benefits: {e(m.benefits)} Costs: {e(m.costs)}", f"**Risks.** {e(m.risks)}",
            f"**Typical lead actors:** {e(', '.join(m.actors))}.",
            f"**History:** in 2014-2020 the EU supported this through {e(history)}.",
            source_line(_source_text(plan.catalogue.source(s)) for s in m.sources)])
        blocks.append(f"<details><summary>{number}. {e(m.title)}</summary>\n\n{body}\n\n</details>")
    return "\n\n".join(blocks)


def _source_text(source: ap.Source) -> str:
    return f"{source.citation}, {source.url}" if source.url else source.citation


def instruments_table(plan: ap.ProposalPlan) -> tuple[pd.DataFrame, list[str]]:
    """The instruments the plan names for its horizon: period, status, measures, source."""
    used: dict[str, list[str]] = {}
    for p in plan.measures:
        for i in p.funding:
            used.setdefault(i.id, []).append(p.measure.title)
    sources: list[str] = []
    rows = []
    for instrument_id, titles in used.items():
        i = plan.catalogue.instrument(instrument_id)
        source = _source_text(plan.catalogue.source(i.source))
        if source not in sources:
            sources.append(source)
        rows.append({"Instrument": i.name, "Programme": i.programme, "Period": i.period, "Status": i.status,
                     "Measures": len(titles), "Source": f"[{sources.index(source) + 1}]"})
    return pd.DataFrame(rows, columns=["Instrument", "Programme", "Period", "Status", "Measures", "Source"]), sources


CONTEXT_FIELDS = {"s3_domains": "smart-specialisation priority domains", "cluster_organisations": "cluster organisations",
                  "agencies_programmes": "agencies and programmes",
                  "just_transition_territories": "Just Transition territories",
                  "eocic_recommendations": "EOCIC recommendations already given"}


def context_markdown(plan: ap.ProposalPlan) -> str:
    """The consultant's context used in the measures, with sources; what is missing."""
    name = plan.region["name"]
    context = plan.context
    lines, missing = [], []
    for field, label in CONTEXT_FIELDS.items():
        entries = getattr(context, field) if context else ()
        if not entries:
            missing.append(label)
            continue
        lines.append(f"**{label[:1].upper() + label[1:]} ({escape(name)}).** "
                     + " ".join(f"{escape(ev.entry_text(e))} [source: {escape(e.source)}]." for e in entries))
    if missing:
        lines.append(f"**For the consultant to add to {escape(name)}'s profile, each with its source:** "
                     f"{escape(', '.join(missing))}.")
    return "\n\n".join(lines)


# ---- timeline ---------------------------------------------------------------------------------

def timeline_figure(plan: ap.ProposalPlan) -> Figure:
    """Gantt-style chart: one bar per measure over its years, coloured by step."""
    ordered = _by_step(plan)
    fig, ax = subplots(figsize=(9, 0.42 * len(ordered) + 1.8))
    for y, p in enumerate(ordered):
        ax.barh(y, p.end - p.start + 1, left=p.start, height=0.6, color=STEP_COLOURS[p.measure.step])
        ax.text(p.start + 0.08, y, f"P{p.priority}", va="center", ha="left", fontsize=8, color="white",
                fontweight="bold")
    ax.set_yticks(range(len(ordered)), [textwrap.fill(p.measure.title, 44) for p in ordered], fontsize=9)
    ax.invert_yaxis()
    years = range(plan.horizon.start, plan.horizon.end + 1)
    ax.set_xticks([y + 0.5 for y in years], [str(y) for y in years])   # labels centred in their year
    ax.set_xticks(range(plan.horizon.start, plan.horizon.end + 2), minor=True)
    ax.tick_params(axis="x", which="both", length=0)
    ax.set_xlim(plan.horizon.start, plan.horizon.end + 1)
    ax.grid(False)
    ax.grid(axis="x", which="minor", visible=True)
    ax.set_title(f"Timeline of the proposed measures, {plan.horizon.start}-{plan.horizon.end}", loc="left")
    used = [s for s in STEPS if any(p.measure.step == s.id for p in ordered)]
    ax.legend(handles=[Patch(color=STEP_COLOURS[s.id], label=s.label) for s in used],
              loc="upper center", bbox_to_anchor=(0.4, -0.06), ncol=2, fontsize=8)
    return fig


# ---- KPIs -------------------------------------------------------------------------------------

def kpi_table(plan: ap.ProposalPlan) -> tuple[pd.DataFrame, list[str]]:
    """Per measure: its output indicators (consultant's targets) and result indicators (baseline,
    reference, target and rule), and the numbered list of the baselines' sources."""
    sources: list[str] = []
    rows = []
    for p in plan.measures:
        for o in p.outputs:
            rows.append({"Measure": p.measure.title, "Kind": "output", "Indicator": o.label, "Baseline": "–",
                         "Year": "–", "EU-27": "–", "Target": fmt_number(o.target, 0) if o.target is not None
                         else "to be set", "Target year": str(p.end), "Target rule": "set by the consultant",
                         "Source": "–"})
        for k in p.results:
            if k.source and k.source not in sources:
                sources.append(k.source)
            digits = _digits(k.baseline, k.eu, k.target)
            rows.append({
                "Measure": p.measure.title, "Kind": "result", "Indicator": k.label,
                "Baseline": fmt_number(k.baseline, digits) if k.baseline is not None else "missing",
                "Year": _year(k.baseline_year), "EU-27": fmt_number(k.eu, digits), "Target": fmt_number(k.target, digits),
                "Target year": _year(k.target_year), "Target rule": k.rule,
                "Source": f"[{sources.index(k.source) + 1}]" if k.source else "–",
            })
    columns = ["Measure", "Kind", "Indicator", "Baseline", "Year", "EU-27", "Target", "Target year", "Target rule",
               "Source"]
    return pd.DataFrame(rows, columns=columns), sources


# ---- helpers ----------------------------------------------------------------------------------

def _year(year: int | None) -> str:
    return "–" if year is None else str(year)


def _digits(*values: float | None) -> int:
    """Decimals for numbers shown side by side: 2 below 10, 1 below 1,000, else 0 (by the largest)."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    return 2 if largest < 10 else 1 if largest < 1000 else 0


def _lower_first(text: str) -> str:
    """Lower-case the first letter for use inside a sentence, unless the first word is an acronym."""
    word = text.split(" ", 1)[0]
    return text if len(word) > 1 and word[1].isupper() else text[:1].lower() + text[1:]


