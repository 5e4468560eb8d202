"""Proposed measures for a region: the measures catalogue, selection and ranking, KPIs, timing.

The catalogue (`templates/measures.yaml`, read by `workbench.templates`) is validated on load:
unknown keys, unknown challenge, step, indicator, instrument or source ids are rejected with the measure id, the
field and the value. `build_plan` turns a region's `assessment` payload and profile into a
`ProposalPlan`: measures scored against the region's joint challenges (data-driven verdicts and
published EOCIC findings), each with its regional part (the region's traded clusters it targets,
the gaps it answers, the peers that do better, why it ranks where it does:
`workbench.analysis.proposal_evidence`), output indicators and at most two result indicators with
baselines and targets, default timing by transition step within a horizon that starts no earlier
than the run year, the EU instruments available for that horizon, and the consultant's overrides
and context. The rules are documented in docs/methods-proposals.md; the constants below are
their parameters.
"""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbench import paths
from workbench.analysis import proposal_evidence as ev
from workbench.analysis.proposal_evidence import num
from workbench.concepts import CHALLENGE_IDS, STEP_IDS, challenge, step
from workbench.data.catalogue import BY_ID, EXTENSIVE_KINDS
from workbench.data.protocol import Snapshot
from workbench.regions import (ContextEntry, ProposalOverrides, RegionContext, RegionProfile, Target,
                               Timing, profile_path)

MIN_MEASURES = 25
MAX_MEASURES = 10                    # cap of the selected list (before consultant additions)
WEIGHT_BOTH, WEIGHT_ONE = 2, 1       # data verdict and EOCIC finding agree / only one says so
GAP_SHARE = Fraction(1, 3)           # share of the gap to the EU-27 value closed by the horizon end
IMPROVEMENT = 0.05                   # relative improvement when already at or beyond the EU-27 value
ALWAYS_PRIORITY = 1                  # the monitoring backbone comes first
DEFAULT_HORIZON: Timing = ProposalOverrides().horizon   # the 2028-2034 programming period
PERIOD_YEARS = 7                     # length of an EU programming period
HISTORY_PERIOD = "2014-2020"         # instruments of this period appear only as history
# Default timing by step, as fractions of the horizon (start, end); see docs/methods-proposals.md.
STEP_TIMING: dict[str, tuple[float, float]] = {
    "understand": (0.0, 0.2), "strategy": (0.1, 0.35), "coordinate": (0.2, 1.0),
    "implement": (0.3, 1.0), "adapt": (0.6, 1.0),
}


class CatalogueError(ValueError):
    """A measures catalogue that cannot be used; one line per problem."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{display_path(path)}: invalid measures catalogue\n"
                         + "\n".join(f"  - {p}" for p in problems))


class ProposalError(ValueError):
    """Consultant overrides that do not fit the catalogue or the proposal; one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid proposal overrides:\n" + "\n".join(f"  - {p}" for p in problems))


# ---- catalogue schema -------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """A document: a project file (seed or reference note) or a public web page."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    citation: str = Field(min_length=10)
    file: str = ""
    url: str = Field(default="", pattern=r"^(https?://\S+)?$")

    @model_validator(mode="after")
    def _located(self) -> "Source":
        if not (self.file or self.url):
            raise ValueError("a source needs a 'file' or a 'url'")
        return self


class Instrument(_Strict):
    """An EU programme or service; `serves` lists the challenges whose measures it can fund."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
    programme: str = Field(min_length=3)
    source: str
    period: str = Field(pattern=r"^(20[0-9]{2}-20[0-9]{2}|ongoing)$")
    status: str = ""
    serves: tuple[str, ...] = ()
    only_with: str = ""

    @property
    def end(self) -> int:
        return 9999 if self.period == "ongoing" else int(self.period[-4:])

    @property
    def history(self) -> bool:
        return self.period == HISTORY_PERIOD


class Measure(_Strict):
    """One recommendation in the EOCIC briefing structure (Description / Benefits and Costs / Risks)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=5)
    description: str = Field(min_length=20)
    challenges: tuple[str, ...]
    step: str
    cluster_role: str = Field(min_length=10)
    benefits: str = Field(min_length=10)
    costs: str = Field(min_length=5)
    risks: str = Field(min_length=10)
    actors: tuple[str, ...] = Field(min_length=1)
    instruments: tuple[str, ...] = Field(min_length=1)
    kpis: tuple[str, ...] = Field(min_length=1)
    focus: Literal[ev.FOCUSES] = "strongest"  # type: ignore[valid-type]
    outputs: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    always: bool = False


