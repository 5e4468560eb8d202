"""The proposals report: one function per cell of `notebooks/proposals.ipynb`.

`load_plan` reads the region's assessment result and profile and builds the plan
(`workbench.analysis.proposals.build_plan`); it fails loudly on invalid overrides. Each `show_*`
function displays one text, table or figure with its source line and returns nothing, so no
object repr leaks into the report. The builders they use (`strategy_text`, `roadmap_table`,
`measure_markdown`, `timeline_figure`, `kpi_table`, …) return plain values for tests.
"""
from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from workbench import paths
from workbench.analysis import proposals as ap
from workbench.concepts import STEP_IDS, STEPS, step
from workbench.regions import load_profile
from workbench.report.style import PALETTE, escape, fmt_number, show_figure, show_table, source_line, subplots
from workbench.results import read_result, result_path, write_result

STEP_COLOURS = dict(zip(STEP_IDS, PALETTE))
RULES_DOC = "docs/methods-proposals.md"
MIN_STAR_SECTORS = 1   # EOCIC stars a sector needs to be named among the strongest
N_STRONG_SECTORS = 3
N_LAGGING = 2



def load_plan(region_id: str, reports_dir: str | Path) -> ap.ProposalPlan:
    """The region's proposal plan from its assessment result and profile."""
    envelope = read_result(result_path(paths.reports_dir(reports_dir), region_id, "assessment"), "assessment")
    return ap.build_plan(envelope["payload"], load_profile(region_id), snapshot=ap.available_snapshot(),
                         data_vintage=envelope.get("data_vintage", ""))


# ---- texts ------------------------------------------------------------------------------------

def show_title(plan: ap.ProposalPlan) -> None:
    display(Markdown(f"# Proposed measures: {escape(plan.region['name'])}"))


def selection_rule_text(plan: ap.ProposalPlan) -> str:
    """The selection and ranking rule with its parameters and the region's challenge weights."""
    weights = "; ".join(f"{w.label}: {w.evidence}, weight {w.weight}" for w in plan.challenges if w.weight)
    backbone = ", ".join(f"'{m.title}'" for m in plan.catalogue.measures if m.always)
    return (
        f"Measures come from a catalogue of {len(plan.catalogue.measures)} measures grounded in the EOCIC "
        "newsletter no. 3 (2019) and the RIS3 guidance on monitoring. For each joint challenge it addresses, "
        f"a measure scores {ap.WEIGHT_BOTH} when the assessment's data-driven verdict and the published "
        f"EOCIC finding both name the challenge for the region, {ap.WEIGHT_ONE} when only one of them does, "
        f"and 0 otherwise. The list holds the monitoring backbone ({backbone}); then, for each of the "
        "region's challenges, the best measure dedicated to that challenge alone; then the best remaining "
        f"measures with a positive score, up to {ap.MAX_MEASURES} measures. Ties are broken by the number of "
        "the measure's KPIs whose baseline is worse than the EU-27 value, then by the order of the five "
        f"steps. Priority {ap.ALWAYS_PRIORITY} goes to the backbone; other measures get priority 1 (top "
        "score) to 5 in proportion to their score. The consultant's overrides in "
        f"{plan.profile_file} (add, drop, priority, timing, targets, horizon) apply last; "
        f"here: {overrides_summary(plan)}. "
        f"Weights for {plan.region['name']}: {weights or 'no challenge is indicated or listed'}."
    )


def overrides_summary(plan: ap.ProposalPlan) -> str:
    """The overrides the profile sets, e.g. 'added a, b; dropped c; 2 priorities'."""
    o = plan.overrides
    parts = [f"added {', '.join(o.add)}" if o.add else "", f"dropped {', '.join(o.drop)}" if o.drop else "",
             f"{len(o.priority)} priorities" if o.priority else "", f"{len(o.timing)} timings" if o.timing else "",
             f"{len(o.targets)} targets" if o.targets else "",
             f"horizon {o.horizon.start}-{o.horizon.end}" if o.horizon != ap.DEFAULT_HORIZON else ""]
    return "; ".join(filter(None, parts)) or "none"


def show_selection_rule(plan: ap.ProposalPlan) -> None:
    display(Markdown(escape(selection_rule_text(plan))))
    display(Markdown(source_line([f"rules: {RULES_DOC}", f"catalogue: {ap.display_path(ap.CATALOGUE_PATH)}",
                                  "challenge verdicts: assessment result", f"EOCIC findings: {plan.profile_file}"])))


def strategy_text(plan: ap.ProposalPlan) -> str:
    """The proposed strategy in one paragraph, from the region's challenges, sectors and indicators."""
    return " ".join(filter(None, (_challenge_sentence(plan), _sector_sentence(plan),
                                  _indicator_sentence(plan), _measures_sentence(plan))))


