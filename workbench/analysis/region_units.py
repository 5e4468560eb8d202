"""A profile's NUTS codes brought to the snapshot's working vintage (NUTS 2016).

A profile with `nuts.version: 2021` may name NUTS 2021 codes in `nuts.code`, `nuts.parts` and
`peers`. The profile keeps the codes the consultant wrote; `working_units` gives the same profile
with NUTS 2016 codes (the units the data describe) and says which codes were mapped and how:

* a NUTS 2021 code that is also a NUTS 2016 unit (DED2, ES13, HR03) is kept as it is;
* NUTS 2021 codes that together make up one NUTS 2016 unit are merged into it, exactly
  (HR02 + HR05 + HR06 = HR04): the profile must name all of them in the same field;
* a single NUTS 2021 code equal to one NUTS 2016 unit would be an exact rename (the converters
  hold none among EU NUTS 2 units today);
* a NUTS 2021 code that is only part of a NUTS 2016 unit (HR05 alone) or split between several
  (NO08) is refused: analysing it would need every indicator apportioned by population, so the
  report would describe a territory other than the one named. The snapshot itself converts such
  data (weighted by 2021 population, docs/data.md); a profile names whole working units.

The mapping happens in one place, this module, called by the reference checks of the CLI and
runner (`workbench validate`, `workbench run`) and by `assess`, the analysis entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.regions import RegionProfile


@dataclass(frozen=True)
class Mapping:
    """NUTS 2021 codes of one profile field and the NUTS 2016 unit the analysis uses for them."""

    field: str
    written: tuple[str, ...]
    working: str
    how: str  # "exact rename" or "merge"

    def sentence(self) -> str:
        """Reader text, e.g. 'NUTS 2021 HR02 + HR05 + HR06 = NUTS 2016 HR04 (merge, exact)'."""
        return (f"NUTS 2021 {' + '.join(self.written)} = NUTS 2016 {self.working} "
                f"({self.how}, JRC NUTS converter)")

    def payload(self) -> dict[str, Any]:
        return {"field": self.field, "written": list(self.written), "working": self.working, "how": self.how}


@dataclass(frozen=True)
class WorkingUnits:
    """The profile with NUTS 2016 codes, the mappings made and the codes that cannot be mapped
    (`problems`: field, value and what is allowed, without the file name)."""

    profile: RegionProfile
    mappings: tuple[Mapping, ...] = ()
    problems: tuple[str, ...] = ()


def working_units(snap: Any, profile: RegionProfile) -> WorkingUnits:
    """Map a NUTS 2021 profile's codes to the snapshot's NUTS 2016 units (a NUTS 2016 profile
    is returned unchanged; its unknown codes are found by the reference checks)."""
    if profile.nuts.version == 2016:
        return WorkingUnits(profile)
    units = set(snap.geo["geo"])
    mappings: list[Mapping] = []
    problems: list[str] = []
    fields = {"nuts.code": (profile.nuts.code,), "nuts.parts": profile.nuts.parts, "peers": profile.peers}
    mapped: dict[str, tuple[str, ...]] = {}
    for field, codes in fields.items():
        mapped[field], field_mappings, field_problems = _map_codes(snap.aliases, units, field, codes)
        mappings += field_mappings
        problems += field_problems
    nuts = profile.nuts.model_copy(update={"code": mapped["nuts.code"][0] if mapped["nuts.code"] else profile.nuts.code,
                                           "parts": mapped["nuts.parts"]})
    return WorkingUnits(profile.model_copy(update={"nuts": nuts, "peers": mapped["peers"]}),
                        tuple(mappings), tuple(problems))


def working_profile(snap: Any, profile: RegionProfile) -> tuple[RegionProfile, tuple[Mapping, ...]]:
    """The profile the analysis uses and the mappings made; `ValueError` naming the field and
    value when a code cannot be mapped (the CLI reports these with the file name first)."""
    result = working_units(snap, profile)
    if result.problems:
        raise ValueError(f"region profile {profile.id!r}: " + "; ".join(result.problems))
    return result.profile, result.mappings


def readable_name(name: str) -> str:
    """GISCO writes NUTS 0/1 names in capitals: `BADEN-WÜRTTEMBERG` -> `Baden-Württemberg`."""
    return name.title() if name.isupper() else name


def _map_codes(aliases: dict[str, dict], units: set[str], field: str,
               codes: tuple[str, ...]) -> tuple[tuple[str, ...], list[Mapping], list[str]]:
    """One field's codes in NUTS 2016, in the order written (a merge where its first code was)."""
    out: list[str] = []
    mappings: list[Mapping] = []
    problems: list[str] = []
    for code in codes:
        alias = aliases.get(code)
        if code in units or alias is None or alias.get("version") != "2021":
            out.append(code)  # a NUTS 2016 unit, or unknown: the reference checks name it
            continue
        targets = alias["nuts2016"]
        target = next(iter(targets))
        sources = tuple(sorted(c for c, a in aliases.items() if target in a["nuts2016"]))
        whole = len(targets) == 1 and all(aliases[c]["nuts2016"].get(target) == 100.0 for c in sources)
        if not whole:
            problems.append(_split_problem(field, code, targets, sources))
        elif not set(sources) <= set(codes):
            problems.append(f"field {field!r}: value {code!r} (NUTS 2021) is only part of NUTS 2016 {target}, "
                            f"the data's working vintage, = {' + '.join(sources)}; allowed: all of "
                            f"{', '.join(sources)} in {field}, or the NUTS 2016 code {target}")
        elif target not in out:
            out.append(target)
            mappings.append(Mapping(field, sources, target, "exact rename" if len(sources) == 1 else "merge"))
    return tuple(out), mappings, problems


def _split_problem(field: str, code: str, targets: dict[str, float], sources: tuple[str, ...]) -> str:
    shares = ", ".join(f"{unit} ({share:g} % of its population)" for unit, share in targets.items())
    return (f"field {field!r}: value {code!r} (NUTS 2021) lies in several NUTS 2016 units or shares one "
            f"with other codes ({shares}; made from {' + '.join(sources)}); the data's working vintage "
            f"is NUTS 2016 and a profile names whole units: allowed: the NUTS 2016 code(s) "
            f"{', '.join(targets)}")