class Catalogue(_Strict):
    sources: tuple[Source, ...] = Field(min_length=1)
    instruments: tuple[Instrument, ...] = Field(min_length=1)
    measures: tuple[Measure, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)

    def instrument(self, instrument_id: str) -> Instrument:
        return next(i for i in self.instruments if i.id == instrument_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)


def display_path(path: Path | str) -> str:
    """A path relative to the project folder when it lies inside it (for messages)."""
    path = Path(path)
    try:
        return str(path.relative_to(paths.PROJECT_DIR)) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def kpi_indicator_problem(indicator_id: str) -> str | None:
    """Why an indicator cannot be a KPI (a sector dimension, or a size-dependent total), else None."""
    indicator = BY_ID[indicator_id]
    if indicator.has_nace:
        return "has a sector (NACE) dimension"
    if indicator.kind in EXTENSIVE_KINDS:
        return f"is a {indicator.kind} total that depends on the region's size"
    return None


def parse_catalogue(raw: Any, path: Path | str) -> Catalogue:
    """Validate a catalogue mapping read from `path` (named in errors): schema first, then
    every id it refers to."""
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as error:
        raise CatalogueError(path, [_describe(e, raw) for e in error.errors()]) from None
    problems = reference_problems(catalogue)
    if problems:
        raise CatalogueError(path, problems)
    return catalogue


def _describe(error: dict[str, Any], raw: Any) -> str:
    """One pydantic error as 'measure 'id': field 'x': problem (value …)'."""
    loc = list(error["loc"])
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and loc[0] in ("measures", "instruments", "sources") and isinstance(loc[1], int):
        item = raw[loc[0]][loc[1]] if isinstance(raw, dict) else {}
        name = item.get("id", f"#{loc[1] + 1}") if isinstance(item, dict) else f"#{loc[1] + 1}"
        field = ".".join(str(p) for p in loc[2:]) or "(whole entry)"
        where = f"{loc[0][:-1]} {name!r}: field {field!r}"
    else:
        where = f"field {where!r}"
    if error["type"] == "extra_forbidden":
        return f"{where} is not a known field"
    if error["type"] == "missing":
        return f"{where} is missing (required)"
    return f"{where}: {error['msg']} (value {error.get('input')!r})"


def reference_problems(catalogue: Catalogue) -> list[str]:
    """Unknown or duplicated ids, and the invariants the selection rule relies on."""
    problems = _duplicates("measure", catalogue.ids)
    problems += _duplicates("instrument", [i.id for i in catalogue.instruments])
    problems += _duplicates("source", [s.id for s in catalogue.sources])
    source_ids = {s.id for s in catalogue.sources}
    instrument_ids = {i.id for i in catalogue.instruments}
    for instrument in catalogue.instruments:
        where = f"instrument {instrument.id!r}"
        problems += _unknown(where, "source", [instrument.source], source_ids)
        problems += _unknown(where, "serves", instrument.serves, [*CHALLENGE_IDS, "all"])
        if instrument.only_with:
            problems += _unknown(where, "only_with", [instrument.only_with], RegionContext.model_fields)
        if not instrument.history and not (instrument.status and instrument.serves):
            problems.append(f"{where}: fields 'status' and 'serves' are required for an instrument of "
                            f"{instrument.period} (only {HISTORY_PERIOD} instruments are history)")
    for m in catalogue.measures:
        where = f"measure {m.id!r}"
        problems += _unknown(where, "challenges", m.challenges, CHALLENGE_IDS)
        problems += _unknown(where, "step", [m.step], STEP_IDS)
        problems += _unknown(where, "kpis", m.kpis, BY_ID)
        problems += [f"{where}: field 'kpis': indicator {k!r} {why}; a KPI must be a rate, share, "
                     "index or per-head value of the whole region"
                     for k in m.kpis if k in BY_ID and (why := kpi_indicator_problem(k))]
        problems += _unknown(where, "instruments", m.instruments, instrument_ids)
        problems += _unknown(where, "sources", m.sources, source_ids)
        if not m.challenges and not m.always:
            problems.append(f"{where}: field 'challenges' is empty; only 'always' measures may leave it empty")
    if len(catalogue.measures) < MIN_MEASURES:
        problems.append(f"the catalogue has {len(catalogue.measures)} measures; at least {MIN_MEASURES} needed")
    problems += _invariant_problems(catalogue)
    return problems