def _challenge_sentence(plan: ap.ProposalPlan) -> str:
    name = plan.region["name"]
    present = [w for w in plan.challenges if w.weight]
    unclear = [w.label for w in plan.challenges if w.verdict == "insufficient_data" and not w.published]
    text = (f"{name} faces {len(present)} of the five joint challenges of the EOCIC pilot regions: "
            + "; ".join(f"{_lower_first(w.label)} ({w.evidence})" for w in present) + "."
            if present else f"Neither the data nor the EOCIC findings point to a joint challenge for {name}.")
    if unclear:
        text += f" The data are insufficient to test: {'; '.join(_lower_first(u) for u in unclear)}."
    return text


def _sector_sentence(plan: ap.ProposalPlan) -> str:
    sectors = [s for s in plan.assessment.get("sectors", [])
               if ((s.get("stars") or {}).get("eocic") or 0) >= MIN_STAR_SECTORS]
    source = plan.assessment.get("sector_source", "")
    if not sectors:
        return f"No sector earns an EOCIC cluster star in the data ({source})." if source else ""
    sectors.sort(key=lambda s: (-s["stars"]["eocic"], -(s.get("employment") or 0)))
    named = ", ".join(f"{s.get('label') or s.get('nace')} ({s['stars']['eocic']} of 3 stars)"
                      for s in sectors[:N_STRONG_SECTORS])
    return f"Its strongest sectors by EOCIC cluster stars, the base for cluster-led measures, are {named} ({source})."


def _relative_gap(row: ap.KpiRow) -> float:
    """How far the baseline is from the EU-27 value, as a share of it (positive = worse)."""
    sign = 1 if row.direction == "higher_better" else -1
    return sign * (row.eu - row.baseline) / abs(row.eu)


def key_kpis(plan: ap.ProposalPlan) -> tuple[list[ap.KpiRow], list[ap.KpiRow]]:
    """The KPIs furthest behind the EU-27 value (up to `N_LAGGING`) and the one furthest ahead."""
    rows = {k.indicator: k for p in plan.measures for k in p.kpis
            if k.baseline is not None and k.eu and k.direction in ("higher_better", "lower_better")}
    ordered = sorted(rows.values(), key=_relative_gap, reverse=True)
    return [k for k in ordered if _relative_gap(k) > 0][:N_LAGGING], [k for k in ordered if _relative_gap(k) < 0][-1:]


def _indicator_sentence(plan: ap.ProposalPlan) -> str:
    lagging, leading = key_kpis(plan)
    parts = []
    if lagging:
        parts.append("it lags the EU-27 most on " + " and ".join(_compare(k) for k in lagging))
    if leading:
        parts.append("it leads on " + _compare(leading[0]))
    return ("Among the indicators the measures should move, " + "; ".join(parts) + ".") if parts else ""


def _compare(row: ap.KpiRow) -> str:
    digits = _digits(row.baseline, row.eu)
    return (f"{_lower_first(row.label)} ({fmt_number(row.baseline, digits)} in {row.baseline_year} "
            f"against {fmt_number(row.eu, digits)} for the EU-27)")


def _measures_sentence(plan: ap.ProposalPlan) -> str:
    if not plan.measures:
        return ""
    first = next((p for p in plan.measures if p.measure.step == "understand"), plan.measures[0])
    focus = [_lower_first(p.measure.title) for p in plan.measures if p.origin != "always" and p is not first][:2]
    monitor = [_lower_first(p.measure.title) for p in plan.measures if p.origin == "always" and p is not first]
    steps = len({p.measure.step for p in plan.measures})
    text = (f"The proposal sets out {len(plan.measures)} measures over {steps} of the five transition steps "
            f"({plan.horizon.start}-{plan.horizon.end}), with clusters as catalysts: it starts from "
            f"{_lower_first(first.measure.title)}")
    if focus:
        text += f", puts most weight on {' and '.join(focus)}"
    if monitor:
        text += f", and is steered by {' and '.join(monitor)}"
    return text + "."


def show_strategy(plan: ap.ProposalPlan) -> None:
    display(Markdown(escape(strategy_text(plan))))
    display(Markdown(source_line(_evidence_sources(plan))))


def _evidence_sources(plan: ap.ProposalPlan) -> list[str]:
    kpi_sources = [k.source for k in itertools.chain(*key_kpis(plan))]
    return ([f"assessment result ({plan.data_vintage or 'data vintage not recorded'})",
             plan.assessment.get("sector_source", "")] + kpi_sources + [f"EOCIC findings: {plan.profile_file}"])


# ---- roadmap and measures ---------------------------------------------------------------------