def _invariant_problems(catalogue: Catalogue) -> list[str]:
    problems = []
    for challenge_id in CHALLENGE_IDS:
        if not any(m.challenges == (challenge_id,) for m in catalogue.measures):
            problems.append(f"no measure addresses only {challenge_id!r}; the coverage rule needs one")
    always_steps = {m.step for m in catalogue.measures if m.always}
    if "understand" not in always_steps or not always_steps & {"implement", "adapt"}:
        problems.append("'always' measures must include one in step 'understand' and one in "
                        "'implement' or 'adapt' (the monitoring backbone)")
    if sum(m.always for m in catalogue.measures) + len(CHALLENGE_IDS) > MAX_MEASURES:
        problems.append(f"too many 'always' measures for a list capped at {MAX_MEASURES}")
    return problems


def _duplicates(kind: str, ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated = [i for i in ids if i in seen or seen.add(i)]
    return [f"{kind} id {i!r} is used more than once" for i in dict.fromkeys(repeated)]


def _unknown(where: str, field: str, values: Iterable[str], known: Iterable[str]) -> list[str]:
    known = sorted(known)
    return [f"{where}: field {field!r}: unknown value {v!r}; known: {', '.join(known)}"
            for v in values if v not in known]


# ---- consultant overrides ---------------------------------------------------------------------

def run_year() -> int:
    """The year of the run: no plan starts before it."""
    return datetime.date.today().year


def plan_horizon(overrides: ProposalOverrides, year: int) -> Timing:
    """The profile's horizon when it sets one; otherwise the default programming period, moved on
    by whole periods until it has not ended before the run year, and starting no earlier than it."""
    if "horizon" in overrides.model_fields_set:
        return overrides.horizon
    start, end = DEFAULT_HORIZON.start, DEFAULT_HORIZON.end
    while end < year:
        start, end = start + PERIOD_YEARS, end + PERIOD_YEARS
    return Timing.model_construct(start=max(start, year), end=end)   # may pass the profiles' 2040 bound


def override_problems(profile: RegionProfile, profile_file: Path | str | None = None, *,
                      catalogue: Catalogue, year: int | None = None) -> list[str]:
    """Problems of a profile's `proposals` overrides against the catalogue (empty when fine)."""
    year = year or run_year()
    where = display_path(profile_file or profile_path(profile.id))
    overrides = profile.proposals
    known = ", ".join(catalogue.ids)
    problems = []
    for field, ids in (("add", overrides.add), ("drop", overrides.drop),
                       ("priority", overrides.priority), ("timing", overrides.timing)):
        problems += [f"{where}: proposals.{field}: unknown measure {i!r}; known: {known}"
                     for i in ids if i not in catalogue.ids]
    problems += [f"{where}: proposals.targets: unknown indicator {i!r}; known: {', '.join(sorted(BY_ID))}"
                 for i in overrides.targets if i not in BY_ID]
    problems += [f"{where}: proposals.add and proposals.drop both name {i!r}"
                 for i in overrides.add if i in overrides.drop]
    measures = {m.id: m for m in catalogue.measures}
    for measure_id, targets in overrides.outputs.items():
        if measure_id not in measures:
            problems.append(f"{where}: proposals.outputs: unknown measure {measure_id!r}; known: {known}")
            continue
        allowed = measures[measure_id].outputs
        problems += [f"{where}: proposals.outputs.{measure_id}: unknown output {label!r}; "
                     f"outputs of this measure: {'; '.join(allowed)}" for label in targets if label not in allowed]
    horizon = plan_horizon(overrides, year)
    if horizon.start < year:
        problems.append(f"{where}: proposals.horizon.start: {horizon.start} is before the run year {year}; "
                        f"a plan cannot start in the past (default horizon {DEFAULT_HORIZON.start}-{DEFAULT_HORIZON.end})")
    problems += [f"{where}: proposals.timing.{i}: {t.start}-{t.end} lies outside the horizon "
                 f"{horizon.start}-{horizon.end}"
                 for i, t in overrides.timing.items() if t.start < horizon.start or t.end > horizon.end]
    return problems


# ---- region evidence --------------------------------------------------------------------------

VERDICT_TEXT = {"indicated": "indicated by the data", "not_indicated": "not indicated by the data",
                "insufficient_data": "insufficient data to test"}


@dataclass(frozen=True)
class ChallengeWeight:
    """How strongly a joint challenge applies to the region."""

    id: str
    label: str
    verdict: str      # data-driven verdict of the assessment ('indicated', 'not_indicated', 'insufficient_data')
    published: bool   # listed by the EOCIC Summary Report (profile or assessment)

    @property
    def indicated(self) -> bool:
        return self.verdict == "indicated"

    @property
    def weight(self) -> int:
        if self.indicated and self.published:
            return WEIGHT_BOTH
        return WEIGHT_ONE if self.indicated or self.published else 0

    @property
    def evidence(self) -> str:
        """E.g. 'listed by EOCIC; insufficient data to test'."""
        listed = "listed by EOCIC" if self.published else "not listed by EOCIC"
        if self.indicated and self.published:
            return "indicated by the data and listed by EOCIC"
        if self.published:
            return f"{listed}; {VERDICT_TEXT.get(self.verdict, 'no data verdict')}"
        return f"{VERDICT_TEXT.get(self.verdict, 'no data verdict')}; {listed}"


def challenge_weights(assessment: dict[str, Any], published_ids: Iterable[str]) -> tuple[ChallengeWeight, ...]:
    """One weight per joint challenge, in the order of `CHALLENGE_IDS`."""
    entries = {c["id"]: c for c in assessment.get("challenges", [])}
    published = set(published_ids)
    return tuple(
        ChallengeWeight(
            id=cid, label=challenge(cid).label, verdict=entries.get(cid, {}).get("verdict", "missing"),
            published=cid in published or bool(entries.get(cid, {}).get("published")),
        )
        for cid in CHALLENGE_IDS
    )


# ---- KPIs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiRow:
    indicator: str
    label: str
    unit: str | None
    direction: str | None
    baseline: float | None
    baseline_year: int | None
    source: str
    eu: float | None
    target: float | None
    target_year: int | None
    rule: str

    @property
    def weak(self) -> bool:
        """Baseline worse than the EU-27 value, in the indicator's direction."""
        return _gap_sign(self.baseline, self.eu, self.direction) > 0

    def payload(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "label": self.label, "baseline": self.baseline,
                "baseline_year": self.baseline_year, "source": self.source, "target": self.target,
                "target_year": self.target_year, "rule": self.rule}


def _gap_sign(value: float | None, eu: float | None, direction: str | None) -> int:
    """+1 when `value` is worse than `eu`, -1 when better or equal, 0 when not comparable."""
    if value is None or eu is None or direction not in ("higher_better", "lower_better"):
        return 0
    worse = value < eu if direction == "higher_better" else value > eu
    return 1 if worse else -1


def default_target(value: float | None, eu: float | None, direction: str | None) -> tuple[float | None, str]:
    """The default target and the rule that produced it (docs/methods-proposals.md)."""
    if value is None:
        return None, "no baseline in the data: no target"
    if direction not in ("higher_better", "lower_better"):
        return None, "neutral indicator: monitored, no target"
    if _gap_sign(value, eu, direction) > 0:
        return value + float(GAP_SHARE) * (eu - value), f"close {GAP_SHARE} of the gap to the EU-27 value"
    sign = 1 if direction == "higher_better" else -1
    why = "no EU-27 value" if eu is None else "at or beyond the EU-27 value"
    verb = "raise" if sign > 0 else "lower"
    return value * (1 + sign * IMPROVEMENT), f"{why}: {verb} by {IMPROVEMENT:.0%}"


def kpi_row(entry: dict[str, Any], target_year: int, override: Target | None,
            profile_file: str) -> KpiRow:
    """A KPI row from an assessment indicator entry (docs/design.md) and an optional override."""
    value, eu = _number(entry.get("value")), _number(entry.get("eu"))
    direction = entry.get("direction")
    if override is not None:
        target, year, rule = override.value, override.year, f"set by the consultant ({profile_file})"
    else:
        target, rule = default_target(value, eu, direction)
        year = target_year if target is not None else None
    return KpiRow(
        indicator=entry["id"], label=entry.get("label") or entry["id"], unit=entry.get("unit"),
        direction=direction, baseline=value,
        baseline_year=int(entry["year"]) if value is not None and entry.get("year") is not None else None,
        source=entry.get("source") or "", eu=eu,
        target=None if target is None else round(target, 2), target_year=year, rule=rule,
    )


def result_target(g: ev.Gap) -> tuple[float | None, str]:
    """Target of a result indicator by the horizon's end, and the rule that produced it
    (docs/methods-proposals.md §4): close `GAP_SHARE` of the gap to the EU-27 reference when behind
    it, else to the best peer when behind that; else improve by `IMPROVEMENT`; never beyond the
    best EU-27 decile, and when already in it, hold the level."""
    if g.value is None:
        return None, "no baseline in the data: no target"
    if g.sign == 0:
        return None, "neutral indicator: monitored, no target"
    best_peer = g.better_peers[0] if g.better_peers else None
    if g.behind_eu:
        reference, what = g.eu, f"the {g.eu_kind} reference ({num(g.eu, g.value)})"
    elif best_peer is not None:
        reference, what = best_peer.value, f"the best peer, {best_peer.name} ({num(best_peer.value, g.value)})"
    else:
        reference, what = None, ""
    if reference is not None:
        target, rule = g.value + float(GAP_SHARE) * (reference - g.value), f"close {GAP_SHARE} of the gap to {what}"
    else:
        target = g.value * (1 + g.sign * IMPROVEMENT)
        rule = f"ahead of the {g.eu_kind} reference and of every peer: {'raise' if g.sign > 0 else 'lower'} by {IMPROVEMENT:.0%}"
    if g.decile is not None and g.better(target, g.decile):
        if g.better(g.value, g.decile) or g.value == g.decile:
            return g.value, f"already in the best EU-27 decile (threshold {num(g.decile, g.value)} in {g.year}): hold the level"
        return g.decile, rule + f", capped at the best EU-27 decile ({num(g.decile, g.value)} in {g.year})"
    return target, rule


def result_row(g: ev.Gap, target_year: int, override: Target | None, profile_file: str) -> KpiRow:
    """A result indicator of a measure: baseline from the assessment, target by `result_target`."""
    if override is not None:
        target, year, rule = override.value, override.year, f"set by the consultant ({profile_file})"
    else:
        target, rule = result_target(g)
        year = target_year if target is not None else None
    return KpiRow(indicator=g.indicator, label=g.label, unit=g.unit, direction=g.direction, baseline=g.value,
                  baseline_year=g.year, source=g.source, eu=g.eu,
                  target=None if target is None else _round(target), target_year=year, rule=rule)


def _round(value: float) -> float:
    """Two significant decimals for small values, else two decimals."""
    return round(value, 2) if abs(value) >= 1 else round(value, 4)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def indicator_entries(assessment: dict[str, Any], indicator_ids: Iterable[str], profile: RegionProfile,
                      snapshot: Snapshot | None = None) -> dict[str, dict[str, Any]]:
    """Assessment indicator entries by id; ids the assessment lacks come from the snapshot
    (same row format) or stay missing."""
    entries = {e["id"]: e for e in assessment.get("indicators", [])}
    missing = [i for i in dict.fromkeys(indicator_ids) if i not in entries]
    if missing and snapshot is not None:
        from workbench.analysis.indicators import key_indicator
        entries.update({i: key_indicator(snapshot, i, profile) for i in missing})
    for indicator_id in missing:
        entries.setdefault(indicator_id, {"id": indicator_id, "label": indicator_id,
                                          "source": "not in the assessment"})
    return entries


# ---- selection and ranking --------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    measure: Measure
    score: int
    weak_kpis: int
    position: int   # index in the catalogue

    def sort_key(self) -> tuple[int, int, int, int]:
        """Score (high first), KPIs with a weak baseline (many first), step order, catalogue order."""
        return (-self.score, -self.weak_kpis, STEP_IDS.index(self.measure.step), self.position)


def score(measure: Measure, weights: dict[str, ChallengeWeight]) -> int:
    """Sum of the region's weights of the challenges the measure addresses."""
    return sum(weights[c].weight for c in measure.challenges)


def rank(catalogue: Catalogue, weights: dict[str, ChallengeWeight],
         kpis: dict[str, tuple[KpiRow, ...]]) -> list[Candidate]:
    """Every measure of the catalogue, best first."""
    candidates = [Candidate(m, score(m, weights), sum(k.weak for k in kpis[m.id]), i)
                  for i, m in enumerate(catalogue.measures)]
    return sorted(candidates, key=Candidate.sort_key)


def select(ranked: list[Candidate], weights: dict[str, ChallengeWeight],
           cap: int = MAX_MEASURES) -> dict[str, str]:
    """Selected measure ids with how each got in: 'always', 'coverage' or 'ranked'.

    The monitoring backbone ('always') first; then, for each of the region's challenges
    (heaviest first), its best-ranked measure dedicated to that challenge alone; then the best
    remaining measures with a positive score until the cap.
    """
    chosen = {c.measure.id: "always" for c in ranked if c.measure.always}
    region = sorted((w for w in weights.values() if w.weight), key=lambda w: (-w.weight, CHALLENGE_IDS.index(w.id)))
    for weight in region:
        dedicated = next(c for c in ranked if c.measure.challenges == (weight.id,))
        chosen.setdefault(dedicated.measure.id, "coverage")
    for candidate in ranked:
        if len(chosen) >= cap:
            break
        if candidate.score > 0:
            chosen.setdefault(candidate.measure.id, "ranked")
    return chosen


def default_priority(candidate: Candidate, origin: str, top_score: int) -> int:
    """1 (highest) to 5: the monitoring backbone 1, otherwise by score relative to the top score."""
    if origin == "always":
        return ALWAYS_PRIORITY
    if top_score <= 0:
        return 5
    return 1 + math.floor(4 * (1 - candidate.score / top_score) + 0.5)


def default_timing(step_id: str, horizon: Timing) -> tuple[int, int]:
    """Start and end year of a step's measures within the horizon (`STEP_TIMING`)."""
    length = horizon.end - horizon.start
    start, end = STEP_TIMING[step_id]
    return (horizon.start + math.floor(start * length + 0.5), horizon.start + math.floor(end * length + 0.5))


def reason(candidate: Candidate, origin: str, weights: dict[str, ChallengeWeight], profile_file: str) -> str:
    """Why the measure is in the list, from the region's evidence."""
    parts = [f"{weights[c].label}: {weights[c].evidence} (+{weights[c].weight})"
             for c in candidate.measure.challenges if weights[c].weight]
    if origin == "always":
        parts.insert(0, f"monitoring backbone of every proposal (step: {step(candidate.measure.step).label})")
    elif origin == "coverage":
        parts.append("the best measure dedicated to this challenge alone")
    elif origin == "added":
        parts.insert(0, f"added by the consultant ({profile_file})")
    return "; ".join(parts) or "no challenge of the region"


# ---- the plan ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class OutputRow:
    """What a measure delivers; the target is the consultant's (None: to be set)."""

    label: str
    target: float | None

    def payload(self) -> dict[str, Any]:
        return {"label": self.label, "target": self.target}


@dataclass(frozen=True)
class RegionalPart:
    """The region-specific part of a measure, as structured values and reader text."""

    clusters: tuple[ev.Cluster, ...]
    organisations: tuple[ContextEntry, ...]
    gaps: tuple[ev.Gap, ...]
    texts: dict[str, str]          # clusters, gaps, peers, why

    def payload(self) -> dict[str, Any]:
        return {
            "clusters": {"text": self.texts["clusters"],
                         "items": [{"nace": c.nace, "label": c.label, "employment": c.employment, "year": c.year,
                                    "lq": c.lq, "growth_pct": c.growth_pct, "stars": c.stars} for c in self.clusters],
                         "organisations": [e.name for e in self.organisations]},
            "gaps": {"text": self.texts["gaps"],
                     "items": [{"indicator": g.indicator, "label": g.label, "value": g.value, "year": g.year,
                                "eu": g.eu, "eu_kind": g.eu_kind, "percentile": g.percentile,
                                "n_regions": g.n_regions} for g in self.gaps]},
            "peers": {"text": self.texts["peers"],
                      "items": [{"indicator": g.indicator, "geo": p.geo, "name": p.name, "value": p.value,
                                 "year": p.year} for g in self.gaps for p in g.better_peers]},
            "why": self.texts["why"],
        }


@dataclass(frozen=True)
class ProposedMeasure:
    measure: Measure
    score: int
    reason: str
    origin: str          # 'always', 'coverage', 'ranked' or 'added'
    priority: int
    start: int
    end: int
    kpis: tuple[KpiRow, ...]
    results: tuple[KpiRow, ...] = ()
    outputs: tuple[OutputRow, ...] = ()
    funding: tuple[Instrument, ...] = ()
    regional: RegionalPart | None = None


@dataclass(frozen=True)
class ProposalPlan:
    region: dict[str, Any]
    horizon: Timing
    challenges: tuple[ChallengeWeight, ...]
    measures: tuple[ProposedMeasure, ...]
    overrides: ProposalOverrides
    catalogue: Catalogue
    assessment: dict[str, Any]
    profile_file: str
    data_vintage: str
    run_year: int = 0
    context: RegionContext | None = None
    clusters: tuple[ev.Cluster, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.measure.id for p in self.measures)

    def instrument_names(self, measure: Measure) -> list[str]:
        """The measure's instruments as named in its 2019 sources (history)."""
        return [self.catalogue.instrument(i).name for i in measure.instruments]

    def payload(self, strategy: str) -> dict[str, Any]:
        """The `proposals` payload of docs/design.md."""
        return {
            "region": self.region,
            "horizon": {"start": self.horizon.start, "end": self.horizon.end, "run_year": self.run_year},
            "strategy": strategy,
            "measures": [{
                "id": p.measure.id, "title": p.measure.title, "step": p.measure.step,
                "challenges": list(p.measure.challenges), "priority": p.priority, "score": p.score,
                "reason": p.reason, "start": p.start, "end": p.end,
                "instruments": [i.name for i in p.funding],
                "history_instruments": self.instrument_names(p.measure),
                "kpis": [k.payload() for k in p.kpis],
                "results": [k.payload() for k in p.results],
                "outputs": [o.payload() for o in p.outputs],
                "regional": p.regional.payload() if p.regional else None,
            } for p in self.measures],
        }


def funding(catalogue: Catalogue, measure: Measure, horizon: Timing, context: RegionContext | None) -> tuple[Instrument, ...]:
    """Instruments available for the horizon that serve one of the measure's challenges (or all)."""
    def fits(i: Instrument) -> bool:
        serves = "all" in i.serves or bool(set(i.serves) & set(measure.challenges))
        needed = not i.only_with or bool(context is not None and getattr(context, i.only_with))
        return not i.history and i.end >= horizon.start - 1 and serves and needed
    return tuple(i for i in catalogue.instruments if fits(i))


def build_plan(assessment: dict[str, Any], profile: RegionProfile, *, catalogue: Catalogue,
               snapshot: Snapshot | None = None, profile_file: Path | str | None = None,
               data_vintage: str = "", year: int | None = None) -> ProposalPlan:
    """Select, rank, time and equip with KPIs the measures of `catalogue`
    (`workbench.templates.load_catalogue`) for one region (overrides applied)."""
    year = year or run_year()
    where = display_path(profile_file or profile_path(profile.id))
    problems = override_problems(profile, where, catalogue=catalogue, year=year)
    if assessment.get("region", {}).get("id") != profile.id:
        problems.append(f"the assessment is of region {assessment.get('region', {}).get('id')!r}, "
                        f"the profile of {profile.id!r}")
    if problems:
        raise ProposalError(problems)
    overrides = profile.proposals
    horizon = plan_horizon(overrides, year)
    weights = {w.id: w for w in challenge_weights(assessment, profile.published_challenge_ids)}
    entries = indicator_entries(assessment, (k for m in catalogue.measures for k in m.kpis), profile, snapshot)
    kpis = {m.id: tuple(kpi_row(entries[k], horizon.end, overrides.targets.get(k), where)
                        for k in m.kpis) for m in catalogue.measures}
    ranked = rank(catalogue, weights, kpis)
    chosen = select(ranked, weights)
    chosen.update({i: "added" for i in overrides.add if i not in chosen})
    for measure_id in overrides.drop:
        chosen.pop(measure_id, None)
    candidates = {c.measure.id: c for c in ranked}
    top = max((candidates[i].score for i in chosen), default=0)
    peers = assessment.get("scoreboard", {}).get("peers", [])
    gaps = {k: ev.gap(entries[k], peers, snapshot)
            for k in dict.fromkeys(k for i in chosen for k in candidates[i].measure.kpis)}
    proposed = []
    for measure_id, origin in chosen.items():
        candidate = candidates[measure_id]
        m = candidate.measure
        start, end = default_timing(m.step, horizon)
        timing = overrides.timing.get(measure_id)
        outputs = overrides.outputs.get(measure_id, {})
        proposed.append(ProposedMeasure(
            measure=m, score=candidate.score,
            reason=reason(candidate, origin, weights, where), origin=origin,
            priority=overrides.priority.get(measure_id, default_priority(candidate, origin, top)),
            start=timing.start if timing else start, end=timing.end if timing else end,
            kpis=kpis[measure_id],
            results=tuple(result_row(g, horizon.end, overrides.targets.get(g.indicator), where)
                          for g in ev.result_gaps(gaps[k] for k in m.kpis)),
            outputs=tuple(OutputRow(label, outputs.get(label)) for label in m.outputs),
            funding=funding(catalogue, m, horizon, profile.context),
        ))
    _check_overrides_used(overrides, proposed, where)
    proposed.sort(key=lambda p: (p.priority, candidates[p.measure.id].sort_key()))
    clusters = ev.traded_clusters(assessment)
    region_name = assessment["region"]["name"]
    proposed = [replace(p, regional=regional_part(p, i, len(proposed), region_name, assessment, clusters,
                                                  gaps, profile.context))
                for i, p in enumerate(proposed, 1)]
    return ProposalPlan(region=assessment["region"], horizon=horizon,
                        challenges=tuple(weights.values()), measures=tuple(proposed),
                        overrides=overrides, catalogue=catalogue, assessment=assessment, profile_file=where,
                        data_vintage=data_vintage, run_year=year, context=profile.context,
                        clusters=tuple(clusters))


def regional_part(p: ProposedMeasure, position: int, total: int, region: str, assessment: dict[str, Any],
                  clusters: list[ev.Cluster], gaps: dict[str, ev.Gap], context: RegionContext | None) -> RegionalPart:
    """The measure's regional part: clusters it targets, gaps it answers, peers, why it ranks here."""
    targeted = ev.focus_clusters(p.measure.focus, assessment, clusters)
    organisations = ev.organisations_for(context, targeted)
    answered = [gaps[r.indicator] for r in p.results]
    behind = sum(g.behind_eu for g in answered)
    why = (f"{p.reason}; so it ranks {position} of {total} in {region}'s list, priority {p.priority}, "
           f"score {p.score}; {behind} of its {len(answered)} result indicators are behind the EU-27 reference "
           f"for {region}.")
    return RegionalPart(
        clusters=tuple(targeted), organisations=tuple(organisations), gaps=tuple(answered),
        texts={"clusters": ev.clusters_text(region, targeted, organisations, context, assessment),
               "gaps": ev.gaps_text(region, answered), "peers": ev.peers_text(region, answered), "why": why})


def _check_overrides_used(overrides: ProposalOverrides, proposed: list[ProposedMeasure], where: str) -> None:
    """Priority, timing, outputs and targets must refer to measures and KPIs of the final list."""
    listed = {p.measure.id for p in proposed}
    used_kpis = {k.indicator for p in proposed for k in p.kpis}
    problems = [f"{where}: proposals.{field}: measure {i!r} is not in the proposal list "
                f"(add it with proposals.add); listed: {', '.join(sorted(listed))}"
                for field, ids in (("priority", overrides.priority), ("timing", overrides.timing),
                                   ("outputs", overrides.outputs))
                for i in ids if i not in listed]
    problems += [f"{where}: proposals.targets: indicator {i!r} is not a KPI of any proposed measure; "
                 f"KPIs: {', '.join(sorted(used_kpis))}"
                 for i in overrides.targets if i not in used_kpis]
    if problems:
        raise ProposalError(problems)