def roadmap_table(plan: ap.ProposalPlan) -> pd.DataFrame:
    """One row per measure along the five steps: step, measure, priority, years, challenges."""
    rows = [{"Step": f"{STEP_IDS.index(p.measure.step) + 1}. {step(p.measure.step).label}",
             "Measure": p.measure.title, "Priority": p.priority, "Years": f"{p.start}-{p.end}",
             "Challenges addressed": "; ".join(w.label for w in plan.challenges if w.id in p.measure.challenges)
             or "all (monitoring backbone)"}
            for p in _by_step(plan)]
    return pd.DataFrame(rows, columns=["Step", "Measure", "Priority", "Years", "Challenges addressed"])


def _by_step(plan: ap.ProposalPlan) -> list[ap.ProposedMeasure]:
    return sorted(plan.measures, key=lambda p: (STEP_IDS.index(p.measure.step), p.start, p.priority))


def show_roadmap(plan: ap.ProposalPlan) -> None:
    show_table(roadmap_table(plan), _plan_sources(plan))


def _plan_sources(plan: ap.ProposalPlan) -> list[str]:
    return [f"measures catalogue {ap.display_path(ap.CATALOGUE_PATH)}", f"timing and priority rules: {RULES_DOC}",
            f"overrides: {plan.profile_file}", "five steps: EOCIC Summary Report on Policy Lessons Learnt (2019)"]


def measure_markdown(plan: ap.ProposalPlan, proposed: ap.ProposedMeasure, number: int) -> str:
    """One recommendation in the EOCIC briefing structure; every catalogue text escaped."""
    m = proposed.measure
    e = escape
    challenges = "; ".join(w.label for w in plan.challenges if w.id in m.challenges) or "all (monitoring backbone)"
    sources = [plan.catalogue.source(s) for s in m.sources]
    lines = [
        f"### {number}. {e(m.title)}",
        f"**Step:** {e(step(m.step).label)} · **Priority:** {proposed.priority} · "
        f"**Years:** {proposed.start}-{proposed.end} · **Challenges:** {e(challenges)}",
        f"**Why for this region:** {e(proposed.reason)}.",
        f"**Description.** {e(m.description)}",
        f"**Role of clusters.** {e(m.cluster_role)}",
        f"**Benefits and costs.** Benefits: {e(m.benefits)} Costs: {e(m.costs)}",
        f"**Risks.** {e(m.risks)}",
        f"**Lead actors:** {e(', '.join(m.actors))}.",
        f"**EU instruments:** {e('; '.join(plan.instrument_names(m)))}.",
        source_line(f"{s.citation} ({s.file})" for s in sources),
    ]
    return "\n\n".join(lines)


def show_measures(plan: ap.ProposalPlan) -> None:
    display(Markdown("\n\n".join(measure_markdown(plan, p, i) for i, p in enumerate(plan.measures, 1))))


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


def show_timeline(plan: ap.ProposalPlan) -> None:
    show_figure(timeline_figure(plan), "; ".join(_plan_sources(plan)) + ". P = priority (1 highest).")


# ---- KPIs -------------------------------------------------------------------------------------

def kpi_table(plan: ap.ProposalPlan) -> tuple[pd.DataFrame, list[str]]:
    """KPI rows of every measure and the numbered list of the baselines' sources."""
    sources: list[str] = []
    rows = []
    for p in plan.measures:
        for k in p.kpis:
            if k.source and k.source not in sources:
                sources.append(k.source)
            digits = _digits(k.baseline, k.eu, k.target)
            rows.append({
                "Measure": p.measure.title, "Indicator": k.label,
                "Baseline": fmt_number(k.baseline, digits) if k.baseline is not None else "missing",
                "Year": _year(k.baseline_year), "EU-27": fmt_number(k.eu, digits), "Target": fmt_number(k.target, digits),
                "Target year": _year(k.target_year), "Target rule": k.rule,
                "Source": f"[{sources.index(k.source) + 1}]" if k.source else "–",
            })
    columns = ["Measure", "Indicator", "Baseline", "Year", "EU-27", "Target", "Target year", "Target rule", "Source"]
    return pd.DataFrame(rows, columns=columns), sources


def show_kpis(plan: ap.ProposalPlan) -> None:
    table, sources = kpi_table(plan)
    show_table(table, [f"[{i}] {s}" for i, s in enumerate(sources, 1)] + [f"targets: {RULES_DOC}"])


# ---- result document --------------------------------------------------------------------------

def save_proposals(plan: ap.ProposalPlan, reports_dir: str | Path) -> None:
    """Write reports/<id>/proposals.json and say where."""
    region_id = plan.region["id"]
    path = result_path(paths.reports_dir(reports_dir), region_id, "proposals")
    write_result(path, "proposals", region_id, plan.payload(strategy_text(plan)), plan.data_vintage)
    display(Markdown(f"{len(plan.measures)} measures written to `{escape(path.name)}` "
                     f"(result document `proposals`, read by the summary report)."))


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


